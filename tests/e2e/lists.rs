//! Command mode and drill-downs end to end: lists of other kinds, enter, esc.

use std::path::Path;

use super::{kterm_then_status, quote, start_sim, Pane};

/// The table rows on screen: the lines between the header and the status bar, minus blanks.
fn table_rows(screen: &str) -> Vec<&str> {
    let lines: Vec<&str> = screen.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| l.contains("kterm-sim │"))
        .unwrap_or(0);
    lines
        .iter()
        .take(last)
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .copied()
        .collect()
}

#[test]
fn deploy_list_drills_into_a_deployments_pods_and_esc_goes_back() {
    let pane = Pane::new("deploy").run(120, 40, &kterm_then_status("--demo"));
    pane.wait_for("the demo listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&[":"]);
    pane.keys(&["-l", "deploy"]);
    pane.wait_text(":deploy");
    pane.keys(&["Enter"]);
    pane.wait_for("the deployment list with kubectl's columns", |s| {
        s.contains("NAME                 READY UP-TO-DATE AVAILABLE AGE")
            && s.contains(" deployments")
            && s.contains("│ live")
    });
    pane.keys(&["/"]);
    pane.keys(&["-l", "ns:t4k9pz"]);
    pane.keys(&["Enter"]);
    let list = pane.wait_text("/ns:t4k9pz 10 of");
    pane.check(
        table_rows(&list).iter().all(|l| l.contains("t4k9pz")),
        "the filtered list should only show t4k9pz's deployments",
        &list,
    );
    // appserver-hml, then appserver-prd: first row, one down, open.
    pane.keys(&["g", "j", "Enter"]);
    let pods = pane.wait_for("appserver-prd's pods", |s| {
        s.contains("pods of deploy/appserver-prd") && s.contains("READY STATUS")
    });
    let rows = table_rows(&pods);
    // One namespace on screen, so no NAMESPACE column; the two OOM-killed pods are t4k9pz's.
    pane.check(
        !rows.is_empty()
            && !pods.contains("NAMESPACE")
            && rows
                .iter()
                .all(|l| l.contains("appserver-prd-") && l.contains("OOMKilled")),
        "only t4k9pz's appserver-prd pods should be shown",
        &pods,
    );
    pane.keys(&["Escape"]);
    pane.wait_for("the deployment list again, still filtered", |s| {
        s.contains("UP-TO-DATE") && s.contains("/ns:t4k9pz 10 of")
    });
    // The selection came back too: enter opens the same deployment again.
    pane.keys(&["Enter"]);
    pane.wait_text("pods of deploy/appserver-prd");
    // One key at a time: a terminal reads two quick escapes as alt-escape.
    pane.keys(&["Escape"]);
    pane.wait_text("/ns:t4k9pz 10 of");
    pane.keys(&["Escape"]);
    pane.wait_for("the filter cleared", |s| {
        s.contains("UP-TO-DATE") && !s.contains("/ns:t4k9pz")
    });
    pane.keys(&["Escape"]);
    pane.wait_for("the pod table at the bottom", |s| {
        s.contains("NAMESPACE NAME") && s.contains("RESTARTS") && s.contains("│ all namespaces │")
    });
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn cronjob_list_drills_into_the_jobs_it_owns() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    // The demo's cronjobs have run no job yet: run one by hand, as
    // `kubectl create job --from=cronjob/protheus-updater` does (owned by the cronjob).
    sim.runtime
        .block_on(job_from_cronjob(
            sim.kubeconfig(),
            "c2a7dv",
            "protheus-updater",
        ))
        .expect("create a job from the cronjob");
    let args = format!(
        "--kubeconfig {} -A",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = Pane::new("cronjob").run(120, 40, &kterm_then_status(&args));
    pane.wait_for("pods listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&[":"]);
    pane.keys(&["-l", "cj"]);
    pane.keys(&["Enter"]);
    pane.wait_for("the cronjob list", |s| {
        s.contains("SCHEDULE") && s.contains("8 cronjobs") && s.contains("│ live")
    });
    pane.keys(&["/"]);
    pane.keys(&["-l", "ns:c2a7dv"]);
    pane.keys(&["Enter"]);
    pane.wait_text("/ns:c2a7dv 1 of 8 cronjobs");
    pane.keys(&["Enter"]);
    let jobs = pane.wait_for("the jobs of protheus-updater", |s| {
        s.contains("1 job of cj/protheus-updater") && s.contains("protheus-updater-manual")
    });
    pane.check(
        jobs.contains("COMPLETIONS") && !jobs.contains("upddistr-"),
        "only the cronjob's own jobs should be listed, not the standalone upddistr jobs",
        &jobs,
    );
    pane.keys(&["Enter"]);
    pane.wait_for("the job's pod", |s| {
        s.contains("pods of job/protheus-updater-manual") && s.contains("protheus-updater-manual-")
    });
    pane.keys(&["Escape"]);
    pane.wait_text("1 job of cj/protheus-updater");
    pane.keys(&["Escape"]);
    pane.wait_for("the cronjob list again", |s| {
        s.contains("SCHEDULE") && s.contains("/ns:c2a7dv 1 of 8 cronjobs")
    });
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

/// Creates `NAME-manual` from the cronjob's job template, owned by the cronjob.
async fn job_from_cronjob(kubeconfig: &Path, namespace: &str, name: &str) -> anyhow::Result<()> {
    use k8s_openapi::api::batch::v1::{CronJob, Job};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
    use kterm::kube::KubeCluster;
    let cluster = KubeCluster::connect(Some(kubeconfig), None).await?;
    let cronjobs: kube::Api<CronJob> = kube::Api::namespaced(cluster.client().clone(), namespace);
    let cj = cronjobs.get(name).await?;
    let template = cj.spec.map(|s| s.job_template).unwrap_or_default();
    let job = Job {
        metadata: ObjectMeta {
            name: Some(format!("{name}-manual")),
            labels: template.metadata.and_then(|m| m.labels),
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "CronJob".into(),
                name: name.into(),
                uid: cj.metadata.uid.unwrap_or_default(),
                controller: Some(true),
                ..OwnerReference::default()
            }]),
            ..ObjectMeta::default()
        },
        spec: template.spec,
        ..Job::default()
    };
    let jobs: kube::Api<Job> = kube::Api::namespaced(cluster.client().clone(), namespace);
    jobs.create(&kube::api::PostParams::default(), &job).await?;
    Ok(())
}
