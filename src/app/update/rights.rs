//! The gate in front of every mutation: read-only mode refuses it with a sentence, and the
//! server is asked (SelfSubjectAccessReview, answers cached until a context switch) before a
//! dialog or prompt is offered; a "no" is explained in words, a "yes" carries the action out.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::rights::{mutation, question, refusal};
use crate::app::state::State;
use crate::kube::mutate::Access;

/// Before `action` runs: `Some(changed)` when the gate handled it (refused, or waits for the
/// server's answer), `None` when it may go on.
pub(super) fn gate(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> Option<bool> {
    let (words, _) = mutation(action)?;
    if let Some(why) = state.readonly.why(&state.cluster.context) {
        state.message = Some(format!("kterm is read-only ({why}): {words} is off."));
        return Some(true);
    }
    let access = question(state, action)?;
    // Not connected (yet): nothing to ask; the server has the last word when it is reached.
    if state.cluster.connection != crate::app::state::Connection::Live {
        return None;
    }
    match state.rights.get(&access) {
        Some(Ok(true)) => None,
        Some(Ok(false)) => {
            state.message = Some(refusal(&access));
            Some(true)
        }
        // The check itself failed (unreachable, old server): let the action try; the server
        // has the last word anyway.
        Some(Err(_)) => None,
        None => {
            state.message = Some(format!(
                "Checking whether you may {} {}…",
                access.verb, access.resource
            ));
            state.pending_action = Some((action, access.clone()));
            effects.push(Effect::CheckAccess {
                accesses: vec![access],
            });
            Some(true)
        }
    }
}

/// The server answered: remember it; a pending action that waited on it goes on (`true`) or
/// is refused in words.
pub(super) fn answered(
    state: &mut State,
    access: Access,
    allowed: Result<bool, String>,
) -> Option<Action> {
    let denied = matches!(allowed, Ok(false));
    state.rights.insert(access.clone(), allowed);
    let (action, waiting) = state.pending_action.take()?;
    if waiting != access {
        state.pending_action = Some((action, waiting));
        return None;
    }
    if denied {
        state.message = Some(refusal(&access));
        return None;
    }
    state.message = None;
    Some(action)
}

/// Asks the server, ahead of time, about every mutation the help of this screen lists, so the
/// help can mark what is not allowed.
pub(super) fn prefetch(state: &State, effects: &mut Vec<Effect>) {
    if state.readonly.why(&state.cluster.context).is_some() {
        return;
    }
    let section = state.screen().map_or(
        crate::config::keymap::Section::Pods,
        crate::app::screen::Screen::section,
    );
    let mut accesses: Vec<Access> = Vec::new();
    for binding in state.keymap.bindings(section) {
        if let Some(access) = question(state, binding.action) {
            if !state.rights.contains_key(&access) && !accesses.contains(&access) {
                accesses.push(access);
            }
        }
    }
    if !accesses.is_empty() {
        effects.push(Effect::CheckAccess { accesses });
    }
}
