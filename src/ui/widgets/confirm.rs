//! A yes/no question in a small box over the screen.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::screen::Confirm;
use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::centered;

/// Draws the question centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, confirm: &Confirm) {
    let width = area.width.min(72);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let lines = confirm.question.chars().count().div_ceil(inner).max(1);
    let height = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(state.theme.style(Token::BorderFocused))
        .title(match confirm.on_yes {
            // A change to the cluster: enter alone is No.
            crate::app::screen::ConfirmAction::Mutate(_) => " y yes · n no (default) ",
            _ => " y yes · n no ",
        });
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(Line::raw(confirm.question.as_str()))
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
