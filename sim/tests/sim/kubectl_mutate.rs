//! Real kubectl changing the default scenario as kterm's edit, actions and delete will: replace
//! with conflicts and kept status, invalid bodies, scale, patches, restarts, jobs from cronjobs.

use crate::common::{eventually, kubectl_bin, TestSim};
use kterm_sim::RbacProfile;
use serde_json::Value;
use std::path::PathBuf;

fn json_of(t: &TestSim, args: &[&str]) -> Option<Value> {
    let mut a = args.to_vec();
    a.extend(["-o", "json"]);
    Some(serde_json::from_str(&t.kubectl_ok(&a)?).unwrap())
}

/// A file under the temp dir, removed when dropped.
struct Tmp(PathBuf);

impl Tmp {
    fn json(name: &str, v: &Value) -> Tmp {
        let p = std::env::temp_dir().join(format!("kterm-sim-{}-{name}.json", std::process::id()));
        std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
        Tmp(p)
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `kubectl replace -f` of `obj`; the output (not asserted).
fn replace(t: &TestSim, name: &str, obj: &Value) -> std::process::Output {
    let f = Tmp::json(name, obj);
    t.kubectl(&["replace", "--validate=false", "-f", f.path()])
        .unwrap()
}

#[test]
fn edit_replace_conflicts_keep_status_and_refuse_invalid_bodies() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "r2g5mu";
    let Some(stale) = json_of(&t, &["get", "cj", "protheus-updater", "-n", ns]) else {
        return;
    };
    assert!(stale["status"]["active"].is_array(), "{}", stale["status"]);
    // kubectl edit through an editor that is a sed script: the change is stored.
    let editor = std::env::temp_dir().join(format!("kterm-sim-sed-{}.sh", std::process::id()));
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/schedule: .*/schedule: 30 2 * * */' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = std::process::Command::new(kubectl_bin().unwrap())
        .args(["edit", "cronjob", "protheus-updater", "-n", ns])
        .env("KUBECONFIG", t.kubeconfig())
        .env("EDITOR", &editor)
        .env_remove("KUBE_EDITOR")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&editor);
    assert!(out.status.success(), "{}", stderr(&out));
    let cj = json_of(&t, &["get", "cj", "protheus-updater", "-n", ns]).unwrap();
    assert_eq!(cj["spec"]["schedule"], "30 2 * * *");
    assert_eq!(cj["status"], stale["status"], "the edit keeps the status");

    // A PUT of the copy read before the edit: 409 with the API's words.
    let mut old = stale.clone();
    old["spec"]["suspend"] = true.into();
    let out = replace(&t, "stale", &old);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Operation cannot be fulfilled on cronjobs.batch \"protheus-updater\": the object has been modified; please apply your changes to the latest version and try again"),
        "{}",
        stderr(&out)
    );

    // A PUT without status keeps the stored status, for every kind with a status subresource.
    for (kind, name) in [
        ("cronjob", "protheus-updater"),
        ("deployment", "appserver-hml"),
        ("statefulset", "dbaccess-hml"),
        ("job", "upddistr-prd"),
    ] {
        let mut cur = json_of(&t, &["get", kind, name, "-n", ns]).unwrap();
        let status = cur["status"].clone();
        assert!(
            status.is_object() && status != serde_json::json!({}),
            "{kind}: {status}"
        );
        cur.as_object_mut().unwrap().remove("status");
        cur["metadata"]["labels"]["edited"] = "yes".into();
        let out = replace(&t, kind, &cur);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let after = json_of(&t, &["get", kind, name, "-n", ns]).unwrap();
        assert_eq!(after["metadata"]["labels"]["edited"], "yes", "{kind}");
        assert_eq!(
            after["status"]["conditions"], status["conditions"],
            "{kind}"
        );
        assert_eq!(after["status"]["active"], status["active"], "{kind}");
        assert_eq!(
            after["status"]["readyReplicas"], status["readyReplicas"],
            "{kind}"
        );
    }
    let pod = crate::common::pod_with(&t, ns, "lockserver-hml").unwrap();
    let mut cur = json_of(&t, &["get", "pod", &pod, "-n", ns]).unwrap();
    cur.as_object_mut().unwrap().remove("status");
    let out = replace(&t, "pod", &cur);
    assert!(out.status.success(), "{}", stderr(&out));
    let phase = t
        .kubectl_ok(&[
            "get",
            "pod",
            &pod,
            "-n",
            ns,
            "-o",
            "jsonpath={.status.phase}",
        ])
        .unwrap();
    assert_eq!(phase, "Running");
    // A patch of the main resource cannot write the status either.
    t.kubectl_ok(&[
        "patch",
        "deployment",
        "appserver-hml",
        "-n",
        ns,
        "--type=merge",
        "-p",
        r#"{"status":{"readyReplicas":9}}"#,
    ])
    .unwrap();
    let ready = t
        .kubectl_ok(&[
            "get",
            "deployment",
            "appserver-hml",
            "-n",
            ns,
            "-o",
            "jsonpath={.status.readyReplicas}",
        ])
        .unwrap();
    assert_eq!(ready, "2");

    // Invalid bodies: a string where a number belongs (400), a container without its image (422).
    let mut bad = json_of(&t, &["get", "deployment", "lockserver-hml", "-n", ns]).unwrap();
    bad["spec"]["replicas"] = "abc".into();
    let out = replace(&t, "abc", &bad);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
        "{}",
        stderr(&out)
    );
    let mut bad = json_of(&t, &["get", "deployment", "lockserver-hml", "-n", ns]).unwrap();
    bad["spec"]["template"]["spec"]["containers"][0]
        .as_object_mut()
        .unwrap()
        .remove("image");
    let out = replace(&t, "noimage", &bad);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("spec.template.spec.containers[0].image: Required value"),
        "{}",
        stderr(&out)
    );
    let mut bad = json_of(&t, &["get", "cj", "protheus-updater", "-n", ns]).unwrap();
    bad["spec"]["schedule"] = "every night".into();
    let out = replace(&t, "schedule", &bad);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("spec.schedule: Invalid value: \"every night\""),
        "{}",
        stderr(&out)
    );
    let image = t
        .kubectl_ok(&[
            "get",
            "deployment",
            "lockserver-hml",
            "-n",
            ns,
            "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}",
        ])
        .unwrap();
    assert!(image.starts_with("1 registry."), "nothing stored: {image}");
}

fn running_pods(t: &TestSim, ns: &str, prefix: &str) -> Vec<String> {
    let out = t
        .kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])
        .unwrap();
    out.lines()
        .filter(|l| l.starts_with(prefix) && l.contains(" Running "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn strategic_patch_of_a_container_rolls_the_deployment() {
    let t = TestSim::start(RbacProfile::Admin);
    let (ns, dep) = ("c2a7dv", "appserver-hml");
    let Some(before) = t.kubectl_ok(&["get", "rs", "-n", ns, "--no-headers"]) else {
        return;
    };
    let old_pods = running_pods(&t, ns, dep);
    assert_eq!(old_pods.len(), 2, "{old_pods:?}");
    // Containers merge by name: only the limit changes, the image and the rest stay.
    t.kubectl_ok(&[
        "patch",
        "deployment",
        dep,
        "-n",
        ns,
        "-p",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"appserver","resources":{"limits":{"memory":"3Gi"}}}]}}}}"#,
    ])
    .unwrap();
    let d = json_of(&t, &["get", "deployment", dep, "-n", ns]).unwrap();
    let c = &d["spec"]["template"]["spec"]["containers"];
    assert_eq!(c.as_array().unwrap().len(), 1);
    assert_eq!(c[0]["resources"]["limits"]["memory"], "3Gi");
    assert_eq!(c[0]["resources"]["limits"]["cpu"], "2");
    assert!(c[0]["image"].as_str().unwrap().contains("/appserver:"));
    // A merge patch replaces a map key as given.
    t.kubectl_ok(&[
        "patch",
        "deployment",
        dep,
        "-n",
        ns,
        "--type=merge",
        "-p",
        r#"{"metadata":{"annotations":{"kterm.io/note":"patched"}}}"#,
    ])
    .unwrap();
    let note = t
        .kubectl_ok(&[
            "get",
            "deployment",
            dep,
            "-n",
            ns,
            "-o",
            "jsonpath={.metadata.annotations.kterm\\.io/note}",
        ])
        .unwrap();
    assert_eq!(note, "patched");
    // The template changed: a new ReplicaSet, two new pods with the new limit, the old ones gone.
    let new_pods = eventually(60, "two new appserver pods", || {
        let now = running_pods(&t, ns, dep);
        (now.len() == 2 && now.iter().all(|p| !old_pods.contains(p))).then_some(now)
    });
    let limit = t
        .kubectl_ok(&[
            "get",
            "pod",
            &new_pods[0],
            "-n",
            ns,
            "-o",
            "jsonpath={.spec.containers[0].resources.limits.memory}",
        ])
        .unwrap();
    assert_eq!(limit, "3Gi");
    let after = t
        .kubectl_ok(&["get", "rs", "-n", ns, "--no-headers"])
        .unwrap();
    assert_eq!(
        after.lines().filter(|l| l.starts_with(dep)).count(),
        before.lines().filter(|l| l.starts_with(dep)).count() + 1,
        "{before}\n{after}"
    );
    eventually(30, "the old pods gone", || {
        let all = t
            .kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])
            .unwrap();
        (!old_pods.iter().any(|p| all.contains(p.as_str()))).then_some(())
    });
}

#[test]
fn scale_and_restart_a_statefulset() {
    let t = TestSim::start(RbacProfile::Admin);
    let (ns, sts) = ("k3v8ec", "dbaccess-hml");
    if t.kubectl_ok(&["scale", "sts", sts, "-n", ns, "--replicas=2"])
        .is_none()
    {
        return;
    }
    eventually(40, "dbaccess-hml-0 and -1 Running", || {
        let p = running_pods(&t, ns, sts);
        (p.len() == 2 && p.contains(&format!("{sts}-1"))).then_some(())
    });
    // Empty while the pod is away between its deletion and its recreation.
    let uid = |t: &TestSim| {
        let out = t
            .kubectl(&[
                "get",
                "pod",
                &format!("{sts}-0"),
                "-n",
                ns,
                "-o",
                "jsonpath={.metadata.uid}",
            ])
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let before = uid(&t);
    t.kubectl_ok(&["rollout", "restart", &format!("sts/{sts}"), "-n", ns])
        .unwrap();
    let s = json_of(&t, &["get", "sts", sts, "-n", ns]).unwrap();
    assert!(
        s["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
            .is_string()
    );
    eventually(60, "dbaccess-hml-0 recreated and Running", || {
        let now = uid(&t);
        (!now.is_empty() && now != before && running_pods(&t, ns, sts).len() == 2).then_some(())
    });
    eventually(60, "every pod on the new revision", || {
        let s = json_of(&t, &["get", "sts", sts, "-n", ns]).unwrap();
        let st = &s["status"];
        (st["updatedReplicas"] == 2 && st["currentRevision"] == st["updateRevision"]).then_some(())
    });
    t.kubectl_ok(&["scale", "sts", sts, "-n", ns, "--replicas=1"])
        .unwrap();
    eventually(40, "dbaccess-hml-1 gone", || {
        let all = t
            .kubectl_ok(&["get", "pods", "-n", ns, "--no-headers"])
            .unwrap();
        (!all.contains(&format!("{sts}-1 "))).then_some(())
    });
}

#[test]
fn job_from_cronjob_is_owned_annotated_and_runs() {
    let t = TestSim::start(RbacProfile::Admin);
    let ns = "t4k9pz";
    if t.kubectl_ok(&[
        "create",
        "job",
        "updater-now",
        "--from=cronjob/protheus-updater",
        "-n",
        ns,
    ])
    .is_none()
    {
        return;
    }
    let job = json_of(&t, &["get", "job", "updater-now", "-n", ns]).unwrap();
    let cj = json_of(&t, &["get", "cj", "protheus-updater", "-n", ns]).unwrap();
    assert_eq!(
        job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"],
        "manual"
    );
    let owner = &job["metadata"]["ownerReferences"][0];
    assert_eq!(owner["kind"], "CronJob");
    assert_eq!(owner["uid"], cj["metadata"]["uid"]);
    assert_eq!(owner["controller"], true);
    assert_eq!(
        job["spec"]["template"]["spec"]["containers"],
        cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    );
    eventually(30, "the job's pod Running", || {
        (!running_pods(&t, ns, "updater-now-").is_empty()).then_some(())
    });
}

#[test]
fn auth_can_i_for_the_actions_under_each_profile() {
    for (profile, expect) in [
        (RbacProfile::Admin, "yes"),
        (RbacProfile::Tenant, "yes"),
        (RbacProfile::Readonly, "no"),
    ] {
        let t = TestSim::start(profile);
        for (verb, what) in [
            ("delete", "pods"),
            ("patch", "deployments"),
            ("create", "jobs"),
            ("update", "cronjobs"),
            ("patch", "statefulsets.apps"),
            ("delete", "namespaces"),
        ] {
            let mut args = vec!["auth", "can-i", verb, what];
            let cluster_scoped = what == "namespaces";
            if !cluster_scoped {
                args.extend(["-n", "t4k9pz"]);
            }
            let Some(out) = t.kubectl(&args) else {
                return;
            };
            let want = match (profile, cluster_scoped) {
                (RbacProfile::Tenant, true) => "no",
                _ => expect,
            };
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                want,
                "{profile:?} {verb} {what}"
            );
        }
        // Outside the tenants the tenant profile may do nothing.
        let out = t
            .kubectl(&["auth", "can-i", "delete", "pods", "-n", "kube-system"])
            .unwrap();
        let want = if profile == RbacProfile::Admin {
            "yes"
        } else {
            "no"
        };
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            want,
            "{profile:?}"
        );
    }
}
