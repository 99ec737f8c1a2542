//! The guarded delete (issue 10) against `kterm-sim`: the dialog names what the delete breaks
//! before anything happens — the ReplicaSet that recreates an appserver pod (and the new pod
//! appears after `y`), the Service the not-ready smartclient pod leaves without endpoints (the
//! name must be typed back), the stuck migration Job's running pod and the runbook's flag
//! files — and `--readonly` / `--rbac readonly` refuse with the reason; the audit log has it.

use super::{kterm_then_status, kubectl, kubectl_bin, quote, start_sim, Pane, Sim};

/// kterm watching `namespace`, filtered to `filter`, once live.
fn on(
    pane: Pane,
    sim: &Sim,
    namespace: &str,
    command: Option<&str>,
    filter: &str,
    extra: &str,
) -> Pane {
    let args = format!(
        "--kubeconfig {} -n {namespace} {extra}",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = pane.run(120, 40, &kterm_then_status(&args));
    pane.wait_text("│ live");
    if let Some(command) = command {
        pane.keys(&["-l", &format!(":{command}")]);
        pane.keys(&["Enter"]);
    }
    pane.wait_for("the rows listed", |s| s.contains(filter));
    pane.keys(&["/"]);
    pane.keys(&["-l", filter]);
    pane.keys(&["Enter"]);
    pane.wait_for("the table filtered", |s| {
        s.contains(&format!("/{filter} ")) && !s.contains('▏')
    });
    pane
}

/// Pod names starting with `prefix` on the screen.
fn pods_named(screen: &str, prefix: &str) -> Vec<String> {
    screen
        .split_whitespace()
        .filter(|w| w.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

#[test]
fn deleting_an_appserver_pod_names_its_replicaset_and_a_new_pod_comes() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on(
        Pane::new("del-rs"),
        &sim,
        "t4k9pz",
        None,
        "appserver-hml",
        "",
    );
    let before = pane.wait_for("two appserver-hml pods", |s| {
        pods_named(s, "appserver-hml-").len() == 2
    });
    let victim = pods_named(&before, "appserver-hml-").remove(0);
    pane.keys(&["C-d"]);
    let dialog = pane.wait_text("will recreate it");
    pane.check(
        dialog.contains(&format!("Delete pod t4k9pz/{victim}?"))
            && dialog.contains("ReplicaSet appserver-hml-")
            && dialog.contains("y yes · n no (default)"),
        "the dialog names the pod, its ReplicaSet, and takes y",
        &dialog,
    );
    pane.keys(&["y"]);
    pane.wait_for("the pod replaced by a new one", |s| {
        let pods = pods_named(s, "appserver-hml-");
        !s.contains("Delete pod")
            && pods.len() >= 2
            && pods
                .iter()
                .any(|p| *p != victim && !before.contains(p.as_str()))
    });
    // Gone, or terminating (its grace period running).
    let pods = kubectl(
        kubectl_path,
        &sim,
        &[
            "get",
            "pods",
            "-n",
            "t4k9pz",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}",
        ],
    );
    assert!(
        pods.lines()
            .all(|l| !l.starts_with(&format!("{victim} ")) || l.trim().len() > victim.len() + 10),
        "kubectl sees {victim} gone or terminating:\n{pods}"
    );
    let audit = std::fs::read_to_string(pane.dir().join("kterm/audit.log")).unwrap_or_default();
    assert!(
        audit.lines().any(|l| l.contains("\"verb\":\"delete\"")
            && l.contains(&victim)
            && l.contains("\"ok\"")),
        "the audit log has the delete and its outcome:\n{audit}"
    );
}

#[test]
fn the_not_ready_smartclient_pod_wants_its_name_typed_back() {
    if kubectl_bin().is_none() {
        return;
    }
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on(
        Pane::new("del-svc"),
        &sim,
        "f7h4js",
        None,
        "smartclient-html-prd",
        "",
    );
    let before = pane.wait_for("the smartclient pod", |s| {
        pods_named(s, "smartclient-html-prd-").len() == 1
    });
    let victim = pods_named(&before, "smartclient-html-prd-").remove(0);
    pane.keys(&["C-d"]);
    let dialog = pane.wait_text("0 ready endpoints");
    pane.check(
        dialog.contains("Service smartclient-html-prd will have 0 ready endpoints")
            && dialog.contains(&format!("Type {victim} to confirm")),
        "the dialog names the Service losing its only endpoint and wants the name",
        &dialog,
    );
    // y is a letter of the name here, not a yes.
    pane.keys(&["y", "Enter"]);
    pane.wait_text(&format!("Type {victim} exactly to confirm"));
    pane.keys(&["BSpace"]);
    pane.keys(&["-l", &victim]);
    pane.keys(&["Enter"]);
    pane.wait_for("the pod gone", |s| {
        !s.contains("Type ") && !pods_named(s, "smartclient-html-prd-").contains(&victim)
            || s.contains("Terminating")
    });
}

#[test]
fn deleting_the_stuck_migration_job_shows_its_running_pod_and_the_flag_files() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on(
        Pane::new("del-job"),
        &sim,
        "p9d6ty",
        Some("job"),
        "upddistr-hml",
        "",
    );
    pane.wait_text("Running");
    pane.keys(&["C-d"]);
    let dialog = pane.wait_text("its work stops");
    pane.check(
        dialog.contains("running pod")
            && dialog.contains("/volume/flags/")
            && dialog.contains("Type upddistr-hml to confirm"),
        "the running pod, the runbook's flag files and the name to type",
        &dialog,
    );
    pane.keys(&["-l", "upddistr-hml"]);
    pane.keys(&["Enter"]);
    pane.wait_text("Deleted job p9d6ty/upddistr-hml. Next: upddistr-hml is gone: create the control flag files");
    pane.wait_for("the job gone from the list", |s| {
        !s.contains("Type upddistr-hml") && !s.contains("Running")
    });
    let jobs = kubectl(kubectl_path, &sim, &["get", "jobs", "-n", "p9d6ty"]);
    assert!(
        !jobs.contains("upddistr-hml"),
        "kubectl no longer lists the job:\n{jobs}"
    );
}

#[test]
fn read_only_refuses_and_rbac_readonly_explains() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on(
        Pane::new("ro-flag"),
        &sim,
        "t4k9pz",
        None,
        "appserver-hml",
        "--readonly",
    );
    pane.wait_text("READ-ONLY");
    pane.keys(&["C-d"]);
    pane.wait_text("kterm is read-only (--readonly): delete is off.");
    pane.keys(&["e"]);
    pane.wait_text("kterm is read-only (--readonly): edit is off.");
    pane.keys(&["?"]);
    pane.wait_text("[off: read-only, --readonly]");

    let sim = start_sim(kterm_sim::SimOpts {
        rbac: kterm_sim::RbacProfile::Readonly,
        ..kterm_sim::SimOpts::default()
    });
    let pane = on(
        Pane::new("ro-rbac"),
        &sim,
        "t4k9pz",
        None,
        "appserver-hml",
        "",
    );
    pane.keys(&["C-d"]);
    let refused = pane.wait_text("You may not delete pods in t4k9pz");
    pane.check(
        !refused.contains("Delete pod"),
        "no dialog is offered",
        &refused,
    );
    pane.keys(&["?"]);
    pane.wait_text("Help");
    // The pods' delete keys are below the first screenful of the help.
    pane.keys(&["G"]);
    pane.wait_text("[not allowed: you may not delete pods in t4k9pz]");
}
