//! Turning timeline lines into the HTTP body: the kubelet's filters (sinceTime, timestamps,
//! limitBytes), chunking, and following a live container with tokio timers.

use super::content;
use super::timeline::{Forward, Line};
use super::util::{mix, push_padded, Clock, Rng, NANOS};
use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{Instant, Interval, MissedTickBehavior};

/// Chunks of this size keep per-item overhead negligible at 100,000+ lines/s.
const CHUNK: usize = 64 * 1024;

pub type Alive = Arc<dyn Fn() -> bool + Send + Sync>;

/// Accumulates output the way the kubelet's log writer does.
pub struct Out {
    timestamps: bool,
    since: Option<i64>,
    remaining: Option<u64>,
    buf: String,
    clock: Clock,
    /// limitBytes reached: nothing more may be written, the stream ends.
    pub done: bool,
}

impl Out {
    pub fn new(timestamps: bool, since: Option<i64>, limit: Option<u64>) -> Self {
        Out {
            timestamps,
            since,
            remaining: limit,
            buf: String::with_capacity(CHUNK + 1024),
            clock: Clock::default(),
            done: false,
        }
    }

    /// Appends one line; lines older than `since` are skipped (kubelet: `Before(since)`).
    pub fn push(&mut self, nanos: i64, text: &str) {
        if self.done || self.since.is_some_and(|s| nanos < s) {
            return;
        }
        let mark = self.buf.len();
        if self.timestamps {
            self.clock.set(nanos);
            self.clock.write_kubelet(nanos, &mut self.buf);
        }
        self.buf.push_str(text);
        self.buf.push('\n');
        self.apply_limit(mark);
    }

    /// limitBytes counts prefix and newline too, and may cut a line (and a UTF-8 sequence:
    /// the kubelet cuts bytes, so the body is cut at a char boundary at most 3 bytes early).
    fn apply_limit(&mut self, mark: usize) {
        let Some(rem) = self.remaining else { return };
        let written = (self.buf.len() - mark) as u64;
        if written < rem {
            self.remaining = Some(rem - written);
            return;
        }
        let mut cut = mark + rem as usize;
        while cut > mark && !self.buf.is_char_boundary(cut) {
            cut -= 1;
        }
        self.buf.truncate(cut);
        self.remaining = Some(0);
        self.done = true;
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Takes what has accumulated, if anything.
    pub fn take(&mut self) -> Option<Bytes> {
        if self.buf.is_empty() {
            return None;
        }
        let s = std::mem::replace(&mut self.buf, String::with_capacity(CHUNK + 1024));
        Some(Bytes::from(s))
    }
}

/// Renders history into chunks of about `CHUNK` bytes.
pub fn history_chunks(lines: Vec<Line>, out: &mut Out) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    for l in lines {
        out.push(l.nanos, &l.text);
        if out.len() >= CHUNK {
            chunks.extend(out.take());
        }
        if out.done {
            break;
        }
    }
    chunks.extend(out.take());
    chunks
}

/// State of a followed log.
pub struct Follow {
    forward: Forward,
    out: Out,
    alive: Alive,
    rate: u32,
    /// Wall-clock origin of the simulated `now`, fixed at the first poll (a runtime exists then).
    anchor: Option<(Instant, i64)>,
    start_nanos: i64,
    ticker: Option<Interval>,
    last_alive: Option<Instant>,
    peeked: Option<Line>,
    seq: u64,
    rng: Rng,
    content_clock: Clock,
    /// Rate mode reached the scheduled end: only the epilogue is left to write.
    rate_over: bool,
    /// The container is gone: write what it wrote up to this instant, then end.
    last_words: Option<i64>,
}

/// How far past the follower's clock a scheduled end may lie and still count as reached when the
/// container is found gone: the kubelet kills at or just after that end (its timers tick every
/// 200 ms), while this clock trails the wall clock by the request's own latency.
const END_GRACE: i64 = 2 * NANOS;

impl Follow {
    pub fn new(forward: Forward, out: Out, alive: Alive, rate: u32, now: i64) -> Self {
        let rng = Rng::new(mix(forward.timeline.seed(), 0x5eed));
        Follow {
            forward,
            out,
            alive,
            rate,
            anchor: None,
            start_nanos: now,
            ticker: None,
            last_alive: None,
            peeked: None,
            seq: 0,
            rng,
            content_clock: Clock::default(),
            rate_over: false,
            last_words: None,
        }
    }

    /// The stream of followed chunks; ends when `alive` says so or limitBytes is reached.
    pub fn into_stream(self) -> BoxStream<'static, Bytes> {
        stream::unfold(self, |mut st| async move {
            st.next_chunk().await.map(|b| (b, st))
        })
        .boxed()
    }

    async fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            if self.out.done {
                return None;
            }
            if let Some(upto) = self.last_words {
                self.fill_natural(upto);
                return self.out.take();
            }
            let (origin, base) = *self
                .anchor
                .get_or_insert((Instant::now(), self.start_nanos));
            let rated = self.rate > 0 && !self.rate_over;
            let backlog = rated && self.owed(origin) > self.seq;
            if !backlog {
                self.tick().await;
            }
            let now = base + origin.elapsed().as_nanos().min(i64::MAX as u128) as i64;
            if !self.still_alive() {
                self.last_words = Some(self.death(now));
                continue;
            }
            if rated {
                self.fill_rate(origin, base);
            }
            if !rated || self.rate_over {
                self.fill_natural(now);
            }
            if let Some(b) = self.out.take() {
                return Some(b);
            }
        }
    }

    async fn tick(&mut self) {
        let period = if self.rate > 0 {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(200)
        };
        let ticker = self.ticker.get_or_insert_with(|| {
            let mut i = tokio::time::interval(period);
            i.set_missed_tick_behavior(MissedTickBehavior::Delay);
            i
        });
        ticker.tick().await;
    }

    /// Asks `alive` on the first tick and then about once a second.
    fn still_alive(&mut self) -> bool {
        let due = self
            .last_alive
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(1));
        if !due {
            return true;
        }
        self.last_alive = Some(Instant::now());
        (self.alive)()
    }

    /// The instant up to which a container found gone had written: its scheduled end if that
    /// was (about) reached, else now.
    fn death(&mut self, now: i64) -> i64 {
        if self.rate > 0 {
            self.forward.epilogue_only();
        }
        match self.forward.timeline.ctx.end {
            Some((end, _)) if end <= now.saturating_add(END_GRACE) => end.max(now),
            _ => now,
        }
    }

    /// Natural pace: every line whose time has come.
    fn fill_natural(&mut self, now: i64) {
        loop {
            let line = match self.peeked.take().or_else(|| self.forward.next()) {
                Some(l) => l,
                None => return,
            };
            if line.nanos > now {
                self.peeked = Some(line);
                return;
            }
            self.out.push(line.nanos, &line.text);
            if self.out.done || self.out.len() >= CHUNK {
                return;
            }
        }
    }

    /// Lines due by now at `rate` per second since the origin.
    fn owed(&self, origin: Instant) -> u64 {
        let elapsed = origin.elapsed().as_nanos();
        (elapsed * u128::from(self.rate) / 1_000_000_000).min(u128::from(u64::MAX)) as u64
    }

    /// Rate mode: numbered lines on an exact schedule, a chunk at a time.
    fn fill_rate(&mut self, origin: Instant, base: i64) {
        let owed = self.owed(origin);
        let step = NANOS / i64::from(self.rate.max(1));
        let stop = self.forward.timeline.regular_end();
        let mut text = String::with_capacity(256);
        while self.seq < owed && !self.out.done && self.out.len() < CHUNK {
            let t = base.saturating_add((self.seq as i64 + 1).saturating_mul(step));
            if t >= stop {
                // The process is about to end: its epilogue follows at its own pace.
                self.rate_over = true;
                self.forward.epilogue_only();
                return;
            }
            self.seq += 1;
            self.content_clock.set(t);
            text.clear();
            content::regular(
                &mut text,
                &self.forward.timeline.ctx,
                &self.content_clock,
                t,
                &mut self.rng,
            );
            text.push_str(" seq=");
            push_padded(&mut text, self.seq, 6);
            self.out.push(t, &text);
        }
    }
}
