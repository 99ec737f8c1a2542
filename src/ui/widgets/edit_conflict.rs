//! The edit's 409 question: the object changed meanwhile; re-apply, open the fresh one, or give
//! up. A small box over the screen, like the yes/no question.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::centered;

/// Draws the question centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, question: &str) {
    let width = area.width.min(76);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    // Words wrap, so leave a line of slack for the breaks.
    let lines = question.chars().count().div_ceil(inner) + 1;
    let height = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(state.theme.style(Token::BorderFocused))
        .title(" edit: 409 conflict · r re-apply · o open fresh · g give up ");
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(Line::raw(question))
            .wrap(Wrap { trim: true })
            .block(block),
        popup,
    );
}
