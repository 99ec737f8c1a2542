//! The filter line: typed text refilters live; enter keeps it, esc clears it. It filters the
//! screen shown: a pod table, or a resource list (by namespace and name).

use crossterm::event::KeyEvent;

use super::line::{self, LineKey};
use crate::app::order::Filter;
use crate::app::screen::{InputLine, LineKind, Screen};
use crate::app::state::State;

/// The filter in force on the screen shown.
fn current(state: &State) -> Option<&Filter> {
    match state.screen() {
        Some(Screen::Pods(table)) => table.filter.as_ref(),
        Some(Screen::Resources(view)) => view.filter.as_ref(),
        Some(Screen::Logs(view)) => view.filter.as_ref().map(|f| &f.filter),
        _ => None,
    }
}

/// Opens the filter line with the filter in force, so it can be edited.
pub(super) fn open(state: &mut State) -> bool {
    let text = current(state).map(|f| f.text.clone()).unwrap_or_default();
    let kind = match state.screen() {
        Some(Screen::Logs(_)) => LineKind::LogFilter,
        _ => LineKind::Filter,
    };
    state.line = Some(InputLine { kind, text });
    if let Some(Screen::Pods(table)) = state.stack.last_mut() {
        table.open_search(&state.store, state.sort.is_some());
    }
    true
}

/// The filter line closed: a pod table lets go of its search text.
fn close_search(state: &mut State) {
    if let Some(Screen::Pods(table)) = state.stack.last_mut() {
        table.close_search();
    }
}

/// Drops the filter; `false` when there was none, so no frame is asked for.
pub(super) fn clear(state: &mut State) -> bool {
    let open = state
        .line
        .take_if(|l| matches!(l.kind, LineKind::Filter | LineKind::LogFilter))
        .is_some();
    close_search(state);
    let had = match state.stack.last_mut() {
        Some(Screen::Resources(view)) => {
            let had = view.filter.take().is_some();
            if had {
                view.reorder();
            }
            had
        }
        Some(Screen::Pods(table)) => {
            let had = table.filter.take().is_some();
            if had {
                state.reorder();
            }
            had
        }
        Some(Screen::Logs(view)) => {
            let had = view.filter.is_some();
            view.set_filter(None);
            had
        }
        _ => false,
    };
    had || open
}

/// A key while the filter line is open.
pub(super) fn key(state: &mut State, key: KeyEvent) -> bool {
    let Some(mut text) = state.line.as_ref().map(|l| l.text.clone()) else {
        return false;
    };
    match line::resolve(&state.keymap, &key) {
        LineKey::Cancel => return clear(state),
        LineKey::Accept => {
            state.line = None;
            close_search(state);
            return true;
        }
        LineKey::DeleteBack => {
            text.pop();
        }
        LineKey::Clear => text.clear(),
        LineKey::Char(c) => text.push(c),
        LineKey::Complete | LineKey::Other => return false,
    }
    set_text(state, text);
    true
}

/// Replaces the line's text (typed or pasted) and applies it.
pub(super) fn set_text(state: &mut State, text: String) {
    apply(state, &text);
    if let Some(line) = state.line.as_mut() {
        line.text = text;
    }
}

/// Applies `text` as the filter; a bad regex leaves the previous filter and says why.
fn apply(state: &mut State, text: &str) {
    if let Some(Screen::Logs(view)) = state.stack.last_mut() {
        match Filter::parse_log(text, view.options.case_sensitive) {
            Ok(new) => {
                view.set_filter(new);
                state.message = None;
            }
            Err(sentence) => state.message = Some(sentence),
        }
        return;
    }
    let new = match Filter::parse(text) {
        Ok(new) => new,
        Err(sentence) => {
            state.message = Some(sentence);
            return;
        }
    };
    state.message = None;
    match state.stack.last_mut() {
        Some(Screen::Resources(view)) => {
            // Lists are short next to the pods: a full rebuild per keystroke is cheap.
            view.filter = new;
            view.reorder();
        }
        Some(Screen::Pods(table)) => {
            let narrowing = match (&table.filter, &new) {
                (Some(old), Some(new)) => old.is_narrowed_by(new),
                // Every filter keeps a subset of all the rows: the search text answers it.
                (None, Some(_)) => table.search_ready(&state.store),
                _ => false,
            };
            table.filter = new;
            if narrowing {
                state.reorder_narrowing();
            } else {
                state.reorder();
            }
        }
        _ => {}
    }
}
