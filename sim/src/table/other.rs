//! Rows of storage, policy, networking, RBAC, coordination and scheduling objects.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::core::load_balancer_points;
use super::util::{access_modes, age, arr_at, format_selector, get, int_at, int_or_string, str_at};

fn name(obj: &Value) -> Value {
    json!(str_at(obj, &["metadata", "name"]))
}

fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    get(obj, &["metadata", "annotations", key]).and_then(Value::as_str)
}

/// A storage quantity's string; a missing quantity is the zero Quantity, "0".
fn storage_quantity(obj: &Value, path: &[&str]) -> String {
    match get(obj, path) {
        Some(Value::String(q)) => q.clone(),
        Some(other) => other.to_string(),
        None => "0".to_string(),
    }
}

/// PHASE, shown as "Terminating" once deletion has begun.
fn phase_or_terminating(obj: &Value) -> String {
    if get(obj, &["metadata", "deletionTimestamp"]).is_some() {
        "Terminating".to_string()
    } else {
        str_at(obj, &["status", "phase"]).to_string()
    }
}

/// An optional string field shown as "<unset>" when nil.
fn unset_if_missing(obj: &Value, path: &[&str]) -> String {
    get(obj, path)
        .and_then(Value::as_str)
        .unwrap_or("<unset>")
        .to_string()
}

/// The storage class of a claim or volume: the beta annotation wins over the field.
fn storage_class(obj: &Value) -> String {
    annotation(obj, "volume.beta.kubernetes.io/storage-class")
        .unwrap_or_else(|| str_at(obj, &["spec", "storageClassName"]))
        .to_string()
}

pub(crate) fn pvc(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    // Capacity and access modes are only shown once the claim is bound to a volume.
    let bound = !str_at(obj, &["spec", "volumeName"]).is_empty();
    let (capacity, modes) = if bound {
        (
            storage_quantity(obj, &["status", "capacity", "storage"]),
            access_modes(arr_at(obj, &["status", "accessModes"])),
        )
    } else {
        (String::new(), String::new())
    };
    vec![
        name(obj),
        json!(phase_or_terminating(obj)),
        json!(str_at(obj, &["spec", "volumeName"])),
        json!(capacity),
        json!(modes),
        json!(storage_class(obj)),
        json!(unset_if_missing(
            obj,
            &["spec", "volumeAttributesClassName"]
        )),
        json!(age(obj, now)),
        json!(unset_if_missing(obj, &["spec", "volumeMode"])),
    ]
}

pub(crate) fn pv(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let claim = match get(obj, &["spec", "claimRef"]) {
        Some(c) => format!("{}/{}", str_at(c, &["namespace"]), str_at(c, &["name"])),
        None => String::new(),
    };
    vec![
        name(obj),
        json!(storage_quantity(obj, &["spec", "capacity", "storage"])),
        json!(access_modes(arr_at(obj, &["spec", "accessModes"]))),
        json!(str_at(obj, &["spec", "persistentVolumeReclaimPolicy"])),
        json!(phase_or_terminating(obj)),
        json!(claim),
        json!(storage_class(obj)),
        json!(unset_if_missing(
            obj,
            &["spec", "volumeAttributesClassName"]
        )),
        json!(str_at(obj, &["status", "reason"])),
        json!(age(obj, now)),
        json!(unset_if_missing(obj, &["spec", "volumeMode"])),
    ]
}

pub(crate) fn pdb(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let bound = |field: &str| get(obj, &["spec", field]).map_or("N/A".to_string(), int_or_string);
    vec![
        name(obj),
        json!(bound("minAvailable")),
        json!(bound("maxUnavailable")),
        json!(int_at(obj, &["status", "disruptionsAllowed"])),
        json!(age(obj, now)),
    ]
}

/// `formatHosts`: up to three hosts, "*" when no rule names one.
fn ingress_hosts(rules: &[Value]) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX {
            more = true;
        }
        let host = str_at(rule, &["host"]);
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", rules.len().saturating_sub(MAX))
    } else {
        joined
    }
}

pub(crate) fn ingress(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let class = get(obj, &["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let address =
        load_balancer_points(arr_at(obj, &["status", "loadBalancer", "ingress"])).join(",");
    let ports = if arr_at(obj, &["spec", "tls"]).is_empty() {
        "80"
    } else {
        "80, 443"
    };
    vec![
        name(obj),
        json!(class),
        json!(ingress_hosts(arr_at(obj, &["spec", "rules"]))),
        json!(address),
        json!(ports),
        json!(age(obj, now)),
    ]
}

pub(crate) fn ingressclass(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let parameters = match get(obj, &["spec", "parameters"]) {
        Some(p) => {
            let mut s = str_at(p, &["kind"]).to_string();
            if let Some(group) = get(p, &["apiGroup"]).and_then(Value::as_str) {
                s = format!("{s}.{group}");
            }
            format!("{s}/{}", str_at(p, &["name"]))
        }
        None => "<none>".to_string(),
    };
    vec![
        name(obj),
        json!(str_at(obj, &["spec", "controller"])),
        json!(parameters),
        json!(age(obj, now)),
    ]
}

/// Role bindings and cluster role bindings share one layout.
pub(crate) fn rolebinding(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for subject in arr_at(obj, &["subjects"]) {
        let subject_name = str_at(subject, &["name"]).to_string();
        match str_at(subject, &["kind"]) {
            "ServiceAccount" => sas.push(format!(
                "{}/{subject_name}",
                str_at(subject, &["namespace"])
            )),
            "User" => users.push(subject_name),
            "Group" => groups.push(subject_name),
            _ => {}
        }
    }
    vec![
        name(obj),
        json!(format!(
            "{}/{}",
            str_at(obj, &["roleRef", "kind"]),
            str_at(obj, &["roleRef", "name"])
        )),
        json!(age(obj, now)),
        json!(users.join(", ")),
        json!(groups.join(", ")),
        json!(sas.join(", ")),
    ]
}

pub(crate) fn storageclass(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let is_default = |key: &str| annotation(obj, key) == Some("true");
    let mut display = str_at(obj, &["metadata", "name"]).to_string();
    if is_default("storageclass.kubernetes.io/is-default-class")
        || is_default("storageclass.beta.kubernetes.io/is-default-class")
    {
        display.push_str(" (default)");
    }
    let or = |field: &str, default: &'static str| match get(obj, &[field]).and_then(Value::as_str) {
        Some(v) => v.to_string(),
        None => default.to_string(),
    };
    vec![
        json!(display),
        json!(str_at(obj, &["provisioner"])),
        json!(or("reclaimPolicy", "Delete")),
        json!(or("volumeBindingMode", "Immediate")),
        json!(get(obj, &["allowVolumeExpansion"])
            .and_then(Value::as_bool)
            .unwrap_or(false)),
        json!(age(obj, now)),
    ]
}

pub(crate) fn lease(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(str_at(obj, &["spec", "holderIdentity"])),
        json!(age(obj, now)),
    ]
}

pub(crate) fn priorityclass(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(int_at(obj, &["value"])),
        json!(get(obj, &["globalDefault"])
            .and_then(Value::as_bool)
            .unwrap_or(false)),
        json!(age(obj, now)),
        json!(str_at(obj, &["preemptionPolicy"])),
    ]
}

pub(crate) fn networkpolicy(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(format_selector(get(obj, &["spec", "podSelector"]))),
        json!(age(obj, now)),
    ]
}

/// CONTROLLER: "statefulset.apps/web" from the controlling owner reference.
pub(crate) fn controllerrevision(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let owner = arr_at(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|o| get(o, &["controller"]).and_then(Value::as_bool) == Some(true));
    let controller = match owner {
        Some(o) => {
            let kind = str_at(o, &["kind"]);
            let group = str_at(o, &["apiVersion"])
                .rsplit_once('/')
                .map_or("", |(g, _)| g);
            let group_kind = if group.is_empty() {
                kind.to_string()
            } else {
                format!("{kind}.{group}")
            };
            if group_kind.is_empty() {
                str_at(o, &["name"]).to_string()
            } else {
                format!("{}/{}", group_kind.to_lowercase(), str_at(o, &["name"]))
            }
        }
        None => "<none>".to_string(),
    };
    vec![
        name(obj),
        json!(controller),
        json!(int_at(obj, &["revision"])),
        json!(age(obj, now)),
    ]
}
