//! Server-side Table rendering (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`).
//!
//! `kubectl get` asks the API server for a `meta.k8s.io/v1` Table and prints its
//! cells verbatim, so these functions reproduce the column definitions and cell
//! values of the real kube-apiserver printers. Like the real server, every row
//! carries the wide (priority 1) cells too; kubectl hides them unless `-o wide`.
//!
//! The functions are pure: the caller supplies the objects (as stored, i.e. in the
//! v1 JSON a real server returns), the `includeObject` choice and the clock.

mod columns;
mod core;
mod other;
mod pod;
mod util;
mod workloads;

#[cfg(test)]
mod tests;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

pub use util::human_age;

/// includeObject query parameter of a table request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IncludeObject {
    None,
    #[default]
    Metadata,
    Object,
}

impl IncludeObject {
    /// Parses the `includeObject` query value. The server accepts exactly "None",
    /// "Metadata" and "Object", and treats an empty value as the default (Metadata);
    /// anything else is a 400 `unrecognized includeObject value`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "None" => Some(Self::None),
            "Metadata" | "" => Some(Self::Metadata),
            "Object" => Some(Self::Object),
            _ => None,
        }
    }
}

/// A Table for `items` of `resource` (plural, e.g. "pods", "deployments"; group-less plural names).
/// metadata is left `{}`: the caller fills resourceVersion/continue.
pub fn table(
    resource: &str,
    items: &[&Value],
    include: IncludeObject,
    now: DateTime<Utc>,
) -> Value {
    let (cols, rows): (&[columns::Col], Vec<Value>) = match columns::for_resource(resource) {
        Some(cols) => (
            cols,
            items
                .iter()
                .map(|item| {
                    // Only pods carry row conditions (Completed for Succeeded/Failed pods).
                    let conditions = (resource == "pods").then(|| pod::row_conditions(item));
                    row(
                        item,
                        cells_for(resource, item, now),
                        conditions.flatten(),
                        include,
                    )
                })
                .collect(),
        ),
        None => (
            columns::DEFAULT,
            items
                .iter()
                .map(|item| row(item, default_cells(item), None, include))
                .collect(),
        ),
    };
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {},
        "columnDefinitions": cols.iter().map(|c| c.to_json()).collect::<Vec<_>>(),
        "rows": rows,
    })
}

/// kubectl's STATUS column of a pod (the printer's "reason"), e.g. Running, CrashLoopBackOff, Init:0/2, Terminating, Completed, OOMKilled.
pub fn pod_status(pod: &Value) -> String {
    pod::summarize(pod).reason
}

/// The cells of one object of a resource that has a printer.
fn cells_for(resource: &str, obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let printer: fn(&Value, DateTime<Utc>) -> Vec<Value> = match resource {
        "pods" => pod::cells,
        "deployments" => workloads::deployment,
        "replicasets" => workloads::replicaset,
        "replicationcontrollers" => workloads::replicationcontroller,
        "statefulsets" => workloads::statefulset,
        "daemonsets" => workloads::daemonset,
        "jobs" => workloads::job,
        "cronjobs" => workloads::cronjob,
        "services" => core::service,
        "endpoints" => core::endpoints,
        "endpointslices" => core::endpointslice,
        "events" => core::event,
        "namespaces" => core::namespace,
        "nodes" => core::node,
        "configmaps" => core::configmap,
        "secrets" => core::secret,
        "serviceaccounts" => core::serviceaccount,
        "persistentvolumeclaims" => other::pvc,
        "persistentvolumes" => other::pv,
        "poddisruptionbudgets" => other::pdb,
        "ingresses" => other::ingress,
        "ingressclasses" => other::ingressclass,
        "rolebindings" | "clusterrolebindings" => other::rolebinding,
        "storageclasses" => other::storageclass,
        "leases" => other::lease,
        "priorityclasses" => other::priorityclass,
        "networkpolicies" => other::networkpolicy,
        "controllerrevisions" => other::controllerrevision,
        // columns::for_resource and this match list the same resources.
        _ => return default_cells(obj),
    };
    printer(obj, now)
}

/// The generic registry's default row: name and creation time in RFC 3339 (UTC, seconds).
fn default_cells(obj: &Value) -> Vec<Value> {
    let created = util::time_at(obj, &["metadata", "creationTimestamp"])
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        // Go formats the zero time when the object has none.
        .unwrap_or_else(|| "0001-01-01T00:00:00Z".to_string());
    vec![
        json!(util::str_at(obj, &["metadata", "name"])),
        json!(created),
    ]
}

/// One TableRow with the object embedded as `includeObject` asks.
fn row(obj: &Value, cells: Vec<Value>, conditions: Option<Value>, include: IncludeObject) -> Value {
    let mut row = json!({ "cells": cells });
    if let Some(conditions) = conditions {
        row["conditions"] = conditions;
    }
    match include {
        IncludeObject::None => {}
        IncludeObject::Metadata => {
            row["object"] = json!({
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
            });
        }
        IncludeObject::Object => row["object"] = obj.clone(),
    }
    row
}
