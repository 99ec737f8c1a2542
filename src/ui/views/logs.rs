//! The log view: a header saying what is read and where the view is (following, or paused with
//! the count of lines below), then the lines on screen — the only ones styled. Each line is its
//! level glyph, its pod/container tag in aggregated views, its timestamp when asked for, and
//! its text made safe (escape sequences shown as text), cut or wrapped to the screen.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

use crate::app::logs::level::{level, Level};
use crate::app::logs::{display, stamp, LineMeta, LogTarget, LogView, STAMP_WIDTH};
use crate::app::state::State;
use crate::config::theme::{Theme, Token};
use crate::ui::fit_spans;

const TAGS: [Token; 6] = [
    Token::LogTag1,
    Token::LogTag2,
    Token::LogTag3,
    Token::LogTag4,
    Token::LogTag5,
    Token::LogTag6,
];

/// Draws the view over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, view: &LogView) {
    let [header, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let (height, width) = (usize::from(body.height), usize::from(body.width));
    let window = view.window(height, width);
    let theme = &state.theme;
    let title = header_spans(view, window.below, theme);
    frame.render_widget(
        Line::from(fit_spans(title, usize::from(header.width))).style(theme.style(Token::Header)),
        header,
    );
    let mut rows: Vec<Line> = Vec::with_capacity(height + 1);
    for n in &window.lines {
        let Some((meta, text)) = view.ring.get(*n) else {
            continue;
        };
        let spans = line_spans(view, meta, text, width * height.max(1), theme);
        if view.options.wrap {
            // As `LogView::rows_of` counts: a line never takes more than the screen.
            rows.extend(wrap(spans, width).into_iter().take(height.max(1)));
        } else {
            rows.push(Line::from(fit_spans(spans, width)));
        }
    }
    if view.ring.is_empty() {
        rows.push(Line::raw(waiting(view)));
    }
    let shown: Vec<Line> = rows
        .into_iter()
        .skip(window.skip_rows)
        .take(height)
        .collect();
    frame.render_widget(ratatui::widgets::Paragraph::new(shown), body);
}

fn waiting(view: &LogView) -> String {
    if view.streams.is_empty() {
        "No log streams: esc goes back.".to_string()
    } else if view.options.previous {
        "Reading the previous container's log…".to_string()
    } else {
        "Waiting for log lines…".to_string()
    }
}

/// ` Logs ns/pod [c] │ following │ last 500 lines │ 1,234 lines │ filter … │ /search`.
fn header_spans(view: &LogView, below: usize, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(format!(" Logs {}", view.title()))];
    if view.options.previous {
        spans.push(Span::raw(" │ previous container"));
    }
    let position = if view.options.previous {
        String::new()
    } else if view.following() {
        " │ following".to_string()
    } else {
        format!(
            " │ paused, {} new below (G follows)",
            thousands(below as u64)
        )
    };
    let paused = !view.following() && !view.options.previous;
    spans.push(if paused {
        Span::styled(position, theme.style(Token::LogWarn))
    } else {
        Span::raw(position)
    });
    let noun = if view.received == 1 { "line" } else { "lines" };
    spans.push(Span::raw(format!(" │ {} {noun}", thousands(view.received))));
    if view.ring.dropped() > 0 {
        spans.push(Span::styled(
            format!(" ({} oldest dropped)", thousands(view.ring.dropped())),
            theme.style(Token::LogWarn),
        ));
    }
    if let Some(f) = &view.filter {
        spans.push(Span::raw(format!(
            " │ &{}: {} of {}",
            f.filter.text,
            thousands(f.hits.len() as u64),
            thousands(view.ring.len() as u64)
        )));
    }
    if view.search.is_some() {
        spans.push(Span::raw(format!(" │ /{}", view.search_text)));
    }
    // A command's output has no history to choose.
    if !matches!(view.target, LogTarget::Command { .. }) {
        spans.push(Span::raw(format!(
            " │ {}",
            view.options.since.label(view.options.tail)
        )));
    }
    if view.options.case_sensitive {
        spans.push(Span::raw(" │ case"));
    }
    spans
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The spans of one line: glyph, tag, timestamp, text (at most `cap` columns of it).
fn line_spans<'a>(
    view: &'a LogView,
    meta: LineMeta,
    text: &'a str,
    cap: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let shown = display(text, cap);
    if meta.marker {
        return vec![
            Span::raw("  "),
            Span::styled(shown, theme.style(Token::LogMarker)),
        ];
    }
    let lvl = level(text);
    let style = match lvl {
        Level::Error => theme.style(Token::LogError),
        Level::Warn => theme.style(Token::LogWarn),
        Level::Other => Style::new(),
    };
    let mut spans = vec![Span::styled(lvl.glyph(), style)];
    if view.tagged() {
        if let Some(source) = view.sources.get(usize::from(meta.source)) {
            let tag = TAGS[usize::from(meta.source) % TAGS.len()];
            spans.push(Span::styled(
                format!("{} ", display(&source.tag, 64)),
                theme.style(tag),
            ));
        }
    }
    if view.options.timestamps && meta.ts != 0 {
        let mut ts = stamp(meta.ts);
        ts.truncate(STAMP_WIDTH - 1);
        spans.push(Span::styled(
            format!("{ts:<w$} ", w = STAMP_WIDTH - 1),
            Style::new().dim(),
        ));
    }
    match view.search.as_ref().map(|p| p.ranges(&shown)) {
        Some(ranges) if !ranges.is_empty() => {
            let mut at = 0;
            for (start, end) in ranges {
                if start > at {
                    spans.push(Span::styled(
                        shown.get(at..start).unwrap_or("").to_string(),
                        style,
                    ));
                }
                spans.push(Span::styled(
                    shown.get(start..end).unwrap_or("").to_string(),
                    theme.style(Token::LogMatch),
                ));
                at = end;
            }
            spans.push(Span::styled(
                shown.get(at..).unwrap_or("").to_string(),
                style,
            ));
        }
        _ => spans.push(Span::styled(shown, style)),
    }
    spans
}

/// Breaks spans into rows of exactly `width` columns (characters, not words), so the rows a
/// line takes are what `LogView::rows_of` counted.
fn wrap(spans: Vec<Span<'_>>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if !piece.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut row)));
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        if !piece.is_empty() {
            row.push(Span::styled(piece, span.style));
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(Line::from(row));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_have_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
