//! The one table every list is drawn with (pods and the other kinds), so they look and behave
//! the same: a styled header, rows styled by health, the selection patched over the row's own
//! style, columns as wide as their widest visible cell and one flexible column cut with `…`.
//! Callers build rows for the visible window only.

use std::borrow::Cow;

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

use crate::config::theme::{Theme, Token};
use crate::ui::centered;

/// A cell's text with its own style (patched over the row's).
pub type StyledCell<'a> = (Cow<'a, str>, Style);

/// One visible row.
pub struct TableRow<'a> {
    /// The row's style (its health); the selection is patched over it.
    pub style: Style,
    /// The cells, one per header.
    pub cells: Vec<StyledCell<'a>>,
}

/// What to draw.
pub struct TableSpec<'a> {
    /// Column headers.
    pub headers: Vec<Cow<'a, str>>,
    /// The visible window of rows, top first.
    pub rows: Vec<TableRow<'a>>,
    /// The column that gets the width the others leave, cut with `…` when short (the name).
    pub flex: usize,
    /// Index in `rows` of the selected row, if it is visible.
    pub selected: Option<usize>,
}

/// Rows of the body for a table drawn in `area` (the header takes one line).
pub fn body_height(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(1))
}

/// Draws `table` in `area`.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, table: TableSpec) {
    let TableSpec {
        headers,
        mut rows,
        flex,
        selected,
    } = table;
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(&row.cells) {
            *w = (*w).max(width(&cell.0));
        }
    }
    fit_widths(&mut widths, &headers, flex, usize::from(area.width));
    // Every cut is shown with an ellipsis, never silently.
    for row in &mut rows {
        for (cell, w) in row.cells.iter_mut().zip(&widths) {
            truncate(&mut cell.0, *w);
        }
    }
    let constraints: Vec<Constraint> = widths
        .iter()
        .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)))
        .collect();
    let selected_style = theme.style(Token::RowSelected);
    let rows = rows.into_iter().enumerate().map(|(i, row)| {
        let cells = row
            .cells
            .into_iter()
            .map(|(text, style)| Cell::from(text).style(style));
        // The selection is patched over the row's own style so a selected failing row still
        // reads as failing.
        let style = if Some(i) == selected {
            row.style.patch(selected_style)
        } else {
            row.style
        };
        Row::new(cells).style(style)
    });
    let header = Row::new(headers).style(theme.style(Token::Header));
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);
}

/// The name column should show this much before other columns give up width for it.
const FLEX_MIN: usize = 30;
/// No other column is cut below this (or its header): STATUS values such as CrashLoopBackOff
/// stay whole; only long free text (node names) gives way.
const OTHER_MIN: usize = 20;

/// Fits column widths into `room`: the flexible column (the name) shrinks first, but not below
/// `FLEX_MIN`; then the widest other column (a long node name) gives up width, down to its
/// header or `OTHER_MIN`; last the name shrinks further. So at 80 columns the pod name is not
/// cut to make room for a node's DNS name.
fn fit_widths(widths: &mut [usize], headers: &[Cow<str>], flex: usize, room: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + w.len().saturating_sub(1);
    let mut over = total(widths).saturating_sub(room);
    if over == 0 {
        return;
    }
    let floor = |i: usize| width(&headers[i]).max(OTHER_MIN);
    if let Some(w) = widths.get_mut(flex) {
        let give = over.min(w.saturating_sub(FLEX_MIN));
        *w -= give;
        over -= give;
    }
    while over > 0 {
        let widest = (0..widths.len())
            .filter(|&i| i != flex && widths[i] > floor(i))
            .max_by_key(|&i| widths[i]);
        let Some(i) = widest else { break };
        widths[i] -= 1;
        over -= 1;
    }
    if let Some(w) = widths.get_mut(flex) {
        *w = w.saturating_sub(over).max(4);
    }
}

/// Draws a one-line hint centred in `area`, for a table with nothing to show yet.
pub fn render_hint(frame: &mut Frame, area: Rect, hint: &str) {
    let width = u16::try_from(width(hint)).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(hint.to_string()), centered(area, width, 1));
}

fn width(text: &str) -> usize {
    Line::from(text).width()
}

/// Cuts `text` to `max` columns, marking the cut with `…`.
fn truncate(text: &mut Cow<str>, max: usize) {
    if width(text) <= max {
        return;
    }
    let mut out = String::with_capacity(max + 2);
    let mut used = 0;
    for ch in text.chars() {
        let w = Line::from(ch.to_string()).width();
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    *text = Cow::Owned(out);
}
