//! The mouse (only with `mouse: true`): a left click selects the row under it in the pod
//! table and the lists; the wheel moves the selection there and scrolls the log and text
//! views, three lines a notch. Overlays and input lines keep the keyboard's rules: the mouse
//! does nothing while one is open.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::layout;
use crate::app::screen::Screen;
use crate::app::state::State;

/// Lines (or rows) one notch of the wheel moves.
const WHEEL_STEP: usize = 3;

/// A mouse event; returns whether anything changed.
pub(super) fn event(state: &mut State, event: MouseEvent, effects: &mut Vec<Effect>) -> bool {
    if state.modal.is_some() || state.line.is_some() {
        return false;
    }
    match event.kind {
        MouseEventKind::ScrollUp => wheel(state, Action::Up, effects),
        MouseEventKind::ScrollDown => wheel(state, Action::Down, effects),
        MouseEventKind::Down(MouseButton::Left) => click(state, event.column, event.row),
        _ => false,
    }
}

fn wheel(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    let mut changed = false;
    for _ in 0..WHEEL_STEP {
        changed |= super::apply_action(state, action, effects);
    }
    changed
}

/// Selects the table row at screen cell (`column`, `row`); the header and the pane are not rows.
fn click(state: &mut State, column: u16, row: u16) -> bool {
    match state.screen() {
        Some(Screen::Pods(table)) => {
            let (area, _) = layout::split_pane(layout::main_area(state), table.pane.is_some());
            let Some(index) = row_at(area, column, row, table.offset) else {
                return false;
            };
            let height = layout::pods_body_height(state);
            let Some(table) = state.top_pods_mut() else {
                return false;
            };
            if index >= table.order.len() || index == table.selected {
                return false;
            }
            table.select_index(index);
            table.keep_selection_visible(height);
            true
        }
        Some(Screen::Resources(view)) => {
            let area = layout::main_area(state);
            let Some(index) = row_at(area, column, row, view.offset) else {
                return false;
            };
            let height = layout::list_body_height(state);
            let Some(view) = state.top_resources_mut() else {
                return false;
            };
            if index >= view.order.len() || index == view.selected {
                return false;
            }
            view.select_index(index);
            view.keep_selection_visible(height);
            true
        }
        _ => false,
    }
}

/// The index in the table's order of the body row at the cell, when the cell is in the body
/// (the header is the area's first row).
fn row_at(area: ratatui::layout::Rect, column: u16, row: u16, offset: usize) -> Option<usize> {
    let inside = column >= area.x
        && column < area.x.saturating_add(area.width)
        && row > area.y
        && row < area.y.saturating_add(area.height);
    inside.then(|| offset + usize::from(row - area.y - 1))
}
