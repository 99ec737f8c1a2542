//! The edit flow's decisions (`kubectl edit` semantics): open (`e`, `:edit kind/name`), the
//! editor's return, the saved text judged (unchanged, broken, changed), the server's answer
//! (applied, rejected → reopen, 409 → the conflict's three choices), and the last sentence, which
//! names the kept file whenever the edit was not applied. The runtime does the IO
//! (`app/edit_task.rs`); every answer comes back as a `Msg`.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

use crate::app::edit::{self, EditSession, EditWhat, Opened, Phase};
use crate::app::effect::{Effect, Namespaces};
use crate::app::msg::ChildExit;
use crate::app::screen::Modal;
use crate::app::state::State;
use crate::kube::edit::{judge, with_error, Saved};
use crate::kube::mutate::MutateError;
use crate::kube::target::Target;

/// `e` on a row: edit its object.
pub(super) fn open_selected(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let target = match state.top_resources() {
        Some(view) => view
            .selected_row()
            .map(|row| Target::of(view.kind, Some(&row.namespace), &row.name)),
        None => state.selected_row().map(|row| {
            Target::of(
                crate::kube::kinds::ResourceKind::Pod,
                Some(&row.namespace),
                &row.name,
            )
        }),
    };
    match target {
        Some(target) => start(state, EditWhat::Target(target), effects),
        None => {
            state.message = Some("Nothing is selected.".to_string());
            true
        }
    }
}

/// `:edit kind/name [-n namespace]`.
pub(super) fn command(state: &mut State, args: &[&str], effects: &mut Vec<Effect>) -> bool {
    if let Some(why) = state.readonly.why(&state.cluster.context) {
        state.message = Some(format!("kterm is read-only ({why}): edit is off."));
        return true;
    }
    let usage = "Write :edit kind/name (e.g. :edit cj/protheus-updater), optionally -n namespace.";
    let (spec, namespace) = match args {
        [spec] => (*spec, None),
        [spec, "-n", ns] | ["-n", ns, spec] => (*spec, Some(ns.to_string())),
        _ => {
            state.message = Some(usage.to_string());
            return true;
        }
    };
    let Some((word, name)) = spec
        .split_once('/')
        .filter(|(w, n)| !w.is_empty() && !n.is_empty())
    else {
        state.message = Some(usage.to_string());
        return true;
    };
    // The namespace shown is the one meant: the focused tenant, else the one watched (`-n x`),
    // else the context's, as kubectl.
    let watched_one = match &state.cluster.watching {
        Some(Namespaces::List(list)) if list.len() == 1 => list.first().cloned(),
        _ => None,
    };
    let namespace = namespace
        .or_else(|| state.namespace_focus.clone())
        .or(watched_one)
        .or_else(|| state.cluster.default_namespace.clone());
    let what = EditWhat::Word {
        word: word.to_string(),
        namespace,
        name: name.to_string(),
    };
    start(state, what, effects)
}

fn start(state: &mut State, what: EditWhat, effects: &mut Vec<Effect>) -> bool {
    if let Some(session) = &state.edit {
        state.message = Some(format!(
            "An edit of {} is under way; finish it first.",
            session.label()
        ));
        return true;
    }
    let id = state.next_request();
    state.edit = Some(EditSession::new(id));
    state.message = Some("Reading the object to edit…".to_string());
    effects.push(Effect::EditOpen { id, what });
    true
}

/// The file is written: hand the terminal to the editor.
pub(super) fn opened(state: &mut State, opened: Opened, effects: &mut Vec<Effect>) -> bool {
    let Some(session) = state.edit.as_mut().filter(|s| s.id == opened.id) else {
        return false;
    };
    effects.push(Effect::RunInTerminal {
        program: opened.program.clone(),
        args: opened.args.clone(),
    });
    session.phase = Phase::Editing;
    session.attempts += 1;
    session.opened = Some(opened);
    state.message = None;
    true
}

/// The editor gave the terminal back; `false` when it was not the edit's editor.
pub(super) fn editor_returned(
    state: &mut State,
    program: &str,
    exit: &ChildExit,
    effects: &mut Vec<Effect>,
) -> bool {
    let Some(session) = state.edit.as_mut() else {
        return false;
    };
    let Some(opened) = session
        .opened
        .as_ref()
        .filter(|o| session.phase == Phase::Editing && o.program == program)
    else {
        return false;
    };
    if let Some(why) = exit.sentence(program) {
        // An editor that failed (vim's :cq) did not mean to save: nothing is sent.
        let kept = session.kept();
        state.message = Some(format!("{why} Nothing was changed. {kept}"));
        state.edit = None;
        return true;
    }
    effects.push(Effect::EditRead {
        id: session.id,
        path: opened.path.clone(),
    });
    session.phase = Phase::Reading;
    true
}

/// The saved text, read back (or why it could not be).
pub(super) fn read(
    state: &mut State,
    id: u64,
    text: Result<String, String>,
    effects: &mut Vec<Effect>,
) -> bool {
    let Some(session) = state.edit.as_mut().filter(|s| s.id == id) else {
        return false;
    };
    let Some(opened) = session.opened.clone() else {
        return false;
    };
    let text = match text {
        Ok(text) => text,
        Err(sentence) => {
            state.message = Some(format!("{sentence} {}", session.kept()));
            state.edit = None;
            return true;
        }
    };
    match judge(&opened.original, &text) {
        Saved::Unchanged => {
            effects.push(Effect::EditDiscard {
                path: opened.path.clone(),
            });
            let sentence = format!("Edit cancelled, no changes made.{}", earlier(&opened));
            state.message = Some(sentence);
            state.edit = None;
        }
        Saved::Broken(error) => {
            session.text = text;
            reopen(state, &error, effects);
        }
        Saved::Changed { object, changed } => {
            let object = Arc::new(object);
            effects.push(Effect::EditApply {
                id,
                target: opened.target.clone(),
                object: object.clone(),
                changed: changed.clone(),
            });
            session.text = text;
            session.edited = Some(object);
            session.changed = changed;
            session.phase = Phase::Saving;
            state.message = Some(format!("Saving the {}…", opened.target.label()));
        }
    }
    true
}

/// " Your earlier version stays in PATH." after a conflict's fresh object, else nothing.
fn earlier(opened: &Opened) -> String {
    opened.mine.as_ref().map_or_else(String::new, |mine| {
        format!(" Your earlier version stays in {}.", mine.display())
    })
}

/// The editor opens the user's text again with `error` on top.
fn reopen(state: &mut State, error: &str, effects: &mut Vec<Effect>) {
    let Some(session) = state.edit.as_mut() else {
        return;
    };
    let Some(opened) = session.opened.as_ref() else {
        return;
    };
    effects.push(Effect::EditReopen {
        id: session.id,
        path: opened.path.clone(),
        text: with_error(&session.text, error),
        program: opened.program.clone(),
        args: opened.args.clone(),
    });
    session.phase = Phase::Editing;
    session.attempts += 1;
}

/// The server's answer to the save (or to the re-apply).
pub(super) fn applied(
    state: &mut State,
    id: u64,
    result: Result<(), MutateError>,
    effects: &mut Vec<Effect>,
) -> bool {
    let Some(session) = state.edit.as_mut().filter(|s| s.id == id) else {
        return false;
    };
    let Some(opened) = session.opened.clone() else {
        return false;
    };
    match result {
        Ok(()) => {
            effects.push(Effect::EditDiscard {
                path: opened.path.clone(),
            });
            let mut sentence = edit::edited_sentence(&opened.target, &session.changed);
            sentence.push_str(&earlier(&opened));
            state.message = Some(sentence);
            state.edit = None;
        }
        Err(MutateError::Invalid { message, .. }) => {
            let error = format!("The server rejected the change: {message}");
            reopen(state, &error, effects);
        }
        Err(MutateError::Conflict { .. }) => {
            session.phase = Phase::Conflict;
            state.message = None;
            state.modal = Some(Modal::EditConflict {
                question: edit::conflict_question(&opened.target.label()),
            });
        }
        Err(error) => {
            state.message = Some(format!("{error} {}", session.kept()));
            state.edit = None;
        }
    }
    true
}

/// The re-apply was refused: both sides changed these paths.
pub(super) fn refused(state: &mut State, id: u64, paths: &[String]) -> bool {
    let Some(session) = state.edit.as_ref().filter(|s| s.id == id) else {
        return false;
    };
    state.message = Some(format!(
        "Cannot re-apply: you and someone else both changed {}; nothing was changed. {}",
        paths.join(", "),
        session.kept()
    ));
    state.edit = None;
    true
}

/// Opening (or re-opening the fresh object) failed.
pub(super) fn failed(state: &mut State, id: u64, sentence: &str) -> bool {
    let Some(session) = state.edit.as_ref().filter(|s| s.id == id) else {
        return false;
    };
    let kept = session.kept();
    state.message = Some(if kept.is_empty() {
        sentence.to_string()
    } else {
        format!("{sentence} {kept}")
    });
    state.edit = None;
    true
}

/// A key while the conflict's question is open: r re-applies, o opens the fresh object, g or
/// esc gives up.
pub(super) fn conflict_key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return false;
    }
    let Some(session) = state.edit.as_mut() else {
        state.modal = None;
        return true;
    };
    let Some(opened) = session.opened.clone() else {
        return false;
    };
    match key.code {
        KeyCode::Char('r') => {
            let edited = session
                .edited
                .clone()
                .unwrap_or_else(|| Arc::new(Value::Null));
            effects.push(Effect::EditReapply {
                id: session.id,
                target: opened.target.clone(),
                original: opened.original.clone(),
                edited,
                changed: session.changed.clone(),
            });
            session.phase = Phase::Saving;
            state.message = Some(format!(
                "Re-applying your change onto the fresh {}…",
                opened.target.label()
            ));
        }
        KeyCode::Char('o') => {
            effects.push(Effect::EditFresh {
                id: session.id,
                target: opened.target.clone(),
                path: opened.path.clone(),
                text: session.text.clone(),
            });
            session.phase = Phase::Opening;
            state.message = Some(format!("Reading the fresh {}…", opened.target.label()));
        }
        KeyCode::Char('g' | 'n' | 'q') | KeyCode::Esc => {
            state.message = Some(format!(
                "Edit given up; nothing was changed. {}",
                session.kept()
            ));
            state.edit = None;
        }
        _ => return false,
    }
    state.modal = None;
    true
}
