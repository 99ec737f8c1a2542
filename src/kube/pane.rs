//! The detail pane's model: a few structured lines about the selected object — for a pod its
//! containers (state, reason, exit code, restarts, requests/limits), conditions and latest
//! events — each with a glyph and words, so the meaning survives a monochrome terminal.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::age::human_duration;
use super::describe::{describe, reason_tone, toned_lines};
use super::kinds::ResourceKind;
use super::object_events::ObjectEvent;
use super::text::{TextLine, Tone};

/// Events shown in the pane; older ones are in the describe view.
pub const PANE_EVENTS: usize = 10;

const EMPTY: &[Value] = &[];

/// The pane's lines for `object`: the pod's own model, or the describe text for other kinds.
pub fn detail_lines(
    kind: ResourceKind,
    object: &Value,
    events: &Result<Vec<ObjectEvent>, String>,
    now: DateTime<Utc>,
) -> Vec<TextLine> {
    match kind {
        ResourceKind::Pod => pod_lines(object, events, now),
        _ => toned_lines(&describe(kind, object, events, now)),
    }
}

/// The pod's summary, containers, conditions and latest events.
pub fn pod_lines(
    pod: &Value,
    events: &Result<Vec<ObjectEvent>, String>,
    now: DateTime<Utc>,
) -> Vec<TextLine> {
    let mut lines = Vec::new();
    let mut summary = vec![format!("Status: {}", text(pod, "/status/phase"))];
    for (label, pointer) in [
        ("Reason", "/status/reason"),
        ("Node", "/spec/nodeName"),
        ("IP", "/status/podIP"),
    ] {
        let value = text(pod, pointer);
        if !value.is_empty() {
            summary.push(format!("{label}: {value}"));
        }
    }
    if let Some(age) = since(text(pod, "/metadata/creationTimestamp"), now) {
        summary.push(format!("Age: {age}"));
    }
    if !text(pod, "/metadata/deletionTimestamp").is_empty() {
        summary.push("Terminating".into());
    }
    lines.push(TextLine::plain(summary.join("  ")));

    for (title, specs, statuses) in [
        (
            "Init Containers",
            "/spec/initContainers",
            "/status/initContainerStatuses",
        ),
        (
            "Containers",
            "/spec/containers",
            "/status/containerStatuses",
        ),
    ] {
        let specs = array(pod, specs);
        if specs.is_empty() {
            continue;
        }
        lines.push(TextLine::new(title, Tone::Heading));
        let statuses = array(pod, statuses);
        for spec in specs {
            let name = text(spec, "/name");
            let status = statuses.iter().find(|s| text(s, "/name") == name);
            container_lines(&mut lines, spec, status, now);
        }
    }

    let conditions = array(pod, "/status/conditions");
    if !conditions.is_empty() {
        lines.push(TextLine::new("Conditions", Tone::Heading));
        let all_true = conditions.iter().all(|c| text(c, "/status") == "True");
        let words: Vec<String> = conditions
            .iter()
            .map(|c| {
                let (glyph, status) = match text(c, "/status") {
                    "True" => ("✓", String::new()),
                    other => ("✖", format!("={other}")),
                };
                let reason = match text(c, "/reason") {
                    "" => String::new(),
                    r => format!(" ({r})"),
                };
                format!("{glyph} {}{status}{reason}", text(c, "/type"))
            })
            .collect();
        let tone = if all_true { Tone::Good } else { Tone::Warning };
        lines.push(TextLine::new(format!("  {}", words.join("  ")), tone));
    }
    event_lines(&mut lines, events, now);
    lines
}

/// One container: state line, last termination, requests/limits.
fn container_lines(
    lines: &mut Vec<TextLine>,
    spec: &Value,
    status: Option<&Value>,
    now: DateTime<Utc>,
) {
    let name = text(spec, "/name");
    let Some(status) = status else {
        lines.push(TextLine::new(
            format!("  … {name}  not started"),
            Tone::Pending,
        ));
        return;
    };
    let ready = status.get("ready").and_then(Value::as_bool) == Some(true);
    let restarts = status
        .get("restartCount")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let state = status.get("state").unwrap_or(&Value::Null);
    let (glyph, words, tone) = if let Some(running) = state.get("running") {
        let started = since(text(running, "/startedAt"), now)
            .map(|s| format!(" for {s}"))
            .unwrap_or_default();
        if ready {
            ("✓", format!("Running{started}, ready"), Tone::Good)
        } else {
            ("!", format!("Running{started}, not ready"), Tone::Warning)
        }
    } else if let Some(waiting) = state.get("waiting") {
        let reason = text(waiting, "/reason");
        let tone = match reason_tone(reason) {
            Tone::Plain => Tone::Pending,
            t => t,
        };
        let glyph = if tone == Tone::Failing { "✖" } else { "…" };
        (glyph, format!("Waiting: {}", or_dash(reason)), tone)
    } else if let Some(t) = state.get("terminated") {
        let (glyph, tone) = termination_look(t);
        (
            glyph,
            format!("Terminated: {}", termination_words(t, now)),
            tone,
        )
    } else {
        ("…", "Waiting".to_string(), Tone::Pending)
    };
    let restarts_tone = if restarts > 0 && tone == Tone::Good {
        Tone::Warning
    } else {
        tone
    };
    lines.push(TextLine::new(
        format!("  {glyph} {name}  {words}  Restarts: {restarts}"),
        restarts_tone,
    ));
    if let Some(t) = status.pointer("/lastState/terminated") {
        let (glyph, tone) = termination_look(t);
        lines.push(TextLine::new(
            format!(
                "    {glyph} Last State: Terminated, {}",
                termination_words(t, now)
            ),
            tone,
        ));
    }
    let resources = ["requests", "limits"]
        .iter()
        .filter_map(|key| {
            let values = spec.pointer(&format!("/resources/{key}"))?.as_object()?;
            let mut pairs: Vec<String> = values
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{k}={}",
                        v.as_str().map_or_else(|| v.to_string(), str::to_string)
                    )
                })
                .collect();
            pairs.sort();
            let title = if *key == "requests" {
                "Requests"
            } else {
                "Limits"
            };
            Some(format!("{title}: {}", pairs.join(" ")))
        })
        .collect::<Vec<_>>();
    let resources = if resources.is_empty() {
        "Requests/Limits: none".to_string()
    } else {
        resources.join("  ")
    };
    lines.push(TextLine::plain(format!("    {resources}")));
}

/// Glyph and tone of a terminated state: OOM kill, failure, or a clean exit.
fn termination_look(t: &Value) -> (&'static str, Tone) {
    let code = t.get("exitCode").and_then(Value::as_i64).unwrap_or(0);
    match (text(t, "/reason"), code) {
        ("OOMKilled", _) => ("M", Tone::Oom),
        (_, 0) => ("✓", Tone::Plain),
        _ => ("✖", Tone::Failing),
    }
}

/// `Reason: OOMKilled, Exit Code: 137, 3m ago`.
fn termination_words(t: &Value, now: DateTime<Utc>) -> String {
    let code = t.get("exitCode").and_then(Value::as_i64).unwrap_or(0);
    let mut words = format!("Reason: {}, Exit Code: {code}", or_dash(text(t, "/reason")));
    if let Some(signal) = t.get("signal").and_then(Value::as_i64).filter(|s| *s > 0) {
        words.push_str(&format!(", Signal: {signal}"));
    }
    if let Some(ago) = since(text(t, "/finishedAt"), now) {
        words.push_str(&format!(", {ago} ago"));
    }
    let message = text(t, "/message");
    if !message.is_empty() {
        words.push_str(&format!(", Message: {}", message.replace('\n', " ")));
    }
    words
}

fn event_lines(
    lines: &mut Vec<TextLine>,
    events: &Result<Vec<ObjectEvent>, String>,
    now: DateTime<Utc>,
) {
    match events {
        Ok(events) if events.is_empty() => lines.push(TextLine::new("Events: none", Tone::Heading)),
        Ok(events) => {
            let skip = events.len().saturating_sub(PANE_EVENTS);
            let title = if skip > 0 {
                format!("Events (last {PANE_EVENTS} of {})", events.len())
            } else {
                "Events".to_string()
            };
            lines.push(TextLine::new(title, Tone::Heading));
            for e in events.iter().skip(skip) {
                let (glyph, tone) = if e.is_warning() {
                    ("!", Tone::Warning)
                } else {
                    (" ", Tone::Plain)
                };
                lines.push(TextLine::new(
                    format!(
                        "  {glyph} {:<7} {}  {}  {}: {}",
                        e.type_,
                        e.age_cell(now),
                        e.reason,
                        e.source,
                        e.message
                    ),
                    tone,
                ));
            }
        }
        Err(sentence) => lines.push(TextLine::new(format!("Events: {sentence}"), Tone::Warning)),
    }
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn array<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(EMPTY, Vec::as_slice)
}

fn or_dash(text: &str) -> &str {
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

fn since(value: &str, now: DateTime<Utc>) -> Option<String> {
    let at = DateTime::parse_from_rfc3339(value).ok()?;
    Some(human_duration(now.signed_duration_since(at)))
}
