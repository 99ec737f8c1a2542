//! The bottom line: context, what is watched, counts, and the connection state in one sentence.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::state::{Connection, State};
use crate::config::theme::Token;
use crate::ui::{fit_spans, message_text};

/// Draws the status bar.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let theme = &state.theme;
    let bar = theme.style(Token::StatusBar);
    // The filter line takes the bottom row while it is open, like vim's and k9s's prompts.
    if let Some(input) = &state.filter_input {
        // A bad regex is said on the message line above, so the input keeps the whole row.
        let spans = vec![Span::raw(format!("/{input}▏"))];
        let spans = fit_spans(spans, usize::from(area.width));
        frame.render_widget(Line::from(spans).style(bar), area);
        return;
    }
    let scope = scope(state);
    let mut spans = vec![Span::raw(format!(" {} ", state.context))];
    if !scope.is_empty() {
        spans.push(Span::raw(format!("│ {scope} ")));
    }
    if !state.pods.is_empty() {
        let unhealthy = state.unhealthy_count();
        // Counts describe what is shown: the focused tenant, narrowed by the filter.
        match &state.filter {
            Some(f) => spans.push(Span::raw(format!(
                "│ /{} {} of {} pods",
                f.text,
                state.order.len(),
                state.order_stats.base
            ))),
            None => spans.push(Span::raw(format!("│ {} pods", state.order.len()))),
        }
        if unhealthy > 0 {
            spans.push(Span::raw(format!(", {unhealthy} not ready")));
        }
        spans.push(Span::raw(" "));
    }
    // The sentence saying why is on the message line; the bar keeps a word.
    let (text, style) = match &state.connection {
        Connection::Connecting => ("connecting…", Style::new()),
        Connection::Listing => ("listing…", Style::new()),
        Connection::Live => ("live", theme.style(Token::StatusOk)),
        Connection::Retrying(_) => ("retrying", theme.style(Token::StatusError)),
        Connection::Failed(_) => ("not connected", theme.style(Token::StatusError)),
    };
    spans.push(Span::styled(format!("│ {text}"), style));
    let spans = fit_spans(spans, usize::from(area.width));
    frame.render_widget(Line::from(spans).style(bar), area);
}

/// The lines above the status bar: the last sentence kterm has to say (esc dismisses it), or
/// why the connection fails; wrapped, since these sentences say what to check.
pub fn render_message(frame: &mut Frame, area: Rect, state: &State) {
    let Some(text) = message_text(state) else {
        return;
    };
    let style = state.theme.style(Token::StatusError);
    let paragraph = Paragraph::new(format!(" {text}"))
        .style(style)
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
}

/// What is watched, short enough for the bar: a few names, else a count.
fn scope(state: &State) -> String {
    if let Some(ns) = &state.namespace_focus {
        let label = state
            .tenants
            .iter()
            .find(|t| t.namespace == *ns)
            .map_or_else(|| ns.clone(), |t| t.label());
        return format!("tenant {label} (0: all)");
    }
    match (&state.watching, &state.only_namespaces) {
        (None, _) => String::new(),
        (Some(Namespaces::All), Some(only)) => format!("{} labelled namespaces", only.len()),
        (Some(Namespaces::All), None) => "all namespaces".to_string(),
        (Some(Namespaces::List(list)), _) if list.len() <= 4 => list.join(","),
        (Some(Namespaces::List(list)), _) => format!("{} namespaces", list.len()),
    }
}
