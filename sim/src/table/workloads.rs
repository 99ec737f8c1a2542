//! Rows of the apps/batch workloads: deployments, replica sets, replication
//! controllers, stateful sets, daemon sets, jobs and cron jobs.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::util::{
    age, age_of, arr_at, containers_and_images, format_labels, format_selector, get, human_seconds,
    int_at, selector_string, str_at, time_at,
};

fn name(obj: &Value) -> Value {
    json!(str_at(obj, &["metadata", "name"]))
}

/// spec.replicas, which the server defaults to 1 when a client leaves it out.
fn desired_replicas(obj: &Value) -> i64 {
    get(obj, &["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn template_spec(obj: &Value) -> Option<&Value> {
    get(obj, &["spec", "template", "spec"])
}

/// The Containers and Images cells of a workload's pod template.
fn container_cells(pod_spec: Option<&Value>) -> [Value; 2] {
    let (names, images) = containers_and_images(pod_spec);
    [json!(names), json!(images)]
}

pub(crate) fn deployment(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    // printDeployment prints the raw selector string (no "<none>" substitution).
    let selector = selector_string(get(obj, &["spec", "selector"]));
    let [names, images] = container_cells(template_spec(obj));
    vec![
        name(obj),
        json!(format!(
            "{}/{}",
            int_at(obj, &["status", "readyReplicas"]),
            desired_replicas(obj)
        )),
        json!(int_at(obj, &["status", "updatedReplicas"])),
        json!(int_at(obj, &["status", "availableReplicas"])),
        json!(age(obj, now)),
        names,
        images,
        json!(selector),
    ]
}

pub(crate) fn replicaset(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    replica_cells(obj, now, format_selector(get(obj, &["spec", "selector"])))
}

/// Replication controllers select with a plain label map, not a LabelSelector.
pub(crate) fn replicationcontroller(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    replica_cells(obj, now, format_labels(get(obj, &["spec", "selector"])))
}

/// The cells both replica controllers print; only how the selector reads differs.
fn replica_cells(obj: &Value, now: DateTime<Utc>, selector: String) -> Vec<Value> {
    let [names, images] = container_cells(template_spec(obj));
    vec![
        name(obj),
        json!(desired_replicas(obj)),
        json!(int_at(obj, &["status", "replicas"])),
        json!(int_at(obj, &["status", "readyReplicas"])),
        json!(age(obj, now)),
        names,
        images,
        json!(selector),
    ]
}

pub(crate) fn statefulset(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let [names, images] = container_cells(template_spec(obj));
    vec![
        name(obj),
        json!(format!(
            "{}/{}",
            int_at(obj, &["status", "readyReplicas"]),
            desired_replicas(obj)
        )),
        json!(age(obj, now)),
        names,
        images,
    ]
}

pub(crate) fn daemonset(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let status = |field: &str| json!(int_at(obj, &["status", field]));
    let [names, images] = container_cells(template_spec(obj));
    vec![
        name(obj),
        status("desiredNumberScheduled"),
        status("currentNumberScheduled"),
        status("numberReady"),
        status("updatedNumberScheduled"),
        status("numberAvailable"),
        json!(format_labels(get(
            obj,
            &["spec", "template", "spec", "nodeSelector"]
        ))),
        json!(age(obj, now)),
        names,
        images,
        json!(format_selector(get(obj, &["spec", "selector"]))),
    ]
}

/// `hasJobCondition`: the first condition of that type decides.
fn job_condition(obj: &Value, kind: &str) -> bool {
    arr_at(obj, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == kind)
        .is_some_and(|c| str_at(c, &["status"]) == "True")
}

/// The Job STATUS column (added in 1.30).
pub(crate) fn job_status(obj: &Value) -> &'static str {
    if job_condition(obj, "Complete") {
        "Complete"
    } else if job_condition(obj, "Failed") {
        "Failed"
    } else if get(obj, &["metadata", "deletionTimestamp"]).is_some() {
        "Terminating"
    } else if job_condition(obj, "Suspended") {
        "Suspended"
    } else if job_condition(obj, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

/// COMPLETIONS: "succeeded/completions", or "n/1" ("n/1 of p") for work-queue jobs.
fn job_completions(obj: &Value) -> String {
    let succeeded = int_at(obj, &["status", "succeeded"]);
    if let Some(completions) = get(obj, &["spec", "completions"]).and_then(Value::as_i64) {
        return format!("{succeeded}/{completions}");
    }
    let parallelism = int_at(obj, &["spec", "parallelism"]);
    if parallelism > 1 {
        format!("{succeeded}/1 of {parallelism}")
    } else {
        format!("{succeeded}/1")
    }
}

/// DURATION: empty before start, running time so far, or start-to-completion.
fn job_duration(obj: &Value, now: DateTime<Utc>) -> String {
    let Some(start) = time_at(obj, &["status", "startTime"]) else {
        return String::new();
    };
    match time_at(obj, &["status", "completionTime"]) {
        None => age_of(Some(start), now),
        Some(done) => human_seconds(done.signed_duration_since(start).num_seconds()),
    }
}

pub(crate) fn job(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let [names, images] = container_cells(template_spec(obj));
    vec![
        name(obj),
        json!(job_status(obj)),
        json!(job_completions(obj)),
        json!(job_duration(obj, now)),
        json!(age(obj, now)),
        names,
        images,
        json!(format_selector(get(obj, &["spec", "selector"]))),
    ]
}

/// `printBoolPtr`: "True"/"False", "<unset>" for nil.
fn bool_ptr(v: Option<&Value>) -> &'static str {
    match v.and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    }
}

pub(crate) fn cronjob(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let last_schedule = match time_at(obj, &["status", "lastScheduleTime"]) {
        Some(t) => age_of(Some(t), now),
        None => "<none>".to_string(),
    };
    let timezone = match str_at(obj, &["spec", "timeZone"]) {
        "" if get(obj, &["spec", "timeZone"]).is_none() => "<none>",
        tz => tz,
    };
    let job_spec = get(obj, &["spec", "jobTemplate", "spec"]);
    let pod_spec = job_spec.and_then(|j| get(j, &["template", "spec"]));
    let [names, images] = container_cells(pod_spec);
    vec![
        name(obj),
        json!(str_at(obj, &["spec", "schedule"])),
        json!(timezone),
        json!(bool_ptr(get(obj, &["spec", "suspend"]))),
        json!(i64::try_from(arr_at(obj, &["status", "active"]).len()).unwrap_or(0)),
        json!(last_schedule),
        json!(age(obj, now)),
        names,
        images,
        json!(format_selector(
            job_spec.and_then(|j| get(j, &["selector"]))
        )),
    ]
}
