//! The full-screen read-only text screen (YAML or describe): a title line, the pager, and the
//! status bar or the search line.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::objects::{TextMode, TextScreen};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::widgets;

/// Draws the screen over the whole `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, view: &TextScreen) {
    let theme = &state.theme;
    let [title, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Line::raw(title_text(view, usize::from(body.height))).style(theme.style(Token::Header)),
        title,
    );
    if let Some(error) = &view.error {
        let lines = vec![
            Line::styled(error.as_str(), theme.style(Token::StatusError)),
            Line::raw("esc returns to the table."),
        ];
        frame.render_widget(Paragraph::new(lines), body);
    } else if view.fetched.is_none() {
        let loading = format!("Loading {}…", view.target.label());
        frame.render_widget(Line::raw(loading), body);
    } else {
        widgets::pager::render(frame, body, theme, &view.pager);
    }
    widgets::status_bar::render(frame, bottom, state);
}

/// `YAML  pod ns/name  12-40/340  managedFields hidden (m)`.
fn title_text(view: &TextScreen, height: usize) -> String {
    let mode = match view.mode {
        TextMode::Yaml => "YAML",
        TextMode::Describe => "Describe",
    };
    let mut title = format!(" {mode}  {}", view.target.label());
    if let Some(position) = widgets::pager::position(&view.pager, height) {
        title.push_str(&format!("  {position}"));
    }
    if view.mode == TextMode::Yaml {
        title.push_str(if view.managed_fields {
            "  managedFields shown"
        } else {
            "  managedFields hidden"
        });
    }
    if let Some(q) = &view.pager.search {
        title.push_str(&format!("  /{q}"));
    }
    title
}
