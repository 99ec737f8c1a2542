//! Real kubectl following containers whose end the simulator's kubelet has scheduled: what the
//! follow showed is what the terminated container's log shows afterwards.

use crate::common::{eventually, TestSim};
use kterm_sim::{ScenarioChoice, SimOpts};
use serde_json::Value;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

/// One node, an appserver the kubelet OOM-kills 6 s after each start, and a job pod that
/// completes after 5 s.
const SCENARIO: &str = r#"
objects:
  - apiVersion: v1
    kind: Node
    metadata: {name: node-a, labels: {kubernetes.io/hostname: node-a}}
    status: {conditions: [{type: Ready, status: "True"}]}
  - apiVersion: v1
    kind: Namespace
    metadata: {name: oomlab}
  - apiVersion: v1
    kind: Pod
    metadata:
      name: appserver-oom
      namespace: oomlab
      labels: {app: appserver}
      annotations: {sim.kterm.io/behavior: oom, sim.kterm.io/oom-seconds: "6"}
    spec:
      containers:
        - name: appserver
          image: registry.totvs.io/protheus/appserver:12.1.2410
          resources: {limits: {memory: 2Gi}}
  - apiVersion: v1
    kind: Pod
    metadata:
      name: upddistr-once
      namespace: oomlab
      labels: {app: upddistr}
      annotations: {sim.kterm.io/behavior: complete, sim.kterm.io/run-seconds: "5"}
    spec:
      restartPolicy: Never
      containers:
        - name: upddistr
          image: registry.totvs.io/protheus/upddistr:12.1.2410
"#;

fn status(t: &TestSim, pod: &str) -> Option<Value> {
    let out = t.kubectl_ok(&["get", "pod", "-n", "oomlab", pod, "-o", "json"])?;
    let pod: Value = serde_json::from_str(&out).unwrap();
    Some(pod["status"]["containerStatuses"][0].clone())
}

/// `kubectl logs -f` on `pod`, read to its end on a thread.
fn follow(t: &TestSim, bin: &std::path::Path, pod: &str) -> (Child, JoinHandle<String>) {
    let mut child = Command::new(bin)
        .args(["logs", "-f", "--timestamps", "-n", "oomlab", pod])
        .env("KUBECONFIG", t.kubeconfig())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).unwrap();
        s
    });
    (child, reader)
}

/// Waits for the follow to end by itself (the container restarted or exited).
fn ended(mut f: (Child, JoinHandle<String>), what: &str) -> String {
    eventually(60, what, || f.0.try_wait().unwrap());
    f.1.join().unwrap()
}

#[test]
fn a_followed_oom_kill_or_job_exit_shows_what_the_dead_container_log_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oom.yaml");
    std::fs::write(&path, SCENARIO).unwrap();
    let t = TestSim::with(SimOpts {
        scenario: ScenarioChoice::File(path),
        ..Default::default()
    });
    let Some(bin) = crate::common::kubectl_bin() else {
        return;
    };
    let running = |pod: &str| {
        eventually(20, "the container running", || {
            let s = status(&t, pod)?;
            s["state"]["running"].is_object().then_some(s)
        })
    };
    let (oom_run, job_run) = (running("appserver-oom"), running("upddistr-once"));
    let oom = follow(&t, &bin, "appserver-oom");
    let job = follow(&t, &bin, "upddistr-once");
    let oom = ended(oom, "the OOM follow to end at the restart");
    let job = ended(job, "the job follow to end at its exit");

    let after = status(&t, "appserver-oom").unwrap();
    let dead = &after["lastState"]["terminated"];
    assert_eq!(dead["startedAt"], oom_run["state"]["running"]["startedAt"]);
    assert_eq!(dead["reason"], "OOMKilled");
    let prev = t
        .kubectl_ok(&[
            "logs",
            "-p",
            "--timestamps",
            "-n",
            "oomlab",
            "appserver-oom",
        ])
        .unwrap();
    let last = oom.lines().last().unwrap_or_default();
    assert!(
        last.contains("[SERVER] Memory in use") && oom.contains("Garbage collector"),
        "{oom}"
    );
    // Followed from the start, so the whole run: exactly what `-p` prints.
    assert_eq!(oom, prev);

    let after = status(&t, "upddistr-once").unwrap();
    assert_eq!(after["state"]["terminated"]["reason"], "Completed");
    assert_eq!(
        after["state"]["terminated"]["startedAt"],
        job_run["state"]["running"]["startedAt"]
    );
    let done = t
        .kubectl_ok(&["logs", "--timestamps", "-n", "oomlab", "upddistr-once"])
        .unwrap();
    assert!(job.trim_end().ends_with("exclusive mode released"), "{job}");
    assert_eq!(job, done);
}
