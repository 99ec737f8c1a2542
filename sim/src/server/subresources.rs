//! Subresources: pods/log, pods/exec and attach, status, scale, eviction; plus the computed
//! metrics.k8s.io objects and the events.k8s.io/v1 view of core events.

use super::body::{bytes_response, cuttable_response, json_response, BodyError};
use super::rest::{content_kind, raw_body, read_body, Query};
use super::route::Route;
use super::{Body, Server};
use crate::cluster::{DeleteOpts, Part};
use crate::error::ApiError;
use crate::logs::{log_stream, LogOpts};
use crate::resources::ResourceDef;
use crate::selector::LabelSelector;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;

pub async fn handle(
    server: &Arc<Server>,
    def: &'static ResourceDef,
    route: &Route,
    sub: &str,
    q: Query,
    req: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let ns = route.namespace.clone().unwrap_or_default();
    let name = route.name.clone().unwrap_or_default();
    match (sub, req.method().clone()) {
        ("log", Method::GET) => log(server, def, &ns, &name, &q),
        ("exec" | "attach", _) => exec(server, def, &ns, &name, sub, &q, req),
        ("status", Method::GET) => Ok(bytes_response(
            200,
            server.cluster.get(def, &ns, &name)?.json,
        )),
        ("status", Method::PUT) => {
            let body = read_body(req).await?;
            Ok(bytes_response(
                200,
                server
                    .cluster
                    .update(def, &ns, &name, body, Part::Status)?
                    .json,
            ))
        }
        ("status", Method::PATCH) => {
            let kind = content_kind(&req)?;
            let raw = raw_body(req).await;
            Ok(bytes_response(
                200,
                server
                    .cluster
                    .patch(def, &ns, &name, &raw, kind, Part::Status)?
                    .json,
            ))
        }
        ("scale", m) => scale(server, def, &ns, &name, m, req).await,
        ("eviction", Method::POST) => {
            let pod = server.cluster.get(def, &ns, &name)?;
            crate::controllers::disruption::admit_eviction(&server.cluster, &ns, &pod.obj)?;
            server
                .cluster
                .delete(def, &ns, &name, &DeleteOpts::default())?;
            Ok(json_response(
                201,
                &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}),
            ))
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn log(
    server: &Server,
    def: &ResourceDef,
    ns: &str,
    name: &str,
    q: &Query,
) -> Result<Response<Body>, ApiError> {
    let pod = server.cluster.get(def, ns, name)?;
    let opts = LogOpts::from_query(q)?;
    let store = server.cluster.store.clone();
    let uid = pod.obj["metadata"]["uid"].clone();
    let container = opts.container.clone().or_else(|| {
        pod.obj["spec"]["containers"][0]["name"]
            .as_str()
            .map(str::to_string)
    });
    let restarts = restart_count(&pod.obj, container.as_deref());
    let (ns2, name2) = (ns.to_string(), name.to_string());
    // A followed log ends when the pod goes or its container restarts or exits, as the
    // kubelet's does.
    let alive = Arc::new(move || match store.get("pods", &ns2, &name2) {
        Some(p) => {
            p.obj["metadata"]["uid"] == uid
                && restart_count(&p.obj, container.as_deref()) == restarts
                && !terminated(&p.obj, container.as_deref())
        }
        None => false,
    });
    let stream = log_stream(&pod.obj, &opts, server.log_rate, chrono::Utc::now(), alive)?;
    let cuts = server.faults.log_cuts();
    Ok(cuttable_response("text/plain", stream, cuts))
}

fn restart_count(pod: &Value, container: Option<&str>) -> i64 {
    let statuses = pod["status"]["containerStatuses"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            pod["status"]["initContainerStatuses"]
                .as_array()
                .into_iter()
                .flatten(),
        );
    statuses
        .filter(|s| container.is_none_or(|c| s["name"] == c))
        .map(|s| s["restartCount"].as_i64().unwrap_or(0))
        .sum()
}

/// A job's (or init) container that exited stays terminated: no restart ends its followers.
fn terminated(pod: &Value, container: Option<&str>) -> bool {
    ["containerStatuses", "initContainerStatuses"]
        .iter()
        .filter_map(|list| pod["status"][list].as_array())
        .flatten()
        .filter(|s| container.is_none_or(|c| s["name"] == c))
        .any(|s| s["state"]["terminated"].is_object())
}

fn exec(
    server: &Server,
    def: &ResourceDef,
    ns: &str,
    name: &str,
    sub: &str,
    q: &Query,
    req: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let pod = server.cluster.get(def, ns, name)?;
    let phase = pod.obj["status"]["phase"].as_str().unwrap_or_default();
    if matches!(phase, "Succeeded" | "Failed") {
        return Err(ApiError::bad_request(format!(
            "cannot {sub} into a container in a completed pod; current phase is {phase}"
        )));
    }
    let containers: Vec<&str> = pod.obj["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let container = match q
        .iter()
        .find(|(k, _)| k == "container")
        .map(|(_, v)| v.as_str())
    {
        Some(c) => c.to_string(),
        None if containers.len() == 1 => containers[0].to_string(),
        None => {
            return Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            )))
        }
    };
    let running = pod.obj["status"]["containerStatuses"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["name"] == container.as_str() && s["state"]["running"].is_object());
    if !running {
        return Err(ApiError::bad_request(format!(
            "unable to upgrade connection: container not found (\"{container}\")"
        )));
    }
    let sandbox = sandbox(server, &pod.obj, &container).map_err(|e| {
        ApiError::new(
            500,
            "InternalError",
            format!("Internal error occurred: cannot prepare the container's sandbox: {e}"),
        )
    })?;
    let mut req_exec = if sub == "attach" {
        crate::exec::ExecRequest::for_attach(q, sandbox)?
    } else {
        crate::exec::ExecRequest::from_query(q, sandbox)?
    };
    let spec = pod.obj["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == container.as_str())
        .cloned()
        .unwrap_or_default();
    req_exec.env = spec["env"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e["name"].as_str()?.to_string(),
                e["value"].as_str().unwrap_or_default().to_string(),
            ))
        })
        .collect();
    req_exec.env.push(("HOSTNAME".into(), name.to_string()));
    if let Some(wd) = spec["workingDir"].as_str() {
        req_exec.workdir = wd.to_string();
    }
    if !crate::exec::is_websocket(&req) {
        return Err(ApiError::bad_request("kterm-sim serves exec, attach and cp over WebSocket only (kubectl 1.30 or newer); SPDY is not supported"));
    }
    let resp = crate::exec::serve(req, req_exec);
    Ok(resp.map(|b| {
        b.map_err(|never| -> BodyError { match never {} })
            .boxed_unsync()
    }))
}

/// The container's sandbox directory, created and seeded from the scenario's files on first use.
fn sandbox(server: &Server, pod: &Value, container: &str) -> std::io::Result<PathBuf> {
    let m = &pod["metadata"];
    let dir = server
        .sandbox_root
        .join(m["namespace"].as_str().unwrap_or("_"))
        .join(m["name"].as_str().unwrap_or("_"))
        .join(container);
    if dir.exists() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&dir)?;
    for f in &server.files {
        if f.namespace.as_deref().is_some_and(|n| m["namespace"] != n) {
            continue;
        }
        if let Some(sel) = &f.selector {
            if !LabelSelector::parse(sel).is_ok_and(|s| s.matches(m["labels"].as_object())) {
                continue;
            }
        }
        let rel = f.path.trim_start_matches('/');
        let target = dir.join(rel);
        if f.path.ends_with('/') {
            std::fs::create_dir_all(&target)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &f.content)?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(f.mode))?;
    }
    Ok(dir)
}

async fn scale(
    server: &Server,
    def: &ResourceDef,
    ns: &str,
    name: &str,
    method: Method,
    req: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let cur = server.cluster.get(def, ns, name)?;
    let to_scale = |o: &Value| {
        let sel = o["spec"]["selector"]["matchLabels"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let m = &o["metadata"];
        json!({"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": m["name"], "namespace": m["namespace"], "uid": m["uid"], "resourceVersion": m["resourceVersion"], "creationTimestamp": m["creationTimestamp"]},
            "spec": {"replicas": o["spec"]["replicas"]}, "status": {"replicas": o["status"]["replicas"].as_i64().unwrap_or(0), "selector": sel}})
    };
    let scale = to_scale(&cur.obj);
    let wanted = match method {
        Method::GET => return Ok(json_response(200, &scale)),
        Method::PUT => read_body(req).await?,
        Method::PATCH => {
            let kind = content_kind(&req)?;
            let raw = raw_body(req).await;
            crate::patch::apply_patch(&scale, &raw, kind)?
        }
        _ => return Err(ApiError::method_not_allowed()),
    };
    let replicas = wanted["spec"]["replicas"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("spec.replicas is required"))?;
    let key = def.key().ok_or_else(ApiError::method_not_allowed)?;
    let e = server
        .cluster
        .mutate(key, ns, name, |o| o["spec"]["replicas"] = json!(replicas));
    Ok(json_response(
        200,
        &to_scale(&e.map(|e| e.obj).unwrap_or(cur.obj)),
    ))
}

/// PodMetrics or NodeMetrics objects, computed now.
pub fn metrics(server: &Server, def: &ResourceDef, ns: Option<&str>) -> Vec<Value> {
    use crate::controllers::metrics as m;
    let now = chrono::Utc::now();
    // Pods are parsed one at a time: all of them may be 150,000.
    let (_, pods) = server
        .cluster
        .store
        .entries("pods", if def.kind == "PodMetrics" { ns } else { None });
    if def.kind == "PodMetrics" {
        return pods
            .iter()
            .filter_map(|p| m::pod_metrics(&p.value(), now))
            .collect();
    }
    let mut usage = m::NodeUsage::default();
    for p in &pods {
        usage.add(&p.value(), now);
    }
    let (_, nodes) = server.cluster.store.list("nodes", None);
    nodes
        .iter()
        .map(|n| m::node_metrics(&n.obj, &usage, now))
        .collect()
}

/// A core/v1 Event in the events.k8s.io/v1 shape.
pub fn event_v1(e: &Value) -> Value {
    let mut v = json!({
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": e["metadata"],
        "regarding": e["involvedObject"],
        "note": e["message"],
        "reason": e["reason"],
        "type": e["type"],
        "reportingController": e["reportingComponent"].as_str().filter(|s| !s.is_empty()).map(Value::from).unwrap_or_else(|| e["source"]["component"].clone()),
        "reportingInstance": e["reportingInstance"],
        "action": e["action"],
        "eventTime": e["eventTime"],
        "deprecatedSource": e["source"],
        "deprecatedFirstTimestamp": e["firstTimestamp"],
        "deprecatedLastTimestamp": e["lastTimestamp"],
        "deprecatedCount": e["count"],
    });
    if let Some(m) = v.as_object_mut() {
        m.retain(|_, x| !x.is_null());
    }
    v
}
