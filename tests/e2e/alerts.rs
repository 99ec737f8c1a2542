//! Alerts while open (issue 11) against `kterm-sim`: a deployment made to OOM with kubectl
//! while kterm watches raises the status-bar alert, and `!` lists it.

use super::{kterm_then_status, kubectl, kubectl_bin, quote, start_sim, Pane};

#[test]
fn an_oom_kill_during_the_session_raises_the_alert() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let args = format!(
        "--kubeconfig {} -n r2g5mu",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = Pane::new("alert-oom").run(120, 40, &kterm_then_status(&args));
    pane.wait_text("│ live");
    pane.wait_text("lockserver-prd-");
    // The lockserver's new pods run out of memory a few seconds after they start.
    let patch = r#"{"spec":{"template":{"metadata":{"annotations":{"sim.kterm.io/behavior":"oom","sim.kterm.io/oom-seconds":"5"}}}}}"#;
    kubectl(
        kubectl_path,
        &sim,
        &[
            "-n",
            "r2g5mu",
            "patch",
            "deployment",
            "lockserver-prd",
            "-p",
            patch,
        ],
    );
    let bar = pane.wait_text("⚠ OOM kill r2g5mu/lockserver-prd-");
    pane.check(
        bar.contains("(! lists)"),
        "the bar says how to list it",
        &bar,
    );
    pane.keys(&["!"]);
    let list = pane.wait_text("Alerts (");
    pane.check(
        list.contains("OOM kill") && list.contains("r2g5mu/lockserver-prd-"),
        "the list names the pod",
        &list,
    );
    pane.keys(&["Escape"]);
    pane.wait_for("the bar without the alert", |s| !s.contains("(! lists)"));
}
