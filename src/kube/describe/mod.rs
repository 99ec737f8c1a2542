//! `kubectl describe`-like text from an object's JSON: the Pod as kubectl prints it, any other
//! kind with kubectl's generic describer (metadata, then every spec/status field), and the
//! object's events. Pure: the clock comes in as `now`.

mod container;
mod generic;
mod pod;
mod tabwriter;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::kinds::ResourceKind;
use super::object_events::ObjectEvent;
use super::text::{TextLine, Tone};

/// kubectl's limit for an annotation on one line; longer values are cut.
const MAX_ANNOTATION: usize = 140;
/// Annotations kubectl describe leaves out.
const SKIPPED_ANNOTATIONS: [&str; 1] = ["kubectl.kubernetes.io/last-applied-configuration"];

/// The describe text of `object`, a `kind`, with its events (`Err` says why they are missing).
pub fn describe(
    kind: ResourceKind,
    object: &Value,
    events: &Result<Vec<ObjectEvent>, String>,
    now: DateTime<Utc>,
) -> String {
    let mut w = Writer::default();
    match kind {
        ResourceKind::Pod => pod::describe(&mut w, object, now),
        ResourceKind::CronJob => {
            generic::describe(&mut w, object);
            schedule_times(&mut w, object, now);
        }
        _ => generic::describe(&mut w, object),
    }
    // kubectl flushes its tabwriter before the events table; the table's heading line has no
    // tab, which ends every column block just the same, so one pass aligns both alike.
    write_events(&mut w, events, now);
    tabwriter::align(&w.text)
}

/// A CronJob's last and next run in its own time zone (else UTC, the controller's), which
/// the generic fields (UTC, no next run) do not give.
fn schedule_times(w: &mut Writer, object: &Value, now: DateTime<Utc>) {
    use crate::kube::age::human_duration;
    use crate::kube::schedule;
    let zone = object
        .pointer("/spec/timeZone")
        .and_then(Value::as_str)
        .filter(|z| !z.is_empty());
    w.write(0, &format!("Schedule Times ({}):\n", zone.unwrap_or("UTC")));
    let last = DateTime::parse_from_rfc3339(text(object, "/status/lastScheduleTime"))
        .map(|t| t.with_timezone(&Utc));
    let last = match last {
        Ok(at) => format!(
            "{} ({} ago)",
            schedule::local(at, zone),
            human_duration(now.signed_duration_since(at))
        ),
        Err(_) => "<none>".to_string(),
    };
    w.field(1, "Last", &last);
    let suspended = object.pointer("/spec/suspend") == Some(&Value::Bool(true));
    let spec = text(object, "/spec/schedule");
    let next = match schedule::next(spec, zone, now) {
        Ok(at) if !suspended => format!(
            "{} (in {})",
            schedule::local(at, zone),
            human_duration(at.signed_duration_since(now))
        ),
        _ => schedule::next_words(spec, zone, suspended, now),
    };
    w.field(1, "Next", &next);
}

/// The describe text as lines with a tone each, for the text view's colours.
pub fn toned_lines(text: &str) -> Vec<TextLine> {
    let mut in_events = false;
    text.lines()
        .map(|line| {
            if line.starts_with("Events:") {
                in_events = true;
            }
            let trimmed = line.trim_start();
            let tone = if !line.starts_with(' ') && line.ends_with(':') {
                Tone::Heading
            } else if in_events && trimmed.starts_with("Warning ") {
                Tone::Warning
            } else if trimmed.starts_with("Reason:") || trimmed.starts_with("State:") {
                reason_tone(trimmed.split_whitespace().nth(1).unwrap_or_default())
            } else if trimmed.starts_with("Ready:") && trimmed.ends_with("False") {
                Tone::Warning
            } else {
                Tone::Plain
            };
            TextLine::new(line, tone)
        })
        .collect()
}

/// The tone of a container state reason: an OOM kill, a failure, waiting, or nothing special.
pub fn reason_tone(reason: &str) -> Tone {
    match reason {
        "OOMKilled" => Tone::Oom,
        "Error"
        | "CrashLoopBackOff"
        | "ImagePullBackOff"
        | "ErrImagePull"
        | "InvalidImageName"
        | "CreateContainerConfigError"
        | "CreateContainerError"
        | "RunContainerError"
        | "ContainerCannotRun"
        | "DeadlineExceeded"
        | "Evicted"
        | "Failed" => Tone::Failing,
        "ContainerCreating" | "PodInitializing" | "Pending" | "Waiting" => Tone::Pending,
        _ => Tone::Plain,
    }
}

/// kubectl's PrefixWriter: levels are two-space indents; cells are tab-separated.
#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    /// Writes `text` after `level` indents.
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(text);
    }

    /// A `Label:\tvalue` line at `level`; the value is cleaned of tabs and newlines so it
    /// cannot break the columns.
    fn field(&mut self, level: usize, label: &str, value: &str) {
        self.write(level, &format!("{label}:\t{}\n", one_line(value)));
    }
}

/// A value on one line: tabs and line breaks would break the alignment.
fn one_line(value: &str) -> String {
    value.replace(['\t', '\n', '\r'], " ")
}

/// A string field at a JSON pointer, "" if absent.
fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// A JSON scalar as Go's `%v` prints it; "" for null.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An RFC 3339 timestamp as kubectl prints it (RFC 1123 with a numeric zone), in UTC.
fn timestamp(value: &str) -> String {
    DateTime::parse_from_rfc3339(value).map_or_else(
        |_| value.to_string(),
        |t| {
            t.with_timezone(&Utc)
                .format("%a, %d %b %Y %H:%M:%S %z")
                .to_string()
        },
    )
}

/// `Labels:` with one `key=value` per line, sorted, or `<none>`.
fn labels(w: &mut Writer, title: &str, map: Option<&Map<String, Value>>) {
    w.write(0, &format!("{title}:\t"));
    let mut entries: Vec<(&String, String)> = map
        .into_iter()
        .flatten()
        .map(|(k, v)| (k, one_line(&scalar(v))))
        .collect();
    if entries.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    entries.sort();
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{key}={value}\n"));
    }
}

/// `Annotations:` as kubectl prints them: long or multi-line values on their own lines, cut.
fn annotations(w: &mut Writer, map: Option<&Map<String, Value>>) {
    w.write(0, "Annotations:\t");
    let mut entries: Vec<(&String, String)> = map
        .into_iter()
        .flatten()
        .filter(|(k, _)| !SKIPPED_ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k, scalar(v)))
        .collect();
    if entries.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    entries.sort();
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    0,
                    &format!("\t  {}\n", shorten(&one_line(line), MAX_ANNOTATION - 2)),
                );
            }
        } else {
            w.write(0, &format!("{key}: {}\n", one_line(value)));
        }
    }
}

/// kubectl's `shorten`: the first `max` bytes (on a character boundary) and `...`.
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// `Kind/name` of the controlling owner, if any.
fn controlled_by(object: &Value) -> Option<String> {
    object
        .pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|o| format!("{}/{}", text(o, "/kind"), text(o, "/name")))
}

/// kubectl's Events table, or `Events:\t<none>`.
fn write_events(w: &mut Writer, events: &Result<Vec<ObjectEvent>, String>, now: DateTime<Utc>) {
    let events = match events {
        Ok(events) if events.is_empty() => {
            w.write(0, "Events:\t<none>\n");
            return;
        }
        Ok(events) => events,
        Err(sentence) => {
            w.write(
                0,
                &format!("Events:\t<unavailable: {}>\n", one_line(sentence)),
            );
            return;
        }
    };
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in events {
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.type_,
                one_line(&e.reason),
                e.age_cell(now),
                one_line(&e.source),
                one_line(&e.message)
            ),
        );
    }
}

const EMPTY: &[Value] = &[];

/// The object at `pointer`, if it is one.
pub(super) fn map<'a>(value: &'a Value, pointer: &str) -> Option<&'a Map<String, Value>> {
    value.pointer(pointer).and_then(Value::as_object)
}

/// The array at `pointer`; empty when absent.
pub(super) fn array<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(EMPTY, Vec::as_slice)
}

/// A boolean field; absent reads as false.
pub(super) fn flag(value: Option<&Value>) -> bool {
    value.and_then(Value::as_bool).unwrap_or(false)
}
