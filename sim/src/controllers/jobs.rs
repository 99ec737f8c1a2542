//! Job and CronJob controllers.

use super::events::Source;
use super::schedule::Schedule;
use super::status::ts;
use super::workloads::{create_pod, delete_obj, is_ready, owned, owner_ref};
use super::Ctx;
use crate::resources;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

fn name_of(v: &Value) -> String {
    v["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn has_condition(job: &Value, ty: &str) -> bool {
    job["status"]["conditions"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["type"] == ty && c["status"] == "True"))
}

/// Whether a Job has finished (Complete or Failed).
pub fn finished(job: &Value) -> Option<&'static str> {
    if has_condition(job, "Complete") {
        Some("Complete")
    } else if has_condition(job, "Failed") {
        Some("Failed")
    } else {
        None
    }
}

pub fn jobs(ctx: &mut Ctx, ns: &str) {
    for j in ctx.cluster.store.list("jobs", Some(ns)).1 {
        let job = j.obj;
        if job["metadata"]["deletionTimestamp"].is_string() || finished(&job).is_some() {
            continue;
        }
        if job["spec"]["suspend"] == true {
            continue;
        }
        let name = name_of(&job);
        let pods = owned(ctx, "pods", ns, &job, true);
        let phase = |p: &Value| {
            p["status"]["phase"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        let succeeded = pods.iter().filter(|p| phase(&p.obj) == "Succeeded").count() as i64;
        let failed = pods.iter().filter(|p| phase(&p.obj) == "Failed").count() as i64;
        let active: Vec<_> = pods
            .iter()
            .filter(|p| {
                !matches!(phase(&p.obj).as_str(), "Succeeded" | "Failed")
                    && p.obj["metadata"]["deletionTimestamp"].is_null()
            })
            .collect();
        let completions = job["spec"]["completions"].as_i64().unwrap_or(1);
        let parallelism = job["spec"]["parallelism"].as_i64().unwrap_or(1);
        let backoff_limit = job["spec"]["backoffLimit"].as_i64().unwrap_or(6);
        let now = ts(Utc::now());
        // A Job loaded with the scenario started when it was created, not when the simulator did.
        let created = job["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(|t| t.parse::<DateTime<Utc>>().ok())
            .filter(|_| ctx.fast)
            .map(|t| ts(t + Duration::seconds(1)));
        let start = job["status"]["startTime"]
            .as_str()
            .map(str::to_string)
            .or(created)
            .unwrap_or_else(|| now.clone());
        let mut outcome: Option<(&str, &str, String)> = None;
        if succeeded >= completions {
            outcome = Some((
                "Complete",
                "CompletionsReached",
                "Reached expected number of succeeded pods".into(),
            ));
        } else if failed > backoff_limit {
            outcome = Some((
                "Failed",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit".into(),
            ));
            for p in &active {
                delete_obj(ctx, "pods", &p.obj, None);
            }
        } else {
            let want = parallelism.min(completions - succeeded) - active.len() as i64;
            for _ in 0..want.max(0) {
                create_pod(ctx, ns, &job, &job["spec"]["template"], None, &[], None);
            }
        }
        let active_now = if outcome.is_some() {
            0
        } else {
            owned(ctx, "pods", ns, &job, false)
                .iter()
                .filter(|p| !matches!(phase(&p.obj).as_str(), "Succeeded" | "Failed"))
                .count() as i64
        };
        let ready = pods.iter().filter(|p| is_ready(&p.obj)).count() as i64;
        // A Job that finished during a scenario load ended when its last pod did.
        let now = if ctx.fast && outcome.is_some() {
            last_finish(&pods).unwrap_or(now)
        } else {
            now
        };
        let e = ctx.cluster.mutate("jobs", ns, &name, |o| {
            let s = &mut o["status"];
            s["startTime"] = json!(start);
            s["active"] = json!(active_now);
            s["ready"] = json!(ready);
            s["terminating"] = json!(0);
            s["uncountedTerminatedPods"] = json!({});
            if succeeded > 0 {
                s["succeeded"] = json!(succeeded);
            }
            if failed > 0 {
                s["failed"] = json!(failed);
            }
            if active_now == 0 {
                if let Some(m) = s.as_object_mut() {
                    m.remove("active");
                }
            }
            if let Some((ty, reason, msg)) = &outcome {
                let crit = if *ty == "Complete" { "SuccessCriteriaMet" } else { "FailureTarget" };
                s["conditions"] = json!([
                    {"type": crit, "status": "True", "reason": reason, "message": msg, "lastProbeTime": now, "lastTransitionTime": now},
                    {"type": ty, "status": "True", "reason": reason, "message": msg, "lastProbeTime": now, "lastTransitionTime": now}
                ]);
                if *ty == "Complete" {
                    s["completionTime"] = json!(now);
                }
            }
        });
        if let (Some((ty, reason, msg)), Some(e)) = (outcome, e) {
            let (kind, r, m) = if ty == "Complete" {
                ("Normal", "Completed", "Job completed".to_string())
            } else {
                ("Warning", reason, msg)
            };
            ctx.rec.emit(
                &ctx.cluster,
                &e.obj,
                kind,
                r,
                &m,
                Source::Controller("job-controller"),
            );
        }
    }
}

/// The latest `finishedAt` (plus the controller's second) among the pods' terminated containers.
fn last_finish(pods: &[crate::store::Doc]) -> Option<String> {
    pods.iter()
        .flat_map(|p| {
            p.obj["status"]["containerStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|c| {
            c["state"]["terminated"]["finishedAt"]
                .as_str()
                .and_then(|t| t.parse::<DateTime<Utc>>().ok())
        })
        .max()
        .map(|t| ts(t + Duration::seconds(1)))
}

pub fn cronjobs(ctx: &mut Ctx, ns: &str) {
    let now = Utc::now();
    for cj in ctx.cluster.store.list("cronjobs", Some(ns)).1 {
        let cj = cj.obj;
        if cj["metadata"]["deletionTimestamp"].is_string() {
            continue;
        }
        let name = name_of(&cj);
        let Ok(sched) = Schedule::parse(cj["spec"]["schedule"].as_str().unwrap_or_default()) else {
            continue;
        };
        // An unknown zone is refused by a real API server; here it falls back to UTC.
        let sched = sched.in_zone(cj["spec"]["timeZone"].as_str());
        let jobs = owned(ctx, "jobs", ns, &cj, false);
        let active: Vec<&Value> = jobs
            .iter()
            .map(|j| &*j.obj)
            .filter(|j| finished(j).is_none())
            .collect();
        let last: Option<DateTime<Utc>> = cj["status"]["lastScheduleTime"]
            .as_str()
            .and_then(|t| t.parse().ok());
        let mut schedule_time = None;
        match last {
            // A CronJob seen for the first time (scenario load) does not replay missed runs.
            None if ctx.fast => schedule_time = sched.prev(now),
            _ => {
                let from = last
                    .or_else(|| {
                        cj["metadata"]["creationTimestamp"]
                            .as_str()
                            .and_then(|t| t.parse().ok())
                    })
                    .unwrap_or(now);
                if let Some(due) = sched.next_after(from).filter(|d| *d <= now) {
                    let latest = sched.prev(now).unwrap_or(due);
                    if cj["spec"]["suspend"] != true {
                        let policy = cj["spec"]["concurrencyPolicy"].as_str().unwrap_or("Allow");
                        if policy == "Forbid" && !active.is_empty() {
                            schedule_time = None;
                        } else {
                            if policy == "Replace" {
                                for j in &active {
                                    delete_obj(ctx, "jobs", j, None);
                                }
                            }
                            spawn_job(ctx, ns, &cj, latest);
                            schedule_time = Some(latest);
                        }
                    }
                }
            }
        }
        // Finished jobs beyond the history limits go, oldest first.
        let mut done: Vec<(String, &'static str, String)> = jobs
            .iter()
            .filter_map(|j| {
                Some((
                    j.obj["metadata"]["creationTimestamp"].as_str()?.to_string(),
                    finished(&j.obj)?,
                    name_of(&j.obj),
                ))
            })
            .collect();
        done.sort();
        for (kind, limit_field) in [
            ("Complete", "successfulJobsHistoryLimit"),
            ("Failed", "failedJobsHistoryLimit"),
        ] {
            let of: Vec<_> = done.iter().filter(|d| d.1 == kind).collect();
            let limit = cj["spec"][limit_field].as_i64().unwrap_or(3) as usize;
            for d in of.iter().take(of.len().saturating_sub(limit)) {
                if let Some(j) = ctx.cluster.store.get("jobs", ns, &d.2) {
                    let _ = ctx.cluster.delete(
                        resources::by_storage("jobs").unwrap_or(&resources::RESOURCES[0]),
                        ns,
                        &d.2,
                        &crate::cluster::DeleteOpts {
                            propagation: Some(crate::cluster::Propagation::Background),
                            ..Default::default()
                        },
                    );
                    ctx.rec.emit(
                        &ctx.cluster,
                        &cj,
                        "Normal",
                        "SuccessfulDelete",
                        &format!("Deleted job {}", name_of(&j.obj)),
                        Source::Controller("cronjob-controller"),
                    );
                }
            }
        }
        let jobs = owned(ctx, "jobs", ns, &cj, false);
        let active_refs: Vec<Value> = jobs.iter().filter(|j| finished(&j.obj).is_none()).map(|j| json!({"kind": "Job", "namespace": ns, "name": name_of(&j.obj), "uid": j.obj["metadata"]["uid"], "apiVersion": "batch/v1", "resourceVersion": j.obj["metadata"]["resourceVersion"]})).collect();
        let last_ok = jobs
            .iter()
            .filter(|j| finished(&j.obj) == Some("Complete"))
            .filter_map(|j| {
                j.obj["status"]["completionTime"]
                    .as_str()
                    .map(str::to_string)
            })
            .max();
        ctx.cluster.mutate("cronjobs", ns, &name, |o| {
            if let Some(t) = schedule_time {
                o["status"]["lastScheduleTime"] = json!(ts(t));
            }
            if active_refs.is_empty() {
                if let Some(m) = o["status"].as_object_mut() {
                    m.remove("active");
                }
            } else {
                o["status"]["active"] = json!(active_refs);
            }
            if let Some(t) = &last_ok {
                o["status"]["lastSuccessfulTime"] = json!(t);
            }
        });
    }
}

fn spawn_job(ctx: &mut Ctx, ns: &str, cj: &Value, at: DateTime<Utc>) {
    let name = format!("{}-{}", name_of(cj), at.timestamp() / 60);
    let tmpl = &cj["spec"]["jobTemplate"];
    let mut meta = tmpl["metadata"].clone();
    if !meta.is_object() {
        meta = json!({});
    }
    meta["name"] = json!(name);
    meta["ownerReferences"] = json!([owner_ref(cj)]);
    meta["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] = json!(at.to_rfc3339());
    let job =
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": tmpl["spec"]});
    let Some(def) = resources::by_storage("jobs") else {
        return;
    };
    if ctx.cluster.create(def, ns, job, false).is_ok() {
        ctx.rec.emit(
            &ctx.cluster,
            cj,
            "Normal",
            "SuccessfulCreate",
            &format!("Created job {name}"),
            Source::Controller("cronjob-controller"),
        );
    }
}
