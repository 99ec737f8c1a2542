//! Sorting and jumping between pods that need a look.

use crate::app::action::Action;
use crate::app::layout;
use crate::app::order::{Sort, SortColumn};
use crate::app::state::State;
use crate::kube::health::PodHealth;

/// Sorts by the column `action` names, reversing when it is already the sort column.
pub(super) fn sort(state: &mut State, action: Action) -> bool {
    let column = match action {
        Action::SortNamespace => SortColumn::Namespace,
        Action::SortName => SortColumn::Name,
        Action::SortReady => SortColumn::Ready,
        Action::SortStatus => SortColumn::Status,
        Action::SortRestarts => SortColumn::Restarts,
        Action::SortLastTermination => SortColumn::LastTermination,
        Action::SortNode => SortColumn::Node,
        Action::SortAge => SortColumn::Age,
        _ => return false,
    };
    state.sort = Some(Sort::toggled(state.sort, column));
    state.reorder();
    let height = layout::pods_body_height(state);
    if let Some(table) = state.top_pods_mut() {
        table.keep_selection_visible(height);
    }
    // The header shows the sort even when the rows happen to stay put.
    true
}

/// Selects the next (or previous) shown pod that needs a look, wrapping around the ends.
pub(super) fn jump_unhealthy(state: &mut State, forward: bool) {
    let Some(table) = state.top_pods() else {
        return;
    };
    let len = table.order.len();
    if len == 0 {
        return;
    }
    let needs_look = |i: usize| {
        table
            .order
            .get(i)
            .and_then(|k| state.store.get(k))
            .is_some_and(|row| {
                matches!(
                    PodHealth::of(row, state.now),
                    PodHealth::Oom
                        | PodHealth::Failing
                        | PodHealth::Restarting
                        | PodHealth::Pending
                )
            })
    };
    let start = table.selected;
    let found = (1..=len)
        .map(|step| {
            if forward {
                (start + step) % len
            } else {
                (start + len - step % len) % len
            }
        })
        .find(|&i| needs_look(i));
    match found {
        Some(i) => {
            if let Some(table) = state.top_pods_mut() {
                table.select_index(i);
            }
        }
        None => state.message = Some("No pod needs a look.".to_string()),
    }
}
