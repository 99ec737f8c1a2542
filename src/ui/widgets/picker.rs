//! The popup picker: a query line, then the matching items with the cursor on one.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::picker::{Picker, PickerKind};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::{centered, fit_spans};

/// Draws the open picker centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, picker: &Picker) {
    let theme = &state.theme;
    let shown = picker.shown();
    let title = match picker.kind {
        PickerKind::Tenants => " Tenants — type to narrow · * favourite · enter picks · esc ",
        PickerKind::Contexts => " Contexts — type to narrow · enter switches · esc ",
        PickerKind::Containers => " Containers — type to narrow · enter shows its log · esc ",
        PickerKind::ShellContainers => " Containers — type to narrow · enter opens a shell · esc ",
    };
    let width = area.width.min(76);
    // Border, query line, then as many items as fit.
    let room = usize::from(area.height.saturating_sub(3)).max(1);
    let height = u16::try_from(shown.len().clamp(1, room) + 3).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    let inner = usize::from(width.saturating_sub(2));

    let mut lines = vec![Line::from(format!("> {}▏", picker.query))];
    if shown.is_empty() {
        let hint = match picker.kind {
            PickerKind::Tenants if !picker.query.is_empty() => {
                format!("enter watches namespace {}", picker.query.trim())
            }
            _ => "nothing matches".to_string(),
        };
        lines.push(Line::styled(hint, theme.style(Token::Header)));
    }
    // `update` keeps the cursor inside the window; a shrunken terminal clamps it here.
    let first = picker
        .offset
        .max(picker.selected.saturating_sub(room.saturating_sub(1)));
    for (i, item) in shown.iter().enumerate().skip(first).take(room) {
        let mark = match state.favourites.iter().position(|f| *f == item.value) {
            Some(n) if picker.kind == PickerKind::Tenants => format!("★{} ", n + 1),
            _ => "   ".to_string(),
        };
        let detail_style = if item.detail.contains("not ready") {
            theme.style(Token::PodFailing)
        } else {
            Style::new()
        };
        let used = mark.chars().count() + item.label.chars().count() + item.detail.chars().count();
        let gap = inner.saturating_sub(used).max(1);
        let spans = vec![
            Span::raw(mark),
            Span::raw(item.label.clone()),
            Span::raw(" ".repeat(gap)),
            Span::styled(item.detail.clone(), detail_style),
        ];
        let mut line = Line::from(fit_spans(spans, inner));
        if i == picker.selected {
            line = line.patch_style(theme.style(Token::RowSelected));
        }
        lines.push(line);
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(title);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
