//! Workload and CronJob actions on a resource list: `s` scale (a number line), `r` rollout
//! restart, `M` the resources form (Deployments, StatefulSets); `S` suspend/resume and `t`
//! trigger (CronJobs). Each ends in one `Effect::Mutate`; the destructive ones (scale to 0,
//! restart, suspend) ask first. An action on a kind it does not apply to says so.

use crossterm::event::{KeyCode, KeyEvent};

use super::line::{self, Edit, LineKey};
use crate::app::effect::Effect;
use crate::app::mutation::Mutation;
use crate::app::resources_form::{Field, Loaded, ResourcesForm};
use crate::app::screen::{Confirm, ConfirmAction, InputLine, LineKind, Modal};
use crate::app::state::State;
use crate::kube::deps::Change;
use crate::kube::kinds::ResourceKind;
use crate::kube::resources::{Cell, Drill, ResourceRow};
use crate::kube::target::Target;

const WORKLOADS: [ResourceKind; 2] = [ResourceKind::Deployment, ResourceKind::StatefulSet];

/// The selected row of the list shown and its target, when its kind is one of `kinds`; else
/// the sentence saying what the action applies to is set.
fn selected(
    state: &mut State,
    kinds: &[ResourceKind],
    action: &str,
    applies_to: &str,
) -> Option<(ResourceRow, Target)> {
    let view = state.top_resources()?;
    if !kinds.contains(&view.kind) {
        state.message = Some(format!("{action} applies to {applies_to}."));
        return None;
    }
    let row = view.selected_row()?.clone();
    let target = Target::of(view.kind, Some(&row.namespace), &row.name);
    Some((row, target))
}

/// Desired replicas of a Deployment or StatefulSet row (its READY cell is `ready/desired`).
fn replicas(row: &ResourceRow) -> Option<u32> {
    match row.cells.get(1) {
        Some(Cell::Text(ready)) => ready.split('/').nth(1)?.trim().parse().ok(),
        _ => None,
    }
}

/// `s`: the number line for the selected workload.
pub(super) fn scale_open(state: &mut State) -> bool {
    if selected(state, &WORKLOADS, "Scale", "deployments and statefulsets").is_none() {
        return true;
    }
    state.line = Some(InputLine {
        kind: LineKind::Scale,
        text: String::new(),
    });
    true
}

/// The scale line's prompt: `scale appserver-prd (2 replicas) to: `.
pub fn scale_prompt(state: &State) -> String {
    let row = state.top_resources().and_then(|v| v.selected_row());
    match row {
        Some(row) => match replicas(row) {
            Some(1) => format!("scale {} (1 replica) to: ", row.name),
            Some(n) => format!("scale {} ({n} replicas) to: ", row.name),
            None => format!("scale {} to: ", row.name),
        },
        None => LineKind::Scale.prompt().to_string(),
    }
}

/// A key on the scale line: digits only; enter scales (0 asks first), esc cancels.
pub(super) fn scale_key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    if let KeyCode::Char(c) = key.code {
        if !c.is_ascii_digit() && line::resolve(&state.keymap, &key) == LineKey::Char(c) {
            state.message = Some("Type the number of replicas (digits only).".to_string());
            return true;
        }
    }
    match line::edit(state, &key) {
        Edit::Accept(text) => scale(state, &text, effects),
        Edit::Cancel => state.message = Some("Not scaled.".to_string()),
        Edit::Open => {}
    }
    true
}

fn scale(state: &mut State, text: &str, effects: &mut Vec<Effect>) {
    let Some((row, target)) = selected(state, &WORKLOADS, "Scale", "deployments and statefulsets")
    else {
        return;
    };
    let Ok(to) = text.trim().parse::<u32>() else {
        state.message = Some(format!(
            "{text:?} is not a number of replicas; press s and type digits, like 3."
        ));
        return;
    };
    let from = replicas(&row).unwrap_or(0);
    if to == from {
        state.message = Some(format!(
            "{} already wants {to} replicas; nothing changed.",
            target.label()
        ));
        return;
    }
    if to == 0 {
        // Destructive: the guarded dialog, with what stops serving.
        let note = format!("{} has {from} replicas; at 0 every pod stops.", row.name);
        super::delete::open_for(state, target, Change::ScaleTo(0), Some(from), note, effects);
    } else {
        let mutation = Mutation::Scale { target, from, to };
        start(state, mutation, effects);
    }
}

/// `r`: rollout restart, after a yes.
pub(super) fn restart(state: &mut State) -> bool {
    let Some((row, target)) = selected(
        state,
        &WORKLOADS,
        "Rollout restart",
        "deployments and statefulsets",
    ) else {
        return true;
    };
    let question = format!(
        "Restart {}? Its pods are replaced by new ones, a few at a time. (y/N)",
        row.name
    );
    ask(state, question, Mutation::Restart { target });
    true
}

/// `S`: suspend (through the guarded dialog: what stops) or resume (a question) the selected
/// CronJob, showing its state.
pub(super) fn suspend(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some((row, target)) = selected(state, &[ResourceKind::CronJob], "Suspend", "cronjobs")
    else {
        return true;
    };
    let now = state.now;
    let schedule = row.cell_text(1, now).into_owned();
    let suspended = row.cell_text(3, now) == "True";
    if !suspended {
        let note = format!("{} is active (schedule {schedule}).", row.name);
        return super::delete::open_for(state, target, Change::Suspend, None, note, effects);
    }
    let question = format!(
        "{} is suspended (schedule {schedule}); resume it? (y/N)",
        row.name
    );
    let mutation = Mutation::Suspend {
        target,
        suspend: false,
    };
    ask(state, question, mutation);
    true
}

/// `t`: a Job from the selected CronJob's template, after a yes.
pub(super) fn trigger(state: &mut State) -> bool {
    let Some((row, cronjob)) = selected(state, &[ResourceKind::CronJob], "Trigger", "cronjobs")
    else {
        return true;
    };
    let question = format!(
        "Run {} now (a Job from its template, as kubectl create job --from does)? (y/N)",
        row.name
    );
    ask(state, question, Mutation::Trigger { cronjob });
    true
}

/// `M`: read the workload and its pods' usage; the form opens when they arrive.
pub(super) fn resources_open(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some((row, target)) = selected(
        state,
        &WORKLOADS,
        "The resources form",
        "deployments and statefulsets",
    ) else {
        return true;
    };
    let pods = match &row.drill {
        Drill::Pods(selector) => state
            .store
            .rows()
            .values()
            .filter(|p| *p.namespace == *row.namespace && selector.matches(&p.labels))
            .map(|p| p.name.to_string())
            .collect(),
        _ => Vec::new(),
    };
    state.message = Some(format!("Reading the resources of {}…", target.label()));
    effects.push(Effect::LoadResourcesForm { target, pods });
    true
}

/// The form's data arrived: open it (unless the user moved on to another screen).
pub(super) fn form_loaded(state: &mut State, loaded: Result<Loaded, String>) -> bool {
    match loaded {
        Ok(loaded) => {
            if state.modal.is_some() || state.top_resources().is_none() {
                return false;
            }
            state.message = loaded.usage_problem.clone();
            state.modal = Some(Modal::Resources(Box::new(ResourcesForm::new(loaded))));
        }
        Err(sentence) => state.message = Some(sentence),
    }
    true
}

/// A key while the resources form is open: tab/↑/↓ move, ←/→/space pick the container,
/// text goes into the field, enter applies, esc closes.
pub(super) fn form_key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Resources(mut form)) = state.modal.take() else {
        return false;
    };
    match key.code {
        KeyCode::Tab | KeyCode::Down => form.step(true),
        KeyCode::BackTab | KeyCode::Up => form.step(false),
        KeyCode::Left if form.field == Field::Container => form.cycle_container(false),
        KeyCode::Right | KeyCode::Char(' ') if form.field == Field::Container => {
            form.cycle_container(true)
        }
        _ => match line::resolve(&state.keymap, &key) {
            LineKey::Cancel => {
                state.message = Some("Resources unchanged.".to_string());
                return true;
            }
            LineKey::Accept => match form.mutation() {
                Ok(_) if form.warning().is_some() && form.warned != form.warning() => {
                    form.warned = form.warning();
                    let warning = form.warning().unwrap_or_default();
                    state.message = Some(format!(
                        "{warning} Raise it, or press enter again to apply it anyway."
                    ));
                }
                Ok(mutation) => {
                    start(state, mutation, effects);
                    return true;
                }
                Err(problem) => state.message = Some(problem),
            },
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
            LineKey::Char(c) if !c.is_whitespace() => {
                if let Some(text) = form.text_mut() {
                    text.push(c);
                }
            }
            _ => {}
        },
    }
    state.modal = Some(Modal::Resources(form));
    true
}

/// Asks `question`; yes carries out `mutation`.
fn ask(state: &mut State, question: String, mutation: Mutation) {
    state.modal = Some(Modal::Confirm(Confirm {
        question,
        on_yes: ConfirmAction::Mutate(mutation),
    }));
}

/// Hands `mutation` to the runtime and says it is under way.
pub(super) fn start(state: &mut State, mutation: Mutation, effects: &mut Vec<Effect>) {
    let describe = mutation.describe();
    let mut chars = describe.chars();
    let sentence: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    state.message = Some(format!("{sentence}…"));
    effects.push(Effect::Mutate(mutation));
}
