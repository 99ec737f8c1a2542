//! Switching kubeconfig contexts without restarting (`:ctx NAME` or the context picker).

use crate::app::effect::Effect;
use crate::app::state::{Connection, OrderStats, State};

/// Drops everything seen on the current cluster and connects to `name`.
pub(super) fn switch(state: &mut State, name: &str, effects: &mut Vec<Effect>) {
    if !state.contexts.is_empty() && !state.contexts.iter().any(|c| c == name) {
        state.message = Some(format!(
            "No context {name} in the kubeconfig; known: {}.",
            state.contexts.join(", ")
        ));
        return;
    }
    if name == state.context && !matches!(state.connection, Connection::Failed(_)) {
        state.message = Some(format!("Already on context {name}."));
        return;
    }
    state.context = name.to_string();
    state.connection = Connection::Connecting;
    state.watching = None;
    state.only_namespaces = None;
    state.default_namespace = None;
    state.pending_lists.clear();
    state.watch_errors.clear();
    state.forbidden_namespaces.clear();
    state.pods.clear();
    state.interned.clear();
    state.order.clear();
    state.order_stats = OrderStats::default();
    state.namespace_focus = None;
    state.selected = 0;
    state.selected_key = None;
    state.offset = 0;
    state.message = None;
    effects.push(Effect::SwitchContext {
        context: name.to_string(),
    });
    // Lists and drill-downs showed the old cluster's objects.
    super::screens::show_pods(state, effects);
}
