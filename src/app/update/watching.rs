//! Which namespaces to watch: from `-n`, the config's tenants, a tenant label selector or `-A`,
//! and the fall-back to one watch per tenant when RBAC forbids the cluster-wide ones.

use std::collections::BTreeSet;

use crate::app::effect::Effect;
use crate::app::state::{Connection, NamespaceChoice, State};
use crate::kube::scope::{scopes, Namespaces, WatchScope};

/// A client exists: start the watches the user asked for (or find the tenants first).
pub(super) fn connected(
    state: &mut State,
    context: String,
    default_namespace: String,
    effects: &mut Vec<Effect>,
) {
    state.cluster.context = context;
    state.cluster.default_namespace = Some(default_namespace.clone());
    state.store.set_only(None);
    match state.namespace_choice.clone() {
        NamespaceChoice::ContextDefault => {
            watch(state, Namespaces::List(vec![default_namespace]), effects)
        }
        NamespaceChoice::All => watch(state, Namespaces::All, effects),
        NamespaceChoice::List(list) => watch(state, Namespaces::List(list), effects),
        NamespaceChoice::Selector(selector) => {
            state.cluster.connection = Connection::Listing;
            effects.push(Effect::ListNamespaces { selector });
        }
    }
}

/// The selector's namespaces are known: one cluster-wide watch keeping only their pods (a watch
/// per namespace would hold hundreds of connections open); narrowed later if that is forbidden.
pub(super) fn namespaces_listed(state: &mut State, names: Vec<String>, effects: &mut Vec<Effect>) {
    if names.is_empty() {
        let selector = match &state.namespace_choice {
            NamespaceChoice::Selector(s) => s.as_str(),
            _ => "",
        };
        state.cluster.connection = Connection::Failed(format!(
            "No namespace has the label {selector}; check --tenant-selector or config.yaml."
        ));
        return;
    }
    state.store.set_only(Some(names.into_iter().collect()));
    watch(state, Namespaces::All, effects);
}

/// Listing the tenant namespaces failed: when forbidden, watch the known tenants one by one.
pub(super) fn namespace_list_failed(
    state: &mut State,
    error: String,
    forbidden: bool,
    effects: &mut Vec<Effect>,
) {
    if forbidden {
        fall_back(state, "list namespaces", effects);
    } else {
        // Not an RBAC answer: the cluster is unreachable or broken; say so and let the user retry
        // by restarting or switching context, since nothing is being watched.
        state.cluster.connection = Connection::Failed(error);
    }
}

/// A watch failed. Returns whether the failure was handled by narrowing the watches (a
/// forbidden cluster-wide watch, or a forbidden namespace dropped); otherwise it is an ordinary
/// retrying error.
pub(super) fn watch_failed(
    state: &mut State,
    scope: &WatchScope,
    forbidden: bool,
    effects: &mut Vec<Effect>,
) -> bool {
    if let (true, WatchScope::Namespace(ns)) = (forbidden, scope) {
        state.cluster.forbidden_namespaces.insert(ns.clone());
        return stop_refused(state, ns, effects);
    }
    if !(forbidden && *scope == WatchScope::All) {
        return false;
    }
    fall_back(state, "watch pods in all namespaces", effects);
    true
}

/// RBAC refused the watch of namespace `ns`: retrying would not change that, so that watch
/// stops (the others go on) and the user reads once which namespace and what to do.
fn stop_refused(state: &mut State, ns: &str, effects: &mut Vec<Effect>) -> bool {
    let Some(Namespaces::List(list)) = state.cluster.watching.clone() else {
        return false;
    };
    // A late report of a watch already replaced has nothing left to stop.
    if !list.iter().any(|n| n == ns) {
        return true;
    }
    let rest: Vec<String> = list.into_iter().filter(|n| n != ns).collect();
    watch(state, Namespaces::List(rest), effects);
    state.message = Some(format!(
        "You may not list pods in namespace {ns}, so kterm stopped watching it; :ns NAME adds a namespace you can read."
    ));
    true
}

/// One watch per tenant namespace we know of: the selector's result, else the config's tenants,
/// else the context's namespace. Says once, in the status bar, why and what the user can do.
fn fall_back(state: &mut State, denied: &str, effects: &mut Vec<Effect>) {
    let only = state.store.only().cloned();
    state.store.set_only(None);
    let (names, source): (Vec<String>, &str) = if let Some(only) = only {
        (only.into_iter().collect(), "labelled")
    } else if !state.tenants.is_empty() {
        let names = state.tenants.iter().map(|t| t.namespace.clone());
        (names.collect(), "configured")
    } else {
        let ns = state.cluster.default_namespace.clone().unwrap_or_default();
        (vec![ns], "context's")
    };
    let count = names.len();
    let what = match (count, source) {
        (1, "context's") => format!("the context's namespace {}", names[0]),
        (1, _) => format!("the {source} tenant {}", names[0]),
        (n, _) => format!("the {n} {source} tenants one by one"),
    };
    state.message = Some(format!(
        "You may not {denied}, so kterm watches {what}; type :ns NAME to add a namespace."
    ));
    watch(state, Namespaces::List(names), effects);
}

/// Starts watching `namespaces`, replacing the running watches.
pub(super) fn watch(state: &mut State, namespaces: Namespaces, effects: &mut Vec<Effect>) {
    state.cluster.pending_lists = scopes(&namespaces).collect();
    state.cluster.watch_errors.clear();
    state.cluster.connection = Connection::Listing;
    state.cluster.watching = Some(namespaces.clone());
    // Rows of namespaces no longer watched would never be updated again.
    let kept: BTreeSet<String> = match &namespaces {
        Namespaces::All => BTreeSet::new(),
        Namespaces::List(list) => list.iter().cloned().collect(),
    };
    if matches!(namespaces, Namespaces::List(_))
        && state.store.remove_where(|k| !kept.contains(&*k.namespace))
    {
        state.reorder();
    }
    effects.push(Effect::StartPodWatch { namespaces });
    // A list on screen follows the same namespaces.
    super::screens::rewatch(state, effects);
}
