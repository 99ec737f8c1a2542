//! Events as the real components emit them, aggregated like the event recorder does
//! (the same object, reason and message bump `count` and `lastTimestamp`).

use super::status::{hex, ts};
use crate::cluster::Cluster;
use crate::resources;
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(Default)]
pub struct Recorder {
    /// (involved uid, reason, message) → event name.
    seen: HashMap<(String, String, String), (String, String)>,
    seq: u64,
    /// Quiet while a scenario loads: a real cluster keeps no events about hours-old starts.
    pub muted: bool,
}

/// Who emits an event.
#[derive(Clone, Copy)]
pub enum Source {
    Kubelet,
    Scheduler,
    Controller(&'static str),
    /// A node-local daemon reporting about its Node (node-problem-detector's `kernel-monitor`).
    NodeMonitor(&'static str),
}

/// When an event happened and how often: a back-dated history instead of "once, now".
#[derive(Clone, Copy)]
pub struct Past {
    pub first: chrono::DateTime<chrono::Utc>,
    pub last: chrono::DateTime<chrono::Utc>,
    pub count: i64,
}

impl Recorder {
    /// Record an event about `obj`.
    pub fn emit(
        &mut self,
        cluster: &Cluster,
        obj: &Value,
        ty: &str,
        reason: &str,
        message: &str,
        source: Source,
    ) {
        if self.muted {
            return;
        }
        self.record(cluster, obj, ty, reason, message, source, None);
    }

    /// Record an event that already happened `past.count` times (scenario history), even while
    /// muted; later occurrences of the same event bump it.
    #[allow(clippy::too_many_arguments)]
    pub fn emit_past(
        &mut self,
        cluster: &Cluster,
        obj: &Value,
        ty: &str,
        reason: &str,
        message: &str,
        source: Source,
        past: Past,
    ) {
        self.record(cluster, obj, ty, reason, message, source, Some(past));
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        cluster: &Cluster,
        obj: &Value,
        ty: &str,
        reason: &str,
        message: &str,
        source: Source,
        past: Option<Past>,
    ) {
        let m = &obj["metadata"];
        let uid = m["uid"].as_str().unwrap_or_default().to_string();
        let ns = m["namespace"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .to_string();
        let now = ts(chrono::Utc::now());
        let key = (uid.clone(), reason.to_string(), message.to_string());
        if let Some((ens, name)) = self.seen.get(&key).filter(|_| past.is_none()) {
            let bumped = cluster.mutate("events", ens, name, |e| {
                let n = e["count"].as_i64().unwrap_or(1);
                e["count"] = json!(n + 1);
                e["lastTimestamp"] = json!(now);
            });
            if bumped.is_some() {
                return;
            }
        }
        self.seq += 1;
        let name = format!(
            "{}.{}",
            m["name"].as_str().unwrap_or("object"),
            &hex(&format!("{uid}{reason}{}", self.seq), 16)
        );
        let (component, host) = match source {
            Source::Kubelet => (
                "kubelet",
                obj["spec"]["nodeName"].as_str().map(str::to_string),
            ),
            Source::Scheduler => ("default-scheduler", None),
            Source::Controller(c) => (c, None),
            Source::NodeMonitor(c) => (c, m["name"].as_str().map(str::to_string)),
        };
        let mut src = json!({"component": component});
        if let Some(h) = &host {
            src["host"] = json!(h);
        }
        let mut involved = json!({
            "kind": obj["kind"], "namespace": m["namespace"], "name": m["name"], "uid": uid,
            "apiVersion": obj["apiVersion"], "resourceVersion": m["resourceVersion"],
        });
        if obj["kind"] == "Pod" {
            if let Some(c) = obj["spec"]["containers"][0]["name"].as_str() {
                if matches!(
                    reason,
                    "Pulling"
                        | "Pulled"
                        | "Created"
                        | "Started"
                        | "Killing"
                        | "BackOff"
                        | "Unhealthy"
                        | "Failed"
                ) {
                    involved["fieldPath"] = json!(format!("spec.containers{{{c}}}"));
                }
            }
        }
        let ev = json!({
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": ns},
            "involvedObject": involved,
            "reason": reason, "message": message, "type": ty,
            "source": src, "count": past.map_or(1, |p| p.count.max(1)),
            "firstTimestamp": past.map_or_else(|| now.clone(), |p| ts(p.first)),
            "lastTimestamp": past.map_or_else(|| now.clone(), |p| ts(p.last)),
            "eventTime": null,
            "reportingComponent": component, "reportingInstance": host.unwrap_or_default(),
        });
        if let Some(def) = resources::by_storage("events") {
            if cluster.create(def, &ns, ev, false).is_ok() {
                self.seen.insert(key, (ns, name));
            }
        }
    }

    /// Forget events older than an hour (a real cluster's event TTL).
    pub fn prune(&mut self, cluster: &Cluster) {
        let cutoff = chrono::Utc::now() - chrono::Duration::hours(1);
        let (_, all) = cluster.store.list("events", None);
        for e in all {
            let last = e.obj["lastTimestamp"]
                .as_str()
                .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok());
            if last.is_some_and(|l| l < cutoff) {
                let m = &e.obj["metadata"];
                cluster.store.remove(
                    "events",
                    m["namespace"].as_str().unwrap_or_default(),
                    m["name"].as_str().unwrap_or_default(),
                );
            }
        }
        self.seen
            .retain(|_, (ns, name)| cluster.store.get("events", ns, name).is_some());
    }
}
