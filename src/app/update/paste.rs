//! Bracketed paste: pasted text goes into the open input line or the picker's query as text,
//! never as keys, so `appserver\nq` can neither commit a line nor quit.

use crate::app::screen::{LineKind, Modal};
use crate::app::state::State;

/// Pasted text: appended to the open input line (or the picker's query), newlines and other
/// control characters turned into spaces; with nothing open it is dropped with a sentence, so
/// a paste can never act as keys.
pub(super) fn paste(state: &mut State, text: &str) -> bool {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let room = crate::app::layout::picker_room(state);
    if let Some(Modal::Picker(picker)) = state.modal.as_mut() {
        let query = format!("{}{clean}", picker.query);
        picker.set_query(query, room);
        return true;
    }
    let Some(line) = state.line.as_ref() else {
        state.message =
            Some("Pasted text goes into an input line; press / or : first.".to_string());
        return true;
    };
    let text = format!("{}{clean}", line.text);
    match line.kind {
        LineKind::Filter | LineKind::LogFilter => super::filter::set_text(state, text),
        LineKind::Scale => {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            if let Some(line) = state.line.as_mut() {
                line.text = digits;
            }
        }
        LineKind::Command | LineKind::Search | LineKind::SavePath | LineKind::RunCommand => {
            if let Some(line) = state.line.as_mut() {
                line.text = text;
            }
        }
    }
    true
}
