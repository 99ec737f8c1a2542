//! The tenant picker (focus the pod table on one tenant, favourites on 1–9, `0` for all) and
//! the context picker (`:ctx`).

use crossterm::event::KeyEvent;

use super::line::{self, LineKey};
use crate::app::action::Action;
use crate::app::effect::{Effect, FetchPurpose, Namespaces};
use crate::app::layout;
use crate::app::picker::{Picker, PickerItem, PickerKind};
use crate::app::screen::{Modal, Screen};
use crate::app::state::State;
use crate::config::keymap::Section;
use crate::config::settings::invalid_namespace;
use crate::kube::fetch::ObjectRef;
use crate::kube::kinds::ResourceKind;

use super::{context, watching};

/// Opens the tenant picker: "all tenants", the favourites, then every other known namespace,
/// each with its pod and not-ready counts.
pub(super) fn open_tenants(state: &mut State) -> bool {
    // The store keeps these counters with every change: opening the picker never recounts.
    let counts = state.store.counts();
    let mut names: Vec<String> = counts.keys().map(|s| s.to_string()).collect();
    names.extend(state.tenants.iter().map(|t| t.namespace.clone()));
    if let Some(Namespaces::List(list)) = &state.cluster.watching {
        names.extend(list.iter().cloned());
    }
    names.sort();
    names.dedup();
    // Favourites first, in their 1–9 order.
    names.sort_by_key(|n| {
        state
            .favourites
            .iter()
            .position(|f| f == n)
            .unwrap_or(usize::MAX)
    });
    let totals = state.store.totals();
    let mut items = vec![PickerItem {
        value: String::new(),
        label: "all tenants".to_string(),
        detail: describe_counts(totals.pods, totals.unhealthy),
        favourite: false,
    }];
    items.extend(names.into_iter().map(|ns| {
        let c = counts.get(ns.as_str()).copied().unwrap_or_default();
        let (pods, bad) = (c.pods, c.unhealthy);
        let label = state
            .tenants
            .iter()
            .find(|t| t.namespace == ns)
            .map_or_else(|| ns.clone(), |t| t.label());
        PickerItem {
            favourite: state.favourites.contains(&ns),
            value: ns,
            label,
            detail: describe_counts(pods, bad),
        }
    }));
    let current = state.namespace_focus.clone().unwrap_or_default();
    state.modal = Some(Modal::Picker(Picker::new(
        PickerKind::Tenants,
        items,
        &current,
    )));
    true
}

/// Opens the context picker over the kubeconfig's contexts.
pub(super) fn open_contexts(state: &mut State) -> bool {
    if state.contexts.is_empty() {
        state.message = Some("The kubeconfig lists no contexts to switch to.".to_string());
        return true;
    }
    let items = state
        .contexts
        .iter()
        .map(|c| PickerItem {
            value: c.clone(),
            label: c.clone(),
            detail: if *c == state.cluster.context {
                "current".into()
            } else {
                String::new()
            },
            favourite: false,
        })
        .collect();
    let current = state.cluster.context.clone();
    state.modal = Some(Modal::Picker(Picker::new(
        PickerKind::Contexts,
        items,
        &current,
    )));
    true
}

fn describe_counts(pods: usize, unhealthy: usize) -> String {
    match (pods, unhealthy) {
        (0, _) => "no pods seen".to_string(),
        (p, 0) => format!("{p} pods"),
        (p, u) => format!("{p} pods, {u} not ready"),
    }
}

/// A key while the picker is open: its own bindings, esc, else text narrowing the list.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let room = layout::picker_room(state);
    let Some(Modal::Picker(picker)) = state.modal.as_mut() else {
        return false;
    };
    match state.keymap.resolve_only(Section::Picker, &key) {
        Some(Action::Up) => picker.step(-1, room),
        Some(Action::Down) => picker.step(1, room),
        Some(Action::PageUp) => picker.step(-(room as isize), room),
        Some(Action::PageDown) => picker.step(room as isize, room),
        Some(Action::Open) => return select(state, effects),
        Some(Action::ToggleFavourite) => return toggle_favourite(state, effects),
        _ => match line::resolve(&state.keymap, &key) {
            LineKey::Cancel => state.modal = None,
            LineKey::Accept => return select(state, effects),
            LineKey::DeleteBack => {
                let mut query = picker.query.clone();
                query.pop();
                picker.set_query(query, room);
            }
            LineKey::Clear => picker.set_query(String::new(), room),
            LineKey::Char(c) => {
                let query = format!("{}{c}", picker.query);
                picker.set_query(query, room);
            }
            LineKey::Complete | LineKey::Other => return false,
        },
    }
    true
}

/// Enter: focus the tenant (or watch a typed namespace), or switch to the context.
fn select(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Picker(picker)) = state.modal.take() else {
        return false;
    };
    let chosen = picker.chosen().map(|i| i.value.clone());
    match (picker.kind, chosen) {
        (PickerKind::Tenants, Some(ns)) => focus(state, (!ns.is_empty()).then_some(ns)),
        (PickerKind::Tenants, None) => add_namespace(state, picker.query.trim(), effects),
        (PickerKind::Contexts, Some(name)) => context::switch(state, &name, effects),
        (PickerKind::Contexts, None) => {
            state.message = Some(format!("No context matches {:?}.", picker.query));
        }
        (PickerKind::Containers, Some(name)) => {
            super::logs::choose_container(state, &name, effects)
        }
        (PickerKind::ShellContainers, Some(value)) => super::shell::chosen(state, &value, effects),
        (PickerKind::ShellContainers, None) => {
            state.message = Some(format!("No container matches {:?}.", picker.query));
        }
        (PickerKind::Containers, None) => {
            state.message = Some(format!(
                "No container matches {:?}; C shows them again.",
                picker.query
            ));
        }
    }
    true
}

/// Shows only `namespace`'s pods (`None`: every watched tenant), from the rows already held.
pub(super) fn focus(state: &mut State, namespace: Option<String>) {
    if state.namespace_focus == namespace {
        return;
    }
    state.namespace_focus = namespace;
    if let Some(table) = state.top_pods_mut() {
        table.reset_cursor();
    }
    // Lists of namespaced kinds follow the focus too (`:ev` of the focused tenant).
    for screen in &mut state.stack {
        if let Screen::Resources(list) = screen {
            if list.kind.namespaced() && list.scope.is_none() {
                list.focus = state.namespace_focus.clone();
                list.reorder();
            }
        }
    }
    state.reorder();
}

/// A namespace typed into the picker that is not watched yet: add it to the watched list (the
/// way out when RBAC hides the namespace list) and focus on it.
pub(super) fn add_namespace(state: &mut State, name: &str, effects: &mut Vec<Effect>) {
    if let Some(problem) = invalid_namespace(name) {
        state.message = Some(format!("{name:?} {problem}."));
        return;
    }
    match state.cluster.watching.clone() {
        Some(Namespaces::List(mut list)) => {
            // A namespace RBAC refused (say the context's, tried as a last resort) only keeps
            // the status bar at "retrying"; the one typed replaces it.
            let before = list.clone();
            list.retain(|n| !state.cluster.forbidden_namespaces.contains(n));
            if !list.iter().any(|n| n == name) {
                list.push(name.to_string());
            }
            if list != before {
                watching::watch(state, Namespaces::List(list), effects);
            }
        }
        // A cluster-wide watch already sees it (unless a tenant selector narrows it).
        Some(Namespaces::All) => {
            if state.store.add_only(name) {
                watching::watch(state, Namespaces::All, effects);
            }
        }
        None => {
            state.message = Some("Not connected yet; try again once connected.".to_string());
            return;
        }
    }
    focus(state, Some(name.to_string()));
    // Listing the pods of a namespace that does not exist just finds none; ask for the
    // namespace itself so a typo is named instead of showing an empty table.
    let id = state.next_request();
    state.cluster.namespace_check = Some((id, name.to_string()));
    effects.push(Effect::FetchObject {
        id,
        purpose: FetchPurpose::Namespace,
        target: ObjectRef::new(ResourceKind::Namespace, None, name),
    });
}

/// `*` in the tenant picker: mark or unmark the tenant under the cursor, and save the list.
fn toggle_favourite(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Picker(picker)) = state.modal.as_mut() else {
        return false;
    };
    if picker.kind != PickerKind::Tenants {
        return false;
    }
    let selected = picker.selected;
    let Some(ns) = picker.chosen().map(|i| i.value.clone()) else {
        return false;
    };
    if ns.is_empty() {
        return false;
    }
    let now_favourite = if let Some(i) = state.favourites.iter().position(|f| *f == ns) {
        state.favourites.remove(i);
        false
    } else if state.favourites.len() >= 9 {
        state.message = Some("Nine favourites is the most 1–9 can reach; unmark one first.".into());
        return true;
    } else {
        state.favourites.push(ns.clone());
        true
    };
    if let Some(item) = picker.items.iter_mut().find(|i| i.value == ns) {
        item.favourite = now_favourite;
    }
    picker.selected = selected;
    effects.push(Effect::SaveFavourites {
        favourites: state.favourites.clone(),
    });
    true
}

/// 1–9 on the pod table: focus that favourite; 0: all tenants.
pub(super) fn favourite(state: &mut State, index: usize) -> bool {
    if index == 0 {
        let changed = state.namespace_focus.is_some();
        focus(state, None);
        return changed;
    }
    match state.favourites.get(index - 1).cloned() {
        Some(ns) => focus(state, Some(ns)),
        None => {
            state.message = Some(format!(
                "No favourite {index}; mark tenants with * in the tenant picker."
            ));
        }
    }
    true
}
