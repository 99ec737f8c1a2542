//! Exec and file copy in process against the simulator: exit codes, output, the access review,
//! and byte-identical copies both ways (no kubectl involved).

use std::time::{Duration, Instant};

use kterm::kube::exec::{self, ExecOutcome, ExecSession, ExecSpec};
use kterm::kube::{Cluster, KubeCluster};
use kterm_sim::RbacProfile;
use tokio::io::AsyncReadExt;

use super::fixtures::{connect, pod_name};

const NS: &str = "t4k9pz";
const SELECTOR: &str = "app=appserver,env=production";

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

/// Bytes that compress badly and repeat nowhere (a xorshift stream).
fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn ignore(_: u64, _: Option<u64>) {}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_files_and_directories_both_ways_byte_identical() {
    let (_sim, cluster) = connect(RbacProfile::Admin).await;
    let (pod, container) = running_pod(&cluster).await;
    let client = cluster.client().clone();
    let work = std::env::temp_dir().join(format!("kterm-cp-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("tree/sub")).expect("local dirs");
    let big = random_bytes(5 * 1024 * 1024, 7);
    std::fs::write(work.join("tttm120.rpo"), &big).expect("writes");
    std::fs::write(work.join("tree/a.txt"), b"alpha\n").expect("writes");
    std::fs::write(work.join("tree/sub/b.bin"), random_bytes(70_000, 9)).expect("writes");

    let mut last = (0, None);
    let sent = kterm::kube::copy::copy_in(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        &work.join("tttm120.rpo"),
        "/protheus/apo/tttm120.rpo",
        |done, total| last = (done, total),
    )
    .await
    .expect("copies in");
    assert_eq!(sent, big.len() as u64);
    assert_eq!(
        last.0,
        last.1.expect("a total"),
        "progress ends at the total"
    );

    let session = cluster
        .exec(
            NS,
            &pod,
            sh(&container, "wc -c < /protheus/apo/tttm120.rpo"),
        )
        .await
        .expect("starts");
    assert_eq!(finish(session).await.0.trim(), big.len().to_string());

    let back = work.join("back.rpo");
    let received = kterm::kube::copy::copy_out(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        "/protheus/apo/tttm120.rpo",
        &back,
        false,
        ignore,
    )
    .await
    .expect("copies out");
    assert_eq!(received, big.len() as u64);
    assert!(
        std::fs::read(&back).expect("reads back") == big,
        "not byte-identical"
    );

    // Never over an existing local file without being told to.
    let refused = kterm::kube::copy::copy_out(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        "/protheus/apo/tttm120.rpo",
        &back,
        false,
        ignore,
    )
    .await
    .expect_err("refuses");
    assert!(refused.contains("already exists"), "{refused}");
    std::fs::write(&back, b"old").expect("writes");
    kterm::kube::copy::copy_out(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        "/protheus/apo/tttm120.rpo",
        &back,
        true,
        ignore,
    )
    .await
    .expect("overwrites");
    assert!(std::fs::read(&back).expect("reads back") == big);

    // A directory, into a directory given with a trailing slash, and back under a new name.
    kterm::kube::copy::copy_in(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        &work.join("tree"),
        "/tmp/",
        ignore,
    )
    .await
    .expect("copies a directory in");
    let tree = work.join("tree-back");
    kterm::kube::copy::copy_out(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        "/tmp/tree",
        &tree,
        false,
        ignore,
    )
    .await
    .expect("copies a directory out");
    for file in ["a.txt", "sub/b.bin"] {
        assert_eq!(
            std::fs::read(tree.join(file)).expect("copied file"),
            std::fs::read(work.join("tree").join(file)).expect("original"),
            "{file}"
        );
    }

    let missing = kterm::kube::copy::copy_out(
        client.clone(),
        NS,
        &pod,
        Some(&container),
        "/protheus/apo/no-such.rpo",
        &work.join("none"),
        false,
        ignore,
    )
    .await
    .expect_err("missing");
    assert_eq!(
        missing,
        "/protheus/apo/no-such.rpo does not exist in the pod; check the path."
    );
    assert!(!work.join("none").exists());
    let no_dir = copy_in_error(
        &client,
        &pod,
        &container,
        &work.join("tree/a.txt"),
        "/no-such-dir/a.txt",
    )
    .await;
    assert_eq!(
        no_dir,
        "/no-such-dir does not exist in the pod; check the path."
    );
    let read_only = copy_in_error(
        &client,
        &pod,
        &container,
        &work.join("tree/a.txt"),
        "/usr/a.txt",
    )
    .await;
    assert_eq!(
        read_only,
        "/usr/a.txt is on a read-only file system in the pod; copy to a writable path such as /tmp."
    );
    let local_missing = copy_in_error(
        &client,
        &pod,
        &container,
        &work.join("nothing-here"),
        "/tmp/x",
    )
    .await;
    assert!(local_missing.ends_with("does not exist; check the local path."));
    let leftovers: Vec<_> = std::fs::read_dir(&work)
        .expect("lists")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".kterm-cp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&work);
}

/// Runs `kterm --kubeconfig <path> cp <args>` with no terminal, logs kept out of the home.
async fn kterm_cp(
    kubeconfig: &std::path::Path,
    scratch: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_kterm"))
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("cp")
        .args(args)
        .env("XDG_STATE_HOME", scratch)
        .env("KTERM_CONFIG_DIR", scratch.join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("kterm runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kterm_cp_exits_zero_only_on_success() {
    let (sim, cluster) = connect(RbacProfile::Admin).await;
    let (pod, container) = running_pod(&cluster).await;
    let work = std::env::temp_dir().join(format!("kterm-cp-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("config")).expect("scratch");
    let data = random_bytes(300_000, 3);
    let file = work.join("data.bin");
    std::fs::write(&file, &data).expect("writes");
    let remote = format!("{NS}/{pod}:/tmp/data.bin");
    let file_arg = file.to_str().expect("utf-8 path");

    // No -c: the pod's only container, as kubectl picks it.
    let out = kterm_cp(sim.kubeconfig(), &work, &[file_arg, &remote]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    let back = work.join("back.bin");
    let back_arg = back.to_str().expect("utf-8 path");
    let out = kterm_cp(
        sim.kubeconfig(),
        &work,
        &[&remote, back_arg, "-c", &container],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&back).expect("copied back") == data);

    // The target now exists: no terminal to ask, so refuse; --overwrite replaces it.
    let out = kterm_cp(
        sim.kubeconfig(),
        &work,
        &[&remote, back_arg, "-c", &container],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already exists; pass --overwrite"),
        "{stderr}"
    );
    std::fs::write(&back, b"old").expect("writes");
    let out = kterm_cp(
        sim.kubeconfig(),
        &work,
        &[&remote, back_arg, "-c", &container, "--overwrite"],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&back).expect("replaced") == data);

    let missing = format!("{NS}/{pod}:/tmp/no-such.bin");
    let out = kterm_cp(
        sim.kubeconfig(),
        &work,
        &[
            &missing,
            work.join("x").to_str().expect("utf-8"),
            "-c",
            &container,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "kterm: /tmp/no-such.bin does not exist in the pod; check the path.\n"
    );
    let out = kterm_cp(sim.kubeconfig(), &work, &[file_arg, back_arg]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one NS/POD:PATH"));
    let _ = std::fs::remove_dir_all(&work);
}

/// The sentence of a copy into the pod that must fail.
async fn copy_in_error(
    client: &kube::Client,
    pod: &str,
    container: &str,
    local: &std::path::Path,
    remote: &str,
) -> String {
    kterm::kube::copy::copy_in(
        client.clone(),
        NS,
        pod,
        Some(container),
        local,
        remote,
        |_, _| {},
    )
    .await
    .expect_err(remote)
}
