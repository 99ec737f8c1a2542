//! Layout numbers both `update` (page sizes, keeping the selection on screen) and the views
//! (where to draw) need. They live here, in `app`, so `update` never calls into `ui`.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::screen::Screen;
use crate::app::state::{Connection, State};

/// Smallest usable terminal; below it only a notice is drawn.
pub const MIN_SIZE: (u16, u16) = (40, 6);

/// From this width the detail pane goes beside the table: rows stay readable at half the width.
pub const SIDE_BY_SIDE_WIDTH: u16 = 160;

/// What the message lines say: kterm's last sentence, else why the shown list's watch or the
/// connection is failing.
pub fn message_text(state: &State) -> Option<&str> {
    let list_error = state
        .top_resources()
        .and_then(|v| v.errors.values().next())
        .map(String::as_str);
    state
        .message
        .as_deref()
        .or(list_error)
        .or(match &state.cluster.connection {
            Connection::Retrying(e) | Connection::Failed(e) => Some(e.as_str()),
            _ => None,
        })
}

/// Lines the message takes when wrapped to the terminal's width, at most 3.
pub fn message_height(state: &State) -> u16 {
    let Some(text) = message_text(state) else {
        return 0;
    };
    let width = usize::from(state.size.0.max(1));
    let len = unicode_width::UnicodeWidthStr::width(text) + 1;
    u16::try_from(len.div_ceil(width).clamp(1, 3)).unwrap_or(3)
}

/// The area above the message lines and the status bar.
pub fn main_area(state: &State) -> Rect {
    let (width, height) = state.size;
    Rect::new(
        0,
        0,
        width,
        height.saturating_sub(1 + message_height(state)),
    )
}

/// Splits the area above the status bar between the table and, when open, the detail pane.
pub fn split_pane(area: Rect, pane_open: bool) -> (Rect, Option<Rect>) {
    if !pane_open {
        return (area, None);
    }
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let [table, pane] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(area);
        return (table, Some(pane));
    }
    // The table keeps a header and at least one row; the pane takes a little over half, since
    // a pod's containers, conditions and events need the lines.
    let pane_height = (area.height * 55 / 100).min(area.height.saturating_sub(2));
    let [table, pane] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(pane_height)]).areas(area);
    (table, Some(pane))
}

/// Table body rows a resource list has: the main area minus the header.
pub fn list_body_height(state: &State) -> usize {
    usize::from(main_area(state).height.saturating_sub(1))
}

/// Lines under the overview's table for the selected tenant's reasons (title included).
pub const OVERVIEW_REASONS: u16 = 6;

/// Table body rows the overview has: the main area minus its header and the reasons below.
pub fn overview_body_height(state: &State) -> usize {
    let height = main_area(state).height;
    usize::from(height.saturating_sub(1 + OVERVIEW_REASONS.min(height / 2)))
}

/// Table body rows the shown pod table has: the main area minus the header and the detail pane
/// when open.
pub fn pods_body_height(state: &State) -> usize {
    let pane = state.top_pods().is_some_and(|t| t.pane.is_some());
    let (table, _) = split_pane(main_area(state), pane);
    usize::from(table.height.saturating_sub(1))
}

/// Lines of text a text screen shows: the terminal minus its title and the bottom line.
pub fn text_body_height(state: &State) -> usize {
    usize::from(state.size.1.saturating_sub(2))
}

/// Rows and columns of a log view's lines: the main area minus the header row.
pub fn logs_body(state: &State) -> (usize, usize) {
    let area = main_area(state);
    (
        usize::from(area.height.saturating_sub(1)),
        usize::from(area.width),
    )
}

/// Rows a page of the screen shown has, for page keys.
pub fn page_height(state: &State) -> usize {
    match state.screen() {
        Some(Screen::Pods(_)) => pods_body_height(state),
        Some(Screen::Resources(_)) => list_body_height(state),
        Some(Screen::Text(_)) => text_body_height(state),
        Some(Screen::Logs(_)) => logs_body(state).0,
        Some(Screen::Overview(_)) => overview_body_height(state),
        None => 1,
    }
    .max(1)
}

/// Items a picker popup shows: the main area minus its borders and query line.
pub fn picker_room(state: &State) -> usize {
    usize::from(main_area(state).height.saturating_sub(3)).max(1)
}

/// Lines the help popup shows between its borders (it covers the main area).
pub fn help_inner_height(state: &State) -> usize {
    usize::from(main_area(state).height.saturating_sub(2))
}
