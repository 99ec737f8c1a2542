//! The copy form in a box over the screen: one line per field, the one being edited marked.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::copy_form::{CopyForm, Field};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::ui::centered;

/// Draws the form centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, form: &CopyForm) {
    let theme = &state.theme;
    let popup = centered(area, area.width.min(80), 8);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(
            " Copy files · pod {} · tab next field · enter copies · esc ",
            form.pod
        ));
    let direction = if form.inward {
        "into the pod  (space turns it)"
    } else {
        "out of the pod  (space turns it)"
    };
    let row = |field: Field, label: &str, value: &str| {
        let (mark, style) = if form.field == field {
            ("▶ ", theme.style(Token::HelpKey))
        } else {
            ("  ", ratatui::style::Style::new())
        };
        let cursor = if form.field == field && field != Field::Direction {
            "▏"
        } else {
            ""
        };
        Line::from(vec![
            Span::styled(format!("{mark}{label:<11}"), style),
            Span::raw(format!("{value}{cursor}")),
        ])
    };
    let container = if form.container.is_empty() && form.field != Field::Container {
        "(the pod's default)"
    } else {
        form.container.as_str()
    };
    let lines = vec![
        row(Field::Direction, "direction", direction),
        row(Field::Local, "local path", &form.local),
        row(Field::Remote, "pod path", &form.remote),
        row(Field::Container, "container", container),
        Line::raw(""),
        Line::raw("  An existing local file is only replaced after you say yes."),
    ];
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
