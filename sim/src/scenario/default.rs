//! The demo cluster: eight tenants of the ERP platform, each running production and homologation,
//! with one incident per unhealthy tenant so every workflow of MISSION.md has something to act on.

use chrono::{DateTime, Timelike, Utc};
use serde_json::{json, Value};

use super::topology::{self, Tenant, ENVS, HML_LEAD_MINUTES, PART_OF};
use super::updater::{self, UPDATER_TENANT};
use super::{
    files, set, system, Rng, Scenario, BEHAVIOR, DAY, INITIAL_RESTARTS, LOG_LINES, LOG_LINES_EVERY,
    MEMORY_MB,
};

#[rustfmt::skip]
pub(super) const TENANTS: [Tenant; 8] = [
    Tenant { code: "c2a7dv", display: "Acme Foods", age_days: 412, release: "12.1.2310" },
    Tenant { code: "t4k9pz", display: "Tupinambá Têxtil", age_days: 287, release: "12.1.2310" },
    Tenant { code: "m8q3rx", display: "Metalúrgica Quadrante", age_days: 163, release: "12.1.2410" },
    Tenant { code: "b5n2wl", display: "Bela Vista Distribuidora", age_days: 95, release: "12.1.2310" },
    Tenant { code: "f7h4js", display: "Farmácias Horizonte", age_days: 58, release: "12.1.2410" },
    Tenant { code: "k3v8ec", display: "Kappa Vet Clínicas", age_days: 41, release: "12.1.2310" },
    Tenant { code: "p9d6ty", display: "Padaria Dois Irmãos", age_days: 214, release: "12.1.2310" },
    Tenant { code: "r2g5mu", display: "Rota Grãos Agronegócio", age_days: 133, release: "12.1.2410" },
];

/// The tenant whose production migration (upddistr-prd) failed: the runbooks' own example namespace.
pub(super) const FAILED_MIGRATION: &str = "c2a7dv";
/// How long ago the failed migration ran, in minutes: a fresh incident.
const FAILED_MIGRATION_AGE: i64 = 35;

/// The tenant whose homologation migration (upddistr-hml) hangs.
pub(super) const HUNG_MIGRATION: &str = "p9d6ty";
/// The tenant whose production appserver runs one replica under a PodDisruptionBudget.
pub(super) const GUARDED_TENANT: &str = "r2g5mu";

/// A deviation from the healthy topology, applied to one object's pod template.
struct Fault {
    tenant: &'static str,
    kind: &'static str,
    name: &'static str,
    annotations: &'static [(&'static str, &'static str)],
    edit: Edit,
}

enum Edit {
    None,
    BackoffLimit(u32),
    NodeSelector(&'static str, &'static str),
    Image(&'static str),
    /// Another volume, an `emptyDir`, mounted into the first container at the path.
    EmptyDir(&'static str, &'static str),
    Replicas(u32),
}

/// One line per escape sequence a log view must render inert (title, clipboard, bell, cursor,
/// colour), each with a marker word a test can search for.
const ESC_LOG_LINES: &str = concat!(
    "ESC-TEST title \x1b]0;pwned-title\x07 end\n",
    "ESC-TEST clipboard \x1b]52;c;cHduZWQ=\x07 end\n",
    "ESC-TEST bell \x07 end\n",
    "ESC-TEST cursor \x1b[2J\x1b[H\x1b[5;5H moved end\n",
    "ESC-TEST color \x1b[31mred\x1b[0m end",
);

#[rustfmt::skip]
const FAULTS: [Fault; 11] = [
    Fault { tenant: "c2a7dv", kind: "Job", name: "upddistr-prd",
            annotations: &[(BEHAVIOR, "fail")], edit: Edit::BackoffLimit(1) },
    Fault { tenant: "t4k9pz", kind: "Deployment", name: "appserver-prd",
            annotations: &[(BEHAVIOR, "oom"), (INITIAL_RESTARTS, "3"), (MEMORY_MB, "1720")], edit: Edit::None },
    Fault { tenant: "m8q3rx", kind: "Deployment", name: "rest-prd",
            annotations: &[(BEHAVIOR, "crashloop"), (INITIAL_RESTARTS, "5")], edit: Edit::None },
    // A nodeSelector no node satisfies makes the Pending reason real for any scheduler, not just the annotation.
    Fault { tenant: "b5n2wl", kind: "Deployment", name: "licenseserver-hml",
            annotations: &[(BEHAVIOR, "unschedulable")], edit: Edit::NodeSelector("kterm.io/pool", "license-dedicated") },
    // replicas is already 1: the Service smartclient-html-prd has this pod as its only endpoint.
    Fault { tenant: "f7h4js", kind: "Deployment", name: "smartclient-html-prd",
            annotations: &[(BEHAVIOR, "not-ready")], edit: Edit::None },
    Fault { tenant: "k3v8ec", kind: "Deployment", name: "rest-hml",
            annotations: &[(BEHAVIOR, "image-pull")], edit: Edit::Image("rest:12.1.2410-rc1") },
    // dbaccess flushes for a long time: deleting it shows a pod stuck in Terminating.
    Fault { tenant: "p9d6ty", kind: "StatefulSet", name: "dbaccess-prd",
            annotations: &[(BEHAVIOR, "slow-terminate")], edit: Edit::None },
    // Not a failure yet: 1930 of 2048 MiB (94 %, never below 90 % with the ±3 % wobble), the
    // "near its memory limit" (AT RISK) row of the tenant overview.
    Fault { tenant: "p9d6ty", kind: "Deployment", name: "appserver-hml",
            annotations: &[(MEMORY_MB, "1930")], edit: Edit::None },
    // The stuck migration: homologation's upddistr of the last nightly run never ends; its pod
    // stays Running and Ready, so only its age gives it away.
    Fault { tenant: HUNG_MIGRATION, kind: "Job", name: "upddistr-hml",
            annotations: &[(BEHAVIOR, "hang")], edit: Edit::EmptyDir("scratch", "/tmp/upddistr") },
    // One appserver replica under a PodDisruptionBudget of minAvailable 1 (added below): deleting
    // that pod is the disruption the budget forbids.
    Fault { tenant: GUARDED_TENANT, kind: "Deployment", name: "appserver-prd",
            annotations: &[], edit: Edit::Replicas(1) },
    // Healthy: its log carries terminal escape sequences for the log view's safety test, repeated
    // every two minutes because the pod started months ago and a tail would never reach its banner.
    Fault { tenant: "r2g5mu", kind: "Deployment", name: "lockserver-hml",
            annotations: &[(LOG_LINES, ESC_LOG_LINES), (LOG_LINES_EVERY, "120")], edit: Edit::None },
];

fn find<'a>(objects: &'a mut [Value], ns: &str, kind: &str, name: &str) -> Option<&'a mut Value> {
    objects.iter_mut().find(|o| {
        o["kind"] == kind && o["metadata"]["namespace"] == ns && o["metadata"]["name"] == name
    })
}

fn apply(objects: &mut [Value], f: &Fault) {
    let Some(obj) = find(objects, f.tenant, f.kind, f.name) else {
        // The table and the topology are written together; a miss is caught by the tests.
        return;
    };
    for (k, v) in f.annotations {
        set(
            obj,
            &["spec", "template", "metadata", "annotations", k],
            json!(v),
        );
    }
    match f.edit {
        Edit::BackoffLimit(n) => set(obj, &["spec", "backoffLimit"], json!(n)),
        Edit::NodeSelector(k, v) => set(
            obj,
            &["spec", "template", "spec", "nodeSelector", k],
            json!(v),
        ),
        Edit::Image(tag) => {
            let image = json!(format!("{}/{tag}", topology::REGISTRY));
            if let Some(c) = obj.pointer_mut("/spec/template/spec/containers/0") {
                set(c, &["image"], image);
            }
        }
        Edit::EmptyDir(volume, path) => {
            let spec = &mut obj["spec"]["template"]["spec"];
            if let Some(v) = spec["volumes"].as_array_mut() {
                v.push(json!({"name": volume, "emptyDir": {}}));
            }
            if let Some(m) = spec
                .pointer_mut("/containers/0/volumeMounts")
                .and_then(Value::as_array_mut)
            {
                m.push(json!({"name": volume, "mountPath": path}));
            }
        }
        Edit::Replicas(n) => set(obj, &["spec", "replicas"], json!(n)),
        Edit::None => {}
    }
}

fn tenant_namespace(t: &Tenant, now: DateTime<Utc>) -> Value {
    let labels = json!({"kterm.io/tenant": "true", "tenant": t.code, PART_OF: "protheus"});
    let monitors: Vec<String> = ENVS
        .iter()
        .map(|e| format!("{}-{}", t.code, e.protheus))
        .collect();
    let annotations = json!({
        "kterm.io/display-name": t.display,
        "kterm.io/release": t.release,
        // UptimeRobot monitors are named tenant code + environment (runbook "Monitoramento").
        "kterm.io/monitors": monitors.join(","),
    });
    system::namespace(
        t.code,
        super::ago(now, t.age_days * DAY),
        labels,
        annotations,
    )
}

/// The guarded tenant's PodDisruptionBudget over its one production appserver, created with the
/// Deployment; the simulator's disruption controller fills its status.
fn appserver_budget(objects: &[Value]) -> Option<Value> {
    let dep = objects.iter().find(|o| {
        o["kind"] == "Deployment"
            && o["metadata"]["namespace"] == GUARDED_TENANT
            && o["metadata"]["name"] == "appserver-prd"
    })?;
    let m = &dep["metadata"];
    Some(json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "appserver-prd", "namespace": GUARDED_TENANT, "labels": m["labels"],
                     "creationTimestamp": m["creationTimestamp"]},
        "spec": {"minAvailable": 1, "selector": dep["spec"]["selector"]},
    }))
}

/// Minutes since production's migration in the updater run `nights_before` the latest one: the CronJob
/// fires at 03:00 São Paulo (06:00 UTC), homologation first, production `HML_LEAD_MINUTES` later.
fn nightly_prd_minutes_ago(now: DateTime<Utc>, nights_before: i64) -> i64 {
    let minutes_since_six = (now.hour() as i64 * 60 + now.minute() as i64 - 6 * 60).rem_euclid(DAY);
    minutes_since_six + nights_before * DAY - HML_LEAD_MINUTES
}

/// The demo cluster; `now` anchors every age so the same instant gives the same scenario.
pub fn default_scenario(now: DateTime<Utc>) -> Scenario {
    let mut rng = Rng::new(0x6b74_6572_6d00_0001);
    let (mut objects, system_objects) = system::system_objects(now, 430);
    objects.extend(TENANTS.iter().map(|t| tenant_namespace(t, now)));
    // Nodes were rotated about three weeks ago, long after the tenants moved in.
    objects.extend((0..3).map(|i| system::node(i, now, 23 * DAY + 97 * i as i64, &mut rng)));
    objects.extend(system_objects);
    let mut files = files::common_files();
    for (i, t) in TENANTS.iter().enumerate() {
        let failed = t.code == FAILED_MIGRATION;
        // Healthy tenants' last migration was the nightly run of one to five nights ago.
        let nights = rng.below(5) as i64;
        let last_run = if failed {
            FAILED_MIGRATION_AGE
        } else {
            nightly_prd_minutes_ago(now, nights)
        };
        objects.extend(topology::tenant_objects(
            t,
            now,
            rng.next_u64() ^ i as u64,
            last_run,
        ));
        let prd_start = now - chrono::Duration::minutes(last_run);
        let hml_start = prd_start - chrono::Duration::minutes(HML_LEAD_MINUTES);
        // The updater's tenant keeps a week more of nightly runs: a log long enough to page through.
        let history = if t.code == UPDATER_TENANT { 7 } else { 0 };
        let log = files::upddistr_log(t, hml_start, prd_start, failed, history);
        files.extend(files::tenant_files(t, &log, failed));
    }
    for f in &FAULTS {
        apply(&mut objects, f);
    }
    if let Some(pdb) = appserver_budget(&objects) {
        objects.push(pdb);
    }
    updater::add_manual_run(&mut objects, now);
    Scenario {
        objects,
        tenants: TENANTS.iter().map(|t| t.code.to_string()).collect(),
        files,
    }
}
