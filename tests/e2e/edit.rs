//! Edit (issue 10, item 1) against `kterm-sim`, with `EDITOR` set to a script standing in for
//! the user: a sleeper added to the updater's command reaches the cluster (checked with
//! kubectl); broken YAML reopens the editor with the error on top and the text kept; a change
//! made with kubectl between open and save gives the 409 question, and re-applying keeps both
//! changes (or the fresh object opens, the user's version beside it); `kterm audit` shows the
//! edit with its paths; kinds kterm does not list are edited by `kind/name` through discovery,
//! a Secret's values never reach the audit log, and an unchanged save sends nothing.

use std::path::Path;
use std::process::Command;

use super::{kterm_then_status, kubectl_bin, quote, start_sim, Pane, Sim, KTERM};

/// kterm on t4k9pz with `editor` as $EDITOR (and no $VISUAL/$KUBE_EDITOR), once live.
fn kterm_with_editor(pane: Pane, sim: &Sim, editor: &Path) -> Pane {
    let args = format!(
        "--kubeconfig {} -n t4k9pz",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let script = format!(
        "unset VISUAL KUBE_EDITOR; EDITOR={} {}",
        quote(&editor.to_string_lossy()),
        kterm_then_status(&args)
    );
    let pane = pane.run(200, 40, &script);
    pane.wait_for("t4k9pz's pods, live", |s| {
        s.contains("appserver-prd-") && s.contains("│ live")
    });
    pane
}

/// Writes an executable `sh` script.
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\nset -e\n{body}\n")).expect("write the editor script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// `kubectl get cronjob protheus-updater -n t4k9pz -o jsonpath=PATH`.
fn cronjob_field(kubectl: &str, sim: &Sim, jsonpath: &str) -> String {
    let out = Command::new(kubectl)
        .args(["--kubeconfig", &sim.kubeconfig().to_string_lossy()])
        .args(["-n", "t4k9pz", "get", "cronjob", "protheus-updater"])
        .arg(format!("-o=jsonpath={jsonpath}"))
        .output()
        .expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl get failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const COMMAND: &str = "{.spec.jobTemplate.spec.template.spec.containers[0].command[2]}";

#[test]
fn a_sleeper_added_in_the_editor_reaches_the_cluster() {
    let Some(kubectl) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = Pane::new("edit-sleeper");
    let editor = pane.dir().join("editor.sh");
    // The runbook's sleeper, put in front of the updater's script.
    script(
        &editor,
        r#"sed -i 's/^\( *\)set -e$/\1sleep 3600\n\1set -e/' "$1""#,
    );
    let pane = kterm_with_editor(pane, &sim, &editor);
    pane.keys(&[":"]);
    pane.keys(&["-l", "edit cj/protheus-updater"]);
    pane.keys(&["Enter"]);
    let done = pane.wait_text("Edited cronjob t4k9pz/protheus-updater: spec.jobTemplate");
    pane.check(
        done.contains("containers[name=updater].command."),
        "the message names the path changed",
        &done,
    );
    let command = cronjob_field(kubectl, &sim, COMMAND);
    assert!(
        command.starts_with("sleep 3600\nset -e\nexec /usr/local/bin/protheus-updater"),
        "the simulator holds the new command: {command:?}"
    );
    // Applied: the edit's file is gone.
    let edits = std::fs::read_dir(pane.dir().join("kterm/edits"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(edits, 0, "an applied edit's file is removed");
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

#[test]
fn broken_yaml_reopens_the_editor_with_the_error_and_the_text_kept() {
    let Some(kubectl) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = Pane::new("edit-broken");
    let dir = pane.dir().to_string_lossy().into_owned();
    let editor = pane.dir().join("editor.sh");
    // First open: break the YAML. Second open: keep what it was given, then fix it.
    script(
        &editor,
        &format!(
            r#"if grep -q '^# kterm could not save' "$1"; then
  cp "$1" {dir}/second.yaml
  sed -i 's/suspend: \[true/suspend: true/' "$1"
else
  sed -i 's/suspend: false/suspend: [true/' "$1"
  cp "$1" {dir}/first.yaml
fi"#,
            dir = quote(&dir)
        ),
    );
    let pane = kterm_with_editor(pane, &sim, &editor);
    pane.keys(&[":"]);
    pane.keys(&["-l", "cj"]);
    pane.keys(&["Enter"]);
    pane.wait_for("the cronjob listed", |s| s.contains("protheus-updater"));
    pane.keys(&["e"]);
    pane.wait_text("Edited cronjob t4k9pz/protheus-updater: spec.suspend.");
    let first = std::fs::read_to_string(pane.dir().join("first.yaml")).unwrap_or_default();
    let second = std::fs::read_to_string(pane.dir().join("second.yaml")).unwrap_or_default();
    assert!(
        second.starts_with("# kterm could not save this edit:\n# The YAML is not valid at line "),
        "the error is on top:\n{second}"
    );
    assert!(
        second.ends_with(&first),
        "the text is kept byte for byte below the error:\n{second}"
    );
    assert_eq!(cronjob_field(kubectl, &sim, "{.spec.suspend}"), "true");
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

#[test]
fn a_change_made_meanwhile_gives_the_conflict_and_re_apply_keeps_both() {
    let Some(kubectl) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = Pane::new("edit-conflict");
    let editor = pane.dir().join("editor.sh");
    let kubeconfig = sim.kubeconfig().to_string_lossy().into_owned();
    // The user pauses the updater while a colleague labels it with kubectl.
    script(
        &editor,
        &format!(
            r#"sed -i 's/suspend: false/suspend: true/' "$1"
{} --kubeconfig {} -n t4k9pz patch cronjob protheus-updater --type merge -p '{{"metadata":{{"labels":{{"paused-by":"colleague"}}}}}}' >/dev/null"#,
            quote(kubectl),
            quote(&kubeconfig)
        ),
    );
    let pane = kterm_with_editor(pane, &sim, &editor);
    pane.keys(&[":"]);
    pane.keys(&["-l", "edit cj/protheus-updater"]);
    pane.keys(&["Enter"]);
    let asked = pane.wait_text("was changed by someone else");
    pane.check(
        asked.contains("r re-apply") && asked.contains("g give up"),
        "the question offers the three choices",
        &asked,
    );
    pane.keys(&["r"]);
    pane.wait_text("Edited cronjob t4k9pz/protheus-updater: spec.suspend.");
    assert_eq!(cronjob_field(kubectl, &sim, "{.spec.suspend}"), "true");
    assert_eq!(
        cronjob_field(kubectl, &sim, "{.metadata.labels.paused-by}"),
        "colleague"
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    // kterm audit shows the edit and its paths.
    let out = Command::new(KTERM)
        .arg("audit")
        .env("XDG_STATE_HOME", pane.dir())
        .env("KTERM_CONFIG_DIR", pane.dir().join("no-config"))
        .output()
        .expect("kterm audit runs");
    let audit = String::from_utf8_lossy(&out.stdout);
    assert!(
        audit.contains("edit")
            && audit.contains("cronjob/protheus-updater")
            && audit.contains("spec.suspend"),
        "kterm audit shows the edit with its paths:\n{audit}"
    );
    drop(pane);
    drop(sim);
}

#[test]
fn the_fresh_object_opens_with_the_users_version_kept_beside_it() {
    let Some(kubectl) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = Pane::new("edit-fresh");
    let dir = pane.dir().to_string_lossy().into_owned();
    let editor = pane.dir().join("editor.sh");
    let kubeconfig = sim.kubeconfig().to_string_lossy().into_owned();
    // First open: pause it while a colleague labels it. Second (the fresh object): look, leave.
    script(
        &editor,
        &format!(
            r#"if grep -q '^# Your version is kept in' "$1"; then
  cp "$1" {dir}/fresh.yaml
else
  sed -i 's/suspend: false/suspend: true/' "$1"
  {} --kubeconfig {} -n t4k9pz patch cronjob protheus-updater --type merge -p '{{"metadata":{{"labels":{{"paused-by":"colleague"}}}}}}' >/dev/null
fi"#,
            quote(kubectl),
            quote(&kubeconfig),
            dir = quote(&dir)
        ),
    );
    let pane = kterm_with_editor(pane, &sim, &editor);
    pane.keys(&[":"]);
    pane.keys(&["-l", "edit cj/protheus-updater"]);
    pane.keys(&["Enter"]);
    pane.wait_text("was changed by someone else");
    pane.keys(&["o"]);
    pane.wait_text("Edit cancelled, no changes made. Your earlier version stays in");
    let fresh = std::fs::read_to_string(pane.dir().join("fresh.yaml")).unwrap_or_default();
    assert!(
        fresh.contains("paused-by: colleague") && fresh.contains("suspend: false"),
        "the editor showed the fresh object:\n{fresh}"
    );
    let mine_path = fresh
        .lines()
        .find_map(|l| l.strip_prefix("# Your version is kept in "))
        .and_then(|l| l.strip_suffix('.'))
        .unwrap_or_default();
    assert!(mine_path.ends_with(".mine.yaml"), "{fresh}");
    let mine = std::fs::read_to_string(mine_path).unwrap_or_default();
    assert!(
        mine.contains("suspend: true") && !mine.contains("paused-by"),
        "the side file holds the user's version:\n{mine}"
    );
    assert_eq!(cronjob_field(kubectl, &sim, "{.spec.suspend}"), "false");
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

#[test]
fn kinds_kterm_does_not_list_are_edited_by_name_and_a_secrets_values_stay_out_of_the_audit() {
    let Some(kubectl) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = Pane::new("edit-discovery");
    let editor = pane.dir().join("editor.sh");
    // A note in the ConfigMap; a new password (base64 of "s3cr3t-kterm") in the Secret.
    script(
        &editor,
        r#"if grep -q '^kind: ConfigMap' "$1"; then
  sed -i 's/^data:$/data:\n  kterm-note: edited/' "$1"
elif grep -q '^kind: Secret' "$1"; then
  sed -i 's/^\(  DB_PASSWORD: \).*/\1czNjcjN0LWt0ZXJt/' "$1"
fi"#,
    );
    let pane = kterm_with_editor(pane, &sim, &editor);
    pane.keys(&[":"]);
    pane.keys(&["-l", "edit configmap/appserver-ini-prd"]);
    pane.keys(&["Enter"]);
    pane.wait_text("Edited configmap t4k9pz/appserver-ini-prd: data.kterm-note.");
    pane.keys(&[":"]);
    pane.keys(&["-l", "edit secret/protheus-db-prd"]);
    pane.keys(&["Enter"]);
    pane.wait_text("Edited secret t4k9pz/protheus-db-prd: data.DB_PASSWORD.");
    // Saved as it was: nothing is sent and the file goes.
    pane.keys(&[":"]);
    pane.keys(&["-l", "edit deploy/appserver-prd"]);
    pane.keys(&["Enter"]);
    pane.wait_text("Edit cancelled, no changes made.");
    let edits = std::fs::read_dir(pane.dir().join("kterm/edits"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(edits, 0, "no edit file is left behind");
    let get = |args: &[&str]| {
        let out = Command::new(kubectl)
            .args([
                "--kubeconfig",
                &sim.kubeconfig().to_string_lossy(),
                "-n",
                "t4k9pz",
                "get",
            ])
            .args(args)
            .output()
            .expect("kubectl runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        get(&[
            "configmap",
            "appserver-ini-prd",
            "-o=jsonpath={.data.kterm-note}"
        ]),
        "edited"
    );
    assert_eq!(
        get(&[
            "secret",
            "protheus-db-prd",
            "-o=jsonpath={.data.DB_PASSWORD}"
        ]),
        "czNjcjN0LWt0ZXJt"
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    let audit = std::fs::read_to_string(pane.dir().join("kterm/audit.log")).unwrap_or_default();
    assert!(
        audit.contains("\"target\":\"secret/protheus-db-prd\"")
            && audit.contains("\"changed\":[\"data.DB_PASSWORD\"]"),
        "the Secret's edit is logged with its path:\n{audit}"
    );
    assert!(
        !audit.contains("czNjcjN0") && !audit.contains("s3cr3t"),
        "never its value:\n{audit}"
    );
    drop(pane);
    drop(sim);
}
