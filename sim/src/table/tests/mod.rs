//! Tests of the Table printers. Expected strings are what kubectl 1.32 shows
//! against a real kube-apiserver for the same objects.

use super::*;
use chrono::{Duration, TimeZone};
use serde_json::json;

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 10, 12, 0, 0)
        .single()
        .expect("valid date")
}

pub(super) fn ago(d: Duration) -> String {
    (now() - d).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A pod with the given phase and container statuses (one spec container per status).
pub(super) fn pod(phase: &str, statuses: Value) -> Value {
    let containers: Vec<Value> = statuses
        .as_array()
        .map(|s| {
            s.iter()
                .map(|c| json!({"name": c["name"], "image": "x"}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "p", "namespace": "default", "creationTimestamp": ago(Duration::minutes(5))},
        "spec": {"containers": containers},
        "status": {"phase": phase, "containerStatuses": statuses},
    })
}

pub(super) fn running(name: &str, ready: bool) -> Value {
    json!({"name": name, "ready": ready, "restartCount": 0, "state": {"running": {"startedAt": ago(Duration::minutes(4))}}})
}
pub(super) fn waiting(name: &str, reason: &str) -> Value {
    json!({"name": name, "ready": false, "restartCount": 0, "state": {"waiting": {"reason": reason}}})
}
pub(super) fn terminated(name: &str, reason: &str, exit: i64, signal: i64) -> Value {
    let mut t = json!({"exitCode": exit});
    if !reason.is_empty() {
        t["reason"] = json!(reason);
    }
    if signal != 0 {
        t["signal"] = json!(signal);
    }
    json!({"name": name, "ready": false, "restartCount": 0, "state": {"terminated": t}})
}

/// A pod in init: `inits` are (spec, status) pairs; one regular container waiting PodInitializing.
pub(super) fn init_pod(inits: Vec<(Value, Value)>, conditions: Value) -> Value {
    let (specs, statuses): (Vec<Value>, Vec<Value>) = inits.into_iter().unzip();
    json!({
        "metadata": {"name": "p", "creationTimestamp": ago(Duration::minutes(5))},
        "spec": {"initContainers": specs, "containers": [{"name": "app", "image": "x"}]},
        "status": {
            "phase": "Pending",
            "conditions": conditions,
            "initContainerStatuses": statuses,
            "containerStatuses": [waiting("app", "PodInitializing")],
        },
    })
}
pub(super) fn init_spec(name: &str) -> Value {
    json!({"name": name, "image": "x"})
}
pub(super) fn sidecar_spec(name: &str) -> Value {
    json!({"name": name, "image": "x", "restartPolicy": "Always"})
}
pub(super) fn with_started(mut status: Value, started: bool) -> Value {
    status["started"] = json!(started);
    status
}

pub(super) fn set(mut v: Value, path: &[&str], value: Value) -> Value {
    let mut cur = &mut v;
    for key in path {
        cur = &mut cur[*key];
    }
    *cur = value;
    v
}

mod pods;
mod resources;
