//! kubectl's human-readable durations (`HumanDuration` in apimachinery), so ages read the same
//! in kterm as in `kubectl get pods`.

use chrono::TimeDelta;

/// Formats a duration the way kubectl prints AGE: `45s`, `3m12s`, `2h5m`, `3d4h`, `2y10d`.
pub fn human_duration(d: TimeDelta) -> String {
    let seconds = d.num_seconds();
    if seconds < -1 {
        // More than the tolerated clock skew: the timestamp is in the future.
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        let dy = days % 365;
        return if dy == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{dy}d")
        };
    }
    format!("{years}y")
}

/// The leading unit of [`human_duration`] (`2m` for `2m20s`, `3d` for `3d4h`): a narrow table
/// keeps the order of magnitude and drops the rest.
pub fn short_duration(d: TimeDelta) -> String {
    let mut text = human_duration(d);
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some(unit) = text.find(|c: char| c.is_ascii_alphabetic()) {
            text.truncate(unit + 1);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{human_duration, short_duration};
    use chrono::TimeDelta;

    #[test]
    fn matches_kubectl() {
        let cases = [
            (-5, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (192, "3m12s"),
            (600, "10m"),
            (3 * 3600 - 1, "179m"),
            (3 * 3600, "3h"),
            (7 * 3600 + 5 * 60, "7h5m"),
            (47 * 3600, "47h"),
            (3 * 86400 + 4 * 3600, "3d4h"),
            (30 * 86400, "30d"),
            (3 * 365 * 86400 + 10 * 86400, "3y10d"),
            (9 * 365 * 86400, "9y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(TimeDelta::seconds(secs)), want, "{secs}s");
        }
    }

    #[test]
    fn short_keeps_the_leading_unit() {
        let cases = [
            (-5, "<invalid>"),
            (45, "45s"),
            (140, "2m"),
            (3 * 86400 + 4 * 3600, "3d"),
        ];
        for (secs, want) in cases {
            assert_eq!(short_duration(TimeDelta::seconds(secs)), want, "{secs}s");
        }
    }
}
