//! Saving a log view's lines: a line prefilled with a default file name, the write done by the
//! runtime, and a yes/no question (`update::confirm`) before an existing file is replaced.

use crossterm::event::KeyEvent;

use super::line::{self, Edit};
use crate::app::effect::Effect;
use crate::app::logs::LogView;
use crate::app::screen::{Confirm, ConfirmAction, InputLine, LineKind, Modal, Screen};
use crate::app::state::State;

fn top_view(state: &State) -> Option<&LogView> {
    match state.stack.last() {
        Some(Screen::Logs(view)) => Some(view),
        _ => None,
    }
}

/// ctrl-s: the save line with the default name.
pub(super) fn open(state: &mut State) -> bool {
    let Some(view) = top_view(state) else {
        return false;
    };
    let path = view.default_path(state.now);
    state.line = Some(InputLine {
        kind: LineKind::SavePath,
        text: path.display().to_string(),
    });
    true
}

/// A key on the save line.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    if let Edit::Accept(text) = line::edit(state, &key) {
        let path = text.trim();
        if path.is_empty() {
            state.message = Some("Type a file name to save to.".to_string());
        } else {
            save(state, path.into(), false, effects);
        }
    }
    true
}

/// Writes the shown lines of the log view to `path` (the runtime checks `overwrite`).
pub(super) fn save(
    state: &mut State,
    path: std::path::PathBuf,
    overwrite: bool,
    effects: &mut Vec<Effect>,
) {
    let Some(view) = top_view(state) else {
        return;
    };
    let (text, lines) = view.saved_text();
    effects.push(Effect::SaveLines {
        path,
        text,
        lines,
        overwrite,
    });
}

/// The runtime found the file there already: ask.
pub(super) fn file_exists(state: &mut State, path: std::path::PathBuf) -> bool {
    state.modal = Some(Modal::Confirm(Confirm {
        question: format!("{} exists. Replace it? (y/n)", path.display()),
        on_yes: ConfirmAction::OverwriteLog(path),
    }));
    true
}
