//! Discovery documents: /version, /api, /api/v1, /apis, /apis/GROUP[/VERSION] (legacy, unaggregated:
//! clients that ask for aggregated discovery fall back to these when the reply is plain JSON).

use super::body::json_response;
use super::{Body, Server};
use crate::resources::{groups, ResourceDef, RESOURCES};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn handle(server: &Arc<Server>, path: &str, req: &Request<Incoming>) -> Option<Response<Body>> {
    if req.method() != hyper::Method::GET {
        return None;
    }
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let v = match segs.as_slice() {
        ["version"] => version(),
        ["api"] => json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server.address}]
        }),
        ["api", "v1"] => resource_list("", "v1"),
        ["apis"] => json!({
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": groups().iter().map(|(g, v)| group(g, v)).collect::<Vec<_>>()
        }),
        ["apis", g] => {
            let (g, v) = groups().into_iter().find(|(x, _)| x == g)?;
            let mut doc = group(g, v);
            doc["kind"] = json!("APIGroup");
            doc["apiVersion"] = json!("v1");
            doc
        }
        ["apis", g, v] if groups().iter().any(|(x, y)| x == g && y == v) => resource_list(g, v),
        _ => return None,
    };
    Some(json_response(200, &v))
}

pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "32",
        "gitVersion": "v1.32.4",
        "gitCommit": "59526cd4867447956156ae3a602fcbac5d2d6e5e",
        "gitTreeState": "clean",
        "buildDate": "2025-04-22T16:03:40Z",
        "goVersion": "go1.23.6",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

fn group(g: &str, v: &str) -> Value {
    let gv = json!({"groupVersion": format!("{g}/{v}"), "version": v});
    json!({"name": g, "versions": [gv.clone()], "preferredVersion": gv})
}

fn resource_list(g: &str, v: &str) -> Value {
    let mut resources = Vec::new();
    for r in RESOURCES.iter().filter(|r| r.group == g && r.version == v) {
        resources.push(resource(r));
        for sub in r.subresources {
            resources.push(subresource(r, sub));
        }
    }
    let gv = if g.is_empty() {
        v.to_string()
    } else {
        format!("{g}/{v}")
    };
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}

fn resource(r: &ResourceDef) -> Value {
    let mut v = json!({
        "name": r.plural,
        "singularName": r.singular,
        "namespaced": r.namespaced,
        "kind": r.kind,
        "verbs": r.verbs,
    });
    if !r.short_names.is_empty() {
        v["shortNames"] = json!(r.short_names);
    }
    if !r.categories.is_empty() {
        v["categories"] = json!(r.categories);
    }
    if r.key().is_some() {
        // Any stable value does: clients use it only to notice storage changes.
        v["storageVersionHash"] = json!(format!(
            "{:x}",
            r.kind.len() * 7919 + r.plural.len() * 104729
        ));
    }
    v
}

fn subresource(r: &ResourceDef, sub: &str) -> Value {
    let (kind, verbs): (&str, &[&str]) = match sub {
        "status" => (r.kind, &["get", "patch", "update"]),
        "scale" => ("Scale", &["get", "patch", "update"]),
        "log" => ("Pod", &["get"]),
        "exec" | "attach" | "portforward" => ("PodExecOptions", &["create", "get"]),
        "proxy" => (
            "PodProxyOptions",
            &["create", "delete", "get", "patch", "update"],
        ),
        "eviction" => ("Eviction", &["create"]),
        "binding" => ("Binding", &["create"]),
        "token" => ("TokenRequest", &["create"]),
        "finalize" => (r.kind, &["update"]),
        _ => (r.kind, &["get", "patch", "update"]),
    };
    let kind = if sub == "portforward" {
        "PodPortForwardOptions"
    } else if sub == "attach" {
        "PodAttachOptions"
    } else {
        kind
    };
    let mut v = json!({"name": format!("{}/{sub}", r.plural), "singularName": "", "namespaced": r.namespaced, "kind": kind, "verbs": verbs});
    if sub == "scale" {
        v["group"] = json!("autoscaling");
        v["version"] = json!("v1");
    }
    v
}
