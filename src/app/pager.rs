//! The pager: scrolling through lines of text with a search, shared by every text screen (the
//! YAML and describe views today, the log view next). It holds lines and a position; the
//! screen that owns it decides what the lines are.

use crate::kube::text::TextLine;

/// What a pager key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PagerMove {
    /// One line down.
    Down,
    /// One line up.
    Up,
    /// A page down.
    PageDown,
    /// A page up.
    PageUp,
    /// The first line.
    Top,
    /// The last page.
    Bottom,
}

/// Lines, the first one shown, and the search in force.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pager {
    /// The text.
    pub lines: Vec<TextLine>,
    /// Index of the first line shown.
    pub scroll: usize,
    /// The search in force (lower case), for `n`/`N` and highlighting.
    pub search: Option<String>,
}

impl Pager {
    /// Replaces the lines, keeping the position where it still fits.
    pub fn set_lines(&mut self, lines: Vec<TextLine>) {
        self.lines = lines;
        self.scroll = self.scroll.min(self.max_scroll(1));
    }

    /// The furthest scroll that still fills a body of `height` lines.
    pub fn max_scroll(&self, height: usize) -> usize {
        self.lines.len().saturating_sub(height.max(1))
    }

    /// Moves within a body of `height` lines; `true` when the position changed.
    pub fn step(&mut self, step: PagerMove, height: usize) -> bool {
        let before = self.scroll;
        let page = height.max(1);
        self.scroll = match step {
            PagerMove::Down => self.scroll.saturating_add(1),
            PagerMove::Up => self.scroll.saturating_sub(1),
            PagerMove::PageDown => self.scroll.saturating_add(page),
            PagerMove::PageUp => self.scroll.saturating_sub(page),
            PagerMove::Top => 0,
            PagerMove::Bottom => usize::MAX,
        };
        self.scroll = self.scroll.min(self.max_scroll(height));
        self.scroll != before
    }

    /// Searches for `query` (case-insensitive) from the top line itself; `false` if nothing
    /// matches. An empty query changes nothing.
    pub fn search_for(&mut self, query: &str) -> bool {
        if query.is_empty() {
            return true;
        }
        self.search = Some(query.to_lowercase());
        self.jump(true, true)
    }

    /// Scrolls to the next (or previous) line matching the search, wrapping, starting at the
    /// top line itself when `from_top_line`; `false` if none (or no search).
    pub fn jump(&mut self, forward: bool, from_top_line: bool) -> bool {
        let Some(query) = self.search.clone() else {
            return false;
        };
        let len = self.lines.len();
        if len == 0 {
            return false;
        }
        let start = self.scroll.min(len - 1);
        let first = usize::from(!from_top_line);
        let found = (first..=len)
            .map(|step| {
                if forward {
                    (start + step) % len
                } else {
                    (start + len - step) % len
                }
            })
            .find(|&i| {
                self.lines
                    .get(i)
                    .is_some_and(|l| l.text.to_lowercase().contains(&query))
            });
        match found {
            // The match goes to the top line, even past the usual end (like less), so that
            // the next search starts after it.
            Some(i) => {
                self.scroll = i;
                true
            }
            None => false,
        }
    }

    /// The sentence for a search that found nothing.
    pub fn no_match(&self) -> String {
        match &self.search {
            Some(q) => format!("No match for \"{q}\"."),
            None => "Search first (/).".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::text::Tone;

    fn pager(n: usize) -> Pager {
        let lines = (0..n)
            .map(|i| TextLine::new(format!("line {i}"), Tone::Plain))
            .collect();
        Pager {
            lines,
            ..Pager::default()
        }
    }

    #[test]
    fn scrolling_stops_at_the_last_page() {
        let mut p = pager(10);
        assert!(p.step(PagerMove::Bottom, 4));
        assert_eq!(p.scroll, 6);
        assert!(!p.step(PagerMove::Down, 4));
        assert!(p.step(PagerMove::PageUp, 4));
        assert_eq!(p.scroll, 2);
    }

    #[test]
    fn search_wraps_and_says_when_nothing_matches() {
        let mut p = pager(10);
        assert!(p.search_for("LINE 7"));
        assert_eq!(p.scroll, 7);
        assert!(p.search_for("line 1"));
        assert_eq!(p.scroll, 1, "wrapped to the top");
        assert!(!p.search_for("nothing"));
        assert_eq!(p.no_match(), "No match for \"nothing\".");
    }
}
