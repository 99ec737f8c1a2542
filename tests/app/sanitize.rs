//! Escape sequences from the cluster never reach a terminal: not through `kterm get pods`'
//! table, not through the TUI's cells; `-o json` keeps the bytes exact.

use std::path::Path;

use k8s_openapi::api::core::v1::Pod;
use kterm::kube::pods::{exact_pod_row, pod_row, SlimPod};
use kube::api::{Api, Patch, PatchParams, PostParams};
use serde_json::json;
use tokio::process::Command;

use super::fixtures::{apply_rows, draw, state};

/// The OSC that retitles a window, as an attacker would put it in a waiting reason.
const TITLE: &str = "\u{1b}]0;pwned\u{7}";

/// A pod whose strings all carry the escape.
fn hostile_pod() -> serde_json::Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "evil", "namespace": "default"},
        "spec": {
            "nodeName": format!("node{TITLE}"),
            "containers": [{"name": "app", "image": "busybox"}]
        },
        "status": {
            "phase": "Pending",
            "podIP": format!("10.0.0.1{TITLE}"),
            "containerStatuses": [{
                "name": "app", "image": "busybox", "imageID": "", "ready": false,
                "restartCount": 0,
                "state": {"waiting": {"reason": format!("Bad{TITLE}")}}
            }]
        }
    })
}

#[test]
fn pod_rows_show_escapes_as_text_and_exact_rows_keep_them() {
    let pod: SlimPod = serde_json::from_value(hostile_pod()).expect("pod decodes");
    let exact = exact_pod_row(&pod);
    assert_eq!(exact.status, format!("Bad{TITLE}"));
    let row = pod_row(&pod);
    assert_eq!(row.status, "Bad^[]0;pwned^G");
    assert_eq!(&*row.node, "node^[]0;pwned^G");
    assert_eq!(row.ip, "10.0.0.1^[]0;pwned^G");
}

#[test]
fn the_pod_table_draws_the_escape_as_visible_text() {
    let pod: SlimPod = serde_json::from_value(hostile_pod()).expect("pod decodes");
    let mut s = state();
    let rows = vec![pod_row(&pod)];
    apply_rows(&mut s, rows);
    let screen = draw(&s, 200, 10);
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
        "{screen}"
    );
    assert!(screen.contains("Bad^[]0;pwned^G"), "{screen}");

    // ratatui itself drops a grapheme holding a control character, so the raw row cannot
    // drive the terminal either; but the reader would not see that something was hidden.
    let mut raw = state();
    let rows = vec![exact_pod_row(&pod)];
    apply_rows(&mut raw, rows);
    let screen = draw(&raw, 200, 10);
    assert!(
        !screen.contains('\u{1b}') && screen.contains("Bad]0;pwned"),
        "{screen}"
    );
}

/// Runs `kterm get pods` with `args` against `kubeconfig`.
async fn get(kubeconfig: &Path, args: &[&str]) -> std::process::Output {
    let scratch = std::env::temp_dir().join(format!("kterm-sanitize-{}", std::process::id()));
    let config_dir = scratch.join("config");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    Command::new(env!("CARGO_BIN_EXE_kterm"))
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["get", "pods", "-n", "default"])
        .args(args)
        .env("XDG_STATE_HOME", &scratch)
        .env("KTERM_CONFIG_DIR", &config_dir)
        .output()
        .await
        .expect("kterm runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_pods_never_prints_an_escape_from_the_cluster() {
    let sim = kterm_sim::start(kterm_sim::SimOpts::default())
        .await
        .expect("simulator starts");
    let config = kube::Config::from_custom_kubeconfig(
        kube::config::Kubeconfig::read_from(sim.kubeconfig()).expect("kubeconfig"),
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .expect("config");
    let client = kube::Client::try_from(config).expect("client");
    let pods: Api<Pod> = Api::namespaced(client, "default");
    let mut pod: Pod = serde_json::from_value(hostile_pod()).expect("pod");
    pod.status = None;
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("create");
    let status = json!({"status": hostile_pod()["status"]});
    pods.patch_status("evil", &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("patch the status");

    for wide in [false, true] {
        let args: &[&str] = if wide { &["-o", "wide"] } else { &[] };
        let out = get(sim.kubeconfig(), args).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("Bad^[]0;pwned^G"), "wide={wide}: {text}");
        assert!(
            !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
            "{text}"
        );
        if wide {
            assert!(text.contains("10.0.0.1^[]0;pwned^G"), "{text}");
        }
    }
    let out = get(sim.kubeconfig(), &["-o", "json"]).await;
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let evil = doc["items"]
        .as_array()
        .and_then(|items| items.iter().find(|p| p["name"] == "evil"))
        .expect("the pod is listed");
    assert_eq!(evil["status"], format!("Bad{TITLE}"), "JSON stays exact");
    sim.shutdown().await;
}
