//! kubectl's STATUS/READY/RESTARTS rules, case by case: pod JSON in, row cells out.

use kterm::kube::pods::{pod_row, PodRow, SlimPod};
use serde_json::{json, Value};

use super::fixtures::now;

const T0: &str = "2025-01-01T11:00:00Z";
const T_MINUS_3M: &str = "2025-01-01T11:57:00Z";
const T_MINUS_12M: &str = "2025-01-01T11:48:00Z";

fn pod(spec: Value, status: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "appserver-0",
            "namespace": "c2a7dv",
            "uid": "u1",
            "resourceVersion": "7",
            "creationTimestamp": T0,
            "managedFields": [{"manager": "kubelet", "fieldsV1": {"f:status": {}}}],
            "labels": {"app": "appserver"}
        },
        "spec": spec,
        "status": status
    })
}

fn containers(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"name": format!("c{i}"), "image": "x"}))
            .collect(),
    )
}

fn app_spec(n: usize) -> Value {
    json!({"nodeName": "node-a", "containers": containers(n)})
}

fn running(name: &str) -> Value {
    json!({"name": name, "ready": true, "restartCount": 0, "started": true,
           "state": {"running": {"startedAt": T0}}, "lastState": {}})
}

fn waiting(name: &str, reason: &str) -> Value {
    json!({"name": name, "ready": false, "restartCount": 0,
           "state": {"waiting": {"reason": reason}}, "lastState": {}})
}

fn terminated(name: &str, reason: Option<&str>, exit: i32, signal: i32) -> Value {
    let mut t = json!({"exitCode": exit, "finishedAt": T_MINUS_3M});
    if let Some(r) = reason {
        t["reason"] = json!(r);
    }
    if signal != 0 {
        t["signal"] = json!(signal);
    }
    json!({"name": name, "ready": false, "restartCount": 0, "state": {"terminated": t}, "lastState": {}})
}

fn with_last(mut status: Value, restarts: u32, reason: &str, exit: i32, at: &str) -> Value {
    status["restartCount"] = json!(restarts);
    status["lastState"] =
        json!({"terminated": {"reason": reason, "exitCode": exit, "finishedAt": at}});
    status
}

fn phase(phase: &str, containers: Vec<Value>) -> Value {
    json!({"phase": phase, "containerStatuses": containers})
}

fn decode(value: Value) -> PodRow {
    let pod: SlimPod = serde_json::from_value(value).expect("pod decodes");
    pod_row(&pod)
}

fn status_of(value: Value) -> String {
    decode(value).status
}

#[test]
fn running_and_ready() {
    let row = decode(pod(app_spec(1), phase("Running", vec![running("c0")])));
    assert_eq!(row.status, "Running");
    assert_eq!(row.ready_cell(), "1/1");
    assert_eq!(row.restarts_cell(now()), "0");
    assert_eq!(row.last_termination_cell(now()), "");
    assert_eq!(&*row.node, "node-a");
    assert_eq!(row.age_cell(now()), "60m");
    assert_eq!((&*row.namespace, &*row.name), ("c2a7dv", "appserver-0"));
}

#[test]
fn managed_fields_are_not_kept() {
    let pod: SlimPod = serde_json::from_value(pod(app_spec(1), json!({}))).expect("decodes");
    assert!(pod.metadata.managed_fields.is_none());
    assert!(pod.metadata.labels.is_none());
    assert_eq!(pod.metadata.resource_version.as_deref(), Some("7"));
}

#[test]
fn crash_loop_back_off_with_restarts() {
    let c = with_last(waiting("c0", "CrashLoopBackOff"), 5, "Error", 1, T_MINUS_3M);
    let row = decode(pod(app_spec(1), phase("Running", vec![c])));
    assert_eq!(row.status, "CrashLoopBackOff");
    assert_eq!(row.ready_cell(), "0/1");
    assert_eq!(row.restarts_cell(now()), "5 (3m ago)");
    assert_eq!(row.last_termination_cell(now()), "Error 3m");
}

#[test]
fn oom_killed_last_termination() {
    let c = with_last(running("c0"), 2, "OOMKilled", 137, T_MINUS_12M);
    let row = decode(pod(app_spec(1), phase("Running", vec![c])));
    assert_eq!(row.status, "Running");
    assert_eq!(row.restarts_cell(now()), "2 (12m ago)");
    assert_eq!(row.last_termination_cell(now()), "OOMKilled 12m");
}

#[test]
fn last_termination_is_the_most_recent_across_containers() {
    let a = with_last(running("c0"), 1, "Error", 1, T_MINUS_12M);
    let b = with_last(running("c1"), 1, "OOMKilled", 137, T_MINUS_3M);
    let row = decode(pod(app_spec(2), phase("Running", vec![a, b])));
    assert_eq!(row.restarts, 2);
    assert_eq!(row.restarts_cell(now()), "2 (3m ago)");
    assert_eq!(row.last_termination_cell(now()), "OOMKilled 3m");
}

#[test]
fn init_progress() {
    let spec =
        json!({"containers": containers(1), "initContainers": [{"name": "i0"}, {"name": "i1"}]});
    let status = json!({"phase": "Pending",
        "initContainerStatuses": [terminated("i0", Some("Completed"), 0, 0), running("i1")],
        "containerStatuses": [waiting("c0", "PodInitializing")]});
    assert_eq!(status_of(pod(spec, status)), "Init:1/2");
}

#[test]
fn init_pod_initializing_counts_as_progress() {
    let spec = json!({"containers": containers(1), "initContainers": [{"name": "i0"}]});
    let status =
        json!({"phase": "Pending", "initContainerStatuses": [waiting("i0", "PodInitializing")]});
    assert_eq!(status_of(pod(spec, status)), "Init:0/1");
}

#[test]
fn init_crash_loop() {
    let spec = json!({"containers": containers(1), "initContainers": [{"name": "i0"}]});
    let status =
        json!({"phase": "Pending", "initContainerStatuses": [waiting("i0", "CrashLoopBackOff")]});
    assert_eq!(status_of(pod(spec, status)), "Init:CrashLoopBackOff");
}

#[test]
fn init_error_exit_code_and_signal() {
    let spec = json!({"containers": containers(1), "initContainers": [{"name": "i0"}]});
    let cases = [
        (terminated("i0", Some("Error"), 1, 0), "Init:Error"),
        (terminated("i0", None, 3, 0), "Init:ExitCode:3"),
        (terminated("i0", None, 137, 9), "Init:Signal:9"),
    ];
    for (c, want) in cases {
        let status = json!({"phase": "Pending", "initContainerStatuses": [c]});
        assert_eq!(status_of(pod(spec.clone(), status)), want);
    }
}

#[test]
fn completed_job_pod() {
    let status = phase("Succeeded", vec![terminated("c0", Some("Completed"), 0, 0)]);
    let row = decode(pod(app_spec(1), status));
    assert_eq!(row.status, "Completed");
    assert_eq!(row.ready_cell(), "0/1");
    assert!(!row.is_unhealthy());
}

#[test]
fn terminating() {
    let mut p = pod(app_spec(1), phase("Running", vec![running("c0")]));
    p["metadata"]["deletionTimestamp"] = json!(T_MINUS_3M);
    assert_eq!(status_of(p), "Terminating");
}

#[test]
fn terminating_finished_pod_keeps_its_status() {
    let mut p = pod(
        app_spec(1),
        phase("Succeeded", vec![terminated("c0", Some("Completed"), 0, 0)]),
    );
    p["metadata"]["deletionTimestamp"] = json!(T_MINUS_3M);
    assert_eq!(status_of(p), "Completed");
}

#[test]
fn node_lost_is_unknown() {
    let mut p = pod(
        app_spec(1),
        json!({"phase": "Running", "reason": "NodeLost", "containerStatuses": [running("c0")]}),
    );
    p["metadata"]["deletionTimestamp"] = json!(T_MINUS_3M);
    assert_eq!(status_of(p), "Unknown");
}

#[test]
fn container_creating() {
    let row = decode(pod(
        app_spec(1),
        phase("Pending", vec![waiting("c0", "ContainerCreating")]),
    ));
    assert_eq!(row.status, "ContainerCreating");
    assert!(row.is_unhealthy());
}

#[test]
fn image_pull_back_off_and_err_image_pull() {
    for reason in [
        "ImagePullBackOff",
        "ErrImagePull",
        "CreateContainerConfigError",
    ] {
        assert_eq!(
            status_of(pod(
                app_spec(1),
                phase("Pending", vec![waiting("c0", reason)])
            )),
            reason
        );
    }
}

#[test]
fn completed_container_beside_running_one() {
    let containers = vec![terminated("c0", Some("Completed"), 0, 0), running("c1")];
    let not_ready = json!({"phase": "Running", "containerStatuses": containers.clone(),
        "conditions": [{"type": "Ready", "status": "False"}]});
    assert_eq!(status_of(pod(app_spec(2), not_ready)), "NotReady");
    let ready = json!({"phase": "Running", "containerStatuses": containers,
        "conditions": [{"type": "Ready", "status": "True"}]});
    let row = decode(pod(app_spec(2), ready));
    assert_eq!(row.status, "Running");
    assert_eq!(row.ready_cell(), "1/2");
}

#[test]
fn failed_with_error() {
    let row = decode(pod(
        app_spec(1),
        phase("Failed", vec![terminated("c0", Some("Error"), 2, 0)]),
    ));
    assert_eq!(row.status, "Error");
    assert!(row.is_unhealthy());
}

#[test]
fn app_container_exit_code_and_signal() {
    assert_eq!(
        status_of(pod(
            app_spec(1),
            phase("Failed", vec![terminated("c0", None, 2, 0)])
        )),
        "ExitCode:2"
    );
    assert_eq!(
        status_of(pod(
            app_spec(1),
            phase("Failed", vec![terminated("c0", None, 0, 15)])
        )),
        "Signal:15"
    );
}

#[test]
fn evicted() {
    let status = json!({"phase": "Failed", "reason": "Evicted", "message": "low on memory"});
    let row = decode(pod(app_spec(1), status));
    assert_eq!(row.status, "Evicted");
    assert_eq!(row.ready_cell(), "0/1");
}

#[test]
fn pending_unscheduled() {
    let spec = json!({"containers": containers(2)});
    let status = json!({"phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]});
    let row = decode(pod(spec, status));
    assert_eq!(row.status, "Pending");
    assert_eq!(row.ready_cell(), "0/2");
    assert_eq!(&*row.node, "");
}

#[test]
fn scheduling_gated() {
    let status = json!({"phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]});
    assert_eq!(status_of(pod(app_spec(1), status)), "SchedulingGated");
}

#[test]
fn first_container_wins_because_kubectl_walks_in_reverse() {
    let status = phase(
        "Running",
        vec![
            waiting("c0", "CrashLoopBackOff"),
            waiting("c1", "ImagePullBackOff"),
        ],
    );
    assert_eq!(status_of(pod(app_spec(2), status)), "CrashLoopBackOff");
}

#[test]
fn native_sidecar_counts_in_ready_and_restarts() {
    let spec = json!({"containers": containers(1),
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}]});
    let sidecar = with_last(running("proxy"), 3, "Error", 1, T_MINUS_3M);
    let status = json!({"phase": "Running",
        "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
        "initContainerStatuses": [sidecar], "containerStatuses": [running("c0")]});
    let row = decode(pod(spec, status));
    assert_eq!(row.status, "Running");
    assert_eq!(row.ready_cell(), "2/2");
    assert_eq!(row.restarts_cell(now()), "3 (3m ago)");
}

#[test]
fn native_sidecar_not_started_blocks_init() {
    let spec = json!({"containers": containers(1),
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}]});
    let mut sidecar = running("proxy");
    sidecar["started"] = json!(false);
    sidecar["ready"] = json!(false);
    let status = json!({"phase": "Pending", "initContainerStatuses": [sidecar],
        "containerStatuses": [waiting("c0", "PodInitializing")]});
    let row = decode(pod(spec, status));
    assert_eq!(row.status, "Init:0/1");
    assert_eq!(row.ready_cell(), "0/2");
}

#[test]
fn regular_init_restarts_are_not_counted_once_initialized() {
    let spec = json!({"containers": containers(1), "initContainers": [{"name": "i0"}]});
    let mut init = terminated("i0", Some("Completed"), 0, 0);
    init["restartCount"] = json!(4);
    let status = json!({"phase": "Running",
        "conditions": [{"type": "Initialized", "status": "True"}],
        "initContainerStatuses": [init], "containerStatuses": [running("c0")]});
    let row = decode(pod(spec, status));
    assert_eq!(row.status, "Running");
    assert_eq!(row.restarts, 0);
}

#[test]
fn init_restarts_are_counted_while_initializing() {
    let spec = json!({"containers": containers(1), "initContainers": [{"name": "i0"}]});
    let init = with_last(
        waiting("i0", "CrashLoopBackOff"),
        6,
        "Error",
        1,
        T_MINUS_12M,
    );
    let status = json!({"phase": "Pending", "initContainerStatuses": [init]});
    let row = decode(pod(spec, status));
    assert_eq!(row.status, "Init:CrashLoopBackOff");
    assert_eq!(row.restarts_cell(now()), "6 (12m ago)");
}

#[test]
fn missing_fields_decode_to_defaults() {
    let row = decode(json!({"metadata": {"name": "bare", "namespace": "ns"}}));
    assert_eq!(row.status, "");
    assert_eq!(row.ready_cell(), "0/0");
    assert_eq!(row.age_cell(now()), "<unknown>");
}
