//! The command line (`:deploy`): typed in the status bar like the filter line; enter runs it,
//! esc cancels, tab completes a kind name.

use crossterm::event::KeyEvent;

use super::line::{self, LineKey};
use crate::app::effect::Effect;
use crate::app::screen::{InputLine, LineKind};
use crate::app::state::State;
use crate::app::update::{context, picker, screens};
use crate::kube::kinds::ResourceKind;

/// The words suggested to the user, one per kind, in the order the issue lists them.
pub const WORDS: [&str; 10] = [
    "pod", "deploy", "sts", "job", "cj", "svc", "ev", "ns", "node", "ctx",
];

/// Opens an empty command line.
pub(super) fn open(state: &mut State) -> bool {
    state.line = Some(InputLine {
        kind: LineKind::Command,
        text: String::new(),
    });
    state.message = None;
    true
}

/// A key while the command line is open.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Some(InputLine { mut text, kind }) = state.line.take() else {
        return false;
    };
    match line::resolve(&state.keymap, &key) {
        LineKey::Cancel => {
            state.message = None;
            return true;
        }
        LineKey::Accept => {
            state.message = None;
            run(state, &text, effects);
            return true;
        }
        // Backspace on an empty line closes it, as in vim.
        LineKey::DeleteBack if text.is_empty() => return true,
        LineKey::DeleteBack => {
            text.pop();
        }
        LineKey::Clear => text.clear(),
        LineKey::Complete => {
            let (completed, hint) = complete(&text);
            text = completed;
            state.message = hint;
        }
        LineKey::Char(c) => text.push(c),
        LineKey::Other => {
            state.line = Some(InputLine { kind, text });
            return false;
        }
    }
    state.line = Some(InputLine { kind, text });
    true
}

/// Runs a command line. One arm per first word, before the catch-all.
pub(super) fn run(state: &mut State, line: &str, effects: &mut Vec<Effect>) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => false,
        // Contexts: a picker, or straight to the one named.
        ["ctx"] => picker::open_contexts(state),
        ["ctx", name] => {
            context::switch(state, name, effects);
            true
        }
        // `:ns NAME`: the pods of that namespace, watching it first if need be (the way in
        // when RBAC hides the namespace list).
        [word, name] if ResourceKind::from_word(word) == Some(ResourceKind::Namespace) => {
            screens::show_pods(state, effects);
            picker::add_namespace(state, name, effects);
            true
        }
        ["edit", args @ ..] => super::edit::command(state, args, effects),
        // The tenant health overview (also `H`).
        ["tenants" | "overview"] => super::overview::open(state, effects),
        [word] => match ResourceKind::from_word(word) {
            Some(ResourceKind::Pod) => screens::show_pods(state, effects),
            Some(kind) => screens::show_list(state, kind, effects),
            None => unknown(state, line),
        },
        _ => unknown(state, line),
    }
}

fn unknown(state: &mut State, line: &str) -> bool {
    let words: Vec<String> = WORDS.iter().map(|w| format!(":{w}")).collect();
    state.message = Some(format!(
        "Unknown command :{}; try {}.",
        line.trim(),
        words.join(", ")
    ));
    true
}

/// Completes the kind name being typed: to the one name that fits, else to what all the fitting
/// names share, with a hint listing the kinds when that adds nothing.
fn complete(text: &str) -> (String, Option<String>) {
    let typed = text.trim_start().to_ascii_lowercase();
    if typed.contains(' ') {
        return (text.to_string(), None);
    }
    let fitting: Vec<(ResourceKind, &str)> = ResourceKind::ALL
        .iter()
        .flat_map(|(kind, names)| names.iter().map(move |n| (*kind, *n)))
        .filter(|(_, n)| n.starts_with(&typed))
        .collect();
    let Some((_, first)) = fitting.first() else {
        return (
            text.to_string(),
            Some(format!("No kind starts with {typed}.")),
        );
    };
    let shared = fitting.iter().fold(first.to_string(), |prefix, (_, n)| {
        prefix
            .chars()
            .zip(n.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect()
    });
    if shared.len() > typed.len() {
        return (shared, None);
    }
    let mut kinds: Vec<ResourceKind> = fitting.iter().map(|(k, _)| *k).collect();
    kinds.dedup();
    if kinds.len() == 1 {
        // One kind, no longer shared prefix ("st" of sts/statefulset): its shortest name.
        let shortest = fitting.iter().map(|(_, n)| *n).min_by_key(|n| n.len());
        return (shortest.unwrap_or(first).to_string(), None);
    }
    let choices: Vec<String> = kinds.iter().map(|k| format!(":{}", word(*k))).collect();
    (shared, Some(choices.join(" ")))
}

/// The word suggested for `kind`.
fn word(kind: ResourceKind) -> &'static str {
    WORDS
        .iter()
        .copied()
        .find(|w| ResourceKind::from_word(w) == Some(kind))
        .unwrap_or_else(|| kind.short())
}

#[cfg(test)]
mod tests {
    use super::{complete, WORDS};
    use crate::kube::kinds::ResourceKind;

    #[test]
    fn every_kind_has_one_suggested_word() {
        for (kind, _) in ResourceKind::ALL {
            let words = WORDS
                .iter()
                .filter(|w| ResourceKind::from_word(w) == Some(kind))
                .count();
            assert_eq!(words, 1, "{kind:?}");
        }
    }

    #[test]
    fn tab_completes_kind_names() {
        assert_eq!(complete("dep"), ("deploy".into(), None));
        assert_eq!(complete("cr"), ("cronjob".into(), None));
        assert_eq!(complete("j"), ("job".into(), None));
        assert_eq!(complete("st"), ("sts".into(), None));
        assert_eq!(complete("deployment"), ("deployment".into(), None));
        assert_eq!(complete("s"), ("s".into(), Some(":sts :svc".into())));
        assert_eq!(complete("n"), ("n".into(), Some(":ns :node".into())));
        let (text, hint) = complete("zz");
        assert_eq!(text, "zz");
        assert!(hint.is_some_and(|h| h.contains("No kind")));
    }
}
