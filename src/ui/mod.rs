//! Rendering: a pure function of `&State`; views see rows, never Kubernetes objects.

pub mod views;
pub mod widgets;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::state::{Connection, State};

/// Smallest usable terminal; below it only a notice is drawn.
pub const MIN_SIZE: (u16, u16) = (40, 6);

/// What the message lines say: kterm's last sentence, else why the shown list's watch or the
/// connection is failing.
pub(crate) fn message_text(state: &State) -> Option<&str> {
    let list_error = state
        .top_resources()
        .and_then(|v| v.errors.values().next())
        .map(String::as_str);
    state
        .message
        .as_deref()
        .or(list_error)
        .or(match &state.connection {
            Connection::Retrying(e) | Connection::Failed(e) => Some(e.as_str()),
            _ => None,
        })
}

/// Lines the message takes when wrapped to the terminal's width, at most 3.
pub(crate) fn message_height(state: &State) -> u16 {
    let Some(text) = message_text(state) else {
        return 0;
    };
    let width = usize::from(state.size.0.max(1));
    let len = unicode_width::UnicodeWidthStr::width(text) + 1;
    u16::try_from(len.div_ceil(width).clamp(1, 3)).unwrap_or(3)
}

/// Cuts a line's spans to `width` columns, ending with "…" when something was cut, so a long
/// sentence never just stops mid-word without a sign.
pub(crate) fn fit_spans(spans: Vec<Span<'_>>, width: usize) -> Vec<Span<'_>> {
    let total: usize = spans.iter().map(|s| s.width()).sum();
    if total <= width {
        return spans;
    }
    let mut left = width.saturating_sub(1);
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        if left == 0 {
            break;
        }
        let w = span.width();
        if w <= left {
            left -= w;
            out.push(span);
            continue;
        }
        let mut text = String::new();
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if cw > left {
                break;
            }
            left -= cw;
            text.push(c);
        }
        out.push(Span::styled(text, span.style));
        left = 0;
    }
    let style = out.last().map(|s| s.style).unwrap_or_default();
    out.push(Span::styled("…", style));
    out
}

/// Table body rows a resource list has: the terminal minus the header, the status bar and the
/// message lines.
pub fn list_body_height(state: &State) -> usize {
    usize::from(state.size.1.saturating_sub(2 + message_height(state)))
}

/// Table body rows the pod table has now: the terminal minus the header, the status bar, the
/// message lines, and the detail pane when open.
pub fn pods_body_height(state: &State) -> usize {
    let (width, height) = state.size;
    let main = Rect::new(
        0,
        0,
        width,
        height.saturating_sub(1 + message_height(state)),
    );
    let (table, _) = views::detail::split(main, state.detail.pane.is_some());
    usize::from(table.height.saturating_sub(1))
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        frame.render_widget(Line::from("terminal too small"), area);
        return;
    }
    if let Some(view) = &state.detail.text {
        views::text::render(frame, area, state, view);
        if state.help_open {
            widgets::help::render(frame, area, state);
        }
        return;
    }
    let message = message_height(state);
    let [main, message_line, status] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(message),
        Constraint::Length(1),
    ])
    .areas(area);
    widgets::status_bar::render_message(frame, message_line, state);
    match state.top_resources() {
        Some(view) => views::resources::render(frame, main, state, view),
        None => {
            let (table, pane_area) = views::detail::split(main, state.detail.pane.is_some());
            views::pods::render(frame, table, state);
            if let (Some(pane_area), Some(pane)) = (pane_area, &state.detail.pane) {
                views::detail::render(frame, pane_area, state, pane);
            }
        }
    }
    widgets::status_bar::render(frame, status, state);
    if state.picker.is_some() {
        widgets::picker::render(frame, main, state);
    }
    if state.help_open {
        widgets::help::render(frame, main, state);
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
