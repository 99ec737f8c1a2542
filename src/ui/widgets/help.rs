//! The help popup: draws `app::help`'s lines centred over the screen, scrolled by the modal.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::help::{close_keys, lines, HelpLine};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::centered;

/// Draws the help popup centred over `area`, its first line at `scroll` when taller than the
/// screen.
pub fn render(frame: &mut Frame, area: Rect, state: &State, scroll: usize) {
    let theme = &state.theme;
    let key_style = theme.style(Token::HelpKey);
    let header = theme.style(Token::Header);
    let lines: Vec<Line> = lines(state)
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(title) => Line::styled(title, header),
            HelpLine::Binding { keys, desc } => {
                Line::from(vec![Span::styled(keys, key_style), Span::raw(desc)])
            }
            HelpLine::Text(text) => Line::raw(text),
            HelpLine::Blank => Line::raw(""),
        })
        .collect();
    let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
    let height = lines.len() + 2;
    let popup = centered(
        area,
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(height).unwrap_or(u16::MAX),
    );
    let inner = usize::from(popup.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(inner));
    let more = if lines.len() > inner {
        format!(" — j/k scroll ({}/{}) ", scroll + inner, lines.len())
    } else {
        " ".to_string()
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(" Help — {} closes{more}", close_keys(state)));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
