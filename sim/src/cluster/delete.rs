//! Deletion as the API server does it: graceful pod deletion, finalizers, namespaces that terminate,
//! and the three propagation policies (the garbage-collector controller finishes the work).

use super::{key_of, Cluster};
use crate::error::ApiError;
use crate::resources::ResourceDef;
use crate::store::Doc;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// Options of a DELETE (query parameters or a DeleteOptions body).
#[derive(Debug, Clone, Default)]
pub struct DeleteOpts {
    pub grace: Option<i64>,
    pub propagation: Option<Propagation>,
    pub precondition_uid: Option<String>,
    pub precondition_rv: Option<String>,
}

impl DeleteOpts {
    /// From query pairs and an optional DeleteOptions JSON body.
    pub fn parse(pairs: &[(String, String)], body: &[u8]) -> Result<DeleteOpts, ApiError> {
        let mut o = DeleteOpts::default();
        if !body.is_empty() {
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::bad_request(format!("invalid DeleteOptions: {e}")))?;
            o.grace = v["gracePeriodSeconds"].as_i64();
            o.propagation = v["propagationPolicy"]
                .as_str()
                .map(parse_policy)
                .transpose()?;
            if v["orphanDependents"] == true {
                o.propagation = Some(Propagation::Orphan);
            }
            o.precondition_uid = v["preconditions"]["uid"].as_str().map(str::to_string);
            o.precondition_rv = v["preconditions"]["resourceVersion"]
                .as_str()
                .map(str::to_string);
        }
        for (k, v) in pairs {
            match k.as_str() {
                "gracePeriodSeconds" => {
                    o.grace = Some(v.parse().map_err(|_| {
                        ApiError::bad_request(format!("invalid gracePeriodSeconds: {v}"))
                    })?)
                }
                "propagationPolicy" => o.propagation = Some(parse_policy(v)?),
                "orphanDependents" if v == "true" => o.propagation = Some(Propagation::Orphan),
                _ => {}
            }
        }
        Ok(o)
    }
}

fn parse_policy(s: &str) -> Result<Propagation, ApiError> {
    match s {
        "Background" => Ok(Propagation::Background),
        "Foreground" => Ok(Propagation::Foreground),
        "Orphan" => Ok(Propagation::Orphan),
        _ => Err(ApiError::bad_request(format!(
            "unsupported propagationPolicy: {s}"
        ))),
    }
}

/// What a delete did: removed at once, or marked for a later removal (deletionTimestamp set).
pub enum Deleted {
    Gone(Doc),
    Pending(Doc),
}

impl Cluster {
    pub fn delete(
        &self,
        def: &ResourceDef,
        ns: &str,
        name: &str,
        opts: &DeleteOpts,
    ) -> Result<Deleted, ApiError> {
        let key = key_of(def)?;
        let cur = self.get(def, ns, name)?;
        let meta = &cur.obj["metadata"];
        if opts
            .precondition_uid
            .as_deref()
            .is_some_and(|u| Some(u) != meta["uid"].as_str())
        {
            return Err(ApiError::conflict(def.group, def.plural, name));
        }
        if opts
            .precondition_rv
            .as_deref()
            .is_some_and(|r| Some(r) != meta["resourceVersion"].as_str())
        {
            return Err(ApiError::conflict(def.group, def.plural, name));
        }
        let uid = meta["uid"].as_str().unwrap_or_default().to_string();
        // batch/v1 Jobs still orphan their pods by default, as on a real server.
        let default = if def.kind == "Job" {
            Propagation::Orphan
        } else {
            Propagation::Background
        };
        let policy = opts.propagation.unwrap_or(default);
        if policy == Propagation::Orphan {
            self.orphan_dependents(ns, &uid);
        }
        let grace = match def.kind {
            "Pod" if cur.obj["spec"]["nodeName"].is_string() && !is_finished(&cur.obj) => {
                opts.grace.unwrap_or_else(|| {
                    cur.obj["spec"]["terminationGracePeriodSeconds"]
                        .as_i64()
                        .unwrap_or(30)
                })
            }
            _ => 0,
        };
        let has_finalizers = meta["finalizers"].as_array().is_some_and(|f| !f.is_empty());
        if meta["deletionTimestamp"].is_string() {
            if def.kind == "Pod" && grace == 0 && opts.grace == Some(0) {
                return self
                    .store
                    .remove(key, ns, name)
                    .map(Deleted::Gone)
                    .ok_or_else(|| ApiError::not_found(def.group, def.plural, name));
            }
            return Ok(Deleted::Pending(cur));
        }
        let foreground = policy == Propagation::Foreground && def.kind != "Pod";
        if grace > 0 || has_finalizers || foreground || def.kind == "Namespace" {
            let e = self.mutate(key, ns, name, |o| {
                let when = chrono::Utc::now() + chrono::Duration::seconds(grace);
                o["metadata"]["deletionTimestamp"] =
                    json!(when.format("%Y-%m-%dT%H:%M:%SZ").to_string());
                o["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
                if foreground {
                    push_finalizer(o, "foregroundDeletion");
                }
                if def.kind == "Namespace" {
                    o["status"]["phase"] = json!("Terminating");
                }
            });
            return Ok(Deleted::Pending(e.unwrap_or(cur)));
        }
        self.store
            .remove(key, ns, name)
            .map(Deleted::Gone)
            .ok_or_else(|| ApiError::not_found(def.group, def.plural, name))
    }

    /// Remove the owner reference to `uid` from every object of the namespace (Orphan policy).
    pub fn orphan_dependents(&self, ns: &str, uid: &str) {
        for key in DEPENDENT_KINDS {
            for e in self.store.list(key, Some(ns)).1 {
                if owned_by_uid(&e.obj, uid) {
                    let name = e.obj["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    self.mutate(key, ns, &name, |o| {
                        if let Some(refs) = o["metadata"]["ownerReferences"].as_array_mut() {
                            refs.retain(|r| r["uid"] != uid);
                        }
                    });
                }
            }
        }
    }
}

/// Storage keys of kinds that have owners in the simulator.
pub const DEPENDENT_KINDS: &[&str] = &[
    "replicasets",
    "pods",
    "jobs",
    "controllerrevisions",
    "endpointslices",
    "persistentvolumeclaims",
];

/// Whether `obj` names `uid` among its owners.
pub fn owned_by_uid(obj: &Value, uid: &str) -> bool {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|r| r.iter().any(|o| o["uid"] == uid))
}

fn push_finalizer(o: &mut Value, f: &str) {
    if !o["metadata"]["finalizers"].is_array() {
        o["metadata"]["finalizers"] = json!([]);
    }
    if let Some(list) = o["metadata"]["finalizers"].as_array_mut() {
        if !list.iter().any(|x| x == f) {
            list.push(json!(f));
        }
    }
}

fn is_finished(pod: &Value) -> bool {
    matches!(
        pod["status"]["phase"].as_str(),
        Some("Succeeded" | "Failed")
    )
}
