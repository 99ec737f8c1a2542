//! The one place the state changes: `update(state, msg) -> effects`, pure and synchronous.

use std::collections::HashSet;

use crate::app::action::Action;
use crate::app::detail::TextMode;
use crate::app::effect::Effect;
use crate::app::msg::{Msg, WatchScope};
use crate::app::screen::Screen;
use crate::app::state::{Connection, State};
use crate::config::keymap::Section;
use crate::kube::pods::PodKey;
use crate::ui;

mod command;
mod context;
mod detail;
mod filter;
mod line;
mod picker;
mod screens;
mod table;
mod tenants;

/// Applies one message to the state and returns what the runtime must do; no IO happens here.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    let changed = match msg {
        // The full-screen text view takes every key while it is open.
        Msg::Key(key) if state.detail.text.is_some() => detail::text_key(state, key, &mut effects),
        // While the filter line is open, keys are text, not commands.
        Msg::Key(key) if state.filter_input.is_some() => filter::key(state, key),
        Msg::Key(key) if state.picker.is_some() => picker::key(state, key, &mut effects),
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
            // Only ages change with time, and only rows and the detail pane show ages.
            detail::tick(state)
                || !state.pods.is_empty()
                || state.top_resources().is_some_and(|v| !v.order.is_empty())
        }
        Msg::Connected {
            context,
            default_namespace,
        } => {
            tenants::connected(state, context, default_namespace, &mut effects);
            true
        }
        Msg::NamespacesListed { names } => {
            tenants::namespaces_listed(state, names, &mut effects);
            true
        }
        Msg::NamespaceListFailed { error, forbidden } => {
            tenants::namespace_list_failed(state, error, forbidden, &mut effects);
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
            if let WatchScope::Namespace(ns) = &scope {
                state.forbidden_namespaces.remove(ns);
            }
            state.pending_lists.remove(&scope);
            state.watch_errors.remove(&scope);
            true
        }
        Msg::WatchFailed {
            scope,
            error,
            forbidden,
        } => {
            if !tenants::watch_failed(state, &scope, forbidden, &mut effects) {
                state.watch_errors.insert(scope, error);
            }
            true
        }
        Msg::Noted(sentence) => {
            state.message = Some(sentence);
            true
        }
        Msg::ObjectFetched {
            id,
            purpose,
            fetched,
        } => detail::fetched(state, id, purpose, fetched),
        Msg::ObjectFetchFailed { id, purpose, error } => detail::failed(state, id, purpose, error),
        Msg::Resources(event) => screens::event(state, event),
        Msg::TerminalReturned { program, exit } => {
            state.message = exit.sentence(&program);
            true
        }
        Msg::InputClosed | Msg::Signal(_) => {
            quit(state, &mut effects);
            false
        }
    };
    // The pane follows the selection whatever moved it (keys, watch events, a filter).
    let followed = detail::follow(state, &mut effects);
    if changed || followed {
        state.refresh_connection();
        state.keep_selection_visible(ui::pods_body_height(state));
        screens::keep_visible(state);
        state.revision = state.revision.wrapping_add(1);
    }
    effects
}

fn apply_action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    // The help screen is modal: it answers only to closing it and to quitting.
    if state.help_open {
        let last = ui::widgets::help::max_scroll(state);
        let page = ui::pods_body_height(state).max(1);
        let scroll = state.help_scroll;
        return match action {
            Action::Help | Action::Back => {
                state.help_open = false;
                state.help_scroll = 0;
                true
            }
            // Scrolling stops once the last line is on screen.
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => {
                state.help_scroll = match action {
                    Action::Down => scroll + 1,
                    Action::Up => scroll.saturating_sub(1),
                    Action::PageDown => scroll + page,
                    Action::PageUp => scroll.saturating_sub(page),
                    Action::Top => 0,
                    _ => last,
                }
                .min(last);
                scroll != state.help_scroll
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
    let page = ui::pods_body_height(state).max(1) as isize;
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
        // esc peels one thing at a time: the last sentence, the detail pane, the filter, then
        // the screen (back to the one below).
        Action::Back => {
            return state.message.take().is_some()
                || detail::close_pane(state)
                || filter::clear(state)
                || screens::back(state, effects)
        }
        Action::Yaml => return detail::open_text(state, TextMode::Yaml, effects),
        Action::Describe => return detail::open_text(state, TextMode::Describe, effects),
        Action::Detail => return detail::toggle_pane(state, effects),
        // Text view actions; the pod table binds none of them.
        Action::ToggleManagedFields | Action::Search | Action::SearchNext | Action::SearchPrev => {
            return false
        }
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
        Action::Tenants => return picker::open_tenants(state),
        Action::AllTenants
        | Action::Favourite1
        | Action::Favourite2
        | Action::Favourite3
        | Action::Favourite4
        | Action::Favourite5
        | Action::Favourite6
        | Action::Favourite7
        | Action::Favourite8
        | Action::Favourite9 => {
            let index = action.favourite_index().unwrap_or(0);
            return picker::favourite(state, index);
        }
        // Picker- and line-only actions mean nothing on the table.
        Action::ToggleFavourite | Action::DeleteBack | Action::Complete => return false,
        Action::Quit => {
            quit(state, effects);
            return false;
        }
    }
    state.keep_selection_visible(ui::pods_body_height(state));
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
