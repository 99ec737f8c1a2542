//! The churn generator: creates and deletes `rate` pods per second across the scenario's
//! namespaces (for the P4 benchmark: watches under load).

use crate::cluster::{Cluster, DeleteOpts};
use crate::resources;
use serde_json::json;
use std::collections::VecDeque;
use std::time::Duration;

pub async fn churn(cluster: Cluster, rate: u32, namespaces: Vec<String>) {
    if rate == 0 || namespaces.is_empty() {
        return;
    }
    let Some(def) = resources::by_storage("pods") else {
        return;
    };
    let mut live: VecDeque<(String, String)> = VecDeque::new();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let per_tick = (rate as f64 / 10.0).max(0.1);
    let mut credit = 0.0;
    let mut i: u64 = 0;
    loop {
        tick.tick().await;
        credit += per_tick;
        while credit >= 1.0 {
            credit -= 1.0;
            i += 1;
            let ns = &namespaces[(i as usize) % namespaces.len()];
            let pod = json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"generateName": "churn-", "labels": {"app": "churn", "kterm.io/churn": "true"}},
                "spec": {"nodeName": format!("node-{}", i % 3 + 1), "restartPolicy": "Always",
                    "containers": [{"name": "app", "image": "registry.example.local/churn:1.0", "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]},
                "status": {"phase": "Running", "podIP": format!("10.250.{}.{}", (i / 250) % 250, i % 250 + 1)}});
            if let Ok(e) = cluster.create(def, ns, pod, false) {
                let name = e.obj["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                live.push_back((ns.clone(), name));
            }
            if live.len() > rate as usize * 5 {
                if let Some((ns, name)) = live.pop_front() {
                    let _ = cluster.delete(
                        def,
                        &ns,
                        &name,
                        &DeleteOpts {
                            grace: Some(0),
                            ..Default::default()
                        },
                    );
                }
            }
        }
    }
}
