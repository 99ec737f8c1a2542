//! How a table's columns give way when its rows are wider than the screen: by priority, not in
//! proportion. Low-priority columns (node names, IPs, selectors) shrink and then hide, then the
//! AGE-like ones hide, then the columns with a compact form take it, and only then is the name
//! cut — in the middle, so the unique suffix that tells two replicas apart stays.

use ratatui::text::Line;

/// How a column gives way, decided per list by the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Give {
    /// Never narrowed while anything else can give (the flag, NAMESPACE, READY, STATUS).
    Keep,
    /// The flexible column that takes what is left; cut last, as `cut` says.
    Flex(Cut),
    /// Cut down to `min` columns first, then hidden at step `rank` (node names, IPs).
    Shrink {
        /// Order among the discrete steps; lower gives way first.
        rank: u8,
        /// Narrowest useful width.
        min: usize,
    },
    /// Hidden at step `rank`.
    Hide {
        /// Order among the discrete steps; lower gives way first.
        rank: u8,
    },
    /// Its cells' compact forms are used from step `rank` (`3` for `3 (2m ago)`).
    Compact {
        /// Order among the discrete steps; lower gives way first.
        rank: u8,
    },
}

/// Where a cut text loses its characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Keep the start and the last `-` segment (`appserver-prd-4f6…-cs4tg`): names.
    Middle,
    /// Keep the start (messages, free text).
    End,
}

/// What the fitter needs to know of one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measure {
    /// How it gives way.
    pub give: Give,
    /// Width of its header.
    pub header: usize,
    /// Width of its widest cell (or header).
    pub full: usize,
    /// Width of its widest cell in compact form (or header); `full` when it has none.
    pub short: usize,
}

/// The outcome: per column, whether it is shown, whether compact, and its width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fitted {
    /// Whether the column is shown.
    pub shown: Vec<bool>,
    /// Whether its cells use their compact form.
    pub short: Vec<bool>,
    /// Its width (meaningless when hidden).
    pub widths: Vec<usize>,
}

/// The name keeps this much before other columns are cut below their natural width.
const FLEX_MIN: usize = 12;
/// The last resort cuts other columns no lower than this (or their header).
const OTHER_MIN: usize = 20;
/// Columns between cells.
const SPACING: usize = 1;

/// Fits `cols` into `room`. In `wide` mode nothing hides, shrinks or compacts: the name is cut
/// instead (the user asked for every column).
pub fn fit(cols: &[Measure], room: usize, wide: bool) -> Fitted {
    let n = cols.len();
    let mut fitted = Fitted {
        shown: vec![true; n],
        short: vec![false; n],
        widths: cols.iter().map(|c| c.full).collect(),
    };
    let mut steps: Vec<(u8, usize)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c.give {
            Give::Shrink { rank, .. } | Give::Hide { rank } | Give::Compact { rank } => {
                Some((rank, i))
            }
            Give::Keep | Give::Flex(_) => None,
        })
        .collect();
    steps.sort_unstable();
    let mut steps = steps.into_iter();
    loop {
        for (i, c) in cols.iter().enumerate() {
            fitted.widths[i] = if fitted.short[i] { c.short } else { c.full };
        }
        let mut over = total(&fitted).saturating_sub(room);
        if over == 0 {
            return fitted;
        }
        if !wide {
            over = shrink_low_priority(cols, &mut fitted, over);
            if over == 0 {
                return fitted;
            }
            if let Some((_, i)) = steps.next() {
                match cols[i].give {
                    Give::Compact { .. } => fitted.short[i] = true,
                    _ => fitted.shown[i] = false,
                }
                continue;
            }
        }
        last_resort(cols, &mut fitted, over);
        return fitted;
    }
}

/// Width of the shown columns with their spacing.
fn total(f: &Fitted) -> usize {
    let shown: Vec<usize> = (0..f.widths.len())
        .filter(|&i| f.shown[i])
        .map(|i| f.widths[i])
        .collect();
    shown.iter().sum::<usize>() + shown.len().saturating_sub(1) * SPACING
}

/// Shrinks the shown `Shrink` columns, widest first, down to their `min`; returns what is
/// still over.
fn shrink_low_priority(cols: &[Measure], f: &mut Fitted, mut over: usize) -> usize {
    let floor = |i: usize| match cols[i].give {
        Give::Shrink { min, .. } => Some(min.max(cols[i].header)),
        _ => None,
    };
    while over > 0 {
        let widest = (0..cols.len())
            .filter(|&i| f.shown[i] && floor(i).is_some_and(|m| f.widths[i] > m))
            .max_by_key(|&i| f.widths[i]);
        let Some(i) = widest else { break };
        f.widths[i] -= 1;
        over -= 1;
    }
    over
}

/// Nothing left to hide or compact (or wide mode): the name gives way down to `FLEX_MIN`, then
/// the widest other columns down to their header or `OTHER_MIN`, then the name down to 4, then
/// the others down to their header — each cut marked, never left to the layout to clip.
fn last_resort(cols: &[Measure], f: &mut Fitted, mut over: usize) {
    let flex = cols.iter().position(|c| matches!(c.give, Give::Flex(_)));
    let cut_flex = |f: &mut Fitted, over: &mut usize, min: usize| {
        if let Some(i) = flex {
            let give = (*over).min(f.widths[i].saturating_sub(min));
            f.widths[i] -= give;
            *over -= give;
        }
    };
    let cut_others = |f: &mut Fitted, over: &mut usize, min: usize| {
        while *over > 0 {
            let widest = (0..cols.len())
                .filter(|&i| Some(i) != flex && f.shown[i] && f.widths[i] > cols[i].header.max(min))
                .max_by_key(|&i| f.widths[i]);
            let Some(i) = widest else { break };
            f.widths[i] -= 1;
            *over -= 1;
        }
    };
    cut_flex(f, &mut over, FLEX_MIN);
    cut_others(f, &mut over, OTHER_MIN);
    cut_flex(f, &mut over, 4);
    cut_others(f, &mut over, 1);
}

/// The hint naming the hidden columns (`+NODE`, `+IP,NODE,AGE`), if any is hidden.
pub fn hidden_hint(headers: &[&str], fitted: &Fitted) -> Option<String> {
    let hidden: Vec<&str> = headers
        .iter()
        .zip(&fitted.shown)
        .filter(|(_, shown)| !**shown)
        .map(|(h, _)| *h)
        .collect();
    (!hidden.is_empty()).then(|| format!("+{}", hidden.join(",")))
}

/// Where a hint `len` wide goes on a header line `room` wide whose last header text ends at
/// `end`: at the right end of the line when there is room, else just after the name's header
/// (`name` is its header's end and its column's end), so it never touches another header.
pub fn hint_position(
    end: usize,
    name: Option<(usize, usize)>,
    room: usize,
    len: usize,
) -> Option<usize> {
    if end + 1 + len <= room {
        return Some(room - len);
    }
    let (header_end, column_end) = name?;
    (header_end + 1 + len <= column_end).then_some(header_end + 1)
}

/// Display width of `text`.
pub fn width(text: &str) -> usize {
    Line::from(text).width()
}

/// `text` cut to `max` columns, the cut marked with `…`, or `None` when it fits.
pub fn cut(text: &str, max: usize, how: Cut) -> Option<String> {
    if width(text) <= max {
        return None;
    }
    let room = max.saturating_sub(1);
    let chars: Vec<char> = text.chars().collect();
    // The suffix kept by a middle cut: the last `-` segment when it is at most half the room,
    // else half the room from the end.
    let tail = match how {
        Cut::End => 0,
        Cut::Middle => {
            let segment = text
                .rsplit_once('-')
                .map_or(0, |(_, s)| s.chars().count() + 1);
            if segment > 1 && segment <= room / 2 {
                segment
            } else {
                room / 2
            }
        }
    };
    let mut out = String::with_capacity(max + 4);
    let mut used = 0;
    for ch in &chars[..chars.len() - tail] {
        let w = width(&ch.to_string());
        if used + w + tail > room {
            break;
        }
        used += w;
        out.push(*ch);
    }
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(give: Give, header: usize, full: usize, short: usize) -> Measure {
        Measure {
            give,
            header,
            full,
            short,
        }
    }

    #[test]
    fn a_middle_cut_keeps_the_unique_suffix() {
        let name = "appserver-prd-4f6d28d5de-cs4tg";
        assert_eq!(
            cut(name, 24, Cut::Middle).as_deref(),
            Some("appserver-prd-4f6…-cs4tg")
        );
        assert_eq!(cut(name, 30, Cut::Middle), None);
        assert_eq!(cut(name, 10, Cut::Middle).as_deref(), Some("appse…s4tg"));
        assert_eq!(cut(name, 10, Cut::End).as_deref(), Some("appserver…"));
        assert_eq!(
            cut("abcdefghijklmnop", 9, Cut::Middle).as_deref(),
            Some("abcd…mnop")
        );
    }

    #[test]
    fn low_priority_columns_shrink_then_hide_in_rank_order_before_the_name_is_cut() {
        let cols = [
            m(Give::Flex(Cut::Middle), 4, 30, 30),
            m(Give::Keep, 6, 9, 9),
            m(Give::Compact { rank: 3 }, 8, 13, 8),
            m(Give::Shrink { rank: 1, min: 16 }, 4, 41, 41),
            m(Give::Hide { rank: 2 }, 3, 4, 4),
        ];
        // Everything fits: nothing changes.
        let all = fit(&cols, 120, false);
        assert_eq!(all.widths, [30, 9, 13, 41, 4]);
        assert!(all.shown.iter().all(|s| *s));
        // NODE shrinks first.
        let shrunk = fit(&cols, 80, false);
        assert_eq!(shrunk.widths[3], 20);
        assert!(shrunk.shown.iter().all(|s| *s));
        // Then hides, then AGE hides, then the count compacts; the name stays whole.
        let narrow = fit(&cols, 50, false);
        assert_eq!(narrow.shown, [true, true, true, false, false]);
        assert_eq!(narrow.short, [false, false, true, false, false]);
        assert_eq!(narrow.widths[0], 30);
        // Only then is the name cut.
        let tiny = fit(&cols, 40, false);
        assert_eq!(tiny.widths[0], 40 - 9 - 8 - 2);
    }

    #[test]
    fn wide_shows_every_column_and_cuts_the_name() {
        let cols = [
            m(Give::Flex(Cut::Middle), 4, 30, 30),
            m(Give::Compact { rank: 3 }, 8, 13, 8),
            m(Give::Shrink { rank: 1, min: 16 }, 4, 20, 20),
        ];
        let wide = fit(&cols, 60, true);
        assert!(wide.shown.iter().all(|s| *s));
        assert_eq!(wide.short, [false, false, false]);
        assert_eq!(wide.widths, [25, 13, 20]);
    }

    #[test]
    fn the_hint_names_hidden_columns_at_the_end_of_the_header_or_after_the_name() {
        let fitted = Fitted {
            shown: vec![true, false, true, false],
            short: vec![false; 4],
            widths: vec![30, 20, 5, 3],
        };
        let hint = hidden_hint(&["NAME", "NODE", "READY", "AGE"], &fitted);
        assert_eq!(hint.as_deref(), Some("+NODE,AGE"));
        // Room at the end of the line.
        assert_eq!(hint_position(36, Some((4, 30)), 60, 9), Some(51));
        // No room at the end: after the name's header.
        assert_eq!(hint_position(36, Some((4, 30)), 38, 9), Some(5));
        assert_eq!(hint_position(36, Some((4, 12)), 38, 9), None);
    }
}
