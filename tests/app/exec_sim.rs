//! Exec and file copy in process against the simulator: exit codes, output, the access review,
//! and byte-identical copies both ways (no kubectl involved).

use std::time::{Duration, Instant};

use kterm::kube::exec::{self, ExecOutcome, ExecSession, ExecSpec};
use kterm::kube::{Cluster, KubeCluster};
use kterm_sim::{RbacProfile, SimHandle, SimOpts};
use tokio::io::AsyncReadExt;

use super::fixtures::pod_name;

const NS: &str = "t4k9pz";
const SELECTOR: &str = "app=appserver,env=production";

async fn connect(rbac: RbacProfile) -> (SimHandle, KubeCluster) {
    let sim = kterm_sim::start(SimOpts {
        rbac,
        ..SimOpts::default()
    })
    .await
    .expect("simulator starts");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connects");
    (sim, cluster)
}

/// The pod's first container, once it runs (the simulator's kubelet starts pods after load).
async fn running_pod(cluster: &KubeCluster) -> (String, String) {
    let name = pod_name(cluster, NS, SELECTOR).await;
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
        kube::Api::namespaced(cluster.client().clone(), NS);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pod = pods.get(&name).await.expect("gets the pod");
        let running = pod
            .status
            .and_then(|s| s.container_statuses)
            .unwrap_or_default()
            .into_iter()
            .find(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
        if let Some(container) = running {
            return (name, container.name);
        }
        assert!(Instant::now() < deadline, "no running container in {name}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn sh(container: &str, script: &str) -> ExecSpec {
    ExecSpec {
        container: container.into(),
        command: vec!["sh".into(), "-c".into(), script.into()],
        tty: false,
        stdin: false,
    }
}

/// All of stdout and stderr, and the outcome.
async fn finish(mut session: ExecSession) -> (String, String, ExecOutcome) {
    let mut out = session.stdout.take().expect("stdout");
    let mut err = session.stderr.take().expect("stderr");
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let (r1, r2, outcome) = tokio::join!(
        out.read_to_end(&mut o),
        err.read_to_end(&mut e),
        session.outcome
    );
    r1.expect("reads stdout");
    r2.expect("reads stderr");
    (
        String::from_utf8_lossy(&o).into_owned(),
        String::from_utf8_lossy(&e).into_owned(),
        outcome,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_gives_output_and_exit_codes() {
    let (_sim, cluster) = connect(RbacProfile::Admin).await;
    let (pod, container) = running_pod(&cluster).await;

    let session = cluster
        .exec(NS, &pod, sh(&container, "echo $((6*7))"))
        .await
        .expect("starts");
    let (out, _, outcome) = finish(session).await;
    assert_eq!(out, "42\n");
    assert_eq!(outcome, ExecOutcome::Exited(0));

    let session = cluster
        .exec(NS, &pod, sh(&container, "echo oops >&2; exit 3"))
        .await
        .expect("starts");
    let (_, err, outcome) = finish(session).await;
    assert_eq!(err, "oops\n");
    assert_eq!(outcome, ExecOutcome::Exited(3));

    let missing = ExecSpec {
        command: vec!["no-such-program".into()],
        ..sh(&container, "")
    };
    let error = cluster
        .exec(NS, &pod, missing)
        .await
        .err()
        .expect("refused");
    assert_eq!(error, "no-such-program: not found in the container.");

    assert_eq!(cluster.can_exec(NS).await, Ok(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_gets_a_terminal_of_the_asked_size() {
    let (_sim, cluster) = connect(RbacProfile::Admin).await;
    let (pod, container) = running_pod(&cluster).await;
    let (mut session, used) =
        exec::shell(cluster.client().clone(), NS, &pod, &container, (101, 33))
            .await
            .expect("a shell");
    assert!(used == "bash" || used == "sh", "{used}");
    assert!(session.stderr.is_none());
    let mut stdin = session.stdin.take().expect("stdin");
    let mut stdout = session.stdout.take().expect("stdout");
    use tokio::io::AsyncWriteExt;
    // The size travels beside the input, so ask until the shell reports it, then leave.
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("33 101") {
        stdin.write_all(b"stty size\n").await.expect("types");
        let n = stdout.read(&mut buf).await.expect("reads");
        assert!(n > 0, "the shell ended: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    stdin.write_all(b"exit 5\n").await.expect("types");
    let drain = async { while let Ok(1..) = stdout.read(&mut buf).await {} };
    let ((), outcome) = tokio::join!(drain, session.outcome);
    assert_eq!(outcome, ExecOutcome::Exited(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_is_refused_under_readonly() {
    let (_sim, cluster) = connect(RbacProfile::Readonly).await;
    let (pod, container) = running_pod(&cluster).await;
    assert_eq!(cluster.can_exec(NS).await, Ok(false));
    let error = cluster
        .exec(NS, &pod, sh(&container, "true"))
        .await
        .err()
        .expect("refused");
    assert!(error.contains("create pods/exec"), "{error}");
}
