//! Bytes of a log stream into lines: split on `\n` across chunk boundaries, the kubelet's
//! timestamp prefix parsed off, bytes that are not UTF-8 replaced (never dropped), and the
//! lines already seen before a reconnection skipped.

use std::sync::Arc;

use chrono::DateTime;

/// A line longer than this is cut into pieces of this size, so one runaway line cannot hold
/// the whole stream in a single allocation; the pieces stay in order.
pub const MAX_LINE: usize = 4 * 1024 * 1024;

/// Lines of one container as they arrived: their text back to back, where each ends, and each
/// one's timestamp (nanoseconds since the epoch).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogBatch {
    /// The container the lines are from.
    pub container: Arc<str>,
    /// The lines' text, without newlines or timestamp prefixes.
    pub text: String,
    /// End offset in `text` of each line.
    pub ends: Vec<u32>,
    /// Timestamp of each line.
    pub stamps: Vec<i64>,
}

impl LogBatch {
    /// An empty batch of `container`'s lines.
    pub fn new(container: Arc<str>) -> Self {
        LogBatch {
            container,
            ..LogBatch::default()
        }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds no line.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The lines with their timestamps, in order.
    pub fn lines(&self) -> impl Iterator<Item = (i64, &str)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&e| e as usize));
        starts
            .zip(self.ends.iter())
            .zip(self.stamps.iter())
            .map(|((start, &end), &ts)| (ts, self.text.get(start..end as usize).unwrap_or("")))
    }

    fn push(&mut self, ts: i64, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.text.push_str(text),
            Err(_) => self.text.push_str(&String::from_utf8_lossy(bytes)),
        }
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.stamps.push(ts);
    }
}

/// Where a stream stopped: the last line's timestamp and how many lines carried exactly that
/// timestamp, so a stream resumed from that second skips what was already shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resume {
    /// Timestamp of the last line, nanoseconds.
    pub last: i64,
    /// Lines seen with exactly that timestamp.
    pub at_last: u32,
}

/// Turns chunks of bytes into batches of lines.
#[derive(Debug)]
pub struct Splitter {
    container: Arc<str>,
    partial: Vec<u8>,
    /// Lines before this point were shown by an earlier connection.
    skip: Option<Resume>,
    /// How far this stream got.
    pub resume: Option<Resume>,
}

impl Splitter {
    /// A splitter for `container`, skipping what `seen` says was already shown.
    pub fn new(container: Arc<str>, seen: Option<Resume>) -> Self {
        Splitter {
            container,
            partial: Vec::new(),
            skip: seen,
            resume: seen,
        }
    }

    /// The complete lines of `chunk` (with what an earlier chunk left unfinished).
    pub fn feed(&mut self, chunk: &[u8]) -> LogBatch {
        let mut batch = LogBatch::new(self.container.clone());
        let mut rest = chunk;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            let (line, after) = rest.split_at(at);
            rest = after.get(1..).unwrap_or_default();
            if self.partial.is_empty() {
                self.line(line, &mut batch);
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                self.line(&whole, &mut batch);
            }
        }
        self.partial.extend_from_slice(rest);
        while self.partial.len() >= MAX_LINE {
            let piece: Vec<u8> = self.partial.drain(..MAX_LINE).collect();
            self.line(&piece, &mut batch);
        }
        batch
    }

    /// What is left when the stream ends: a last line without a newline.
    pub fn finish(&mut self) -> LogBatch {
        let mut batch = LogBatch::new(self.container.clone());
        if !self.partial.is_empty() {
            let last = std::mem::take(&mut self.partial);
            self.line(&last, &mut batch);
        }
        batch
    }

    fn line(&mut self, raw: &[u8], batch: &mut LogBatch) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let (ts, text) = split_timestamp(raw).unwrap_or((self.last_ts(), raw));
        if let Some(skip) = self.skip.as_mut() {
            if ts < skip.last {
                return;
            }
            if ts == skip.last && skip.at_last > 0 {
                skip.at_last -= 1;
                return;
            }
            self.skip = None;
        }
        self.resume = Some(match self.resume {
            Some(r) if r.last == ts => Resume {
                last: ts,
                at_last: r.at_last.saturating_add(1),
            },
            _ => Resume {
                last: ts,
                at_last: 1,
            },
        });
        batch.push(ts, text);
    }

    fn last_ts(&self) -> i64 {
        self.resume.map_or(0, |r| r.last)
    }
}

/// `2026-12-06T07:35:00.123456789Z text` → (nanoseconds, `text`); `None` without a timestamp.
pub fn split_timestamp(raw: &[u8]) -> Option<(i64, &[u8])> {
    let space = memchr::memchr(b' ', raw.get(..40).unwrap_or(raw))?;
    let stamp = std::str::from_utf8(raw.get(..space)?).ok()?;
    let at = DateTime::parse_from_rfc3339(stamp).ok()?;
    let nanos = at.timestamp_nanos_opt()?;
    Some((nanos, raw.get(space + 1..).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(batch: &LogBatch) -> Vec<(i64, String)> {
        batch.lines().map(|(t, s)| (t, s.to_string())).collect()
    }

    const T0: &str = "2026-12-06T07:35:00.000000001Z";
    const T1: &str = "2026-12-06T07:35:00.000000002Z";

    #[test]
    fn lines_split_across_chunks_and_lose_their_timestamp() {
        let mut s = Splitter::new("c".into(), None);
        let a = s.feed(format!("{T0} first\n{T1} sec").as_bytes());
        let b = s.feed(b"ond\n");
        let base = 1_796_542_500_000_000_000;
        assert_eq!(texts(&a), vec![(base + 1, "first".to_string())]);
        assert_eq!(texts(&b), vec![(base + 2, "second".to_string())]);
        assert!(s.finish().is_empty());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_not_dropped() {
        let mut s = Splitter::new("c".into(), None);
        let mut chunk = format!("{T0} caf").into_bytes();
        chunk.extend_from_slice(&[0xe9, b'\n']);
        let batch = s.feed(&chunk);
        assert_eq!(batch.lines().next().map(|(_, t)| t), Some("caf\u{fffd}"));
    }

    #[test]
    fn a_resumed_stream_skips_the_lines_already_shown() {
        let mut first = Splitter::new("c".into(), None);
        first.feed(format!("{T0} a\n{T1} b\n{T1} c\n").as_bytes());
        let seen = first.resume;
        assert_eq!(seen.map(|r| r.at_last), Some(2));
        // The server resends from the start of the second.
        let mut again = Splitter::new("c".into(), seen);
        let batch = again.feed(format!("{T0} a\n{T1} b\n{T1} c\n{T1} d\n").as_bytes());
        let shown: Vec<String> = texts(&batch).into_iter().map(|(_, t)| t).collect();
        assert_eq!(shown, vec!["d"]);
    }

    #[test]
    fn a_runaway_line_is_cut_into_pieces_kept_in_order() {
        let mut s = Splitter::new("c".into(), None);
        let big = vec![b'x'; MAX_LINE + 10];
        let batch = s.feed(&big);
        assert_eq!(batch.len(), 1);
        let tail = s.finish();
        assert_eq!(tail.lines().next().map(|(_, t)| t.len()), Some(10));
    }
}
