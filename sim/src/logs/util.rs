//! Small deterministic helpers: a seeded RNG, a stable string hash and a clock that caches the
//! formatted second, so rendering 100,000+ lines a second does not run chrono's formatter per line.

use chrono::{DateTime, FixedOffset, Offset, Utc};
use std::fmt;

pub const NANOS: i64 = 1_000_000_000;

/// SplitMix64: tiny, fast and stable across Rust/rand versions, which matters because logs must
/// be byte-identical between runs (a test and a demo may compare them).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n = 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // Callers pass non-empty constant tables; index 0 of an empty slice is never reached
        // because `below(0)` is 0 and every table here has at least one entry.
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `per_mille`/1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

/// FNV-1a, stable forever (std's hasher is not guaranteed to be).
pub fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

pub fn mix(a: u64, b: u64) -> u64 {
    Rng::new(a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

pub fn to_nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp()
        .saturating_mul(NANOS)
        .saturating_add(i64::from(t.timestamp_subsec_nanos()))
}

/// The tenants run in Brazil (UTC-3, no DST since 2019): the ERP services log local time.
fn brt() -> FixedOffset {
    FixedOffset::west_opt(3 * 3600).unwrap_or(Utc.fix())
}

/// Formatted pieces of one second, refreshed only when the second changes.
#[derive(Debug, Clone)]
pub struct Clock {
    sec: i64,
    /// `2026-11-22 01:40:24` (local)
    pub local: String,
    /// `2026-11-22T01:40:24` (local)
    pub local_t: String,
    /// `22/Nov/2026:01:40:24 -0300` (nginx access log)
    pub access: String,
    /// `2026/11/22 01:40:24` (nginx error log)
    pub slash: String,
    /// `2026-11-22T04:40:24` (UTC, for kubelet timestamps)
    pub utc: String,
    /// Local hour of day, for business-hours load.
    pub hour: u32,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            sec: i64::MIN,
            local: String::new(),
            local_t: String::new(),
            access: String::new(),
            slash: String::new(),
            utc: String::new(),
            hour: 0,
        }
    }
}

impl Clock {
    pub fn set(&mut self, nanos: i64) {
        let sec = nanos.div_euclid(NANOS);
        if sec == self.sec {
            return;
        }
        self.sec = sec;
        let utc = DateTime::<Utc>::from_timestamp(sec, 0).unwrap_or_default();
        let local = utc.with_timezone(&brt());
        self.local = local.format("%Y-%m-%d %H:%M:%S").to_string();
        self.local_t = local.format("%Y-%m-%dT%H:%M:%S").to_string();
        self.access = local.format("%d/%b/%Y:%H:%M:%S %z").to_string();
        self.slash = local.format("%Y/%m/%d %H:%M:%S").to_string();
        self.utc = utc.format("%Y-%m-%dT%H:%M:%S").to_string();
        self.hour = chrono::Timelike::hour(&local);
    }

    /// `2026-11-22 01:40:24.123`
    pub fn local_ms(&self, nanos: i64) -> Ms<'_> {
        Ms {
            base: &self.local,
            frac: millis(nanos),
            suffix: "",
        }
    }

    /// `2026-11-22T01:40:24.123-03:00`
    pub fn iso_ms(&self, nanos: i64) -> Ms<'_> {
        Ms {
            base: &self.local_t,
            frac: millis(nanos),
            suffix: "-03:00",
        }
    }

    /// The kubelet's `RFC3339NanoFixed` prefix, with the trailing space.
    pub fn write_kubelet(&self, nanos: i64, out: &mut String) {
        out.push_str(&self.utc);
        out.push('.');
        push_padded(out, nanos.rem_euclid(NANOS) as u64, 9);
        out.push_str("Z ");
    }
}

fn millis(nanos: i64) -> u32 {
    (nanos.rem_euclid(NANOS) / 1_000_000) as u32
}

/// Zero-padded decimal without going through `format!` (hot path in rate mode).
pub fn push_padded(out: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while v > 0 && i > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = i.min(buf.len().saturating_sub(width));
    for &b in &buf[start..] {
        out.push(b as char);
    }
}

/// A cached second plus milliseconds, written without re-formatting the date.
pub struct Ms<'a> {
    base: &'a str,
    frac: u32,
    suffix: &'static str,
}

impl fmt::Display for Ms<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}{}", self.base, self.frac, self.suffix)
    }
}
