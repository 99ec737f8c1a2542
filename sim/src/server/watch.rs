//! Watches: initial events (sendInitialEvents or resourceVersion unset/0), replay from a
//! resourceVersion (410 Gone when compacted), bookmarks, timeoutSeconds, selectors that objects
//! enter and leave, and Table-shaped events for `kubectl get -w`.

use super::body::stream_response;
use super::rest::{param, Filter, Query};
use super::{subresources, Body, Server};
use crate::error::ApiError;
use crate::resources::ResourceDef;
use crate::store::{Entry, EventType, StoreEvent};
use crate::table::{self, IncludeObject};
use bytes::Bytes;
use futures::StreamExt;
use hyper::Response;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// How often a bookmark is sent to watches that allow them.
const BOOKMARK_EVERY: Duration = Duration::from_secs(15);

struct Watch {
    def: &'static ResourceDef,
    key: &'static str,
    ns: Option<String>,
    name: Option<String>,
    filter: Filter,
    table: Option<IncludeObject>,
}

impl Watch {
    /// Whether the object (in namespace `ns`) is in this watch's selection; parsed only when
    /// the watch has a selector.
    fn wants(&self, ns: &str, e: &Entry) -> bool {
        self.ns.as_deref().is_none_or(|n| ns == n)
            && self.name.as_deref().is_none_or(|n| *e.meta.name == *n)
            && (self.filter.is_empty() || self.filter.matches(&e.value()))
    }

    /// The watch event line for a store event, if this watch sees it (entering or leaving the selection).
    fn line(&self, ev: &StoreEvent) -> Option<Bytes> {
        if ev.key != self.key {
            return None;
        }
        let now = self.wants(&ev.ns, &ev.entry);
        let before = ev.prev.as_ref().is_some_and(|p| self.wants(&ev.ns, p));
        let ty = match ev.ty {
            EventType::Added if now => EventType::Added,
            EventType::Modified if now && before => EventType::Modified,
            EventType::Modified if now => EventType::Added,
            EventType::Modified if before => EventType::Deleted,
            EventType::Deleted if now => EventType::Deleted,
            _ => return None,
        };
        Some(self.encode(ty.as_str(), &ev.entry))
    }

    fn encode(&self, ty: &str, e: &Entry) -> Bytes {
        if let Some(include) = self.table {
            let obj = self.converted(e);
            let mut t = table::table(self.def.plural, &[&*obj], include, chrono::Utc::now());
            t["metadata"]["resourceVersion"] = json!(e.meta.resource_version.to_string());
            return event_line(ty, &serde_json::to_vec(&t).unwrap_or_default());
        }
        if self.def.group == "events.k8s.io" {
            return event_line(
                ty,
                &serde_json::to_vec(&subresources::event_v1(&e.value())).unwrap_or_default(),
            );
        }
        event_line(ty, &e.json)
    }

    fn converted(&self, e: &Entry) -> Arc<Value> {
        if self.def.group == "events.k8s.io" {
            Arc::new(subresources::event_v1(&e.value()))
        } else {
            Arc::new(e.value())
        }
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let obj =
            json!({"kind": self.def.kind, "apiVersion": self.def.api_version(), "metadata": meta});
        event_line("BOOKMARK", &serde_json::to_vec(&obj).unwrap_or_default())
    }
}

/// What a watch sends before live events: the history after its resourceVersion, or every
/// object in its selection (and, for sendInitialEvents, the bookmark that ends them).
enum Initial {
    Replay(Vec<Arc<StoreEvent>>),
    Snapshot(Vec<Entry>, bool),
}

impl Initial {
    fn lines(self, w: &Watch, rv: u64) -> Box<dyn Iterator<Item = Bytes> + Send + '_> {
        match self {
            Initial::Replay(past) => Box::new(past.into_iter().filter_map(|ev| w.line(&ev))),
            Initial::Snapshot(entries, end) => Box::new(
                entries
                    .into_iter()
                    .filter(|e| {
                        let ns = w.ns.as_deref().unwrap_or_default();
                        w.wants(ns, e)
                    })
                    .map(|e| w.encode("ADDED", &e))
                    .chain(end.then(|| w.bookmark(rv, true))),
            ),
        }
    }
}

fn event_line(ty: &str, obj: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(obj.len() + 32);
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(ty.as_bytes());
    out.extend_from_slice(b"\",\"object\":");
    out.extend_from_slice(obj);
    out.extend_from_slice(b"}\n");
    Bytes::from(out)
}

pub fn serve(
    server: &Arc<Server>,
    def: &'static ResourceDef,
    ns: Option<&str>,
    name: Option<&str>,
    q: &Query,
    table: bool,
) -> Result<Response<Body>, ApiError> {
    let key = def.key().ok_or_else(ApiError::method_not_allowed)?;
    let filter = Filter::parse(def, q)?;
    let ns = ns.or(filter.fields.namespace()).map(str::to_string);
    let name = name.or(filter.fields.name()).map(str::to_string);
    let include = param(q, "includeObject")
        .and_then(IncludeObject::parse)
        .unwrap_or_default();
    let w = Watch {
        def,
        key,
        ns,
        name,
        filter,
        table: table.then_some(include),
    };
    let bookmarks = matches!(param(q, "allowWatchBookmarks"), Some("true" | "1"));
    let send_initial = matches!(param(q, "sendInitialEvents"), Some("true" | "1"));
    if send_initial && param(q, "resourceVersionMatch") != Some("NotOlderThan") {
        return Err(ApiError::invalid(
            "ListOptions",
            "meta.k8s.io",
            "",
            "resourceVersionMatch",
            "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ));
    }
    let rv_param = param(q, "resourceVersion").filter(|r| !r.is_empty());
    let timeout = param(q, "timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(1800);
    let store = &server.cluster.store;
    let (initial, mut sub, start_rv) = match rv_param {
        Some(rv) if !send_initial && rv != "0" => {
            let rv: u64 = rv
                .parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {rv}")))?;
            let (past, sub) = match store.replay_and_subscribe(rv) {
                Ok(r) => r,
                // A real server starts the watch and sends the 410 as an ERROR event, which is
                // what makes clients re-list (an HTTP 410 would only make them retry the watch).
                Err(e) => {
                    let line = event_line(
                        "ERROR",
                        &serde_json::to_vec(&e.to_status()).unwrap_or_default(),
                    );
                    return Ok(stream_response(
                        "application/json",
                        futures::stream::iter([line]).boxed(),
                    ));
                }
            };
            (Initial::Replay(past), sub, rv)
        }
        _ => {
            let (rv, entries, sub) = store.snapshot_and_subscribe(key, w.ns.as_deref());
            (Initial::Snapshot(entries, send_initial), sub, rv)
        }
    };
    let w = Arc::new(w);
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(256);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    tokio::spawn(async move {
        // Encoded one at a time as the client reads: 150,000 initial objects are never copied
        // into one buffer.
        for line in initial.lines(&w, start_rv) {
            if tx.send(line).await.is_err() {
                return;
            }
        }
        let mut rv = start_rv;
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + BOOKMARK_EVERY, BOOKMARK_EVERY);
        loop {
            let line = tokio::select! {
                ev = sub.next() => match ev {
                    Some(ev) => {
                        rv = ev.rv;
                        match w.line(&ev) {
                            Some(l) => l,
                            None => continue,
                        }
                    }
                    // Dropped by a fault or fell behind: end the watch; the client re-watches.
                    None => return,
                },
                _ = tokio::time::sleep_until(deadline) => return,
                _ = tick.tick(), if bookmarks => w.bookmark(rv, false),
                _ = tx.closed() => return,
            };
            if tx.send(line).await.is_err() {
                return;
            }
        }
    });
    let stream =
        futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|l| (l, rx)) })
            .boxed();
    Ok(stream_response("application/json", stream))
}
