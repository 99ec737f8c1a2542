//! Response bodies: whole JSON documents, or streams (watches, logs).

use crate::error::ApiError;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::Response;
use std::convert::Infallible;

pub type Body = UnsyncBoxBody<Bytes, Infallible>;

pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).boxed_unsync()
}

pub fn stream(s: BoxStream<'static, Bytes>) -> Body {
    BodyExt::boxed_unsync(StreamBody::new(
        s.map(|b| Ok::<_, Infallible>(Frame::data(b))),
    ))
}

fn build(code: u16, content_type: &str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() =
        hyper::StatusCode::from_u16(code).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

pub fn json_response(code: u16, v: &serde_json::Value) -> Response<Body> {
    bytes_response(code, Bytes::from(serde_json::to_vec(v).unwrap_or_default()))
}

pub fn bytes_response(code: u16, b: Bytes) -> Response<Body> {
    build(code, "application/json", full(b))
}

pub fn text_response(code: u16, text: &str) -> Response<Body> {
    build(code, "text/plain; charset=utf-8", full(text.to_string()))
}

pub fn stream_response(content_type: &str, s: BoxStream<'static, Bytes>) -> Response<Body> {
    build(200, content_type, stream(s))
}

pub fn error_response(e: &ApiError) -> Response<Body> {
    json_response(e.code, &e.to_status())
}
