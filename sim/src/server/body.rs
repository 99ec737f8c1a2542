//! Response bodies: whole JSON documents, or streams (watches, logs). A log stream can be cut:
//! its body then ends with an error, which hyper turns into a broken connection.

use crate::error::ApiError;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::Response;
use tokio::sync::watch;

/// Why a body stopped before its end (only a cut log stream does).
pub type BodyError = Box<dyn std::error::Error + Send + Sync>;

pub type Body = UnsyncBoxBody<Bytes, BodyError>;

pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

pub fn stream(s: BoxStream<'static, Bytes>) -> Body {
    BodyExt::boxed_unsync(StreamBody::new(
        s.map(|b| Ok::<_, BodyError>(Frame::data(b))),
    ))
}

/// Error of a body cut by the `cutLogs` fault.
#[derive(Debug)]
struct Cut;

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("log stream cut by the cutLogs fault")
    }
}

impl std::error::Error for Cut {}

/// `s` until `cuts` changes value: then the body ends with an error, as when the connection
/// drops. Changes made before the call are not seen (the receiver was marked seen when made).
pub fn cuttable(s: BoxStream<'static, Bytes>, cuts: watch::Receiver<u64>) -> Body {
    // `watching` turns false if the sender is gone, so a closed channel is not a cut.
    let state = (s, cuts, true, false);
    let frames = futures::stream::unfold(state, |(mut s, mut cuts, watching, cut)| async move {
        if cut {
            return None;
        }
        if watching {
            tokio::select! {
                changed = cuts.changed() => {
                    return match changed {
                        Ok(()) => Some((Err(BodyError::from(Cut)), (s, cuts, watching, true))),
                        Err(_) => s.next().await.map(|b| (Ok(Frame::data(b)), (s, cuts, false, false))),
                    };
                }
                next = s.next() => {
                    return next.map(|b| (Ok(Frame::data(b)), (s, cuts, watching, false)));
                }
            }
        }
        s.next()
            .await
            .map(|b| (Ok(Frame::data(b)), (s, cuts, watching, false)))
    });
    BodyExt::boxed_unsync(StreamBody::new(frames))
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

/// A streamed 200 whose body is cut when `cuts` changes (see `cuttable`).
pub fn cuttable_response(
    content_type: &str,
    s: BoxStream<'static, Bytes>,
    cuts: watch::Receiver<u64>,
) -> Response<Body> {
    build(200, content_type, cuttable(s, cuts))
}

pub fn error_response(e: &ApiError) -> Response<Body> {
    json_response(e.code, &e.to_status())
}
