//! Defaults the API server fills in on create, and the pod update rule.

use crate::error::ApiError;
use crate::resources::ResourceDef;
use serde_json::{json, Value};

/// Fill the fields a real API server defaults, so clients see what they would see.
pub fn on_create(def: &ResourceDef, obj: &mut Value) {
    let uid = obj["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match def.kind {
        "Namespace" => {
            let name = obj["metadata"]["name"].clone();
            obj["metadata"]["labels"]["kubernetes.io/metadata.name"] = name;
            obj["spec"] = json!({"finalizers": ["kubernetes"]});
            obj["status"] = json!({"phase": "Active"});
        }
        "Pod" => {
            pod_spec(&mut obj["spec"]);
            if !obj["status"].is_object() || obj["status"]["phase"].is_null() {
                obj["status"] = json!({"phase": "Pending", "qosClass": qos_class(&obj["spec"])});
            }
        }
        "Service" => service(obj, &uid),
        "Deployment" => {
            generation(obj);
            default(&mut obj["spec"], "replicas", json!(1));
            default(&mut obj["spec"], "revisionHistoryLimit", json!(10));
            default(&mut obj["spec"], "progressDeadlineSeconds", json!(600));
            default(
                &mut obj["spec"],
                "strategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}),
            );
            pod_spec(&mut obj["spec"]["template"]["spec"]);
            default(obj, "status", json!({}));
        }
        "ReplicaSet" | "StatefulSet" => {
            generation(obj);
            default(&mut obj["spec"], "replicas", json!(1));
            pod_spec(&mut obj["spec"]["template"]["spec"]);
            if def.kind == "StatefulSet" {
                default(
                    &mut obj["spec"],
                    "podManagementPolicy",
                    json!("OrderedReady"),
                );
                default(
                    &mut obj["spec"],
                    "updateStrategy",
                    json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
                );
            }
            default(obj, "status", json!({"replicas": 0}));
        }
        "DaemonSet" => {
            generation(obj);
            pod_spec(&mut obj["spec"]["template"]["spec"]);
            default(
                obj,
                "status",
                json!({"currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0}),
            );
        }
        "Job" => job(obj, &uid),
        "CronJob" => {
            generation(obj);
            let spec = &mut obj["spec"];
            default(spec, "concurrencyPolicy", json!("Allow"));
            default(spec, "suspend", json!(false));
            default(spec, "successfulJobsHistoryLimit", json!(3));
            default(spec, "failedJobsHistoryLimit", json!(1));
            pod_spec(&mut spec["jobTemplate"]["spec"]["template"]["spec"]);
            default(obj, "status", json!({}));
        }
        "PersistentVolumeClaim" => {
            let storage = obj["spec"]["resources"]["requests"]["storage"].clone();
            default(&mut obj["spec"], "volumeMode", json!("Filesystem"));
            default(&mut obj["spec"], "volumeName", json!(format!("pvc-{uid}")));
            default(&mut obj["spec"], "storageClassName", json!("standard"));
            let modes = obj["spec"]["accessModes"].clone();
            obj["status"] =
                json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}});
        }
        "Secret" => default(obj, "type", json!("Opaque")),
        "PodDisruptionBudget" => generation(obj),
        _ => {}
    }
}

fn generation(obj: &mut Value) {
    obj["metadata"]["generation"] = json!(1);
}

/// Set `obj[field]` unless it is already there.
fn default(obj: &mut Value, field: &str, v: Value) {
    if obj.get(field).is_none_or(Value::is_null) {
        obj[field] = v;
    }
}

fn pod_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    default(spec, "restartPolicy", json!("Always"));
    default(spec, "dnsPolicy", json!("ClusterFirst"));
    default(spec, "schedulerName", json!("default-scheduler"));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    default(spec, "serviceAccountName", json!("default"));
    default(spec, "serviceAccount", json!("default"));
    default(spec, "securityContext", json!({}));
    default(spec, "enableServiceLinks", json!(true));
    default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
    default(spec, "priority", json!(0));
    for list in ["initContainers", "containers"] {
        if let Some(cs) = spec[list].as_array_mut() {
            for c in cs {
                let latest = c["image"]
                    .as_str()
                    .is_some_and(|i| i.ends_with(":latest") || !i.contains(':'));
                default(
                    c,
                    "imagePullPolicy",
                    json!(if latest { "Always" } else { "IfNotPresent" }),
                );
                default(c, "terminationMessagePath", json!("/dev/termination-log"));
                default(c, "terminationMessagePolicy", json!("File"));
                default(c, "resources", json!({}));
                if let Some(ports) = c["ports"].as_array_mut() {
                    for p in ports {
                        default(p, "protocol", json!("TCP"));
                    }
                }
            }
        }
    }
}

/// Guaranteed, Burstable or BestEffort from the containers' requests and limits.
pub fn qos_class(spec: &Value) -> &'static str {
    let cs = spec["containers"].as_array().cloned().unwrap_or_default();
    let any = cs.iter().any(|c| {
        c["resources"]["requests"]
            .as_object()
            .is_some_and(|m| !m.is_empty())
            || c["resources"]["limits"]
                .as_object()
                .is_some_and(|m| !m.is_empty())
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = cs.iter().all(|c| {
        let l = &c["resources"]["limits"];
        let r = &c["resources"]["requests"];
        ["cpu", "memory"]
            .iter()
            .all(|k| l[k].is_string() && (r[k].is_null() || r[k] == l[k]))
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn service(obj: &mut Value, uid: &str) {
    let spec = &mut obj["spec"];
    default(spec, "type", json!("ClusterIP"));
    default(spec, "sessionAffinity", json!("None"));
    default(spec, "ipFamilies", json!(["IPv4"]));
    default(spec, "ipFamilyPolicy", json!("SingleStack"));
    default(spec, "internalTrafficPolicy", json!("Cluster"));
    if spec["clusterIP"].is_null() {
        let b = uid.as_bytes();
        let ip = format!(
            "10.96.{}.{}",
            b.first().copied().unwrap_or(1) % 250,
            b.get(1).copied().unwrap_or(1) % 250 + 2
        );
        spec["clusterIP"] = json!(ip);
        spec["clusterIPs"] = json!([ip]);
    }
    let node_port = spec["type"] == "NodePort" || spec["type"] == "LoadBalancer";
    if let Some(ports) = spec["ports"].as_array_mut() {
        for (i, p) in ports.iter_mut().enumerate() {
            default(p, "protocol", json!("TCP"));
            let port = p["port"].clone();
            default(p, "targetPort", port);
            if node_port {
                default(
                    p,
                    "nodePort",
                    json!(30000 + (uid.len() * 131 + i * 7) % 2767),
                );
            }
        }
    }
    default(obj, "status", json!({"loadBalancer": {}}));
}

fn job(obj: &mut Value, uid: &str) {
    generation(obj);
    let manual = obj["spec"]["manualSelector"] == true;
    let spec = &mut obj["spec"];
    default(spec, "backoffLimit", json!(6));
    default(spec, "completions", json!(1));
    default(spec, "parallelism", json!(1));
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    default(spec, "podReplacementPolicy", json!("TerminatingOrFailed"));
    if !manual {
        spec["selector"] = json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}});
        let name = obj["metadata"]["name"].clone();
        let labels = &mut obj["spec"]["template"]["metadata"]["labels"];
        labels["batch.kubernetes.io/controller-uid"] = json!(uid);
        labels["controller-uid"] = json!(uid);
        labels["batch.kubernetes.io/job-name"] = name.clone();
        labels["job-name"] = name;
    }
    pod_spec(&mut obj["spec"]["template"]["spec"]);
    default(obj, "status", json!({}));
}

/// Pods are immutable but for images and a few fields: refuse other spec changes with the real message.
pub fn check_pod_update(cur: &Value, next: &Value) -> Result<(), ApiError> {
    let strip = |v: &Value| {
        let mut s = v["spec"].clone();
        for list in ["containers", "initContainers"] {
            if let Some(cs) = s[list].as_array_mut() {
                for c in cs {
                    c["image"] = Value::Null;
                }
            }
        }
        s["activeDeadlineSeconds"] = Value::Null;
        s["tolerations"] = Value::Null;
        s
    };
    if strip(cur) == strip(next) {
        return Ok(());
    }
    let name = cur["metadata"]["name"].as_str().unwrap_or_default();
    Err(ApiError::invalid(
        "Pod",
        "",
        name,
        "spec",
        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ))
}
