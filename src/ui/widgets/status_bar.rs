//! The bottom line: context, what is watched, counts, and the connection state in one sentence.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::state::{Connection, State};
use crate::config::theme::Token;

/// Draws the status bar.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let theme = &state.theme;
    let bar = theme.style(Token::StatusBar);
    // The filter line takes the bottom row while it is open, like vim's and k9s's prompts.
    if let Some(input) = &state.filter_input {
        let mut spans = vec![Span::raw(format!("/{input}▏"))];
        if let Some(message) = &state.message {
            spans.push(Span::styled(
                format!("  {message}"),
                theme.style(Token::StatusError),
            ));
        }
        frame.render_widget(Line::from(spans).style(bar), area);
        return;
    }
    let scope = match &state.watching {
        None => String::new(),
        Some(Namespaces::All) => "all namespaces".to_string(),
        Some(Namespaces::List(list)) => list.join(","),
    };
    let mut spans = vec![Span::raw(format!(" {} ", state.context))];
    if !scope.is_empty() {
        spans.push(Span::raw(format!("│ {scope} ")));
    }
    if !state.pods.is_empty() {
        let unhealthy = state.unhealthy_count();
        match &state.filter {
            Some(f) => spans.push(Span::raw(format!(
                "│ /{} {} of {} pods",
                f.text,
                state.order.len(),
                state.pods.len()
            ))),
            None => spans.push(Span::raw(format!("│ {} pods", state.pods.len()))),
        }
        if unhealthy > 0 {
            spans.push(Span::raw(format!(", {unhealthy} not ready")));
        }
        spans.push(Span::raw(" "));
    }
    let (text, style) = match &state.connection {
        Connection::Connecting => ("connecting…".to_string(), Style::new()),
        Connection::Listing => ("listing…".to_string(), Style::new()),
        Connection::Live => ("live".to_string(), theme.style(Token::StatusOk)),
        Connection::Retrying(e) | Connection::Failed(e) => {
            (e.clone(), theme.style(Token::StatusError))
        }
    };
    spans.push(Span::styled(format!("│ {text}"), style));
    if let Some(message) = &state.message {
        spans.push(Span::raw(format!(" │ {message}")));
    }
    frame.render_widget(Line::from(spans).style(bar), area);
}
