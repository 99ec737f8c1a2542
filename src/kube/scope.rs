//! Which namespaces a watch covers: the user's choice (`Namespaces`) and the watches serving it
//! (`WatchScope`, one per namespace or one cluster-wide).

/// Which namespaces to watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Namespaces {
    /// Every namespace, with one cluster-wide watch.
    All,
    /// These namespaces, one watch each (works when RBAC forbids cluster-wide lists).
    List(Vec<String>),
}

/// Which watch an event came from: one per namespace, or one cluster-wide.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchScope {
    /// The cluster-wide watch.
    All,
    /// The watch of one namespace.
    Namespace(String),
}

impl WatchScope {
    /// Whether an object of `namespace` belongs to this watch.
    pub fn contains(&self, namespace: &str) -> bool {
        match self {
            WatchScope::All => true,
            WatchScope::Namespace(ns) => ns == namespace,
        }
    }

    /// `all namespaces` or `namespace t4k9pz`, for sentences.
    pub fn words(&self) -> String {
        match self {
            WatchScope::All => "all namespaces".to_string(),
            WatchScope::Namespace(ns) => format!("namespace {ns}"),
        }
    }
}

/// The watch scopes serving `namespaces`: one cluster-wide, or one per namespace.
pub fn scopes(namespaces: &Namespaces) -> impl Iterator<Item = WatchScope> + '_ {
    let (all, list) = match namespaces {
        Namespaces::All => (Some(WatchScope::All), &[][..]),
        Namespaces::List(list) => (None, list.as_slice()),
    };
    all.into_iter()
        .chain(list.iter().map(|ns| WatchScope::Namespace(ns.clone())))
}
