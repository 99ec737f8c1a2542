//! The rules of the overview's states, applied to one namespace at a time: pods first (readiness,
//! crash loops, OOM kills, pending, usage, whole workloads failing), then the Services' derived
//! endpoints, failed Jobs and the newest warning Event.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::clock::{pod_clock, Clock};
use super::{Inputs, LastWarning, TenantRow, TenantState, DAY, HOUR, PENDING_GRACE, RISK_PCT};
use crate::kube::age::human_duration;
use crate::kube::health::PodHealth;
use crate::kube::pods::{PodKey, PodRow};
use crate::kube::resources::{Cell, Drill, Health, ResourceRow};
use crate::kube::selector::LabelSelector;

/// The pod label naming a tenant's environment (`production`, `homologation`).
pub const ENV_LABEL: &str = "env";

/// Labels a controller adds per pod or per revision: left out, the rest names the workload.
const PER_POD_LABELS: [&str; 5] = [
    "pod-template-hash",
    "controller-revision-hash",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "controller-uid",
];

/// Labels only Job pods carry: failed Job pods are the failed Job's story, not a workload down.
const JOB_LABELS: [&str; 2] = ["job-name", "batch.kubernetes.io/job-name"];

/// Steps taken, for the cost test, and when each namespace's rows may next read differently.
#[derive(Default)]
pub(super) struct Work {
    pub(super) steps: usize,
    /// Per namespace computed, the first instant at which the clock alone may change its rows
    /// (a window's end, the next step of a "5m ago"); absent: never.
    pub(super) next_change: BTreeMap<String, DateTime<Utc>>,
}

/// One environment's row being built, with its reasons by severity.
#[derive(Default)]
struct Acc {
    ready: usize,
    total: usize,
    restarts_1h: u32,
    ooms_24h: usize,
    near_mem_limit: usize,
    failed_jobs: usize,
    last_warning: Option<LastWarning>,
    down: Vec<String>,
    degraded: Vec<String>,
    at_risk: Vec<String>,
}

/// The pods of a workload: how many, how many failing, and the first failing status.
#[derive(Default)]
struct Workload {
    name: String,
    pods: usize,
    failing: usize,
    status: String,
}

/// What the rules read from a pod's labels, found in one pass over them.
#[derive(Clone, Copy)]
struct Facts<'p> {
    /// The first `env` label's value.
    env: Option<&'p str>,
    /// Whether it is a Job's pod.
    job: bool,
    /// Whether it has a `pod-template-hash` (a Deployment's pod).
    template_hash: bool,
}

impl<'p> Facts<'p> {
    fn of(pod: &'p PodRow) -> Self {
        let mut facts = Facts {
            env: None,
            job: false,
            template_hash: false,
        };
        for (key, value) in pod.labels.iter() {
            match key {
                ENV_LABEL if facts.env.is_none() => facts.env = Some(value),
                "pod-template-hash" => facts.template_hash = true,
                k if JOB_LABELS.contains(&k) => facts.job = true,
                _ => {}
            }
        }
        facts
    }
}

/// Every row, unsorted.
pub(super) fn compute(inputs: &Inputs<'_>, now: DateTime<Utc>, work: &mut Work) -> Vec<TenantRow> {
    compute_only(inputs, None, now, work)
}

/// The rows of the namespaces in `only` (all when `None`), unsorted: a namespace's rows depend
/// on its own pods and objects alone, so a change elsewhere never needs them again.
pub(super) fn compute_only(
    inputs: &Inputs<'_>,
    only: Option<&BTreeSet<String>>,
    now: DateTime<Utc>,
    work: &mut Work,
) -> Vec<TenantRow> {
    let wanted = |ns: &str| only.is_none_or(|o| o.contains(ns));
    let mut namespaces: Vec<&str> = match (inputs.namespaces.is_empty(), only) {
        // A few namespaces: each one's pods are a range of the map (one without pods is
        // skipped below).
        (true, Some(only)) => only.iter().map(String::as_str).collect(),
        (true, None) => {
            let mut seen: Vec<&str> = inputs.pods.keys().map(|k| &*k.namespace).collect();
            seen.dedup();
            seen
        }
        (false, _) => inputs
            .namespaces
            .iter()
            .map(String::as_str)
            .filter(|ns| wanted(ns))
            .collect(),
    };
    namespaces.sort_unstable();
    namespaces.dedup();
    let services = by_namespace(inputs.services, &wanted, work);
    let jobs = by_namespace(inputs.jobs, &wanted, work);
    let events = by_namespace(inputs.events, &wanted, work);
    let none: Vec<&ResourceRow> = Vec::new();
    let mut rows = Vec::new();
    for ns in namespaces {
        let pods: Vec<&PodRow> = inputs
            .pods
            .range(PodKey::new(ns, "")..)
            .take_while(|(k, _)| &*k.namespace == ns)
            .map(|(_, row)| &**row)
            .collect();
        // Every namespace watched has pods, or it has no row.
        if pods.is_empty() && inputs.namespaces.is_empty() {
            continue;
        }
        let objects = Objects {
            services: services.get(ns).unwrap_or(&none),
            jobs: jobs.get(ns).unwrap_or(&none),
            events: events.get(ns).unwrap_or(&none),
        };
        rows.extend(namespace_rows(inputs, ns, &pods, &objects, now, work));
    }
    rows
}

/// The Services, Jobs and Events of one namespace.
struct Objects<'a, 'b> {
    services: &'b [&'a ResourceRow],
    jobs: &'b [&'a ResourceRow],
    events: &'b [&'a ResourceRow],
}

fn by_namespace<'a>(
    rows: &[&'a ResourceRow],
    wanted: &dyn Fn(&str) -> bool,
    work: &mut Work,
) -> BTreeMap<&'a str, Vec<&'a ResourceRow>> {
    let mut map: BTreeMap<&str, Vec<&ResourceRow>> = BTreeMap::new();
    for row in rows {
        work.steps += 1;
        if !wanted(&row.namespace) {
            continue;
        }
        map.entry(row.namespace.as_str()).or_default().push(*row);
    }
    map
}

/// The rows of one namespace: one per environment its pods name, else one.
fn namespace_rows(
    inputs: &Inputs<'_>,
    ns: &str,
    pods: &[&PodRow],
    objects: &Objects<'_, '_>,
    now: DateTime<Utc>,
    work: &mut Work,
) -> Vec<TenantRow> {
    let tenant = inputs.tenants.iter().find(|t| t.namespace == ns);
    // The labels are read once per pod: each `get` scans the packed text again.
    // Pods of one ReplicaSet share one copy of their labels and sort together: their facts
    // are found once.
    let mut facts: Vec<Facts<'_>> = Vec::with_capacity(pods.len());
    for (i, pod) in pods.iter().enumerate() {
        let same = i
            .checked_sub(1)
            .and_then(|j| pods.get(j))
            .is_some_and(|prev| prev.labels == pod.labels);
        match facts.last() {
            Some(last) if same => facts.push(*last),
            _ => facts.push(Facts::of(pod)),
        }
    }
    let mut envs: BTreeMap<Option<String>, Acc> = BTreeMap::new();
    for env in facts.iter().filter_map(|f| f.env) {
        if !envs.keys().any(|k| k.as_deref() == Some(env)) {
            envs.insert(Some(env.to_string()), Acc::default());
        }
    }
    if envs.is_empty() {
        envs.insert(tenant.and_then(|t| t.environment.clone()), Acc::default());
    }
    let labelled = envs.keys().any(Option::is_some);
    let mut clock = Clock::new(now);
    let mut any_failing = false;
    for (pod, facts) in pods.iter().zip(&facts) {
        work.steps += 1;
        let health = PodHealth::of(pod, now);
        pod_clock(&mut clock, pod, health);
        for_targets(facts.env, labelled, &mut envs, |acc| {
            pod_counts(acc, pod, facts, health, now, inputs)
        });
        any_failing |= failing(pod, health);
    }
    // A workload is down when every one of its pods fails: without a failing pod in the
    // namespace none is, and the workloads need not be told apart (most namespaces).
    let mut workloads: BTreeMap<(Option<&str>, &str, String), Workload> = BTreeMap::new();
    for (pod, facts) in pods.iter().zip(&facts).filter(|_| any_failing) {
        if let Some((name, labels)) = workload_key(pod, facts) {
            // Keys borrow from the pods: one allocation per pod (its workload's labels).
            let entry = workloads
                .entry((facts.env, name, labels))
                .or_insert_with(|| Workload {
                    name: name.to_string(),
                    ..Workload::default()
                });
            entry.pods += 1;
            if failing(pod, PodHealth::of(pod, now)) {
                entry.failing += 1;
                if entry.status.is_empty() {
                    entry.status = pod.status.clone();
                }
            }
        }
    }
    for ((env, _, _), w) in &workloads {
        if w.pods > 0 && w.failing == w.pods {
            let why = match w.pods {
                1 => format!("The only pod of {} is {}", w.name, w.status),
                n => format!("All {n} pods of {} are failing ({})", w.name, w.status),
            };
            for_targets(*env, labelled, &mut envs, |acc| acc.down.push(why.clone()));
        }
    }
    for svc in objects.services {
        let Drill::Pods(selector) = &svc.drill else {
            continue;
        };
        let (env, ready) = selected(pods, selector, work);
        if !ready {
            let why = format!("Service {} has no ready endpoint", svc.name);
            let env = env.or_else(|| selector_env(selector));
            for_targets(env.as_deref(), labelled, &mut envs, |acc| {
                acc.down.push(why.clone())
            });
        }
    }
    for job in objects.jobs.iter().filter(|j| j.health == Health::Failed) {
        let env = match &job.drill {
            Drill::Pods(selector) => selected(pods, selector, work).0,
            _ => None,
        };
        for_targets(env.as_deref(), labelled, &mut envs, |acc| {
            acc.failed_jobs += 1;
            acc.degraded.push(format!("Job {} failed", job.name));
        });
    }
    for event in objects
        .events
        .iter()
        .filter(|e| e.health == Health::Warning)
    {
        work.steps += 1;
        for cell in event.cells.iter().skip(2).take(2) {
            if let Cell::Since(Some(at)) = cell {
                clock.text(*at);
            }
        }
        let object = event.cell_text(3, now);
        let env = object
            .strip_prefix("pod/")
            .and_then(|name| inputs.pods.get(&PodKey::new(ns, name)))
            .and_then(|pod| pod.labels.get(ENV_LABEL).map(str::to_string));
        let reason = event.cell_text(2, now).into_owned();
        for_targets(env.as_deref(), labelled, &mut envs, |acc| {
            let newer = match &acc.last_warning {
                Some(w) => event.recent > w.at,
                None => true,
            };
            if newer {
                acc.last_warning = Some(LastWarning {
                    reason: reason.clone(),
                    at: event.recent,
                });
            }
        });
    }
    if let Some(next) = clock.next() {
        work.next_change.insert(ns.to_string(), next);
    }
    envs.into_iter()
        .map(|(env, acc)| finish(ns, env, tenant.and_then(|t| t.name.clone()), acc))
        .collect()
}

/// Applies `f` to the environments an object of `env` counts in. Objects without an env label
/// serve every environment of the namespace (the shared volume, the nightly updater): their
/// trouble is every environment's. No allocation: it runs once per pod.
fn for_targets(
    env: Option<&str>,
    labelled: bool,
    envs: &mut BTreeMap<Option<String>, Acc>,
    mut f: impl FnMut(&mut Acc),
) {
    if let Some(e) = env.filter(|_| labelled) {
        if let Some(acc) = envs
            .iter_mut()
            .find(|(k, _)| k.as_deref() == Some(e))
            .map(|(_, a)| a)
        {
            f(acc);
            return;
        }
    }
    envs.values_mut().for_each(f);
}

/// The counters and reasons one pod adds to an environment.
fn pod_counts(
    acc: &mut Acc,
    pod: &PodRow,
    facts: &Facts<'_>,
    health: PodHealth,
    now: DateTime<Utc>,
    inputs: &Inputs<'_>,
) {
    if health == PodHealth::Completed || finished_job_pod(pod, facts) {
        return;
    }
    acc.total += 1;
    let within = |at: Option<DateTime<Utc>>, span| at.is_some_and(|at| now - at <= span);
    if pod.restarts > 0 && within(pod.last_restart, HOUR) {
        acc.restarts_1h += pod.restarts;
    }
    let oom = pod.status == "OOMKilled"
        || pod.last_termination.as_ref().is_some_and(|t| {
            t.reason == "OOMKilled" && within(t.finished_at.or(pod.last_restart), DAY)
        });
    acc.ooms_24h += usize::from(oom);
    let name = &pod.name;
    match health {
        PodHealth::Oom => {
            let ago = pod
                .last_termination
                .as_ref()
                .and_then(|t| t.finished_at)
                .map(|at| format!(" {} ago", human_duration(now - at)))
                .unwrap_or_default();
            acc.degraded.push(format!("Pod {name} was OOM-killed{ago}"));
        }
        PodHealth::Failing => acc.degraded.push(format!("Pod {name} is {}", pod.status)),
        PodHealth::Pending if !within(pod.created, PENDING_GRACE) => {
            let age = pod
                .created
                .map(|at| format!(" for {}", human_duration(now - at)))
                .unwrap_or_default();
            acc.degraded
                .push(format!("Pod {name} has been {}{age}", pod.status));
        }
        _ if pod.is_unhealthy()
            && health != PodHealth::Pending
            && health != PodHealth::Terminating =>
        {
            acc.degraded
                .push(format!("Pod {name} is not ready ({})", pod.ready_cell()));
        }
        _ => {}
    }
    if !pod.is_unhealthy() {
        acc.ready += 1;
    }
    if let Some(usage) = (inputs.usage)(&pod.key()) {
        if usage.mem_pct >= RISK_PCT {
            acc.near_mem_limit += 1;
            acc.at_risk.push(format!(
                "Pod {name} uses {:.0}% of its memory limit",
                usage.mem_pct
            ));
        }
        if usage.cpu_pct >= RISK_PCT {
            acc.at_risk.push(format!(
                "Pod {name} uses {:.0}% of its CPU limit",
                usage.cpu_pct
            ));
        }
    }
}

/// A Job's pod that has ended: its failure is the Job's ("Job x failed"), and it serves nothing,
/// so it counts neither as a pod not ready nor in the totals.
fn finished_job_pod(pod: &PodRow, facts: &Facts<'_>) -> bool {
    facts.job
        && matches!(
            pod.status.as_str(),
            "Error" | "Failed" | "DeadlineExceeded" | "BackoffLimitExceeded" | "Evicted"
        )
}

/// Whether a pod counts as failing for the "every pod of a workload" rule.
fn failing(pod: &PodRow, health: PodHealth) -> bool {
    match health {
        PodHealth::Failing => true,
        // Ready between kills is serving; an OOMKilled status right now is not.
        PodHealth::Oom => pod.is_unhealthy(),
        _ => false,
    }
}

/// The workload a pod belongs to: its name (the pods' common prefix) and its labels without the
/// per-pod ones; `None` for Job pods and pods without labels.
fn workload_key<'p>(pod: &'p PodRow, facts: &Facts<'_>) -> Option<(&'p str, String)> {
    if pod.labels.is_empty() || facts.job {
        return None;
    }
    let per_pod = |key: &str| PER_POD_LABELS.contains(&key);
    // Deployment pods end in -<template hash>-<suffix>, the others in one -<suffix>.
    let cut = if facts.template_hash { 2 } else { 1 };
    let mut name: &str = &pod.name;
    for _ in 0..cut {
        name = name.rsplit_once('-').map_or(name, |(head, _)| head);
    }
    let mut labels = String::new();
    for (k, v) in pod.labels.iter().filter(|(k, _)| !per_pod(k)) {
        if !labels.is_empty() {
            labels.push(',');
        }
        labels.push_str(k);
        labels.push('=');
        labels.push_str(v);
    }
    Some((name, labels))
}

/// The environment of the pods a selector picks (the first that names one), and whether any of
/// them is a ready endpoint.
fn selected(pods: &[&PodRow], selector: &LabelSelector, work: &mut Work) -> (Option<String>, bool) {
    let mut env = None;
    let mut ready = false;
    for pod in pods {
        work.steps += 1;
        if !selector.matches(&pod.labels) {
            continue;
        }
        if env.is_none() {
            env = pod.labels.get(ENV_LABEL).map(str::to_string);
        }
        ready |= pod.status == "Running" && pod.ready == pod.total && pod.total > 0;
    }
    (env, ready)
}

/// The `env=x` a selector requires, if any.
fn selector_env(selector: &LabelSelector) -> Option<String> {
    selector
        .requirements
        .iter()
        .find(|r| r.key == ENV_LABEL && r.values.len() == 1)
        .and_then(|r| r.values.first().cloned())
}

fn finish(ns: &str, env: Option<String>, display: Option<String>, acc: Acc) -> TenantRow {
    let state = if !acc.down.is_empty() {
        TenantState::Down
    } else if !acc.degraded.is_empty() {
        TenantState::Degraded
    } else if !acc.at_risk.is_empty() {
        TenantState::AtRisk
    } else {
        TenantState::Up
    };
    let mut reasons = acc.down;
    reasons.extend(acc.degraded);
    reasons.extend(acc.at_risk);
    TenantRow {
        namespace: ns.to_string(),
        env,
        display,
        state,
        ready: acc.ready,
        total: acc.total,
        restarts_1h: acc.restarts_1h,
        ooms_24h: acc.ooms_24h,
        near_mem_limit: acc.near_mem_limit,
        failed_jobs: acc.failed_jobs,
        last_warning: acc.last_warning,
        reasons,
    }
}
