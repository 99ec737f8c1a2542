//! Endpoints and EndpointSlices follow the readiness of the pods a Service selects.

use super::status::hex;
use super::workloads::is_ready;
use super::Ctx;
use crate::resources;
use crate::selector::LabelSelector;
use serde_json::{json, Value};

pub fn endpoints(ctx: &mut Ctx, ns: &str) {
    let pods = ctx.cluster.store.list("pods", Some(ns)).1;
    for svc in ctx.cluster.store.list("services", Some(ns)).1 {
        let svc = svc.obj;
        let Some(sel) = svc["spec"]["selector"]
            .as_object()
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let sel = LabelSelector::from_map(sel);
        let name = svc["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut ready = Vec::new();
        let mut not_ready = Vec::new();
        let mut slice_eps = Vec::new();
        // A named targetPort resolves in the selected pods only (another workload in the
        // namespace may use the same port name for another number).
        let selected: Vec<&Value> = pods
            .iter()
            .map(|p| &*p.obj)
            .filter(|p| sel.matches(p["metadata"]["labels"].as_object()))
            .collect();
        for &p in &selected {
            let Some(ip) = p["status"]["podIP"].as_str() else {
                continue;
            };
            let terminating = p["metadata"]["deletionTimestamp"].is_string();
            let ok = is_ready(p) && !terminating;
            let target = json!({"kind": "Pod", "namespace": ns, "name": p["metadata"]["name"], "uid": p["metadata"]["uid"]});
            let addr = json!({"ip": ip, "nodeName": p["spec"]["nodeName"], "targetRef": target});
            if ok {
                ready.push(addr)
            } else if !terminating {
                not_ready.push(addr)
            }
            slice_eps.push(json!({"addresses": [ip], "conditions": {"ready": ok, "serving": is_ready(p), "terminating": terminating}, "targetRef": target, "nodeName": p["spec"]["nodeName"]}));
        }
        let ports: Vec<Value> = svc["spec"]["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let target = match &p["targetPort"] {
                    Value::Number(n) => json!(n),
                    Value::String(s) => named_port(&selected, s)
                        .map(|n| json!(n))
                        .unwrap_or(p["port"].clone()),
                    _ => p["port"].clone(),
                };
                let mut o = json!({"port": target, "protocol": p["protocol"]});
                if let Some(n) = p["name"].as_str() {
                    o["name"] = json!(n);
                }
                o
            })
            .collect();
        let mut subset = json!({"ports": ports});
        if !ready.is_empty() {
            subset["addresses"] = json!(ready);
        }
        if !not_ready.is_empty() {
            subset["notReadyAddresses"] = json!(not_ready);
        }
        let subsets = if ready.is_empty() && not_ready.is_empty() {
            json!(null)
        } else {
            json!([subset])
        };
        upsert(
            ctx,
            "endpoints",
            ns,
            &name,
            json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": ns, "labels": svc["metadata"]["labels"]}, "subsets": subsets}),
            |o, n| o["subsets"] = n["subsets"].clone(),
        );
        let slice_name = format!("{name}-{}", &hex(&name, 5));
        let slice = json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": slice_name, "namespace": ns, "labels": {"kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
                "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": name, "uid": svc["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true}]},
            "endpoints": slice_eps, "ports": ports});
        upsert(ctx, "endpointslices", ns, &slice_name, slice, |o, n| {
            o["endpoints"] = n["endpoints"].clone();
            o["ports"] = n["ports"].clone();
        });
    }
}

fn named_port(pods: &[&Value], name: &str) -> Option<i64> {
    pods.iter()
        .flat_map(|p| p["spec"]["containers"].as_array().into_iter().flatten())
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .find(|p| p["name"] == name)
        .and_then(|p| p["containerPort"].as_i64())
}

fn upsert(
    ctx: &mut Ctx,
    key: &'static str,
    ns: &str,
    name: &str,
    obj: Value,
    update: impl FnOnce(&mut Value, &Value),
) {
    if ctx.cluster.store.get(key, ns, name).is_some() {
        ctx.cluster.mutate(key, ns, name, |o| update(o, &obj));
    } else if let Some(def) = resources::by_storage(key) {
        let _ = ctx.cluster.create(def, ns, obj, false);
    }
}
