//! The detail pane: below the pod table (or beside it on wide terminals), following the
//! selection; plus the tone → theme style mapping the text view shares.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::detail::DetailPane;
use crate::app::state::State;
use crate::config::theme::{Theme, Token};
use crate::kube::text::Tone;

/// From this width the pane goes beside the table: rows stay readable at half the width.
pub const SIDE_BY_SIDE_WIDTH: u16 = 160;

/// Splits the area above the status bar between the table and, when open, the pane.
pub fn split(area: Rect, pane_open: bool) -> (Rect, Option<Rect>) {
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

/// The theme's style for a line's tone; plain lines keep the terminal's colours.
pub fn tone_style(theme: &Theme, tone: Tone) -> Style {
    let token = match tone {
        Tone::Plain => return Style::new(),
        Tone::Heading => Token::Header,
        Tone::Oom => Token::PodOom,
        Tone::Failing => Token::PodFailing,
        Tone::Warning => Token::PodNotReady,
        Tone::Pending => Token::PodPending,
        Tone::Good => Token::StatusOk,
    };
    theme.style(token)
}

/// Draws the pane in `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, pane: &DetailPane) {
    let theme = &state.theme;
    let title = match &pane.target {
        Some(target) => format!(" {} — enter/esc closes ", target.label()),
        None => " Detail — enter/esc closes ".to_string(),
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.style(Token::BorderFocused))
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let lines: Vec<Line> = if pane.target.is_none() {
        vec![Line::raw("No pod is selected.")]
    } else if let Some(error) = &pane.error {
        vec![Line::styled(
            error.as_str(),
            theme.style(Token::StatusError),
        )]
    } else if pane.shown != pane.target || pane.fetched.is_none() {
        vec![Line::raw("Loading…")]
    } else {
        pane.lines
            .iter()
            .take(height)
            .map(|l| Line::styled(l.text.as_str(), tone_style(theme, l.tone)))
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
