//! Real kubectl deleting with each cascade and grace option, a stuck Job, and the disruption
//! budget's status as pods go and come.

use crate::common::{eventually, pod_with, TestSim};
use kterm_sim::RbacProfile;
use serde_json::Value;

fn get_json(t: &TestSim, args: &[&str]) -> Option<Value> {
    let mut a = args.to_vec();
    a.extend(["-o", "json"]);
    let out = t.kubectl(&a)?;
    out.status
        .success()
        .then(|| serde_json::from_slice(&out.stdout).unwrap())
}

fn names(t: &TestSim, kind: &str, ns: &str, prefix: &str) -> Vec<String> {
    let out = t
        .kubectl_ok(&["get", kind, "-n", ns, "--no-headers", "--ignore-not-found"])
        .unwrap();
    out.lines()
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn cascade_background_orphan_and_foreground() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "k3v8ec";
    // Background: a Job's pods go with it.
    let Some(job_pods) = t.kubectl_ok(&[
        "get",
        "pods",
        "-n",
        ns,
        "-l",
        "job-name=upddistr-prd",
        "-o",
        "name",
    ]) else {
        return;
    };
    assert_eq!(job_pods.lines().count(), 1, "{job_pods}");
    t.kubectl_ok(&[
        "delete",
        "job",
        "upddistr-prd",
        "-n",
        ns,
        "--cascade=background",
    ])
    .unwrap();
    eventually(30, "the job's pod gone", || {
        names(&t, "pods", ns, "upddistr-prd-")
            .is_empty()
            .then_some(())
    });

    // Background on a Deployment: ReplicaSets and pods go.
    t.kubectl_ok(&["delete", "deploy", "lockserver-prd", "-n", ns])
        .unwrap();
    eventually(30, "lockserver-prd's replicasets and pods gone", || {
        (names(&t, "rs", ns, "lockserver-prd-").is_empty()
            && names(&t, "pods", ns, "lockserver-prd-").is_empty())
        .then_some(())
    });

    // Orphan: the ReplicaSet and pods stay, without the owner reference.
    let pods = names(&t, "pods", ns, "licenseserver-prd-");
    assert_eq!(pods.len(), 1);
    t.kubectl_ok(&[
        "delete",
        "deploy",
        "licenseserver-prd",
        "-n",
        ns,
        "--cascade=orphan",
    ])
    .unwrap();
    let rs = names(&t, "rs", ns, "licenseserver-prd-");
    assert_eq!(rs.len(), 1, "{rs:?}");
    let rs_obj = get_json(&t, &["get", "rs", &rs[0], "-n", ns]).unwrap();
    assert!(
        rs_obj["metadata"]["ownerReferences"]
            .as_array()
            .is_none_or(|r| r.is_empty()),
        "{}",
        rs_obj["metadata"]
    );
    // The orphaned ReplicaSet still keeps its pod, whose owner is the ReplicaSet.
    let pod = get_json(&t, &["get", "pod", &pods[0], "-n", ns]).unwrap();
    assert_eq!(pod["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");

    // Foreground: the owner stays, marked, until its dependents are gone.
    t.kubectl_ok(&[
        "delete",
        "deploy",
        "appserver-prd",
        "-n",
        ns,
        "--cascade=foreground",
        "--wait=false",
    ])
    .unwrap();
    let d = get_json(&t, &["get", "deploy", "appserver-prd", "-n", ns]);
    if let Some(d) = d {
        assert!(
            d["metadata"]["deletionTimestamp"].is_string(),
            "{}",
            d["metadata"]
        );
        assert!(
            d["metadata"]["finalizers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "foregroundDeletion"),
            "{}",
            d["metadata"]
        );
    }
    eventually(60, "appserver-prd and its dependents gone", || {
        (get_json(&t, &["get", "deploy", "appserver-prd", "-n", ns]).is_none()
            && names(&t, "rs", ns, "appserver-prd-").is_empty()
            && names(&t, "pods", ns, "appserver-prd-").is_empty())
        .then_some(())
    });
}

#[test]
fn grace_periods_force_and_a_deleted_pod_is_replaced() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "p9d6ty";
    // dbaccess-prd terminates slowly: a grace period of 100 s is what deletion records.
    let Some(out) = t.kubectl(&[
        "delete",
        "pod",
        "dbaccess-prd-0",
        "-n",
        ns,
        "--grace-period=100",
        "--wait=false",
    ]) else {
        return;
    };
    assert!(out.status.success());
    let p = get_json(&t, &["get", "pod", "dbaccess-prd-0", "-n", ns]).unwrap();
    assert_eq!(p["metadata"]["deletionGracePeriodSeconds"], 100);
    assert!(p["metadata"]["deletionTimestamp"].is_string());
    // --force --grace-period=0 removes it at once.
    t.kubectl_ok(&[
        "delete",
        "pod",
        "dbaccess-prd-0",
        "-n",
        ns,
        "--force",
        "--grace-period=0",
    ])
    .unwrap();
    let uid = p["metadata"]["uid"].clone();
    // The StatefulSet makes a new dbaccess-prd-0 (same name, new uid).
    eventually(30, "a new dbaccess-prd-0", || {
        get_json(&t, &["get", "pod", "dbaccess-prd-0", "-n", ns])
            .filter(|p| p["metadata"]["uid"] != uid)
            .map(|_| ())
    });
    // A ReplicaSet's pod deleted is replaced by one with a new name.
    let old = pod_with(&t, ns, "rest-prd-").unwrap();
    t.kubectl_ok(&["delete", "pod", &old, "-n", ns, "--grace-period=1"])
        .unwrap();
    eventually(30, "a new rest-prd pod", || {
        let now = names(&t, "pods", ns, "rest-prd-");
        (now.len() == 1 && now[0] != old).then_some(())
    });
}

#[test]
fn deleting_a_namespace_removes_everything_in_it() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "b5n2wl";
    if t.kubectl_ok(&["delete", "ns", ns, "--wait=false"])
        .is_none()
    {
        return;
    }
    eventually(90, "the namespace gone", || {
        get_json(&t, &["get", "ns", ns]).is_none().then_some(())
    });
    let left = t
        .kubectl_ok(&[
            "get",
            "all,cm,secret,pvc",
            "-n",
            ns,
            "--no-headers",
            "--ignore-not-found",
        ])
        .unwrap();
    assert_eq!(left.trim(), "", "{left}");
}

#[test]
fn the_stuck_migration_runs_ready_and_never_finishes() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "p9d6ty";
    let Some(job) = get_json(&t, &["get", "job", "upddistr-hml", "-n", ns]) else {
        return;
    };
    assert_eq!(job["status"]["active"], 1, "{}", job["status"]);
    assert!(job["status"]["completionTime"].is_null());
    let pod = pod_with(&t, ns, "upddistr-hml-").unwrap();
    let p = get_json(&t, &["get", "pod", &pod, "-n", ns]).unwrap();
    assert_eq!(p["status"]["phase"], "Running");
    assert_eq!(p["status"]["containerStatuses"][0]["ready"], true);
    let volumes: Vec<&str> = p["spec"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(volumes, ["volume", "scratch"]);
    assert!(p["spec"]["volumes"][1]["emptyDir"].is_object());
    // Every other tenant's upddistr-hml completed long ago.
    let other = get_json(&t, &["get", "job", "upddistr-hml", "-n", "k3v8ec"]).unwrap();
    assert_eq!(other["status"]["succeeded"], 1);
}

fn pdb_status(t: &TestSim) -> Value {
    get_json(t, &["get", "pdb", "appserver-prd", "-n", "r2g5mu"]).unwrap()["status"].clone()
}

#[test]
fn disruption_budget_status_follows_its_pods() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "r2g5mu";
    let Some(table) = t.kubectl_ok(&["get", "pdb", "-n", ns]) else {
        return;
    };
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "NAME",
            "MIN",
            "AVAILABLE",
            "MAX",
            "UNAVAILABLE",
            "ALLOWED",
            "DISRUPTIONS",
            "AGE"
        ]
    );
    let row: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(&row[..4], ["appserver-prd", "1", "N/A", "0"], "{table}");
    let s = pdb_status(&t);
    assert_eq!(s["currentHealthy"], 1, "{s}");
    assert_eq!(s["desiredHealthy"], 1);
    assert_eq!(s["expectedPods"], 1);
    assert_eq!(s["disruptionsAllowed"], 0);
    assert_eq!(s["conditions"][0]["type"], "DisruptionAllowed");
    assert_eq!(s["conditions"][0]["status"], "False");
    let only = pod_with(&t, ns, "appserver-prd-").unwrap();
    let refused = evict(&t, &only);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("Cannot evict pod as it would violate the pod's disruption budget."),
        "{err}"
    );
    // Two replicas: one may go.
    t.kubectl_ok(&["scale", "deploy", "appserver-prd", "-n", ns, "--replicas=2"])
        .unwrap();
    eventually(40, "two healthy, one disruption allowed", || {
        let s = pdb_status(&t);
        (s["currentHealthy"] == 2 && s["expectedPods"] == 2 && s["disruptionsAllowed"] == 1)
            .then_some(())
    });
    let pods: Vec<String> = t
        .kubectl_ok(&[
            "get",
            "pods",
            "-n",
            ns,
            "-l",
            "app=appserver,env=production",
            "-o",
            "name",
        ])
        .unwrap()
        .lines()
        .map(|l| l.trim_start_matches("pod/").to_string())
        .collect();
    assert_eq!(pods.len(), 2, "{pods:?}");
    let first = evict(&t, &pods[0]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // The first eviction took the one allowed disruption.
    assert!(!evict(&t, &pods[1]).status.success());
    // A pod being deleted is not healthy.
    eventually(20, "the evicted pod no longer counts as healthy", || {
        let s = pdb_status(&t);
        (s["currentHealthy"] == 1 && s["disruptionsAllowed"] == 0).then_some(())
    });
    eventually(60, "its replacement healthy", || {
        let s = pdb_status(&t);
        (s["currentHealthy"] == 2 && s["disruptionsAllowed"] == 1).then_some(())
    });
}

/// POST an Eviction of `pod` in r2g5mu, as `kubectl drain` does.
fn evict(t: &TestSim, pod: &str) -> std::process::Output {
    let body = serde_json::json!({"apiVersion": "policy/v1", "kind": "Eviction",
                                  "metadata": {"name": pod, "namespace": "r2g5mu"}});
    let f = std::env::temp_dir().join(format!("kterm-sim-evict-{}-{pod}.json", std::process::id()));
    std::fs::write(&f, body.to_string()).unwrap();
    let url = format!("/api/v1/namespaces/r2g5mu/pods/{pod}/eviction");
    let create = || {
        t.kubectl(&["create", "--raw", &url, "-f", f.to_str().unwrap()])
            .unwrap()
    };
    let mut out = create();
    // kubectl does not retry a POST whose connection broke before an answer (seen once under
    // a loaded CI machine: "write: broken pipe"); that is the transport, not the server's
    // answer this test judges, so one more try.
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if !out.status.success()
        && (stderr.contains("broken pipe") || stderr.contains("connection reset"))
    {
        out = create();
    }
    let _ = std::fs::remove_file(f);
    out
}
