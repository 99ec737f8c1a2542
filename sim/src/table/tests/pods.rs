//! pod_status, READY and RESTARTS.

use super::*;
use serde_json::json;

// ---- pod_status ----

#[test]
pub(super) fn status_pending_without_statuses() {
    assert_eq!(pod_status(&pod("Pending", json!([]))), "Pending");
}
#[test]
pub(super) fn status_running_ready() {
    assert_eq!(
        pod_status(&pod("Running", json!([running("a", true)]))),
        "Running"
    );
}
#[test]
pub(super) fn status_running_not_ready_container_stays_running() {
    assert_eq!(
        pod_status(&pod("Running", json!([running("a", false)]))),
        "Running"
    );
}
#[test]
pub(super) fn status_succeeded_completed() {
    let p = pod("Succeeded", json!([terminated("a", "Completed", 0, 0)]));
    assert_eq!(pod_status(&p), "Completed");
}
#[test]
pub(super) fn status_failed_error() {
    let p = pod("Failed", json!([terminated("a", "Error", 1, 0)]));
    assert_eq!(pod_status(&p), "Error");
}
#[test]
pub(super) fn status_crash_loop() {
    let p = pod("Running", json!([waiting("a", "CrashLoopBackOff")]));
    assert_eq!(pod_status(&p), "CrashLoopBackOff");
}
#[test]
pub(super) fn status_container_creating() {
    let p = pod("Pending", json!([waiting("a", "ContainerCreating")]));
    assert_eq!(pod_status(&p), "ContainerCreating");
}
#[test]
pub(super) fn status_image_pull_backoff() {
    let p = pod("Pending", json!([waiting("a", "ImagePullBackOff")]));
    assert_eq!(pod_status(&p), "ImagePullBackOff");
}
#[test]
pub(super) fn status_err_image_pull() {
    let p = pod("Pending", json!([waiting("a", "ErrImagePull")]));
    assert_eq!(pod_status(&p), "ErrImagePull");
}
#[test]
pub(super) fn status_create_container_config_error() {
    let p = pod(
        "Pending",
        json!([waiting("a", "CreateContainerConfigError")]),
    );
    assert_eq!(pod_status(&p), "CreateContainerConfigError");
}
#[test]
pub(super) fn status_oom_killed() {
    let p = pod("Running", json!([terminated("a", "OOMKilled", 137, 0)]));
    assert_eq!(pod_status(&p), "OOMKilled");
}
#[test]
pub(super) fn status_signal_without_reason() {
    let p = pod("Running", json!([terminated("a", "", 137, 9)]));
    assert_eq!(pod_status(&p), "Signal:9");
}
#[test]
pub(super) fn status_exit_code_without_reason() {
    let p = pod("Running", json!([terminated("a", "", 3, 0)]));
    assert_eq!(pod_status(&p), "ExitCode:3");
}
#[test]
pub(super) fn status_waiting_without_reason_is_ignored() {
    let p = pod(
        "Running",
        json!([{"name": "a", "ready": false, "state": {"waiting": {}}}]),
    );
    assert_eq!(pod_status(&p), "Running");
}
#[test]
pub(super) fn status_first_container_wins_as_walked_in_reverse() {
    let p = pod(
        "Running",
        json!([
            waiting("a", "CrashLoopBackOff"),
            waiting("b", "ImagePullBackOff")
        ]),
    );
    assert_eq!(pod_status(&p), "CrashLoopBackOff");
}
#[test]
pub(super) fn status_running_container_does_not_reset_earlier_reason() {
    // b is walked first and sets nothing; a's waiting reason then applies.
    let p = pod(
        "Running",
        json!([waiting("a", "CrashLoopBackOff"), running("b", true)]),
    );
    assert_eq!(pod_status(&p), "CrashLoopBackOff");
}
#[test]
pub(super) fn status_terminated_error_beats_completed_of_later_container() {
    let p = pod(
        "Failed",
        json!([
            terminated("a", "Error", 1, 0),
            terminated("b", "Completed", 0, 0)
        ]),
    );
    assert_eq!(pod_status(&p), "Error");
}
#[test]
pub(super) fn status_completed_with_running_and_ready_pod_is_running() {
    let p = pod(
        "Running",
        json!([terminated("a", "Completed", 0, 0), running("b", true)]),
    );
    let p = set(
        p,
        &["status", "conditions"],
        json!([{"type": "Ready", "status": "True"}]),
    );
    assert_eq!(pod_status(&p), "Running");
}
#[test]
pub(super) fn status_completed_with_running_but_unready_pod_is_not_ready() {
    let p = pod(
        "Running",
        json!([terminated("a", "Completed", 0, 0), running("b", true)]),
    );
    let p = set(
        p,
        &["status", "conditions"],
        json!([{"type": "Ready", "status": "False"}]),
    );
    assert_eq!(pod_status(&p), "NotReady");
}
#[test]
pub(super) fn status_completed_with_running_but_not_ready_container_stays_completed() {
    let p = pod(
        "Running",
        json!([terminated("a", "Completed", 0, 0), running("b", false)]),
    );
    assert_eq!(pod_status(&p), "Completed");
}
#[test]
pub(super) fn status_running_with_ready_condition_false_stays_running() {
    // Only the "Completed but still running" case turns into NotReady.
    let p = pod("Running", json!([running("a", false)]));
    let p = set(
        p,
        &["status", "conditions"],
        json!([{"type": "Ready", "status": "False"}]),
    );
    assert_eq!(pod_status(&p), "Running");
}
#[test]
pub(super) fn status_terminating() {
    let p = pod("Running", json!([running("a", true)]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(3))),
    );
    assert_eq!(pod_status(&p), "Terminating");
}
#[test]
pub(super) fn status_terminating_overrides_crash_loop() {
    let p = pod("Running", json!([waiting("a", "CrashLoopBackOff")]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(3))),
    );
    assert_eq!(pod_status(&p), "Terminating");
}
#[test]
pub(super) fn status_terminating_pending_pod() {
    let p = pod("Pending", json!([waiting("a", "ContainerCreating")]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(3))),
    );
    assert_eq!(pod_status(&p), "Terminating");
}
#[test]
pub(super) fn status_deleted_succeeded_pod_keeps_completed() {
    let p = pod("Succeeded", json!([terminated("a", "Completed", 0, 0)]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(3))),
    );
    assert_eq!(pod_status(&p), "Completed");
}
#[test]
pub(super) fn status_deleted_failed_pod_keeps_error() {
    let p = pod("Failed", json!([terminated("a", "Error", 1, 0)]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(3))),
    );
    assert_eq!(pod_status(&p), "Error");
}
#[test]
pub(super) fn status_node_lost_is_unknown() {
    let p = pod("Running", json!([running("a", true)]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(3))),
    );
    let p = set(p, &["status", "reason"], json!("NodeLost"));
    assert_eq!(pod_status(&p), "Unknown");
}
#[test]
pub(super) fn status_node_lost_without_deletion_shows_reason() {
    let p = set(
        pod("Running", json!([])),
        &["status", "reason"],
        json!("NodeLost"),
    );
    assert_eq!(pod_status(&p), "NodeLost");
}
#[test]
pub(super) fn status_evicted() {
    let p = pod("Failed", json!([]));
    let p = set(p, &["status", "reason"], json!("Evicted"));
    assert_eq!(pod_status(&p), "Evicted");
}
#[test]
pub(super) fn status_unknown_phase() {
    assert_eq!(pod_status(&pod("Unknown", json!([]))), "Unknown");
}
#[test]
pub(super) fn status_scheduling_gated() {
    let p = pod("Pending", json!([]));
    let p = set(
        p,
        &["status", "conditions"],
        json!([{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]),
    );
    assert_eq!(pod_status(&p), "SchedulingGated");
}
#[test]
pub(super) fn status_unschedulable_is_pending() {
    let p = pod("Pending", json!([]));
    let p = set(
        p,
        &["status", "conditions"],
        json!([{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]),
    );
    assert_eq!(pod_status(&p), "Pending");
}
#[test]
pub(super) fn status_init_running_first_of_two() {
    let p = init_pod(
        vec![
            (init_spec("i1"), running("i1", false)),
            (init_spec("i2"), waiting("i2", "PodInitializing")),
        ],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:0/2");
}
#[test]
pub(super) fn status_init_second_of_two() {
    let p = init_pod(
        vec![
            (init_spec("i1"), terminated("i1", "Completed", 0, 0)),
            (init_spec("i2"), running("i2", false)),
        ],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:1/2");
}
#[test]
pub(super) fn status_init_pod_initializing_counts_as_progress() {
    let p = init_pod(
        vec![(init_spec("i1"), waiting("i1", "PodInitializing"))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:0/1");
}
#[test]
pub(super) fn status_init_crash_loop() {
    let p = init_pod(
        vec![(init_spec("i1"), waiting("i1", "CrashLoopBackOff"))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:CrashLoopBackOff");
}
#[test]
pub(super) fn status_init_image_pull() {
    let p = init_pod(
        vec![(init_spec("i1"), waiting("i1", "ErrImagePull"))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:ErrImagePull");
}
#[test]
pub(super) fn status_init_error() {
    let p = init_pod(
        vec![(init_spec("i1"), terminated("i1", "Error", 1, 0))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:Error");
}
#[test]
pub(super) fn status_init_oom_killed() {
    let p = init_pod(
        vec![(init_spec("i1"), terminated("i1", "OOMKilled", 137, 0))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:OOMKilled");
}
#[test]
pub(super) fn status_init_signal() {
    let p = init_pod(
        vec![(init_spec("i1"), terminated("i1", "", 137, 9))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:Signal:9");
}
#[test]
pub(super) fn status_init_exit_code() {
    let p = init_pod(
        vec![(init_spec("i1"), terminated("i1", "", 2, 0))],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:ExitCode:2");
}
#[test]
pub(super) fn status_init_done_then_containers_decide() {
    let mut p = init_pod(
        vec![(init_spec("i1"), terminated("i1", "Completed", 0, 0))],
        json!([]),
    );
    p["status"]["phase"] = json!("Running");
    p["status"]["containerStatuses"] = json!([running("app", true)]);
    assert_eq!(pod_status(&p), "Running");
}
#[test]
pub(super) fn status_sidecar_started_lets_pod_run() {
    let mut p = init_pod(
        vec![(
            sidecar_spec("proxy"),
            with_started(running("proxy", true), true),
        )],
        json!([{"type": "Initialized", "status": "True"}]),
    );
    p["status"]["phase"] = json!("Running");
    p["status"]["containerStatuses"] = json!([running("app", true)]);
    assert_eq!(pod_status(&p), "Running");
    assert_eq!(pod::summarize(&p).ready, 2);
    assert_eq!(pod::summarize(&p).total, 2);
}
#[test]
pub(super) fn status_sidecar_not_started_blocks_init() {
    let p = init_pod(
        vec![(
            sidecar_spec("proxy"),
            with_started(running("proxy", false), false),
        )],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:0/1");
}
#[test]
pub(super) fn status_sidecar_started_then_next_init_running() {
    let p = init_pod(
        vec![
            (
                sidecar_spec("proxy"),
                with_started(running("proxy", true), true),
            ),
            (init_spec("migrate"), running("migrate", false)),
        ],
        json!([]),
    );
    assert_eq!(pod_status(&p), "Init:1/2");
    // The started, ready sidecar already counts as ready.
    assert_eq!(pod::summarize(&p).ready, 1);
}
#[test]
pub(super) fn status_crashing_sidecar_after_initialization_keeps_init_reason() {
    // Once initialized, the main containers are walked, but a running one sets no
    // reason, so the sidecar's "Init:CrashLoopBackOff" stays (as the real printer does).
    let mut p = init_pod(
        vec![(sidecar_spec("proxy"), waiting("proxy", "CrashLoopBackOff"))],
        json!([{"type": "Initialized", "status": "True"}]),
    );
    p["status"]["phase"] = json!("Running");
    p["status"]["containerStatuses"] = json!([running("app", true)]);
    assert_eq!(pod_status(&p), "Init:CrashLoopBackOff");
    assert_eq!(pod::summarize(&p).ready, 1);
}
#[test]
pub(super) fn status_crashing_main_container_after_initialization() {
    let mut p = init_pod(
        vec![(sidecar_spec("proxy"), waiting("proxy", "CrashLoopBackOff"))],
        json!([{"type": "Initialized", "status": "True"}]),
    );
    p["status"]["phase"] = json!("Running");
    p["status"]["containerStatuses"] = json!([waiting("app", "ImagePullBackOff")]);
    assert_eq!(pod_status(&p), "ImagePullBackOff");
}
#[test]
pub(super) fn status_crashing_sidecar_before_initialization() {
    let p = init_pod(
        vec![(sidecar_spec("proxy"), waiting("proxy", "CrashLoopBackOff"))],
        json!([{"type": "Initialized", "status": "False"}]),
    );
    assert_eq!(pod_status(&p), "Init:CrashLoopBackOff");
}
#[test]
pub(super) fn status_terminating_during_init() {
    let p = init_pod(vec![(init_spec("i1"), running("i1", false))], json!([]));
    let p = set(
        p,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(1))),
    );
    assert_eq!(pod_status(&p), "Terminating");
}

// ---- READY and RESTARTS ----

pub(super) fn cells_of(resource: &str, obj: &Value) -> Vec<Value> {
    let t = table(resource, &[obj], IncludeObject::None, now());
    t["rows"][0]["cells"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
pub(super) fn ready_counts_ready_running_containers() {
    let p = pod("Running", json!([running("a", true), running("b", false)]));
    assert_eq!(cells_of("pods", &p)[1], json!("1/2"));
}
#[test]
pub(super) fn restarts_plain_count_without_last_state() {
    let mut a = running("a", true);
    a["restartCount"] = json!(2);
    let mut b = running("b", true);
    b["restartCount"] = json!(3);
    assert_eq!(
        cells_of("pods", &pod("Running", json!([a, b])))[3],
        json!("5")
    );
}
#[test]
pub(super) fn restarts_with_last_termination_time() {
    let mut a = running("a", true);
    a["restartCount"] = json!(3);
    a["lastState"] = json!({"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(Duration::minutes(12))}});
    assert_eq!(
        cells_of("pods", &pod("Running", json!([a])))[3],
        json!("3 (12m ago)")
    );
}
#[test]
pub(super) fn restarts_use_most_recent_termination() {
    let mut a = running("a", true);
    a["restartCount"] = json!(1);
    a["lastState"] = json!({"terminated": {"exitCode": 1, "finishedAt": ago(Duration::hours(5))}});
    let mut b = running("b", true);
    b["restartCount"] = json!(1);
    b["lastState"] =
        json!({"terminated": {"exitCode": 1, "finishedAt": ago(Duration::seconds(30))}});
    assert_eq!(
        cells_of("pods", &pod("Running", json!([a, b])))[3],
        json!("2 (30s ago)")
    );
}
#[test]
pub(super) fn restarts_include_sidecars() {
    let mut sidecar = with_started(running("proxy", true), true);
    sidecar["restartCount"] = json!(4);
    sidecar["lastState"] =
        json!({"terminated": {"exitCode": 1, "finishedAt": ago(Duration::hours(4))}});
    let mut p = init_pod(vec![(sidecar_spec("proxy"), sidecar)], json!([]));
    let mut app = running("app", true);
    app["restartCount"] = json!(1);
    p["status"]["containerStatuses"] = json!([app]);
    let cells = cells_of("pods", &p);
    assert_eq!(cells[1], json!("2/2"));
    assert_eq!(cells[3], json!("5 (4h ago)"));
}
#[test]
pub(super) fn restarts_of_failing_init_container() {
    let mut i1 = waiting("i1", "CrashLoopBackOff");
    i1["restartCount"] = json!(4);
    i1["lastState"] =
        json!({"terminated": {"exitCode": 1, "finishedAt": ago(Duration::seconds(90))}});
    let p = init_pod(vec![(init_spec("i1"), i1)], json!([]));
    let cells = cells_of("pods", &p);
    assert_eq!(cells[2], json!("Init:CrashLoopBackOff"));
    assert_eq!(cells[3], json!("4 (90s ago)"));
}
#[test]
pub(super) fn restarts_zero_ignores_last_state() {
    let mut a = running("a", true);
    a["lastState"] =
        json!({"terminated": {"exitCode": 0, "finishedAt": ago(Duration::minutes(1))}});
    assert_eq!(cells_of("pods", &pod("Running", json!([a])))[3], json!("0"));
}
#[test]
pub(super) fn pod_wide_cells() {
    let p = pod("Running", json!([running("a", true)]));
    let p = set(p, &["status", "podIP"], json!("10.244.0.5"));
    let p = set(p, &["spec", "nodeName"], json!("node-1"));
    let cells = cells_of("pods", &p);
    assert_eq!(cells[4], json!("5m"));
    assert_eq!(
        cells[5..],
        [
            json!("10.244.0.5"),
            json!("node-1"),
            json!("<none>"),
            json!("<none>")
        ]
    );
    let p = set(
        p,
        &["spec", "readinessGates"],
        json!([{"conditionType": "x/ok"}, {"conditionType": "x/lb"}]),
    );
    let p = set(
        p,
        &["status", "conditions"],
        json!([{"type": "x/ok", "status": "True"}]),
    );
    assert_eq!(cells_of("pods", &p)[8], json!("1/2"));
}
#[test]
pub(super) fn finished_pods_have_row_conditions() {
    let p = pod("Succeeded", json!([terminated("a", "Completed", 0, 0)]));
    let t = table("pods", &[&p], IncludeObject::None, now());
    assert_eq!(t["rows"][0]["conditions"][0]["type"], json!("Completed"));
    assert_eq!(t["rows"][0]["conditions"][0]["reason"], json!("Succeeded"));
    let p = pod("Running", json!([running("a", true)]));
    let t = table("pods", &[&p], IncludeObject::None, now());
    assert!(t["rows"][0].get("conditions").is_none());
}
