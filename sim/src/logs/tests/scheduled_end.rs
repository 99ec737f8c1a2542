//! A running container whose end the kubelet has scheduled (an OOM kill, a crash) writes its
//! epilogue as the time comes, and `--previous` afterwards is what a follower saw.

use super::*;

/// Started 14:39:30 with a 60 s OOM budget: killed at 14:40:30, 5.5 s after `now()`.
const STARTED: &str = "2026-11-22T14:39:30Z";
const KILLED: &str = "2026-11-22T14:40:30Z";

fn running_since(started: &str, annotations: Value) -> Value {
    let mut p = pod(
        "appserver",
        &["appserver"],
        json!([running("appserver", started)]),
    );
    p["metadata"]["annotations"] = annotations;
    p
}

fn oom_running() -> Value {
    running_since(
        STARTED,
        json!({"sim.kterm.io/behavior": "oom", "sim.kterm.io/oom-seconds": "60"}),
    )
}

/// The pod once the kubelet ended that run at `KILLED`, as `run_step` records it.
fn ended(mut p: Value, reason: &str, code: i64) -> Value {
    let started = p["status"]["containerStatuses"][0]["state"]["running"]["startedAt"].clone();
    p["status"]["containerStatuses"][0] = json!({"name": "appserver", "ready": false, "restartCount": 1,
        "containerID": "containerd://appserverabc",
        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"reason": reason, "exitCode": code,
            "containerID": "containerd://appserverabc", "startedAt": started, "finishedAt": KILLED}}});
    p
}

fn oom_killed() -> Value {
    ended(oom_running(), "OOMKilled", 137)
}

fn killed_at() -> DateTime<Utc> {
    KILLED.parse().unwrap()
}

fn stamped() -> LogOpts {
    LogOpts {
        timestamps: true,
        ..Default::default()
    }
}

fn previous() -> LogOpts {
    LogOpts {
        previous: true,
        timestamps: true,
        ..Default::default()
    }
}

/// A plain (not followed) request at `t`: history only, so no runtime is needed.
fn at(pod: &Value, opts: &LogOpts, t: DateTime<Utc>) -> String {
    assert!(!opts.follow);
    let s = log_stream(pod, opts, 0, t, always()).unwrap();
    String::from_utf8(futures::executor::block_on(s.collect::<Vec<_>>()).concat()).unwrap()
}

fn stamps_not_after(out: &str, t: DateTime<Utc>) {
    for l in out.lines() {
        let stamp: DateTime<Utc> = l[..30].parse().unwrap();
        assert!(stamp <= t, "{l} is after {t}");
    }
}

#[test]
fn a_running_oom_pod_near_its_end_shows_the_epilogue_as_its_time_comes() {
    let p = oom_running();
    let out = at(&p, &stamped(), now());
    stamps_not_after(&out, now());
    assert!(out.contains("[SERVER] Memory in use"), "{out}");
    assert!(
        !out.contains("Garbage collector"),
        "written 2 s before the kill: {out}"
    );
    // At the kill the whole epilogue is there, and nothing after it.
    let end = at(&p, &stamped(), killed_at() + chrono::Duration::seconds(30));
    stamps_not_after(&end, killed_at());
    let last: Vec<&str> = end.lines().rev().take(2).collect();
    assert!(
        last[0].contains("Memory in use 2007 MB of 2048 MB"),
        "{end}"
    );
    assert!(last[1].contains("Garbage collector could not release memory"));
    assert!(end.starts_with(&out));
    // After the restart, the dead run's log is exactly that.
    assert_eq!(at(&oom_killed(), &previous(), killed_at()), end);
}

#[test]
fn only_a_scheduled_end_stops_the_running_log() {
    let plain = running_since(STARTED, json!({}));
    for behavior in ["not-ready", "slow-terminate"] {
        let p = running_since(STARTED, json!({ "sim.kterm.io/behavior": behavior }));
        let t = killed_at() + chrono::Duration::seconds(120);
        let out = at(&p, &stamped(), t);
        assert_eq!(out, at(&plain, &stamped(), t));
        assert!(!out.contains("Memory in use"), "{out}");
    }
    // A job's container ends after run-seconds, with the job's epilogue.
    let mut p = running_since(STARTED, json!({ "sim.kterm.io/run-seconds": "30" }));
    p["spec"]["restartPolicy"] = json!("Never");
    let out = at(&p, &stamped(), killed_at());
    stamps_not_after(&out, "2026-11-22T14:40:00Z".parse().unwrap());
}

/// Follows from `from` while a stand-in kubelet restarts the container a little after the kill.
async fn follow(pod: &Value, opts: &LogOpts, rate: u32, from: DateTime<Utc>) -> String {
    let kill = std::time::Instant::now()
        + (killed_at() - from).to_std().unwrap()
        + Duration::from_millis(300);
    let alive: Arc<dyn Fn() -> bool + Send + Sync> =
        Arc::new(move || std::time::Instant::now() < kill);
    let s = log_stream(pod, opts, rate, from, alive).unwrap();
    let all = tokio::time::timeout(Duration::from_secs(30), s.collect::<Vec<_>>())
        .await
        .expect("the follow ends once the container is gone");
    String::from_utf8(all.concat()).unwrap()
}

#[tokio::test]
async fn follow_writes_the_epilogue_and_equals_previous_after_the_end() {
    let opts = LogOpts {
        follow: true,
        ..stamped()
    };
    let from = killed_at() - chrono::Duration::milliseconds(1_500);
    let followed = follow(&oom_running(), &opts, 0, from).await;
    let prev = at(&oom_killed(), &previous(), killed_at());
    assert_eq!(followed, prev);
    assert!(prev
        .lines()
        .last()
        .unwrap()
        .contains("Memory in use 2007 MB of 2048 MB"));
    // A follow that starts with a short tail ends the same way.
    let tail = LogOpts {
        tail_lines: Some(3),
        ..opts
    };
    let followed = follow(&oom_running(), &tail, 0, from).await;
    assert!(followed.lines().count() >= 3);
    assert!(
        prev.ends_with(&followed),
        "{followed}\nis not the end of\n{prev}"
    );
}

#[tokio::test]
async fn rate_mode_stops_regular_lines_at_the_epilogue() {
    // Fails 200 s after its start (past start-up): regular lines until the crash report ~3 s
    // before the end.
    let annotations = json!({"sim.kterm.io/behavior": "fail", "sim.kterm.io/run-seconds": "200"});
    let failing = running_since("2026-11-22T14:37:10Z", annotations);
    let opts = LogOpts {
        follow: true,
        tail_lines: Some(0),
        ..stamped()
    };
    let from = killed_at() - chrono::Duration::seconds(4);
    let out = follow(&failing, &opts, 20_000, from).await;
    stamps_not_after(&out, killed_at());
    let seq = out.lines().take_while(|l| l.contains(" seq=")).count();
    let report: Vec<&str> = out.lines().skip(seq).collect();
    assert!(seq > 0 && report.len() >= 2, "{out}");
    // The numbered lines stop where the crash report starts, which ends the run as `-p` shows.
    let prev = at(&ended(failing, "Error", 1), &previous(), killed_at());
    let prev: Vec<&str> = prev.lines().collect();
    assert_eq!(report, prev[prev.len() - report.len()..], "{out}");
    assert!(report[report.len() - 1].contains("[FATAL]"));
}
