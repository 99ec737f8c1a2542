//! Faults switchable at runtime and the request log, both under `/_sim/` (no auth: loopback only).
//!
//! - `GET /_sim/requests[?since=N]` → `{"next": N, "requests": [{method, path, query, status, micros}]}`
//! - `DELETE /_sim/requests` clears the log.
//! - `GET /_sim/faults` → the current faults; `POST /_sim/faults` with any of
//!   `{"latencyMs": 200, "errorRate": 0.1, "refuseSeconds": 5, "unauthorizedToken": "t",
//!     "dropWatches": true, "compact": true, "cutLogs": true}` (0 / null turns a fault off).
//!   `cutLogs` breaks every log stream in flight at once, as a dropped connection does (the body
//!   ends with an error, not a clean end); streams opened afterwards are unaffected.

use super::body::{error_response, json_response};
use super::rest::raw_body;
use super::{Body, Server};
use crate::error::ApiError;
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Faults injected into request handling.
#[derive(Default)]
pub struct Faults {
    latency_ms: AtomicU64,
    /// Error rate in parts per million.
    error_ppm: AtomicU64,
    refuse_until: Mutex<Option<Instant>>,
    unauthorized_token: Mutex<Option<String>>,
    /// Bumped by `cutLogs`; every open log stream watches it.
    log_cuts: tokio::sync::watch::Sender<u64>,
}

impl Faults {
    pub fn refusing(&self) -> bool {
        let g = self.refuse_until.lock().unwrap_or_else(|e| e.into_inner());
        g.is_some_and(|t| Instant::now() < t)
    }

    /// What a log stream opened now watches: a change means the stream is cut.
    pub fn log_cuts(&self) -> tokio::sync::watch::Receiver<u64> {
        self.log_cuts.subscribe()
    }

    /// Apply latency, random errors and token refusals to one request.
    pub async fn before_request(&self, token: Option<&str>) -> Result<(), ApiError> {
        let ms = self.latency_ms.load(Ordering::Relaxed);
        if ms > 0 {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        let bad = self
            .unauthorized_token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if bad.is_some() && bad.as_deref() == token {
            return Err(ApiError::unauthorized());
        }
        let ppm = self.error_ppm.load(Ordering::Relaxed);
        if ppm > 0 && rand::random_range(0..1_000_000) < ppm {
            return Err(ApiError::new(
                500,
                "InternalError",
                "Internal error occurred: simulated fault (kterm-sim error rate)",
            ));
        }
        Ok(())
    }

    fn set(&self, v: &Value, server: &Server) {
        if let Some(ms) = v.get("latencyMs") {
            self.latency_ms
                .store(ms.as_u64().unwrap_or(0), Ordering::Relaxed);
        }
        if let Some(r) = v.get("errorRate") {
            self.error_ppm.store(
                (r.as_f64().unwrap_or(0.0).clamp(0.0, 1.0) * 1e6) as u64,
                Ordering::Relaxed,
            );
        }
        if let Some(s) = v.get("refuseSeconds") {
            let until = s
                .as_f64()
                .filter(|s| *s > 0.0)
                .map(|s| Instant::now() + Duration::from_secs_f64(s));
            *self.refuse_until.lock().unwrap_or_else(|e| e.into_inner()) = until;
        }
        if let Some(t) = v.get("unauthorizedToken") {
            *self
                .unauthorized_token
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = t.as_str().map(str::to_string);
        }
        if v.get("compact") == Some(&Value::Bool(true)) {
            server.cluster.store.compact();
        }
        if v.get("dropWatches") == Some(&Value::Bool(true)) {
            server.cluster.store.drop_watches();
        }
        if v.get("cutLogs") == Some(&Value::Bool(true)) {
            self.log_cuts.send_modify(|n| *n += 1);
        }
    }

    fn to_json(&self) -> Value {
        let refuse = self
            .refuse_until
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .map(|t| t.saturating_duration_since(Instant::now()).as_secs_f64());
        json!({
            "latencyMs": self.latency_ms.load(Ordering::Relaxed),
            "errorRate": self.error_ppm.load(Ordering::Relaxed) as f64 / 1e6,
            "refuseSeconds": refuse.unwrap_or(0.0),
            "unauthorizedToken": *self.unauthorized_token.lock().unwrap_or_else(|e| e.into_inner()),
        })
    }
}

/// One served request.
#[derive(Debug, Clone)]
struct Logged {
    method: String,
    path: String,
    query: String,
    status: u16,
    micros: u128,
}

/// Every request served, oldest first (capped).
#[derive(Default)]
pub struct RequestLog {
    entries: Mutex<(u64, std::collections::VecDeque<Logged>)>,
}

const LOG_CAP: usize = 100_000;

impl RequestLog {
    pub fn record(&self, method: &str, path: &str, query: &str, status: u16, took: Duration) {
        let mut g = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if g.1.len() >= LOG_CAP {
            g.1.pop_front();
            g.0 += 1;
        }
        g.1.push_back(Logged {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            status,
            micros: took.as_micros(),
        });
    }

    fn to_json(&self, since: u64) -> Value {
        let g = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (dropped, list) = (&g.0, &g.1);
        let skip = since.saturating_sub(*dropped) as usize;
        let items: Vec<Value> = list
            .iter()
            .skip(skip)
            .map(|l| json!({"method": l.method, "path": l.path, "query": l.query, "status": l.status, "micros": l.micros as u64}))
            .collect();
        json!({"next": dropped + list.len() as u64, "requests": items})
    }

    fn clear(&self) {
        let mut g = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        g.0 += g.1.len() as u64;
        g.1.clear();
    }
}

pub async fn handle(server: &Arc<Server>, rest: &str, req: Request<Incoming>) -> Response<Body> {
    let query = req.uri().query().unwrap_or_default().to_string();
    let method = req.method().clone();
    match (method, rest) {
        (Method::GET, "requests") => {
            let since = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("since="))
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            json_response(200, &server.log.to_json(since))
        }
        (Method::DELETE, "requests") => {
            server.log.clear();
            json_response(200, &json!({}))
        }
        (Method::GET, "faults") => json_response(200, &server.faults.to_json()),
        (Method::POST, "faults") => {
            let body = raw_body(req).await;
            match serde_json::from_slice::<Value>(&body) {
                Ok(v) => {
                    server.faults.set(&v, server);
                    json_response(200, &server.faults.to_json())
                }
                Err(e) => error_response(&ApiError::bad_request(format!(
                    "faults body is not JSON: {e}"
                ))),
            }
        }
        _ => error_response(&ApiError::new(
            404,
            "NotFound",
            format!("no simulator endpoint /_sim/{rest}"),
        )),
    }
}
