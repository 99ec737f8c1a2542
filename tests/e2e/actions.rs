//! Workload and CronJob actions (issue 10) in tmux against `kterm-sim`, checked with kubectl:
//! scale, rollout restart, the resources form raising appserver's memory limit, trigger,
//! suspend and resume — and each one in `kterm audit`.

use std::process::Command;
use std::time::Instant;

use super::{
    kterm_then_status, kubectl, kubectl_bin, quote, start_sim, Pane, Sim, DEADLINE, KTERM, POLL,
};

/// Polls `read` until `ready` holds on its answer; panics with the last answer.
fn eventually(what: &str, read: impl Fn() -> String, ready: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let answer = read();
        if ready(&answer) {
            return answer;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "timed out waiting for {what}; last answer:\n{answer}"
        );
        std::thread::sleep(POLL);
    }
}

/// kterm on `namespace` of `sim`, showing the list `:kind` filtered to `name`.
fn on_list(test: &str, sim: &Sim, namespace: &str, kind: &str, name: &str) -> Pane {
    let args = format!(
        "--kubeconfig {} -n {namespace}",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = Pane::new(test).run(140, 40, &kterm_then_status(&args));
    pane.wait_for("pods listed and live", |s| {
        s.contains("NAMESPACE NAME") || s.contains("│ live")
    });
    pane.keys(&[":"]);
    pane.keys(&["-l", kind]);
    pane.keys(&["Enter"]);
    pane.wait_for("the list, live", |s| {
        s.contains("NAME") && s.contains("│ live")
    });
    pane.keys(&["/"]);
    pane.keys(&["-l", name]);
    pane.keys(&["Enter"]);
    pane.wait_for("the list filtered to the object", |s| {
        s.contains(&format!("/{name} 1 of"))
    });
    pane
}

/// `kterm audit` over the pane's state directory.
fn audit(pane: &Pane) -> String {
    let out = Command::new(KTERM)
        .arg("audit")
        .env("XDG_STATE_HOME", pane.dir())
        .env("KTERM_CONFIG_DIR", pane.dir().join("no-config"))
        .output()
        .expect("kterm audit runs");
    assert!(out.status.success(), "kterm audit failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn quit(pane: &Pane) {
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

/// ReplicaSets of `deployment` in `namespace`.
fn replicasets(k: &str, sim: &Sim, namespace: &str, deployment: &str) -> usize {
    kubectl(k, sim, &["-n", namespace, "get", "rs", "-o", "name"])
        .lines()
        .filter(|l| l.starts_with(&format!("replicaset.apps/{deployment}-")))
        .count()
}

#[test]
fn scale_and_rollout_restart_a_deployment() {
    let Some(k) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_list("scale", &sim, "t4k9pz", "deploy", "appserver-prd");
    pane.keys(&["s"]);
    pane.wait_text("scale appserver-prd (2 replicas) to: ");
    pane.keys(&["-l", "3"]);
    pane.keys(&["Enter"]);
    pane.wait_text("Scaled deployment t4k9pz/appserver-prd from 2 to 3.");
    let replicas = || {
        kubectl(
            k,
            &sim,
            &[
                "-n",
                "t4k9pz",
                "get",
                "deploy",
                "appserver-prd",
                "-o",
                "jsonpath={.spec.replicas}",
            ],
        )
    };
    eventually("kubectl to see 3 replicas", replicas, |r| r == "3");
    pane.wait_text("appserver-prd 3/3");

    let before = replicasets(k, &sim, "t4k9pz", "appserver-prd");
    pane.keys(&["r"]);
    pane.wait_text("Restart appserver-prd?");
    pane.keys(&["y"]);
    pane.wait_text("Restarted deployment t4k9pz/appserver-prd: a rollout has started.");
    let annotation = kubectl(
        k,
        &sim,
        &[
            "-n",
            "t4k9pz",
            "get",
            "deploy",
            "appserver-prd",
            "-o",
            r"jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}",
        ],
    );
    assert!(
        annotation.len() == 20 && annotation.ends_with('Z') && annotation.contains('T'),
        "restartedAt should be an RFC 3339 UTC time, got {annotation:?}"
    );
    eventually(
        "a new ReplicaSet",
        || replicasets(k, &sim, "t4k9pz", "appserver-prd").to_string(),
        |n| n.parse::<usize>().unwrap_or(0) > before,
    );
    let log = audit(&pane);
    assert!(
        log.contains("scale")
            && log.contains("deployment/appserver-prd")
            && log.contains("restart"),
        "kterm audit should list the scale and the restart:\n{log}"
    );
    quit(&pane);
}

#[test]
fn the_resources_form_raises_the_memory_limit_and_a_rollout_happens() {
    let Some(k) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_list("resources", &sim, "t4k9pz", "deploy", "appserver-prd");
    let before = replicasets(k, &sim, "t4k9pz", "appserver-prd");
    pane.keys(&["M"]);
    let form = pane.wait_text("Resources · deployment/appserver-prd");
    pane.check(
        form.contains("memory limit   2Gi") && form.contains("uses "),
        "the form should be prefilled from the template and show the pods' usage",
        &form,
    );
    // Below the usage first: the warning, and enter only repeats it.
    pane.keys(&["C-u"]);
    pane.keys(&["-l", "1Gi"]);
    pane.wait_text("it would be OOM-killed");
    pane.keys(&["C-u"]);
    pane.keys(&["-l", "3Gi"]);
    pane.wait_for("the warning gone", |s| !s.contains("OOM-killed"));
    pane.keys(&["Enter"]);
    pane.wait_text("Set the resources of container appserver of deployment t4k9pz/appserver-prd");
    let limit = kubectl(
        k,
        &sim,
        &[
            "-n",
            "t4k9pz",
            "get",
            "deploy",
            "appserver-prd",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].resources.limits.memory}",
        ],
    );
    assert_eq!(limit, "3Gi");
    eventually(
        "a new ReplicaSet (the rollout)",
        || replicasets(k, &sim, "t4k9pz", "appserver-prd").to_string(),
        |n| n.parse::<usize>().unwrap_or(0) > before,
    );
    let log = audit(&pane);
    assert!(
        log.contains("set-resources") && log.contains("3Gi"),
        "kterm audit should list the change with its values:\n{log}"
    );
    quit(&pane);
}

#[test]
fn trigger_suspend_and_resume_a_cronjob() {
    let Some(k) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_list("cronjob-actions", &sim, "t4k9pz", "cj", "protheus-updater");
    pane.wait_text("NEXT");
    pane.keys(&["t"]);
    pane.wait_text("Run protheus-updater now");
    pane.keys(&["y"]);
    let done = pane.wait_text("Triggered cronjob t4k9pz/protheus-updater: job ");
    let job = done
        .split_whitespace()
        .find(|w| w.starts_with("protheus-updater-manual-"))
        .map(|w| w.trim_end_matches(['.', ',']).to_string())
        .expect("the job's name in the sentence");
    let jobs = kubectl(k, &sim, &["-n", "t4k9pz", "get", "jobs", "-o", "name"]);
    assert!(jobs.contains(&format!("job.batch/{job}")), "{jobs}");
    let owner = kubectl(
        k,
        &sim,
        &["-n", "t4k9pz", "get", "job", &job, "-o", "jsonpath={.metadata.ownerReferences[0].name} {.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}"],
    );
    assert_eq!(owner, "protheus-updater manual");

    let suspend = || {
        kubectl(
            k,
            &sim,
            &[
                "-n",
                "t4k9pz",
                "get",
                "cj",
                "protheus-updater",
                "-o",
                "jsonpath={.spec.suspend}",
            ],
        )
    };
    pane.keys(&["S"]);
    // Suspending is destructive: the guarded dialog, with the state and what it stops.
    let dialog = pane.wait_text("no new Jobs start until it is resumed");
    pane.check(
        dialog.contains("Suspend cronjob t4k9pz/protheus-updater?")
            && dialog.contains("protheus-updater is active (schedule 0 3 * * *)."),
        "the dialog says the cronjob's state",
        &dialog,
    );
    pane.wait_text("y yes · n no (default)");
    pane.keys(&["y"]);
    pane.wait_text("Suspended cronjob t4k9pz/protheus-updater");
    eventually("kubectl to see it suspended", suspend, |s| s == "true");
    pane.wait_text("<suspended>");
    pane.keys(&["S"]);
    pane.wait_text("protheus-updater is suspended (schedule 0 3 * * *); resume it?");
    pane.keys(&["y"]);
    pane.wait_text("Resumed cronjob t4k9pz/protheus-updater");
    eventually("kubectl to see it resumed", suspend, |s| s == "false");
    let log = audit(&pane);
    for verb in ["trigger", "suspend", "resume"] {
        assert!(
            log.contains(verb) && log.contains("cronjob/protheus-updater"),
            "kterm audit should list the {verb}:\n{log}"
        );
    }
    assert!(log.contains(&job), "the audit names the job:\n{log}");

    // Enter: the cronjob's jobs with their outcome and duration; enter on the job: its pods.
    pane.keys(&["Enter"]);
    let jobs = pane.wait_for("the triggered job in the cronjob's jobs", |s| {
        s.contains(" of cj/protheus-updater") && s.contains(&job)
    });
    let row = jobs.lines().find(|l| l.contains(&job)).unwrap_or_default();
    pane.check(
        row.contains("Running") || row.contains("Complete"),
        "the job's row shows its outcome",
        &jobs,
    );
    pane.keys(&["/"]);
    pane.keys(&["-l", &job]);
    pane.keys(&["Enter"]);
    pane.wait_for("the jobs list filtered to the job", |s| {
        s.contains(&format!("/{job} 1 of"))
    });
    pane.keys(&["Enter"]);
    pane.wait_for("the job's pod", |s| {
        s.contains(&format!("pods of job/{job}")) && s.contains(&format!("{job}-"))
    });
    quit(&pane);
}
