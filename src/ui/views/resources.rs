//! A list of another kind (`:deploy`, `:cj`…): kubectl's columns for the kind on the shared
//! table widget, a flag per row, built only for the visible rows.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::Frame;

use crate::app::effect::Namespaces;
use crate::app::resource_list::ResourceList;
use crate::app::state::State;
use crate::config::theme::Token;
use crate::kube::kinds::ResourceKind;
use crate::kube::resources::{columns, plural, workloads, Health};
use crate::ui::widgets::columns::{Cut, Give};
use crate::ui::widgets::table::{self, Column, StyledCell, TableRow, TableSpec};

/// Draws `view`, or a hint when it has nothing to show.
pub fn render(frame: &mut Frame, area: Rect, state: &State, view: &ResourceList) {
    if view.scoped == 0 {
        table::render_hint(frame, area, &empty_hint(view));
        return;
    }
    let body = table::body_height(area);
    // As kubectl: a NAMESPACE column only when several namespaces are listed.
    let single = matches!(&state.cluster.watching, Some(Namespaces::List(list)) if list.len() == 1);
    let show_namespace = view.kind.namespaced() && !single;
    let cols = columns(view.kind);
    let lead = 1 + usize::from(show_namespace);

    // The flag column has no header, as in the pod table.
    let mut columns: Vec<Column> = Vec::with_capacity(cols.headers.len() + lead);
    columns.push(Column::new("", Give::Keep));
    if show_namespace {
        columns.push(Column::new("NAMESPACE", Give::Keep));
    }
    columns.extend(cols.headers.iter().enumerate().map(|(i, h)| {
        let give = if i == cols.flex {
            flex_give(view.kind)
        } else {
            give(h)
        };
        Column::new(*h, give)
    }));
    // kterm's own NEXT column for cronjobs, computed from the schedule in its time zone.
    let next_at = (view.kind == ResourceKind::CronJob)
        .then(|| cols.headers.iter().position(|h| *h == "LAST SCHEDULE"))
        .flatten()
        .map(|i| i + 1);
    if let Some(at) = next_at {
        columns.insert(lead + at, Column::new("NEXT", give("NEXT")));
    }
    // Node usage against allocatable, after ROLES, once metrics have something to say.
    let usage_at = (view.kind == ResourceKind::Node && state.metrics.columns_shown())
        .then(|| lead + 3)
        .filter(|&at| at <= columns.len());
    if let Some(at) = usage_at {
        columns.insert(at, Column::new("CPU", Give::Hide { rank: 3 }));
        columns.insert(at + 1, Column::new("MEM", Give::Keep));
    }

    let plain = Style::new();
    let rows = view
        .visible_rows(body)
        .map(|row| {
            let mut cells: Vec<StyledCell> = Vec::with_capacity(columns.len());
            let marked = !view.marked.is_empty() && view.marked.contains(&row.key());
            let flag = if marked {
                super::pods::MARK
            } else {
                row.health.flag()
            };
            cells.push((flag.into(), plain));
            if show_namespace {
                cells.push((row.namespace.as_str().into(), plain));
            }
            cells.extend((0..cols.headers.len()).map(|i| (row.cell_text(i, state.now), plain)));
            if let Some(at) = next_at {
                let next = workloads::cronjob_next(row, state.now);
                cells.insert(lead + at, (next.into(), plain));
            }
            if let Some(at) = usage_at.filter(|&at| at <= cells.len()) {
                let (cpu, mem) = node_usage_cells(state, row);
                cells.insert(at, (cpu.into(), plain));
                cells.insert(at + 1, (mem.into(), plain));
            }
            TableRow {
                style: if marked {
                    health_style(state, row.health).patch(state.theme.style(Token::RowMarked))
                } else {
                    health_style(state, row.health)
                },
                cells,
                short: Vec::new(),
            }
        })
        .collect();
    let spec = TableSpec {
        columns,
        rows,
        selected: view.selected.checked_sub(view.offset),
        wide: state.wide,
    };
    table::render(frame, area, &state.theme, spec);
}

/// A node's CPU and MEM cells: usage and its share of allocatable (`1250m 31%`), `n/a`
/// without usage.
fn node_usage_cells(state: &State, row: &crate::kube::resources::ResourceRow) -> (String, String) {
    use crate::app::metrics::percent;
    let Some(usage) = state.metrics.node_usage(&row.name) else {
        return ("n/a".to_string(), "n/a".to_string());
    };
    let alloc = row.allocatable.unwrap_or_default();
    let share = |p: Option<u64>| p.map(|p| format!(" {p}%")).unwrap_or_default();
    let cpu = format!(
        "{}m{}",
        usage.cpu,
        share(percent(u64::from(usage.cpu), alloc.cpu.map(u64::from)))
    );
    let mem = format!(
        "{}{}",
        crate::kube::metrics::bytes(usage.mem as f64),
        share(percent(usage.mem, alloc.memory))
    );
    (cpu, mem)
}

/// How a column of another kind gives way, as in the pod table: addresses, selectors-like
/// free text and versions first, then AGE; what says whether it works (READY, STATUS…) stays.
fn give(header: &str) -> Give {
    match header {
        "EXTERNAL-IP" | "TIMEZONE" | "VERSION" => Give::Hide { rank: 0 },
        "CLUSTER-IP" => Give::Hide { rank: 1 },
        "PORT(S)" | "SCHEDULE" | "ROLES" => Give::Shrink { rank: 2, min: 12 },
        "AGE" => Give::Hide { rank: 3 },
        "DURATION" | "LAST SCHEDULE" | "NEXT" => Give::Hide { rank: 4 },
        _ => Give::Keep,
    }
}

/// Names are cut in the middle (their suffix tells replicas apart); an event's message, the
/// flexible column of events, is prose and keeps its start.
fn flex_give(kind: ResourceKind) -> Give {
    match kind {
        ResourceKind::Event => Give::Flex(Cut::End),
        _ => Give::Flex(Cut::Middle),
    }
}

/// The theme's style for a row's health; the pod tokens carry the same meanings.
fn health_style(state: &State, health: Health) -> Style {
    let token = match health {
        Health::Failed => Token::PodFailing,
        Health::Warning => Token::PodRestarting,
        Health::Done => Token::PodCompleted,
        Health::Ok => return Style::new(),
    };
    state.theme.style(token)
}

fn empty_hint(view: &ResourceList) -> String {
    let what = plural(view.kind);
    if !view.pending.is_empty() && view.errors.is_empty() {
        format!("Listing {what}…")
    } else if !view.errors.is_empty() {
        format!("No {what} to show.")
    } else if let Some(scope) = &view.scope {
        format!("No {}.", scope.title)
    } else {
        format!("No {what} in the watched namespaces.")
    }
}
