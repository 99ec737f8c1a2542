//! The pager widget: the visible window of a `Pager`'s lines in their tones, with the search's
//! matches highlighted. The text screens draw with it; the log view will too.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::pager::Pager;
use crate::config::theme::{Theme, Token};
use crate::kube::text::{TextLine, Tone};

/// Draws the lines of `pager` from its scroll position into `area`.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, pager: &Pager) {
    let highlight = theme.style(Token::RowSelected);
    let lines: Vec<Line> = pager
        .lines
        .iter()
        .skip(pager.scroll)
        .take(usize::from(area.height))
        .map(|l| {
            styled(
                l,
                pager.search.as_deref(),
                tone_style(theme, l.tone),
                highlight,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// `12-40/340`: the lines on screen of all, for a title.
pub fn position(pager: &Pager, height: usize) -> Option<String> {
    let len = pager.lines.len();
    if len == 0 {
        return None;
    }
    let last = (pager.scroll + height).min(len);
    Some(format!("{}-{last}/{len}", (pager.scroll + 1).min(last)))
}

/// A line in its tone, with matches of the search highlighted.
fn styled<'a>(line: &'a TextLine, query: Option<&str>, style: Style, highlight: Style) -> Line<'a> {
    let text = line.text.as_str();
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return Line::styled(text, style);
    };
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; then the whole line is highlighted.
    if lower.len() != text.len() {
        return if lower.contains(query) {
            Line::styled(text, style.patch(highlight))
        } else {
            Line::styled(text, style)
        };
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, found) in lower.match_indices(query) {
        let end = start + found.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        spans.push(Span::styled(&text[at..start], style));
        spans.push(Span::styled(&text[start..end], style.patch(highlight)));
        at = end;
    }
    spans.push(Span::styled(&text[at..], style));
    Line::from(spans)
}

/// The theme's style for a line's tone; plain lines keep the terminal's colours.
pub fn tone_style(theme: &Theme, tone: Tone) -> Style {
    let token = match tone {
        Tone::Plain => return Style::new(),
        Tone::Heading => Token::Header,
        Tone::Oom => Token::PodOom,
        Tone::Failing => Token::PodFailing,
        Tone::Warning => Token::PodNotReady,
        Tone::Pending => Token::PodPending,
        Tone::Good => Token::StatusOk,
    };
    theme.style(token)
}
