//! A yes/no question (`Modal::Confirm`): yes carries out its `ConfirmAction`, no leaves
//! everything as it was and says so. Every destructive step asks through here.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::screen::{ConfirmAction, Modal};
use crate::app::state::State;
use crate::config::keymap::Section;

/// A key while a question is open: only yes, no and quit mean anything.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Confirm(confirm)) = state.modal.clone() else {
        return false;
    };
    let mut action = state.keymap.resolve_only(Section::Confirm, &key);
    // A change to the cluster takes only `y`: enter alone is No, the default (y/N).
    if matches!(confirm.on_yes, ConfirmAction::Mutate(_)) && key.code == KeyCode::Enter {
        action = Some(Action::Back);
    }
    match action {
        Some(Action::Confirm) => {
            state.modal = None;
            match confirm.on_yes {
                ConfirmAction::OverwriteLog(path) => super::save::save(state, path, true, effects),
                ConfirmAction::OverwriteCopy(job) => super::copy::overwrite(state, job, effects),
                ConfirmAction::Mutate(mutation) => super::actions::start(state, mutation, effects),
            }
            true
        }
        Some(Action::Back) => {
            state.modal = None;
            let unchanged = match confirm.on_yes {
                ConfirmAction::OverwriteLog(_) => "Nothing was saved.",
                ConfirmAction::OverwriteCopy(_) => {
                    "Nothing was copied; the local file is as it was."
                }
                ConfirmAction::Mutate(_) => "Nothing was changed.",
            };
            state.message = Some(unchanged.to_string());
            true
        }
        _ => false,
    }
}
