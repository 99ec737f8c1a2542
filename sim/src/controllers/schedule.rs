//! Five-field cron schedules (`spec.schedule`), read on the clock of `spec.timeZone`.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

/// A five-field cron schedule (minute hour day-of-month month day-of-week), with `*`, lists,
/// ranges, steps, and the @hourly/@daily/@weekly/@monthly/@yearly shorthands.
#[derive(Debug, Clone)]
pub struct Schedule {
    fields: [Vec<bool>; 5],
    dom_any: bool,
    dow_any: bool,
    /// `spec.timeZone`: the fields are wall-clock times there (None: UTC, the controller's zone).
    zone: Option<jiff::tz::TimeZone>,
}

impl Schedule {
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let s = match s.trim() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: {s}",
                parts.len()
            ));
        }
        let ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
        let mut fields: [Vec<bool>; 5] = Default::default();
        for (i, (p, (lo, hi))) in parts.iter().zip(ranges).enumerate() {
            fields[i] = parse_field(p, lo, hi)?;
        }
        if fields[4][7] {
            fields[4][0] = true;
        }
        Ok(Schedule {
            dom_any: parts[2] == "*" || parts[2] == "?",
            dow_any: parts[4] == "*" || parts[4] == "?",
            fields,
            zone: None,
        })
    }

    /// The same schedule read in an IANA time zone (`spec.timeZone`); unknown or absent: UTC.
    pub fn in_zone(mut self, zone: Option<&str>) -> Schedule {
        self.zone = zone.and_then(|z| jiff::tz::TimeZone::get(z).ok());
        self
    }

    /// Minute, hour, day of month, month and day of week (Sunday 0) of `t` on the schedule's clock.
    fn civil(&self, t: DateTime<Utc>) -> [usize; 5] {
        let utc = [
            t.minute() as usize,
            t.hour() as usize,
            t.day() as usize,
            t.month() as usize,
            t.weekday().num_days_from_sunday() as usize,
        ];
        let Some(zone) = &self.zone else {
            return utc;
        };
        let Ok(stamp) = jiff::Timestamp::from_second(t.timestamp()) else {
            return utc;
        };
        let d = zone.to_datetime(stamp);
        [
            d.minute() as usize,
            d.hour() as usize,
            d.day() as usize,
            d.month() as usize,
            d.weekday().to_sunday_zero_offset() as usize,
        ]
    }

    fn matches(&self, t: DateTime<Utc>) -> bool {
        let [minute, hour, day, month, weekday] = self.civil(t);
        let dom = self.fields[2][day];
        let dow = self.fields[4][weekday];
        let day = match (self.dom_any, self.dow_any) {
            (false, false) => dom || dow,
            _ => dom && dow,
        };
        self.fields[0][minute] && self.fields[1][hour] && self.fields[3][month] && day
    }

    /// The first schedule time strictly after `t`.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut c = t.with_second(0)?.with_nanosecond(0)? + Duration::minutes(1);
        for _ in 0..(366 * 24 * 60) {
            if self.matches(c) {
                return Some(c);
            }
            c += Duration::minutes(1);
        }
        None
    }

    /// The latest schedule time at or before `t`.
    pub fn prev(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut c = t.with_second(0)?.with_nanosecond(0)?;
        for _ in 0..(366 * 24 * 60) {
            if self.matches(c) {
                return Some(c);
            }
            c -= Duration::minutes(1);
        }
        None
    }
}

fn parse_field(p: &str, lo: u32, hi: u32) -> Result<Vec<bool>, String> {
    let mut set = vec![false; hi as usize + 1];
    for item in p.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .map_err(|_| format!("bad step in {item}"))?,
            ),
            None => (item, 1),
        };
        let (a, b) = match range {
            "*" | "?" => (lo, hi),
            r => match r.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None if step > 1 => (num(r)?, hi),
                None => (num(r)?, num(r)?),
            },
        };
        if a < lo || b > hi || a > b || step == 0 {
            return Err(format!("value out of range in {item}"));
        }
        let mut v = a;
        while v <= b {
            set[v as usize] = true;
            v += step;
        }
    }
    Ok(set)
}

fn num(s: &str) -> Result<u32, String> {
    s.parse().map_err(|_| format!("not a number: {s}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_next_and_prev() {
        let s = Schedule::parse("0 3 * * *").unwrap();
        let t: DateTime<Utc> = "2026-11-22T04:40:00Z".parse().unwrap();
        assert_eq!(
            s.next_after(t).unwrap().to_rfc3339(),
            "2026-11-23T03:00:00+00:00"
        );
        assert_eq!(s.prev(t).unwrap().to_rfc3339(), "2026-11-22T03:00:00+00:00");
        let s = Schedule::parse("*/15 * * * 1-5").unwrap();
        let t: DateTime<Utc> = "2026-11-21T10:01:00Z".parse().unwrap(); // a Saturday
        assert_eq!(
            s.next_after(t).unwrap().to_rfc3339(),
            "2026-11-23T00:00:00+00:00"
        );
        assert!(Schedule::parse("* * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
    }

    #[test]
    fn cron_in_time_zone() {
        // 03:00 in São Paulo (UTC-3, no DST since 2019) is 06:00 UTC.
        let s = Schedule::parse("0 3 * * *")
            .unwrap()
            .in_zone(Some("America/Sao_Paulo"));
        let t: DateTime<Utc> = "2026-12-06T11:29:00Z".parse().unwrap();
        assert_eq!(s.prev(t).unwrap().to_rfc3339(), "2026-12-06T06:00:00+00:00");
        assert_eq!(
            s.next_after(t).unwrap().to_rfc3339(),
            "2026-12-07T06:00:00+00:00"
        );
        // Before 06:00 UTC it is still the previous day in São Paulo.
        let t: DateTime<Utc> = "2026-12-06T05:59:00Z".parse().unwrap();
        assert_eq!(s.prev(t).unwrap().to_rfc3339(), "2026-12-05T06:00:00+00:00");
        // A zone with daylight saving: 09:30 in New York is 14:30 UTC in winter, 13:30 in summer.
        let s = Schedule::parse("30 9 * * 1-5")
            .unwrap()
            .in_zone(Some("America/New_York"));
        let winter: DateTime<Utc> = "2026-12-07T00:00:00Z".parse().unwrap();
        assert_eq!(
            s.next_after(winter).unwrap().to_rfc3339(),
            "2026-12-07T14:30:00+00:00"
        );
        let summer: DateTime<Utc> = "2026-07-06T00:00:00Z".parse().unwrap();
        assert_eq!(
            s.next_after(summer).unwrap().to_rfc3339(),
            "2026-07-06T13:30:00+00:00"
        );
        // Unknown zone: UTC, as before.
        let s = Schedule::parse("0 3 * * *")
            .unwrap()
            .in_zone(Some("Mars/Olympus"));
        assert_eq!(s.prev(t).unwrap().to_rfc3339(), "2026-12-06T03:00:00+00:00");
    }
}
