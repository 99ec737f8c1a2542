//! The kinds the simulator serves, with the discovery facts a real API server reports for them.

/// One served resource (a group/version/plural), as discovery describes it.
#[derive(Debug)]
pub struct ResourceDef {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub subresources: &'static [&'static str],
    /// How objects are kept: stored, computed on request, or create-only reviews.
    pub storage: Storage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Kept in the store under this key (events.k8s.io/v1 shares core events' storage).
    Stored(&'static str),
    /// metrics.k8s.io: computed from the pods and nodes when asked.
    Metrics,
    /// authorization.k8s.io reviews: answered on create, never stored.
    Review,
}

const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const RO: &[&str] = &["get", "list"];
const CREATE: &[&str] = &["create"];
const ALL: &[&str] = &["all"];

macro_rules! res {
    ($g:expr, $v:expr, $kind:expr, $plural:expr, $singular:expr, $ns:expr, $short:expr, $cat:expr, $verbs:expr, $sub:expr, $st:expr) => {
        ResourceDef {
            group: $g,
            version: $v,
            kind: $kind,
            plural: $plural,
            singular: $singular,
            namespaced: $ns,
            short_names: $short,
            categories: $cat,
            verbs: $verbs,
            subresources: $sub,
            storage: $st,
        }
    };
}

use Storage::{Metrics, Review, Stored};

/// Every resource served, in discovery order (one line each: it is a table).
#[rustfmt::skip]
pub static RESOURCES: &[ResourceDef] = &[
    res!("", "v1", "Namespace", "namespaces", "namespace", false, &["ns"], &[], &["create", "delete", "get", "list", "patch", "update", "watch"], &["status", "finalize"], Stored("namespaces")),
    res!("", "v1", "Node", "nodes", "node", false, &["no"], &[], RW, &["status", "proxy"], Stored("nodes")),
    res!("", "v1", "Pod", "pods", "pod", true, &["po"], ALL, RW, &["status", "log", "exec", "attach", "binding", "eviction", "portforward", "proxy", "ephemeralcontainers", "resize"], Stored("pods")),
    res!("", "v1", "Service", "services", "service", true, &["svc"], ALL, &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], &["status", "proxy"], Stored("services")),
    res!("", "v1", "Endpoints", "endpoints", "endpoints", true, &["ep"], &[], RW, &[], Stored("endpoints")),
    res!("", "v1", "ConfigMap", "configmaps", "configmap", true, &["cm"], &[], RW, &[], Stored("configmaps")),
    res!("", "v1", "Secret", "secrets", "secret", true, &[], &[], RW, &[], Stored("secrets")),
    res!("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, &["pvc"], &[], RW, &["status"], Stored("persistentvolumeclaims")),
    res!("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, &["sa"], &[], RW, &["token"], Stored("serviceaccounts")),
    res!("", "v1", "Event", "events", "event", true, &["ev"], &[], RW, &[], Stored("events")),
    res!("apps", "v1", "Deployment", "deployments", "deployment", true, &["deploy"], ALL, RW, &["status", "scale"], Stored("deployments")),
    res!("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, &["rs"], ALL, RW, &["status", "scale"], Stored("replicasets")),
    res!("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, &["sts"], ALL, RW, &["status", "scale"], Stored("statefulsets")),
    res!("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true, &["ds"], ALL, RW, &["status"], Stored("daemonsets")),
    res!("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true, &[], &[], RW, &[], Stored("controllerrevisions")),
    res!("batch", "v1", "Job", "jobs", "job", true, &[], ALL, RW, &["status"], Stored("jobs")),
    res!("batch", "v1", "CronJob", "cronjobs", "cronjob", true, &["cj"], ALL, RW, &["status"], Stored("cronjobs")),
    res!("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, &["pdb"], &[], RW, &["status"], Stored("poddisruptionbudgets")),
    res!("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", true, &[], &[], RW, &[], Stored("endpointslices")),
    res!("events.k8s.io", "v1", "Event", "events", "event", true, &["ev"], &[], RW, &[], Stored("events")),
    res!("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", "", true, &[], &[], RO, &[], Metrics),
    res!("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", "", false, &[], &[], RO, &[], Metrics),
    res!("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", "", false, &[], &[], CREATE, &[], Review),
    res!("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", "", false, &[], &[], CREATE, &[], Review),
];

/// The groups in discovery order, each with its one served version.
pub fn groups() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for r in RESOURCES.iter().filter(|r| !r.group.is_empty()) {
        if !out.iter().any(|(g, _)| *g == r.group) {
            out.push((r.group, r.version));
        }
    }
    out
}

/// The resource at `group/version/plural`.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static ResourceDef> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The stored resource of a kind (`"Pod"` in `""`, `"Deployment"` in `"apps"`), for owner references and scenarios.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceDef> {
    let (group, version) = split_api_version(api_version);
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.kind == kind)
}

/// The stored core resource for a storage key such as `"pods"` or `"deployments"`.
pub fn by_storage(key: &str) -> Option<&'static ResourceDef> {
    RESOURCES
        .iter()
        .find(|r| matches!(r.storage, Stored(k) if k == key))
}

/// `apps/v1` → (`apps`, `v1`); `v1` → (``, `v1`).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

impl ResourceDef {
    /// `v1` or `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The storage key, for stored resources.
    pub fn key(&self) -> Option<&'static str> {
        match self.storage {
            Stored(k) => Some(k),
            _ => None,
        }
    }

    pub fn has_subresource(&self, sub: &str) -> bool {
        self.subresources.contains(&sub)
    }

    pub fn allows(&self, verb: &str) -> bool {
        self.verbs.contains(&verb)
    }
}
