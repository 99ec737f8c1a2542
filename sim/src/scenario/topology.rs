//! One tenant's Protheus topology: every object its namespace holds when it is healthy.
//!
//! Both environments live in the tenant's one namespace (MISSION: "two environments on the same
//! topology"): each per-environment object carries `env=production|homologation` and a `-prd`/`-hml`
//! name suffix. The shared volume `volume` and the nightly `protheus-updater` CronJob (names fixed by
//! the runbooks: `kubectl -n c2a7dv edit cj protheus-updater`, `/volume/logs/UPDDISTR.LOG`) serve both
//! environments and carry no `env` label. Failures are applied afterwards by `default.rs`.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::files;
use super::{ago, Rng, MEMORY_MB, RUN_SECONDS};

pub(super) const REGISTRY: &str = "registry.example.local/protheus";
/// Minutes between the homologation and the production migration of one nightly run.
pub(super) const HML_LEAD_MINUTES: i64 = 10;
pub(super) const PART_OF: &str = "app.kubernetes.io/part-of";

/// One of the two environments every tenant runs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Env {
    /// Name suffix: `appserver-prd`.
    pub suffix: &'static str,
    /// Value of the `env` label.
    pub label: &'static str,
    /// Protheus environment name, as in the appserver.ini section and the UptimeRobot monitor.
    pub protheus: &'static str,
}

pub(super) const ENVS: [Env; 2] = [
    Env {
        suffix: "prd",
        label: "production",
        protheus: "producao",
    },
    Env {
        suffix: "hml",
        label: "homologation",
        protheus: "homologacao",
    },
];

/// What distinguishes one tenant from another in the default scenario.
#[derive(Debug, Clone)]
pub(super) struct Tenant {
    pub code: &'static str,
    pub display: &'static str,
    /// Namespace age in days.
    pub age_days: i64,
    /// Protheus release (image tag of appserver, rest, smartclient-html, upddistr).
    pub release: &'static str,
}

/// One long-running process of the topology.
struct Component {
    name: &'static str,
    port: u16,
    port_name: &'static str,
    http_probe: Option<&'static str>,
    replicas: u32,
    req: (&'static str, &'static str),
    lim: (&'static str, &'static str),
    /// Steady memory range in MiB; the tenant's seed picks a value in it.
    mem_mb: (u64, u64),
    /// Which ini ConfigMap the process reads, and where.
    ini: Option<(&'static str, &'static str)>,
    uses_volume: bool,
}

const APPSERVER_INI: Option<(&str, &str)> =
    Some(("appserver", "/protheus/bin/appserver/appserver.ini"));

#[rustfmt::skip]
const COMPONENTS: [Component; 6] = [
    Component { name: "appserver", port: 1234, port_name: "tcp", http_probe: None, replicas: 2,
        req: ("500m", "1Gi"), lim: ("2", "2Gi"), mem_mb: (900, 1400), ini: APPSERVER_INI, uses_volume: true },
    Component { name: "dbaccess", port: 7890, port_name: "dbaccess", http_probe: None, replicas: 1,
        req: ("250m", "512Mi"), lim: ("1", "1Gi"), mem_mb: (300, 520),
        ini: Some(("dbaccess", "/protheus/bin/dbaccess/dbaccess.ini")), uses_volume: true },
    Component { name: "lockserver", port: 2234, port_name: "lock", http_probe: None, replicas: 1,
        req: ("50m", "64Mi"), lim: ("200m", "128Mi"), mem_mb: (28, 52), ini: None, uses_volume: false },
    Component { name: "licenseserver", port: 5555, port_name: "license", http_probe: None, replicas: 1,
        req: ("50m", "128Mi"), lim: ("250m", "256Mi"), mem_mb: (70, 115), ini: None, uses_volume: false },
    Component { name: "smartclient-html", port: 8080, port_name: "http", http_probe: Some("/webapp/"),
        replicas: 1, req: ("100m", "256Mi"), lim: ("500m", "512Mi"), mem_mb: (140, 230),
        ini: APPSERVER_INI, uses_volume: false },
    Component { name: "rest", port: 8181, port_name: "http", http_probe: Some("/rest/healthcheck"),
        replicas: 1, req: ("250m", "512Mi"), lim: ("1", "1Gi"), mem_mb: (380, 610),
        ini: APPSERVER_INI, uses_volume: true },
];

/// Image of a Protheus process; binaries other than the RPO-bound ones have their own versioning.
pub(super) fn image(component: &str, release: &str) -> String {
    match component {
        "dbaccess" => format!("{REGISTRY}/dbaccess:24.1.0.3"),
        "licenseserver" => format!("{REGISTRY}/licenseserver:3.6.2"),
        "lockserver" => format!("{REGISTRY}/lockserver:20.3.2.6"),
        other => format!("{REGISTRY}/{other}:{release}"),
    }
}

fn labels(app: &str, env: Option<&Env>, tenant: &str) -> Value {
    let mut m = Map::new();
    m.insert("app".into(), json!(app));
    if let Some(e) = env {
        m.insert("env".into(), json!(e.label));
    }
    m.insert("tenant".into(), json!(tenant));
    m.insert(PART_OF.into(), json!("protheus"));
    Value::Object(m)
}

fn meta(name: &str, t: &Tenant, labels: Value, created: String) -> Value {
    json!({"name": name, "namespace": t.code, "labels": labels, "creationTimestamp": created})
}

fn volume_mount() -> Value {
    json!({"name": "volume", "mountPath": "/volume"})
}

fn volume() -> Value {
    json!({"name": "volume", "persistentVolumeClaim": {"claimName": "volume"}})
}

fn env_vars(t: &Tenant, e: &Env) -> Value {
    json!([
        {"name": "TENANT", "value": t.code},
        {"name": "ENVIRONMENT", "value": e.protheus},
        {"name": "TZ", "value": "America/Sao_Paulo"},
    ])
}

fn probe(c: &Component, initial_delay: u32) -> Value {
    let action = match c.http_probe {
        Some(path) => json!({"httpGet": {"path": path, "port": c.port_name, "scheme": "HTTP"}}),
        None => json!({"tcpSocket": {"port": c.port_name}}),
    };
    let mut p = action;
    if let Some(o) = p.as_object_mut() {
        o.insert("initialDelaySeconds".into(), json!(initial_delay));
        o.insert("periodSeconds".into(), json!(10));
        o.insert("timeoutSeconds".into(), json!(3));
        o.insert("failureThreshold".into(), json!(3));
    }
    p
}

/// Pod template of a long-running component; `mem_mb` feeds the metrics the simulator reports.
fn pod_template(c: &Component, t: &Tenant, e: &Env, mem_mb: u64) -> Value {
    let mut mounts = Vec::new();
    let mut volumes = Vec::new();
    if c.uses_volume {
        mounts.push(volume_mount());
        volumes.push(volume());
    }
    if let Some((cm, path)) = c.ini {
        let file = path.rsplit('/').next().unwrap_or(path);
        mounts.push(json!({"name": "ini", "mountPath": path, "subPath": file, "readOnly": true}));
        volumes
            .push(json!({"name": "ini", "configMap": {"name": format!("{cm}-ini-{}", e.suffix)}}));
    }
    let mut env = env_vars(t, e);
    if c.name == "dbaccess" {
        if let Some(list) = env.as_array_mut() {
            for key in ["DB_USER", "DB_PASSWORD"] {
                let from = json!({"secretKeyRef": {"name": format!("protheus-db-{}", e.suffix), "key": key}});
                list.push(json!({"name": key, "valueFrom": from}));
            }
        }
    }
    json!({
        "metadata": {
            "labels": labels(c.name, Some(e), t.code),
            "annotations": {MEMORY_MB: mem_mb.to_string()},
        },
        "spec": {
            "containers": [{
                "name": c.name,
                "image": image(c.name, t.release),
                "imagePullPolicy": "IfNotPresent",
                "ports": [{"name": c.port_name, "containerPort": c.port, "protocol": "TCP"}],
                "env": env,
                "resources": {
                    "requests": {"cpu": c.req.0, "memory": c.req.1},
                    "limits": {"cpu": c.lim.0, "memory": c.lim.1},
                },
                "readinessProbe": probe(c, 10),
                "livenessProbe": probe(c, 60),
                "volumeMounts": mounts,
            }],
            "volumes": volumes,
            "terminationGracePeriodSeconds": 30,
        },
    })
}

fn workload(c: &Component, t: &Tenant, e: &Env, created: String, rng: &mut Rng) -> Value {
    let name = format!("{}-{}", c.name, e.suffix);
    let mem = c.mem_mb.0 + rng.below(c.mem_mb.1 - c.mem_mb.0 + 1);
    let selector = json!({"matchLabels": {"app": c.name, "env": e.label}});
    let template = pod_template(c, t, e, mem);
    if c.name == "dbaccess" {
        // The database gateway keeps its own data (restores happen there), hence a StatefulSet with a claim.
        return json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": meta(&name, t, labels(c.name, Some(e), t.code), created),
            "spec": {
                "replicas": c.replicas, "serviceName": name, "selector": selector, "template": template,
                "volumeClaimTemplates": [{
                    "metadata": {"name": "data"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gp3",
                             "resources": {"requests": {"storage": "20Gi"}}},
                }],
            },
        });
    }
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": meta(&name, t, labels(c.name, Some(e), t.code), created),
        "spec": {
            "replicas": c.replicas, "revisionHistoryLimit": 3, "selector": selector, "template": template,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
        },
    })
}

fn service(c: &Component, t: &Tenant, e: &Env, created: String) -> Value {
    let name = format!("{}-{}", c.name, e.suffix);
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": meta(&name, t, labels(c.name, Some(e), t.code), created),
        "spec": {
            "type": "ClusterIP",
            "selector": {"app": c.name, "env": e.label},
            "ports": [{"name": c.port_name, "port": c.port, "targetPort": c.port_name, "protocol": "TCP"}],
        },
    })
}

/// The migration Job the updater launches per environment; it runs `init-upddistr` against the volume.
pub(super) fn upddistr_job(t: &Tenant, e: &Env, created: String) -> Value {
    let name = format!("upddistr-{}", e.suffix);
    json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": meta(&name, t, labels("upddistr", Some(e), t.code), created),
        "spec": {
            "backoffLimit": 2,
            "template": {
                "metadata": {
                    "labels": labels("upddistr", Some(e), t.code),
                    "annotations": {super::BEHAVIOR: "complete", RUN_SECONDS: "20", MEMORY_MB: "310"},
                },
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{
                        "name": "upddistr",
                        "image": image("upddistr", t.release),
                        "command": ["/usr/local/bin/init-upddistr"],
                        "env": env_vars(t, e),
                        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"},
                                      "limits": {"cpu": "2", "memory": "1Gi"}},
                        "volumeMounts": [volume_mount()],
                    }],
                    "volumes": [volume()],
                },
            },
        },
    })
}

fn updater_cronjob(t: &Tenant, created: String) -> Value {
    // The runbook pauses updates by editing this command ("add a sleeper"), so keep it a readable shell line.
    let script = "set -e\nexec /usr/local/bin/protheus-updater --tenant \"$TENANT\" \
                  --desired-version \"$UPDATE_DESIRED_VERSION\" --environments homologacao,producao";
    json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": meta("protheus-updater", t, labels("protheus-updater", None, t.code), created),
        "spec": {
            "schedule": "0 3 * * *",
            "timeZone": "America/Sao_Paulo",
            "concurrencyPolicy": "Forbid",
            "suspend": false,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1,
            "jobTemplate": {"spec": {
                "backoffLimit": 0,
                "template": {
                    "metadata": {
                        "labels": labels("protheus-updater", None, t.code),
                        "annotations": {super::BEHAVIOR: "complete", RUN_SECONDS: "45", MEMORY_MB: "180"},
                    },
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [{
                            "name": "updater",
                            "image": format!("{REGISTRY}/updater:2.8.1"),
                            "command": ["/bin/sh", "-c", script],
                            "env": [{"name": "TENANT", "value": t.code},
                                    {"name": "UPDATE_DESIRED_VERSION", "value": t.release}],
                            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                                          "limits": {"cpu": "1", "memory": "512Mi"}},
                            "volumeMounts": [volume_mount()],
                        }],
                        "volumes": [volume()],
                    },
                },
            }},
        },
    })
}

fn config_maps(t: &Tenant, e: &Env, created: &str) -> [Value; 2] {
    let cm = |name: String, app: &str, key: &str, body: String| {
        json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": meta(&name, t, labels(app, Some(e), t.code), created.to_string()),
            "data": {key: body},
        })
    };
    [
        cm(
            format!("appserver-ini-{}", e.suffix),
            "appserver",
            "appserver.ini",
            files::appserver_ini(e),
        ),
        cm(
            format!("dbaccess-ini-{}", e.suffix),
            "dbaccess",
            "dbaccess.ini",
            files::dbaccess_ini(e),
        ),
    ]
}

fn secret(t: &Tenant, e: &Env, created: String, rng: &mut Rng) -> Value {
    let user = format!("protheus_{}", e.suffix);
    let password = rng.hex(20);
    json!({
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": meta(&format!("protheus-db-{}", e.suffix), t, labels("dbaccess", Some(e), t.code), created),
        "data": {"DB_USER": STANDARD.encode(user), "DB_PASSWORD": STANDARD.encode(password)},
    })
}

/// Every object of a healthy tenant, in the order a chart would create them (storage and config
/// before the workloads that mount them). `seed` makes each tenant's memory figures differ;
/// `last_run` is how many minutes ago the production migration Job was created.
pub(super) fn tenant_objects(
    t: &Tenant,
    now: DateTime<Utc>,
    seed: u64,
    last_run: i64,
) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    let born = t.age_days * super::DAY;
    let at = |minutes_after: i64| ago(now, born - minutes_after);
    let mut out = vec![json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": meta("volume", t, labels("volume", None, t.code), at(1)),
        "spec": {"accessModes": ["ReadWriteMany"], "storageClassName": "efs-sc",
                 "resources": {"requests": {"storage": "50Gi"}}},
    })];
    for e in &ENVS {
        out.extend(config_maps(t, e, &at(2)));
        out.push(secret(t, e, at(2), &mut rng));
    }
    for e in &ENVS {
        out.extend(COMPONENTS.iter().map(|c| service(c, t, e, at(3))));
    }
    for e in &ENVS {
        for c in &COMPONENTS {
            out.push(workload(c, t, e, at(4), &mut rng));
        }
    }
    out.push(updater_cronjob(t, at(5)));
    // Homologation is migrated first, production after it: the last run of the nightly updater.
    out.push(upddistr_job(
        t,
        &ENVS[1],
        ago(now, last_run + HML_LEAD_MINUTES),
    ));
    out.push(upddistr_job(t, &ENVS[0], ago(now, last_run)));
    out
}
