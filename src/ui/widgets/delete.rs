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
    if let Some(note) = &dialog.note {
        lines.push(Line::raw(note.clone()));
    }
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
    lines.push(Line::styled(dialog.prompt(), theme.style(Token::HelpKey)));
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            wrapped_rows(&text, inner)
        })
        .sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(" {} ", dialog.verb()));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}

/// Rows `text` takes when wrapped at word boundaries to `width` columns, as the paragraph
/// wraps it (a word longer than the width is cut).
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        let need = if used == 0 { len } else { used + 1 + len };
        if need <= width {
            used = need;
        } else if len > width {
            rows += usize::from(used > 0) + (len - 1) / width;
            used = len % width;
        } else {
            rows += 1;
            used = len;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::wrapped_rows;

    #[test]
    fn wrapping_counts_rows_as_words_fall() {
        assert_eq!(wrapped_rows("", 10), 1);
        assert_eq!(wrapped_rows("aaaa bbbb", 10), 1);
        assert_eq!(wrapped_rows("aaaa bbbb cc", 10), 2);
        assert_eq!(wrapped_rows("aaaaaaaaaaaaaaa", 10), 2);
    }
}
