//! Rendering: a pure function of `&State`; views see rows, never Kubernetes objects.

pub mod views;
pub mod widgets;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::screen::{Modal, Screen};
use crate::app::state::State;

pub use crate::app::layout::MIN_SIZE;
use crate::app::layout::{message_height, split_pane};

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

/// Draws the whole screen: the screen on top of the stack, then the modal over it.
pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        frame.render_widget(Line::from("terminal too small"), area);
        return;
    }
    let main = match state.screen() {
        // A text screen takes the whole terminal: title, text, bottom line.
        Some(Screen::Text(view)) => {
            views::text::render(frame, area, state, view);
            area
        }
        screen => {
            let message = message_height(state);
            let [main, message_line, status] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(message),
                Constraint::Length(1),
            ])
            .areas(area);
            widgets::status_bar::render_message(frame, message_line, state);
            match screen {
                Some(Screen::Resources(view)) => views::resources::render(frame, main, state, view),
                Some(Screen::Logs(view)) => views::logs::render(frame, main, state, view),
                Some(Screen::Overview(view)) => views::overview::render(frame, main, state, view),
                Some(Screen::Pods(table)) => {
                    let (table_area, pane_area) = split_pane(main, table.pane.is_some());
                    views::pods::render(frame, table_area, state, table);
                    if let (Some(pane_area), Some(pane)) = (pane_area, &table.pane) {
                        views::pane::render(frame, pane_area, state, pane);
                    }
                }
                _ => {}
            }
            widgets::status_bar::render(frame, status, state);
            main
        }
    };
    match &state.modal {
        Some(Modal::Picker(picker)) => widgets::picker::render(frame, main, state, picker),
        Some(Modal::Help { scroll }) => widgets::help::render(frame, main, state, *scroll),
        Some(Modal::Confirm(confirm)) => widgets::confirm::render(frame, main, state, confirm),
        Some(Modal::Copy(form)) => widgets::copy_form::render(frame, main, state, form),
        Some(Modal::Delete(dialog)) => widgets::delete::render(frame, main, state, dialog),
        Some(Modal::Alerts { scroll }) => widgets::alerts::render(frame, main, state, *scroll),
        Some(Modal::EditConflict { question }) => {
            widgets::edit_conflict::render(frame, main, state, question)
        }
        Some(Modal::Resources(form)) => widgets::resources_form::render(frame, main, state, form),
        None => {}
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
