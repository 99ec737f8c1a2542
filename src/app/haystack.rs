//! The pod filter's search text: the cells a substring filter looks at (namespace, name and
//! status), lower-cased, one row after another in one buffer parallel to the shown order. It
//! lives only while the filter line is open. At 150,000 pods a keystroke that tested the rows
//! in the store chased a box, a name and a status per row (cache misses all the way, 18-45 ms);
//! searching one buffer with memmem takes a few milliseconds (P11).

use memchr::memmem::Finder;

use crate::app::pattern::CellQuery;
use crate::kube::pods::PodRow;

/// Bytes reserved a row: a namespace, a 40-character name and a status fit. Pages reserved and
/// never written are not resident, and growing past it would copy the whole text.
const TEXT_PER_ROW: usize = 64;

/// Rows read a batch at a time while building.
const BATCH: usize = 64;

/// Ends each cell in the text; a substring with it is answered from the rows instead.
const SEP: u8 = 0;

/// The shown rows' filter cells, lower-cased: `namespace\0name\0status\0` per row.
#[derive(Clone, Default)]
pub struct Haystack {
    text: Vec<u8>,
    /// Where each row's text ends.
    ends: Vec<u32>,
    /// Whether each row is not fully ready, for the status bar's count.
    unhealthy: Vec<bool>,
    /// Whether no cell holds a NUL itself, so cells can be told apart by it.
    nul_free: bool,
}

impl std::fmt::Debug for Haystack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Haystack({} rows, {} bytes)",
            self.ends.len(),
            self.text.len()
        )
    }
}

impl Haystack {
    /// The text of `rows`, in their order; `None` past 4 GB of text.
    pub fn build<'r>(rows: impl ExactSizeIterator<Item = &'r PodRow>) -> Option<Haystack> {
        let mut hay = Haystack {
            text: Vec::with_capacity(rows.len() * TEXT_PER_ROW),
            ends: Vec::with_capacity(rows.len()),
            unhealthy: Vec::with_capacity(rows.len()),
            nul_free: true,
        };
        // A batch at a time, each pass over it touching one level (the rows, then their
        // strings) with no pass waiting on the one before: the rows and strings of a store
        // filled over minutes are scattered, and the cache misses then overlap instead of
        // queueing one behind the other.
        let mut batch: Vec<&PodRow> = Vec::with_capacity(BATCH);
        let mut cells: Vec<[&str; 3]> = Vec::with_capacity(BATCH);
        let mut ascii: Vec<bool> = Vec::with_capacity(BATCH);
        let mut rows = rows.peekable();
        while rows.peek().is_some() {
            batch.clear();
            batch.extend(rows.by_ref().take(BATCH));
            cells.clear();
            cells.extend(
                batch
                    .iter()
                    .map(|r| [&*r.namespace, &*r.name, r.status.as_str()]),
            );
            hay.unhealthy.extend(batch.iter().map(|r| r.is_unhealthy()));
            ascii.clear();
            ascii.extend(cells.iter().map(|c| c.iter().all(|cell| cell.is_ascii())));
            for (row, &ascii) in cells.iter().zip(&ascii) {
                for cell in row {
                    push_lowercase(&mut hay.text, cell, ascii);
                    hay.nul_free &= !cell.as_bytes().contains(&SEP);
                    hay.text.push(SEP);
                }
                hay.ends.push(u32::try_from(hay.text.len()).ok()?);
            }
        }
        Some(hay)
    }

    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The memory it holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<u32>()
            + self.unhealthy.capacity()
    }

    /// How many of its rows are not fully ready.
    pub fn unhealthy(&self) -> usize {
        self.unhealthy.iter().filter(|&&u| u).count()
    }

    fn row(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.text[start..self.ends[i] as usize]
    }

    /// Which rows `query` keeps, one flag a row; `None` when the text cannot tell (a NUL in
    /// the needle, or in a cell when the query names one).
    pub fn keeps(&self, query: &CellQuery) -> Option<Vec<bool>> {
        if query.needle.contains(&SEP) || (query.cell.is_some() && !self.nul_free) {
            return None;
        }
        if query.needle.is_empty() {
            return Some(vec![!query.invert; self.len()]);
        }
        let mut hit = vec![false; self.len()];
        let finder = Finder::new(query.needle);
        match query.cell {
            // A needle without a NUL never spans two cells: one pass over the whole buffer,
            // resumed after the row of each hit.
            None => {
                let (mut at, mut row) = (0, 0);
                while let Some(found) = self.text.get(at..).and_then(|t| finder.find(t)) {
                    let pos = at + found;
                    while self.ends.get(row).is_some_and(|&end| end as usize <= pos) {
                        row += 1;
                    }
                    let Some(&end) = self.ends.get(row) else {
                        break;
                    };
                    hit[row] = true;
                    at = end as usize;
                    row += 1;
                }
            }
            Some(cell) => {
                for (i, h) in hit.iter_mut().enumerate() {
                    let text = self.row(i).split(|&b| b == SEP).nth(cell);
                    *h = text.is_some_and(|t| finder.find(t).is_some());
                }
            }
        }
        if query.invert {
            hit.iter_mut().for_each(|h| *h = !*h);
        }
        Some(hit)
    }

    /// Keeps the rows whose flag in `keep` is set, in order.
    pub fn retain(&mut self, keep: &[bool]) {
        let (mut write, mut start, mut kept) = (0usize, 0usize, 0usize);
        for i in 0..self.ends.len() {
            let end = self.ends[i] as usize;
            if keep.get(i).copied().unwrap_or(false) {
                self.text.copy_within(start..end, write);
                write += end - start;
                // Fits: it is no more than the end it replaces.
                self.ends[kept] = write as u32;
                self.unhealthy[kept] = self.unhealthy[i];
                kept += 1;
            }
            start = end;
        }
        self.text.truncate(write);
        self.ends.truncate(kept);
        self.unhealthy.truncate(kept);
    }
}

/// Appends `cell` lower-cased as the substring filter compares it (`str::to_lowercase`);
/// `ascii` when the cell is known to be ASCII.
fn push_lowercase(text: &mut Vec<u8>, cell: &str, ascii: bool) {
    if ascii || cell.is_ascii() {
        let from = text.len();
        text.extend_from_slice(cell.as_bytes());
        text[from..].make_ascii_lowercase();
    } else {
        text.extend_from_slice(cell.to_lowercase().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::Haystack;
    use crate::app::pattern::Filter;
    use crate::kube::pods::PodRow;

    fn row(ns: &str, name: &str, status: &str) -> PodRow {
        PodRow {
            namespace: ns.into(),
            name: name.into(),
            status: status.into(),
            node: "node-a".into(),
            ..PodRow::default()
        }
    }

    fn rows() -> Vec<PodRow> {
        vec![
            row("T1", "LockServer-0", "Running"),
            row("t2", "appserver-0", "CrashLoopBackOff"),
            row("été", "ÉTÉ-pod", "Pending"),
            row("t3", "ns-in-name", "Running"),
            row("t\0x", "n\0ul", "Running"),
        ]
    }

    /// Every answer the text gives is the one `Filter::matches` gives on the rows.
    #[test]
    fn the_text_answers_as_the_rows_do() {
        let rows = rows();
        let hay = Haystack::build(rows.iter());
        let Some(hay) = hay else { panic!("built") };
        for text in [
            "lock",
            "LOCK",
            "t",
            "t1",
            "0\0",
            "ing",
            "été",
            "!run",
            "ns:t",
            "name:t",
            "status:r",
            "!status:run",
            "ns:",
            "!",
            "r0",
            "0r",
            "ns-in",
            "back",
        ] {
            let Ok(Some(filter)) = Filter::parse(text) else {
                panic!("{text:?} parses")
            };
            let Some(query) = filter.cell_query() else {
                continue;
            };
            let Some(keeps) = hay.keeps(&query) else {
                assert!(text.contains('\0') || text.contains(':'), "{text:?}");
                continue;
            };
            let expected: Vec<bool> = rows.iter().map(|r| filter.matches(r)).collect();
            assert_eq!(keeps, expected, "{text:?}");
        }
    }

    #[test]
    fn retaining_keeps_the_rows_flagged() {
        let rows = rows();
        let Some(mut hay) = Haystack::build(rows.iter()) else {
            panic!("built")
        };
        hay.retain(&[false, true, false, true, false]);
        let kept = [&rows[1], &rows[3]];
        let Some(again) = Haystack::build(kept.into_iter()) else {
            panic!("built")
        };
        assert_eq!((hay.text, hay.ends), (again.text, again.ends));
    }
}
