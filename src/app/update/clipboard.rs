//! Copying in `update`: `c` the selected name (`ns/name` with the modifier key), `Y` the
//! selected object's YAML (fetched as the YAML view fetches it; in the text view the text
//! itself), and in the log view the lines on screen or, with a filter, every filtered line.
//! The bytes go out as an `Effect::Clipboard`; the runtime writes them between frames.

use std::sync::Arc;

use crate::app::action::Action;
use crate::app::clipboard::{self, Backend};
use crate::app::effect::{ClipboardWrite, Effect, FetchPurpose};
use crate::app::layout;
use crate::app::screen::Screen;
use crate::app::state::State;
use crate::kube::fetch::{FetchedObject, ObjectRef};
use crate::kube::yaml::to_yaml;

/// Whether `action` is a copy (handled by `action`).
pub(super) fn is_copy(action: Action) -> bool {
    matches!(
        action,
        Action::CopyName | Action::CopyFullName | Action::CopyYaml
    )
}

/// A copy key on the screen shown.
pub(super) fn action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    if state.clipboard == Backend::Off {
        state.message = Some(
            "Copying is off (clipboard: off in config.yaml); set clipboard: auto to copy."
                .to_string(),
        );
        return true;
    }
    if matches!(state.screen(), Some(Screen::Logs(_))) {
        return match action {
            Action::CopyName | Action::CopyFullName => copy_log_lines(state, effects),
            _ => false,
        };
    }
    let Some(target) = selected(state) else {
        state.message = Some("Nothing is selected.".to_string());
        return true;
    };
    match action {
        Action::CopyName => {
            let sentence = format!("Copied {}.", target.name);
            write(state, target.name, sentence, effects);
        }
        Action::CopyFullName => {
            let text = match &target.namespace {
                Some(ns) => format!("{ns}/{}", target.name),
                None => target.name.clone(),
            };
            let sentence = format!("Copied {text}.");
            write(state, text, sentence, effects);
        }
        _ => return copy_yaml(state, target, effects),
    }
    true
}

/// The object a copy is about: the pod table's or list's selected row, the text view's object.
fn selected(state: &State) -> Option<ObjectRef> {
    match state.screen()? {
        Screen::Resources(view) => view
            .selected_row()
            .map(|row| ObjectRef::new(view.kind, Some(&row.namespace), &row.name)),
        Screen::Text(view) => Some(view.target.clone()),
        Screen::Pods(_) => state
            .selected_row()
            .map(|row| ObjectRef::pod(&row.namespace, &row.name)),
        // The log view copies lines, not a name; screens added later copy nothing until they
        // say what their selection is.
        _ => None,
    }
}

/// `Y`: the text view has the object already; elsewhere it is fetched and copied on arrival.
fn copy_yaml(state: &mut State, target: ObjectRef, effects: &mut Vec<Effect>) -> bool {
    if let Some(Screen::Text(view)) = state.screen() {
        if let Some(fetched) = &view.fetched {
            let text = to_yaml(&fetched.object, view.managed_fields);
            let sentence = yaml_sentence(&target, text.len());
            write(state, text, sentence, effects);
            return true;
        }
        state.message = Some("The object has not arrived yet; try again in a moment.".into());
        return true;
    }
    let id = state.next_request();
    state.message = Some(format!(
        "Fetching the YAML of {} to copy it…",
        target.label()
    ));
    state.clipboard_request = Some((id, target.clone()));
    effects.push(Effect::FetchObject {
        id,
        purpose: FetchPurpose::Clipboard,
        target,
    });
    true
}

fn yaml_sentence(target: &ObjectRef, bytes: usize) -> String {
    format!(
        "Copied the YAML of {} ({}).",
        target.label(),
        clipboard::size(bytes)
    )
}

/// The YAML `Y` asked for arrived: copied now. A stale answer is ignored.
pub(super) fn fetched(
    state: &mut State,
    id: u64,
    fetched: &Arc<FetchedObject>,
    effects: &mut Vec<Effect>,
) -> bool {
    let Some((_, target)) = state.clipboard_request.take_if(|(asked, _)| *asked == id) else {
        return false;
    };
    let text = to_yaml(&fetched.object, false);
    let sentence = yaml_sentence(&target, text.len());
    write(state, text, sentence, effects);
    true
}

/// The YAML `Y` asked for could not be fetched.
pub(super) fn failed(state: &mut State, id: u64, error: String) -> bool {
    if state
        .clipboard_request
        .take_if(|(asked, _)| *asked == id)
        .is_none()
    {
        return false;
    }
    state.message = Some(error);
    true
}

/// The log view: with a filter every filtered line, else the lines on screen; as the
/// container wrote them.
fn copy_log_lines(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let (height, width) = layout::logs_body(state);
    let Some(Screen::Logs(view)) = state.screen() else {
        return false;
    };
    let numbers: Vec<u64> = if view.filter.is_some() {
        (0..view.shown_len())
            .filter_map(|pos| view.shown_at(pos))
            .collect()
    } else {
        view.window(height, width).lines
    };
    let mut text = String::new();
    let mut count = 0;
    for n in numbers {
        if let Some((_, line)) = view.ring.get(n) {
            text.push_str(line);
            text.push('\n');
            count += 1;
        }
    }
    if count == 0 {
        state.message = Some("No lines to copy yet.".to_string());
        return true;
    }
    let sentence = clipboard::lines_copied(count, text.len());
    write(state, text, sentence, effects);
    true
}

/// Hands `text` to the backend: OSC 52 bytes built here (refused over the limit), or the text
/// for the desktop's clipboard. `sentence` says what was copied.
fn write(state: &mut State, text: String, sentence: String, effects: &mut Vec<Effect>) {
    let write = match state.clipboard {
        Backend::Osc52(wrap) => match clipboard::osc52(&text, wrap) {
            Ok(bytes) => ClipboardWrite::Osc52(bytes),
            Err(refused) => {
                state.message = Some(refused);
                return;
            }
        },
        Backend::System => ClipboardWrite::System(text),
        Backend::Off => return,
    };
    effects.push(Effect::Clipboard(write));
    state.message = Some(sentence);
}
