//! What a scenario's incidents left behind before the simulator started: the core/v1 Events a real
//! cluster would still hold about them (its event TTL is an hour), back-dated and counted like the
//! event recorder aggregates them, so `kubectl get events` and `describe` tell the story at once and
//! the incidents' next occurrences bump the same events.

use super::behavior::Behavior;
use super::events::{Past, Source};
use super::kubelet::{backoff, oom_message};
use super::Ctx;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

/// Seconds a restart-history container ran before each failure: `start` in the kubelet puts the
/// current OOM container 60 % into its life and the crash loop's last run 25 s back.
const CRASH_RUN: i64 = 3;
/// Restart back-off the history assumes for an OOM-killed container (the kubelet's, capped at 60 s
/// like its back-dated last state).
fn oom_gap(k: u32) -> i64 {
    backoff(k).min(60)
}

/// How long before the scenario load a pod with this behaviour was created, so its events fit in
/// the hour a cluster keeps them: the restart history, or the time an incident has been going on.
/// None: a pod as old as its owner.
pub fn incident_age(b: &Behavior) -> Option<Duration> {
    let n = b.initial_restarts.max(0) as u32;
    let secs = match b.kind.as_deref() {
        Some("oom") if n > 0 => {
            let oom = b.oom_seconds as i64;
            (oom * 6 / 10) + (0..n).map(|k| oom + oom_gap(k)).sum::<i64>() + 5
        }
        Some("crashloop") if n > 0 => {
            25 + backoff(n - 1).min(60)
                + CRASH_RUN
                + (0..n - 1).map(|k| CRASH_RUN + backoff(k)).sum::<i64>()
                + 5
        }
        Some("image-pull") => 20 * 60,
        Some("unschedulable") => 15 * 60,
        Some("not-ready") => 30 * 60,
        _ => return None,
    };
    Some(Duration::seconds(secs))
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|t| t.parse().ok())
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v["metadata"][key].as_str().unwrap_or_default()
}

/// Emit the history of every pod and Job the scenario loaded.
pub fn seed(ctx: &mut Ctx) {
    let now = Utc::now();
    let horizon = now - Duration::hours(1);
    // One pod at a time, and only its creation time read until it proves recent: a scale
    // scenario's 150,000 pods are never trees at once.
    for e in ctx.cluster.store.entries("pods", None).1 {
        if e.meta.deleting {
            continue;
        }
        let Some(created) = created_at(&e.json).filter(|c| *c >= horizon) else {
            continue;
        };
        pod_history(ctx, &e.value(), created, now);
    }
    for j in ctx.cluster.store.list("jobs", None).1 {
        job_history(ctx, &j.obj, horizon);
    }
}

/// `metadata.creationTimestamp` of a serialized object, without building its tree.
fn created_at(json: &[u8]) -> Option<DateTime<Utc>> {
    #[derive(serde::Deserialize)]
    struct Obj<'a> {
        #[serde(borrow)]
        metadata: Meta<'a>,
    }
    #[derive(serde::Deserialize)]
    struct Meta<'a> {
        #[serde(rename = "creationTimestamp", borrow)]
        created: Option<&'a str>,
    }
    let o: Obj = serde_json::from_slice(json).ok()?;
    DateTime::parse_from_rfc3339(o.metadata.created?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn once(at: DateTime<Utc>) -> Past {
    Past {
        first: at,
        last: at,
        count: 1,
    }
}

fn pod_history(ctx: &mut Ctx, pod: &Value, created: DateTime<Utc>, now: DateTime<Utc>) {
    let (c, rec) = (&ctx.cluster, &mut ctx.rec);
    let (ns, name, uid) = (
        str_of(pod, "namespace"),
        str_of(pod, "name"),
        str_of(pod, "uid"),
    );
    let b = Behavior::of(pod);
    // The owner's controller created the pod.
    if let Some(owner) = pod["metadata"]["ownerReferences"][0].as_object() {
        let key = match owner.get("kind").and_then(Value::as_str) {
            Some("ReplicaSet") => Some(("replicasets", "replicaset-controller")),
            Some("StatefulSet") => Some(("statefulsets", "statefulset-controller")),
            Some("DaemonSet") => Some(("daemonsets", "daemonset-controller")),
            Some("Job") => Some(("jobs", "job-controller")),
            _ => None,
        };
        let oname = owner
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Some(o) = key.and_then(|(k, comp)| Some((c.store.get(k, ns, oname)?, comp))) {
            rec.emit_past(
                c,
                &o.0.obj,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {name}"),
                Source::Controller(o.1),
                once(created),
            );
        }
    }
    if b.is("unschedulable") || pod["spec"]["nodeName"].is_null() {
        let Some(msg) = pod["status"]["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|x| x["type"] == "PodScheduled"))
            .and_then(|x| x["message"].as_str())
        else {
            return;
        };
        // The scheduler retries an unschedulable pod at least every five minutes.
        let mins = (now - created).num_minutes().max(0);
        let last = created + Duration::minutes(mins / 5 * 5);
        let past = Past {
            first: created,
            last,
            count: mins / 5 + 1,
        };
        rec.emit_past(
            c,
            pod,
            "Warning",
            "FailedScheduling",
            msg,
            Source::Scheduler,
            past,
        );
        return;
    }
    let node = pod["spec"]["nodeName"].as_str().unwrap_or_default();
    let scheduled = created + Duration::seconds(1);
    rec.emit_past(
        c,
        pod,
        "Normal",
        "Scheduled",
        &format!("Successfully assigned {ns}/{name} to {node}"),
        Source::Scheduler,
        once(scheduled),
    );
    let first_start = created + Duration::seconds(5);
    let containers: Vec<Value> = pod["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let statuses: Vec<Value> = pod["status"]["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if b.is("image-pull") {
        let image = containers
            .first()
            .and_then(|x| x["image"].as_str())
            .unwrap_or_default();
        // Pull attempts back off 10 s, 20 s, … up to 5 min; in between every pod sync reports
        // the back-off (about every 10 s while waiting).
        let (mut t, mut attempts, mut last_try) = (first_start, 0, first_start);
        while t <= now {
            attempts += 1;
            last_try = t;
            t += Duration::seconds(backoff(attempts - 1));
        }
        let waits = ((now - first_start).num_seconds() / 10).max(1);
        let pulls = Past {
            first: first_start,
            last: last_try,
            count: attempts as i64,
        };
        let backs = Past {
            first: first_start + Duration::seconds(1),
            last: now - Duration::seconds(2),
            count: waits,
        };
        let failed = format!("Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found");
        let back_msg = format!("Back-off pulling image \"{image}\"");
        for (ty, reason, msg, past) in [
            (
                "Normal",
                "Pulling",
                format!("Pulling image \"{image}\""),
                pulls,
            ),
            ("Warning", "Failed", failed, pulls),
            (
                "Warning",
                "Failed",
                "Error: ErrImagePull".to_string(),
                pulls,
            ),
            ("Normal", "BackOff", back_msg, backs),
            (
                "Warning",
                "Failed",
                "Error: ImagePullBackOff".to_string(),
                backs,
            ),
        ] {
            rec.emit_past(c, pod, ty, reason, &msg, Source::Kubelet, past);
        }
        return;
    }
    let restarts = b.initial_restarts.max(0);
    // The latest start: the running container's, or (in a crash loop's back-off) the last run's.
    let last_start = statuses
        .first()
        .and_then(|s| {
            time(&s["state"]["running"]["startedAt"])
                .or_else(|| time(&s["lastState"]["terminated"]["startedAt"]))
                .or_else(|| time(&s["state"]["terminated"]["startedAt"]))
        })
        .unwrap_or(first_start);
    let starts = Past {
        first: first_start.min(last_start),
        last: last_start,
        count: restarts + 1,
    };
    for ct in &containers {
        let cn = ct["name"].as_str().unwrap_or_default();
        let image = ct["image"].as_str().unwrap_or_default();
        for (reason, msg) in [
            (
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
            ),
            ("Created", format!("Created container: {cn}")),
            ("Started", format!("Started container {cn}")),
        ] {
            rec.emit_past(c, pod, "Normal", reason, &msg, Source::Kubelet, starts);
        }
    }
    if restarts > 0 && (b.is("oom") || b.is("crashloop")) {
        let cn = containers
            .first()
            .and_then(|x| x["name"].as_str())
            .unwrap_or_default();
        let n = restarts as u32;
        let oom = b.is("oom");
        let run = if oom { b.oom_seconds as i64 } else { CRASH_RUN };
        // Each sync during a back-off (about every 10 s) reports it again.
        let count: i64 = (0..n).map(|k| (gap(oom, k) / 10).max(1)).sum();
        let back = Past {
            first: first_start + Duration::seconds(run + 1),
            last: if oom {
                last_start - Duration::seconds(1)
            } else {
                now
            },
            count,
        };
        rec.emit_past(
            c,
            pod,
            "Warning",
            "BackOff",
            &format!("Back-off restarting failed container {cn} in pod {name}_{ns}({uid})"),
            Source::Kubelet,
            back,
        );
        if oom {
            if let Some(node) = c.store.get("nodes", "", node) {
                let mut killed = first_start;
                for k in 0..n {
                    killed += Duration::seconds(run);
                    rec.emit_past(
                        c,
                        &node.obj,
                        "Warning",
                        "OOMKilling",
                        &oom_message(pod, k),
                        Source::NodeMonitor("kernel-monitor"),
                        once(killed),
                    );
                    killed += Duration::seconds(gap(oom, k));
                }
            }
        }
    }
    if b.is("not-ready") {
        // The readiness probe (period 10 s) has failed since the container started.
        let first = last_start + Duration::seconds(10);
        if first < now {
            let past = Past {
                first,
                last: now,
                count: (now - first).num_seconds() / 10 + 1,
            };
            rec.emit_past(
                c,
                pod,
                "Warning",
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
                Source::Kubelet,
                past,
            );
        }
    }
}

/// The back-off after the `k`-th failure of a restart history.
fn gap(oom: bool, k: u32) -> i64 {
    if oom {
        oom_gap(k)
    } else {
        backoff(k)
    }
}

/// A Job that finished within the hour: the job controller's verdict.
fn job_history(ctx: &mut Ctx, job: &Value, horizon: DateTime<Utc>) {
    let Some(cond) = job["status"]["conditions"].as_array().and_then(|cs| {
        cs.iter()
            .find(|x| (x["type"] == "Failed" || x["type"] == "Complete") && x["status"] == "True")
    }) else {
        return;
    };
    let Some(at) = time(&cond["lastTransitionTime"]).filter(|t| *t >= horizon) else {
        return;
    };
    let (ty, reason, msg) = if cond["type"] == "Complete" {
        ("Normal", "Completed", "Job completed".to_string())
    } else {
        (
            "Warning",
            cond["reason"].as_str().unwrap_or("BackoffLimitExceeded"),
            cond["message"]
                .as_str()
                .unwrap_or("Job has reached the specified backoff limit")
                .to_string(),
        )
    };
    ctx.rec.emit_past(
        &ctx.cluster,
        job,
        ty,
        reason,
        &msg,
        Source::Controller("job-controller"),
        once(at),
    );
}
