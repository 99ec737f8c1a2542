//! metrics.k8s.io objects computed from pods: usage follows each pod's behaviour, so an `oom`
//! pod's memory climbs toward its limit before the kubelet OOM-kills it.

use super::behavior::Behavior;
use super::status::{parse_bytes, parse_cpu, ts};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Memory in use by a container now, in bytes.
pub fn memory_bytes(pod: &Value, c: &Value, now: DateTime<Utc>) -> f64 {
    let b = Behavior::of(pod);
    let limit = c["resources"]["limits"]["memory"]
        .as_str()
        .and_then(parse_bytes);
    let request = c["resources"]["requests"]["memory"]
        .as_str()
        .and_then(parse_bytes);
    let base = b
        .memory_mb
        .map(|m| m * 1024.0 * 1024.0)
        .or(request.map(|r| r * 0.7))
        .unwrap_or(48.0 * 1024.0 * 1024.0);
    let started = started_at(pod, c["name"].as_str().unwrap_or_default());
    match (b.kind.as_deref(), limit, started) {
        (Some("oom"), Some(limit), Some(s)) => {
            let frac =
                ((now - s).num_milliseconds() as f64 / 1000.0 / b.oom_seconds).clamp(0.0, 1.0);
            base + (limit - base).max(0.0) * frac
        }
        _ => base * (1.0 + 0.03 * wobble(now)),
    }
}

fn wobble(now: DateTime<Utc>) -> f64 {
    ((now.timestamp() / 15) as f64).sin()
}

fn started_at(pod: &Value, container: &str) -> Option<DateTime<Utc>> {
    let s = pod["status"]["containerStatuses"]
        .as_array()?
        .iter()
        .find(|s| s["name"] == container)?;
    s["state"]["running"]["startedAt"].as_str()?.parse().ok()
}

fn cpu_cores(c: &Value, now: DateTime<Utc>) -> f64 {
    let req = c["resources"]["requests"]["cpu"]
        .as_str()
        .and_then(parse_cpu)
        .unwrap_or(0.05);
    (req * (0.35 + 0.1 * wobble(now))).max(0.001)
}

pub fn pod_metrics(pod: &Value, now: DateTime<Utc>) -> Option<Value> {
    if pod["status"]["phase"] != "Running" {
        return None;
    }
    let containers: Vec<Value> = pod["spec"]["containers"]
        .as_array()?
        .iter()
        .map(|c| {
            json!({"name": c["name"], "usage": {
                "cpu": format!("{}n", (cpu_cores(c, now) * 1e9) as u64),
                "memory": format!("{}Ki", (memory_bytes(pod, c, now) / 1024.0) as u64)}})
        })
        .collect();
    let m = &pod["metadata"];
    Some(json!({
        "kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": m["name"], "namespace": m["namespace"], "creationTimestamp": ts(now), "labels": m["labels"]},
        "timestamp": ts(now), "window": "15.012s", "containers": containers
    }))
}

/// What a node uses before its pods: a quarter core and 900 MiB.
const BASE: (f64, f64) = (0.25, 900.0 * 1024.0 * 1024.0);

/// What the running pods use, summed per node (one pass over the pods for every node).
#[derive(Default)]
pub struct NodeUsage(HashMap<String, (f64, f64)>);

impl NodeUsage {
    /// Count a pod if it runs on a node.
    pub fn add(&mut self, pod: &Value, now: DateTime<Utc>) {
        let Some(node) = pod["spec"]["nodeName"].as_str() else {
            return;
        };
        if pod["status"]["phase"] != "Running" {
            return;
        }
        let sum = self.0.entry(node.to_string()).or_insert(BASE);
        for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
            sum.0 += cpu_cores(c, now);
            sum.1 += memory_bytes(pod, c, now);
        }
    }
}

pub fn node_metrics(node: &Value, usage: &NodeUsage, now: DateTime<Utc>) -> Value {
    let name = node["metadata"]["name"].as_str().unwrap_or_default();
    let (cpu, mem) = usage.0.get(name).copied().unwrap_or(BASE);
    json!({
        "kind": "NodeMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": name, "creationTimestamp": ts(now), "labels": node["metadata"]["labels"]},
        "timestamp": ts(now), "window": "20.033s",
        "usage": {"cpu": format!("{}n", (cpu * 1e9) as u64), "memory": format!("{}Ki", (mem / 1024.0) as u64)}
    })
}
