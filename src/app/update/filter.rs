//! The filter line: typed text refilters live; enter keeps it, esc clears it. It filters the
//! screen shown: the pod table, or a resource list (by namespace and name).

use crossterm::event::KeyEvent;

use super::line::{self, LineKey};
use crate::app::order::Filter;
use crate::app::state::State;

/// Opens the filter line with the filter in force, so it can be edited.
pub(super) fn open(state: &mut State) -> bool {
    let current = match state.top_resources() {
        Some(view) => view.filter.as_ref(),
        None => state.filter.as_ref(),
    };
    let text = current.map(|f| f.text.clone()).unwrap_or_default();
    state.filter_input = Some(text);
    true
}

/// Drops the filter; `false` when there was none, so no frame is asked for.
pub(super) fn clear(state: &mut State) -> bool {
    let open = state.filter_input.take().is_some();
    if let Some(view) = state.top_resources_mut() {
        let had = view.filter.take().is_some();
        if had {
            view.reorder();
        }
        return had || open;
    }
    let had = state.filter.is_some() || open;
    if state.filter.take().is_some() {
        state.reorder();
    }
    had
}

/// A key while the filter line is open.
pub(super) fn key(state: &mut State, key: KeyEvent) -> bool {
    let Some(mut text) = state.filter_input.clone() else {
        return false;
    };
    match line::resolve(&state.keymap, &key) {
        LineKey::Cancel => return clear(state),
        LineKey::Accept => {
            state.filter_input = None;
            return true;
        }
        LineKey::DeleteBack => {
            text.pop();
        }
        LineKey::Char(c) => text.push(c),
        LineKey::Complete | LineKey::Other => return false,
    }
    state.filter_input = Some(text.clone());
    apply(state, &text);
    true
}

/// Applies `text` as the filter; a bad regex leaves the previous filter and says why.
fn apply(state: &mut State, text: &str) {
    match Filter::parse(text) {
        Ok(new) => {
            state.message = None;
            if let Some(view) = state.top_resources_mut() {
                // Lists are short next to the pods: a full rebuild per keystroke is cheap.
                view.filter = new;
                view.reorder();
                return;
            }
            let narrowing =
                matches!((&state.filter, &new), (Some(old), Some(new)) if old.is_narrowed_by(new));
            state.filter = new;
            if narrowing {
                state.reorder_narrowing();
            } else {
                state.reorder();
            }
        }
        Err(sentence) => state.message = Some(sentence),
    }
}
