//! `kterm get pods`: the real binary against an in-process simulator, as a script would run it.

use std::path::Path;
use std::process::Output;

use kterm_sim::{RbacProfile, SimHandle, SimOpts};
use serde_json::Value;
use tokio::process::Command;

async fn sim(rbac: RbacProfile) -> SimHandle {
    kterm_sim::start(SimOpts {
        rbac,
        ..SimOpts::default()
    })
    .await
    .expect("simulator starts")
}

/// Runs `kterm --kubeconfig <path> get pods <args>` with logs kept out of the user's home.
async fn kterm(kubeconfig: &Path, args: &[&str]) -> Output {
    kterm_with_config(kubeconfig, args, None).await
}

/// Like `kterm`, with `config.yaml` holding `config` (none: an empty config directory, so the
/// user's own files never change a test).
async fn kterm_with_config(kubeconfig: &Path, args: &[&str], config: Option<&str>) -> Output {
    let scratch = std::env::temp_dir().join(format!(
        "kterm-get-test-{}-{}",
        std::process::id(),
        config.map_or(0, str::len)
    ));
    let config_dir = scratch.join("config");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    if let Some(text) = config {
        std::fs::write(config_dir.join("config.yaml"), text).expect("write config.yaml");
    }
    Command::new(env!("CARGO_BIN_EXE_kterm"))
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["get", "pods"])
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

fn json_items(out: &Output) -> Vec<Value> {
    assert!(out.status.success(), "kterm failed: {}", stderr(out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    doc["items"].as_array().expect("an items array").clone()
}

fn find<'a>(items: &'a [Value], ns: &str, prefix: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|p| {
            p["namespace"] == ns && p["name"].as_str().is_some_and(|n| n.starts_with(prefix))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_shows_the_oom_kill_and_the_crash_loop() {
    let sim = sim(RbacProfile::Admin).await;
    let out = kterm(sim.kubeconfig(), &["-A", "-o", "json"]).await;
    let items = json_items(&out);

    let oom = find(&items, "t4k9pz", "appserver-prd-");
    assert!(!oom.is_empty(), "no appserver-prd pod in t4k9pz");
    let oom = oom
        .iter()
        .find(|p| !p["lastTermination"].is_null())
        .expect("an OOM-killed appserver-prd pod");
    assert_eq!(oom["lastTermination"]["reason"], "OOMKilled");
    assert_eq!(oom["lastTermination"]["exitCode"], 137);
    assert!(oom["lastTermination"]["finishedAt"].is_string());
    assert!(oom["restarts"].as_u64().expect("restarts is a number") > 0);
    assert!(oom["lastRestart"].is_string());

    let crash = find(&items, "m8q3rx", "rest-prd-");
    let crash = crash.first().expect("a rest-prd pod in m8q3rx");
    assert_eq!(crash["status"], "CrashLoopBackOff");
    assert!(crash["restarts"].as_u64().expect("restarts is a number") > 0);

    // Every documented field is present on every item, null or not.
    let fields = [
        "namespace",
        "name",
        "ready",
        "status",
        "restarts",
        "lastRestart",
        "lastTermination",
        "node",
        "ip",
        "age",
        "createdAt",
    ];
    for item in &items {
        for field in fields {
            assert!(item.get(field).is_some(), "{field} missing in {item}");
        }
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn table_and_namespace_selection() {
    let sim = sim(RbacProfile::Admin).await;

    let out = kterm(sim.kubeconfig(), &["-A"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let header = text.lines().next().expect("a header");
    let columns: Vec<&str> = header
        .split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        columns,
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "LAST TERMINATION",
            "AGE"
        ]
    );
    assert!(text.contains("OOMKilled"), "{text}");

    let out = kterm(sim.kubeconfig(), &["-n", "c2a7dv", "-o", "wide"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let header = text.lines().next().expect("a header");
    assert!(
        header.starts_with("NAME "),
        "one namespace, no NAMESPACE column: {header}"
    );
    assert!(
        header.contains("   IP ") && header.ends_with("   NODE"),
        "wide adds IP and NODE: {header}"
    );
    assert!(text.lines().count() > 1, "{text}");

    let items = json_items(&kterm(sim.kubeconfig(), &["-n", "c2a7dv", "-o", "json"]).await);
    assert!(!items.is_empty());
    assert!(items.iter().all(|p| p["namespace"] == "c2a7dv"));

    let items = json_items(&kterm(sim.kubeconfig(), &["-n", "c2a7dv,m8q3rx", "-o", "json"]).await);
    assert!(items.iter().any(|p| p["namespace"] == "m8q3rx"));
    assert!(items
        .iter()
        .all(|p| p["namespace"] == "c2a7dv" || p["namespace"] == "m8q3rx"));

    // --tenants reads the label, so system namespaces stay out.
    let items = json_items(&kterm(sim.kubeconfig(), &["--tenants", "-o", "json"]).await);
    assert!(items.iter().any(|p| p["namespace"] == "t4k9pz"));
    assert!(items.iter().all(|p| p["namespace"] != "kube-system"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_is_the_same_document() {
    let sim = sim(RbacProfile::Admin).await;
    let out = kterm(sim.kubeconfig(), &["-n", "t4k9pz", "-o", "yaml"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_yaml::from_slice(&out.stdout).expect("valid YAML");
    let items = doc["items"].as_array().expect("items");
    assert!(items
        .iter()
        .any(|p| p["lastTermination"]["reason"] == "OOMKilled"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_is_one_sentence_and_a_failure() {
    // Bind then drop: the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = std::env::temp_dir().join(format!("kterm-get-dead-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let kubeconfig = dir.join("config");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\n\
         users:\n- name: u\n  user: {{token: x}}\ncontexts:\n- name: t\n  context: {{cluster: t, user: u, namespace: c2a7dv}}\n"
    );
    std::fs::write(&kubeconfig, text).expect("write kubeconfig");

    let out = kterm(&kubeconfig, &["-A"]).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("Cannot reach the cluster"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(&out).is_empty());

    let out = kterm(&dir.join("missing"), &[]).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("kubeconfig"), "{err}");

    let out = kterm(&kubeconfig, &["--context", "nope"]).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_is_told_what_is_forbidden() {
    let sim = sim(RbacProfile::Tenant).await;

    let out = kterm(sim.kubeconfig(), &["-A"]).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("Forbidden") && err.contains("all namespaces"),
        "{err}"
    );

    let out = kterm(sim.kubeconfig(), &["--tenants"]).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("Forbidden") && err.contains("namespaces"),
        "{err}"
    );

    let items = json_items(&kterm(sim.kubeconfig(), &["-n", "c2a7dv", "-o", "json"]).await);
    assert!(!items.is_empty());
    assert!(items.iter().all(|p| p["namespace"] == "c2a7dv"));
    sim.shutdown().await;
}

#[test]
fn malformed_kubeconfig_is_one_line_on_stderr() {
    let dir = std::env::temp_dir().join(format!("kterm-badkc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kc = dir.join("config");
    std::fs::write(&kc, "apiVersion: v1\nclusters: [oops\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kterm"))
        .args(["--kubeconfig", kc.to_str().unwrap(), "get", "pods"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one sentence: {err}");
    assert!(err.contains("Cannot use the kubeconfig"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Like kubectl: `KUBECONFIG` lists several files that are merged (here the cluster and context
/// in one, the user in another), and the user's token comes from an exec credential plugin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merged_kubeconfigs_and_an_exec_credential_plugin() {
    let sim = kterm_sim::start(SimOpts {
        token: Some("plugin-token".into()),
        ..SimOpts::default()
    })
    .await
    .expect("simulator starts");
    let dir = std::env::temp_dir().join(format!("kterm-get-exec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let plugin = dir.join("credential.sh");
    let write_plugin = |token: &str| {
        std::fs::write(
            &plugin,
            format!(
                "#!/bin/sh\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\
                 \"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{token}\"}}}}'\n"
            ),
        )
        .expect("write the plugin");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))
            .expect("make the plugin executable");
    };
    write_plugin("plugin-token");
    let clusters = dir.join("clusters.yaml");
    std::fs::write(
        &clusters,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: {}\n\
             contexts:\n- name: via-plugin\n  context:\n    cluster: sim\n    user: plugin\n    namespace: t4k9pz\n\
             current-context: via-plugin\n",
            sim.url
        ),
    )
    .expect("write clusters.yaml");
    let users = dir.join("users.yaml");
    std::fs::write(
        &users,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: plugin\n  user:\n    exec:\n      \
             apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      \
             interactiveMode: Never\n",
            plugin.display()
        ),
    )
    .expect("write users.yaml");
    let run = || async {
        Command::new(env!("CARGO_BIN_EXE_kterm"))
            .args(["get", "pods", "-o", "json"])
            .env(
                "KUBECONFIG",
                format!("{}:{}", clusters.display(), users.display()),
            )
            .env("XDG_STATE_HOME", &dir)
            .output()
            .await
            .expect("kterm runs")
    };
    let out = run().await;
    let items = json_items(&out);
    assert!(
        !find(&items, "t4k9pz", "appserver-prd-").is_empty(),
        "{}",
        stdout(&out)
    );
    assert!(
        items.iter().all(|p| p["namespace"] == "t4k9pz"),
        "the context's namespace from the merged file is the default"
    );

    // A plugin handing out a stale token: one sentence, a failure.
    write_plugin("stale-token");
    let out = run().await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("rejected the credentials"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Under tenant RBAC the tenant label cannot be listed, but configured tenants can be read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_come_from_config_yaml_when_it_lists_them() {
    let sim = sim(RbacProfile::Tenant).await;
    let out = kterm(sim.kubeconfig(), &["--tenants", "-o", "json"]).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("under tenants: in config.yaml"),
        "{}",
        stderr(&out)
    );

    let config = "tenants:\n  - m8q3rx\n  - namespace: t4k9pz\n    name: Acme\n";
    let out = kterm_with_config(sim.kubeconfig(), &["--tenants", "-o", "json"], Some(config)).await;
    let items = json_items(&out);
    let mut namespaces: Vec<&str> = items
        .iter()
        .filter_map(|p| p["namespace"].as_str())
        .collect();
    namespaces.dedup();
    assert_eq!(namespaces, ["m8q3rx", "t4k9pz"]);
}
