//! The detail pane: below the pod table (or beside it on wide terminals), following the
//! selection.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::objects::DetailPane;
use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::widgets::pager::tone_style;

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
        let focus = pane.focused().map(|c| {
            Line::styled(
                format!("▶ container {c}: s opens a shell in it, l its log (tab: next)"),
                theme.style(Token::HelpKey),
            )
        });
        let room = height.saturating_sub(usize::from(focus.is_some()));
        focus
            .into_iter()
            .chain(
                pane.lines
                    .iter()
                    .take(room)
                    .map(|l| Line::styled(l.text.as_str(), tone_style(theme, l.tone))),
            )
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
