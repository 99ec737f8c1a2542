//! The pod row: kubectl's READY, STATUS and RESTARTS columns, following the
//! server's `printPod` rule for rule, because these strings are what users read
//! first and any deviation is visible.
//!
//! kterm has its own copy of these rules (`src/kube/pods.rs`, on its slim pod struct). The
//! duplication is deliberate: the simulator judges kterm, so it must not share kterm's code.
//! Both are checked against one case table, `tests/fixtures/pod-status/cases.yaml`.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::util::{age, age_of, arr_at, bool_at, get, int_at, str_at, time_at};

/// What `printPod` works out of a pod before laying out cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PodSummary {
    pub ready: i64,
    pub total: i64,
    pub reason: String,
    pub restarts: i64,
    /// The most recent `lastState.terminated.finishedAt` among the counted containers.
    pub last_restart: Option<DateTime<Utc>>,
}

/// A restart counter with the time of its latest restart.
#[derive(Debug, Default, Clone, Copy)]
struct Restarts {
    count: i64,
    last: Option<DateTime<Utc>>,
}

impl Restarts {
    fn add(&mut self, status: &Value) {
        self.count += int_at(status, &["restartCount"]);
        if let Some(t) = time_at(status, &["lastState", "terminated", "finishedAt"]) {
            if self.last.is_none_or(|last| last < t) {
                self.last = Some(t);
            }
        }
    }
}

/// Init containers with `restartPolicy: Always` are sidecars: they keep running and
/// count as regular containers for READY and RESTARTS.
fn restartable_init_names(pod: &Value) -> Vec<&str> {
    arr_at(pod, &["spec", "initContainers"])
        .iter()
        .filter(|c| str_at(c, &["restartPolicy"]) == "Always")
        .map(|c| str_at(c, &["name"]))
        .collect()
}

/// A terminated container without a reason is described by its signal or exit code.
fn exit_description(terminated: &Value) -> String {
    let signal = int_at(terminated, &["signal"]);
    if signal != 0 {
        format!("Signal:{signal}")
    } else {
        format!("ExitCode:{}", int_at(terminated, &["exitCode"]))
    }
}

fn condition_is_true(pod: &Value, kind: &str) -> bool {
    arr_at(pod, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == kind)
        .is_some_and(|c| str_at(c, &["status"]) == "True")
}

/// `hasPodReadyCondition`: any Ready condition with status True.
fn has_ready_condition(pod: &Value) -> bool {
    arr_at(pod, &["status", "conditions"])
        .iter()
        .any(|c| str_at(c, &["type"]) == "Ready" && str_at(c, &["status"]) == "True")
}

/// The outcome of walking the init container statuses.
struct InitWalk {
    reason: Option<String>,
    initializing: bool,
    ready_sidecars: i64,
    all: Restarts,
    sidecars: Restarts,
}

/// Walks init containers in order and stops at the first one still initializing,
/// as the printer does; only the statuses visited count towards restarts.
fn walk_init_containers(pod: &Value, sidecars: &[&str]) -> InitWalk {
    let spec_count = arr_at(pod, &["spec", "initContainers"]).len();
    let mut walk = InitWalk {
        reason: None,
        initializing: false,
        ready_sidecars: 0,
        all: Restarts::default(),
        sidecars: Restarts::default(),
    };
    for (i, status) in arr_at(pod, &["status", "initContainerStatuses"])
        .iter()
        .enumerate()
    {
        walk.all.add(status);
        let is_sidecar = sidecars.contains(&str_at(status, &["name"]));
        if is_sidecar {
            walk.sidecars.add(status);
        }
        let terminated = get(status, &["state", "terminated"]);
        let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| int_at(t, &["exitCode"]) == 0) {
            continue;
        }
        if is_sidecar && bool_at(status, &["started"]) {
            if bool_at(status, &["ready"]) {
                walk.ready_sidecars += 1;
            }
            continue;
        }
        walk.reason = Some(if let Some(t) = terminated {
            match str_at(t, &["reason"]) {
                "" => format!("Init:{}", exit_description(t)),
                r => format!("Init:{r}"),
            }
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            format!("Init:{waiting_reason}")
        } else {
            format!("Init:{i}/{spec_count}")
        });
        walk.initializing = true;
        break;
    }
    walk
}

/// Everything `printPod` derives for READY, STATUS and RESTARTS.
pub(crate) fn summarize(pod: &Value) -> PodSummary {
    let phase = str_at(pod, &["status", "phase"]);
    let status_reason = str_at(pod, &["status", "reason"]);
    let mut reason = if status_reason.is_empty() {
        phase.to_string()
    } else {
        status_reason.to_string()
    };
    let gated = arr_at(pod, &["status", "conditions"]).iter().any(|c| {
        str_at(c, &["type"]) == "PodScheduled" && str_at(c, &["reason"]) == "SchedulingGated"
    });
    if gated {
        reason = "SchedulingGated".to_string();
    }

    let sidecars = restartable_init_names(pod);
    let regular = i64::try_from(arr_at(pod, &["spec", "containers"]).len()).unwrap_or(0);
    let total = regular + i64::try_from(sidecars.len()).unwrap_or(0);

    let walk = walk_init_containers(pod, &sidecars);
    let mut ready = walk.ready_sidecars;
    let mut restarts = walk.all;
    if let Some(r) = walk.reason {
        reason = r;
    }

    // Regular containers decide the status once init is done, or once the pod says
    // it is initialized (a crashing sidecar must not hide the main containers).
    if !walk.initializing || condition_is_true(pod, "Initialized") {
        restarts = walk.sidecars;
        let mut has_running = false;
        for status in arr_at(pod, &["status", "containerStatuses"]).iter().rev() {
            restarts.add(status);
            let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
            let terminated = get(status, &["state", "terminated"]);
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = terminated {
                reason = match str_at(t, &["reason"]) {
                    "" => exit_description(t),
                    r => r.to_string(),
                };
            } else if bool_at(status, &["ready"]) && get(status, &["state", "running"]).is_some() {
                has_running = true;
                ready += 1;
            }
        }
        // A container that completed while another still runs does not make the pod "Completed".
        if reason == "Completed" && has_running {
            reason = if has_ready_condition(pod) {
                "Running"
            } else {
                "NotReady"
            }
            .to_string();
        }
    }

    if get(pod, &["metadata", "deletionTimestamp"]).is_some() {
        if status_reason == "NodeLost" {
            reason = "Unknown".to_string();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".to_string();
        }
    }

    PodSummary {
        ready,
        total,
        reason,
        restarts: restarts.count,
        last_restart: restarts.last,
    }
}

/// The RESTARTS cell: "3", or "3 (12m ago)" once a restart time is known.
pub(crate) fn restarts_cell(summary: &PodSummary, now: DateTime<Utc>) -> String {
    match summary.last_restart {
        Some(t) if summary.restarts != 0 => {
            format!("{} ({} ago)", summary.restarts, age_of(Some(t), now))
        }
        _ => summary.restarts.to_string(),
    }
}

/// The READINESS GATES cell: "<none>", or how many gate conditions are True.
fn readiness_gates(pod: &Value) -> String {
    let gates = arr_at(pod, &["spec", "readinessGates"]);
    if gates.is_empty() {
        return "<none>".to_string();
    }
    let conditions = arr_at(pod, &["status", "conditions"]);
    let passed = gates
        .iter()
        .filter(|g| {
            let kind = str_at(g, &["conditionType"]);
            conditions
                .iter()
                .find(|c| str_at(c, &["type"]) == kind)
                .is_some_and(|c| str_at(c, &["status"]) == "True")
        })
        .count();
    format!("{passed}/{}", gates.len())
}

/// The pod's first IP. The server converts v1 `podIP` into the first of `podIPs`.
fn pod_ip(pod: &Value) -> String {
    let ip = str_at(pod, &["status", "podIP"]);
    let ip = if ip.is_empty() {
        arr_at(pod, &["status", "podIPs"])
            .first()
            .map_or("", |p| str_at(p, &["ip"]))
    } else {
        ip
    };
    none_if_empty(ip)
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// All cells of a pod row (the server always fills the wide columns).
pub(crate) fn cells(pod: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let summary = summarize(pod);
    vec![
        json!(str_at(pod, &["metadata", "name"])),
        json!(format!("{}/{}", summary.ready, summary.total)),
        json!(summary.reason),
        json!(restarts_cell(&summary, now)),
        json!(age(pod, now)),
        json!(pod_ip(pod)),
        json!(none_if_empty(str_at(pod, &["spec", "nodeName"]))),
        json!(none_if_empty(str_at(pod, &["status", "nominatedNodeName"]))),
        json!(readiness_gates(pod)),
    ]
}

/// Row conditions the server attaches to finished pods.
pub(crate) fn row_conditions(pod: &Value) -> Option<Value> {
    let (reason, message) = match str_at(pod, &["status", "phase"]) {
        "Succeeded" => ("Succeeded", "The pod has completed successfully."),
        "Failed" => ("Failed", "The pod failed."),
        _ => return None,
    };
    Some(json!([{
        "type": "Completed",
        "status": "True",
        "reason": reason,
        "message": message,
    }]))
}
