//! What the API server does with an object between the HTTP layer and the store: defaults,
//! validation, optimistic concurrency, graceful deletion and owner-reference garbage collection.
//! Controllers go through the same calls, so every write follows the same rules.

mod defaults;
mod delete;
mod validate;

pub use delete::{owned_by_uid, DeleteOpts, Deleted, Propagation, DEPENDENT_KINDS};

use crate::error::ApiError;
use crate::patch::{apply_patch, PatchKind};
use crate::resources::{self, ResourceDef};
use crate::store::{generate_suffix, now_rfc3339, Doc, Store};
use serde_json::Value;

/// The cluster's object logic over a store; cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    pub store: Store,
}

/// Which part of an object an update writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The object (status is kept from the stored one where the kind has a status subresource).
    Main,
    /// Only `.status` (the status subresource).
    Status,
}

fn key_of(def: &ResourceDef) -> Result<&'static str, ApiError> {
    def.key().ok_or_else(ApiError::method_not_allowed)
}

impl Cluster {
    pub fn new(store: Store) -> Cluster {
        Cluster { store }
    }

    pub fn get(&self, def: &ResourceDef, ns: &str, name: &str) -> Result<Doc, ApiError> {
        let key = key_of(def)?;
        self.store
            .get(key, ns, name)
            .ok_or_else(|| ApiError::not_found(def.group, def.plural, name))
    }

    /// Create an object as `POST` does. `keep_times` keeps a given creationTimestamp (scenario loads).
    pub fn create(
        &self,
        def: &ResourceDef,
        ns: &str,
        mut obj: Value,
        keep_times: bool,
    ) -> Result<Doc, ApiError> {
        let key = key_of(def)?;
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"));
        }
        obj["apiVersion"] = Value::String(def.api_version());
        obj["kind"] = Value::String(def.kind.to_string());
        if !obj["metadata"].is_object() {
            obj["metadata"] = serde_json::json!({});
        }
        let meta = &mut obj["metadata"];
        if def.namespaced {
            match meta["namespace"].as_str() {
                Some(n) if !n.is_empty() && n != ns => {
                    return Err(ApiError::bad_request(
                        "the namespace of the provided object does not match the namespace sent on the request",
                    ))
                }
                _ => meta["namespace"] = Value::String(ns.to_string()),
            }
        } else if let Some(m) = meta.as_object_mut() {
            m.remove("namespace");
        }
        let name = match (meta["name"].as_str(), meta["generateName"].as_str()) {
            (Some(n), _) if !n.is_empty() => n.to_string(),
            (_, Some(g)) if !g.is_empty() => format!("{g}{}", generate_suffix(5)),
            _ => {
                return Err(ApiError::invalid(
                    def.kind,
                    def.group,
                    "",
                    "metadata.name",
                    "Required value: name or generateName is required",
                ))
            }
        };
        validate_name(def, &name)?;
        meta["name"] = Value::String(name.clone());
        if def.namespaced {
            // A terminating namespace is one being deleted (its phase is set with the stamp).
            match self.store.entry("namespaces", "", ns) {
                None => return Err(ApiError::not_found("", "namespaces", ns)),
                Some(e) if e.meta.deleting => {
                    return Err(ApiError::new(
                        403,
                        "Forbidden",
                        format!("{} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", crate::error::qualified(def.group, def.plural)),
                    ))
                }
                Some(_) => {}
            }
        }
        // Scenario loads may name uids themselves, so owner references can point at owners.
        if !(keep_times && meta["uid"].as_str().is_some_and(|u| !u.is_empty())) {
            meta["uid"] = Value::String(uuid());
        }
        if !(keep_times && meta["creationTimestamp"].is_string()) {
            meta["creationTimestamp"] = Value::String(now_rfc3339());
        }
        if let Some(m) = meta.as_object_mut() {
            m.remove("resourceVersion");
            m.remove("deletionTimestamp");
        }
        defaults::on_create(def, &mut obj);
        validate::check(def, &obj)?;
        self.store.insert(key, def.group, obj)
    }

    /// Replace an object as `PUT` does: 409 Conflict when the body's resourceVersion is stale.
    pub fn update(
        &self,
        def: &ResourceDef,
        ns: &str,
        name: &str,
        obj: Value,
        part: Part,
    ) -> Result<Doc, ApiError> {
        let key = key_of(def)?;
        if obj["metadata"]["name"].as_str().is_some_and(|n| n != name) {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                obj["metadata"]["name"].as_str().unwrap_or_default()
            )));
        }
        let res = self.store.modify(key, def.group, ns, name, |cur| {
            if let Some(rv) = obj["metadata"]["resourceVersion"].as_str() {
                if !rv.is_empty() && Some(rv) != cur["metadata"]["resourceVersion"].as_str() {
                    return Err(ApiError::conflict(def.group, def.plural, name));
                }
            }
            merge_update(def, cur, obj, part)
        })?;
        match res {
            Some(e) => Ok(e),
            None => self.get(def, ns, name),
        }
    }

    /// Apply a patch as `PATCH` does.
    pub fn patch(
        &self,
        def: &ResourceDef,
        ns: &str,
        name: &str,
        body: &[u8],
        kind: PatchKind,
        part: Part,
    ) -> Result<Doc, ApiError> {
        let key = key_of(def)?;
        let res = self.store.modify(key, def.group, ns, name, |cur| {
            let patched = apply_patch(cur, body, kind)?;
            if let Some(rv) = patched["metadata"]["resourceVersion"].as_str() {
                if Some(rv) != cur["metadata"]["resourceVersion"].as_str() {
                    return Err(ApiError::conflict(def.group, def.plural, name));
                }
            }
            merge_update(def, cur, patched, part)
        })?;
        match res {
            Some(e) => Ok(e),
            None => self.get(def, ns, name),
        }
    }

    /// Change an object in place (controllers and the kubelet): no conflict check, no-op writes skipped.
    pub fn mutate<F: FnOnce(&mut Value)>(
        &self,
        key: &'static str,
        ns: &str,
        name: &str,
        f: F,
    ) -> Option<Doc> {
        let def = resources::by_storage(key)?;
        self.store
            .modify(key, def.group, ns, name, |cur| {
                let mut next = cur.clone();
                f(&mut next);
                if next["metadata"]["generation"].is_number() && next["spec"] != cur["spec"] {
                    let g = cur["metadata"]["generation"].as_i64().unwrap_or(1);
                    next["metadata"]["generation"] = Value::from(g + 1);
                }
                Ok(next)
            })
            .ok()
            .flatten()
    }
}

/// The stored object after an update of `part`, keeping what the client may not change.
fn merge_update(
    def: &ResourceDef,
    cur: &Value,
    mut next: Value,
    part: Part,
) -> Result<Value, ApiError> {
    if part == Part::Status {
        let mut out = cur.clone();
        out["status"] = next["status"].take();
        return Ok(out);
    }
    next["apiVersion"] = cur["apiVersion"].clone();
    next["kind"] = cur["kind"].clone();
    for k in [
        "uid",
        "creationTimestamp",
        "namespace",
        "name",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
    ] {
        match cur["metadata"].get(k) {
            Some(v) => next["metadata"][k] = v.clone(),
            None => {
                if let Some(m) = next["metadata"].as_object_mut() {
                    m.remove(k);
                }
            }
        }
    }
    if def.has_subresource("status") {
        match cur.get("status") {
            Some(s) => next["status"] = s.clone(),
            None => {
                if let Some(m) = next.as_object_mut() {
                    m.remove("status");
                }
            }
        }
    }
    validate::check(def, &next)?;
    if def.kind == "Pod" {
        defaults::check_pod_update(cur, &next)?;
    }
    if next["metadata"]["generation"].is_number() && next["spec"] != cur["spec"] {
        let g = cur["metadata"]["generation"].as_i64().unwrap_or(1);
        next["metadata"]["generation"] = Value::from(g + 1);
    }
    Ok(next)
}

fn validate_name(def: &ResourceDef, name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            def.kind,
            def.group,
            name,
            "metadata.name",
            &format!("Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        ))
    }
}

/// A random version-4 UUID.
pub fn uuid() -> String {
    let b: [u8; 16] = rand::random();
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-4{:01x}{:02x}-{:01x}{:01x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6] & 0xf, b[7], 8 | (b[8] & 0x3), b[8] >> 4, b[9], b[10], b[11], b[12], b[13], b[14], b[15]
    )
}
