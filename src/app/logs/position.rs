//! Where a log view is: which lines fit on screen (wrapped lines take several rows), how many
//! shown lines are below the screen while paused, and moving through them. Pure, so the view
//! that draws and the keys that scroll agree on what is on screen.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

use crate::sanitize::sanitize;

use super::{LineMeta, LogView};
use crate::app::pager::PagerMove;

/// Width of a timestamp as shown: `2026-12-06T07:35:00.123Z `.
pub const STAMP_WIDTH: usize = 25;
/// Width of the level glyph and its space.
pub const GLYPH_WIDTH: usize = 2;

/// The lines on screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Their numbers, top to bottom.
    pub lines: Vec<u64>,
    /// Rows of the first line hidden above the top (a tall wrapped line at the top when
    /// following the end).
    pub skip_rows: usize,
    /// Shown lines after the last one on screen.
    pub below: usize,
}

/// The start of `text` as the screen shows it: sanitised (an escape sequence becomes visible
/// `^[` text, never a command to the terminal) and at most about `cap` columns, so a 1 MB line
/// costs no more than a screenful.
pub fn display(text: &str, cap: usize) -> Cow<'_, str> {
    // A column takes at least one byte; four bytes a column is room for any UTF-8 character.
    let mut end = text.len().min(cap.saturating_mul(4).saturating_add(4));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut shown = sanitize(text.get(..end).unwrap_or(text));
    let mut width = 0;
    let cut = shown.char_indices().find_map(|(i, c)| {
        width += c.width().unwrap_or(0);
        (width > cap).then_some(i)
    });
    if let Some(cut) = cut {
        shown.to_mut().truncate(cut);
    }
    shown
}

/// Display width of `text` counted up to `cap` columns.
pub fn width_upto(text: &str, cap: usize) -> usize {
    let mut width = 0;
    for c in text.chars() {
        width += c.width().unwrap_or(0);
        if width >= cap {
            return cap;
        }
    }
    width
}

impl LogView {
    /// Width of the prefix of a line: tag, timestamp, level glyph.
    pub fn prefix_width(&self, meta: LineMeta) -> usize {
        let tag = match self.sources.get(usize::from(meta.source)) {
            Some(s) if self.tagged() && !meta.marker => width_upto(&s.tag, 64) + 1,
            _ => 0,
        };
        let stamp = if self.options.timestamps && meta.ts != 0 {
            STAMP_WIDTH
        } else {
            0
        };
        tag + stamp + GLYPH_WIDTH
    }

    /// Rows the line takes on a screen `width` columns wide, at most `height`.
    pub fn rows_of(&self, meta: LineMeta, text: &str, width: usize, height: usize) -> usize {
        if !self.options.wrap || width == 0 {
            return 1;
        }
        let cap = width.saturating_mul(height.max(1));
        let total = (self.prefix_width(meta) + width_upto(&display(text, cap), cap)).max(1);
        total.div_ceil(width).clamp(1, height.max(1))
    }

    fn rows_at(&self, n: u64, width: usize, height: usize) -> usize {
        self.ring
            .get(n)
            .map_or(1, |(meta, text)| self.rows_of(meta, text, width, height))
    }

    /// The lines on a screen of `height` rows and `width` columns.
    pub fn window(&self, height: usize, width: usize) -> Window {
        let len = self.shown_len();
        if len == 0 || height == 0 {
            return Window::default();
        }
        match self.top {
            None => self.window_ending(len - 1, height, width),
            Some(top) => {
                let start = self.shown_pos(top).min(len - 1);
                let mut lines = Vec::new();
                let mut rows = 0;
                let mut pos = start;
                while rows < height && pos < len {
                    let Some(n) = self.shown_at(pos) else { break };
                    rows += self.rows_at(n, width, height);
                    lines.push(n);
                    pos += 1;
                }
                Window {
                    lines,
                    skip_rows: 0,
                    below: len - pos,
                }
            }
        }
    }

    /// The window whose last line is the shown line at `last`.
    fn window_ending(&self, last: usize, height: usize, width: usize) -> Window {
        let mut lines = Vec::new();
        let mut rows = 0;
        let mut pos = last + 1;
        while rows < height && pos > 0 {
            pos -= 1;
            let Some(n) = self.shown_at(pos) else { break };
            rows += self.rows_at(n, width, height);
            lines.push(n);
        }
        lines.reverse();
        Window {
            lines,
            skip_rows: rows.saturating_sub(height),
            below: self.shown_len() - 1 - last,
        }
    }

    /// Whether the view follows the end.
    pub fn following(&self) -> bool {
        self.top.is_none()
    }

    /// Moves through the shown lines; moving up pauses following, `Bottom` resumes it.
    /// Returns whether anything changed.
    pub fn scroll(&mut self, step: PagerMove, height: usize, width: usize) -> bool {
        let len = self.shown_len();
        if step == PagerMove::Bottom {
            return self.top.take().is_some();
        }
        if len == 0 {
            return false;
        }
        let end = self.window_ending(len - 1, height.max(1), width);
        let last_page = end.lines.first().map_or(0, |&n| self.shown_pos(n));
        let current = match self.top {
            Some(top) => self.shown_pos(top).min(len - 1),
            None => last_page,
        };
        let page = height.saturating_sub(1).max(1);
        let target = match step {
            PagerMove::Down => current + 1,
            PagerMove::Up => current.saturating_sub(1),
            PagerMove::PageDown => current + page,
            PagerMove::PageUp => current.saturating_sub(page),
            PagerMove::Top => 0,
            PagerMove::Bottom => last_page,
        }
        .min(last_page);
        let before = self.top;
        self.top = self.shown_at(target);
        self.top != before
    }

    /// Pauses with line `n` at the top (a search hit).
    pub fn show_at_top(&mut self, n: u64) {
        self.top = Some(n);
    }

    /// The first line on screen, for searches that start there.
    pub fn first_on_screen(&self, height: usize, width: usize) -> Option<u64> {
        match self.top {
            Some(top) => Some(top),
            None => self.window(height, width).lines.first().copied(),
        }
    }
}
