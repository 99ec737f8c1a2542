//! The default scenario's past as kubectl sees it: the events its incidents left, Jobs that ran
//! before the simulator started, CronJobs scheduled in their time zone; and the healthy scenario.

use crate::common::{eventually, pod_with, TestSim};
use kterm_sim::{RbacProfile, ScenarioChoice, SimOpts};
use serde_json::Value;

fn json(t: &TestSim, args: &[&str]) -> Option<Value> {
    Some(serde_json::from_str(&t.kubectl_ok(args)?).unwrap())
}

fn events(t: &TestSim, ns: &str) -> Vec<Value> {
    json(t, &["get", "events", "-n", ns, "-o", "json"])
        .map(|v| v["items"].as_array().unwrap().clone())
        .unwrap_or_default()
}

/// The one event of `reason` (and message containing `msg`) about the object named `name`.
fn event<'a>(evs: &'a [Value], name: &str, reason: &str, msg: &str) -> &'a Value {
    let found: Vec<&Value> = evs
        .iter()
        .filter(|e| {
            e["involvedObject"]["name"] == name
                && e["reason"] == reason
                && e["message"].as_str().unwrap().contains(msg)
        })
        .collect();
    assert_eq!(found.len(), 1, "{reason} {msg:?} about {name} in {evs:#?}");
    found[0]
}

fn count(e: &Value) -> i64 {
    e["count"].as_i64().unwrap()
}

fn time(e: &Value, field: &str) -> chrono::DateTime<chrono::Utc> {
    e[field].as_str().unwrap().parse().unwrap()
}

#[test]
fn seeded_incidents_carry_the_events_a_cluster_would_hold() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(pod) = pod_with(&t, "t4k9pz", "appserver-prd") else {
        return;
    };
    let now = chrono::Utc::now();
    // The OOM-killed appserver restarted 3 times: 4 starts, back-offs between them.
    let evs = events(&t, "t4k9pz");
    let p = json(&t, &["get", "pod", "-n", "t4k9pz", &pod, "-o", "json"]).unwrap();
    let uid = p["metadata"]["uid"].as_str().unwrap();
    let sched = event(&evs, &pod, "Scheduled", "Successfully assigned t4k9pz/");
    assert_eq!(count(sched), 1);
    assert_eq!(sched["source"]["component"], "default-scheduler");
    for reason in ["Pulled", "Created", "Started"] {
        let e = event(&evs, &pod, reason, "");
        assert_eq!(count(e), 4, "{e}");
        assert_eq!(e["type"], "Normal");
        assert_eq!(e["involvedObject"]["uid"], uid);
        assert_eq!(
            e["involvedObject"]["fieldPath"],
            "spec.containers{appserver}"
        );
        assert_eq!(e["source"]["component"], "kubelet");
        assert_eq!(e["reportingComponent"], "kubelet");
        assert!(time(e, "firstTimestamp") < time(e, "lastTimestamp"), "{e}");
        assert!(time(e, "firstTimestamp") >= time(sched, "firstTimestamp"));
    }
    let back = event(
        &evs,
        &pod,
        "BackOff",
        "Back-off restarting failed container appserver",
    );
    assert_eq!(back["type"], "Warning");
    assert!(count(back) >= 3, "{back}");
    // Everything within the hour a cluster keeps events.
    for e in evs.iter() {
        assert!(
            now - time(e, "firstTimestamp") < chrono::Duration::hours(1),
            "{e}"
        );
    }
    let described = t
        .kubectl_ok(&["describe", "pod", "-n", "t4k9pz", &pod])
        .unwrap();
    assert!(described.contains("(x4 over"), "{described}");
    assert!(
        described.contains("Back-off restarting failed container"),
        "{described}"
    );
    let listed = t.kubectl_ok(&["get", "events", "-n", "t4k9pz"]).unwrap();
    for word in [
        "Scheduled",
        "Pulled",
        "Created",
        "Started",
        "BackOff",
        "Warning",
    ] {
        assert!(listed.contains(word), "{word}: {listed}");
    }
    // The kernel's OOM kills, as node-problem-detector reports them on the Node.
    let node = p["spec"]["nodeName"].as_str().unwrap();
    let ooms: Vec<Value> = events(&t, "default")
        .into_iter()
        .filter(|e| e["reason"] == "OOMKilling" && e["involvedObject"]["name"] == node)
        .collect();
    assert!(ooms.len() >= 3, "{ooms:#?}");
    assert!(ooms
        .iter()
        .all(|e| e["source"]["component"] == "kernel-monitor" && e["type"] == "Warning"));

    // The crash loop: a counted back-off.
    let evs = events(&t, "m8q3rx");
    let pod = pod_with(&t, "m8q3rx", "rest-prd").unwrap();
    let back = event(
        &evs,
        &pod,
        "BackOff",
        "Back-off restarting failed container rest",
    );
    assert!(count(back) > 5, "{back}");
    assert_eq!(count(event(&evs, &pod, "Started", "")), 6);

    // The failed migration: the job controller's verdict on the Job.
    let evs = events(&t, "c2a7dv");
    let e = event(
        &evs,
        "upddistr-prd",
        "BackoffLimitExceeded",
        "backoff limit",
    );
    assert_eq!(e["type"], "Warning");
    assert_eq!(e["involvedObject"]["kind"], "Job");
    assert_eq!(e["source"]["component"], "job-controller");

    // The image that does not exist.
    let evs = events(&t, "k3v8ec");
    let pod = pod_with(&t, "k3v8ec", "rest-hml").unwrap();
    assert!(count(event(&evs, &pod, "Failed", "Error: ErrImagePull")) > 1);
    assert!(count(event(&evs, &pod, "Failed", "Error: ImagePullBackOff")) > 1);
    assert!(count(event(&evs, &pod, "BackOff", "Back-off pulling image")) > 1);
    event(&evs, &pod, "Failed", "Failed to pull image");

    // Unschedulable, and the smartclient whose readiness probe fails.
    let evs = events(&t, "b5n2wl");
    let pod = pod_with(&t, "b5n2wl", "licenseserver-hml").unwrap();
    let e = event(
        &evs,
        &pod,
        "FailedScheduling",
        "didn't match Pod's node affinity/selector",
    );
    assert!(count(e) > 1, "{e}");
    let evs = events(&t, "f7h4js");
    let pod = pod_with(&t, "f7h4js", "smartclient-html-prd").unwrap();
    let e = event(&evs, &pod, "Unhealthy", "Readiness probe failed");
    assert!(count(e) > 10, "{e}");
    let described = t
        .kubectl_ok(&["describe", "pod", "-n", "f7h4js", &pod])
        .unwrap();
    assert!(described.contains("Readiness probe failed"), "{described}");
}

#[test]
fn a_new_oom_kill_bumps_the_seeded_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oom.yaml");
    std::fs::write(
        &path,
        r#"
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: oomy, creationTimestamp: "-3d"}
  - apiVersion: v1
    kind: Node
    metadata: {name: node-a, creationTimestamp: "-3d"}
    status:
      conditions: [{type: Ready, status: "True", reason: KubeletReady, message: ready}]
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: app, namespace: oomy, creationTimestamp: "-3d"}
    spec:
      replicas: 1
      selector: {matchLabels: {app: app}}
      template:
        metadata:
          labels: {app: app}
          annotations: {sim.kterm.io/behavior: oom, sim.kterm.io/oom-seconds: "8", sim.kterm.io/initial-restarts: "1"}
        spec:
          containers:
            - name: app
              image: example/app:1
              resources: {limits: {memory: 256Mi}}
"#,
    )
    .unwrap();
    let t = TestSim::with(SimOpts {
        scenario: ScenarioChoice::File(path),
        ..Default::default()
    });
    let Some(pod) = pod_with(&t, "oomy", "app-") else {
        return;
    };
    // One restart before the load: two starts, one back-off (the next kill is seconds away,
    // its back-off 20 s, so the third start cannot have happened yet).
    let evs = events(&t, "oomy");
    assert_eq!(count(event(&evs, &pod, "Started", "")), 2);
    // The next kill and restart bump the same events.
    eventually(90, "a third start", || {
        let evs = events(&t, "oomy");
        (count(event(&evs, &pod, "Started", "")) == 3).then_some(())
    });
    let evs = events(&t, "oomy");
    assert_eq!(
        count(event(&evs, &pod, "BackOff", "Back-off restarting")),
        2
    );
    assert_eq!(count(event(&evs, &pod, "Created", "")), 3);
    assert_eq!(count(event(&evs, &pod, "Pulled", "already present")), 3);
}

#[test]
fn jobs_from_the_past_keep_their_times_and_cronjobs_their_zone() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(out) = t.kubectl_ok(&["get", "jobs", "-n", "c2a7dv"]) else {
        return;
    };
    // A completed migration ran for its run-seconds, not 0 s.
    let line = out.lines().find(|l| l.starts_with("upddistr-hml")).unwrap();
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cols[1], "Complete", "{out}");
    assert!(cols[3].ends_with('s') && cols[3] != "0s", "DURATION: {out}");
    let job = json(
        &t,
        &["get", "job", "-n", "c2a7dv", "upddistr-hml", "-o", "json"],
    )
    .unwrap();
    let created = time(&job["metadata"], "creationTimestamp");
    let start = time(&job["status"], "startTime");
    let done = time(&job["status"], "completionTime");
    assert!(
        start >= created && start - created < chrono::Duration::minutes(1),
        "{job}"
    );
    assert!(
        done > start && done - start < chrono::Duration::minutes(5),
        "{job}"
    );
    assert!(
        chrono::Utc::now() - done > chrono::Duration::minutes(30),
        "{job}"
    );

    // The stuck migration started 29 hours ago and is still running.
    let job = json(
        &t,
        &["get", "job", "-n", "p9d6ty", "upddistr-hml", "-o", "json"],
    )
    .unwrap();
    let start = time(&job["status"], "startTime");
    assert!(
        chrono::Utc::now() - start > chrono::Duration::hours(20),
        "{job}"
    );
    assert!(job["status"]["completionTime"].is_null());
    let out = t.kubectl_ok(&["get", "jobs", "-n", "p9d6ty"]).unwrap();
    let line = out.lines().find(|l| l.starts_with("upddistr-hml")).unwrap();
    assert!(
        line.split_whitespace().nth(3).unwrap().contains('h'),
        "{out}"
    );

    // 03:00 in São Paulo is 06:00 UTC.
    let cj = json(
        &t,
        &[
            "get",
            "cronjob",
            "-n",
            "b5n2wl",
            "protheus-updater",
            "-o",
            "json",
        ],
    )
    .unwrap();
    assert_eq!(cj["spec"]["timeZone"], "America/Sao_Paulo");
    let last = cj["status"]["lastScheduleTime"].as_str().unwrap();
    assert!(last.ends_with("T06:00:00Z"), "{last}");
}

#[test]
fn the_healthy_scenario_has_no_incident() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/healthy.yaml");
    let t = TestSim::with(SimOpts {
        scenario: ScenarioChoice::File(path),
        ..Default::default()
    });
    let Some(pods) = json(&t, &["get", "pods", "-A", "-o", "json"]) else {
        return;
    };
    let pods = pods["items"].as_array().unwrap();
    assert!(pods.len() >= 8);
    for p in pods {
        let cs = &p["status"]["containerStatuses"][0];
        assert_eq!(cs["ready"], true, "{p}");
        assert_eq!(cs["restartCount"], 0, "{p}");
    }
    // Every Service has at least two ready endpoints, on its container's port.
    let eps = json(&t, &["get", "endpoints", "-A", "-o", "json"]).unwrap();
    let eps = eps["items"].as_array().unwrap();
    assert!(eps.len() >= 4);
    for e in eps {
        let subset = &e["subsets"][0];
        assert!(subset["addresses"].as_array().unwrap().len() >= 2, "{e}");
        assert!(subset["notReadyAddresses"].is_null(), "{e}");
        let port = subset["ports"][0]["port"].as_i64().unwrap();
        let want = if e["metadata"]["name"].as_str().unwrap().starts_with("rest") {
            8181
        } else {
            1234
        };
        assert_eq!(port, want, "{e}");
    }
    // Memory well below every limit, and no warning anywhere.
    let top = t
        .kubectl_ok(&["top", "pods", "-A", "--no-headers"])
        .unwrap();
    for l in top.lines() {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let mi: f64 = cols[3].trim_end_matches("Mi").parse().unwrap();
        let limit = if cols[1].starts_with("appserver") {
            2048.0
        } else {
            1024.0
        };
        assert!(mi < limit * 0.6, "{l}");
    }
    let evs = json(&t, &["get", "events", "-A", "-o", "json"]).unwrap();
    let warnings: Vec<&Value> = evs["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "Warning")
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}
