//! The pod table: kubectl's columns plus LAST TERMINATION, built only for the visible rows.

use std::borrow::Cow;

use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::state::{Connection, State};
use crate::kube::pods::PodRow;
use crate::ui::centered;

/// Below this width the NODE column is dropped: it is the least needed when triaging a tenant.
const NODE_MIN_WIDTH: u16 = 110;

/// Draws the table, or a hint when there is nothing to show yet.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    if state.pods.is_empty() {
        let hint = empty_hint(state);
        let width = u16::try_from(hint.len()).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(hint), centered(area, width, 1));
        return;
    }
    let body = usize::from(area.height.saturating_sub(1));
    let show_namespace =
        !matches!(&state.watching, Some(Namespaces::List(list)) if list.len() == 1);
    let show_node = area.width >= NODE_MIN_WIDTH;

    let mut headers = Vec::with_capacity(8);
    if show_namespace {
        headers.push("NAMESPACE");
    }
    // "LAST TERM" rather than the full word: at 80 columns every cell counts for the pod name.
    headers.extend(["NAME", "READY", "STATUS", "RESTARTS", "LAST TERM"]);
    if show_node {
        headers.push("NODE");
    }
    headers.push("AGE");

    let mut cells: Vec<Vec<(Cow<str>, Style)>> = state
        .visible_rows(body)
        .map(|row| row_cells(row, state, show_namespace, show_node))
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(Line::from(cell.0.as_ref()).width());
        }
    }
    let name_col = usize::from(show_namespace);
    // The name gets whatever the other columns leave; it is cut with an ellipsis, never silently.
    let others: usize = widths
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != name_col)
        .map(|(_, w)| w + 1)
        .sum();
    let name_width = usize::from(area.width).saturating_sub(others).max(4);
    if let Some(w) = widths.get_mut(name_col) {
        *w = (*w).min(name_width);
    }
    for row in &mut cells {
        if let Some(cell) = row.get_mut(name_col) {
            truncate(&mut cell.0, name_width);
        }
    }
    let constraints: Vec<Constraint> = widths
        .iter()
        .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)))
        .collect();

    let selected_in_view = state.selected.checked_sub(state.offset);
    let rows = cells.into_iter().enumerate().map(|(i, cells)| {
        let row = Row::new(
            cells
                .into_iter()
                .map(|(text, style)| Cell::from(text).style(style)),
        );
        if Some(i) == selected_in_view {
            row.style(Style::new().add_modifier(Modifier::REVERSED))
        } else {
            row
        }
    });
    let header = Row::new(headers).style(Style::new().add_modifier(Modifier::BOLD));
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn row_cells<'a>(
    row: &'a PodRow,
    state: &State,
    show_namespace: bool,
    show_node: bool,
) -> Vec<(Cow<'a, str>, Style)> {
    let plain = Style::new();
    let mut cells: Vec<(Cow<'a, str>, Style)> = Vec::with_capacity(8);
    if show_namespace {
        cells.push((row.namespace.as_str().into(), plain));
    }
    cells.push((row.name.as_str().into(), plain));
    let ready_style = if row.ready < row.total {
        Style::new().fg(Color::Yellow)
    } else {
        plain
    };
    cells.push((row.ready_cell().into(), ready_style));
    cells.push((row.status.as_str().into(), status_style(&row.status)));
    cells.push((row.restarts_cell(state.now).into(), plain));
    let last = row.last_termination_cell(state.now);
    let last_style = if last.starts_with("OOMKilled") {
        Style::new().fg(Color::Red)
    } else {
        plain
    };
    cells.push((last.into(), last_style));
    if show_node {
        cells.push((row.node.as_str().into(), plain));
    }
    cells.push((row.age_cell(state.now).into(), plain));
    cells
}

/// Cuts `text` to `width` columns, marking the cut with `…`.
fn truncate(text: &mut Cow<str>, width: usize) {
    if Line::from(text.as_ref()).width() <= width {
        return;
    }
    let mut out = String::with_capacity(width + 2);
    let mut used = 0;
    for ch in text.chars() {
        let w = Line::from(ch.to_string()).width();
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    *text = Cow::Owned(out);
}

/// 16-colour styling so it works on any bastion terminal.
fn status_style(status: &str) -> Style {
    match status {
        "Running" => Style::new(),
        "Completed" | "Succeeded" => Style::new().add_modifier(Modifier::DIM),
        "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" => {
            Style::new().fg(Color::Yellow)
        }
        s if s.starts_with("Init:") && !s.contains("Err") && !s.contains("BackOff") => {
            Style::new().fg(Color::Yellow)
        }
        _ => Style::new().fg(Color::Red),
    }
}

fn empty_hint(state: &State) -> String {
    match &state.connection {
        Connection::Connecting => format!("Connecting to {}…", state.context),
        Connection::Listing => "Listing pods…".to_string(),
        Connection::Failed(_) | Connection::Retrying(_) => "No pods to show.".to_string(),
        Connection::Live => "No pods in the watched namespaces.".to_string(),
    }
}
