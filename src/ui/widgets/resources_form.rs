//! The resources form in a box over the list: the container, the memory and CPU requests and
//! limits being typed, what the pods use now against the old and new limit, and the warning
//! or the problem that keeps enter from applying.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::resources_form::{Field, ResourcesForm};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::kube::metrics::{self, quantity};
use crate::ui::centered;

/// `usage` as a share of the limit `text` (`60%`), when both are known.
fn share(usage: f64, text: &str) -> Option<String> {
    let limit = quantity(text).filter(|l| *l > 0.0)?;
    Some(format!("{:.0}%", usage * 100.0 / limit))
}

/// `now 1.2Gi (60% of the old limit, 40% of the new)`.
fn usage_words(
    usage: Option<f64>,
    old: Option<&str>,
    new: &str,
    show: fn(f64) -> String,
) -> String {
    let Some(usage) = usage else {
        return String::new();
    };
    let mut words = format!("uses {}", show(usage));
    let old_share = old.and_then(|o| share(usage, o));
    let new_share = share(usage, new);
    match (old_share, new_share) {
        (Some(o), Some(n)) if old.map(str::trim) != Some(new.trim()) => {
            words.push_str(&format!(" ({o} of the old limit, {n} of the new)"));
        }
        (_, Some(n)) => words.push_str(&format!(" ({n} of the limit)")),
        (Some(o), None) => words.push_str(&format!(" ({o} of the old limit)")),
        (None, None) => {}
    }
    words
}

/// Draws the form centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, form: &ResourcesForm) {
    let theme = &state.theme;
    let popup = centered(area, area.width.min(96), 13);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(
            " Resources · {} · tab next field · enter applies (a rollout) · esc ",
            form.loaded.target.slash()
        ));
    let row = |field: Field, label: &str, value: &str, note: String| {
        let (mark, style) = if form.field == field {
            ("▶ ", theme.style(Token::HelpKey))
        } else {
            ("  ", Style::new())
        };
        let cursor = if form.field == field && field != Field::Container {
            "▏"
        } else {
            ""
        };
        Line::from(vec![
            Span::styled(format!("{mark}{label:<15}"), style),
            Span::raw(format!("{:<12}", format!("{value}{cursor}"))),
            Span::raw(note),
        ])
    };
    let current = form.current();
    let old_limits = current.map(|c| &c.limits);
    let count = form.loaded.containers.len();
    let name = current.map_or("", |c| c.name.as_str());
    let container = if count > 1 {
        format!(
            "{name}  ({} of {count}; ←/→ picks another)",
            form.container + 1
        )
    } else {
        name.to_string()
    };
    let memory = usage_words(
        form.memory_peak().map(|(m, _)| m),
        old_limits.and_then(|l| l.memory.as_deref()),
        &form.limit_memory,
        metrics::bytes,
    );
    let cpu = usage_words(
        form.cpu_peak(),
        old_limits.and_then(|l| l.cpu.as_deref()),
        &form.limit_cpu,
        metrics::cores,
    );
    let was = |q: Option<&String>| match q {
        Some(v) => format!("was {v}"),
        None => "was not set".to_string(),
    };
    let mut lines = vec![
        row(Field::Container, "container", &container, String::new()),
        row(
            Field::RequestMemory,
            "memory request",
            &form.request_memory,
            was(current.and_then(|c| c.requests.memory.as_ref())),
        ),
        row(
            Field::LimitMemory,
            "memory limit",
            &form.limit_memory,
            format!(
                "{}  {memory}",
                was(current.and_then(|c| c.limits.memory.as_ref()))
            ),
        ),
        row(
            Field::RequestCpu,
            "CPU request",
            &form.request_cpu,
            was(current.and_then(|c| c.requests.cpu.as_ref())),
        ),
        row(
            Field::LimitCpu,
            "CPU limit",
            &form.limit_cpu,
            format!(
                "{}  {cpu}",
                was(current.and_then(|c| c.limits.cpu.as_ref()))
            ),
        ),
        Line::raw(""),
    ];
    let pods = form
        .loaded
        .usage
        .iter()
        .filter(|u| u.container == name)
        .count();
    if let Some(problem) = &form.loaded.usage_problem {
        lines.push(Line::raw(format!("  {problem}")));
    } else {
        lines.push(Line::raw(format!(
            "  Usage is the highest of {pods} pod(s), from metrics.k8s.io."
        )));
    }
    if let Some(warning) = form.warning() {
        lines.push(Line::styled(
            format!("  ⚠ {warning}"),
            theme.style(Token::StatusError),
        ));
    }
    match form.problem() {
        Some(problem) if !problem.starts_with("Nothing changed") => {
            lines.push(Line::styled(
                format!("  ✖ {problem}"),
                theme.style(Token::StatusError),
            ));
        }
        _ => lines.push(Line::raw(
            "  Empty means not set. Enter patches the template: the pods are replaced.",
        )),
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
