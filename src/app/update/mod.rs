//! The one place the state changes: `update(state, msg) -> effects`, pure and synchronous.
//!
//! One routing rule for keys: the modal (help, a picker) if one is open, else the input line
//! (filter, command, search), else the screen on top of the stack.

use std::collections::HashSet;

use crossterm::event::KeyEvent;

use crate::app::action::Action;
use crate::app::effect::{Effect, FetchPurpose};
use crate::app::layout;
use crate::app::msg::{Msg, WatchScope};
use crate::app::objects::TextMode;
use crate::app::screen::{LineKind, Modal, Screen};
use crate::app::state::{Connection, State};
use crate::config::keymap::Section;
use crate::kube::pods::PodKey;

mod actions;
mod alerts;
mod clipboard;
mod command;
mod confirm;
mod context;
mod copy;
pub mod delete;
mod edit;
mod filter;
mod line;
mod logs;
mod metrics;
mod modal;
mod mouse;
mod objects;
pub mod overview;
mod paste;
mod picker;
mod rights;
mod run;
mod save;
mod screens;
mod shell;
mod table;
mod watching;

pub use actions::scale_prompt;

/// Applies one message to the state and returns what the runtime must do; no IO happens here.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    // The overview is recomputed only when what it reads (or the clock) moved.
    let overview_data = matches!(
        msg,
        Msg::PodsApplied { .. }
            | Msg::PodDeleted { .. }
            | Msg::PodsRelisted { .. }
            | Msg::Health(_)
            | Msg::Tick(_)
    );
    let msg_was_tick = matches!(msg, Msg::Tick(_));
    let changed = match msg {
        Msg::Key(key) => route(state, key, &mut effects),
        Msg::ImpactChecked { id, index, inputs } => delete::checked(state, id, index, &inputs),
        Msg::AccessChecked { access, allowed } => match rights::answered(state, access, allowed) {
            Some(action) => apply_action(state, action, &mut effects),
            None => true,
        },
        Msg::Paste(text) => paste::paste(state, &text),
        Msg::Resize { width, height } => {
            state.size = (width, height);
            true
        }
        Msg::Tick(now) => {
            state.now = now;
            metrics::poll_if_due(state, &mut effects);
            overview::watch_for_down(state, &mut effects);
            // Only ages change with time, and only rows and the detail pane show ages.
            objects::tick(state)
                || !state.store.is_empty()
                || state.top_resources().is_some_and(|v| !v.order.is_empty())
        }
        Msg::Connected {
            context,
            default_namespace,
        } => {
            watching::connected(state, context, default_namespace, &mut effects);
            true
        }
        Msg::NamespacesListed { names } => {
            watching::namespaces_listed(state, names, &mut effects);
            true
        }
        Msg::NamespaceListFailed { error, forbidden } => {
            watching::namespace_list_failed(state, error, forbidden, &mut effects);
            true
        }
        Msg::ConnectionFailed(error) => {
            state.cluster.connection = Connection::Failed(error);
            true
        }
        Msg::PodsApplied { scope, rows } => {
            state.cluster.watch_errors.remove(&scope);
            for row in rows {
                alerts::pod_changed(state, &row, &mut effects);
                state.store.upsert(row);
            }
            state.reorder();
            logs::sync(state, &mut effects);
            true
        }
        Msg::PodDeleted { scope, key } => {
            state.cluster.watch_errors.remove(&scope);
            state.store.remove(&key);
            state.reorder();
            logs::sync(state, &mut effects);
            true
        }
        Msg::PodsRelisted { scope, keys } => {
            relisted(state, &scope, &keys);
            logs::sync(state, &mut effects);
            if let WatchScope::Namespace(ns) = &scope {
                state.cluster.forbidden_namespaces.remove(ns);
            }
            state.cluster.pending_lists.remove(&scope);
            state.cluster.watch_errors.remove(&scope);
            true
        }
        Msg::WatchFailed {
            scope,
            error,
            forbidden,
        } => {
            if !watching::watch_failed(state, &scope, forbidden, &mut effects) {
                state.cluster.watch_errors.insert(scope, error);
            }
            true
        }
        Msg::Noted(sentence) => {
            state.message = Some(sentence);
            true
        }
        Msg::ObjectFetched {
            id,
            purpose: FetchPurpose::Clipboard,
            fetched,
        } => clipboard::fetched(state, id, &fetched, &mut effects),
        Msg::ObjectFetchFailed {
            id,
            purpose: FetchPurpose::Clipboard,
            error,
            ..
        } => clipboard::failed(state, id, error),
        Msg::ObjectFetched {
            id,
            purpose,
            fetched,
        } => objects::fetched(state, id, purpose, fetched),
        Msg::ObjectFetchFailed {
            id,
            purpose,
            error,
            not_found,
        } => objects::failed(state, id, purpose, error, not_found),
        Msg::Resources(event) => screens::event(state, event),
        Msg::Health(event) => {
            // A warning about the pod in the detail pane: the pane reads it again (the row
            // changing on a restart does the same for the normal events).
            let about_pane = objects::pane_news(state, &event);
            overview::health_event(state, event) || about_pane
        }
        Msg::Log { id, event } => logs::event(state, id, event),
        Msg::MetricsPolled(answers) => metrics::polled(state, answers),
        Msg::FileExists(path) => save::file_exists(state, path),
        Msg::CopyProgress(p) => {
            copy::progress(state, &p);
            true
        }
        Msg::CopyDone(sentence) => {
            state.message = Some(sentence);
            true
        }
        Msg::CopyExists(job) => {
            copy::exists(state, job);
            true
        }
        Msg::ShellEnded { target, end } => {
            shell::ended(state, &target, &end);
            true
        }
        Msg::ShellChoose {
            namespace,
            pod,
            choices,
        } => {
            shell::choose(state, &namespace, &pod, &choices);
            true
        }
        Msg::TerminalReturned { program, exit } => {
            if !edit::editor_returned(state, &program, &exit, &mut effects) {
                state.message = exit.sentence(&program);
            }
            true
        }
        Msg::EditOpened(opened) => edit::opened(state, *opened, &mut effects),
        Msg::EditFailed { id, sentence } => edit::failed(state, id, &sentence),
        Msg::EditRead { id, text } => edit::read(state, id, text, &mut effects),
        Msg::EditApplied { id, result } => edit::applied(state, id, result, &mut effects),
        Msg::EditRefused { id, paths } => edit::refused(state, id, &paths),
        Msg::Mutated { sentence } => delete::mutated(state, sentence, true),
        Msg::MutateFailed { sentence } => delete::mutated(state, sentence, false),
        Msg::FormLoaded(loaded) => actions::form_loaded(state, loaded),
        Msg::Mouse(event) => mouse::event(state, event, &mut effects),
        Msg::InputClosed | Msg::Signal(_) => {
            quit(state, &mut effects);
            false
        }
    };
    // The pane follows the selection whatever moved it (keys, watch events, a filter).
    let followed = objects::follow(state, &mut effects);
    if overview_data && !msg_was_tick {
        state.health_dirty = true;
    }
    if changed || followed {
        overview::refresh(state, overview_data);
        state.refresh_connection();
        keep_visible(state);
        state.revision = state.revision.wrapping_add(1);
    }
    effects
}

/// A key goes to the modal, else the input line, else the screen on top.
fn route(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    if state.modal.is_some() {
        return modal::key(state, key, effects);
    }
    if let Some(line) = &state.line {
        return match line.kind {
            LineKind::Filter | LineKind::LogFilter => filter::key(state, key),
            LineKind::Command => command::key(state, key, effects),
            LineKind::Search => {
                if let line::Edit::Accept(text) = line::edit(state, &key) {
                    match state.screen() {
                        Some(Screen::Logs(_)) => logs::search(state, &text),
                        _ => objects::search(state, &text),
                    }
                }
                true
            }
            LineKind::SavePath => save::key(state, key, effects),
            LineKind::RunCommand => run::key(state, key, effects),
            LineKind::Scale => actions::scale_key(state, key, effects),
        };
    }
    let section = state.screen().map_or(Section::Pods, Screen::section);
    match state.keymap.resolve(section, &key) {
        Some(action) => apply_action(state, action, effects),
        None => false,
    }
}

/// An action on the screen shown; the few that mean the same everywhere first.
fn apply_action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    if let Some(changed) = rights::gate(state, action, effects) {
        return changed;
    }
    match action {
        Action::Overview => return overview::open(state, effects),
        Action::Help => {
            state.modal = Some(Modal::Help { scroll: 0 });
            rights::prefetch(state, effects);
            return true;
        }
        Action::Quit => {
            quit(state, effects);
            return false;
        }
        Action::Command => return command::open(state),
        Action::Alerts => return alerts::open(state),
        // Pod tables and lists draw from this one flag.
        Action::ToggleWide => {
            state.wide = !state.wide;
            return true;
        }
        // Copies read the screen shown, whichever it is.
        action if clipboard::is_copy(action) => {
            return clipboard::action(state, action, effects);
        }
        Action::ToggleMetrics => return metrics::toggle(state, effects),
        _ => {}
    }
    match state.screen() {
        // What a list's row opens elsewhere is routed here, so `screens` need not know the
        // other screens' modules.
        Some(Screen::Resources(_)) => match action {
            Action::Yaml => objects::open_text(state, TextMode::Yaml, effects),
            Action::Describe => objects::open_text(state, TextMode::Describe, effects),
            Action::Logs => logs::open(state, effects),
            Action::Delete => delete::open(state, false, effects),
            Action::Mark => delete::mark(state),
            Action::ToggleGrouped => screens::toggle_grouped(state),
            Action::Edit => edit::open_selected(state, effects),
            Action::Scale => actions::scale_open(state),
            Action::RolloutRestart => actions::restart(state),
            Action::SetResources => actions::resources_open(state, effects),
            Action::Suspend => actions::suspend(state, effects),
            Action::Trigger => actions::trigger(state),
            _ => screens::list_action(state, action, effects),
        },
        Some(Screen::Text(_)) => objects::text_action(state, action),
        Some(Screen::Logs(_)) => logs::action(state, action, effects),
        Some(Screen::Overview(_)) => overview::action(state, action, effects),
        _ => pods_action(state, action, effects),
    }
}

/// An action on a pod table.
fn pods_action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    let page = layout::pods_body_height(state).max(1) as isize;
    let Some(table) = state.top_pods_mut() else {
        return false;
    };
    let before = (table.selected, table.offset);
    match action {
        Action::Up => table.move_selection(-1),
        Action::Down => table.move_selection(1),
        Action::PageUp => table.move_selection(-page),
        Action::PageDown => table.move_selection(page),
        Action::Top => table.select_index(0),
        Action::Bottom => table.select_index(usize::MAX),
        // esc peels one thing at a time: the last sentence, the detail pane, the filter, then
        // the screen (back to the one below).
        Action::Back => {
            return state.message.take().is_some()
                || objects::close_pane(state)
                || filter::clear(state)
                || screens::back(state, effects)
        }
        Action::Yaml => return objects::open_text(state, TextMode::Yaml, effects),
        Action::Describe => return objects::open_text(state, TextMode::Describe, effects),
        Action::Detail => return objects::toggle_pane(state, effects),
        Action::Filter => return filter::open(state),
        Action::Logs => return logs::open(state, effects),
        Action::Shell => return shell::open(state, effects),
        Action::RunCommand => return run::open(state),
        Action::CopyFiles => return copy::open(state),
        Action::Delete => return delete::open(state, false, effects),
        Action::RestartPod => return delete::open(state, true, effects),
        Action::Mark => return delete::mark(state),
        Action::Edit => return edit::open_selected(state, effects),
        Action::NextContainer => {
            return state
                .top_pods_mut()
                .and_then(|t| t.pane.as_mut())
                .is_some_and(|p| p.next_container())
        }
        Action::LogsAll => return logs::open_all(state, effects),
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
        // Enter on the pod table belongs to its detail pane; the rest are other screens' keys.
        _ => return false,
    }
    let height = layout::pods_body_height(state);
    let Some(table) = state.top_pods_mut() else {
        return false;
    };
    table.keep_selection_visible(height);
    before != (table.selected, table.offset)
}

/// Keeps the selection of the screen shown on screen after a resize or a change of rows.
fn keep_visible(state: &mut State) {
    match state.screen() {
        Some(Screen::Pods(_)) => {
            let height = layout::pods_body_height(state);
            if let Some(table) = state.top_pods_mut() {
                table.keep_selection_visible(height);
            }
        }
        Some(Screen::Resources(_)) => {
            let height = layout::list_body_height(state);
            if let Some(view) = state.top_resources_mut() {
                view.keep_selection_visible(height);
            }
        }
        _ => {}
    }
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
    let gone = state
        .store
        .remove_where(|k| scope.contains(&k.namespace) && !listed.contains(k));
    if gone {
        state.reorder();
    }
}
