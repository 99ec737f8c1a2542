//! The disruption controller: keeps each PodDisruptionBudget's `status` (expected, healthy and
//! desired pods, the disruptions allowed and the `DisruptionAllowed` condition) true as its pods
//! come, become ready and go, the way `kubectl get pdb` shows it; and the eviction's check of it.

use super::status::ts;
use super::workloads::is_ready;
use super::Ctx;
use crate::cluster::Cluster;
use crate::error::ApiError;
use crate::selector::LabelSelector;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Recompute the status of every budget in `ns`.
pub fn budgets(ctx: &mut Ctx, ns: &str) {
    let store = ctx.cluster.store.clone();
    let pdbs = store.list("poddisruptionbudgets", Some(ns)).1;
    if pdbs.is_empty() {
        return;
    }
    let pods = store.list("pods", Some(ns)).1;
    for pdb in pdbs {
        let Some(name) = pdb.obj["metadata"]["name"].as_str() else {
            continue;
        };
        let selected: Vec<&Value> = match LabelSelector::from_object(&pdb.obj["spec"]["selector"]) {
            // policy/v1: an empty selector selects every pod of the namespace, a missing one none.
            Ok(sel) if pdb.obj["spec"]["selector"].is_object() => pods
                .iter()
                .map(|e| &*e.obj)
                .filter(|p| sel.matches(p["metadata"]["labels"].as_object()))
                .collect(),
            _ => Vec::new(),
        };
        let next = status(ctx, ns, &pdb.obj, &selected);
        ctx.cluster
            .mutate("poddisruptionbudgets", ns, name, |o| merge(o, next));
    }
}

/// The budget's computed status (without times).
fn status(ctx: &Ctx, ns: &str, pdb: &Value, pods: &[&Value]) -> Value {
    let live: Vec<&&Value> = pods
        .iter()
        .filter(|p| !matches!(p["status"]["phase"].as_str(), Some("Succeeded" | "Failed")))
        .collect();
    let healthy = live
        .iter()
        .filter(|p| p["metadata"]["deletionTimestamp"].is_null() && is_ready(p))
        .count() as i64;
    let spec = &pdb["spec"];
    let (expected, desired) = match (&spec["minAvailable"], &spec["maxUnavailable"]) {
        (Value::Number(n), _) => (live.len() as i64, n.as_i64().unwrap_or(0)),
        (Value::String(p), _) => {
            let expected = scale(ctx, ns, &live);
            (expected, percent_of(p, expected))
        }
        (_, v) if !v.is_null() => {
            let expected = scale(ctx, ns, &live);
            let max = match v {
                Value::String(p) => percent_of(p, expected),
                other => other.as_i64().unwrap_or(0),
            };
            (expected, (expected - max).max(0))
        }
        _ => (live.len() as i64, 0),
    };
    let allowed = (healthy - desired).max(0);
    let generation = pdb["metadata"]["generation"].as_i64().unwrap_or(1);
    let (state, reason) = if allowed > 0 {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    json!({
        "observedGeneration": generation,
        "disruptionsAllowed": allowed,
        "currentHealthy": healthy,
        "desiredHealthy": desired,
        "expectedPods": expected,
        "conditions": [{
            "type": "DisruptionAllowed", "status": state, "reason": reason, "message": "",
            "observedGeneration": generation,
        }],
    })
}

/// Keep the stored condition's transition time while its status stays the same.
fn merge(o: &mut Value, mut next: Value) {
    let old = &o["status"]["conditions"][0];
    let same = old["status"] == next["conditions"][0]["status"];
    let when = match old["lastTransitionTime"].as_str() {
        Some(t) if same => t.to_string(),
        _ => ts(chrono::Utc::now()),
    };
    next["conditions"][0]["lastTransitionTime"] = json!(when);
    o["status"] = next;
}

/// `"50%"` of `total`, rounded up as the real controller rounds both fields.
fn percent_of(p: &str, total: i64) -> i64 {
    let pct = p.trim_end_matches('%').parse::<i64>().unwrap_or(0);
    (pct * total + 99) / 100
}

/// The replicas the pods' controllers ask for (a Deployment's rather than its ReplicaSet's), as
/// the real controller counts the expected pods of a percentage or maxUnavailable budget.
fn scale(ctx: &Ctx, ns: &str, pods: &[&&Value]) -> i64 {
    let store = &ctx.cluster.store;
    let mut scales: BTreeMap<String, i64> = BTreeMap::new();
    for p in pods {
        let Some(owner) = controller_of(p) else {
            continue;
        };
        let name = owner["name"].as_str().unwrap_or_default();
        let found =
            match owner["kind"].as_str() {
                Some("ReplicaSet") => store.get("replicasets", ns, name).map(|rs| {
                    match controller_of(&rs.obj)
                        .filter(|d| d["kind"] == "Deployment")
                        .and_then(|d| {
                            store.get("deployments", ns, d["name"].as_str().unwrap_or_default())
                        }) {
                        Some(d) => (*d.obj).clone(),
                        None => (*rs.obj).clone(),
                    }
                }),
                Some("StatefulSet") => store
                    .get("statefulsets", ns, name)
                    .map(|s| (*s.obj).clone()),
                _ => None,
            };
        if let Some(c) = found {
            let uid = c["metadata"]["uid"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            scales.insert(uid, c["spec"]["replicas"].as_i64().unwrap_or(1));
        }
    }
    scales.values().sum()
}

fn controller_of(obj: &Value) -> Option<&Value> {
    obj["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"] == true)
}

/// Admit an eviction of `pod` as the API server does: refused with 429 when its budget allows no
/// more disruptions (an unready pod only needs the budget's healthy count met), and otherwise
/// takes one allowed disruption at once, so a second eviction right after is judged by it.
pub fn admit_eviction(cluster: &Cluster, ns: &str, pod: &Value) -> Result<(), ApiError> {
    if pod["metadata"]["deletionTimestamp"].is_string() || pod["status"]["phase"] != "Running" {
        return Ok(());
    }
    let labels = pod["metadata"]["labels"].as_object();
    let budgets: Vec<_> = cluster
        .store
        .list("poddisruptionbudgets", Some(ns))
        .1
        .into_iter()
        .filter(|b| {
            b.obj["spec"]["selector"].is_object()
                && LabelSelector::from_object(&b.obj["spec"]["selector"])
                    .is_ok_and(|s| s.matches(labels))
        })
        .collect();
    let budget = match budgets.as_slice() {
        [] => return Ok(()),
        [one] => one,
        _ => {
            return Err(ApiError::new(
                500,
                "InternalError",
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ))
        }
    };
    let name = budget.obj["metadata"]["name"].as_str().unwrap_or_default();
    let st = &budget.obj["status"];
    let allowed = st["disruptionsAllowed"].as_i64().unwrap_or(0);
    let healthy = st["currentHealthy"].as_i64().unwrap_or(0);
    let desired = st["desiredHealthy"].as_i64().unwrap_or(0);
    if !is_ready(pod) && healthy >= desired {
        return Ok(());
    }
    if allowed <= 0 {
        return Err(ApiError::new(
            429,
            "TooManyRequests",
            "Cannot evict pod as it would violate the pod's disruption budget.",
        )
        .with_details(json!({"causes": [{
            "reason": "DisruptionBudget",
            "message": format!("The disruption budget {name} needs {desired} healthy pods and has {healthy} currently"),
        }]})));
    }
    cluster.mutate("poddisruptionbudgets", ns, name, |o| {
        o["status"]["disruptionsAllowed"] = json!(allowed - 1);
    });
    Ok(())
}
