//! The one table every list is drawn with (pods and the other kinds), so they look and behave
//! the same: a styled header, rows styled by health, the selection patched over the row's own
//! style, columns as wide as their widest visible cell, giving way by priority (`columns`) when
//! the screen is narrow. Callers build rows for the visible window only.

use std::borrow::Cow;

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

use crate::config::theme::{Theme, Token};
use crate::ui::centered;
use crate::ui::widgets::columns::{self, cut, fit, width, Cut, Give, Measure};

/// A cell's text with its own style (patched over the row's).
pub type StyledCell<'a> = (Cow<'a, str>, Style);

/// One visible row.
pub struct TableRow<'a> {
    /// The row's style (its health); the selection is patched over it.
    pub style: Style,
    /// The cells, one per column.
    pub cells: Vec<StyledCell<'a>>,
    /// Compact forms of some cells by column index (`3` for `3 (2m ago)`), used by
    /// `Give::Compact` columns when the screen is narrow.
    pub short: Vec<(usize, String)>,
}

/// One column: its header and how it gives way.
pub struct Column<'a> {
    /// The header text.
    pub header: Cow<'a, str>,
    /// How it gives way when the rows are wider than the screen.
    pub give: Give,
}

impl<'a> Column<'a> {
    /// A column that gives way as `give` says.
    pub fn new(header: impl Into<Cow<'a, str>>, give: Give) -> Self {
        Column {
            header: header.into(),
            give,
        }
    }
}

/// What to draw.
pub struct TableSpec<'a> {
    /// The columns, left to right.
    pub columns: Vec<Column<'a>>,
    /// The visible window of rows, top first.
    pub rows: Vec<TableRow<'a>>,
    /// Index in `rows` of the selected row, if it is visible.
    pub selected: Option<usize>,
    /// Show every column at full width even if the name is cut (the wide toggle).
    pub wide: bool,
}

/// Rows of the body for a table drawn in `area` (the header takes one line).
pub fn body_height(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(1))
}

/// Draws `table` in `area`.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, table: TableSpec) {
    let TableSpec {
        columns,
        rows,
        selected,
        wide,
    } = table;
    let room = usize::from(area.width);
    let fitted = fit(&measure(&columns, &rows), room, wide);
    let shown: Vec<usize> = (0..columns.len()).filter(|&i| fitted.shown[i]).collect();

    // Where header texts end, for the hint: the last one's, and the name's with its column's.
    let mut header_end = 0;
    let mut name_end = None;
    let mut headers = Vec::with_capacity(shown.len());
    let mut x = 0;
    for &i in &shown {
        let mut header = columns[i].header.clone();
        cut_cell(&mut header, fitted.widths[i], Cut::End);
        header_end = x + width(&header);
        if matches!(columns[i].give, Give::Flex(_)) {
            name_end = Some((header_end, x + fitted.widths[i]));
        }
        headers.push(header);
        x += fitted.widths[i] + 1;
    }
    let selected_style = theme.style(Token::RowSelected);
    let rows = rows.into_iter().enumerate().map(|(n, row)| {
        let TableRow {
            style,
            mut cells,
            short,
        } = row;
        for (i, text) in short {
            if let (Some(true), Some(cell)) = (fitted.short.get(i), cells.get_mut(i)) {
                cell.0 = Cow::Owned(text);
            }
        }
        let cells = cells
            .into_iter()
            .enumerate()
            .filter(|(i, _)| fitted.shown.get(*i) == Some(&true))
            .map(|(i, (mut text, style))| {
                let how = match columns[i].give {
                    Give::Flex(how) => how,
                    _ => Cut::End,
                };
                // Every cut is shown with an ellipsis, never silently.
                cut_cell(&mut text, fitted.widths[i], how);
                Cell::from(text).style(style)
            });
        // The selection is patched over the row's own style so a selected failing row still
        // reads as failing.
        let style = if Some(n) == selected {
            style.patch(selected_style)
        } else {
            style
        };
        Row::new(cells).style(style)
    });
    let constraints: Vec<Constraint> = shown
        .iter()
        .map(|&i| Constraint::Length(u16::try_from(fitted.widths[i]).unwrap_or(u16::MAX)))
        .collect();
    let header_style = theme.style(Token::Header);
    let header = Row::new(headers).style(header_style);
    let table = Table::new(rows, constraints)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, area);

    // A hidden column is named, so a narrow screen never hides data silently.
    let names: Vec<&str> = columns.iter().map(|c| c.header.as_ref()).collect();
    if let Some(hint) = columns::hidden_hint(&names, &fitted) {
        let len = width(&hint);
        if let Some(x) = columns::hint_position(header_end, name_end, room, len) {
            let at = Rect {
                x: area.x + u16::try_from(x).unwrap_or(0),
                y: area.y,
                width: u16::try_from(len).unwrap_or(0),
                height: area.height.min(1),
            };
            frame.render_widget(Paragraph::new(hint).style(header_style), at);
        }
    }
}

/// Each column's header, full and compact widths over the visible rows.
fn measure(columns: &[Column], rows: &[TableRow]) -> Vec<Measure> {
    let mut out: Vec<Measure> = columns
        .iter()
        .map(|c| {
            let w = width(&c.header);
            Measure {
                give: c.give,
                header: w,
                full: w,
                short: w,
            }
        })
        .collect();
    let mut short_of: Vec<Option<usize>> = vec![None; out.len()];
    for row in rows {
        short_of.iter_mut().for_each(|s| *s = None);
        for (i, text) in &row.short {
            if let Some(slot) = short_of.get_mut(*i) {
                *slot = Some(width(text));
            }
        }
        for ((m, cell), short) in out.iter_mut().zip(&row.cells).zip(&short_of) {
            let full = width(&cell.0);
            m.full = m.full.max(full);
            m.short = m.short.max(short.unwrap_or(full));
        }
    }
    out
}

/// Draws a one-line hint centred in `area`, for a table with nothing to show yet.
pub fn render_hint(frame: &mut Frame, area: Rect, hint: &str) {
    let width = u16::try_from(width(hint)).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(hint.to_string()), centered(area, width, 1));
}

/// Cuts `text` to `max` columns, marking the cut with `…`.
fn cut_cell(text: &mut Cow<str>, max: usize, how: Cut) {
    if let Some(short) = cut(text, max, how) {
        *text = Cow::Owned(short);
    }
}
