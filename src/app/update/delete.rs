//! The guarded delete: ctrl-d (and ctrl-k, a pod restart) opens `Modal::Delete` about the
//! marked rows, else the selected one; the runtime gathers what depends on each object
//! (`Effect::CheckImpact`), `kube::deps::impact` turns each answer into warnings, and only
//! then does yes (or the name typed back, for a high-impact change) send the mutations.
//! Scale to 0 and suspend come through `open_for` with their own `Change`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::app::delete::DeleteDialog;
use crate::app::effect::Effect;
use crate::app::mutation::Mutation;
use crate::app::screen::{Modal, Screen};
use crate::app::state::State;
use crate::config::keymap::Section;
use crate::kube::deps::{self, Change, Inputs};
use crate::kube::kinds::ResourceKind;
use crate::kube::target::Target;

/// Space: marks or unmarks the selected row of the table or list shown, then moves down.
pub(super) fn mark(state: &mut State) -> bool {
    match state.screen() {
        Some(Screen::Pods(_)) => {
            let Some(table) = state.top_pods_mut() else {
                return false;
            };
            let Some(key) = table.selected_key.clone() else {
                return false;
            };
            if !table.marked.remove(&key) {
                table.marked.insert(key);
            }
            table.move_selection(1);
            true
        }
        Some(Screen::Resources(_)) => {
            let Some(view) = state.top_resources_mut() else {
                return false;
            };
            let Some(key) = view.selected_key.clone() else {
                return false;
            };
            if !view.marked.remove(&key) {
                view.marked.insert(key);
            }
            view.move_selection(1);
            true
        }
        _ => false,
    }
}

/// What ctrl-d / ctrl-k act on: the marked rows (and how many of them the filter hides), else
/// the selected row.
fn chosen(state: &State) -> Option<(Vec<Target>, usize)> {
    match state.screen()? {
        Screen::Pods(table) => {
            let pod = |k: &crate::kube::pods::PodKey| {
                Target::of(ResourceKind::Pod, Some(&k.namespace), &k.name)
            };
            if table.marked.is_empty() {
                return table.selected_key.as_ref().map(|k| (vec![pod(k)], 0));
            }
            let marked: Vec<_> = table
                .marked
                .iter()
                .filter(|k| state.store.get(k).is_some())
                .collect();
            let hidden = marked.iter().filter(|k| !table.order.contains(k)).count();
            Some((marked.into_iter().map(pod).collect(), hidden))
        }
        Screen::Resources(view) => {
            let target = |k: &crate::kube::resources::ResourceKey| {
                Target::of(view.kind, Some(&k.namespace), &k.name)
            };
            if view.marked.is_empty() {
                return view.selected_key.as_ref().map(|k| (vec![target(k)], 0));
            }
            let marked: Vec<_> = view
                .marked
                .iter()
                .filter(|k| view.rows.contains_key(k))
                .collect();
            let hidden = marked.iter().filter(|k| !view.order.contains(k)).count();
            Some((marked.into_iter().map(target).collect(), hidden))
        }
        _ => None,
    }
}

/// ctrl-d (`restart` false) or ctrl-k (`restart` true): opens the dialog.
pub(super) fn open(state: &mut State, restart: bool, effects: &mut Vec<Effect>) -> bool {
    let Some((targets, hidden)) = chosen(state) else {
        state.message = Some("Nothing is selected to delete.".to_string());
        return true;
    };
    if restart && targets.iter().any(|t| t.kind != "Pod") {
        state.message =
            Some("Restart applies to pods; for a workload use its rollout restart.".to_string());
        return true;
    }
    let id = state.next_request();
    let mut dialog = DeleteDialog::new(id, Change::Delete, targets);
    dialog.hidden_marked = hidden;
    dialog.restart = restart;
    show(state, dialog, effects)
}

/// Scale to 0 or suspend (from the workload actions): the same dialog, one object, with a
/// line on its state (`note`).
pub fn open_for(
    state: &mut State,
    target: Target,
    change: Change,
    scale_from: Option<u32>,
    note: String,
    effects: &mut Vec<Effect>,
) -> bool {
    let id = state.next_request();
    let mut dialog = DeleteDialog::new(id, change, vec![target]);
    dialog.scale_from = scale_from;
    dialog.note = Some(note);
    show(state, dialog, effects)
}

fn show(state: &mut State, dialog: DeleteDialog, effects: &mut Vec<Effect>) -> bool {
    effects.push(Effect::CheckImpact {
        id: dialog.id,
        targets: dialog.items.iter().map(|i| i.target.clone()).collect(),
    });
    state.modal = Some(Modal::Delete(Box::new(dialog)));
    true
}

/// One object's checks came back: its impact, computed here, fills its place.
pub(super) fn checked(state: &mut State, id: u64, index: usize, inputs: &Inputs) -> bool {
    let now = state.now;
    let Some(Modal::Delete(dialog)) = &mut state.modal else {
        return false;
    };
    if dialog.id != id {
        return false;
    }
    let change = dialog.change;
    match dialog.items.get_mut(index) {
        Some(item) => {
            item.impact = Some(deps::impact(inputs, change, now));
            true
        }
        None => false,
    }
}

/// A key while the dialog is open.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Delete(dialog)) = &mut state.modal else {
        return false;
    };
    let high = !dialog.checking() && !dialog.high_reasons().is_empty();
    let action = state.keymap.resolve_only(Section::Delete, &key);
    match action {
        Some(Action::Back) if !(high && is_letter(&key)) => {
            state.modal = None;
            state.message = Some("Nothing was changed.".to_string());
            return true;
        }
        Some(Action::CyclePropagation) => {
            dialog.options.propagation = dialog.options.propagation.next();
            return true;
        }
        Some(Action::ToggleForce) => {
            dialog.options.force = !dialog.options.force;
            return true;
        }
        Some(Action::CycleGrace) => {
            dialog.cycle_grace();
            return true;
        }
        Some(Action::Down) => {
            dialog.scroll = dialog
                .scroll
                .saturating_add(1)
                .min(dialog.body().len().saturating_sub(1));
            return true;
        }
        Some(Action::Up) => {
            dialog.scroll = dialog.scroll.saturating_sub(1);
            return true;
        }
        Some(Action::DeleteBack) => return dialog.typed.pop().is_some(),
        Some(Action::Confirm) if !high && !is_enter(&key) => {
            if dialog.checking() {
                state.message =
                    Some("Still checking what depends on it; wait for the checks.".to_string());
                return true;
            }
            return carry_out(state, effects);
        }
        _ => {}
    }
    if is_enter(&key) {
        if high && dialog.typed_ok() {
            return carry_out(state, effects);
        }
        if high {
            state.message = Some(format!(
                "Type {} exactly to confirm, or esc to cancel.",
                dialog.expected()
            ));
            return true;
        }
        // No is the default.
        state.modal = None;
        state.message = Some("Nothing was changed.".to_string());
        return true;
    }
    if high {
        if let KeyCode::Char(c) = key.code {
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                dialog.typed.push(c);
                return true;
            }
        }
    }
    false
}

fn is_enter(key: &KeyEvent) -> bool {
    key.code == KeyCode::Enter
}

fn is_letter(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Yes: one mutation per object, the marks cleared, the dialog closed.
fn carry_out(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(Modal::Delete(dialog)) = state.modal.take() else {
        return false;
    };
    let count = dialog.items.len();
    for item in dialog.items {
        let target = item.target;
        for todo in item.impact.iter().flat_map(|i| &i.after) {
            state.after_change.push((target.label(), todo.clone()));
        }
        effects.push(Effect::Mutate(match dialog.change {
            Change::Delete => Mutation::Delete {
                target,
                options: dialog.options,
            },
            Change::ScaleTo(to) => Mutation::Scale {
                target,
                from: dialog.scale_from.unwrap_or_default(),
                to,
            },
            Change::Suspend => Mutation::Suspend {
                target,
                suspend: true,
            },
        }));
    }
    if let Some(table) = state.top_pods_mut() {
        table.marked.clear();
    }
    if let Some(view) = state.top_resources_mut() {
        view.marked.clear();
    }
    let what = if count == 1 {
        "1 object".to_string()
    } else {
        format!("{count} objects")
    };
    state.message = Some(format!(
        "{} {what}…",
        dialog_verb(dialog.change, dialog.restart)
    ));
    true
}

fn dialog_verb(change: Change, restart: bool) -> &'static str {
    match change {
        Change::Delete if restart => "Restarting",
        Change::Delete => "Deleting",
        Change::ScaleTo(_) => "Scaling",
        Change::Suspend => "Suspending",
    }
}

/// A change's sentence came back: what must be done by hand after it (the migration's flag
/// files) is said with it, so the runbook's next step stays in front of the user.
pub(super) fn mutated(state: &mut State, sentence: String, ok: bool) -> bool {
    let mut sentence = sentence;
    state.after_change.retain(|(label, todo)| {
        let about = sentence.contains(label.split_once(' ').map_or(label.as_str(), |(_, n)| n));
        if about && ok {
            sentence = format!("{sentence} Next: {todo}.");
        }
        !about
    });
    state.message = Some(sentence);
    true
}
