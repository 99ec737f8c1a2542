//! Real kubectl against the default scenario: what it prints must look like a real cluster.

use crate::common::{eventually, pod_with, TestSim};
use kterm_sim::RbacProfile;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn pods_json(t: &TestSim) -> Option<serde_json::Value> {
    Some(serde_json::from_str(&t.kubectl_ok(&["get", "pods", "-A", "-o", "json"])?).unwrap())
}

#[test]
fn get_pods_prints_kubectl_columns_with_crashloop_and_oom() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(out) = t.kubectl_ok(&["get", "pods", "-A"]) else {
        return;
    };
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    );
    assert!(out.contains("CrashLoopBackOff"), "{out}");
    assert!(out.contains("Running"), "{out}");
    assert!(out.contains("Pending"), "{out}");
    assert!(
        out.lines().any(|l| l.contains(" ago)")),
        "restarts with (X ago): {out}"
    );
    let wide = t.kubectl_ok(&["get", "pods", "-A", "-o", "wide"]).unwrap();
    let header = wide.lines().next().unwrap();
    for col in ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] {
        assert!(header.contains(col), "{header}");
    }
    let pods = pods_json(&t).unwrap();
    let oom = pods["items"].as_array().unwrap().iter().any(|p| {
        p["status"]["containerStatuses"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| {
                c["lastState"]["terminated"]["reason"] == "OOMKilled"
                    && c["lastState"]["terminated"]["exitCode"] == 137
            })
    });
    assert!(oom, "a pod whose last state is OOMKilled");
    let describe = t.kubectl_ok(&["describe", "pods", "-A"]).unwrap();
    assert!(describe.contains("OOMKilled"), "describe shows the OOM");
    for kind in [
        "deploy", "sts", "cj", "job", "svc", "ep", "ev", "ns", "node", "rs", "pvc", "cm",
    ] {
        t.kubectl_ok(&["get", kind, "-A"]).unwrap();
    }
}

#[test]
fn get_watch_sees_an_update() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(bin) = crate::common::kubectl_bin() else {
        return;
    };
    t.kubectl_ok(&[
        "create",
        "configmap",
        "watched",
        "-n",
        "default",
        "--from-literal=a=1",
    ])
    .unwrap();
    let mut child = Command::new(bin)
        .args([
            "get",
            "configmap",
            "watched",
            "-n",
            "default",
            "-w",
            "--no-headers",
        ])
        .env("KUBECONFIG", t.kubeconfig())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("watched "), "{first}");
    t.kubectl_ok(&[
        "label",
        "configmap",
        "watched",
        "-n",
        "default",
        "changed=yes",
    ])
    .unwrap();
    let second = lines.next().unwrap().unwrap();
    assert!(second.starts_with("watched "), "{second}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn logs_follow_and_previous() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(bin) = crate::common::kubectl_bin() else {
        return;
    };
    let pods = pods_json(&t).unwrap();
    let items = pods["items"].as_array().unwrap();
    let running = items
        .iter()
        .find(|p| {
            p["status"]["phase"] == "Running"
                && p["spec"]["containers"].as_array().unwrap().len() == 1
        })
        .unwrap();
    let (ns, name) = (
        running["metadata"]["namespace"].as_str().unwrap(),
        running["metadata"]["name"].as_str().unwrap(),
    );
    let mut child = Command::new(bin)
        .args(["logs", "-f", "--tail=3", "-n", ns, name])
        .env("KUBECONFIG", t.kubeconfig())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..4 {
        let l = lines.next().unwrap().unwrap();
        assert!(!l.is_empty());
    }
    let _ = child.kill();
    let _ = child.wait();
    let oom = items
        .iter()
        .find(|p| {
            p["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"] == "OOMKilled"
        })
        .unwrap();
    let prev = t
        .kubectl_ok(&[
            "logs",
            "-p",
            "-n",
            oom["metadata"]["namespace"].as_str().unwrap(),
            oom["metadata"]["name"].as_str().unwrap(),
        ])
        .unwrap();
    assert!(!prev.is_empty());
    let fresh = items
        .iter()
        .find(|p| {
            p["status"]["containerStatuses"][0]["restartCount"] == 0
                && p["status"]["phase"] == "Running"
                && p["spec"]["containers"].as_array().unwrap().len() == 1
        })
        .unwrap();
    let out = t
        .kubectl(&[
            "logs",
            "-p",
            "-n",
            fresh["metadata"]["namespace"].as_str().unwrap(),
            fresh["metadata"]["name"].as_str().unwrap(),
        ])
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("previous terminated container"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn logs_carry_raw_escape_sequences_from_the_annotation() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(pod) = pod_with(&t, "r2g5mu", "lockserver-hml") else {
        return;
    };
    // 500 is the log view's default tail: the pod started months ago, the lines repeat.
    let out = t
        .kubectl(&["logs", "--tail=500", "-n", "r2g5mu", &pod])
        .unwrap();
    assert!(out.status.success());
    let has = |needle: &[u8]| out.stdout.windows(needle.len()).any(|w| w == needle);
    for line in [
        &b"\nESC-TEST title \x1b]0;pwned-title\x07 end\n"[..],
        b"\nESC-TEST clipboard \x1b]52;c;cHduZWQ=\x07 end\n",
        b"\nESC-TEST bell \x07 end\n",
        b"\nESC-TEST cursor \x1b[2J\x1b[H\x1b[5;5H moved end\n",
        b"\nESC-TEST color \x1b[31mred\x1b[0m end\n",
    ] {
        assert!(
            has(line),
            "{line:?} in {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Only that workload's pods write them.
    let prd = pod_with(&t, "r2g5mu", "lockserver-prd").unwrap();
    let other = t.kubectl_ok(&["logs", "-n", "r2g5mu", &prd]).unwrap();
    assert!(!other.contains("ESC-TEST") && !other.is_empty(), "{other}");
}

#[test]
fn deleted_deployment_pod_is_replaced() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(deps) = t.kubectl_ok(&["get", "deploy", "-A", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}/{.spec.selector.matchLabels}{\"\\n\"}{end}"]) else { return };
    let line = deps
        .lines()
        .find(|l| l.contains("appserver"))
        .unwrap_or_else(|| deps.lines().next().unwrap());
    let ns = line.split('/').next().unwrap();
    let dep = line.split('/').nth(1).unwrap();
    let pod = pod_with(&t, ns, dep).unwrap();
    t.kubectl_ok(&["delete", "pod", "-n", ns, &pod]).unwrap();
    eventually(30, "a replacement pod Running", || {
        let out = t
            .kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])
            .unwrap();
        out.lines()
            .find(|l| l.starts_with(dep) && !l.starts_with(&pod) && l.contains("Running"))
            .map(|_| ())
    });
    let out = t
        .kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])
        .unwrap();
    assert!(
        !out.lines().any(|l| l.starts_with(&pod)),
        "the deleted pod is gone: {out}"
    );
}

#[test]
fn edit_cronjob_and_create_job_from_it() {
    let t = TestSim::start(RbacProfile::Admin);
    let Some(cjs) = t.kubectl_ok(&["get", "cj", "-A", "--no-headers"]) else {
        return;
    };
    let line = cjs
        .lines()
        .find(|l| l.contains("protheus-updater"))
        .expect("the updater cronjob");
    let f: Vec<&str> = line.split_whitespace().collect();
    let (ns, cj) = (f[0], f[1]);
    let editor = std::env::temp_dir().join(format!("kterm-sim-editor-{}.sh", std::process::id()));
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/schedule: .*/schedule: 15 4 * * */' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = Command::new(crate::common::kubectl_bin().unwrap())
        .args(["edit", "cronjob", cj, "-n", ns])
        .env("KUBECONFIG", t.kubeconfig())
        .env("KUBE_EDITOR", &editor)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sched = t
        .kubectl_ok(&["get", "cj", cj, "-n", ns, "-o", "jsonpath={.spec.schedule}"])
        .unwrap();
    assert_eq!(sched, "15 4 * * *");
    t.kubectl_ok(&[
        "create",
        "job",
        "manual-run",
        "--from",
        &format!("cronjob/{cj}"),
        "-n",
        ns,
    ])
    .unwrap();
    eventually(30, "the job's pod", || pod_with(&t, ns, "manual-run"));
    let _ = std::fs::remove_file(editor);
}

#[test]
fn auth_can_i_under_each_profile() {
    for (profile, cluster_list, tenant_delete) in [
        (RbacProfile::Admin, "yes", "yes"),
        (RbacProfile::Tenant, "no", "yes"),
        (RbacProfile::Readonly, "yes", "no"),
    ] {
        let t = TestSim::start(profile);
        let tenant = t.sim.tenants[0].clone();
        let Some(out) = t.kubectl(&["auth", "can-i", "list", "pods", "-A"]) else {
            return;
        };
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            cluster_list,
            "{profile:?} list -A"
        );
        let out = t
            .kubectl(&["auth", "can-i", "delete", "pods", "-n", &tenant])
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            tenant_delete,
            "{profile:?} delete in tenant"
        );
    }
}

#[test]
fn tenant_profile_cannot_list_namespaces_but_sees_its_tenants() {
    let t = TestSim::start(RbacProfile::Tenant);
    let Some(out) = t.kubectl(&["get", "ns"]) else {
        return;
    };
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("namespaces is forbidden: User \"kterm-sim-tenant\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope"), "{err}");
    let pods = t
        .kubectl_ok(&["get", "pods", "-n", &t.sim.tenants[0]])
        .unwrap();
    assert!(pods.lines().count() > 3, "{pods}");
}

#[test]
fn top_pods_reports_usage() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = t.sim.tenants[0].clone();
    let Some(out) = t.kubectl_ok(&["top", "pods", "-n", &ns]) else {
        return;
    };
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    assert!(out.lines().count() > 3, "{out}");
    t.kubectl_ok(&["top", "nodes"]).unwrap();
}

#[test]
fn scale_and_rollout_restart_replace_the_pods() {
    let t = TestSim::start(RbacProfile::Admin);
    let (ns, dep) = ("r2g5mu", "lockserver-prd");
    let running = |t: &TestSim| -> Vec<String> {
        let out = t
            .kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])
            .unwrap();
        out.lines()
            .filter(|l| l.starts_with(dep) && l.contains("Running"))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    if t.kubectl_ok(&["scale", "deployment", dep, "-n", ns, "--replicas=3"])
        .is_none()
    {
        return;
    }
    let before = eventually(30, "3 running pods after scale", || {
        Some(running(&t)).filter(|p| p.len() == 3)
    });
    t.kubectl_ok(&["rollout", "restart", &format!("deployment/{dep}"), "-n", ns])
        .unwrap();
    eventually(40, "3 new pods after rollout restart", || {
        let now = running(&t);
        (now.len() == 3 && now.iter().all(|p| !before.contains(p))).then_some(())
    });
    eventually(20, "the deployment reports 3 ready", || {
        let ready = t
            .kubectl_ok(&[
                "get",
                "deployment",
                dep,
                "-n",
                ns,
                "-o",
                "jsonpath={.status.readyReplicas}",
            ])
            .unwrap();
        (ready == "3").then_some(())
    });
}
