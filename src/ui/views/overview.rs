//! The tenant health overview: one line per tenant and environment, worst first, with the
//! state as glyph and word (monochrome terminals keep the meaning), the counters and the first
//! reason; the selected row's reasons in full below the table.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::layout::OVERVIEW_REASONS;
use crate::app::overview::screen::OverviewScreen;
use crate::app::overview::{TenantRow, TenantState};
use crate::app::state::State;
use crate::config::theme::Token;
use crate::kube::age::human_duration;
use crate::ui::widgets::table;

/// The header, its cells padded as the rows are.
const HEADER: &str =
    "STATE       TENANT                     READY  RESTARTS/1H  OOM/24H  NEAR-LIMIT  FAILED-JOBS  LAST WARNING      WHY";

/// Draws the overview, or a hint while there is nothing to show.
pub fn render(frame: &mut Frame, area: Rect, state: &State, view: &OverviewScreen) {
    if view.rows.is_empty() {
        table::render_hint(frame, area, "No tenant to show yet: waiting for the pods.");
        return;
    }
    let reasons = OVERVIEW_REASONS.min(area.height / 2);
    let [list, detail] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(reasons)]).areas(area);
    let theme = &state.theme;
    let body = usize::from(list.height.saturating_sub(1));
    let mut lines = vec![Line::styled(HEADER, theme.style(Token::Header))];
    for (i, row) in view.rows.iter().enumerate().skip(view.top).take(body) {
        let style = state_style(state, row.state);
        let style = if i == view.cursor {
            style.patch(theme.style(Token::RowSelected))
        } else {
            style
        };
        lines.push(Line::styled(cells(row, state), style));
    }
    frame.render_widget(Paragraph::new(lines), list);
    if let Some(row) = view.selected() {
        let mut text = vec![Line::styled(
            format!("{} — {}", row.title(), row.state.word()),
            theme.style(Token::Header),
        )];
        if row.reasons.is_empty() {
            text.push(Line::from("  Nothing to see."));
        }
        text.extend(
            row.reasons
                .iter()
                .map(|r| Line::from(vec![Span::raw("  "), Span::raw(r.clone())])),
        );
        frame.render_widget(Paragraph::new(text), detail);
    }
}

/// One row's text, padded to the header's columns.
fn cells(row: &TenantRow, state: &State) -> String {
    let warning = row
        .last_warning
        .as_ref()
        .map(|w| match w.at {
            Some(at) => format!("{} {}", w.reason, human_duration(state.now - at)),
            None => w.reason.clone(),
        })
        .unwrap_or_default();
    let why = match row.reasons.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
    };
    let tenant = match &row.display {
        Some(name) => format!("{} ({name})", row.title()),
        None => row.title(),
    };
    format!(
        "{:<11} {:<26} {:>5}  {:>11}  {:>7}  {:>10}  {:>11}  {:<16}  {}",
        format!("{} {}", row.state.glyph(), row.state.word()),
        cut(&tenant, 26),
        format!("{}/{}", row.ready, row.total),
        row.restarts_1h,
        row.ooms_24h,
        row.near_mem_limit,
        row.failed_jobs,
        cut(&warning, 16),
        why
    )
}

/// `text` cut to `width` characters, with an ellipsis when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The colour of a state, on top of the glyph and word that carry it without colour.
fn state_style(state: &State, tenant: TenantState) -> Style {
    match tenant {
        TenantState::Down => state.theme.style(Token::PodFailing),
        TenantState::Degraded => state.theme.style(Token::PodRestarting),
        TenantState::AtRisk => state.theme.style(Token::PodOom),
        TenantState::Up => Style::new(),
    }
}
