//! Switching kubeconfig contexts without restarting (`:ctx NAME` or the context picker).

use crate::app::effect::Effect;
use crate::app::state::{Connection, State};

/// Drops everything seen on the current cluster and connects to `name`.
pub(super) fn switch(state: &mut State, name: &str, effects: &mut Vec<Effect>) {
    if !state.contexts.is_empty() && !state.contexts.iter().any(|c| c == name) {
        state.message = Some(format!(
            "No context {name} in the kubeconfig; known: {}.",
            state.contexts.join(", ")
        ));
        return;
    }
    if name == state.cluster.context && !matches!(state.cluster.connection, Connection::Failed(_)) {
        state.message = Some(format!("Already on context {name}."));
        return;
    }
    // The runtime drops every watch of the old cluster with the switch.
    state.reset_cluster(name);
    effects.push(Effect::SwitchContext {
        context: name.to_string(),
    });
}
