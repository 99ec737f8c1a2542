//! TEMPORARY placeholder: replaced by the real implementation from wip-exec.
use crate::error::ApiError;
use bytes::Bytes;
use http_body_util::Full;
use std::path::PathBuf;
pub struct ExecRequest { pub command: Vec<String>, pub stdin: bool, pub stdout: bool, pub stderr: bool, pub tty: bool, pub sandbox: PathBuf, pub workdir: String, pub env: Vec<(String, String)> }
impl ExecRequest { pub fn from_query(_pairs: &[(String, String)], sandbox: PathBuf) -> Result<Self, ApiError> { Ok(ExecRequest { command: vec![], stdin: false, stdout: true, stderr: true, tty: false, sandbox, workdir: "/".into(), env: vec![] }) } }
pub fn is_websocket(_req: &hyper::Request<hyper::body::Incoming>) -> bool { false }
pub fn serve(_req: hyper::Request<hyper::body::Incoming>, _exec: ExecRequest) -> hyper::Response<Full<Bytes>> { hyper::Response::new(Full::new(Bytes::new())) }
