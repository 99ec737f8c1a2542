use std::collections::{BTreeSet, HashSet};

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 15, 9, 26)
        .single()
        .unwrap()
}

fn s<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or("")
}

fn find<'a>(sc: &'a Scenario, ns: &str, kind: &str, name: &str) -> &'a Value {
    sc.objects
        .iter()
        .find(|o| {
            o["kind"] == kind && o["metadata"]["namespace"] == ns && o["metadata"]["name"] == name
        })
        .unwrap_or_else(|| panic!("{kind} {ns}/{name} missing"))
}

const CLUSTER_KINDS: [&str; 2] = ["Namespace", "Node"];

#[test]
fn default_has_tenants_and_well_formed_objects() {
    let sc = default_scenario(now());
    assert_eq!(sc.tenants.len(), 8);
    assert!(sc.tenants.contains(&"c2a7dv".to_string()));
    let namespaces: HashSet<&str> = sc
        .objects
        .iter()
        .filter(|o| o["kind"] == "Namespace")
        .map(|o| s(o, "/metadata/name"))
        .collect();
    for t in &sc.tenants {
        assert_eq!(t.len(), 6);
        let ns = sc
            .objects
            .iter()
            .find(|o| o["kind"] == "Namespace" && o["metadata"]["name"] == *t)
            .unwrap();
        assert_eq!(ns["metadata"]["labels"]["kterm.io/tenant"], "true");
        assert_eq!(ns["metadata"]["labels"]["tenant"], t.as_str());
        assert!(!s(ns, "/metadata/annotations/kterm.io~1display-name").is_empty());
    }
    for ns in ["default", "kube-system", "kong", "monitoring"] {
        assert!(namespaces.contains(ns), "{ns}");
    }
    let mut seen = HashSet::new();
    let mut past_cluster_scoped = false;
    for o in &sc.objects {
        let kind = s(o, "/kind");
        assert!(
            !s(o, "/apiVersion").is_empty()
                && !kind.is_empty()
                && !s(o, "/metadata/name").is_empty(),
            "{o}"
        );
        if CLUSTER_KINDS.contains(&kind) {
            assert!(!past_cluster_scoped, "{kind} after namespaced objects");
        } else {
            past_cluster_scoped = true;
            assert!(
                namespaces.contains(s(o, "/metadata/namespace")),
                "namespace of {o}"
            );
        }
        let created = s(o, "/metadata/creationTimestamp");
        assert!(
            DateTime::parse_from_rfc3339(created).unwrap() < now(),
            "{created}"
        );
        assert!(seen.insert((
            kind.to_string(),
            s(o, "/metadata/namespace").to_string(),
            s(o, "/metadata/name").to_string()
        )));
    }
    let nodes: Vec<&Value> = sc.objects.iter().filter(|o| o["kind"] == "Node").collect();
    assert_eq!(nodes.len(), 3);
    assert!(nodes
        .iter()
        .all(|n| s(n, "/status/nodeInfo/kubeletVersion").starts_with("v1.32.")));
    assert_eq!(sc, default_scenario(now()), "deterministic");
}

#[test]
fn default_topology_per_tenant() {
    let sc = default_scenario(now());
    for t in &sc.tenants {
        for e in ["prd", "hml"] {
            let app = find(&sc, t, "Deployment", &format!("appserver-{e}"));
            // The guarded tenant's production appserver runs alone under its disruption budget.
            let replicas = if (t.as_str(), e) == ("r2g5mu", "prd") {
                1
            } else {
                2
            };
            assert_eq!(app["spec"]["replicas"], replicas, "{t} appserver-{e}");
            assert_eq!(
                s(
                    app,
                    "/spec/template/spec/containers/0/resources/limits/memory"
                ),
                "2Gi"
            );
            assert!(s(app, "/spec/template/spec/containers/0/image")
                .starts_with("registry.example.local/protheus/appserver:12.1."));
            assert_eq!(
                app["metadata"]["labels"]["app.kubernetes.io/part-of"],
                "protheus"
            );
            find(&sc, t, "StatefulSet", &format!("dbaccess-{e}"));
            for (svc, port) in [
                ("appserver", 1234),
                ("dbaccess", 7890),
                ("lockserver", 2234),
                ("licenseserver", 5555),
                ("smartclient-html", 8080),
                ("rest", 8181),
            ] {
                let svc = find(&sc, t, "Service", &format!("{svc}-{e}"));
                assert_eq!(svc["spec"]["ports"][0]["port"], port);
            }
            let ini = find(&sc, t, "ConfigMap", &format!("appserver-ini-{e}"));
            assert!(s(ini, "/data/appserver.ini").contains(&format!("DBServer=dbaccess-{e}")));
            find(&sc, t, "Secret", &format!("protheus-db-{e}"));
            find(&sc, t, "Job", &format!("upddistr-{e}"));
        }
        let pvc = find(&sc, t, "PersistentVolumeClaim", "volume");
        assert_eq!(pvc["spec"]["accessModes"][0], "ReadWriteMany");
        let cj = find(&sc, t, "CronJob", "protheus-updater");
        assert_eq!(cj["spec"]["schedule"], "0 3 * * *");
        assert_eq!(cj["spec"]["concurrencyPolicy"], "Forbid");
    }
}

/// (namespace, kind, name, behavior) of every pod template that is not a plain `complete` job.
fn behaviours(sc: &Scenario) -> BTreeSet<(String, String, String, String)> {
    let mut out = BTreeSet::new();
    for o in &sc.objects {
        let tpl = o
            .pointer("/spec/template")
            .or_else(|| o.pointer("/spec/jobTemplate/spec/template"));
        let b = tpl
            .map(|t| s(t, "/metadata/annotations/sim.kterm.io~1behavior"))
            .unwrap_or("");
        if !b.is_empty() && b != "complete" {
            let id = |p| s(o, p).to_string();
            out.insert((
                id("/metadata/namespace"),
                id("/kind"),
                id("/metadata/name"),
                b.to_string(),
            ));
        }
    }
    out
}

#[test]
fn failures_appear_exactly_where_intended() {
    let sc = default_scenario(now());
    let expected: BTreeSet<_> = [
        ("c2a7dv", "Job", "upddistr-prd", "fail"),
        ("t4k9pz", "Deployment", "appserver-prd", "oom"),
        ("m8q3rx", "Deployment", "rest-prd", "crashloop"),
        ("b5n2wl", "Deployment", "licenseserver-hml", "unschedulable"),
        ("f7h4js", "Deployment", "smartclient-html-prd", "not-ready"),
        ("k3v8ec", "Deployment", "rest-hml", "image-pull"),
        ("p9d6ty", "StatefulSet", "dbaccess-prd", "slow-terminate"),
        ("p9d6ty", "Job", "upddistr-hml", "hang"),
    ]
    .iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    .collect();
    assert_eq!(behaviours(&sc), expected);

    assert_eq!(
        find(&sc, "c2a7dv", "Job", "upddistr-prd")["spec"]["backoffLimit"],
        1
    );
    // The stuck migration mounts the tenant's volume like the others, plus a scratch emptyDir.
    let hung = find(&sc, "p9d6ty", "Job", "upddistr-hml");
    let volumes = &hung["spec"]["template"]["spec"]["volumes"];
    assert_eq!(volumes[0]["persistentVolumeClaim"]["claimName"], "volume");
    assert!(volumes[1]["emptyDir"].is_object(), "{volumes}");
    assert_eq!(s(hung, "/spec/template/metadata/labels/app"), "upddistr");
    // One PodDisruptionBudget: minAvailable 1 over r2g5mu's one production appserver.
    let pdbs: Vec<&Value> = sc
        .objects
        .iter()
        .filter(|o| o["kind"] == "PodDisruptionBudget")
        .collect();
    assert_eq!(pdbs.len(), 1);
    let guarded = find(&sc, "r2g5mu", "Deployment", "appserver-prd");
    assert_eq!(pdbs[0]["metadata"]["namespace"], "r2g5mu");
    assert_eq!(pdbs[0]["spec"]["minAvailable"], 1);
    assert_eq!(pdbs[0]["spec"]["selector"], guarded["spec"]["selector"]);
    assert_eq!(guarded["spec"]["replicas"], 1);
    assert_eq!(
        guarded["spec"]["selector"]["matchLabels"]["env"],
        "production"
    );
    let oom = find(&sc, "t4k9pz", "Deployment", "appserver-prd");
    assert_eq!(
        s(
            oom,
            "/spec/template/metadata/annotations/sim.kterm.io~1initial-restarts"
        ),
        "3"
    );
    let crash = find(&sc, "m8q3rx", "Deployment", "rest-prd");
    assert_eq!(
        s(
            crash,
            "/spec/template/metadata/annotations/sim.kterm.io~1initial-restarts"
        ),
        "5"
    );
    let pending = find(&sc, "b5n2wl", "Deployment", "licenseserver-hml");
    assert!(pending["spec"]["template"]["spec"]["nodeSelector"].is_object());
    assert_eq!(
        find(&sc, "f7h4js", "Deployment", "smartclient-html-prd")["spec"]["replicas"],
        1
    );
    assert!(s(
        find(&sc, "k3v8ec", "Deployment", "rest-hml"),
        "/spec/template/spec/containers/0/image"
    )
    .ends_with("-rc1"));
    // Every long-running template reports memory, so the metrics API has something for each pod.
    for o in sc
        .objects
        .iter()
        .filter(|o| o["kind"] == "Deployment" || o["kind"] == "StatefulSet")
    {
        assert!(
            !s(
                o,
                "/spec/template/metadata/annotations/sim.kterm.io~1memory-mb"
            )
            .is_empty(),
            "{}",
            o["metadata"]["name"]
        );
    }
}

#[test]
fn escape_sequence_log_lines_only_on_r2g5mu_lockserver_hml() {
    let sc = default_scenario(now());
    let key = "/spec/template/metadata/annotations/sim.kterm.io~1log-lines";
    let carriers: Vec<(&str, &str)> = sc
        .objects
        .iter()
        .filter(|o| !s(o, key).is_empty())
        .map(|o| (s(o, "/metadata/namespace"), s(o, "/metadata/name")))
        .collect();
    assert_eq!(carriers, [("r2g5mu", "lockserver-hml")]);
    let lines = s(find(&sc, "r2g5mu", "Deployment", "lockserver-hml"), key);
    for seq in ["\x1b]0;", "\x1b]52;c;", " \x07 ", "\x1b[5;5H", "\x1b[31m"] {
        assert_eq!(lines.matches(seq).count(), 1, "{seq:?} in {lines:?}");
    }
    assert!(lines.lines().all(|l| l.starts_with("ESC-TEST ")));
}

#[test]
fn default_files() {
    let sc = default_scenario(now());
    let log_of = |ns: &str| {
        sc.files
            .iter()
            .find(|f| f.namespace.as_deref() == Some(ns) && f.path == "/volume/logs/UPDDISTR.LOG")
            .map(|f| f.content.clone())
            .unwrap()
    };
    let failed = log_of("c2a7dv");
    assert!(
        failed
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .contains("UPDDISTR abortado"),
        "{failed}"
    );
    assert!(log_of("r2g5mu")
        .trim_end()
        .ends_with("UPDDISTR finalizado com sucesso em 00:05:03"));
    let has = |ns: Option<&str>, sel: &str, path: &str| {
        sc.files.iter().any(|f| {
            f.namespace.as_deref() == ns && f.selector.as_deref() == Some(sel) && f.path == path
        })
    };
    assert!(has(None, "app=upddistr", "/volume/flags/"));
    assert!(has(
        Some("r2g5mu"),
        "app=appserver",
        "/volume/flags/upddistr.producao.ok"
    ));
    assert!(!has(
        Some("c2a7dv"),
        "app=appserver",
        "/volume/flags/upddistr.producao.ok"
    ));
    assert!(has(
        Some("c2a7dv"),
        "app=appserver",
        "/volume/flags/upddistr.homologacao.ok"
    ));
    assert!(has(
        Some("c2a7dv"),
        "app=protheus-updater",
        "/protheus/apo/tttp120.rpo"
    ));
    assert!(has(
        None,
        "app=appserver,env=production",
        "/protheus/bin/appserver/appserver.ini"
    ));
    let script = sc
        .files
        .iter()
        .find(|f| f.path == "/usr/local/bin/init-upddistr")
        .unwrap();
    assert_eq!(script.mode, 0o755);
    assert!(script.content.starts_with("#!/bin/sh"));
    for f in &sc.files {
        assert!(f.path.starts_with('/'));
        assert!(!f.path.ends_with('/') || f.content.is_empty());
    }
}

#[test]
fn scale_sizes_and_shape() {
    let sc = scale_scenario(1000, 50, now());
    assert_eq!(sc.tenants.len(), 50);
    let pods: Vec<&Value> = sc.objects.iter().filter(|o| o["kind"] == "Pod").collect();
    assert_eq!(pods.len(), 1000);
    let bytes: usize = pods
        .iter()
        .map(|p| serde_json::to_vec(p).unwrap().len())
        .sum();
    let avg = bytes / pods.len();
    assert!(
        (5 * 1024..=8 * 1024).contains(&avg),
        "average pod is {avg} bytes"
    );
    // ReplicaSets own exactly the pods that name them, so no controller adds or removes any.
    for rs in sc.objects.iter().filter(|o| o["kind"] == "ReplicaSet") {
        let uid = s(rs, "/metadata/uid");
        let owned = pods
            .iter()
            .filter(|p| p["metadata"]["ownerReferences"][0]["uid"] == uid)
            .count();
        assert_eq!(rs["spec"]["replicas"], owned as u64);
    }
    let restarted = pods
        .iter()
        .filter(|p| p["status"]["containerStatuses"][0]["restartCount"] != 0)
        .count();
    assert!((50..=140).contains(&restarted), "{restarted} restarted");
    let oom = pods.iter().filter(|p| {
        p["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"] == "OOMKilled"
    });
    assert!(oom.clone().count() > 10 && oom.clone().count() < restarted);
    assert!(oom.clone().all(
        |p| p["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"] == 137
    ));
    let p = pods[0];
    assert_eq!(p["metadata"]["managedFields"][1]["manager"], "kubelet");
    assert!(p["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]["f:containers"].is_object());
    assert_eq!(s(p, "/status/phase"), "Running");
    assert_eq!(p["status"]["conditions"].as_array().unwrap().len(), 5);
    assert_eq!(sc, scale_scenario(1000, 50, now()), "deterministic");
    assert_eq!(
        scale_scenario(7, 3, now())
            .objects
            .iter()
            .filter(|o| o["kind"] == "Pod")
            .count(),
        7
    );
}

#[test]
fn yaml_small_document() {
    let text = r#"
tenants: [z9y8xw]
objects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: extra, namespace: z9y8xw}
    data: {a: b}
files:
  - namespace: z9y8xw
    selector: app=appserver
    path: /volume/logs/UPDDISTR.LOG
    content: |
      hello
  - path: /volume/flags/
  - path: /usr/local/bin/x
    mode: "0755"
---
apiVersion: v1
kind: Namespace
metadata:
  name: z9y8xw
  labels: {kterm.io/tenant: "true"}
  creationTimestamp: "-2d12h"
"#;
    let sc = yaml::from_yaml_at(text, now()).unwrap();
    assert_eq!(sc.tenants, vec!["z9y8xw"]);
    assert_eq!(sc.objects[0]["kind"], "Namespace", "namespaces first");
    assert_eq!(
        s(&sc.objects[0], "/metadata/creationTimestamp"),
        "2025-03-12T03:09:26Z"
    );
    assert_eq!(sc.files.len(), 3);
    assert_eq!(sc.files[0].content, "hello\n");
    assert_eq!(
        (sc.files[0].mode, sc.files[1].mode, sc.files[2].mode),
        (0o644, 0o755, 0o755)
    );
}

#[test]
fn yaml_include_default_and_override() {
    let text = "include: default\ntenants: [c2a7dv]\n---\napiVersion: apps/v1\nkind: Deployment\n\
                metadata: {name: rest-prd, namespace: m8q3rx}\nspec: {replicas: 3}\n";
    let sc = yaml::from_yaml_at(text, now()).unwrap();
    let base = default_scenario(now());
    assert_eq!(sc.tenants, base.tenants);
    assert_eq!(sc.objects.len(), base.objects.len());
    assert_eq!(
        find(&sc, "m8q3rx", "Deployment", "rest-prd")["spec"]["replicas"],
        3
    );
}

#[test]
fn yaml_errors_name_the_line() {
    let broken = "tenants: [a]\nobjects:\n  - kind: Namespace\n   metadata: {name: a}\n";
    let err = from_yaml(broken).unwrap_err();
    assert!(err.starts_with("scenario YAML line 4"), "{err}");
    let err = from_yaml("tenants: [a]\nfiles:\n  - path: /x\n    mode: rwx\n").unwrap_err();
    assert!(err.contains("line 4"), "{err}");
    let err = from_yaml("tenant: [a]\n").unwrap_err();
    assert!(
        err.contains("line 1") && err.contains("unknown field"),
        "{err}"
    );
    let err = from_yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: a}\n").unwrap_err();
    assert!(err.contains("no metadata.name"), "{err}");
    let err = from_yaml("include: other\n").unwrap_err();
    assert!(err.contains("unknown include"), "{err}");
}

#[test]
fn updater_job_made_from_the_cronjob_runs_one_kubectl_named_pod() {
    // The real clock: the simulator's kubelet times the sleeper from the pod's start.
    let sc = default_scenario(Utc::now());
    let jobs: Vec<&Value> = sc.objects.iter().filter(|o| o["kind"] == "Job").collect();
    assert_eq!(
        jobs.len(),
        2 * 8 + 1,
        "two upddistr per tenant, one updater"
    );
    let cluster = crate::cluster::Cluster::new(crate::store::Store::new());
    let mut controllers = crate::controllers::Controllers::new(cluster.clone());
    crate::sim::load(&cluster, &sc.objects).unwrap();
    controllers.settle();

    let get = |key: &str, name: &str| cluster.store.get(key, "r2g5mu", name).unwrap().obj;
    let cj = get("cronjobs", "protheus-updater");
    let (_, jobs) = cluster.store.list("jobs", Some("r2g5mu"));
    let updater: Vec<_> = jobs
        .iter()
        .filter(|j| s(&j.obj, "/metadata/name").starts_with("protheus-updater-"))
        .collect();
    assert_eq!(updater.len(), 1);
    let job = &updater[0].obj;
    let name = s(job, "/metadata/name");
    // Named for a nightly run: minutes since the epoch of a 03:00 São Paulo (06:00 UTC).
    let minutes: i64 = name["protheus-updater-".len()..].parse().unwrap();
    assert_eq!(minutes % (24 * 60), 6 * 60, "{name}");
    let owner = &job["metadata"]["ownerReferences"][0];
    assert_eq!(
        (&owner["kind"], &owner["name"], &owner["controller"]),
        (&json!("CronJob"), &json!("protheus-updater"), &json!(true))
    );
    assert_eq!(owner["uid"], cj["metadata"]["uid"]);
    assert_eq!(
        s(
            job,
            "/metadata/annotations/cronjob.kubernetes.io~1instantiate"
        ),
        "manual"
    );
    assert_eq!(s(job, "/metadata/labels/app"), "protheus-updater");
    assert!(
        job["status"]["conditions"].is_null(),
        "still running: {job}"
    );
    assert_eq!(cj["status"]["active"][0]["name"], name);

    let (_, pods) = cluster.store.list("pods", Some("r2g5mu"));
    let pods: Vec<_> = pods
        .iter()
        .filter(|p| s(&p.obj, "/metadata/labels/app") == "protheus-updater")
        .collect();
    assert_eq!(pods.len(), 1);
    let pod = &pods[0].obj;
    let suffix = s(pod, "/metadata/name")
        .strip_prefix(&format!("{name}-"))
        .unwrap();
    assert!(
        suffix.len() == 5 && suffix.chars().all(|c| c.is_ascii_alphanumeric()),
        "{suffix}"
    );
    assert_eq!(s(pod, "/metadata/ownerReferences/0/kind"), "Job");
    assert_eq!(s(pod, "/metadata/ownerReferences/0/name"), name);
    assert_eq!(s(pod, "/metadata/labels/job-name"), name);
    assert_eq!(s(pod, "/status/phase"), "Running");
    // Nowhere else: the other tenants keep only their migration Jobs.
    let elsewhere = sc.objects.iter().filter(|o| {
        o["kind"] == "Job"
            && o["metadata"]["namespace"] != "r2g5mu"
            && s(o, "/metadata/name").starts_with("protheus-updater-")
    });
    assert_eq!(elsewhere.count(), 0);
}

#[test]
fn updater_sandbox_holds_a_long_log_and_init_upddistr() {
    let sc = default_scenario(now());
    let file = |ns: &str, path: &str| {
        sc.files
            .iter()
            .find(|f| {
                f.namespace.as_deref() == Some(ns)
                    && f.selector.as_deref() == Some("app=protheus-updater")
                    && f.path == path
            })
            .unwrap_or_else(|| panic!("{ns} {path}"))
    };
    let log = &file("r2g5mu", "/volume/logs/UPDDISTR.LOG").content;
    assert!((180..=230).contains(&log.lines().count()), "{log}");
    assert!(log
        .trim_end()
        .ends_with("UPDDISTR finalizado com sucesso em 00:05:03"));
    // The other tenants' logs hold the last run only.
    let other = &file("t4k9pz", "/volume/logs/UPDDISTR.LOG").content;
    assert_eq!(other.lines().count(), 26);
    let script = &sc
        .files
        .iter()
        .find(|f| {
            f.path == "/usr/local/bin/init-upddistr"
                && f.selector.as_deref() == Some("app=protheus-updater")
        })
        .unwrap()
        .content;
    assert!(script.contains("touch \"$FLAGS/upddistr.$ENVIRONMENT.ok\""));
}

#[test]
fn scale_loads_at_steady_state() {
    // `settle_steady` skips reconciling the scale scenario: that is only right while a full
    // reconcile of it writes nothing.
    let sc = scale_scenario(200, 10, Utc::now());
    let cluster = crate::cluster::Cluster::new(crate::store::Store::new());
    let mut controllers = crate::controllers::Controllers::new(cluster.clone());
    crate::sim::load(&cluster, &sc.objects).unwrap();
    controllers.settle_steady();
    let before = cluster.store.rv();
    controllers.settle();
    let written: Vec<String> = crate::resources::RESOURCES
        .iter()
        .filter_map(|d| d.key())
        .flat_map(|k| cluster.store.entries(k, None).1)
        .filter(|e| e.meta.resource_version > before)
        .map(|e| e.meta.name.to_string())
        .collect();
    assert!(written.is_empty(), "a reconcile changed {written:?}");
}

#[test]
fn a_scale_pod_costs_the_store_under_20_kb() {
    // Count the store's bytes, not the process's: each object's JSON plus its parsed fields,
    // and the history the load leaves (bounded in bytes whatever the size).
    let pods = 2000;
    let sc = scale_scenario(pods, 100, Utc::now());
    let cluster = crate::cluster::Cluster::new(crate::store::Store::new());
    crate::sim::load(&cluster, &sc.objects).unwrap();
    drop(sc);
    let stored: usize = crate::resources::RESOURCES
        .iter()
        .filter_map(|d| d.key())
        .flat_map(|k| cluster.store.entries(k, None).1)
        .map(|e| e.weight())
        .sum();
    let history = cluster.store.history_bytes();
    let per_pod = (stored + history) / pods;
    eprintln!("store: {stored} B objects, {history} B history: {per_pod} B a pod");
    assert!(per_pod < 20 * 1024, "{per_pod} bytes a pod");
    // The parsed fields stay small beside the bytes: no tree is kept.
    let (_, pods_now) = cluster.store.entries("pods", None);
    let json: usize = pods_now.iter().map(|e| e.json.len()).sum();
    assert!(
        stored < json * 2,
        "stored {stored} for {json} bytes of pod JSON"
    );
}
