//! The REST verbs on resources: get, list (paged, filtered, as Table), create, update, patch, delete,
//! deletecollection, and dispatch to watch and the subresources.

use super::body::{bytes_response, error_response, json_response, stream_response};
use super::rbac::Attrs;
use super::route::Route;
use super::{subresources, watch, Body, Server};
use crate::cluster::{DeleteOpts, Deleted, Part};
use crate::error::ApiError;
use crate::patch::PatchKind;
use crate::resources::{self, ResourceDef, Storage};
use crate::selector::{FieldSelector, LabelSelector};
use crate::store::Entry;
use crate::table::{self, IncludeObject};
use base64::Engine;
use bytes::Bytes;
use futures::StreamExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use serde_json::{json, Value};
use std::sync::Arc;

/// Query parameters, percent-decoded, in order.
pub type Query = Vec<(String, String)>;

pub fn query_pairs(q: Option<&str>) -> Query {
    q.unwrap_or_default()
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn param<'a>(q: &'a Query, key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn flag(q: &Query, key: &str) -> bool {
    matches!(param(q, key), Some("true" | "1"))
}

fn wants_table(req: &Request<Incoming>) -> bool {
    req.headers()
        .get(hyper::header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| {
            a.split(',')
                .next()
                .is_some_and(|first| first.contains("as=Table"))
        })
}

fn verb(method: &Method, route: &Route, watching: bool) -> &'static str {
    match (method, route.name.is_some()) {
        (&Method::GET, _) if watching => "watch",
        (&Method::GET, true) => "get",
        (&Method::GET, false) => "list",
        (&Method::POST, _) => "create",
        (&Method::PUT, _) => "update",
        (&Method::PATCH, _) => "patch",
        (&Method::DELETE, true) => "delete",
        (&Method::DELETE, false) => "deletecollection",
        _ => "unknown",
    }
}

pub async fn handle(server: &Arc<Server>, route: Route, req: Request<Incoming>) -> Response<Body> {
    match handle_inner(server, route, req).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn handle_inner(
    server: &Arc<Server>,
    route: Route,
    req: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let not_found = || {
        ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
    };
    let def =
        resources::find(&route.group, &route.version, &route.resource).ok_or_else(not_found)?;
    if route.namespace.is_some() && !def.namespaced {
        return Err(not_found());
    }
    let q = query_pairs(req.uri().query());
    let watching = flag(&q, "watch");
    let mut verb = verb(req.method(), &route, watching);
    let sub = route.subresource.as_deref();
    if matches!(sub, Some("exec" | "attach" | "portforward")) {
        verb = "create";
    }
    let ns_attr = if def.plural == "namespaces" && def.group.is_empty() {
        route.name.as_deref()
    } else {
        route.namespace.as_deref()
    };
    server.rbac.check(&Attrs {
        verb,
        group: def.group,
        resource: def.plural,
        subresource: sub,
        namespace: ns_attr,
        name: route.name.as_deref(),
    })?;
    if let Some(s) = sub {
        if !def.has_subresource(s) {
            return Err(not_found());
        }
        return subresources::handle(server, def, &route, s, q, req).await;
    }
    let ns = route.namespace.clone().unwrap_or_default();
    let table = wants_table(&req);
    match (req.method().clone(), route.name.clone()) {
        (Method::GET, _) if watching => watch::serve(
            server,
            def,
            route.namespace.as_deref(),
            route.name.as_deref(),
            &q,
            table,
        ),
        (Method::GET, Some(name)) => get(server, def, &ns, &name, &q, table),
        (Method::GET, None) => list(server, def, route.namespace.as_deref(), &q, table),
        (Method::POST, None) => {
            let body = read_body(req).await?;
            create(server, def, &ns, body, &q)
        }
        (Method::PUT, Some(name)) => {
            let body = read_body(req).await?;
            let e = server.cluster.update(def, &ns, &name, body, Part::Main)?;
            Ok(bytes_response(200, e.json))
        }
        (Method::PATCH, Some(name)) => {
            let kind = content_kind(&req)?;
            let raw = raw_body(req).await;
            let e = server
                .cluster
                .patch(def, &ns, &name, &raw, kind, Part::Main)?;
            Ok(bytes_response(200, e.json))
        }
        (Method::DELETE, Some(name)) => {
            let raw = raw_body(req).await;
            delete(server, def, &ns, &name, &q, &raw)
        }
        (Method::DELETE, None) => delete_collection(server, def, route.namespace.as_deref(), &q),
        _ => Err(ApiError::method_not_allowed()),
    }
}

pub fn content_kind(req: &Request<Incoming>) -> Result<PatchKind, ApiError> {
    let ct = req
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default();
    PatchKind::from_content_type(ct).ok_or_else(|| {
        ApiError::new(415, "UnsupportedMediaType", format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {ct})"))
    })
}

/// The raw request body (empty when the client sent none or went away).
pub async fn raw_body(req: Request<Incoming>) -> Bytes {
    req.into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default()
}

/// The request body as JSON (YAML accepted too), or 400.
pub async fn read_body(req: Request<Incoming>) -> Result<Value, ApiError> {
    let ct = req
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let raw = raw_body(req).await;
    // kubectl's typed calls send Kubernetes protobuf; client-go has no JSON fallback for bodies.
    if ct.contains("protobuf") {
        return crate::protobuf::decode(&raw);
    }
    let parsed = if ct.contains("yaml") {
        serde_yaml::from_slice::<Value>(&raw).map_err(|e| e.to_string())
    } else {
        serde_json::from_slice::<Value>(&raw).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| {
        ApiError::bad_request(format!("the body of the request could not be decoded: {e}"))
    })
}

fn get(
    server: &Server,
    def: &ResourceDef,
    ns: &str,
    name: &str,
    q: &Query,
    table: bool,
) -> Result<Response<Body>, ApiError> {
    if def.storage == Storage::Metrics {
        let items = subresources::metrics(server, def, Some(ns).filter(|n| !n.is_empty()));
        let v = items
            .into_iter()
            .find(|m| m["metadata"]["name"] == name)
            .ok_or_else(|| ApiError::not_found(def.group, def.plural, name))?;
        return Ok(json_response(200, &v));
    }
    let e = server.cluster.get(def, ns, name)?;
    if table {
        let include = param(q, "includeObject")
            .and_then(IncludeObject::parse)
            .unwrap_or_default();
        let mut t = table::table(
            def.plural,
            &[&*view(def, e.obj.clone())],
            include,
            chrono::Utc::now(),
        );
        t["metadata"]["resourceVersion"] = json!(e.obj["metadata"]["resourceVersion"]);
        return Ok(json_response(200, &t));
    }
    Ok(match converted(def, &e.obj) {
        Some(v) => json_response(200, &v),
        None => bytes_response(200, e.json),
    })
}

/// events.k8s.io/v1 serves core events in its own shape.
fn converted(def: &ResourceDef, obj: &Value) -> Option<Value> {
    (def.group == "events.k8s.io").then(|| subresources::event_v1(obj))
}

fn view(def: &ResourceDef, obj: Arc<Value>) -> Arc<Value> {
    match converted(def, &obj) {
        Some(v) => Arc::new(v),
        None => obj,
    }
}

/// Label and field selectors of a request.
pub struct Filter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub fn parse(def: &ResourceDef, q: &Query) -> Result<Filter, ApiError> {
        Ok(Filter {
            labels: LabelSelector::parse(param(q, "labelSelector").unwrap_or_default())?,
            fields: FieldSelector::parse(
                param(q, "fieldSelector").unwrap_or_default(),
                def.plural,
            )?,
        })
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.labels.matches(obj["metadata"]["labels"].as_object()) && self.fields.matches(obj)
    }

    /// Whether every object matches (nothing to parse).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Continue {
    rv: u64,
    ns: String,
    name: String,
}

fn list(
    server: &Server,
    def: &'static ResourceDef,
    ns: Option<&str>,
    q: &Query,
    table: bool,
) -> Result<Response<Body>, ApiError> {
    let filter = Filter::parse(def, q)?;
    let ns = ns.or(filter.fields.namespace());
    let key = match def.storage {
        Storage::Metrics => {
            let items = subresources::metrics(server, def, ns);
            let kind = format!("{}List", def.kind);
            return Ok(json_response(
                200,
                &json!({"kind": kind, "apiVersion": def.api_version(), "metadata": {}, "items": items}),
            ));
        }
        Storage::Review => return Err(ApiError::method_not_allowed()),
        Storage::Stored(key) => key,
    };
    let start = match param(q, "continue").filter(|c| !c.is_empty()) {
        Some(c) => Some(decode_continue(c)?),
        None => None,
    };
    let limit = param(q, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0);
    let after = start.as_ref().map(|c| (c.ns.as_str(), c.name.as_str()));
    let store = &server.cluster.store;
    // Without a selector a page is cut in the store; with one, each object is parsed to match.
    let (rv, page, remaining) = if filter.is_empty() {
        let p = store.page(key, ns, after, limit);
        (p.rv, p.items, p.remaining)
    } else {
        let p = store.page(key, ns, after, None);
        let mut matched = p
            .items
            .into_iter()
            .filter(|(_, _, e)| filter.matches(&e.value()));
        let page: Vec<_> = matched.by_ref().take(limit.unwrap_or(usize::MAX)).collect();
        (p.rv, page, matched.count())
    };
    let mut meta = json!({"resourceVersion": start.as_ref().map_or(rv, |c| c.rv).to_string()});
    if remaining > 0 {
        if let Some((ns, name, _)) = page.last() {
            let c = Continue {
                rv,
                ns: ns.clone(),
                name: name.clone(),
            };
            let token = base64::engine::general_purpose::STANDARD
                .encode(serde_json::to_vec(&c).unwrap_or_default());
            meta["continue"] = json!(token);
            meta["remainingItemCount"] = json!(remaining);
        }
    }
    let page: Vec<Entry> = page.into_iter().map(|(_, _, e)| e).collect();
    if table {
        let include = param(q, "includeObject")
            .and_then(IncludeObject::parse)
            .unwrap_or_default();
        if def.group != "events.k8s.io" {
            return Ok(bytes_response(
                200,
                super::table_list::table_bytes(def.plural, &page, include, meta),
            ));
        }
        let views: Vec<Arc<Value>> = page
            .iter()
            .map(|e| view(def, Arc::new(e.value())))
            .collect();
        let refs: Vec<&Value> = views.iter().map(|v| &**v).collect();
        let mut t = table::table(def.plural, &refs, include, chrono::Utc::now());
        t["metadata"] = meta;
        return Ok(json_response(200, &t));
    }
    let head = json!({"kind": format!("{}List", def.kind), "apiVersion": def.api_version(), "metadata": meta});
    let mut head = serde_json::to_vec(&head).unwrap_or_default();
    head.pop();
    head.extend_from_slice(b",\"items\":[");
    let items = ListItems {
        def,
        page: page.into_iter(),
        buf: head,
        first: true,
        done: false,
    };
    // A large list goes out in chunks as it is written: 150,000 pods (1 GB of JSON) are never
    // copied into one buffer. A small one keeps its Content-Length.
    if items.page.len() > STREAM_FROM {
        return Ok(stream_response(
            "application/json",
            futures::stream::iter(items).boxed(),
        ));
    }
    let out: Vec<u8> = items.flat_map(|b| b.to_vec()).collect();
    Ok(bytes_response(200, Bytes::from(out)))
}

/// Lists of more items than this are streamed.
const STREAM_FROM: usize = 1000;
/// The size of a streamed list's chunks.
const CHUNK: usize = 256 * 1024;

/// A list body written chunk by chunk: the head, the items, the closing brackets.
struct ListItems {
    def: &'static ResourceDef,
    page: std::vec::IntoIter<Entry>,
    buf: Vec<u8>,
    first: bool,
    done: bool,
}

impl Iterator for ListItems {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        if self.done {
            return None;
        }
        while self.buf.len() < CHUNK {
            let Some(e) = self.page.next() else {
                self.buf.extend_from_slice(b"]}");
                self.done = true;
                break;
            };
            if !std::mem::take(&mut self.first) {
                self.buf.push(b',');
            }
            // Only a converted kind's objects are parsed; the others are sent as stored.
            let tree = (self.def.group == "events.k8s.io").then(|| e.value());
            match tree.and_then(|t| converted(self.def, &t)) {
                Some(v) => self
                    .buf
                    .extend_from_slice(&serde_json::to_vec(&v).unwrap_or_default()),
                None => self.buf.extend_from_slice(&e.json),
            }
        }
        Some(Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK + 16 * 1024),
        )))
    }
}

fn decode_continue(c: &str) -> Result<Continue, ApiError> {
    base64::engine::general_purpose::STANDARD
        .decode(c)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            ApiError::bad_request("continue key is not valid: illegal base64 data at input byte 0")
        })
}

fn create(
    server: &Server,
    def: &ResourceDef,
    ns: &str,
    body: Value,
    q: &Query,
) -> Result<Response<Body>, ApiError> {
    if def.storage == Storage::Review {
        return Ok(json_response(201, &server.rbac.review(def.kind, body)));
    }
    if def.storage == Storage::Metrics {
        return Err(ApiError::method_not_allowed());
    }
    if param(q, "dryRun") == Some("All") {
        return Ok(json_response(201, &body));
    }
    let e = server.cluster.create(def, ns, body, false)?;
    Ok(bytes_response(201, e.json))
}

fn delete(
    server: &Server,
    def: &ResourceDef,
    ns: &str,
    name: &str,
    q: &Query,
    raw: &[u8],
) -> Result<Response<Body>, ApiError> {
    let opts = DeleteOpts::parse(q, raw)?;
    match server.cluster.delete(def, ns, name, &opts)? {
        Deleted::Pending(e) => Ok(bytes_response(200, e.json)),
        Deleted::Gone(e) => {
            if def.kind == "Pod" || def.kind == "Namespace" {
                return Ok(bytes_response(200, e.json));
            }
            let uid = e.obj["metadata"]["uid"].clone();
            Ok(json_response(
                200,
                &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": {"name": name, "group": def.group, "kind": def.plural, "uid": uid}}),
            ))
        }
    }
}

fn delete_collection(
    server: &Server,
    def: &ResourceDef,
    ns: Option<&str>,
    q: &Query,
) -> Result<Response<Body>, ApiError> {
    let key = def.key().ok_or_else(ApiError::method_not_allowed)?;
    let filter = Filter::parse(def, q)?;
    let opts = DeleteOpts::parse(q, &[])?;
    let (_, entries) = server.cluster.store.list(key, ns);
    let mut items = Vec::new();
    for e in entries.into_iter().filter(|e| filter.matches(&e.obj)) {
        let m = &e.obj["metadata"];
        let (n, name) = (
            m["namespace"].as_str().unwrap_or_default(),
            m["name"].as_str().unwrap_or_default(),
        );
        if server.cluster.delete(def, n, name, &opts).is_ok() {
            items.push((*e.obj).clone());
        }
    }
    Ok(json_response(
        200,
        &json!({"kind": format!("{}List", def.kind), "apiVersion": def.api_version(), "metadata": {}, "items": items}),
    ))
}
