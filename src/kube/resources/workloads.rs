//! Deployments, StatefulSets, Jobs and CronJobs: kubectl's cells (`printDeployment`,
//! `printStatefulSet`, `printJob`, `printCronJob`), health, and their drill-downs.

use chrono::{DateTime, Utc};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::wire::{identity, slim, Condition, Wire};
use super::{Cell, Drill, Health, ResourceRow};
use crate::kube::age::human_duration;
use crate::kube::selector::LabelSelector;

/// `spec` of a Deployment or StatefulSet.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplicatedSpec {
    /// Desired replicas; the server defaults it to 1.
    replicas: Option<i64>,
    /// The pods it manages.
    selector: Option<LabelSelector>,
}

/// `status` of a Deployment or StatefulSet.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ReplicatedStatus {
    ready_replicas: Option<i64>,
    updated_replicas: Option<i64>,
    available_replicas: Option<i64>,
}

type ReplicatedWire = Wire<ReplicatedSpec, ReplicatedStatus>;

/// Short of ready replicas is a warning; none ready at all (while some are wanted) is broken.
fn replica_health(desired: i64, ready: i64, others: &[i64]) -> Health {
    if desired > 0 && ready == 0 {
        Health::Failed
    } else if ready < desired || others.iter().any(|n| *n < desired) {
        Health::Warning
    } else {
        Health::Ok
    }
}

fn pods_of(selector: Option<&LabelSelector>) -> Drill {
    match selector {
        Some(s) => Drill::Pods(s.clone()),
        // A workload without a selector is invalid; selecting nothing beats selecting all.
        None => Drill::NoSelector,
    }
}

/// A Deployment's row: NAME READY UP-TO-DATE AVAILABLE AGE.
pub fn deployment_row(w: &ReplicatedWire) -> ResourceRow {
    let desired = w.spec.replicas.unwrap_or(1);
    let ready = w.status.ready_replicas.unwrap_or(0);
    let updated = w.status.updated_replicas.unwrap_or(0);
    let available = w.status.available_replicas.unwrap_or(0);
    ResourceRow {
        cells: vec![
            Cell::Name,
            Cell::Text(format!("{ready}/{desired}")),
            Cell::Text(updated.to_string()),
            Cell::Text(available.to_string()),
            Cell::Since(w.metadata.creation_timestamp),
        ],
        health: replica_health(desired, ready, &[updated, available]),
        drill: pods_of(w.spec.selector.as_ref()),
        ..identity(&w.metadata)
    }
}

/// A StatefulSet's row: NAME READY AGE.
pub fn statefulset_row(w: &ReplicatedWire) -> ResourceRow {
    let desired = w.spec.replicas.unwrap_or(1);
    let ready = w.status.ready_replicas.unwrap_or(0);
    ResourceRow {
        cells: vec![
            Cell::Name,
            Cell::Text(format!("{ready}/{desired}")),
            Cell::Since(w.metadata.creation_timestamp),
        ],
        health: replica_health(desired, ready, &[]),
        drill: pods_of(w.spec.selector.as_ref()),
        ..identity(&w.metadata)
    }
}

/// `spec` of a Job.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JobSpec {
    completions: Option<i64>,
    parallelism: Option<i64>,
    selector: Option<LabelSelector>,
}

/// `status` of a Job.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct JobStatus {
    conditions: Option<Vec<Condition>>,
    succeeded: Option<i64>,
    start_time: Option<DateTime<Utc>>,
    completion_time: Option<DateTime<Utc>>,
}

type JobWire = Wire<JobSpec, JobStatus>;

/// The Job STATUS column: the first condition of a type decides (`hasJobCondition`).
fn job_status(w: &JobWire) -> &'static str {
    let conditions = w.status.conditions.as_deref().unwrap_or_default();
    let has = |kind: &str| {
        conditions
            .iter()
            .find(|c| c.type_ == kind)
            .is_some_and(|c| c.status == "True")
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if w.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

/// A Job's row: NAME STATUS COMPLETIONS DURATION AGE.
pub fn job_row(w: &JobWire) -> ResourceRow {
    let succeeded = w.status.succeeded.unwrap_or(0);
    let completions = match (w.spec.completions, w.spec.parallelism.unwrap_or(0)) {
        (Some(n), _) => format!("{succeeded}/{n}"),
        (None, p) if p > 1 => format!("{succeeded}/1 of {p}"),
        (None, _) => format!("{succeeded}/1"),
    };
    // Running jobs show how long they have run so far, so the cell ticks like an age.
    let duration = match (w.status.start_time, w.status.completion_time) {
        (None, _) => Cell::Text(String::new()),
        (Some(start), None) => Cell::Since(Some(start)),
        (Some(start), Some(done)) => Cell::Text(human_duration(done.signed_duration_since(start))),
    };
    let status = job_status(w);
    let health = match status {
        "Complete" => Health::Done,
        "Failed" | "FailureTarget" => Health::Failed,
        "Terminating" | "Suspended" => Health::Warning,
        _ => Health::Ok,
    };
    let selector = match &w.spec.selector {
        Some(s) if !s.requirements.is_empty() => s.clone(),
        // The server always sets one; `job-name` is what it would be keyed on by hand.
        _ => LabelSelector::from_pairs([("job-name", w.metadata.name.as_deref().unwrap_or(""))]),
    };
    ResourceRow {
        cells: vec![
            Cell::Name,
            Cell::Text(status.to_string()),
            Cell::Text(completions),
            duration,
            Cell::Since(w.metadata.creation_timestamp),
        ],
        health,
        drill: Drill::Pods(selector),
        ..identity(&w.metadata)
    }
}

/// `spec` of a CronJob.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct CronJobSpec {
    schedule: String,
    time_zone: Option<String>,
    suspend: Option<bool>,
}

/// `status` of a CronJob.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct CronJobStatus {
    /// Only the count matters.
    active: Option<Vec<IgnoredAny>>,
    last_schedule_time: Option<DateTime<Utc>>,
}

type CronJobWire = Wire<CronJobSpec, CronJobStatus>;

/// A CronJob's row: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE.
pub fn cronjob_row(w: &CronJobWire) -> ResourceRow {
    let suspend = match w.spec.suspend {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let last = match w.status.last_schedule_time {
        Some(at) => Cell::Since(Some(at)),
        None => Cell::Text("<none>".into()),
    };
    ResourceRow {
        cells: vec![
            Cell::Name,
            Cell::Text(w.spec.schedule.clone()),
            Cell::Text(w.spec.time_zone.clone().unwrap_or_else(|| "<none>".into())),
            Cell::Text(suspend.into()),
            Cell::Text(w.status.active.as_ref().map_or(0, Vec::len).to_string()),
            last,
            Cell::Since(w.metadata.creation_timestamp),
        ],
        // A suspended updater is how a runbook pauses updates: worth seeing, not an error.
        health: if w.spec.suspend == Some(true) {
            Health::Warning
        } else {
            Health::Ok
        },
        drill: Drill::OwnedJobs,
        ..identity(&w.metadata)
    }
}

/// The NEXT cell of a CronJob row (not a kubectl column: kterm adds it after LAST SCHEDULE):
/// `in 16h` from the SCHEDULE, TIMEZONE and SUSPEND cells as of `now`.
pub fn cronjob_next(row: &ResourceRow, now: DateTime<Utc>) -> String {
    let text = |i: usize| match row.cells.get(i) {
        Some(Cell::Text(t)) => t.as_str(),
        _ => "",
    };
    let zone = Some(text(2)).filter(|z| !z.is_empty() && *z != "<none>");
    match crate::kube::schedule::next(text(1), zone, now) {
        _ if text(3) == "True" => "<suspended>".to_string(),
        Ok(at) => format!("in {}", human_duration(at.signed_duration_since(now))),
        Err(crate::kube::schedule::NoNext::BadSchedule(_)) => "<invalid>".to_string(),
        Err(crate::kube::schedule::NoNext::BadZone(_)) => "<bad zone>".to_string(),
        Err(crate::kube::schedule::NoNext::Never) => "<never>".to_string(),
    }
}

slim!(
    /// A Deployment as listed.
    SlimDeployment: Deployment, ReplicatedWire, deployment_row
);
slim!(
    /// A StatefulSet as listed.
    SlimStatefulSet: StatefulSet, ReplicatedWire, statefulset_row
);
slim!(
    /// A Job as listed.
    SlimJob: Job, JobWire, job_row
);
slim!(
    /// A CronJob as listed.
    SlimCronJob: CronJob, CronJobWire, cronjob_row
);
