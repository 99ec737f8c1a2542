use super::*;
use futures::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn now() -> DateTime<Utc> {
    "2026-11-22T14:40:24.5Z".parse().unwrap()
}

fn always() -> Arc<dyn Fn() -> bool + Send + Sync> {
    Arc::new(|| true)
}

fn pod(app: &str, containers: &[&str], statuses: Value) -> Value {
    let cs: Vec<Value> = containers
        .iter()
        .map(|c| {
            json!({"name": c, "image": format!("registry.totvs.io/protheus/{c}:12.1.2410"),
                        "resources": {"limits": {"memory": "2Gi"}}})
        })
        .collect();
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("{app}-7d9f8b6c5-x2k4p"), "namespace": "c2a7dv",
                     "uid": "0b1c2d3e-aaaa-bbbb-cccc-1234567890ab", "labels": {"app": app},
                     "creationTimestamp": "2026-11-20T10:00:00Z"},
        "spec": {"nodeName": "node-a", "containers": cs, "initContainers": [{"name": "wait-db", "image": "busybox:1.36"}]},
        "status": {"phase": "Running", "startTime": "2026-11-20T10:00:00Z", "containerStatuses": statuses}
    })
}

fn running(name: &str, started: &str) -> Value {
    json!({"name": name, "ready": true, "restartCount": 0, "containerID": format!("containerd://{name}abc"),
           "state": {"running": {"startedAt": started}}})
}

fn appserver() -> Value {
    pod(
        "appserver",
        &["appserver"],
        json!([running("appserver", "2026-11-22T14:00:00Z")]),
    )
}

async fn collect(pod: &Value, opts: &LogOpts) -> Result<String, ApiError> {
    let s = log_stream(pod, opts, 0, now(), always())?;
    let parts: Vec<bytes::Bytes> = s.collect().await;
    Ok(parts
        .iter()
        .map(|b| String::from_utf8(b.to_vec()).unwrap())
        .collect())
}

fn run(pod: &Value, opts: &LogOpts) -> Result<String, ApiError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(collect(pod, opts))
}

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn query_parsing_and_errors() {
    let o = LogOpts::from_query(&q(&[
        ("container", "appserver"),
        ("follow", "true"),
        ("tailLines", "10"),
        ("timestamps", "1"),
        ("previous", "false"),
        ("sinceTime", "2026-11-22T14:00:00Z"),
    ]))
    .unwrap();
    assert_eq!(o.container.as_deref(), Some("appserver"));
    assert!(o.follow && o.timestamps && !o.previous);
    assert_eq!(o.tail_lines, Some(10));
    assert!(o.since_time.is_some());
    let e = LogOpts::from_query(&q(&[("tailLines", "ten")])).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "strconv.ParseInt: parsing \"ten\": invalid syntax")
    );
    let e = LogOpts::from_query(&q(&[("sinceTime", "yesterday")])).unwrap_err();
    assert!(e
        .message
        .starts_with("parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\""));
    let o = LogOpts {
        tail_lines: Some(-1),
        ..Default::default()
    };
    let e = o.validate("p").unwrap_err();
    assert_eq!(e.code, 422);
    assert_eq!(e.message, "PodLogOptions \"p\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0");
    let o = LogOpts {
        since_seconds: Some(5),
        since_time: Some(now()),
        ..Default::default()
    };
    assert!(o
        .validate("p")
        .unwrap_err()
        .message
        .contains("at most one of `sinceTime` or `sinceSeconds`"));
}

#[test]
fn container_selection_errors() {
    let p = pod(
        "appserver",
        &["appserver", "log-shipper"],
        json!([
            running("appserver", "2026-11-22T14:00:00Z"),
            running("log-shipper", "2026-11-22T14:00:00Z")
        ]),
    );
    let e = run(&p, &LogOpts::default()).unwrap_err();
    assert_eq!(e.message, "a container name must be specified for pod appserver-7d9f8b6c5-x2k4p, choose one of: [wait-db appserver log-shipper]");
    let e = run(
        &p,
        &LogOpts {
            container: Some("nope".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "container nope is not valid for pod appserver-7d9f8b6c5-x2k4p"
    );
    let out = run(
        &p,
        &LogOpts {
            container: Some("appserver".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(out.contains("Build 7.00.210324P"), "{out}");
}

#[test]
fn waiting_container_errors() {
    for (reason, shown) in [
        ("ContainerCreating", "ContainerCreating"),
        ("ImagePullBackOff", "trying and failing to pull image"),
        ("ErrImagePull", "image can't be pulled"),
    ] {
        let st = json!([{"name": "dbaccess", "restartCount": 0, "state": {"waiting": {"reason": reason}}}]);
        let e = run(&pod("dbaccess", &["dbaccess"], st), &LogOpts::default()).unwrap_err();
        assert_eq!(e.message, format!("container \"dbaccess\" in pod \"dbaccess-7d9f8b6c5-x2k4p\" is waiting to start: {shown}"));
    }
}

#[test]
fn unscheduled_pod_gives_empty_body() {
    let mut p = appserver();
    p["spec"]["nodeName"] = Value::Null;
    assert_eq!(run(&p, &LogOpts::default()).unwrap(), "");
}

fn oom_pod() -> Value {
    pod(
        "appserver",
        &["appserver"],
        json!([{"name": "appserver", "restartCount": 3,
        "state": {"running": {"startedAt": "2026-11-22T14:30:00Z"}},
        "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "containerID": "containerd://old",
            "startedAt": "2026-11-22T09:00:00Z", "finishedAt": "2026-11-22T14:29:50Z"}}}]),
    )
}

#[test]
fn previous_logs() {
    let e = run(
        &appserver(),
        &LogOpts {
            previous: true,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.message, "previous terminated container \"appserver\" in pod \"appserver-7d9f8b6c5-x2k4p\" not found");
    let out = run(
        &oom_pod(),
        &LogOpts {
            previous: true,
            tail_lines: Some(4),
            ..Default::default()
        },
    )
    .unwrap();
    let last = out.lines().last().unwrap();
    assert!(last.contains("Memory in use 2007 MB of 2048 MB"), "{out}");
    assert_eq!(out.lines().count(), 4);
    // A crash loop: waiting with a terminated last state serves the dead run's log by default.
    let st = json!([{"name": "appserver", "restartCount": 7, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"reason": "Error", "exitCode": 1, "containerID": "containerd://x",
            "startedAt": "2026-11-22T14:39:00Z", "finishedAt": "2026-11-22T14:39:12Z"}}}]);
    let p = pod("appserver", &["appserver"], st);
    let cur = run(&p, &LogOpts::default()).unwrap();
    assert!(
        cur.lines().last().unwrap().contains("[FATAL]") && cur.contains("exit code 1"),
        "{cur}"
    );
    assert_eq!(
        cur,
        run(
            &p,
            &LogOpts {
                previous: true,
                ..Default::default()
            }
        )
        .unwrap()
    );
}

#[test]
fn failed_upddistr_job_ends_with_error() {
    let st = json!([{"name": "upddistr", "restartCount": 0, "state": {"terminated": {"reason": "Error", "exitCode": 2,
        "containerID": "containerd://j", "startedAt": "2026-11-22T03:00:00Z", "finishedAt": "2026-11-22T03:41:00Z"}}}]);
    let out = run(&pod("upddistr", &["upddistr"], st), &LogOpts::default()).unwrap();
    assert!(out.contains("UPDDISTR - step 3/12"), "{out}");
    assert!(out.contains("update FAILED at step"));
    assert!(out.lines().last().unwrap().contains("exit code 2"));
}

#[test]
fn hung_upddistr_job_waits_on_a_lock_and_never_finishes() {
    let st = json!([running("upddistr", "2026-11-22T03:00:00Z")]);
    let mut p = pod("upddistr", &["upddistr"], st);
    p["metadata"]["annotations"] = json!({"sim.kterm.io/behavior": "hang"});
    p["spec"]["restartPolicy"] = json!("Never");
    let out = run(&p, &LogOpts::default()).unwrap();
    assert!(out.contains("UPDDISTR - step 12/12 - "), "{out}");
    assert!(!out.contains("finalizado"), "{out}");
    let tail: Vec<&str> = out.lines().rev().take(20).collect();
    assert!(
        tail.iter()
            .all(|l| l.contains("waiting for exclusive lock on ")),
        "{tail:?}"
    );
}

#[test]
fn tail_since_timestamps_limit() {
    let p = appserver();
    let all = run(&p, &LogOpts::default()).unwrap();
    let n = all.lines().count();
    assert!(
        (40 * 60 / 3..=40 * 60).contains(&n),
        "{n} lines in 40 minutes"
    );
    let tail = run(
        &p,
        &LogOpts {
            tail_lines: Some(5),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        tail.lines().collect::<Vec<_>>(),
        all.lines().skip(n - 5).collect::<Vec<_>>()
    );
    assert_eq!(
        run(
            &p,
            &LogOpts {
                tail_lines: Some(0),
                ..Default::default()
            }
        )
        .unwrap(),
        ""
    );
    let ts = run(
        &p,
        &LogOpts {
            timestamps: true,
            since_seconds: Some(60),
            ..Default::default()
        },
    )
    .unwrap();
    let k = ts.lines().count();
    assert!((20..=70).contains(&k), "{k} lines in the last minute");
    for l in ts.lines() {
        let (stamp, _) = l.split_once(' ').unwrap();
        assert_eq!(stamp.len(), "2026-11-22T14:40:24.123456789Z".len(), "{l}");
        assert!(
            stamp.as_bytes()[29] == b'Z' && stamp.starts_with("2026-11-22T14:3")
                || stamp.starts_with("2026-11-22T14:40")
        );
    }
    let since_t = "2026-11-22T14:39:24.5Z".parse().unwrap();
    let st = run(
        &p,
        &LogOpts {
            timestamps: true,
            since_time: Some(since_t),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(st, ts);
    let lim = run(
        &p,
        &LogOpts {
            limit_bytes: Some(100),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(lim.as_bytes(), &all.as_bytes()[..100]);
}

#[test]
fn long_running_history_is_capped_and_cheap() {
    let p = pod(
        "dbaccess",
        &["dbaccess"],
        json!([running("dbaccess", "2024-01-01T00:00:00Z")]),
    );
    let t = Instant::now();
    let out = run(&p, &LogOpts::default()).unwrap();
    assert_eq!(out.lines().count(), HISTORY_CAP);
    assert!(t.elapsed() < Duration::from_secs(3));
    assert!(out.contains("[DBACCESS]"));
}

#[test]
fn deterministic_and_consistent_over_time() {
    let p = appserver();
    assert_eq!(
        run(&p, &LogOpts::default()).unwrap(),
        run(&p, &LogOpts::default()).unwrap()
    );
    // A later request sees the same earlier lines plus new ones.
    let later = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let s = log_stream(
                &p,
                &LogOpts::default(),
                0,
                now() + chrono::Duration::seconds(90),
                always(),
            )
            .unwrap();
            s.collect::<Vec<_>>().await.concat()
        });
    let earlier = run(&p, &LogOpts::default()).unwrap();
    assert!(later.starts_with(earlier.as_bytes()));
    assert!(later.len() > earlier.len());
}

#[test]
fn kinds_read_like_their_services() {
    for (app, needle) in [
        ("licenseserver", "slots in use"),
        ("smartclient-html", "HTTP/1.1\""),
        ("rest", "[REST]"),
        ("lockserver", "[LOCKSERVER]"),
    ] {
        let p = pod(app, &[app], json!([running(app, "2026-11-22T13:00:00Z")]));
        let out = run(
            &p,
            &LogOpts {
                container: Some(app.into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            out.contains(needle),
            "{app}: {}",
            &out[..out.len().min(500)]
        );
    }
}

#[tokio::test]
async fn follow_stops_when_alive_flips() {
    let flag = Arc::new(AtomicBool::new(true));
    let f = flag.clone();
    let alive: Arc<dyn Fn() -> bool + Send + Sync> = Arc::new(move || f.load(Ordering::SeqCst));
    let opts = LogOpts {
        follow: true,
        tail_lines: Some(1),
        ..Default::default()
    };
    let mut s = log_stream(&appserver(), &opts, 0, now(), alive).unwrap();
    let first = s.next().await.unwrap();
    assert_eq!(first.iter().filter(|b| **b == b'\n').count(), 1);
    flag.store(false, Ordering::SeqCst);
    let t = Instant::now();
    let rest = tokio::time::timeout(Duration::from_secs(3), s.collect::<Vec<_>>())
        .await
        .unwrap();
    assert!(rest.len() <= 2 && t.elapsed() < Duration::from_millis(1_500));
}

#[tokio::test]
async fn rate_mode_has_no_gaps() {
    let opts = LogOpts {
        follow: true,
        tail_lines: Some(0),
        timestamps: true,
        ..Default::default()
    };
    let t = Instant::now();
    let mut s = log_stream(&appserver(), &opts, 100_000, now(), always()).unwrap();
    let mut expect = 1u64;
    let mut buf = Vec::new();
    while expect <= 20_000 {
        let chunk = tokio::time::timeout(Duration::from_secs(2), s.next())
            .await
            .unwrap()
            .unwrap();
        assert!(chunk.len() > 1 || expect > 1);
        buf.extend_from_slice(&chunk);
        while let Some(pos) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=pos).collect();
            let line = String::from_utf8(line).unwrap();
            let seq: u64 = line
                .trim_end()
                .rsplit("seq=")
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(seq, expect, "{line}");
            expect += 1;
        }
    }
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[tokio::test]
async fn limit_bytes_ends_a_follow() {
    let opts = LogOpts {
        follow: true,
        limit_bytes: Some(5_000),
        ..Default::default()
    };
    let s = log_stream(&appserver(), &opts, 50_000, now(), always()).unwrap();
    let all = tokio::time::timeout(Duration::from_secs(2), s.collect::<Vec<_>>())
        .await
        .unwrap();
    assert_eq!(all.iter().map(|b| b.len()).sum::<usize>(), 5_000);
}

const ESC_LINES: [&str; 2] = [
    "ESC-TEST title \x1b]0;pwned-title\x07 end",
    "ESC-TEST cursor \x1b[2J\x1b[H\x1b[5;5H moved end",
];

fn with_log_lines(mut p: Value, value: &str) -> Value {
    p["metadata"]["annotations"] = json!({ crate::scenario::LOG_LINES: value });
    p
}

/// The index of the first annotation line, after checking they all follow each other verbatim.
fn extra_at(out: &str) -> usize {
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| *l == ESC_LINES[0])
        .unwrap_or_else(|| panic!("no raw ESC-TEST line in {out:?}"));
    assert_eq!(lines[i..i + ESC_LINES.len()], ESC_LINES, "{out:?}");
    assert_eq!(out.matches("ESC-TEST").count(), ESC_LINES.len());
    i
}

#[test]
fn log_lines_annotation_is_printed_raw_after_the_banner_in_every_run() {
    let st = json!([{"name": "appserver", "restartCount": 1, "containerID": "containerd://cur",
        "state": {"running": {"startedAt": "2026-11-22T14:30:00Z"}},
        "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "containerID": "containerd://old",
            "startedAt": "2026-11-22T14:00:00Z", "finishedAt": "2026-11-22T14:29:50Z"}}}]);
    let plain = pod("appserver", &["appserver"], st);
    // A YAML block scalar ends with a newline: it is not an extra empty line.
    let annotated = with_log_lines(plain.clone(), &format!("{}\n", ESC_LINES.join("\n")));
    let prev = LogOpts {
        previous: true,
        ..Default::default()
    };
    for opts in [LogOpts::default(), prev] {
        let out = run(&annotated, &opts).unwrap();
        let i = extra_at(&out);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[i - 1].contains("Application Server started successfully"),
            "the banner ends right before: {out}"
        );
        let before = run(&plain, &opts).unwrap();
        assert_eq!(
            lines[..i],
            before.lines().take(i).collect::<Vec<_>>()[..],
            "the banner is unchanged"
        );
        assert!(!lines[i + ESC_LINES.len()].is_empty());
        assert!(!before.contains("ESC-TEST"));
    }
    // A start-up that crashed cut its banner short, and still printed them.
    let st = json!([{"name": "appserver", "restartCount": 7, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"reason": "Error", "exitCode": 1, "containerID": "containerd://x",
            "startedAt": "2026-11-22T14:39:00Z", "finishedAt": "2026-11-22T14:39:12Z"}}}]);
    let crashed = with_log_lines(pod("appserver", &["appserver"], st), &ESC_LINES.join("\n"));
    extra_at(&run(&crashed, &LogOpts::default()).unwrap());
}

#[test]
fn log_lines_every_repeats_them_in_order_and_consistently() {
    let mut p = with_log_lines(appserver(), &ESC_LINES.join("\n"));
    p["metadata"]["annotations"][crate::scenario::LOG_LINES_EVERY] = json!("600");
    let ts = LogOpts {
        timestamps: true,
        ..Default::default()
    };
    let out = run(&p, &ts).unwrap();
    // Started 14:00, now 14:40:24: after the banner, then 10, 20, 30 and 40 minutes later.
    assert_eq!(out.matches(ESC_LINES[0]).count(), 5, "{out}");
    assert_eq!(out.matches(ESC_LINES[1]).count(), 5);
    let stamps: Vec<&str> = out.lines().map(|l| &l[..30]).collect();
    assert!(
        stamps.windows(2).all(|w| w[0] <= w[1]),
        "lines in time order"
    );
    let tail = run(
        &p,
        &LogOpts {
            since_seconds: Some(60),
            ..Default::default()
        },
    )
    .unwrap();
    extra_at(&tail);
    // What a follower receives later is what a later plain request returns.
    let later = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let at = now() + chrono::Duration::seconds(700);
            let s = log_stream(&p, &ts, 0, at, always()).unwrap();
            s.collect::<Vec<_>>().await.concat()
        });
    assert!(later.starts_with(out.as_bytes()));
    assert_eq!(
        String::from_utf8(later)
            .unwrap()
            .matches(ESC_LINES[0])
            .count(),
        6
    );
}

mod scheduled_end;
