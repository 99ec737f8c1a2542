//! Alerts: raised as pods change (`pod_changed`) or a tenant goes DOWN (`raise`), shown in the
//! status bar until `!` opens the list (`Modal::Alerts`), with the bell when configured.

use crossterm::event::KeyEvent;

use crate::app::action::Action;
use crate::app::alerts::{pod_alert, Alert, AlertKind};
use crate::app::effect::Effect;
use crate::app::screen::{Modal, Screen};
use crate::app::state::State;
use crate::config::keymap::Section;
use crate::kube::pods::PodRow;

/// A pod row is about to replace the stored one: a new OOM kill or a crash loop starting
/// raises an alert (a pod first seen never does).
pub(super) fn pod_changed(state: &mut State, row: &PodRow, effects: &mut Vec<Effect>) {
    let Some(old) = state.store.get(&row.key()) else {
        return;
    };
    if let Some((kind, text)) = pod_alert(old, row) {
        raise(state, kind, text, effects);
    }
}

/// Adds an alert; rings the bell when configured.
pub(super) fn raise(state: &mut State, kind: AlertKind, text: String, effects: &mut Vec<Effect>) {
    state.alerts.push(Alert {
        at: state.now,
        kind,
        text,
    });
    if state.alert_bell {
        effects.push(Effect::Bell);
    }
}

/// `!`: the list, newest first; opening it marks every alert seen.
pub(super) fn open(state: &mut State) -> bool {
    state.alerts.unseen = 0;
    state.modal = Some(Modal::Alerts { scroll: 0 });
    true
}

/// A key while the list is open: scroll, close, quit.
pub(super) fn key(state: &mut State, key: KeyEvent, scroll: usize) -> bool {
    let section = state.screen().map_or(Section::Pods, Screen::section);
    let last = state.alerts.list.len().saturating_sub(1);
    let next = match state.keymap.resolve(section, &key) {
        Some(Action::Alerts | Action::Back) => {
            state.modal = None;
            return true;
        }
        Some(Action::Down) => (scroll + 1).min(last),
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::Top) => 0,
        Some(Action::Bottom) => last,
        _ => return false,
    };
    state.modal = Some(Modal::Alerts { scroll: next });
    true
}
