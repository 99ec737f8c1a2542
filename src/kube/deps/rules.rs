//! The rules: what each kind of change does to what depends on the target. Pure: no IO, and the
//! clock only as `now`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::effects::{pods_go, Out};
use super::slim::{labels, owner_refs};
use super::{Change, Checked, DepOwner, DepPod, Impact, Inputs};
use crate::kube::age::human_duration;
use crate::kube::selector::{LabelSelector, Labels};

/// Label keys that name an environment: the default scenario labels every per-environment
/// object `env=production` or `env=homologation`; `environment` is the other common spelling.
const ENV_KEYS: [&str; 2] = ["env", "environment"];
/// Values of those keys that mean production.
const PRODUCTION: [&str; 3] = ["prd", "prod", "production"];
/// The migration Job's name prefix (MISSION workflow 4).
const MIGRATION: &str = "upddistr";

/// Whether `labels` mark production: `env` or `environment` is `prd`, `prod` or `production`
/// (any case).
pub fn is_production(labels: &Labels) -> bool {
    ENV_KEYS.iter().any(|key| {
        labels
            .get(key)
            .is_some_and(|v| PRODUCTION.iter().any(|p| v.eq_ignore_ascii_case(p)))
    })
}

/// What `change` to `inputs.target` will break, most serious first.
pub fn impact(inputs: &Inputs, change: Change, now: DateTime<Utc>) -> Impact {
    let mut out = Out::default();
    failed_checks(inputs, &mut out);
    let t = &inputs.target;
    let removes = match (t.kind.as_str(), change) {
        ("Namespace", Change::Delete) => {
            namespace(inputs, &mut out);
            true
        }
        ("Pod", Change::Delete) => {
            pod(inputs, &mut out);
            true
        }
        ("Job", Change::Delete) => {
            job_delete(inputs, &t.name, &mut out, now);
            true
        }
        ("CronJob", Change::Delete) => {
            cronjob(inputs, &mut out, now, true);
            true
        }
        ("CronJob", Change::Suspend) => {
            cronjob(inputs, &mut out, now, false);
            false
        }
        ("Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet", Change::Delete) => {
            workload_delete(inputs, &mut out);
            true
        }
        ("Deployment" | "StatefulSet", Change::ScaleTo(n)) => scale(inputs, n, &mut out),
        (_, Change::Delete) => {
            other_delete(inputs, &mut out);
            true
        }
        _ => false,
    };
    if removes {
        if let Some(labels) = object_labels(inputs) {
            if is_production(&labels) {
                out.high("labelled production");
            }
        }
    }
    out.finish()
}

/// Every failed check is itself a warning.
fn failed_checks(inputs: &Inputs, out: &mut Out) {
    fn failed<T>(c: &Checked<T>) -> Option<&str> {
        c.as_ref().err().map(String::as_str)
    }
    let itself = format!("the {} itself", inputs.target.kind);
    let checks = [
        (itself.as_str(), failed(&inputs.object)),
        ("pods", failed(&inputs.pods)),
        ("Services", failed(&inputs.services)),
        ("endpoints", failed(&inputs.endpoints)),
        ("PodDisruptionBudgets", failed(&inputs.pdbs)),
        ("controllers", failed(&inputs.owners)),
        (
            "the objects in it",
            inputs.counts.as_ref().and_then(|c| failed(c)),
        ),
    ];
    for (what, reason) in checks {
        if let Some(reason) = reason {
            out.warn(format!("could not check {what}: {reason}"));
        }
    }
    for (kind, reason) in &inputs.uncounted {
        out.warn(format!("could not count {kind} objects: {reason}"));
    }
}

fn object_labels(inputs: &Inputs) -> Option<Labels> {
    if let Ok(object) = &inputs.object {
        return Some(labels(object));
    }
    (inputs.target.kind == "Pod")
        .then(|| find_pod(inputs))
        .flatten()
        .map(|p| p.labels.clone())
}

fn find_pod(inputs: &Inputs) -> Option<DepPod> {
    let listed = inputs
        .pods
        .as_ref()
        .ok()
        .and_then(|pods| pods.iter().find(|p| p.name == inputs.target.name).cloned());
    listed.or_else(|| inputs.object.as_ref().ok().map(DepPod::from_json))
}

fn owners(inputs: &Inputs) -> &[DepOwner] {
    inputs.owners.as_deref().unwrap_or_default()
}

fn owner<'a>(inputs: &'a Inputs, kind: &str, name: &str) -> Option<&'a DepOwner> {
    owners(inputs)
        .iter()
        .find(|o| o.kind == kind && o.name == name)
}

fn all_pods(inputs: &Inputs) -> &[DepPod] {
    inputs.pods.as_deref().unwrap_or_default()
}

/// The live pods a controller of `kind`/`name` manages (a Deployment's through its ReplicaSets).
/// Without the controllers, a Deployment's pods are the ones its selector matches.
fn pods_of<'a>(inputs: &'a Inputs, kind: &str, name: &str) -> Vec<&'a DepPod> {
    let controlled =
        |p: &&DepPod, k: &str, n: &str| p.controller().is_some_and(|c| c.kind == k && c.name == n);
    let live = all_pods(inputs).iter().filter(|p| p.deleted.is_none());
    match kind {
        "Deployment" if inputs.owners.is_ok() => {
            let sets = children(inputs, "ReplicaSet", kind, name);
            live.filter(|p| sets.iter().any(|rs| controlled(p, "ReplicaSet", &rs.name)))
                .collect()
        }
        "Deployment" => {
            let selector: Option<LabelSelector> = inputs
                .object
                .as_ref()
                .ok()
                .and_then(|o| o.pointer("/spec/selector"))
                .and_then(|s| serde_json::from_value(s.clone()).ok());
            match selector {
                Some(s) => live.filter(|p| s.matches(&p.labels)).collect(),
                None => Vec::new(),
            }
        }
        "CronJob" => {
            let jobs = children(inputs, "Job", kind, name);
            live.filter(|p| jobs.iter().any(|j| controlled(p, "Job", &j.name)))
                .collect()
        }
        _ => live.filter(|p| controlled(p, kind, name)).collect(),
    }
}

/// The controllers of `child_kind` that `kind`/`name` controls.
fn children<'a>(inputs: &'a Inputs, child_kind: &str, kind: &str, name: &str) -> Vec<&'a DepOwner> {
    owners(inputs)
        .iter()
        .filter(|o| o.kind == child_kind)
        .filter(|o| {
            o.controller()
                .is_some_and(|c| c.kind == kind && c.name == name)
        })
        .collect()
}

fn names(pods: &[&DepPod]) -> String {
    pods.iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn pod(inputs: &Inputs, out: &mut Out) {
    let Some(pod) = find_pod(inputs) else {
        return;
    };
    let comes_back = match pod.controller() {
        None => {
            out.danger("no controller: this pod is gone for good");
            out.high("a bare pod");
            false
        }
        Some(c) if matches!(c.kind.as_str(), "ReplicaSet" | "ReplicationController") => {
            match owner(inputs, &c.kind, &c.name) {
                Some(rs) if rs.replicas == Some(0) => {
                    out.danger(format!(
                        "{} {} is scaled to 0: this pod is gone for good",
                        c.kind, c.name
                    ));
                    false
                }
                found => {
                    let parent = found
                        .and_then(DepOwner::controller)
                        .map(|d| format!(" ({} {})", d.kind, d.name))
                        .unwrap_or_default();
                    out.info(format!("{} {} will recreate it{parent}", c.kind, c.name));
                    true
                }
            }
        }
        Some(c) if c.kind == "StatefulSet" => {
            out.info(format!(
                "StatefulSet {} will recreate it under the same name",
                c.name
            ));
            true
        }
        Some(c) if c.kind == "DaemonSet" => {
            out.info(format!("DaemonSet {} will recreate it", c.name));
            true
        }
        Some(c) if c.kind == "Job" => {
            let finished = owner(inputs, "Job", &c.name).is_some_and(|j| j.finished);
            if finished || matches!(pod.phase.as_str(), "Succeeded" | "Failed") {
                out.info(format!("Job {} does not recreate a finished pod", c.name));
                false
            } else {
                out.warn(format!(
                    "this pod's work stops; Job {} starts a new pod if its backoff limit allows",
                    c.name
                ));
                true
            }
        }
        Some(c) => {
            out.info(format!(
                "{} {} controls it and will likely recreate it",
                c.kind, c.name
            ));
            true
        }
    };
    if let Some(since) = pod.deleted {
        out.info(format!("it is already terminating (since {since})"));
    }
    pods_go(inputs, &[&pod], comes_back, out);
}

fn running(p: &DepPod) -> bool {
    p.deleted.is_none() && matches!(p.phase.as_str(), "Running" | "Pending")
}

fn job_finished(inputs: &Inputs, name: &str) -> bool {
    let own = inputs
        .object
        .as_ref()
        .ok()
        .filter(|_| inputs.target.name == name);
    match own {
        Some(o) => DepOwner::from_json(o, "Job").finished,
        None => owner(inputs, "Job", name).is_some_and(|j| j.finished),
    }
}

fn job_complete(inputs: &Inputs, name: &str) -> bool {
    let own = inputs
        .object
        .as_ref()
        .ok()
        .filter(|_| inputs.target.name == name);
    match own {
        Some(o) => DepOwner::from_json(o, "Job").complete,
        None => owner(inputs, "Job", name).is_some_and(|j| j.complete),
    }
}

/// What deleting Job `name` stops; shared by a Job's delete and its CronJob's.
fn job_effects(inputs: &Inputs, name: &str, out: &mut Out, now: DateTime<Utc>) {
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
    } else if !job_finished(inputs, name) {
        out.warn(format!("Job {name} has not finished: its work stops"));
    }
    if name.starts_with(MIGRATION) && !job_complete(inputs, name) {
        out.warn(format!(
            "{name} is the migration: after deleting it, create the control flag files \
             (touch /volume/flags/<file>) and make sure the other steps ran"
        ));
    }
}

fn job_delete(inputs: &Inputs, name: &str, out: &mut Out, now: DateTime<Utc>) {
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
fn cronjob(inputs: &Inputs, out: &mut Out, now: DateTime<Utc>, delete: bool) {
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

fn workload_delete(inputs: &Inputs, out: &mut Out) {
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
fn scale(inputs: &Inputs, n: u32, out: &mut Out) -> bool {
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

fn namespace(inputs: &Inputs, out: &mut Out) {
    out.high("a namespace");
    if let Some(Ok(counts)) = &inputs.counts {
        let mut counts: Vec<&(String, usize)> = counts.iter().filter(|(_, n)| *n > 0).collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if counts.is_empty() {
            out.info(format!("namespace {} holds no objects", inputs.target.name));
        } else {
            let list = counts
                .iter()
                .map(|(kind, n)| format!("{n} {}", kind_plural(kind, *n)))
                .collect::<Vec<_>>()
                .join(", ");
            out.danger(format!(
                "everything in namespace {} is deleted: {list}",
                inputs.target.name
            ));
        }
    }
}

/// `Pod` → `Pods`, `NetworkPolicy` → `NetworkPolicies`, `Ingress` → `Ingresses`; one stays.
fn kind_plural(kind: &str, n: usize) -> String {
    if n == 1 || kind.ends_with("Endpoints") {
        return kind.to_string();
    }
    if kind.ends_with("ss") {
        return format!("{kind}es");
    }
    match kind.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{kind}s"),
    }
}

fn other_delete(inputs: &Inputs, out: &mut Out) {
    let t = &inputs.target;
    let refs = inputs.object.as_ref().map(owner_refs).unwrap_or_default();
    if let Some(p) = refs.iter().find(|r| r.controller) {
        out.info(format!(
            "{} {} controls it and will likely recreate it",
            p.kind, p.name
        ));
    }
    match t.kind.as_str() {
        "Service" => out.warn(format!(
            "requests through Service {} will fail once it is gone",
            t.name
        )),
        "PersistentVolumeClaim" => {
            let users: Vec<&DepPod> = all_pods(inputs)
                .iter()
                .filter(|p| p.claims.contains(&t.name))
                .collect();
            if !users.is_empty() {
                out.warn(format!(
                    "{} still mount it: it stays until they are gone, then its volume goes by its reclaim policy: {}",
                    plural(users.len(), "pod", "pods"),
                    names(&users)
                ));
            }
        }
        _ => {}
    }
}
