//! Rendering: a pure function of `&State`; views see rows, never Kubernetes objects.

pub mod views;
pub mod widgets;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::Frame;

use crate::app::state::State;

/// Smallest usable terminal; below it only a notice is drawn.
pub const MIN_SIZE: (u16, u16) = (40, 6);

/// Rows left for the table body in a terminal of `size`: minus the header and the status bar.
pub fn table_body_height(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(2))
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        frame.render_widget(Line::from("terminal too small"), area);
        return;
    }
    let [table, status] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    match state.top_resources() {
        Some(view) => views::resources::render(frame, table, state, view),
        None => views::pods::render(frame, table, state),
    }
    widgets::status_bar::render(frame, status, state);
    if state.help_open {
        widgets::help::render(frame, table, state);
    }
}

/// The area a centred message of `width` × `height` takes inside `area`.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
