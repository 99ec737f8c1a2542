//! The rules for workloads: a Job's and a CronJob's delete, a CronJob's suspend, a controller's
//! delete, and scaling a Deployment or StatefulSet down.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::effects::{pods_go, Out};
use super::query::{children, names, owner, plural, pods_of};
use super::slim::owner_refs;
use super::{DepOwner, DepPod, Inputs};
use crate::kube::age::human_duration;

/// The migration Job's name prefix (MISSION workflow 4).
const MIGRATION: &str = "upddistr";

fn running(p: &DepPod) -> bool {
    p.deleted.is_none() && matches!(p.phase.as_str(), "Running" | "Pending")
}

/// Job `name`'s state `(finished, complete)`: from the target itself when it is that Job (the
/// freshest read), else from the controllers' list; unknown reads as not finished.
fn job_state(inputs: &Inputs, name: &str) -> (bool, bool) {
    let own = inputs
        .object
        .as_ref()
        .ok()
        .filter(|_| inputs.target.kind == "Job" && inputs.target.name == name)
        .map(|o| DepOwner::from_json(o, "Job"));
    own.or_else(|| owner(inputs, "Job", name).cloned())
        .map_or((false, false), |j| (j.finished, j.complete))
}

/// What deleting Job `name` stops; shared by a Job's delete and its CronJob's.
fn job_effects(inputs: &Inputs, name: &str, out: &mut Out, now: DateTime<Utc>) {
    let (finished, complete) = job_state(inputs, name);
    let pods = pods_of(inputs, "Job", name);
    let active: Vec<&DepPod> = pods.iter().copied().filter(|p| running(p)).collect();
    if !active.is_empty() {
        let list = active
            .iter()
            .map(|p| match p.created {
                Some(at) => format!("{}, up {}", p.name, human_duration(now - at)),
                None => p.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.danger(format!(
            "Job {name} has {} ({list}): its work stops",
            plural(active.len(), "running pod", "running pods")
        ));
        out.high("a running Job");
    } else if !finished {
        out.warn(format!("Job {name} has not finished: its work stops"));
    }
    if name.starts_with(MIGRATION) && !complete {
        out.warn(format!(
            "{name} is the migration: after deleting it, create the control flag files \
             (touch /volume/flags/<file>) and make sure the other steps ran"
        ));
        out.after(format!(
            "{name} is gone: create the control flag files (touch /volume/flags/<file>) and make \
             sure the other steps ran"
        ));
    }
}

pub(super) fn job_delete(inputs: &Inputs, name: &str, out: &mut Out, now: DateTime<Utc>) {
    job_effects(inputs, name, out, now);
    let refs = inputs.object.as_ref().map(owner_refs).unwrap_or_default();
    if let Some(c) = refs.iter().find(|r| r.controller && r.kind == "CronJob") {
        out.info(format!(
            "CronJob {} does not recreate it; its next run starts on schedule",
            c.name
        ));
    }
    let pods = pods_of(inputs, "Job", name);
    pods_go(inputs, &pods, false, out);
}

/// A CronJob's delete (`delete`) or suspend.
pub(super) fn cronjob(inputs: &Inputs, out: &mut Out, now: DateTime<Utc>, delete: bool) {
    let name = &inputs.target.name;
    let mut jobs = children(inputs, "Job", "CronJob", name);
    // Running first, then newest first.
    jobs.sort_by(|a, b| a.finished.cmp(&b.finished).then(b.created.cmp(&a.created)));
    let (done, going): (Vec<&DepOwner>, Vec<&DepOwner>) = jobs.iter().partition(|j| j.finished);
    if !delete {
        let suspended = inputs
            .object
            .as_ref()
            .ok()
            .and_then(|o| o.pointer("/spec/suspend"))
            .and_then(Value::as_bool)
            == Some(true);
        if suspended {
            out.info("it is already suspended");
        }
        out.info("no new Jobs start until it is resumed; running Jobs go on");
        for j in &going {
            out.info(format!("Job {} is running and goes on", j.name));
        }
        return;
    }
    for j in &going {
        job_effects(inputs, &j.name, out, now);
    }
    if !done.is_empty() {
        let list = done.iter().map(|j| j.name.as_str()).collect::<Vec<_>>();
        out.info(format!(
            "its {} deleted with it: {}",
            plural(done.len(), "finished Job is", "finished Jobs are"),
            list.join(", ")
        ));
    }
    out.info("no Job starts on its schedule any more");
    let pods = pods_of(inputs, "CronJob", name);
    pods_go(inputs, &pods, false, out);
}

pub(super) fn workload_delete(inputs: &Inputs, out: &mut Out) {
    let t = &inputs.target;
    let refs = inputs.object.as_ref().map(owner_refs).unwrap_or_default();
    let parent = refs.iter().find(|r| r.controller);
    if let Some(p) = parent {
        out.info(format!("{} {} will recreate it", p.kind, p.name));
    }
    let pods = pods_of(inputs, &t.kind, &t.name);
    if pods.is_empty() {
        out.info(format!("{} {} has no pods", t.kind, t.name));
    } else if parent.is_none() {
        out.warn(format!(
            "its {} deleted and not recreated: {}",
            plural(pods.len(), "pod is", "pods are"),
            names(&pods)
        ));
    }
    pods_go(inputs, &pods, parent.is_some(), out);
}

/// Scaling a Deployment/StatefulSet to `n`; true when pods go.
pub(super) fn scale(inputs: &Inputs, n: u32, out: &mut Out) -> bool {
    let t = &inputs.target;
    let current = inputs
        .object
        .as_ref()
        .ok()
        .map(|o| DepOwner::from_json(o, &t.kind))
        .or_else(|| owner(inputs, &t.kind, &t.name).cloned())
        .and_then(|o| o.replicas);
    let pods = pods_of(inputs, &t.kind, &t.name);
    let current = current.unwrap_or(u32::try_from(pods.len()).unwrap_or(u32::MAX));
    if n >= current {
        out.info(format!("scaling from {current} to {n} removes no pod"));
        return false;
    }
    let removed: Vec<&DepPod> = if n == 0 {
        out.warn(format!(
            "scaling to 0 stops all its pods and none comes back until it is scaled up: {}",
            names(&pods)
        ));
        pods
    } else if t.kind == "StatefulSet" {
        let prefix = format!("{}-", t.name);
        let mut gone: Vec<&DepPod> = pods
            .into_iter()
            .filter(|p| ordinal(&p.name, &prefix).is_some_and(|i| i >= u64::from(n)))
            .collect();
        gone.sort_by_key(|p| std::cmp::Reverse(ordinal(&p.name, &prefix)));
        out.warn(format!(
            "scaling from {current} to {n} removes the highest ordinals: {}",
            names(&gone)
        ));
        gone
    } else {
        // The ReplicaSet removes pods that are not running, then not ready, then the newest.
        let mut ranked = pods;
        ranked.sort_by_key(|p| (p.phase == "Running", p.ready, std::cmp::Reverse(p.created)));
        let count = usize::try_from(current - n).unwrap_or(usize::MAX);
        ranked.truncate(count);
        out.warn(format!(
            "scaling from {current} to {n} removes {}, likely {}",
            plural(ranked.len(), "pod", "pods"),
            names(&ranked)
        ));
        ranked
    };
    pods_go(inputs, &removed, false, out);
    true
}

fn ordinal(name: &str, prefix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?.parse().ok()
}
