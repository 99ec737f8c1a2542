//! Commands `update` hands to the runtime; their results come back as `Msg`s.

use crate::kube::kinds::ResourceKind;

/// Which namespaces to watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Namespaces {
    /// Every namespace, with one cluster-wide watch.
    All,
    /// These namespaces, one watch each (works when RBAC forbids cluster-wide lists).
    List(Vec<String>),
}

/// The one resource-list watch: a kind and the namespaces to watch it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceWatch {
    /// The kind listed.
    pub kind: ResourceKind,
    /// Where (ignored for cluster-scoped kinds, watched cluster-wide).
    pub namespaces: Namespaces,
}

/// Something for the runtime to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Replace the running pod watches with watches of these namespaces.
    StartPodWatch {
        /// What to watch.
        namespaces: Namespaces,
    },
    /// Replace the resource-list watch with this one; `None` stops it. The pod watch is kept.
    WatchResources(Option<ResourceWatch>),
    /// Leave the app.
    Quit,
}
