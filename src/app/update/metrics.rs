//! When to ask metrics.k8s.io, and what its answers change: a poll only for what is on screen
//! (the namespaces of the visible pod rows, the nodes of `:node`), every interval, with a
//! backoff and a single sentence when metrics-server is absent or forbidden.

use std::collections::BTreeSet;

use crate::app::effect::Effect;
use crate::app::layout;
use crate::app::metrics::Polled;
use crate::app::screen::Screen;
use crate::app::state::{Connection, State};
use crate::kube::kinds::ResourceKind;

/// What is on screen that usage is shown for: pod namespaces, and whether nodes are.
pub fn on_screen(state: &State) -> (BTreeSet<String>, bool) {
    match state.screen() {
        Some(Screen::Pods(table)) => {
            let rows = table.visible_rows(&state.store, layout::pods_body_height(state));
            (rows.map(|r| r.namespace.to_string()).collect(), false)
        }
        Some(Screen::Resources(list)) if list.kind == ResourceKind::Node => (BTreeSet::new(), true),
        // The overview's tenants on screen: their AT RISK state needs their pods' usage.
        Some(Screen::Overview(view)) => {
            let height = layout::overview_body_height(state);
            let shown = view.rows.iter().skip(view.top).take(height.max(1));
            (shown.map(|r| r.namespace.clone()).collect(), false)
        }
        _ => (BTreeSet::new(), false),
    }
}

/// On every tick (and after a key that may have scrolled new namespaces into view): starts
/// a poll when one is due.
pub(super) fn poll_if_due(state: &mut State, effects: &mut Vec<Effect>) {
    // Before a client exists there is nobody to ask.
    if matches!(
        state.cluster.connection,
        Connection::Connecting | Connection::Failed(_)
    ) {
        return;
    }
    let (namespaces, nodes) = on_screen(state);
    if !state.metrics.due(state.now, &namespaces, nodes) {
        return;
    }
    state.metrics.started(namespaces.clone());
    effects.push(Effect::PollMetrics {
        namespaces: namespaces.into_iter().collect(),
        nodes,
    });
}

/// A poll answered: usage replaced, the status set; metrics becoming unavailable is said once.
pub(super) fn polled(state: &mut State, polled: Polled) -> bool {
    if let Some(sentence) = state.metrics.answered(state.now, polled) {
        state.message = Some(sentence);
    }
    super::overview::usage_polled(state);
    true
}

/// The key: polling off (usage forgotten, columns gone) or on (a poll at once).
pub(super) fn toggle(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let on = !state.metrics.settings.enabled;
    state.metrics.set_enabled(on);
    state.message = Some(if on {
        "Metrics on: CPU and MEM against requests and limits, from metrics.k8s.io.".to_string()
    } else {
        "Metrics off: no more usage polls.".to_string()
    });
    if on {
        poll_if_due(state, effects);
    }
    true
}
