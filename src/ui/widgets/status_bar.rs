//! The bottom line: context, what is watched, counts, and the connection state in one sentence.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::layout::message_text;
use crate::app::resource_list::ResourceList;
use crate::app::state::{Connection, State};
use crate::config::theme::Token;
use crate::kube::resources::Health;
use crate::ui::fit_spans;

/// Draws the status bar.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let theme = &state.theme;
    let bar = theme.style(Token::StatusBar);
    // The filter and command lines take the bottom row while open, like vim's and k9s's
    // prompts; a bad regex or command is said on the message line above.
    let prompt = state.line.as_ref().map(|line| {
        let prompt = match line.kind {
            crate::app::screen::LineKind::Scale => crate::app::update::scale_prompt(state),
            other => other.prompt().to_string(),
        };
        format!("{prompt}{}▏", line.text)
    });
    if let Some(prompt) = prompt {
        let spans = fit_spans(vec![Span::raw(prompt)], usize::from(area.width));
        frame.render_widget(Line::from(spans).style(bar), area);
        return;
    }
    let scope = scope(state);
    let mut spans = vec![Span::raw(format!(" {} ", state.cluster.context))];
    // Early in the bar, so a narrow terminal cuts the counts before it.
    if state.readonly.why(&state.cluster.context).is_some() {
        spans.push(Span::styled(
            "│ READ-ONLY ",
            theme.style(Token::StatusError),
        ));
    }
    // The newest alert not yet looked at, until `!` opens the list.
    if let Some(alert) = state.alerts.latest_unseen() {
        spans.push(Span::styled(
            format!("│ ⚠ {} {} (! lists) ", alert.kind.words(), alert.text),
            theme.style(Token::StatusError),
        ));
    }
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
    // The sentence saying why is on the message line; the bar keeps a word.
    let listing = state.top_resources().is_some_and(|v| !v.pending.is_empty());
    let (text, style) = match (&state.cluster.connection, list_error) {
        (_, Some(_)) | (Connection::Retrying(_), _) => {
            ("retrying", theme.style(Token::StatusError))
        }
        (Connection::Connecting, _) => ("connecting…", Style::new()),
        (Connection::Listing, _) => ("listing…", Style::new()),
        (Connection::Live, _) if listing => ("listing…", Style::new()),
        (Connection::Live, _) => ("live", theme.style(Token::StatusOk)),
        (Connection::Failed(_), _) => ("not connected", theme.style(Token::StatusError)),
    };
    spans.push(Span::styled(format!("│ {text}"), style));
    let spans = fit_spans(spans, usize::from(area.width));
    frame.render_widget(Line::from(spans).style(bar), area);
}

/// The lines above the status bar: the last sentence kterm has to say (esc dismisses it), or
/// why the connection or the list's watch fails; wrapped, since these sentences say what to
/// check.
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

/// What is shown, short enough for the bar: a drill-down's title, the focused tenant, or the
/// watched namespaces (a few names, else a count).
fn scope(state: &State) -> String {
    if let Some(scope) = state.top_pods().and_then(|t| t.scope.as_ref()) {
        return scope.title.clone();
    }
    if let Some(ns) = &state.namespace_focus {
        let label = state
            .tenants
            .iter()
            .find(|t| t.namespace == *ns)
            .map_or_else(|| ns.clone(), |t| t.label());
        return format!("tenant {label} (0: all)");
    }
    match (&state.cluster.watching, state.store.only()) {
        (None, _) => String::new(),
        (Some(Namespaces::All), Some(only)) => format!("{} labelled namespaces", only.len()),
        (Some(Namespaces::All), None) => "all namespaces".to_string(),
        (Some(Namespaces::List(list)), _) if list.len() <= 4 => list.join(","),
        (Some(Namespaces::List(list)), _) => format!("{} namespaces", list.len()),
    }
}

/// "12 pods, 3 not ready" (or "/x 2 of 12 pods") for the pods shown: the focused tenant or
/// drill-down, narrowed by the filter; counted when the order is built, not per frame.
fn pod_counts(state: &State, spans: &mut Vec<Span>) {
    let Some(table) = state.top_pods() else {
        return;
    };
    if state.store.is_empty() {
        return;
    }
    match &table.filter {
        Some(f) => spans.push(Span::raw(format!(
            "│ /{} {} of {} pods",
            f.text,
            table.order.len(),
            table.order_stats.base
        ))),
        None => spans.push(Span::raw(format!("│ {} pods", table.order.len()))),
    }
    let unhealthy = table.order_stats.unhealthy;
    if unhealthy > 0 {
        spans.push(Span::raw(format!(", {unhealthy} not ready")));
    }
    spans.push(Span::raw(" "));
}

/// "40 deployments, 2 need a look" for a list; returns its watch's error sentence, if any.
fn list_counts(view: &ResourceList, spans: &mut Vec<Span>) -> Option<String> {
    let mut title = view.title();
    // "1 job of cj/protheus-updater", not "1 jobs": the kind is the title's first word.
    if view.scoped == 1 {
        let (kind, rest) = title.split_once(' ').unwrap_or((title.as_str(), ""));
        let one = kind.strip_suffix('s').unwrap_or(kind);
        title = if rest.is_empty() {
            one.to_string()
        } else {
            format!("{one} {rest}")
        };
    }
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
