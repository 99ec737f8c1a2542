//! The alert list (`!`): newest first, each with its age, the kind as a word (monochrome
//! terminals read it too) and the object.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::state::State;
use crate::config::theme::Token;
use crate::kube::age::human_duration;
use crate::ui::centered;

/// Draws the list centred over `area`, its first line at `scroll`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, scroll: usize) {
    let theme = &state.theme;
    let lines: Vec<Line> = if state.alerts.list.is_empty() {
        vec![Line::raw(
            "No alerts since kterm started (new OOM kills, crash loops, tenants going DOWN).",
        )]
    } else {
        state
            .alerts
            .list
            .iter()
            .skip(scroll)
            .map(|a| {
                Line::from(vec![
                    Span::raw(format!("{:>6} ago  ", human_duration(state.now - a.at))),
                    Span::styled(
                        format!("{:<10} ", a.kind.words()),
                        theme.style(Token::PodFailing),
                    ),
                    Span::raw(a.text.clone()),
                ])
            })
            .collect()
    };
    let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
    let popup = centered(
        area,
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(lines.len() + 2).unwrap_or(u16::MAX),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(
            " Alerts ({}) — esc or ! closes ",
            state.alerts.list.len()
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
