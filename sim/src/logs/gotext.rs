//! Go-compatible parsing of `pods/log` query values, so a bad value is refused with the very
//! message a real API server (written in Go) would send: `strconv.ParseInt: ...` and
//! `parsing time ... as ...`.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Go's `strconv.Quote`, enough for query values: escapes quotes, backslashes and control bytes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `strconv.ParseInt(s, 10, 64)` with Go's error text.
pub fn parse_int64(s: &str) -> Result<i64, String> {
    // Rust accepts the same syntax as Go for base 10 (optional sign, digits only).
    s.parse::<i64>().map_err(|e| {
        let why = match e.kind() {
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                "value out of range"
            }
            _ => "invalid syntax",
        };
        format!("strconv.ParseInt: parsing {}: {why}", quote(s))
    })
}

const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

/// Where and why an RFC 3339 value failed, mirroring Go's `time.ParseError`.
struct Fail {
    layout_elem: &'static str,
    value_elem: String,
    message: Option<String>,
}

fn bad(layout_elem: &'static str, rest: &str) -> Fail {
    Fail {
        layout_elem,
        value_elem: rest.to_string(),
        message: None,
    }
}

fn range(what: &str, rest: &str) -> Fail {
    Fail {
        layout_elem: "",
        value_elem: rest.to_string(),
        message: Some(format!(": {what} out of range")),
    }
}

/// `time.Parse(time.RFC3339, s)` with Go's error text (`metav1.Time.UnmarshalQueryParameter`).
pub fn parse_rfc3339(s: &str) -> Result<DateTime<Utc>, String> {
    parse_fields(s).map_err(|f| match f.message {
        Some(m) => format!("parsing time {}{m}", quote(s)),
        None => format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(s),
            quote(LAYOUT),
            quote(&f.value_elem),
            quote(f.layout_elem)
        ),
    })
}

/// Reads `n` digits (Go `getnum` with fixed width); `flexible` allows one digit like Go's `15`.
fn digits<'a>(
    v: &'a str,
    n: usize,
    flexible: bool,
    elem: &'static str,
) -> Result<(u32, &'a str), Fail> {
    let b = v.as_bytes();
    let count = b.iter().take(n).take_while(|c| c.is_ascii_digit()).count();
    if count == n || (flexible && count >= 1) {
        let num = v[..count].parse::<u32>().map_err(|_| bad(elem, v))?;
        Ok((num, &v[count..]))
    } else {
        Err(bad(elem, v))
    }
}

fn literal<'a>(v: &'a str, lit: &'static str) -> Result<&'a str, Fail> {
    v.strip_prefix(lit).ok_or_else(|| bad(lit, v))
}

fn parse_fields(s: &str) -> Result<DateTime<Utc>, Fail> {
    let (year, v) = digits(s, 4, false, "2006")?;
    let v = literal(v, "-")?;
    let (month, rest) = digits(v, 2, false, "01")?;
    if !(1..=12).contains(&month) {
        return Err(range("month", rest));
    }
    let v = literal(rest, "-")?;
    let (day, v) = digits(v, 2, false, "02")?;
    let v = literal(v, "T")?;
    let (hour, rest) = digits(v, 2, true, "15")?;
    if hour >= 24 {
        return Err(range("hour", rest));
    }
    let v = literal(rest, ":")?;
    let (minute, rest) = digits(v, 2, false, "04")?;
    if minute >= 60 {
        return Err(range("minute", rest));
    }
    let v = literal(rest, ":")?;
    let (second, rest) = digits(v, 2, false, "05")?;
    if second >= 60 {
        return Err(range("second", rest));
    }
    let (nanos, v) = fraction(rest);
    let (offset, v) = zone(v)?;
    if !v.is_empty() {
        return Err(Fail {
            layout_elem: "",
            value_elem: v.to_string(),
            message: Some(format!(": extra text: {}", quote(v))),
        });
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| range("day", v))?;
    let naive = date
        .and_hms_nano_opt(hour, minute, second, nanos)
        .ok_or_else(|| range("second", v))?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| range("day", v))
}

/// Go accepts fractional seconds after `05` even though the layout has none.
fn fraction(v: &str) -> (u32, &str) {
    let b = v.as_bytes();
    if b.len() < 2 || !(b[0] == b'.' || b[0] == b',') || !b[1].is_ascii_digit() {
        return (0, v);
    }
    let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let frac = &v[1..n];
    let mut nanos: u32 = 0;
    for (i, c) in frac.bytes().take(9).enumerate() {
        nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
    }
    (nanos, &v[n..])
}

fn zone(v: &str) -> Result<(FixedOffset, &str), Fail> {
    if let Some(rest) = v.strip_prefix('Z') {
        return Ok((
            FixedOffset::east_opt(0).ok_or_else(|| bad("Z07:00", v))?,
            rest,
        ));
    }
    // Byte-checked slicing: the value is arbitrary user input and may hold multi-byte chars.
    let b = v.as_bytes();
    let sign_ok = b.first().is_some_and(|c| *c == b'+' || *c == b'-');
    let (Some(hh), Some(mm), Some(rest)) = (v.get(1..3), v.get(4..6), v.get(6..)) else {
        return Err(bad("Z07:00", v));
    };
    if !sign_ok || b.get(3) != Some(&b':') {
        return Err(bad("Z07:00", v));
    }
    let (hh, _) = digits(hh, 2, false, "Z07:00").map_err(|_| bad("Z07:00", v))?;
    let (mm, _) = digits(mm, 2, false, "Z07:00").map_err(|_| bad("Z07:00", v))?;
    if hh > 24 {
        return Err(range("time zone offset hour", rest));
    }
    if mm > 60 {
        return Err(range("time zone offset minute", rest));
    }
    let secs = (hh * 3600 + mm * 60) as i32;
    let secs = if b[0] == b'-' { -secs } else { secs };
    let off = FixedOffset::east_opt(secs).ok_or_else(|| bad("Z07:00", v))?;
    Ok((off, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_errors_match_go() {
        assert_eq!(parse_int64("12"), Ok(12));
        assert_eq!(
            parse_int64("abc").unwrap_err(),
            "strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            parse_int64("99999999999999999999").unwrap_err(),
            "strconv.ParseInt: parsing \"99999999999999999999\": value out of range"
        );
    }

    #[test]
    fn time_errors_match_go() {
        // Multi-byte input must be refused, not sliced mid-character.
        assert!(parse_rfc3339("2024-01-02T10:00:00+00:0\u{e9}").is_err());
        assert!(parse_rfc3339("2024-01-02T10:00:00+\u{20ac}:00").is_err());
        assert!(parse_rfc3339("\u{e9}\u{e9}\u{e9}").is_err());
        assert_eq!(
            parse_rfc3339("abc").unwrap_err(),
            "parsing time \"abc\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"abc\" as \"2006\""
        );
        assert_eq!(
            parse_rfc3339("2024-01-02 10:00:00").unwrap_err(),
            "parsing time \"2024-01-02 10:00:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 10:00:00\" as \"T\""
        );
        assert_eq!(
            parse_rfc3339("2024-13-02T10:00:00Z").unwrap_err(),
            "parsing time \"2024-13-02T10:00:00Z\": month out of range"
        );
        assert_eq!(
            parse_rfc3339("2024-01-02T10:00:00Zx").unwrap_err(),
            "parsing time \"2024-01-02T10:00:00Zx\": extra text: \"x\""
        );
        let t = parse_rfc3339("2024-01-02T10:00:00.5-03:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-01-02T13:00:00.500+00:00");
    }
}
