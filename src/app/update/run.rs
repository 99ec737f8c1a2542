//! `x`: one command run in the selected pod without a shell (`init-upddistr`), its output in a
//! log view (search, filter and save work on it), the exit code as its last line; ctrl-c stops it.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::line::{self, Edit};
use crate::app::effect::Effect;
use crate::app::logs::{LogOptions, LogTarget, LogView, StreamEntry};
use crate::app::screen::{InputLine, LineKind, Screen};
use crate::app::state::State;

/// `x` on the pod table: the command line.
pub(super) fn open(state: &mut State) -> bool {
    if state.selected_row().is_none() {
        return false;
    }
    state.line = Some(InputLine {
        kind: LineKind::RunCommand,
        text: String::new(),
    });
    true
}

/// A key on the command line; enter runs it.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    if let Edit::Accept(text) = line::edit(state, &key) {
        run(state, &text, effects);
    }
    true
}

fn run(state: &mut State, text: &str, effects: &mut Vec<Effect>) {
    let command = match shell_words::split(text) {
        Ok(words) if !words.is_empty() => words,
        Ok(_) => return,
        Err(_) => {
            state.message = Some(format!("Unbalanced quotes in {text:?}; nothing was run."));
            return;
        }
    };
    let Some(row) = state.selected_row() else {
        return;
    };
    let (namespace, pod) = (row.namespace.to_string(), row.name.to_string());
    let id = state.next_request();
    let target = LogTarget::Command {
        namespace: namespace.clone(),
        pod: pod.clone(),
        command: command.clone(),
    };
    let mut view = LogView::new(target, LogOptions::default(), state.log_settings.buffer);
    view.streams.push(StreamEntry {
        id,
        pod: Arc::from(pod.as_str()),
    });
    super::screens::push(state, Screen::Logs(Box::new(view)), effects);
    effects.push(Effect::RunCommand {
        id,
        namespace,
        pod,
        command,
    });
}

/// ctrl-c on a command's output: stop the command; on any other view it quits, as elsewhere.
pub(super) fn stop(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(Screen::Logs(view)) = state.stack.last_mut() else {
        return false;
    };
    if !matches!(view.target, LogTarget::Command { .. }) {
        super::quit(state, effects);
        return false;
    }
    let ids: Vec<u64> = view.streams.drain(..).map(|s| s.id).collect();
    if ids.is_empty() {
        state.message = Some("The command has already ended.".to_string());
        return true;
    }
    let pod = view.title();
    view.push_marker(&Arc::from(pod.as_str()), None, "stopped with ctrl-c");
    effects.push(Effect::StopLogs { ids });
    true
}
