//! The pod table: kubectl's columns plus LAST TERMINATION, built only for the visible rows.

use std::borrow::Cow;

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::state::{Connection, State};
use crate::config::theme::Token;
use crate::kube::health::PodHealth;
use crate::kube::pods::PodRow;
use crate::ui::centered;

/// A cell's text with its own style (patched over the row's).
type StyledCell<'a> = (Cow<'a, str>, Style);

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
    let show_namespace = state.namespace_focus.is_none()
        && !matches!(&state.watching, Some(Namespaces::List(list)) if list.len() == 1);
    let show_node = area.width >= NODE_MIN_WIDTH;

    let theme = &state.theme;
    // The flag column has no header: its glyphs explain themselves (and `?` lists them).
    let mut headers: Vec<Cow<str>> = Vec::with_capacity(9);
    headers.push("".into());
    if show_namespace {
        headers.push("NAMESPACE".into());
    }
    // "LAST TERM" rather than the full word: at 80 columns every cell counts for the pod name.
    headers.extend(["NAME", "READY", "STATUS", "RESTARTS", "LAST TERM"].map(Cow::from));
    if show_node {
        headers.push("NODE".into());
    }
    headers.push("AGE".into());
    if let Some(sort) = state.sort {
        for h in headers.iter_mut().filter(|h| *h == sort.column.header()) {
            *h = format!("{}{}", sort.column.header(), sort.arrow()).into();
        }
    }

    let mut rows: Vec<(Style, Vec<StyledCell>)> = state
        .visible_rows(body)
        .map(|row| {
            let health = PodHealth::of(row, state.now);
            let cells = row_cells(row, health, state, show_namespace, show_node);
            (health_style(state, health), cells)
        })
        .collect();
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| Line::from(h.as_ref()).width())
        .collect();
    for (_, row) in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(Line::from(cell.0.as_ref()).width());
        }
    }
    let name_col = 1 + usize::from(show_namespace);
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
    for (_, row) in &mut rows {
        if let Some(cell) = row.get_mut(name_col) {
            truncate(&mut cell.0, name_width);
        }
    }
    let constraints: Vec<Constraint> = widths
        .iter()
        .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)))
        .collect();

    let selected_in_view = state.selected.checked_sub(state.offset);
    let selected_style = theme.style(Token::RowSelected);
    let rows = rows.into_iter().enumerate().map(|(i, (row_style, cells))| {
        let row = Row::new(
            cells
                .into_iter()
                .map(|(text, style)| Cell::from(text).style(style)),
        );
        // The selection is patched over the row's own style so a selected failing pod still
        // reads as failing.
        if Some(i) == selected_in_view {
            row.style(row_style.patch(selected_style))
        } else {
            row.style(row_style)
        }
    });
    let header = Row::new(headers).style(theme.style(Token::Header));
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn row_cells<'a>(
    row: &'a PodRow,
    health: PodHealth,
    state: &State,
    show_namespace: bool,
    show_node: bool,
) -> Vec<(Cow<'a, str>, Style)> {
    let plain = Style::new();
    let mut cells: Vec<(Cow<'a, str>, Style)> = Vec::with_capacity(9);
    cells.push((health.flag().into(), plain));
    if show_namespace {
        cells.push((row.namespace.as_str().into(), plain));
    }
    cells.push((row.name.as_str().into(), plain));
    // Completed pods have 0/1 by design; flagging that would be noise.
    let ready_style = if row.ready < row.total && health != PodHealth::Completed {
        state.theme.style(Token::PodNotReady)
    } else {
        plain
    };
    cells.push((row.ready_cell().into(), ready_style));
    cells.push((row.status.as_str().into(), plain));
    cells.push((row.restarts_cell(state.now).into(), plain));
    cells.push((row.last_termination_cell(state.now).into(), plain));
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

/// The theme's style for a row of this health; healthy rows keep the terminal's own colours.
fn health_style(state: &State, health: PodHealth) -> Style {
    let token = match health {
        PodHealth::Terminating => Token::PodTerminating,
        PodHealth::Oom => Token::PodOom,
        PodHealth::Failing => Token::PodFailing,
        PodHealth::Restarting => Token::PodRestarting,
        PodHealth::Pending => Token::PodPending,
        PodHealth::Completed => Token::PodCompleted,
        PodHealth::Ok => return Style::new(),
    };
    state.theme.style(token)
}

fn empty_hint(state: &State) -> String {
    match &state.connection {
        Connection::Connecting => format!("Connecting to {}…", state.context),
        Connection::Listing => "Listing pods…".to_string(),
        Connection::Failed(_) | Connection::Retrying(_) => "No pods to show.".to_string(),
        Connection::Live => "No pods in the watched namespaces.".to_string(),
    }
}
