//! The slim stores the impact of a delete is computed over, each read from an object's JSON as
//! the API sends it (a list's item, or a fixture): only what `rules` needs is kept.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::kube::selector::{LabelSelector, Labels};

/// One `ownerReferences` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepRef {
    /// Owner kind (`ReplicaSet`).
    pub kind: String,
    /// Owner name.
    pub name: String,
    /// Whether this owner is the managing controller (the one that recreates).
    pub controller: bool,
}

/// A pod, as far as its delete's impact needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DepPod {
    /// Name.
    pub name: String,
    /// Labels (Services and PDBs select by them).
    pub labels: Labels,
    /// Owners.
    pub owners: Vec<DepRef>,
    /// The Ready condition is True.
    pub ready: bool,
    /// `status.phase` (`Running`, `Pending`, `Succeeded`…).
    pub phase: String,
    /// The PersistentVolumeClaims it mounts.
    pub claims: Vec<String>,
    /// The names of its `emptyDir` volumes.
    pub empty_dirs: Vec<String>,
    /// Set while it is terminating.
    pub deleted: Option<DateTime<Utc>>,
    /// When it was created (a Deployment scaled down removes the newest first).
    pub created: Option<DateTime<Utc>>,
}

/// A Service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DepService {
    /// Name.
    pub name: String,
    /// `spec.selector`; `None`: the Service selects no pods (its endpoints are managed by hand).
    pub selector: Option<LabelSelector>,
    /// `spec.type` (`ClusterIP`, `LoadBalancer`…).
    pub kind: String,
}

/// The endpoints of one Service, merged from its EndpointSlices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepEndpoints {
    /// The Service (`kubernetes.io/service-name`).
    pub service: String,
    /// The pods behind its ready endpoints.
    pub ready: Vec<String>,
    /// The pods behind its endpoints that are not ready.
    pub not_ready: Vec<String>,
}

/// A PodDisruptionBudget.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DepPdb {
    /// Name.
    pub name: String,
    /// `spec.selector`; `None` (null) selects no pods, `{}` every pod of the namespace.
    pub selector: Option<LabelSelector>,
    /// `status.disruptionsAllowed`.
    pub disruptions_allowed: i64,
    /// `spec.minAvailable` (`2` or `50%`).
    pub min_available: Option<String>,
    /// `spec.maxUnavailable`.
    pub max_unavailable: Option<String>,
}

/// A controller of the namespace (ReplicaSet, Job, StatefulSet, DaemonSet, Deployment, CronJob).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DepOwner {
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Its own owners (a ReplicaSet's Deployment, a Job's CronJob).
    pub owners: Vec<DepRef>,
    /// `spec.replicas`, for kinds that have it.
    pub replicas: Option<u32>,
    /// A Job has finished (its Complete or Failed condition is True).
    pub finished: bool,
    /// A Job succeeded (its Complete condition is True).
    pub complete: bool,
    /// When it was created (a CronJob's Jobs are listed newest first).
    pub created: Option<DateTime<Utc>>,
}

fn text(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn time(v: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn items<'a>(v: &'a Value, pointer: &str) -> impl Iterator<Item = &'a Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The object's labels.
pub fn labels(v: &Value) -> Labels {
    v.pointer("/metadata/labels")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .unwrap_or_default()
}

/// The object's owner references.
pub fn owner_refs(v: &Value) -> Vec<DepRef> {
    items(v, "/metadata/ownerReferences")
        .map(|o| DepRef {
            kind: text(o, "/kind"),
            name: text(o, "/name"),
            controller: o["controller"].as_bool().unwrap_or(false),
        })
        .collect()
}

/// Whether a condition of `type_` is True in `status.conditions`.
fn condition(v: &Value, type_: &str) -> bool {
    items(v, "/status/conditions").any(|c| c["type"] == type_ && c["status"] == "True")
}

/// An IntOrString as text.
fn int_or_string(v: &Value, pointer: &str) -> Option<String> {
    match v.pointer(pointer)? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn selector(v: Option<&Value>) -> Option<LabelSelector> {
    match v {
        None | Some(Value::Null) => None,
        Some(s) => serde_json::from_value(s.clone()).ok(),
    }
}

impl DepPod {
    /// From a Pod's JSON.
    pub fn from_json(v: &Value) -> DepPod {
        let volumes = || items(v, "/spec/volumes");
        DepPod {
            name: text(v, "/metadata/name"),
            labels: labels(v),
            owners: owner_refs(v),
            ready: condition(v, "Ready"),
            phase: text(v, "/status/phase"),
            claims: volumes()
                .filter_map(|vol| vol.pointer("/persistentVolumeClaim/claimName"))
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            empty_dirs: volumes()
                .filter(|vol| vol.get("emptyDir").is_some())
                .map(|vol| text(vol, "/name"))
                .collect(),
            deleted: time(v, "/metadata/deletionTimestamp"),
            created: time(v, "/metadata/creationTimestamp"),
        }
    }

    /// The controller among its owners.
    pub fn controller(&self) -> Option<&DepRef> {
        self.owners.iter().find(|o| o.controller)
    }
}

impl DepService {
    /// From a Service's JSON.
    pub fn from_json(v: &Value) -> DepService {
        let selector = v
            .pointer("/spec/selector")
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
            .map(|m| {
                LabelSelector::from_pairs(
                    m.iter()
                        .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default())),
                )
            });
        DepService {
            name: text(v, "/metadata/name"),
            selector,
            kind: v
                .pointer("/spec/type")
                .and_then(Value::as_str)
                .unwrap_or("ClusterIP")
                .to_string(),
        }
    }
}

impl DepEndpoints {
    /// Merges EndpointSlices (JSON) into one entry per Service.
    pub fn from_slices<'a>(slices: impl IntoIterator<Item = &'a Value>) -> Vec<DepEndpoints> {
        let mut out: Vec<DepEndpoints> = Vec::new();
        for slice in slices {
            let service = text(slice, "/metadata/labels/kubernetes.io~1service-name");
            if service.is_empty() {
                continue;
            }
            let at = match out.iter().position(|e| e.service == service) {
                Some(at) => at,
                None => {
                    out.push(DepEndpoints {
                        service,
                        ..DepEndpoints::default()
                    });
                    out.len() - 1
                }
            };
            for e in items(slice, "/endpoints") {
                if e.pointer("/targetRef/kind").and_then(Value::as_str) != Some("Pod") {
                    continue;
                }
                let pod = text(e, "/targetRef/name");
                // The API's rule: a missing `ready` condition means ready.
                if e.pointer("/conditions/ready").and_then(Value::as_bool) != Some(false) {
                    out[at].ready.push(pod);
                } else {
                    out[at].not_ready.push(pod);
                }
            }
        }
        out
    }
}

impl DepPdb {
    /// From a PodDisruptionBudget's JSON.
    pub fn from_json(v: &Value) -> DepPdb {
        DepPdb {
            name: text(v, "/metadata/name"),
            selector: selector(v.pointer("/spec/selector")),
            disruptions_allowed: v
                .pointer("/status/disruptionsAllowed")
                .and_then(Value::as_i64)
                .unwrap_or(0),
            min_available: int_or_string(v, "/spec/minAvailable"),
            max_unavailable: int_or_string(v, "/spec/maxUnavailable"),
        }
    }
}

impl DepOwner {
    /// From a controller's JSON; `kind` because a list's items carry none.
    pub fn from_json(v: &Value, kind: &str) -> DepOwner {
        DepOwner {
            kind: kind.to_string(),
            name: text(v, "/metadata/name"),
            owners: owner_refs(v),
            replicas: v
                .pointer("/spec/replicas")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            finished: condition(v, "Complete") || condition(v, "Failed"),
            complete: condition(v, "Complete"),
            created: time(v, "/metadata/creationTimestamp"),
        }
    }

    /// The controller among its owners.
    pub fn controller(&self) -> Option<&DepRef> {
        self.owners.iter().find(|o| o.controller)
    }
}
