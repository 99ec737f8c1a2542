//! `GET /api/v1/namespaces/{ns}/pods/{name}/log`: option parsing and validation with the API
//! server's wording, the kubelet's choice of which container instance to read, and a generated
//! but deterministic log for the Protheus-like services the scenarios run.

mod content;
mod erp;
mod gotext;
mod stream;
#[cfg(test)]
mod tests;
mod timeline;
mod util;
mod web;

use crate::error::ApiError;
use crate::scenario::{LOG_LINES, LOG_LINES_EVERY};
use chrono::{DateTime, Utc};
use content::{Ctx, Ending, Kind};
use futures::stream::{BoxStream, StreamExt};
use serde_json::{json, Value};
use std::sync::Arc;
use timeline::Timeline;
use util::{hash, to_nanos, NANOS};

/// A real kubelet serves the current log file only (rotated at 10 MiB); capping the history
/// keeps long-running pods cheap and looks the same to a reader.
const HISTORY_CAP: usize = 10_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogOpts {
    pub container: Option<String>,
    pub follow: bool,
    pub previous: bool,
    pub tail_lines: Option<i64>,
    pub since_seconds: Option<i64>,
    pub since_time: Option<DateTime<Utc>>,
    pub timestamps: bool,
    pub limit_bytes: Option<i64>,
}

impl LogOpts {
    /// From the query string pairs. Like the API server's parameter codec: the first value of a
    /// key wins, unknown keys are ignored, booleans are false only for "false"/"0", and numbers
    /// or times that do not parse are a 400 with Go's parser message.
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let first = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let flag =
            |key: &str| first(key).is_some_and(|v| v != "0" && !v.eq_ignore_ascii_case("false"));
        let int = |key: &str| -> Result<Option<i64>, ApiError> {
            first(key)
                .map(gotext::parse_int64)
                .transpose()
                .map_err(ApiError::bad_request)
        };
        let container = first("container")
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let (follow, previous) = (flag("follow"), flag("previous"));
        // Same order as the generated conversion, so the first bad field reported matches.
        let since_seconds = int("sinceSeconds")?;
        let since_time = match first("sinceTime") {
            None | Some("") | Some("null") => None,
            Some(v) => Some(gotext::parse_rfc3339(v).map_err(ApiError::bad_request)?),
        };
        let timestamps = flag("timestamps");
        let tail_lines = int("tailLines")?;
        let limit_bytes = int("limitBytes")?;
        Ok(LogOpts {
            container,
            follow,
            previous,
            tail_lines,
            since_seconds,
            since_time,
            timestamps,
            limit_bytes,
        })
    }

    /// `ValidatePodLogOptions`: a 422 naming the pod, checked before the pod is looked at.
    pub fn validate(&self, pod_name: &str) -> Result<(), ApiError> {
        let mut errs: Vec<(&str, &str, String)> = Vec::new();
        if let Some(n) = self.tail_lines.filter(|n| *n < 0) {
            errs.push((
                "FieldValueInvalid",
                "tailLines",
                format!("Invalid value: {n}: must be greater than or equal to 0"),
            ));
        }
        if let Some(n) = self.limit_bytes.filter(|n| *n < 1) {
            errs.push((
                "FieldValueInvalid",
                "limitBytes",
                format!("Invalid value: {n}: must be greater than 0"),
            ));
        }
        match (self.since_seconds, self.since_time) {
            (Some(_), Some(_)) => errs.push((
                "FieldValueForbidden",
                "",
                "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
                    .to_string(),
            )),
            (Some(n), None) if n < 1 => errs.push((
                "FieldValueInvalid",
                "sinceSeconds",
                format!("Invalid value: {n}: must be greater than 0"),
            )),
            _ => {}
        }
        if errs.is_empty() {
            return Ok(());
        }
        Err(invalid_options(pod_name, &errs))
    }
}

/// `errors.NewInvalid(Kind("PodLogOptions"), name, errs)`: one error is shown bare, several as
/// Go prints an aggregate (`[a, b]`).
fn invalid_options(pod_name: &str, errs: &[(&str, &str, String)]) -> ApiError {
    let shown: Vec<String> = errs.iter().map(|(_, f, m)| format!("{f}: {m}")).collect();
    let joined = if shown.len() == 1 {
        shown.join("")
    } else {
        format!("[{}]", shown.join(", "))
    };
    let causes: Vec<Value> = errs
        .iter()
        .map(|(r, f, m)| json!({"reason": r, "message": m, "field": f}))
        .collect();
    ApiError::new(
        422,
        "Invalid",
        format!("PodLogOptions \"{pod_name}\" is invalid: {joined}"),
    )
    .with_details(json!({"name": pod_name, "group": "", "kind": "PodLogOptions", "causes": causes}))
}

/// Checks the request against the pod and returns the bytes to send: the history already
/// written, then (following a running container) new lines as they are "written" until `alive`
/// turns false. `rate` > 0 replaces the natural pace by `rate` numbered lines per second.
pub fn log_stream(
    pod: &Value,
    opts: &LogOpts,
    rate: u32,
    now: DateTime<Utc>,
    alive: Arc<dyn Fn() -> bool + Send + Sync>,
) -> Result<BoxStream<'static, bytes::Bytes>, ApiError> {
    let name = str_at(pod, "/metadata/name");
    opts.validate(name)?;
    let container = select_container(pod, opts.container.as_deref())?;
    // An unscheduled pod has no kubelet to ask: the API server answers 200 with an empty body.
    if str_at(pod, "/spec/nodeName").is_empty() {
        return Ok(futures::stream::empty().boxed());
    }
    let inst = pick_instance(pod, &container, opts.previous)?;
    let now_n = to_nanos(now);
    let ctx = context(pod, &container, &inst);
    let timeline = Timeline::new(ctx, inst.seed);
    let since = since_nanos(opts, now_n);
    let until = inst.end.map_or(now_n, |(e, _)| e.min(now_n));
    let max = opts
        .tail_lines
        .map_or(HISTORY_CAP, |t| (t.max(0) as usize).min(HISTORY_CAP));
    let lines = if max == 0 {
        Vec::new()
    } else {
        timeline.history(until, max, since.unwrap_or(i64::MIN))
    };
    let limit = opts.limit_bytes.map(|n| n.max(0) as u64);
    let mut out = stream::Out::new(opts.timestamps, since, limit);
    let chunks = stream::history_chunks(lines, &mut out);
    let history = futures::stream::iter(chunks);
    if !opts.follow || out.done || !timeline.running() || opts.previous {
        return Ok(history.boxed());
    }
    let follow = stream::Follow::new(timeline.after(until), out, alive, rate, now_n);
    Ok(history.chain(follow.into_stream()).boxed())
}

fn since_nanos(opts: &LogOpts, now: i64) -> Option<i64> {
    match (opts.since_time, opts.since_seconds) {
        (Some(t), _) => Some(to_nanos(t)),
        (None, Some(s)) => Some(now.saturating_sub(s.saturating_mul(NANOS))),
        (None, None) => None,
    }
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

fn names(pod: &Value, list: &str) -> Vec<String> {
    let items = pod
        .pointer(&format!("/spec/{list}"))
        .and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .map(|c| str_at(c, "/name").to_string())
        .collect()
}

/// The API server's `validateContainer`: default to the only container, list all otherwise
/// (init, regular, ephemeral — the order `VisitContainers` walks them).
fn select_container(pod: &Value, wanted: Option<&str>) -> Result<String, ApiError> {
    let name = str_at(pod, "/metadata/name");
    let regular = names(pod, "containers");
    let all: Vec<String> = names(pod, "initContainers")
        .into_iter()
        .chain(regular.iter().cloned())
        .chain(names(pod, "ephemeralContainers"))
        .collect();
    match wanted {
        Some(c) if all.iter().any(|n| n == c) => Ok(c.to_string()),
        Some(c) => Err(ApiError::bad_request(format!(
            "container {c} is not valid for pod {name}"
        ))),
        None if regular.len() == 1 => Ok(regular[0].clone()),
        None if regular.is_empty() => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}"
        ))),
        None => Err(ApiError::bad_request(format!(
            "a container name must be specified for pod {name}, choose one of: [{}]",
            all.join(" ")
        ))),
    }
}

/// Which run of the container is read, when it started and how it ended.
#[derive(Debug)]
struct Instance {
    seed: u64,
    start: i64,
    end: Option<(i64, Ending)>,
}

fn find_status<'a>(pod: &'a Value, container: &str) -> Option<&'a Value> {
    [
        "containerStatuses",
        "initContainerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .find_map(|list| {
        pod.pointer(&format!("/status/{list}"))
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|s| str_at(s, "/name") == container))
    })
}

/// A terminated state the kubelet can read logs from. Scenario pods may omit `containerID`;
/// only an explicitly empty one means "never created", as on a real node.
fn readable(term: Option<&Value>) -> Option<&Value> {
    term.filter(|t| t.is_object() && t.get("containerID").and_then(Value::as_str) != Some(""))
}

/// The kubelet's `validateContainerLogStatus`, with its messages.
fn pick_instance(pod: &Value, container: &str, previous: bool) -> Result<Instance, ApiError> {
    let name = str_at(pod, "/metadata/name");
    let err = |what: String| {
        ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" {what}"
        ))
    };
    let status = find_status(pod, container).ok_or_else(|| err("is not available".into()))?;
    let restarts = status
        .get("restartCount")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let last = readable(status.pointer("/lastState/terminated"));
    let state = status.get("state").unwrap_or(&Value::Null);
    if previous {
        let t = last.ok_or_else(|| {
            ApiError::bad_request(format!(
                "previous terminated container \"{container}\" in pod \"{name}\" not found"
            ))
        })?;
        return Ok(ended(pod, container, t, restarts - 1));
    }
    if let Some(r) = state.get("running").filter(|r| r.is_object()) {
        let start = time_at(r, "/startedAt").unwrap_or_else(|| fallback_start(pod));
        let seed = seed_for(pod, container, str_at(status, "/containerID"), restarts);
        return Ok(Instance {
            seed,
            start,
            end: None,
        });
    }
    if let Some(t) = state.get("terminated").filter(|t| t.is_object()) {
        return match (readable(Some(t)), last) {
            (Some(t), _) => Ok(ended(pod, container, t, restarts)),
            (None, Some(l)) => Ok(ended(pod, container, l, restarts - 1)),
            (None, None) => Err(err("is terminated".into())),
        };
    }
    if let Some(l) = status
        .pointer("/lastState/terminated")
        .filter(|t| t.is_object())
    {
        // CrashLoopBackOff: the kubelet serves the log of the run that just died.
        return readable(Some(l))
            .map(|l| ended(pod, container, l, restarts - 1))
            .ok_or_else(|| err("is terminated".into()));
    }
    match state.pointer("/waiting/reason").and_then(Value::as_str) {
        Some("ErrImagePull") => Err(err("is waiting to start: image can't be pulled".into())),
        Some("ImagePullBackOff") => Err(err(
            "is waiting to start: trying and failing to pull image".into(),
        )),
        Some(reason) => Err(err(format!("is waiting to start: {reason}"))),
        None if state.get("waiting").is_some() => Err(err("is waiting to start: ".into())),
        None => Err(err("is waiting to start - no logs yet".into())),
    }
}

fn ended(pod: &Value, container: &str, t: &Value, run: i64) -> Instance {
    let start = time_at(t, "/startedAt").unwrap_or_else(|| fallback_start(pod));
    let end = time_at(t, "/finishedAt")
        .unwrap_or(start + 30 * NANOS)
        .max(start);
    let code = t.get("exitCode").and_then(Value::as_i64).unwrap_or(1);
    let ending = Ending::from_status(str_at(t, "/reason"), code);
    let seed = seed_for(pod, container, str_at(t, "/containerID"), run);
    Instance {
        seed,
        start,
        end: Some((end, ending)),
    }
}

/// Same pod, container and run give the same log; the container ID pins the run when present
/// so `--previous` and a crash-looping container's default log agree.
fn seed_for(pod: &Value, container: &str, container_id: &str, run: i64) -> u64 {
    let run_key = if container_id.is_empty() {
        format!("run-{}", run.max(0))
    } else {
        container_id.to_string()
    };
    hash(&[pod_key(pod), container, &run_key])
}

fn pod_key(pod: &Value) -> &str {
    let uid = str_at(pod, "/metadata/uid");
    if uid.is_empty() {
        str_at(pod, "/metadata/name")
    } else {
        uid
    }
}

fn time_at(v: &Value, ptr: &str) -> Option<i64> {
    let s = v.pointer(ptr).and_then(Value::as_str)?;
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| to_nanos(t.with_timezone(&Utc)))
}

fn fallback_start(pod: &Value) -> i64 {
    time_at(pod, "/status/startTime")
        .or_else(|| time_at(pod, "/metadata/creationTimestamp"))
        .unwrap_or(0)
}

fn context(pod: &Value, container: &str, inst: &Instance) -> Ctx {
    let kind = kind_of(pod, container);
    let default_mb = if kind == Kind::AppServer { 2048 } else { 1024 };
    Ctx {
        kind,
        ns: str_at(pod, "/metadata/namespace").to_string(),
        pod: str_at(pod, "/metadata/name").to_string(),
        family: hash(&[pod_key(pod), container]),
        mem_limit_mb: spec_of(pod, container)
            .and_then(memory_limit_mb)
            .unwrap_or(default_mb),
        start: inst.start,
        end: inst.end,
        extra_lines: extra_lines(pod, kind),
        extra_every: annotation(pod, LOG_LINES_EVERY)
            .parse::<i64>()
            .ok()
            .filter(|s| *s > 0)
            .map(|s| s.saturating_mul(NANOS)),
    }
}

fn annotation<'a>(pod: &'a Value, key: &str) -> &'a str {
    str_at(
        pod,
        &format!("/metadata/annotations/{}", key.replace('/', "~1")),
    )
}

/// The `sim.kterm.io/log-lines` annotation split into lines: one trailing newline (a YAML block
/// scalar ends with one) is not an empty last line. Init containers run setup scripts, not the
/// program that writes these lines.
fn extra_lines(pod: &Value, kind: Kind) -> Vec<String> {
    let value = annotation(pod, LOG_LINES);
    if kind == Kind::Init || value.is_empty() {
        return Vec::new();
    }
    let value = value.strip_suffix('\n').unwrap_or(value);
    value.split('\n').map(str::to_string).collect()
}

fn spec_of<'a>(pod: &'a Value, container: &str) -> Option<&'a Value> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .find_map(|list| {
            pod.pointer(&format!("/spec/{list}"))
                .and_then(Value::as_array)
                .and_then(|a| a.iter().find(|c| str_at(c, "/name") == container))
        })
}

/// Init containers print init-script lines; otherwise the container's own name or image says
/// what it runs, and the pod's `app` label covers main containers with neutral names.
fn kind_of(pod: &Value, container: &str) -> Kind {
    if names(pod, "initContainers").iter().any(|n| n == container) {
        return Kind::Init;
    }
    let image = spec_of(pod, container).map_or("", |c| str_at(c, "/image"));
    let image_name = image.rsplit('/').next().unwrap_or(image);
    let is_main = names(pod, "containers")
        .first()
        .is_some_and(|n| n == container);
    let labels = [
        "/metadata/labels/app",
        "/metadata/labels/app.kubernetes.io~1name",
        "/metadata/labels/job-name",
    ];
    let label_kind = || labels.iter().find_map(|p| Kind::from_word(str_at(pod, p)));
    Kind::from_word(container)
        .or_else(|| Kind::from_word(image_name.split(':').next().unwrap_or("")))
        .or_else(|| if is_main { label_kind() } else { None })
        .unwrap_or(Kind::Generic)
}

/// `resources.limits.memory` in MiB (Ki/Mi/Gi and decimal k/M/G suffixes, or plain bytes).
fn memory_limit_mb(spec: &Value) -> Option<u64> {
    let q = str_at(spec, "/resources/limits/memory");
    let split = q
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(q.len());
    let (num, unit) = q.split_at(split);
    let n: f64 = num.parse().ok()?;
    let bytes = match unit {
        "" => n,
        "Ki" => n * 1024.0,
        "Mi" => n * 1024.0 * 1024.0,
        "Gi" => n * 1024.0 * 1024.0 * 1024.0,
        "Ti" => n * 1024f64.powi(4),
        "k" => n * 1e3,
        "M" => n * 1e6,
        "G" => n * 1e9,
        _ => return None,
    };
    let mb = (bytes / (1024.0 * 1024.0)) as u64;
    (mb > 0).then_some(mb)
}
