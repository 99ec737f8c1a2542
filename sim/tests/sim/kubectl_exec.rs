//! kubectl exec (interactive, in a real terminal that gets resized) and kubectl cp.

use crate::common::{eventually, pod_with, TestSim};
use kterm_sim::RbacProfile;
use std::process::Command;

fn running_pod(t: &TestSim) -> Option<(String, String)> {
    let out = t.kubectl_ok(&["get", "pods", "-A", "--no-headers", "-l", "app=appserver"])?;
    let line = out
        .lines()
        .find(|l| l.contains("Running") && l.contains("1/1"))
        .expect("a running appserver");
    let f: Vec<&str> = line.split_whitespace().collect();
    Some((f[0].to_string(), f[1].to_string()))
}

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn exec_interactive_tty_follows_resize() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some((ns, pod)) = running_pod(&t) else {
        return;
    };
    let bin = crate::common::kubectl_bin().unwrap();
    let session = format!("kterm-sim-exec-{}", std::process::id());
    let cmd = format!(
        "KUBECONFIG={} {} exec -it -n {ns} {pod} -- sh",
        t.kubeconfig().display(),
        bin.display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "40",
        &cmd,
    ]);
    let screen = || tmux(&["capture-pane", "-p", "-t", &session]);
    eventually(20, "a shell prompt", || {
        screen()
            .contains('#')
            .then_some(())
            .or_else(|| screen().contains('$').then_some(()))
    });
    tmux(&["send-keys", "-t", &session, "stty size", "Enter"]);
    eventually(20, "stty size 40 120", || {
        screen().contains("40 120").then_some(())
    });
    tmux(&["resize-window", "-t", &session, "-x", "100", "-y", "30"]);
    tmux(&["send-keys", "-t", &session, "clear; stty size", "Enter"]);
    eventually(20, "stty size 30 100", || {
        screen().contains("30 100").then_some(())
    });
    tmux(&["send-keys", "-t", &session, "ls /volume/logs", "Enter"]);
    eventually(20, "the seeded volume", || {
        screen().contains("UPDDISTR.LOG").then_some(())
    });
    tmux(&["kill-session", "-t", &session]);
}

#[test]
fn exec_tar_and_cp_round_trip() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some((ns, pod)) = running_pod(&t) else {
        return;
    };
    let out = t
        .kubectl_ok(&[
            "exec",
            "-n",
            &ns,
            &pod,
            "--",
            "tar",
            "cf",
            "-",
            "-C",
            "/volume/logs",
            "UPDDISTR.LOG",
        ])
        .unwrap();
    assert!(out.contains("UPDDISTR.LOG"));
    let dir = std::env::temp_dir().join(format!("kterm-sim-cp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("tttm120.rpo");
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&src, &bytes).unwrap();
    let target = format!("{ns}/{pod}:protheus/apo/tttm120.rpo");
    t.kubectl_ok(&["cp", src.to_str().unwrap(), &target])
        .unwrap();
    let back = dir.join("back.rpo");
    t.kubectl_ok(&["cp", &target, back.to_str().unwrap()])
        .unwrap();
    assert_eq!(
        std::fs::read(&back).unwrap(),
        bytes,
        "cp round trip is byte-identical"
    );
    let code = t
        .kubectl(&["exec", "-n", &ns, &pod, "--", "sh", "-c", "exit 3"])
        .unwrap();
    assert_eq!(code.status.code(), Some(3));
    let _ = std::fs::remove_dir_all(dir);
}

/// The runbook's steps in the updater's pod: read the migration log, run `init-upddistr` by hand.
#[test]
fn updater_pod_runs_init_upddistr_and_sets_the_flag() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(pod) = pod_with(&t, "r2g5mu", "protheus-updater-") else {
        return;
    };
    assert!(pod.starts_with("protheus-updater-"), "{pod}");
    let exec = |cmd: &[&str]| {
        let mut args = vec!["exec", "-n", "r2g5mu", &pod, "--"];
        args.extend_from_slice(cmd);
        t.kubectl_ok(&args).unwrap()
    };
    let log = exec(&["cat", "/volume/logs/UPDDISTR.LOG"]);
    assert!(log.lines().count() >= 150, "{log}");
    assert!(log.contains("UPDDISTR - Protheus 12.1.2410 - ambiente producao - tenant r2g5mu"));
    let flag = "upddistr.producao.ok";
    // Start without the flag, so only the script can have made it.
    exec(&["rm", "-f", &format!("/volume/flags/{flag}")]);
    assert!(!exec(&["ls", "/volume/flags"]).contains(flag));
    let out = exec(&["init-upddistr"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!((10..=20).contains(&lines.len()), "{out}");
    assert!(
        lines[0].contains("ambiente producao - tenant r2g5mu"),
        "{out}"
    );
    assert!(out.contains("/protheus/apo/tttp120.rpo"), "{out}");
    assert!(
        lines[lines.len() - 1].contains("UPDDISTR finalizado com sucesso"),
        "{out}"
    );
    assert!(exec(&["ls", "/volume/flags"]).contains(flag));
    // What it printed went to the volume's log too, after the nightly runs.
    let after = exec(&["cat", "/volume/logs/UPDDISTR.LOG"]);
    assert!(after.starts_with(&log) && after.ends_with(&out), "{after}");
}
