//! Commands `update` hands to the runtime; their results come back as `Msg`s.

/// Which namespaces to watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Namespaces {
    /// Every namespace, with one cluster-wide watch.
    All,
    /// These namespaces, one watch each (works when RBAC forbids cluster-wide lists).
    List(Vec<String>),
}

/// Something for the runtime to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Replace the running pod watches with watches of these namespaces.
    StartPodWatch {
        /// What to watch.
        namespaces: Namespaces,
    },
    /// List the namespaces matching a label selector (`k=v`), once.
    ListNamespaces {
        /// The selector.
        selector: String,
    },
    /// Drop the current cluster's watches and connect to another kubeconfig context.
    SwitchContext {
        /// The context's name.
        context: String,
    },
    /// Remember the favourite tenants for the next start.
    SaveFavourites {
        /// In 1–9 order.
        favourites: Vec<String>,
    },
    /// Leave the app.
    Quit,
}
