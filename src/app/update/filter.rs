//! The filter line: typed text refilters live; enter keeps it, esc clears it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::order::Filter;
use crate::app::state::State;

/// Opens the filter line with the filter in force, so it can be edited.
pub(super) fn open(state: &mut State) -> bool {
    let text = state
        .filter
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    state.filter_input = Some(text);
    true
}

/// Drops the filter; `false` when there was none, so no frame is asked for.
pub(super) fn clear(state: &mut State) -> bool {
    let had = state.filter.is_some() || state.filter_input.is_some();
    state.filter_input = None;
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
    match key.code {
        KeyCode::Esc => return clear(state),
        KeyCode::Enter => {
            state.filter_input = None;
            return true;
        }
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            return clear(state);
        }
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) => text.push(c),
        _ => return false,
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
