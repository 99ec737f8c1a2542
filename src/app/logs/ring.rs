//! The log ring: every line of a log view, raw, in arrival order, bounded by a line count.
//! Lines are packed back to back into chunks of text with an end offset and a small record
//! each, so 200,000 lines cost little more than their bytes; styling happens only for the lines
//! on screen. Lines are addressed by an absolute number that never changes, so a position
//! stays valid while the oldest lines are dropped.

use std::collections::VecDeque;

/// A chunk is closed once its text reaches this size (one longer line gets a chunk alone).
const CHUNK_BYTES: usize = 256 * 1024;

/// What is known about a line besides its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineMeta {
    /// When the container wrote it, nanoseconds since the epoch (0: unknown).
    pub ts: i64,
    /// Which source (pod/container) it came from, an index into the view's sources (below
    /// 32,768: the top bit is the marker flag in storage).
    pub source: u16,
    /// A line kterm wrote (a restart, a pod that came or went), not the container.
    pub marker: bool,
}

/// Lines of a chunk, its text back to back; a line's record is split over parallel arrays
/// (end offset 4 bytes, timestamp 8, source with the marker bit 2) so it costs 14 bytes, not
/// a padded 24.
#[derive(Clone, Debug, Default)]
struct Chunk {
    /// Absolute number of the chunk's first line.
    first: u64,
    text: String,
    ends: Vec<u32>,
    stamps: Vec<i64>,
    sources: Vec<u16>,
}

/// The marker flag in a stored source.
const MARKER: u16 = 1 << 15;

impl Chunk {
    /// A chunk with room for a typical fill, so it never reallocates while it fills.
    fn with_room() -> Self {
        let lines = CHUNK_BYTES / 128;
        Chunk {
            first: 0,
            text: String::with_capacity(CHUNK_BYTES),
            ends: Vec::with_capacity(lines),
            stamps: Vec::with_capacity(lines),
            sources: Vec::with_capacity(lines),
        }
    }

    fn end(&self) -> u64 {
        self.first + self.ends.len() as u64
    }

    fn line(&self, at: usize) -> Option<(LineMeta, &str)> {
        let end = *self.ends.get(at)? as usize;
        let start = match at {
            0 => 0,
            _ => *self.ends.get(at - 1)? as usize,
        };
        let source = *self.sources.get(at)?;
        let meta = LineMeta {
            ts: *self.stamps.get(at)?,
            source: source & !MARKER,
            marker: source & MARKER != 0,
        };
        Some((meta, self.text.get(start..end)?))
    }

    fn push(&mut self, meta: LineMeta, text: &str) {
        self.text.push_str(text);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.stamps.push(meta.ts);
        let marker = if meta.marker { MARKER } else { 0 };
        self.sources.push((meta.source & !MARKER) | marker);
    }

    /// Emptied for reuse, keeping its allocations.
    fn recycle(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.stamps.clear();
        self.sources.clear();
    }
}

/// The lines of one log view.
#[derive(Clone, Debug)]
pub struct LogRing {
    chunks: VecDeque<Chunk>,
    /// The last chunk dropped, emptied: the next one reuses its memory, so a full ring under a
    /// flood allocates nothing and its RSS stays flat.
    spare: Option<Chunk>,
    /// Absolute number of the oldest line held.
    first: u64,
    /// Absolute number the next line will get.
    next: u64,
    capacity: usize,
    /// Bytes of text held by chunks (including lines logically dropped but not yet freed).
    bytes: usize,
}

impl LogRing {
    /// An empty ring keeping at most `capacity` lines (at least one).
    pub fn new(capacity: usize) -> Self {
        LogRing {
            chunks: VecDeque::new(),
            spare: None,
            first: 0,
            next: 0,
            capacity: capacity.max(1),
            bytes: 0,
        }
    }

    /// Lines held.
    pub fn len(&self) -> usize {
        (self.next - self.first) as usize
    }

    /// Whether no line is held.
    pub fn is_empty(&self) -> bool {
        self.next == self.first
    }

    /// Absolute number of the oldest line held.
    pub fn first(&self) -> u64 {
        self.first
    }

    /// Absolute number the next line will get; every line ever pushed is below it.
    pub fn end(&self) -> u64 {
        self.next
    }

    /// Lines pushed but no longer held: the oldest, dropped to keep the bound.
    pub fn dropped(&self) -> u64 {
        self.first
    }

    /// The most lines held.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes of text held, for the memory budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Appends one line; drops the oldest when over the bound. Returns its number.
    pub fn push(&mut self, meta: LineMeta, text: &str) -> u64 {
        let open = self
            .chunks
            .back()
            .is_some_and(|c| c.text.len() + text.len() <= CHUNK_BYTES);
        if !open {
            let mut chunk = self.spare.take().unwrap_or_else(Chunk::with_room);
            chunk.first = self.next;
            self.chunks.push_back(chunk);
        }
        if let Some(chunk) = self.chunks.back_mut() {
            chunk.push(meta, text);
            self.bytes += text.len();
        }
        let number = self.next;
        self.next += 1;
        self.trim();
        number
    }

    /// Drops lines beyond the bound; a chunk's memory goes once all its lines are dropped.
    fn trim(&mut self) {
        let over = self.len().saturating_sub(self.capacity) as u64;
        self.first += over;
        while self.chunks.front().is_some_and(|c| c.end() <= self.first) {
            if let Some(mut gone) = self.chunks.pop_front() {
                self.bytes -= gone.text.len();
                // A chunk grown for one huge line is not worth keeping.
                if gone.text.capacity() <= 2 * CHUNK_BYTES {
                    gone.recycle();
                    self.spare = Some(gone);
                }
            }
        }
    }

    /// The line numbered `at`, if held.
    pub fn get(&self, at: u64) -> Option<(LineMeta, &str)> {
        if at < self.first || at >= self.next {
            return None;
        }
        let index = self.chunks.partition_point(|c| c.end() <= at);
        let chunk = self.chunks.get(index)?;
        chunk.line((at - chunk.first) as usize)
    }

    /// Lines from number `from` (or the oldest held) on, with their numbers.
    pub fn iter_from(&self, from: u64) -> impl Iterator<Item = (u64, LineMeta, &str)> + '_ {
        let from = from.max(self.first);
        let index = self.chunks.partition_point(|c| c.end() <= from);
        self.chunks.range(index..).flat_map(move |chunk| {
            let skip = from.saturating_sub(chunk.first) as usize;
            (skip..chunk.ends.len()).filter_map(move |i| {
                chunk
                    .line(i)
                    .map(|(meta, text)| (chunk.first + i as u64, meta, text))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(capacity: usize, lines: usize) -> LogRing {
        let mut ring = LogRing::new(capacity);
        for i in 0..lines {
            ring.push(LineMeta::default(), &format!("line {i}"));
        }
        ring
    }

    #[test]
    fn lines_are_found_by_their_number_across_chunks() {
        let ring = filled(100_000, 60_000);
        assert!(ring.chunks.len() > 1, "the test must span chunks");
        assert_eq!(ring.get(0).map(|(_, t)| t), Some("line 0"));
        assert_eq!(ring.get(59_999).map(|(_, t)| t), Some("line 59999"));
        assert_eq!(ring.get(60_000), None);
        let some: Vec<&str> = ring.iter_from(29_998).take(3).map(|(_, _, t)| t).collect();
        assert_eq!(some, ["line 29998", "line 29999", "line 30000"]);
    }

    #[test]
    fn the_bound_drops_the_oldest_and_counts_them() {
        let ring = filled(1000, 50_000);
        assert_eq!(ring.len(), 1000);
        assert_eq!(ring.dropped(), 49_000);
        assert_eq!(ring.get(48_999), None);
        assert_eq!(ring.get(49_000).map(|(_, t)| t), Some("line 49000"));
        assert_eq!(
            ring.iter_from(0).count(),
            1000,
            "iteration starts at the oldest held"
        );
        // Whole chunks of dropped lines are freed: little more than the held lines stays.
        assert!(
            ring.bytes() < 2 * CHUNK_BYTES + 1000 * 12,
            "{}",
            ring.bytes()
        );
    }

    #[test]
    fn a_full_ring_reuses_the_chunk_it_dropped() {
        let mut ring = filled(1000, 200_000);
        let spare = ring.spare.as_ref().map(|c| c.text.as_ptr());
        assert!(spare.is_some(), "a dropped chunk is kept for reuse");
        // Enough lines to need a new chunk: it is the spare, not a fresh allocation.
        let before = ring.chunks.len();
        while ring.chunks.back().map(|c| c.text.as_ptr()) != spare {
            ring.push(LineMeta::default(), "line 123456");
            assert!(ring.chunks.len() <= before + 1, "no chunk piles up");
        }
        assert_eq!(ring.len(), 1000);
        let marker = LineMeta {
            ts: 7,
            source: 3,
            marker: true,
        };
        let n = ring.push(marker, "── note ──");
        assert_eq!(
            ring.get(n).map(|(m, _)| m),
            Some(marker),
            "records survive the packing"
        );
    }

    #[test]
    fn a_huge_line_gets_a_chunk_of_its_own() {
        let mut ring = LogRing::new(10);
        ring.push(LineMeta::default(), "small");
        let big = "x".repeat(1 << 20);
        let n = ring.push(LineMeta::default(), &big);
        ring.push(LineMeta::default(), "after");
        assert_eq!(ring.get(n).map(|(_, t)| t.len()), Some(1 << 20));
        assert_eq!(ring.get(n + 1).map(|(_, t)| t), Some("after"));
    }
}
