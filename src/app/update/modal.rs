//! Keys while a modal is open: the help scrolls and closes in one place whatever screen is
//! under it; a picker narrows, moves and picks.

use crossterm::event::KeyEvent;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::help;
use crate::app::layout;
use crate::app::screen::{Modal, Screen};
use crate::app::state::State;
use crate::config::keymap::Section;

/// A key while a modal is open.
pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    match &state.modal {
        Some(Modal::Help { scroll }) => {
            let scroll = *scroll;
            // The help answers to the keys of the screen it covers: its close, scroll and quit.
            let section = state.screen().map_or(Section::Pods, Screen::section);
            match state.keymap.resolve(section, &key) {
                Some(action) => help_action(state, action, scroll, effects),
                None => false,
            }
        }
        Some(Modal::Picker(_)) => super::picker::key(state, key, effects),
        Some(Modal::Confirm(_)) => super::confirm::key(state, key, effects),
        Some(Modal::Copy(_)) => super::copy::key(state, key, effects),
        Some(Modal::Delete(_)) => super::delete::key(state, key, effects),
        Some(Modal::Alerts { scroll }) => {
            let scroll = *scroll;
            super::alerts::key(state, key, scroll)
        }
        Some(Modal::EditConflict { .. }) => super::edit::conflict_key(state, key, effects),
        Some(Modal::Resources(_)) => super::actions::form_key(state, key, effects),
        None => false,
    }
}

/// The help is modal: it answers only to closing it, scrolling and quitting.
fn help_action(
    state: &mut State,
    action: Action,
    scroll: usize,
    effects: &mut Vec<Effect>,
) -> bool {
    let page = layout::help_inner_height(state).max(1);
    let last = help::max_scroll(state);
    let next = match action {
        Action::Help | Action::Back => {
            state.modal = None;
            return true;
        }
        Action::Quit => {
            super::quit(state, effects);
            return false;
        }
        Action::Down => scroll + 1,
        Action::Up => scroll.saturating_sub(1),
        Action::PageDown => scroll + page,
        Action::PageUp => scroll.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return false,
    }
    // Scrolling stops once the last line is on screen.
    .min(last);
    state.modal = Some(Modal::Help { scroll: next });
    next != scroll
}
