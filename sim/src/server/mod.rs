//! The HTTP side: accepting connections (plain or TLS), authentication, faults, RBAC, the request
//! log, and dispatch to discovery, REST and subresource handlers.

mod admin;
mod body;
mod discovery;
mod openapi;
mod rbac;
mod rest;
mod route;
mod subresources;
mod table_list;
mod watch;

pub use admin::{Faults, RequestLog};
pub use body::Body;
pub use rbac::Rbac;

use crate::cluster::Cluster;
use crate::error::ApiError;
use crate::scenario::SandboxFile;
use body::{error_response, json_response};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// Everything a request handler may need; shared by all connections.
pub struct Server {
    pub cluster: Cluster,
    pub faults: Faults,
    pub log: RequestLog,
    pub rbac: Rbac,
    pub token: Option<String>,
    pub log_rate: u32,
    pub sandbox_root: PathBuf,
    pub files: Vec<SandboxFile>,
    /// The address clients use, for discovery's serverAddressByClientCIDRs.
    pub address: String,
}

/// Accept connections until the task is aborted.
pub async fn serve(server: Arc<Server>, listener: TcpListener, tls: Option<TlsAcceptor>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        if server.faults.refusing() {
            // Closing at once looks like a refused connection to the client.
            drop(stream);
            continue;
        }
        let server = server.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                let server = server.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(server, req).await) }
            });
            let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            match tls {
                Some(acceptor) => {
                    if let Ok(s) = acceptor.accept(stream).await {
                        let _ = builder
                            .serve_connection_with_upgrades(TokioIo::new(s), svc)
                            .await;
                    }
                }
                None => {
                    let _ = builder
                        .serve_connection_with_upgrades(TokioIo::new(stream), svc)
                        .await;
                }
            }
        });
    }
}

async fn handle(server: Arc<Server>, req: Request<Incoming>) -> Response<Body> {
    let start = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let resp = dispatch(&server, req).await;
    server.log.record(
        &method,
        &path,
        &query,
        resp.status().as_u16(),
        start.elapsed(),
    );
    resp
}

async fn dispatch(server: &Arc<Server>, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/_sim/") {
        return admin::handle(server, rest, req).await;
    }
    let token = bearer(&req);
    if let Err(e) = server.faults.before_request(token.as_deref()).await {
        return error_response(&e);
    }
    if let Some(want) = &server.token {
        if token.as_deref() != Some(want.as_str()) {
            return error_response(&ApiError::unauthorized());
        }
    }
    match path.as_str() {
        "/healthz" | "/livez" | "/readyz" => return body::text_response(200, "ok"),
        _ => {}
    }
    if let Some(resp) = discovery::handle(server, &path, &req) {
        return resp;
    }
    if let Some(resp) = openapi::handle(&path, req.uri().query()) {
        return resp;
    }
    match route::parse(&path) {
        Some(r) => rest::handle(server, r, req).await,
        None => error_response(&ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )),
    }
}

fn bearer(req: &Request<Incoming>) -> Option<String> {
    let h = req
        .headers()
        .get(hyper::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    h.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// Respond with a JSON value and status 200.
pub fn ok_json(v: &serde_json::Value) -> Response<Body> {
    json_response(200, v)
}
