//! The screen stack and the resource lists: `:kind` commands, esc popping back, enter drilling
//! down, and what the resource watch sends.
//!
//! Only one resource watch runs: the one of the topmost list in the stack. Pushing a list starts
//! a fresh one; popping back to a list of another kind restarts that kind's; leaving every list
//! stops it. The pod watch is never touched.

use crate::app::action::Action;
use crate::app::effect::{Effect, Namespaces, ResourceWatch};
use crate::app::layout;
use crate::app::pod_table::PodTable;
use crate::app::resource_list::{ListScope, ResourceList};
use crate::app::scope::PodScope;
use crate::app::screen::Screen;
use crate::app::state::State;
use crate::kube::kinds::ResourceKind;
use crate::kube::resources::{plural, Drill, Owner, ResourceEvent};
use crate::kube::scope::scopes;

/// `:pod`: back to the pod table at the bottom of the stack, as it was left.
pub(super) fn show_pods(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    pop_to_bottom(state, effects);
    sync_watch(state, effects, false);
    true
}

/// `:deploy` and the like: the list of `kind`, over the pod table (esc goes back to it).
pub(super) fn show_list(state: &mut State, kind: ResourceKind, effects: &mut Vec<Effect>) -> bool {
    pop_to_bottom(state, effects);
    let mut list = ResourceList::new(kind, None);
    // A focused tenant's list: `:ev` shows that tenant's events.
    list.focus = state.namespace_focus.clone().filter(|_| kind.namespaced());
    push(state, Screen::Resources(Box::new(list)), effects);
    true
}

/// Esc with nothing else to close: back to the screen below; `false` on the bottom one.
pub(super) fn back(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    if state.stack.len() <= 1 {
        return false;
    }
    if let Some(top) = state.stack.last() {
        stop_streams(top, effects);
    }
    pop(state);
    sync_watch(state, effects, false);
    true
}

/// Stops the log streams a screen leaving the stack ran.
fn stop_streams(screen: &Screen, effects: &mut Vec<Effect>) {
    let ids = screen.log_streams();
    if !ids.is_empty() {
        effects.push(Effect::StopLogs { ids });
    }
}

/// Pops the top screen; a pod table shown again is brought up to date.
pub(super) fn pop(state: &mut State) {
    state.stack.pop();
    restore_top(state);
}

/// Drops every screen above the bottom one (a context switch, `:pod`).
fn pop_to_bottom(state: &mut State, effects: &mut Vec<Effect>) {
    if state.stack.len() > 1 {
        for screen in state.stack.iter().skip(1) {
            stop_streams(screen, effects);
        }
        state.stack.truncate(1);
        restore_top(state);
    }
}

/// A pod table shown again after being covered: rebuilt if the store, sort or focus changed
/// meanwhile.
fn restore_top(state: &mut State) {
    if state.top_pods().is_some_and(|t| t.stale) {
        state.reorder();
    }
}

/// An action on a resource list: moving the cursor, or opening the selected row.
pub(super) fn list_action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    match action {
        Action::Open => return open(state, effects),
        Action::Filter => return super::filter::open(state),
        Action::Back => {
            return state.message.take().is_some()
                || super::filter::clear(state)
                || back(state, effects)
        }
        _ => {}
    }
    let height = layout::list_body_height(state);
    let page = height.max(1) as isize;
    let Some(view) = state.top_resources_mut() else {
        return false;
    };
    let before = (view.selected, view.offset);
    match action {
        Action::Up => view.move_selection(-1),
        Action::Down => view.move_selection(1),
        Action::PageUp => view.move_selection(-page),
        Action::PageDown => view.move_selection(page),
        Action::Top => view.select_index(0),
        Action::Bottom => view.select_index(usize::MAX),
        _ => return false,
    }
    view.keep_selection_visible(height);
    before != (view.selected, view.offset)
}

/// Enter on a list: the selected row's pods (workloads, services, namespaces) or jobs (cronjobs).
fn open(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(view) = state.top_resources() else {
        return false;
    };
    let Some(row) = view.selected_row() else {
        return false;
    };
    let target = format!("{}/{}", view.kind.short(), row.name);
    let (namespace, name) = (row.namespace.clone(), row.name.clone());
    match row.drill.clone() {
        Drill::Pods(selector) => {
            let scope = PodScope {
                namespace: Some(namespace),
                selector: Some(selector),
                title: format!("pods of {target}"),
            };
            push(
                state,
                Screen::Pods(Box::new(PodTable::scoped(scope))),
                effects,
            );
        }
        Drill::NamespacePods => {
            let unwatched = matches!(&state.cluster.watching, Some(Namespaces::List(list)) if !list.contains(&name));
            push(
                state,
                Screen::Pods(Box::new(PodTable::scoped(PodScope::namespace(&name)))),
                effects,
            );
            if unwatched {
                state.message = Some(format!(
                    "Namespace {name} is not watched; start kterm with -n {name} or -A to see its pods."
                ));
            }
        }
        Drill::OwnedJobs => {
            let scope = ListScope {
                namespace,
                owner: Owner {
                    kind: "CronJob".into(),
                    name,
                },
                title: format!("jobs of {target}"),
            };
            let jobs = ResourceList::new(ResourceKind::Job, Some(scope));
            push(state, Screen::Resources(Box::new(jobs)), effects);
        }
        Drill::NoSelector => {
            state.message = Some(format!("{target} has no selector, so it selects no pods."));
        }
        Drill::Nothing => {
            state.message = Some(format!(
                "Enter opens nothing on {}; it opens the pods of workloads, services and namespaces, and the jobs of cronjobs.",
                plural(view_kind(state))
            ));
        }
    }
    true
}

fn view_kind(state: &State) -> ResourceKind {
    state.top_resources().map_or(ResourceKind::Pod, |v| v.kind)
}

/// Applies a resource watch's event to the list it feeds (the topmost one of its kind).
pub(super) fn event(state: &mut State, event: ResourceEvent) -> bool {
    if state.cluster.resource_watch != Some(event.kind) {
        // A message from a watch already replaced.
        return false;
    }
    let on_top = state.top_resources().is_some_and(|v| v.kind == event.kind);
    let Some(view) = topmost_list(state) else {
        return false;
    };
    if view.kind != event.kind {
        return false;
    }
    view.apply(&event.scope, event.change) && on_top
}

/// Starts the resource watch once connected, if a list was opened before.
pub(super) fn rewatch(state: &mut State, effects: &mut Vec<Effect>) {
    sync_watch(state, effects, true);
}

fn topmost_list(state: &mut State) -> Option<&mut ResourceList> {
    state.stack.iter_mut().rev().find_map(|s| match s {
        Screen::Resources(view) => Some(view.as_mut()),
        _ => None,
    })
}

pub(super) fn push(state: &mut State, screen: Screen, effects: &mut Vec<Effect>) {
    let list = matches!(screen, Screen::Resources(_));
    let pods = matches!(screen, Screen::Pods(_));
    state.line = None;
    state.stack.push(screen);
    if pods {
        state.reorder();
    }
    // A new list starts empty, so it always needs a fresh list from the server.
    sync_watch(state, effects, list);
}

/// Makes the resource watch the one the topmost list needs; `force` restarts it even when the
/// kind is unchanged (a new, empty list).
fn sync_watch(state: &mut State, effects: &mut Vec<Effect>, force: bool) {
    let wanted = state.stack.iter().rev().find_map(|s| match s {
        Screen::Resources(view) => Some(view.kind),
        _ => None,
    });
    if !force && wanted == state.cluster.resource_watch {
        return;
    }
    let was_running = state.cluster.resource_watch.take().is_some();
    match (wanted, state.cluster.watching.clone()) {
        (Some(kind), Some(watching)) => {
            let namespaces = if kind.namespaced() {
                watching
            } else {
                Namespaces::All
            };
            if let Some(view) = topmost_list(state) {
                view.pending = scopes(&namespaces).collect();
                view.errors.clear();
            }
            state.cluster.resource_watch = Some(kind);
            effects.push(Effect::WatchResources(Some(ResourceWatch {
                kind,
                namespaces,
            })));
        }
        // Not connected yet (`Msg::Connected` starts it), or no list left.
        _ if was_running => effects.push(Effect::WatchResources(None)),
        _ => {}
    }
}

/// `=` on the event list: grouped by reason and object, or every event.
pub(super) fn toggle_grouped(state: &mut State) -> bool {
    let Some(view) = state.top_resources_mut() else {
        return false;
    };
    if view.kind != ResourceKind::Event {
        state.message = Some("= groups events; open them with :ev.".to_string());
        return true;
    }
    view.grouped = !view.grouped;
    view.reorder();
    true
}
