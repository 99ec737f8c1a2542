//! The guarded-delete dialog in a box over the screen: the question, each object's warnings
//! (danger red, warn yellow — and a glyph, for monochrome terminals), the options, the name
//! being typed back, and what the keys do.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::delete::DeleteDialog;
use crate::app::state::State;
use crate::config::theme::Token;
use crate::kube::deps::Level;
use crate::ui::centered;

/// Draws the dialog centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, dialog: &DeleteDialog) {
    let theme = &state.theme;
    let width = area.width.min(96);
    let body = dialog.body();
    let reasons = dialog.high_reasons();
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled(dialog.title(), theme.style(Token::Header)));
    lines.push(Line::raw(""));
    for (level, text) in body.iter().skip(dialog.scroll) {
        let style = match level {
            Level::Danger => theme.style(Token::PodFailing),
            Level::Warn => theme.style(Token::PodRestarting),
            Level::Info => Style::new(),
        };
        lines.push(Line::styled(text.clone(), style));
    }
    lines.push(Line::raw(""));
    if let Some(options) = dialog.options_line() {
        lines.push(Line::raw(options));
    }
    if !dialog.checking() && !reasons.is_empty() {
        lines.push(Line::styled(
            format!("High impact: {}.", reasons.join(", ")),
            theme.style(Token::PodFailing),
        ));
        lines.push(Line::from(vec![
            Span::raw(format!("Type {} to confirm: ", dialog.expected())),
            Span::styled(format!("{}▏", dialog.typed), theme.style(Token::HelpKey)),
        ]));
    }
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(" {} ", dialog.prompt()));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
