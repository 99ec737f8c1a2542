//! The full-screen read-only text view (YAML or describe): a title line, the visible window of
//! the text, and the status bar or the search line.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::detail::{TextMode, TextView};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::kube::text::TextLine;
use crate::ui::views::detail::tone_style;
use crate::ui::widgets;

/// Lines of text shown in a terminal of `size`: minus the title and the bottom line.
pub fn body_height(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(2))
}

/// Draws the view over the whole `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, view: &TextView) {
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

    let lines: Vec<Line> = if let Some(error) = &view.error {
        vec![
            Line::styled(error.as_str(), theme.style(Token::StatusError)),
            Line::raw("esc returns to the table."),
        ]
    } else if view.fetched.is_none() {
        vec![Line::raw(format!("Loading {}…", view.target.label()))]
    } else {
        let highlight = theme.style(Token::RowSelected);
        view.lines
            .iter()
            .skip(view.scroll)
            .take(usize::from(body.height))
            .map(|l| {
                styled(
                    l,
                    view.search.as_deref(),
                    tone_style(theme, l.tone),
                    highlight,
                )
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), body);

    match &view.search_input {
        Some(input) => frame.render_widget(
            Line::raw(format!("/{input}▏")).style(theme.style(Token::StatusBar)),
            bottom,
        ),
        None => widgets::status_bar::render(frame, bottom, state),
    }
}

/// `YAML  pod ns/name  12-40/340  managedFields hidden (m)`.
fn title_text(view: &TextView, height: usize) -> String {
    let mode = match view.mode {
        TextMode::Yaml => "YAML",
        TextMode::Describe => "Describe",
    };
    let mut title = format!(" {mode}  {}", view.target.label());
    if !view.lines.is_empty() {
        let last = (view.scroll + height).min(view.lines.len());
        title.push_str(&format!(
            "  {}-{last}/{}",
            (view.scroll + 1).min(last),
            view.lines.len()
        ));
    }
    if view.mode == TextMode::Yaml {
        title.push_str(if view.managed_fields {
            "  managedFields shown"
        } else {
            "  managedFields hidden"
        });
    }
    if let Some(q) = &view.search {
        title.push_str(&format!("  /{q}"));
    }
    title
}

/// A line in its tone, with matches of the search highlighted.
fn styled<'a>(line: &'a TextLine, query: Option<&str>, style: Style, highlight: Style) -> Line<'a> {
    let text = line.text.as_str();
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Line::styled(text, style);
    };
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; then the whole line is highlighted.
    if lower.len() != text.len() {
        return if lower.contains(query) {
            Line::styled(text, style.patch(highlight))
        } else {
            Line::styled(text, style)
        };
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, found) in lower.match_indices(query) {
        let end = start + found.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        spans.push(Span::styled(&text[at..start], style));
        spans.push(Span::styled(&text[start..end], style.patch(highlight)));
        at = end;
    }
    spans.push(Span::styled(&text[at..], style));
    Line::from(spans)
}
