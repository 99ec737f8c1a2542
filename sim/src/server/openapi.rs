//! OpenAPI v3 documents, just enough for kubectl: the index, and per group-version the paths whose
//! operations declare `fieldValidation` (so kubectl validates on the server and needs no schemas).
//! Schemas themselves are not served: kubectl then computes strategic merge patches from its
//! compiled-in types, as it does for any server without them. `/openapi/v2` answers 404.

use super::body::json_response;
use super::Body;
use crate::resources::{groups, ResourceDef, RESOURCES};
use hyper::Response;
use serde_json::{json, Map, Value};

pub fn handle(path: &str, _query: Option<&str>) -> Option<Response<Body>> {
    let rest = path.strip_prefix("/openapi/v3")?;
    let rest = rest.trim_matches('/');
    if rest.is_empty() {
        return Some(json_response(200, &index()));
    }
    let (group, version) = match rest.split('/').collect::<Vec<_>>().as_slice() {
        ["api", v] => ("", v.to_string()),
        ["apis", g, v] => (*g, v.to_string()),
        _ => return None,
    };
    let group = groups()
        .into_iter()
        .map(|(g, _)| g)
        .chain([""])
        .find(|g| *g == group)?;
    Some(json_response(200, &gv_doc(group, &version)))
}

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

fn index() -> Value {
    let mut paths = Map::new();
    let mut gvs = vec![("", "v1")];
    gvs.extend(groups());
    for (g, v) in gvs {
        let p = gv_path(g, v);
        paths.insert(
            p.clone(),
            json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={}", hash(&p))}),
        );
    }
    json!({"paths": paths})
}

fn hash(s: &str) -> String {
    format!(
        "{:016X}",
        s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64)
            .wrapping_mul(0x100000001b3))
    )
}

fn gv_doc(group: &str, version: &str) -> Value {
    let mut paths = Map::new();
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version && r.allows("patch"))
    {
        let base = if r.namespaced {
            format!(
                "/{}/namespaces/{{namespace}}/{}",
                gv_path(group, version),
                r.plural
            )
        } else {
            format!("/{}/{}", gv_path(group, version), r.plural)
        };
        paths.insert(base.clone(), json!({"post": op(r, "post")}));
        paths.insert(
            format!("{base}/{{name}}"),
            json!({"put": op(r, "put"), "patch": op(r, "patch")}),
        );
    }
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.4"},
        "paths": paths,
        "components": {"schemas": {}}
    })
}

fn op(r: &ResourceDef, action: &str) -> Value {
    let param = |name: &str| json!({"name": name, "in": "query", "description": name, "schema": {"type": "string", "uniqueItems": true}});
    json!({
        "operationId": format!("{action}{}", r.kind),
        "parameters": [param("dryRun"), param("fieldManager"), param("fieldValidation")],
        "responses": {"200": {"description": "OK"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": r.group, "version": r.version, "kind": r.kind}
    })
}
