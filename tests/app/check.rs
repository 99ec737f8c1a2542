//! `kterm check`: the real binary against an in-process simulator, as a cron job would run it.

use std::path::Path;
use std::process::Output;

use kterm_sim::{SimHandle, SimOpts};
use serde_json::Value;
use tokio::process::Command;

async fn sim() -> SimHandle {
    kterm_sim::start(SimOpts::default())
        .await
        .expect("simulator starts")
}

/// Runs `kterm --kubeconfig <path> check <args>` with an empty config directory.
async fn check(kubeconfig: &Path, args: &[&str]) -> Output {
    let scratch = std::env::temp_dir().join(format!("kterm-check-test-{}", std::process::id()));
    let config_dir = scratch.join("config");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    Command::new(env!("CARGO_BIN_EXE_kterm"))
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("check")
        .args(args)
        .env("XDG_STATE_HOME", &scratch)
        .env("KTERM_CONFIG_DIR", &config_dir)
        .output()
        .await
        .expect("kterm runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_scenario_is_down_because_of_f7h4js_service() {
    let sim = sim().await;
    let out = check(sim.kubeconfig(), &["-A", "-o", "json"]).await;
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["exit_code"], 2);
    let tenants = doc["tenants"].as_array().expect("tenants");
    let row = |ns: &str, env: &str| {
        tenants
            .iter()
            .find(|t| t["namespace"] == ns && t["environment"] == env)
            .unwrap_or_else(|| panic!("no {ns} {env}"))
    };
    let f7 = row("f7h4js", "production");
    assert_eq!(f7["state"], "DOWN");
    assert!(
        f7["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r == "Service smartclient-html-prd has no ready endpoint"),
        "{f7}"
    );
    assert_eq!(row("f7h4js", "homologation")["state"], "UP");
    let oom = row("t4k9pz", "production");
    assert_eq!(oom["state"], "DEGRADED");
    assert!(
        oom["oom_kills_last_24h"].as_u64().unwrap_or(0) >= 1,
        "{oom}"
    );
    assert_eq!(row("m8q3rx", "production")["state"], "DOWN");
    assert_eq!(row("c2a7dv", "production")["failed_jobs"], 1);
    // Worst first: no UP row above a DOWN one.
    let states: Vec<&str> = tenants.iter().filter_map(|t| t["state"].as_str()).collect();
    let first_up = states.iter().position(|s| *s == "UP").expect("an UP row");
    assert!(!states[first_up..].contains(&"DOWN"), "{states:?}");
    assert_eq!(
        doc["summary"]["down"],
        states.iter().filter(|s| **s == "DOWN").count()
    );

    let out = check(sim.kubeconfig(), &["-n", "f7h4js"]).await;
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("✖ DOWN"), "{text}");
    assert!(
        text.contains("Service smartclient-html-prd has no ready endpoint"),
        "{text}"
    );

    let out = check(sim.kubeconfig(), &["-n", "t4k9pz"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_tenant_exits_zero() {
    let sim = sim().await;
    let out = check(sim.kubeconfig(), &["-n", "r2g5mu", "-o", "json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    assert_eq!(
        doc["summary"]["up"], 2,
        "production and homologation: {doc:#}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_healthy_scenario_is_all_up_and_exits_zero() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sim/scenarios/healthy.yaml");
    let sim = kterm_sim::start(SimOpts {
        scenario: kterm_sim::ScenarioChoice::File(file),
        ..SimOpts::default()
    })
    .await
    .expect("simulator starts");
    let out = check(sim.kubeconfig(), &["-A", "-o", "json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    assert!(
        doc["summary"]["up"].as_u64().is_some_and(|n| n >= 4),
        "two tenants with two environments each, all UP: {doc:#}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_cluster_exits_three_with_one_sentence() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = std::env::temp_dir().join(format!("kterm-check-dead-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let kubeconfig = dir.join("config");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\n\
         users:\n- name: u\n  user: {{token: x}}\ncontexts:\n- name: t\n  context: {{cluster: t, user: u, namespace: c2a7dv}}\n"
    );
    std::fs::write(&kubeconfig, text).expect("write kubeconfig");
    let out = check(&kubeconfig, &["-A"]).await;
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("Cannot reach the cluster"), "{err}");
    assert!(stdout(&out).is_empty());
}
