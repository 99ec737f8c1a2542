//! CPU and MEM against requests and limits in the pod table (issue 11, item 2): the demo's
//! usage columns, the key that turns them off, and the OOM-risk flag on a pod at ≥ 90 % of its
//! memory limit.

use super::{kterm_then_status, quote, start_sim, Pane};

/// A tenant with one appserver at ~95 % of its 2Gi limit (±3 %, the simulator's wobble) and
/// one rest server at ~25 %.
const NEAR_LIMIT: &str = r#"include: default
tenants: [m3t1cs]
objects:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: m3t1cs
      labels: {kterm.io/tenant: "true", tenant: m3t1cs}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: appserver-prd, namespace: m3t1cs, labels: {app: appserver}}
    spec:
      replicas: 1
      selector: {matchLabels: {app: appserver}}
      template:
        metadata:
          labels: {app: appserver}
          annotations: {sim.kterm.io/memory-mb: "1950"}
        spec:
          containers:
            - name: appserver
              image: totvs/appserver:12.1.2410
              resources: {requests: {memory: 1Gi, cpu: 500m}, limits: {memory: 2Gi, cpu: "2"}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: rest-prd, namespace: m3t1cs, labels: {app: rest}}
    spec:
      replicas: 1
      selector: {matchLabels: {app: rest}}
      template:
        metadata:
          labels: {app: rest}
          annotations: {sim.kterm.io/memory-mb: "512"}
        spec:
          containers:
            - name: rest
              image: totvs/rest:12.1.2410
              resources: {requests: {memory: 1Gi, cpu: 250m}, limits: {memory: 2Gi, cpu: "1"}}
"#;

/// The table row of the pod whose name starts with `prefix`.
fn row<'a>(screen: &'a str, prefix: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.split_whitespace().any(|w| w.starts_with(prefix)))
        .unwrap_or_default()
}

#[test]
fn the_demo_shows_usage_against_limits_and_the_key_turns_it_off() {
    let pane = Pane::new("metrics-demo").run(140, 30, &kterm_then_status("--demo -n p9d6ty"));
    let screen = pane.wait_for("CPU and MEM with shares of the limits", |s| {
        let header = s.lines().next().unwrap_or_default();
        header.contains("CPU") && header.contains("MEM") && row(s, "appserver-prd-").contains("%L")
    });
    pane.check(
        row(&screen, "appserver-prd-").contains("Mi ")
            || row(&screen, "appserver-prd-").contains("Gi "),
        "the appserver's memory is shown in binary units before its share",
        &screen,
    );
    pane.keys(&["%"]);
    let off = pane.wait_text("Metrics off");
    pane.check(
        !off.lines().next().unwrap_or_default().contains("MEM"),
        "the columns are gone once metrics are off",
        &off,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn node_list_shows_usage_against_allocatable() {
    let pane = Pane::new("metrics-node").run(140, 30, &kterm_then_status("--demo"));
    pane.wait_for("the demo listed and live", |s| s.contains("│ live"));
    pane.keys(&[":"]);
    pane.keys(&["-l", "node"]);
    pane.wait_text(":node");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("nodes with CPU and MEM shares of allocatable", |s| {
        let header = s.lines().next().unwrap_or_default();
        header.contains("CPU")
            && header.contains("MEM")
            && s.lines()
                .any(|l| l.contains("Ready") && l.contains("Gi ") && l.contains('%'))
    });
    pane.check(
        !screen.contains("n/a"),
        "every node has usage from NodeMetrics",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn a_pod_near_its_memory_limit_carries_the_oom_risk_flag() {
    let scratch = Pane::new("metrics-risk");
    let scenario = scratch.dir().join("near-limit.yaml");
    std::fs::write(&scenario, NEAR_LIMIT).expect("write the scenario");
    let sim = start_sim(kterm_sim::SimOpts {
        scenario: kterm_sim::ScenarioChoice::File(scenario),
        ..Default::default()
    });
    let args = format!(
        "--kubeconfig {} -n m3t1cs",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = scratch.run(120, 20, &kterm_then_status(&args));
    let screen = pane.wait_for("the appserver flagged at its memory limit", |s| {
        row(s, "appserver-prd-").contains("▲")
    });
    let rest = row(&screen, "rest-prd-");
    pane.check(
        rest.contains("%L") && !rest.contains("▲"),
        "the rest server at a quarter of its limit is not flagged",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}
