//! The copy form's keys (`C` on a pod): tab and arrows move between fields, space or ←/→
//! turn the direction, text goes into the field, enter copies, esc closes; and what the copy
//! says while it runs and when it ends.

use crossterm::event::{KeyCode, KeyEvent};

use super::line::{self, LineKey};
use crate::app::copy_form::{label, CopyForm, CopyProgress, Field};
use crate::app::effect::Effect;
use crate::app::screen::{Confirm, ConfirmAction, Modal};
use crate::app::state::State;
use crate::kube::cluster::CopyJob;

/// `C` on the pod table.
pub(super) fn open(state: &mut State) -> bool {
    let Some(row) = state.selected_row() else {
        return false;
    };
    state.modal = Some(Modal::Copy(CopyForm::new(&row.namespace, &row.name)));
    true
}

/// A key while the form is open.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Copy(mut form)) = state.modal.take() else {
        return false;
    };
    match key.code {
        KeyCode::Tab | KeyCode::Down => form.step(true),
        KeyCode::BackTab | KeyCode::Up => form.step(false),
        KeyCode::Left | KeyCode::Right if form.field == Field::Direction => {
            form.inward = !form.inward;
        }
        KeyCode::Char(' ') if form.field == Field::Direction => form.inward = !form.inward,
        _ => match line::resolve(&state.keymap, &key) {
            LineKey::Cancel => return true,
            LineKey::Accept => {
                if let Some(problem) = form.problem() {
                    state.message = Some(problem.to_string());
                } else {
                    start(state, &form, false, effects);
                    return true;
                }
            }
            LineKey::DeleteBack => {
                if let Some(text) = form.text_mut() {
                    text.pop();
                }
            }
            LineKey::Clear => {
                if let Some(text) = form.text_mut() {
                    text.clear();
                }
            }
            LineKey::Char(c) => {
                if let Some(text) = form.text_mut() {
                    text.push(c);
                }
            }
            LineKey::Complete | LineKey::Other => {}
        },
    }
    state.modal = Some(Modal::Copy(form));
    true
}

fn start(state: &mut State, form: &CopyForm, overwrite: bool, effects: &mut Vec<Effect>) {
    let container = Some(form.container.trim().to_string()).filter(|c| !c.is_empty());
    let job = CopyJob {
        namespace: form.namespace.clone(),
        pod: form.pod.clone(),
        container,
        local: crate::config::paths::expand_home(std::path::Path::new(form.local.trim())),
        remote: form.remote.trim().to_string(),
        overwrite,
    };
    state.message = Some(format!("Copying {}…", label(&job, form.inward)));
    effects.push(Effect::Copy {
        job,
        inward: form.inward,
    });
}

/// How far the copy is.
pub(super) fn progress(state: &mut State, progress: &CopyProgress) {
    state.message = Some(progress.sentence());
}

/// The local target exists: ask before replacing it.
pub(super) fn exists(state: &mut State, job: CopyJob) {
    state.modal = Some(Modal::Confirm(Confirm {
        question: format!(
            "{} exists. Replace it with the pod's copy? (y/n)",
            job.local.display()
        ),
        on_yes: ConfirmAction::OverwriteCopy(job),
    }));
}

/// Yes: copy out over the local file.
pub(super) fn overwrite(state: &mut State, mut job: CopyJob, effects: &mut Vec<Effect>) {
    job.overwrite = true;
    state.message = Some(format!("Copying {}…", label(&job, false)));
    effects.push(Effect::Copy { job, inward: false });
}
