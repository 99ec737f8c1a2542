//! A CronJob's schedule in its time zone: when it runs next, as the CronJob controller reads
//! it (five fields or a `@daily` macro, day-of-month OR day-of-week as in Vixie cron, in
//! `spec.timeZone` or else the controller's zone, UTC).

use chrono::{DateTime, Utc};
use croner::parser::{CronParser, Seconds};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// Why a next time cannot be given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoNext {
    /// The schedule does not parse; the parser's words.
    BadSchedule(String),
    /// `spec.timeZone` is not an IANA zone.
    BadZone(String),
    /// It never runs again.
    Never,
}

/// The first run of `schedule` after `after`, in `zone` (`None`: UTC).
pub fn next(
    schedule: &str,
    zone: Option<&str>,
    after: DateTime<Utc>,
) -> Result<DateTime<Utc>, NoNext> {
    let cron = parse(schedule)?;
    let tz = match zone.map(str::trim).filter(|z| !z.is_empty()) {
        Some(name) => TimeZone::get(name).map_err(|_| NoNext::BadZone(name.to_string()))?,
        None => TimeZone::UTC,
    };
    let start = Timestamp::from_second(after.timestamp()).map_err(|_| NoNext::Never)?;
    let next = cron
        .find_next_occurrence(&Zoned::new(start, tz), false)
        .map_err(|_| NoNext::Never)?;
    DateTime::from_timestamp(next.timestamp().as_second(), 0).ok_or(NoNext::Never)
}

fn parse(schedule: &str) -> Result<croner::Cron, NoNext> {
    // The controller expands these itself (robfig/cron's descriptors).
    let expanded = match schedule.trim() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        other => other,
    };
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .build()
        .parse(expanded)
        .map_err(|e| NoNext::BadSchedule(e.to_string()))
}

/// The NEXT cell and describe line: `in 3h12m` style is left to the caller; this gives the
/// time itself in the CronJob's zone (`2026-12-07 03:00 -03`), or why there is none.
pub fn next_words(
    schedule: &str,
    zone: Option<&str>,
    suspended: bool,
    now: DateTime<Utc>,
) -> String {
    if suspended {
        return "<suspended>".to_string();
    }
    match next(schedule, zone, now) {
        Ok(at) => local(at, zone),
        Err(NoNext::BadSchedule(_)) => "<invalid schedule>".to_string(),
        Err(NoNext::BadZone(_)) => "<unknown time zone>".to_string(),
        Err(NoNext::Never) => "<never>".to_string(),
    }
}

/// `at` in `zone` (else UTC): `2026-12-07 03:00 -03`.
pub fn local(at: DateTime<Utc>, zone: Option<&str>) -> String {
    let zoned = zone
        .and_then(|z| TimeZone::get(z.trim()).ok())
        .zip(Timestamp::from_second(at.timestamp()).ok())
        .map(|(tz, t)| Zoned::new(t, tz));
    match zoned {
        // The zone's abbreviation where it has one (`CET`), else its offset (`-03`).
        Some(z) => z.strftime("%Y-%m-%d %H:%M %Z").to_string(),
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn next_is_in_utc_without_a_zone() {
        let now = at("2026-12-06T10:15:00Z");
        assert_eq!(next("0 3 * * *", None, now), Ok(at("2026-12-07T03:00:00Z")));
        assert_eq!(
            next("*/15 * * * *", None, now),
            Ok(at("2026-12-06T10:30:00Z"))
        );
        assert_eq!(next("@hourly", None, now), Ok(at("2026-12-06T11:00:00Z")));
    }

    #[test]
    fn next_follows_the_cronjobs_time_zone() {
        let now = at("2026-12-06T10:15:00Z");
        // 03:00 in São Paulo (UTC-3, no daylight saving since 2019) is 06:00 UTC.
        assert_eq!(
            next("0 3 * * *", Some("America/Sao_Paulo"), now),
            Ok(at("2026-12-07T06:00:00Z"))
        );
        assert_eq!(
            local(at("2026-12-07T06:00:00Z"), Some("America/Sao_Paulo")),
            "2026-12-07 03:00 -03"
        );
    }

    #[test]
    fn day_of_month_or_day_of_week_as_vixie_cron() {
        // 2026-12-06 is a Sunday: "the 1st, or any Monday" runs next on Monday the 7th.
        let now = at("2026-12-06T10:15:00Z");
        assert_eq!(next("0 0 1 * 1", None, now), Ok(at("2026-12-07T00:00:00Z")));
    }

    #[test]
    fn bad_schedules_and_zones_are_named() {
        let now = at("2026-12-06T10:15:00Z");
        assert!(matches!(
            next("0 3 * *", None, now),
            Err(NoNext::BadSchedule(_))
        ));
        assert_eq!(
            next("0 3 * * *", Some("Mars/Olympus"), now),
            Err(NoNext::BadZone("Mars/Olympus".into()))
        );
        assert_eq!(next_words("0 3 * * *", None, true, now), "<suspended>");
    }
}
