//! The log of one container instance as a timeline with random access: startup banner, then
//! fixed one-minute blocks each generated from its own seed, then (if the process ended) the
//! epilogue. Any window can be produced without generating what came before, and the lines a
//! follower sees later are exactly the ones a later plain request returns.

use super::content::{self, Ctx, Ending, Lvl, Msg};
use super::util::{mix, Clock, Rng, NANOS};

const BLOCK: i64 = 60 * NANOS;
const MS: i64 = 1_000_000;
/// Spacing of the annotation's lines: written in a quick burst right after start-up.
const EXTRA_GAP: i64 = 20 * MS;

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub nanos: i64,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Timeline {
    pub ctx: Ctx,
    seed: u64,
    banner: Vec<Line>,
    epilogue: Vec<Line>,
    /// First instant regular lines may occupy (after the banner).
    regular_start: i64,
    /// Regular lines stop here: at the epilogue, or never for a running process.
    regular_end: i64,
}

impl Timeline {
    pub fn new(ctx: Ctx, seed: u64) -> Self {
        let mut clock = Clock::default();
        let mut rng = Rng::new(mix(seed, u64::MAX));
        let mut banner = place_banner(&ctx, content::banner(&ctx, &mut rng), &mut clock, &mut rng);
        let startup_crash = matches!(ctx.end, Some((end, Ending::Crash(_))) if end - ctx.start < content::STARTUP_CRASH_NANOS);
        if startup_crash {
            banner.truncate(content::startup_keep(&ctx));
        }
        // After any cut: the lines belong to every run, a failed start-up included. Placed without
        // the rng so the rest of the log is the same with or without them.
        let extra = place_extra(
            &ctx,
            banner.last().map_or(ctx.start, |l| l.nanos),
            &mut clock,
        );
        banner.extend(extra);
        let regular_start = banner.last().map_or(ctx.start, |l| l.nanos) + 500 * MS;
        let epilogue = match ctx.end {
            Some((end, ending)) => {
                let msgs = content::epilogue(&ctx, ending, &mut rng);
                place_epilogue(&ctx, msgs, end, regular_start.min(end), &mut clock)
            }
            None => Vec::new(),
        };
        let regular_end = match (epilogue.first(), ctx.end) {
            _ if startup_crash => regular_start,
            (Some(first), _) => first.nanos,
            (None, Some((end, _))) => end,
            (None, None) => i64::MAX,
        };
        // A process that died during startup never printed the rest of its banner.
        banner.retain(|l| l.nanos <= regular_end);
        Timeline {
            ctx,
            seed,
            banner,
            epilogue,
            regular_start,
            regular_end,
        }
    }

    fn block_start(&self, b: i64) -> i64 {
        self.regular_start.saturating_add(b.saturating_mul(BLOCK))
    }

    /// Regular lines of block `b`, oldest first.
    fn block(&self, b: i64, clock: &mut Clock) -> Vec<Line> {
        let (lo, hi) = self.ctx.kind.gap_ms();
        let mut rng = Rng::new(mix(self.seed, b as u64));
        let start = self.block_start(b);
        let stop = start.saturating_add(BLOCK).min(self.regular_end);
        let mut t = start + rng.below(hi) as i64 * MS;
        let mut lines = Vec::with_capacity(64);
        while t < stop {
            clock.set(t);
            let mut text = String::with_capacity(160);
            content::regular(&mut text, &self.ctx, clock, t, &mut rng);
            lines.push(Line { nanos: t, text });
            t += rng.between(lo, hi) as i64 * MS + rng.below(1_000_000) as i64;
        }
        if self.add_repeats(start, stop, clock, &mut lines) {
            lines.sort_by_key(|l| l.nanos);
        }
        lines
    }

    /// The `log-lines` bursts printed every `extra_every` after start-up; each line goes to the
    /// block its own time falls in, so a burst may straddle two blocks. True if any was added.
    fn add_repeats(&self, start: i64, stop: i64, clock: &mut Clock, out: &mut Vec<Line>) -> bool {
        let (Some(every), n) = (self.ctx.extra_every, self.ctx.extra_lines.len() as i64) else {
            return false;
        };
        if n == 0 || stop <= start {
            return false;
        }
        let burst = n * EXTRA_GAP;
        // Bursts k >= 1 begin at regular_start + k * every; the first may reach back into `start`.
        let first = ((start - burst - self.regular_start) / every).max(1);
        let before = out.len();
        let mut k = first;
        while let Some(t0) = every
            .checked_mul(k)
            .and_then(|d| self.regular_start.checked_add(d))
            .filter(|t0| *t0 < stop)
        {
            out.extend(
                place_extra(&self.ctx, t0 - EXTRA_GAP, clock)
                    .into_iter()
                    .filter(|l| (start..stop).contains(&l.nanos)),
            );
            k += 1;
        }
        out.len() > before
    }

    /// The last `max_lines` lines written at or before `until`; blocks wholly before
    /// `not_before` are skipped because the caller filters them out anyway.
    pub fn history(&self, until: i64, max_lines: usize, not_before: i64) -> Vec<Line> {
        let mut clock = Clock::default();
        let mut rev: Vec<Line> = Vec::new();
        let keep = |l: &Line| l.nanos <= until;
        rev.extend(self.epilogue.iter().rev().filter(|l| keep(l)).cloned());
        let last = until.min(self.regular_end.saturating_sub(1));
        let mut reached_start = true;
        if last >= self.regular_start && rev.len() < max_lines {
            let mut b = (last - self.regular_start) / BLOCK;
            loop {
                rev.extend(self.block(b, &mut clock).into_iter().rev().filter(keep));
                if rev.len() >= max_lines || self.block_start(b) < not_before {
                    reached_start = b == 0 && rev.len() < max_lines;
                    break;
                }
                if b == 0 {
                    break;
                }
                b -= 1;
            }
        }
        if reached_start && rev.len() < max_lines {
            rev.extend(self.banner.iter().rev().filter(|l| keep(l)).cloned());
        }
        rev.truncate(max_lines);
        rev.reverse();
        rev
    }

    /// Is this instance still writing (no end time)?
    pub fn running(&self) -> bool {
        self.ctx.end.is_none()
    }

    /// Lines strictly after `t`, in order, for followers. Owns its data so streams are 'static.
    pub fn after(self, t: i64) -> Forward {
        let banner: Vec<Line> = self
            .banner
            .iter()
            .filter(|l| l.nanos > t)
            .cloned()
            .collect();
        let from = t.max(self.regular_start);
        let block = (from - self.regular_start) / BLOCK;
        Forward {
            timeline: self,
            after: t,
            banner: banner.into_iter(),
            block,
            pending: Vec::new().into_iter(),
            clock: Clock::default(),
        }
    }

    /// Seed for synthetic (rate mode) lines of this instance.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// Iterator over a running instance's future lines, generated one block at a time.
pub struct Forward {
    pub timeline: Timeline,
    after: i64,
    banner: std::vec::IntoIter<Line>,
    block: i64,
    pending: std::vec::IntoIter<Line>,
    clock: Clock,
}

impl Iterator for Forward {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if let Some(l) = self.banner.next() {
            return Some(l);
        }
        loop {
            if let Some(l) = self.pending.next() {
                if l.nanos > self.after {
                    return Some(l);
                }
                continue;
            }
            if self.timeline.block_start(self.block) >= self.timeline.regular_end {
                return None;
            }
            self.pending = self.timeline.block(self.block, &mut self.clock).into_iter();
            self.block += 1;
        }
    }
}

/// Banner lines follow each other by their declared delays (plus sub-ms jitter).
fn place_banner(ctx: &Ctx, msgs: Vec<Msg>, clock: &mut Clock, rng: &mut Rng) -> Vec<Line> {
    let mut t = ctx.start;
    msgs.into_iter()
        .map(|m| {
            t += m.ms as i64 * MS + rng.below(900_000) as i64;
            render(ctx, &m, t, clock)
        })
        .collect()
}

/// Verbatim lines (`sim.kterm.io/log-lines`), `EXTRA_GAP` apart after the banner's last line.
fn place_extra(ctx: &Ctx, after: i64, clock: &mut Clock) -> Vec<Line> {
    let mut t = after;
    ctx.extra_lines
        .iter()
        .map(|text| {
            t += EXTRA_GAP;
            render(ctx, &content::msg(0, Lvl::Raw, text.as_str()), t, clock)
        })
        .collect()
}

/// Epilogue lines sit `ms` before the end, squeezed after `floor` when the run was short.
fn place_epilogue(ctx: &Ctx, msgs: Vec<Msg>, end: i64, floor: i64, clock: &mut Clock) -> Vec<Line> {
    let mut prev = floor;
    msgs.into_iter()
        .map(|m| {
            let t = (end - m.ms as i64 * MS).clamp(floor, end).max(prev);
            prev = t;
            render(ctx, &m, t, clock)
        })
        .collect()
}

fn render(ctx: &Ctx, m: &Msg, t: i64, clock: &mut Clock) -> Line {
    clock.set(t);
    let mut text = String::with_capacity(m.text.len() + 48);
    content::prefix(&mut text, ctx.kind, clock, t, m.lvl);
    text.push_str(&m.text);
    Line { nanos: t, text }
}
