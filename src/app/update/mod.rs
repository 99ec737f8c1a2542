//! The one place the state changes: `update(state, msg) -> effects`, pure and synchronous.

use std::collections::HashSet;

use crate::app::action::Action;
use crate::app::effect::{Effect, Namespaces};
use crate::app::msg::{Msg, WatchScope};
use crate::app::screen::Screen;
use crate::app::state::{Connection, NamespaceChoice, State};
use crate::config::keymap::Section;
use crate::kube::pods::PodKey;
use crate::ui;

mod command;
mod filter;
mod screens;
mod table;

/// Applies one message to the state and returns what the runtime must do; no IO happens here.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    let changed = match msg {
        // While the filter line is open, keys are text, not commands.
        Msg::Key(key) if state.filter_input.is_some() => filter::key(state, key),
        Msg::Key(key) if state.command_input.is_some() => command::key(state, key, &mut effects),
        Msg::Key(key) => {
            let section = state.stack.last().map(Screen::section);
            match state.keymap.resolve(section.unwrap_or(Section::Pods), &key) {
                Some(action) => apply_action(state, action, &mut effects),
                None => false,
            }
        }
        Msg::Resize { width, height } => {
            state.size = (width, height);
            true
        }
        Msg::Tick(now) => {
            state.now = now;
            // Only ages change with time, and only rows show ages.
            !state.pods.is_empty() || state.top_resources().is_some_and(|v| !v.order.is_empty())
        }
        Msg::Connected {
            context,
            default_namespace,
        } => {
            state.context = context;
            let namespaces = match &state.namespace_choice {
                NamespaceChoice::ContextDefault => Namespaces::List(vec![default_namespace]),
                NamespaceChoice::All => Namespaces::All,
                NamespaceChoice::List(list) => Namespaces::List(list.clone()),
            };
            state.pending_lists = scopes(&namespaces).collect();
            state.watch_errors.clear();
            state.connection = Connection::Listing;
            state.watching = Some(namespaces.clone());
            effects.push(Effect::StartPodWatch { namespaces });
            screens::rewatch(state, &mut effects);
            true
        }
        Msg::ConnectionFailed(error) => {
            state.connection = Connection::Failed(error);
            true
        }
        Msg::PodsApplied { scope, rows } => {
            state.watch_errors.remove(&scope);
            for row in rows {
                state.upsert(row);
            }
            state.reorder();
            true
        }
        Msg::PodDeleted { scope, key } => {
            state.watch_errors.remove(&scope);
            state.remove(&key);
            state.reorder();
            true
        }
        Msg::PodsRelisted { scope, keys } => {
            relisted(state, &scope, &keys);
            state.pending_lists.remove(&scope);
            state.watch_errors.remove(&scope);
            true
        }
        Msg::WatchFailed { scope, error } => {
            state.watch_errors.insert(scope, error);
            true
        }
        Msg::Resources(event) => screens::event(state, event),
        Msg::InputClosed | Msg::Signal(_) => {
            quit(state, &mut effects);
            false
        }
    };
    if changed {
        state.refresh_connection();
        state.keep_selection_visible(ui::table_body_height(state.size));
        screens::keep_visible(state);
        state.revision = state.revision.wrapping_add(1);
    }
    effects
}

fn apply_action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    // The help screen is modal: it answers only to closing it and to quitting.
    if state.help_open {
        return match action {
            Action::Help | Action::Back => {
                state.help_open = false;
                true
            }
            Action::Quit => {
                quit(state, effects);
                false
            }
            _ => false,
        };
    }
    let global = matches!(
        action,
        Action::Help | Action::Quit | Action::Back | Action::Filter | Action::Command
    );
    if !global && state.top_resources().is_some() {
        return screens::list_action(state, action, effects);
    }
    let before = (state.selected, state.offset);
    let page = ui::table_body_height(state.size).max(1) as isize;
    match action {
        Action::Up => state.move_selection(-1),
        Action::Down => state.move_selection(1),
        Action::PageUp => state.move_selection(-page),
        Action::PageDown => state.move_selection(page),
        Action::Top => state.select_index(0),
        Action::Bottom => state.select_index(usize::MAX),
        Action::Help => {
            state.help_open = true;
            return true;
        }
        // Esc drops a kept filter first, then goes back to the screen below.
        Action::Back => return filter::clear(state) || screens::back(state, effects),
        Action::Filter => return filter::open(state),
        Action::Command => return command::open(state),
        // Enter on the pod table belongs to its detail pane, not to drill-downs.
        Action::Open => return false,
        Action::NextUnhealthy => table::jump_unhealthy(state, true),
        Action::PrevUnhealthy => table::jump_unhealthy(state, false),
        Action::SortNamespace
        | Action::SortName
        | Action::SortReady
        | Action::SortStatus
        | Action::SortRestarts
        | Action::SortLastTermination
        | Action::SortNode
        | Action::SortAge => return table::sort(state, action),
        Action::Quit => {
            quit(state, effects);
            return false;
        }
    }
    state.keep_selection_visible(ui::table_body_height(state.size));
    before != (state.selected, state.offset)
}

fn quit(state: &mut State, effects: &mut Vec<Effect>) {
    if !state.quitting {
        state.quitting = true;
        effects.push(Effect::Quit);
    }
}

/// Drops the rows of `scope` that the fresh list no longer has (deleted while not watching).
fn relisted(state: &mut State, scope: &WatchScope, keys: &[PodKey]) {
    let listed: HashSet<&PodKey> = keys.iter().collect();
    let stale: Vec<PodKey> = state
        .pods
        .keys()
        .filter(|k| scope.contains(&k.namespace) && !listed.contains(k))
        .cloned()
        .collect();
    for key in &stale {
        state.remove(key);
    }
    if !stale.is_empty() {
        state.reorder();
    }
}

fn scopes(namespaces: &Namespaces) -> impl Iterator<Item = WatchScope> + '_ {
    let (all, list) = match namespaces {
        Namespaces::All => (Some(WatchScope::All), &[][..]),
        Namespaces::List(list) => (None, list.as_slice()),
    };
    all.into_iter()
        .chain(list.iter().map(|ns| WatchScope::Namespace(ns.clone())))
}
