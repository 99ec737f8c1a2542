//! The pod table: kubectl's columns plus LAST TERMINATION, built only for the visible rows.

use std::borrow::Cow;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::metrics::{cpu_cell, mem_cell, oom_risk, MetricsStatus, Usage, OOM_RISK_GLYPH};
use crate::app::pod_table::PodTable;
use crate::app::state::{Connection, State};
use crate::config::theme::Token;
use crate::kube::health::PodHealth;
use crate::kube::pods::PodRow;
use crate::ui::widgets::columns::{Cut, Give};
use crate::ui::widgets::table::{self as widget, Column, StyledCell, TableRow, TableSpec};

/// A node name cut to this still shows its unique start (`ip-10-42-10-20.…`).
const NODE_MIN: usize = 16;

/// Draws the table, or a hint when there is nothing to show yet.
pub fn render(frame: &mut Frame, area: Rect, state: &State, table: &PodTable) {
    if state.store.is_empty() {
        widget::render_hint(frame, area, &empty_hint(state));
        return;
    }
    // A drill-down with no pods says so instead of showing a bare header.
    if let (Some(scope), true, None) = (&table.scope, table.order.is_empty(), &table.filter) {
        widget::render_hint(frame, area, &format!("No {}.", scope.title));
        return;
    }
    let body = widget::body_height(area);
    // One namespace on screen (a focused tenant, a drill-down, one watched) needs no column.
    let show_namespace = state.namespace_focus.is_none()
        && table.scope.as_ref().is_none_or(|s| s.namespace.is_none())
        && !matches!(&state.cluster.watching, Some(Namespaces::List(list)) if list.len() == 1);

    // The flag column has no header: its glyphs explain themselves (and `?` lists them). The
    // others give way by priority: IP and NODE first, then AGE, then RESTARTS and LAST TERM
    // compact; the name is cut last, in the middle.
    let mut columns: Vec<Column> = Vec::with_capacity(10);
    columns.push(Column::new("", Give::Keep));
    if show_namespace {
        columns.push(Column::new("NAMESPACE", Give::Keep));
    }
    // "LAST TERM" rather than the full word: at 80 columns every cell counts for the pod name.
    columns.extend([
        Column::new("NAME", Give::Flex(Cut::Middle)),
        Column::new("READY", Give::Keep),
        Column::new("STATUS", Give::Keep),
        Column::new("RESTARTS", Give::Compact { rank: 3 }),
        Column::new("LAST TERM", Give::Compact { rank: 4 }),
        Column::new("IP", Give::Hide { rank: 0 }),
        Column::new(
            "NODE",
            Give::Shrink {
                rank: 1,
                min: NODE_MIN,
            },
        ),
        Column::new("AGE", Give::Hide { rank: 2 }),
    ]);
    // Usage columns once metrics have something to say (usage, or n/a): CPU hides after AGE,
    // MEM keeps its share of the limit (`97%L`) longest, since that is what predicts a kill.
    let metrics = state.metrics.columns_shown();
    // While metrics are live, a pod that is not running has no usage by nature: blank, not n/a.
    let live = state.metrics.status() == MetricsStatus::Live;
    let usage_at = 6 + usize::from(show_namespace);
    if metrics {
        columns.insert(usage_at, Column::new("CPU", Give::Hide { rank: 3 }));
        columns.insert(usage_at + 1, Column::new("MEM", Give::Compact { rank: 5 }));
    }
    if let Some(sort) = state.sort {
        for c in columns
            .iter_mut()
            .filter(|c| c.header == sort.column.header())
        {
            c.header = format!("{}{}", sort.column.header(), sort.arrow()).into();
        }
    }
    // Compact forms sit at these indexes (after the flag, the namespace and three columns).
    let restarts_at = 4 + usize::from(show_namespace);

    let rows = table
        .visible_rows(&state.store, body)
        .map(|row| {
            let health = PodHealth::of(row, state.now);
            let usage = metrics.then(|| state.metrics.usage(&row.key())).flatten();
            let risk = usage.is_some_and(|u| oom_risk(row, u));
            let blank = live && usage.is_none() && row.status != "Running";
            let mem_short = metrics.then(|| (usage_at + 1, mem_text(row, usage, risk, true)));
            let short = [
                row.restarts_short().map(|s| (restarts_at, s)),
                row.last_termination_short(state.now)
                    .map(|s| (restarts_at + 1, s)),
                mem_short,
            ];
            let mut cells = row_cells(row, health, state, show_namespace);
            if metrics && blank {
                cells.insert(usage_at, (Cow::Borrowed(""), Style::new()));
                cells.insert(usage_at + 1, (Cow::Borrowed(""), Style::new()));
            } else if metrics {
                let risky = if risk {
                    state.theme.style(Token::PodOomRisk)
                } else {
                    Style::new()
                };
                cells.insert(usage_at, (cpu_cell(row, usage, false).into(), Style::new()));
                cells.insert(
                    usage_at + 1,
                    (mem_text(row, usage, risk, false).into(), risky),
                );
            }
            let mut style = health_style(state, health);
            let marked = !table.marked.is_empty()
                && table
                    .marked
                    .iter()
                    .any(|k| k.namespace == row.namespace && k.name == row.name);
            if marked {
                cells[0].0 = MARK.into();
                style = style.patch(state.theme.style(Token::RowMarked));
            }
            TableRow {
                style,
                cells,
                short: short.into_iter().flatten().collect(),
            }
        })
        .collect();
    let spec = TableSpec {
        columns,
        rows,
        selected: table.selected.checked_sub(table.offset),
        wide: state.wide,
    };
    widget::render(frame, area, &state.theme, spec);
}

fn row_cells<'a>(
    row: &'a PodRow,
    health: PodHealth,
    state: &State,
    show_namespace: bool,
) -> Vec<StyledCell<'a>> {
    let plain = Style::new();
    let mut cells: Vec<StyledCell<'a>> = Vec::with_capacity(10);
    cells.push((health.flag().into(), plain));
    if show_namespace {
        cells.push((Cow::Borrowed(&*row.namespace), plain));
    }
    cells.push((Cow::Borrowed(&*row.name), plain));
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
    cells.push((Cow::Borrowed(row.ip.as_str()), plain));
    cells.push((Cow::Borrowed(&*row.node), plain));
    cells.push((row.age_cell(state.now).into(), plain));
    cells
}

/// The MEM cell, led by the OOM-risk glyph when the pod is at ≥ 90 % of its memory limit.
fn mem_text(row: &PodRow, usage: Option<Usage>, risk: bool, compact: bool) -> String {
    let cell = mem_cell(row, usage, compact);
    if risk {
        format!("{OOM_RISK_GLYPH}{cell}")
    } else {
        cell
    }
}

/// The theme's style for a row of this health; healthy rows keep the terminal's own colours.
/// The flag of a marked row (space): it replaces the health glyph while marked.
pub(crate) const MARK: &str = "●";

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
    match &state.cluster.connection {
        Connection::Connecting => format!("Connecting to {}…", state.cluster.context),
        Connection::Listing => "Listing pods…".to_string(),
        Connection::Failed(_) | Connection::Retrying(_) => "No pods to show.".to_string(),
        Connection::Live => "No pods in the watched namespaces.".to_string(),
    }
}
