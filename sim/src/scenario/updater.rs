//! The updater run an operator started by hand in one tenant, for the runbook's steps "copy the new RPO
//! into the cronjob's pod (`kubectl cp tttm120.rpo <ns>/protheus-updater-xxxxx:protheus/apo/…`)" and
//! "run `init-upddistr` directly inside the pod": a Job made from the `protheus-updater` CronJob exactly
//! as `kubectl create job --from=cronjob/protheus-updater` makes it, with the runbook's sleeper put in
//! front of its command so its pod stays up for the operator.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde_json::{json, Value};

use super::{ago, set, RUN_SECONDS};

/// The tenant whose updater pod runs: the healthy one, so the run is not mistaken for an incident.
pub(super) const UPDATER_TENANT: &str = "r2g5mu";
/// Minutes since the operator created the Job.
const CREATED_MINUTES_AGO: i64 = 25;
/// How long the sleeper keeps the pod up: a day, longer than any demo session.
const SLEEPER_SECONDS: i64 = 24 * 60 * 60;
/// The CronJob's uid, fixed so the Job's owner reference can name it before the store exists.
const CRONJOB_UID: &str = "7b1e4c52-93a0-4d6e-b2f8-5c0d1a9e3f61";

/// The nightly run the operator replaces: the CronJob's latest 03:00 São Paulo (06:00 UTC) at or
/// before `t`; named like the controller names it, `<cronjob>-<minutes since the epoch>`.
fn scheduled_name(t: DateTime<Utc>) -> String {
    let six = NaiveTime::from_hms_opt(6, 0, 0).unwrap_or_default();
    let mut at = t.date_naive().and_time(six).and_utc();
    if at > t {
        at -= Duration::days(1);
    }
    format!("protheus-updater-{}", at.timestamp() / 60)
}

/// The Job as kubectl builds it from `cronjob` (annotation `cronjob.kubernetes.io/instantiate:
/// manual`, a controller owner reference without `blockOwnerDeletion`, the job template's spec) and as
/// the API server stores it (labels defaulted from the pod template, since the job template has none).
fn manual_run(cronjob: &Value, now: DateTime<Utc>) -> Value {
    let created = now - Duration::minutes(CREATED_MINUTES_AGO);
    let mut spec = cronjob["spec"]["jobTemplate"]["spec"].clone();
    let template = &mut spec["template"];
    set(
        template,
        &["metadata", "annotations", RUN_SECONDS],
        json!(SLEEPER_SECONDS.to_string()),
    );
    if let Some(script) = template.pointer_mut("/spec/containers/0/command/2") {
        let line = script.as_str().unwrap_or_default();
        *script = json!(format!(
            "# sleeper: paused for a manual init-upddistr, remove to resume\n\
             sleep {SLEEPER_SECONDS}\n{line}"
        ));
    }
    let labels = template["metadata"]["labels"].clone();
    let m = &cronjob["metadata"];
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {
            "name": scheduled_name(created),
            "namespace": m["namespace"],
            "labels": labels,
            "annotations": {"cronjob.kubernetes.io/instantiate": "manual"},
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": m["name"],
                                 "uid": m["uid"], "controller": true}],
            "creationTimestamp": ago(now, CREATED_MINUTES_AGO),
        },
        "spec": spec,
        // The Job controller keeps a start time it finds, so the DURATION column counts from here.
        "status": {"startTime": ago(now, CREATED_MINUTES_AGO)},
    })
}

/// Gives the updater tenant's CronJob its uid and appends the manual run after it; the simulator's Job
/// controller then creates the pod (`protheus-updater-<minutes>-xxxxx`).
pub(super) fn add_manual_run(objects: &mut Vec<Value>, now: DateTime<Utc>) {
    let Some(cronjob) = objects.iter_mut().find(|o| {
        o["kind"] == "CronJob"
            && o["metadata"]["namespace"] == UPDATER_TENANT
            && o["metadata"]["name"] == "protheus-updater"
    }) else {
        return;
    };
    set(cronjob, &["metadata", "uid"], json!(CRONJOB_UID));
    let job = manual_run(cronjob, now);
    objects.push(job);
}
