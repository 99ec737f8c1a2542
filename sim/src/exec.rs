//! `pods/exec` and `pods/attach` over WebSocket, as kubectl 1.30+ speaks them
//! (`v5.channel.k8s.io`, and `v4.channel.k8s.io`), backed by real local processes confined
//! to the container's sandbox directory (see `exec/sandbox.rs` for how, and its caveats).
//!
//! The router has already checked RBAC and that the pod and container exist; it builds an
//! [`ExecRequest`] from the query and hands the request to [`serve`]. The connection must be
//! served with upgrades enabled (hyper `http1::Builder::serve_connection(..).with_upgrades()`
//! or hyper-util's `serve_connection_with_upgrades`), or the session never starts.
//!
//! Simplification: `attach` does not join the container's main process (there is none); it
//! starts the container's shell, `/bin/sh`, in the sandbox, over the same protocol.
//! SPDY (kubectl before 1.30 by default) is not implemented: such requests get a 400 Status.

mod process;
mod pty;
mod sandbox;
#[cfg(test)]
mod tests;
mod ws;

use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;

use crate::error::ApiError;

pub use process::UNSANDBOXED_ENV;

/// The subprotocols we speak, best first. v5 adds the close signal `kubectl cp` relies on.
pub const PROTOCOLS: [&str; 2] = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

/// An exec (or attach) as requested by the client.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecRequest {
    /// From repeated `command` query params; for attach: empty → `/bin/sh`.
    pub command: Vec<String>,
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    pub tty: bool,
    /// The container's sandbox dir (exists, already seeded).
    pub sandbox: PathBuf,
    /// Inside the sandbox, default "/".
    pub workdir: String,
    /// Container env to set.
    pub env: Vec<(String, String)>,
}

impl ExecRequest {
    /// Parse the query of `pods/NAME/exec`: `command` repeated, `stdin`/`stdout`/`stderr`/`tty`
    /// booleans. 400 if there is no command, or none of stdin, stdout, stderr is set.
    pub fn from_query(pairs: &[(String, String)], sandbox: PathBuf) -> Result<Self, ApiError> {
        let req = Self::parse(pairs, sandbox)?;
        if req.command.is_empty() {
            return Err(ApiError::bad_request(
                "you must specify at least one command for the container",
            ));
        }
        Ok(req)
    }

    /// Parse the query of `pods/NAME/attach`: like [`Self::from_query`], but no command is
    /// needed (the session runs `/bin/sh`, see the module docs).
    pub fn for_attach(pairs: &[(String, String)], sandbox: PathBuf) -> Result<Self, ApiError> {
        Self::parse(pairs, sandbox)
    }

    fn parse(pairs: &[(String, String)], sandbox: PathBuf) -> Result<Self, ApiError> {
        // Like the API server's query conversion: present and not "0"/"false" means true.
        let flag = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .is_some_and(|(_, v)| v != "0" && !v.eq_ignore_ascii_case("false"))
        };
        let tty = flag("tty");
        // As the kubelet: a terminal merges stderr into stdout.
        let (stdin, stdout, stderr) = (flag("stdin"), flag("stdout"), flag("stderr") && !tty);
        if !stdin && !stdout && !stderr {
            return Err(ApiError::bad_request(
                "you must specify at least 1 of stdin, stdout, stderr",
            ));
        }
        let command = pairs
            .iter()
            .filter(|(k, _)| k == "command")
            .map(|(_, v)| v.clone())
            .collect();
        Ok(ExecRequest {
            command,
            stdin,
            stdout,
            stderr,
            tty,
            sandbox,
            workdir: "/".into(),
            env: Vec::new(),
        })
    }

    /// The command line to run (`/bin/sh` for an attach).
    fn argv(&self) -> Vec<String> {
        if self.command.is_empty() {
            vec!["/bin/sh".into()]
        } else {
            self.command.clone()
        }
    }
}

fn header_tokens(
    req: &Request<impl Sized>,
    name: header::HeaderName,
) -> impl Iterator<Item = &str> {
    req.headers()
        .get_all(name)
        .into_iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

/// True if the request asks for a WebSocket upgrade.
pub fn is_websocket(req: &hyper::Request<hyper::body::Incoming>) -> bool {
    wants_websocket(req)
}

fn wants_websocket<B>(req: &Request<B>) -> bool {
    header_tokens(req, header::CONNECTION).any(|t| t.eq_ignore_ascii_case("upgrade"))
        && header_tokens(req, header::UPGRADE).any(|t| t.eq_ignore_ascii_case("websocket"))
}

/// Answer the upgrade (101 with the chosen subprotocol, or an error response) and, in a
/// spawned task, run the session. Must be called inside a tokio runtime.
pub fn serve(
    req: hyper::Request<hyper::body::Incoming>,
    exec: ExecRequest,
) -> hyper::Response<Full<Bytes>> {
    let (resp, protocol) = match handshake(&req) {
        Ok(ok) => ok,
        Err(e) => return error_response(&e),
    };
    tokio::spawn(async move {
        match hyper::upgrade::on(req).await {
            Ok(upgraded) => {
                let io = hyper_util::rt::TokioIo::new(upgraded);
                let ws =
                    tokio_tungstenite::WebSocketStream::from_raw_socket(io, Role::Server, None)
                        .await;
                ws::run(ws, exec, protocol == PROTOCOLS[0]).await;
            }
            Err(e) => tracing::debug!("exec: upgrade failed: {e}"),
        }
    });
    resp
}

/// Check the upgrade request and build the 101 answer with the subprotocol chosen.
fn handshake<B>(req: &Request<B>) -> Result<(Response<Full<Bytes>>, &'static str), ApiError> {
    if !wants_websocket(req) {
        return Err(ApiError::bad_request(
            "Upgrade request required: kterm-sim only implements exec/attach over WebSocket, SPDY is not supported by the simulator (use kubectl 1.30 or newer)",
        ));
    }
    let key = req.headers().get(header::SEC_WEBSOCKET_KEY);
    let version_ok = req
        .headers()
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_some_and(|v| v == "13");
    let (Some(key), true) = (key, version_ok) else {
        return Err(ApiError::bad_request("invalid WebSocket upgrade request: Sec-WebSocket-Key and Sec-WebSocket-Version: 13 are required"));
    };
    let offered: Vec<&str> = header_tokens(req, header::SEC_WEBSOCKET_PROTOCOL)
        .filter(|t| !t.is_empty())
        .collect();
    let Some(protocol) = PROTOCOLS.into_iter().find(|p| offered.contains(p)) else {
        // What the kubelet's websocket server answers; old clients fall back to SPDY on it.
        return Err(ApiError::new(
            403,
            "Forbidden",
            format!("requested protocol(s) are not supported: {offered:?}; supports {PROTOCOLS:?}"),
        ));
    };
    let resp = Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "Upgrade")
        .header(header::UPGRADE, "websocket")
        .header(
            header::SEC_WEBSOCKET_ACCEPT,
            derive_accept_key(key.as_bytes()),
        )
        .header(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static(protocol),
        )
        .body(Full::new(Bytes::new()))
        .map_err(|e| {
            ApiError::new(
                500,
                "InternalError",
                format!("Internal error occurred: {e}"),
            )
        })?;
    Ok((resp, protocol))
}

fn error_response(e: &ApiError) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(e.to_status().to_string())));
    *resp.status_mut() = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// A JSON string literal (for building Status bodies field by field).
fn jstr(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

// The channel-3 Status bodies are written field by field because the API server (Go) emits
// fields in struct order (metadata, status, message, reason, details, code), which a
// serde_json map (sorted keys) would not reproduce.

/// The channel-3 Status for an exit: Success, or NonZeroExitCode carrying the code, worded
/// as the kubelet does (kubectl turns it into "command terminated with exit code N").
fn exit_status(argv: &[String], code: i32) -> String {
    if code == 0 {
        return r#"{"metadata":{},"status":"Success"}"#.to_string();
    }
    let message = format!(
        "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
        argv.join(" ")
    );
    format!(
        r#"{{"metadata":{{}},"status":"Failure","message":{},"reason":"NonZeroExitCode","details":{{"causes":[{{"reason":"ExitCode","message":"{code}"}}]}}}}"#,
        jstr(&message)
    )
}

/// The channel-3 Status when the exec could not start (the kubelet's InternalError).
fn internal_error_status(message: &str) -> String {
    format!(
        r#"{{"metadata":{{}},"status":"Failure","message":{},"reason":"InternalError","details":{{"causes":[{{"message":{}}}]}},"code":500}}"#,
        jstr(&format!("Internal error occurred: {message}")),
        jstr(message)
    )
}
