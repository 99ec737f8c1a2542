//! The keys of every input line (filter, command, picker query, text search), resolved through
//! the keymap's `line` section so they can be remapped like any other binding; what is not bound
//! there and is a plain character is text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::config::keymap::{Keymap, Section};

/// What a key means on an input line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LineKey {
    /// Take the line (enter).
    Accept,
    /// Drop the line (esc, ctrl-c).
    Cancel,
    /// Delete the character before the cursor (backspace).
    DeleteBack,
    /// Delete the whole text (ctrl-u): a prefilled path or an old filter goes at once.
    Clear,
    /// Complete the word (tab), where the line completes.
    Complete,
    /// A character to insert.
    Char(char),
    /// Anything else: ignored by the line.
    Other,
}

/// Resolves `key` on an input line.
pub(super) fn resolve(keymap: &Keymap, key: &KeyEvent) -> LineKey {
    match keymap.resolve_only(Section::Line, key) {
        Some(Action::Open) => LineKey::Accept,
        Some(Action::Back) => LineKey::Cancel,
        Some(Action::DeleteBack) => LineKey::DeleteBack,
        Some(Action::ClearLine) => LineKey::Clear,
        Some(Action::Complete) => LineKey::Complete,
        _ => match key.code {
            // Control chords are commands, never text.
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                LineKey::Char(c)
            }
            _ => LineKey::Other,
        },
    }
}

/// What a key did to a line that is taken on enter (search, save path).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Edit {
    /// Enter: the text is taken.
    Accept(String),
    /// Esc: the line is dropped.
    Cancel,
    /// The text changed, or the key meant nothing here; the line stays open.
    Open,
}

/// Applies `key` to the open line of `state` (taken off it on enter and esc).
pub(super) fn edit(state: &mut crate::app::state::State, key: &KeyEvent) -> Edit {
    let Some(mut input) = state.line.take() else {
        return Edit::Cancel;
    };
    match resolve(&state.keymap, key) {
        LineKey::Cancel => return Edit::Cancel,
        LineKey::Accept => return Edit::Accept(input.text),
        LineKey::DeleteBack => {
            input.text.pop();
        }
        LineKey::Clear => input.text.clear(),
        LineKey::Char(c) => input.text.push(c),
        LineKey::Complete | LineKey::Other => {}
    }
    state.line = Some(input);
    Edit::Open
}
