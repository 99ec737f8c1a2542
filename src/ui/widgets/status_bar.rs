//! The bottom line: context, what is watched, counts, and the connection state in one sentence.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::resource_view::ResourceView;
use crate::app::state::{Connection, State};
use crate::config::theme::Token;
use crate::kube::resources::Health;

/// Draws the status bar.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let theme = &state.theme;
    let bar = theme.style(Token::StatusBar);
    // The filter and command lines take the bottom row while open, like vim's and k9s's prompts.
    let prompt = match (&state.filter_input, &state.command_input) {
        (Some(input), _) => Some(format!("/{input}▏")),
        (None, Some(input)) => Some(format!(":{input}▏")),
        (None, None) => None,
    };
    if let Some(prompt) = prompt {
        let mut spans = vec![Span::raw(prompt)];
        if let Some(message) = &state.message {
            spans.push(Span::styled(
                format!("  {message}"),
                theme.style(Token::StatusError),
            ));
        }
        frame.render_widget(Line::from(spans).style(bar), area);
        return;
    }
    let scope = match (&state.pod_scope, &state.watching) {
        // A drill-down names what it shows instead of the watched namespaces.
        (Some(scope), _) if state.top_resources().is_none() => scope.title.clone(),
        (_, None) => String::new(),
        (_, Some(Namespaces::All)) => "all namespaces".to_string(),
        (_, Some(Namespaces::List(list))) => list.join(","),
    };
    let mut spans = vec![Span::raw(format!(" {} ", state.context))];
    if !scope.is_empty() {
        spans.push(Span::raw(format!("│ {scope} ")));
    }
    let list_error = match state.top_resources() {
        Some(view) => list_counts(view, &mut spans),
        None => {
            pod_counts(state, &mut spans);
            None
        }
    };
    let (text, style) = match (&state.connection, list_error) {
        (_, Some(error)) => (error, theme.style(Token::StatusError)),
        (Connection::Connecting, _) => ("connecting…".to_string(), Style::new()),
        (Connection::Listing, _) => ("listing…".to_string(), Style::new()),
        (Connection::Live, _) if state.top_resources().is_some_and(|v| !v.pending.is_empty()) => {
            ("listing…".to_string(), Style::new())
        }
        (Connection::Live, _) => ("live".to_string(), theme.style(Token::StatusOk)),
        (Connection::Retrying(e) | Connection::Failed(e), _) => {
            (e.clone(), theme.style(Token::StatusError))
        }
    };
    spans.push(Span::styled(format!("│ {text}"), style));
    if let Some(message) = &state.message {
        spans.push(Span::raw(format!(" │ {message}")));
    }
    frame.render_widget(Line::from(spans).style(bar), area);
}

/// "12 pods, 3 not ready" (or "/x 2 of 12 pods") for the pods in scope.
fn pod_counts(state: &State, spans: &mut Vec<Span>) {
    if state.pods.is_empty() {
        return;
    }
    let total = match &state.pod_scope {
        Some(_) => state.scoped_pods().count(),
        None => state.pods.len(),
    };
    match &state.filter {
        Some(f) => spans.push(Span::raw(format!(
            "│ /{} {} of {total} pods",
            f.text,
            state.order.len()
        ))),
        None => spans.push(Span::raw(format!("│ {total} pods"))),
    }
    let unhealthy = state.unhealthy_count();
    if unhealthy > 0 {
        spans.push(Span::raw(format!(", {unhealthy} not ready")));
    }
    spans.push(Span::raw(" "));
}

/// "40 deployments, 2 need a look" for a list; returns its watch's error sentence, if any.
fn list_counts(view: &ResourceView, spans: &mut Vec<Span>) -> Option<String> {
    let title = view.title();
    match &view.filter {
        Some(f) => spans.push(Span::raw(format!(
            "│ /{} {} of {} {title}",
            f.text,
            view.order.len(),
            view.scoped
        ))),
        None => spans.push(Span::raw(format!("│ {} {title}", view.scoped))),
    }
    let attention = view
        .order
        .iter()
        .filter_map(|k| view.rows.get(k))
        .filter(|r| matches!(r.health, Health::Warning | Health::Failed))
        .count();
    if attention > 0 {
        spans.push(Span::raw(format!(", {attention} need a look")));
    }
    spans.push(Span::raw(" "));
    view.errors.values().next().cloned()
}
