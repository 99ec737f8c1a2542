//! Rows of core/v1 objects and their close relatives: services, endpoints,
//! endpoint slices, events, namespaces, nodes, config maps, secrets and service accounts.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::util::{
    age, age_of, arr_at, format_labels, get, int_at, join_host_port, list_with_more, map_len,
    str_at, time_at,
};

fn name(obj: &Value) -> Value {
    json!(str_at(obj, &["metadata", "name"]))
}

/// The service type, which the server defaults to ClusterIP.
fn service_type(svc: &Value) -> &str {
    match str_at(svc, &["spec", "type"]) {
        "" => "ClusterIP",
        t => t,
    }
}

/// The first cluster IP. The server converts v1 `clusterIP` into the first of `clusterIPs`.
fn cluster_ip(svc: &Value) -> String {
    let ip = str_at(svc, &["spec", "clusterIP"]);
    let ip = if ip.is_empty() {
        arr_at(svc, &["spec", "clusterIPs"])
            .first()
            .and_then(Value::as_str)
            .unwrap_or("")
    } else {
        ip
    };
    if ip.is_empty() {
        "<none>".to_string()
    } else {
        ip.to_string()
    }
}

/// Load balancer ingress points (IP, else hostname), sorted and deduplicated.
/// The server prints tables as "wide", so the 16-character clipping never applies.
pub(crate) fn load_balancer_points(lb_ingress: &[Value]) -> Vec<String> {
    let mut points: Vec<String> = lb_ingress
        .iter()
        .filter_map(|i| {
            let ip = str_at(i, &["ip"]);
            let host = str_at(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip.to_string())
            } else if !host.is_empty() {
                Some(host.to_string())
            } else {
                None
            }
        })
        .collect();
    points.sort();
    points.dedup();
    points
}

/// `getServiceExternalIP`.
fn external_ip(svc: &Value) -> String {
    let external: Vec<String> = arr_at(svc, &["spec", "externalIPs"])
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    match service_type(svc) {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".to_string()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let mut all = load_balancer_points(arr_at(svc, &["status", "loadBalancer", "ingress"]));
            if all.is_empty() && external.is_empty() {
                return "<pending>".to_string();
            }
            all.extend(external);
            all.join(",")
        }
        "ExternalName" => str_at(svc, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// `makePortString`: "80/TCP,443:30443/TCP".
fn service_ports(svc: &Value) -> String {
    let pieces: Vec<String> = arr_at(svc, &["spec", "ports"])
        .iter()
        .map(|p| {
            let port = int_at(p, &["port"]);
            // The server defaults a port's protocol to TCP.
            let proto = match str_at(p, &["protocol"]) {
                "" => "TCP",
                proto => proto,
            };
            let node_port = int_at(p, &["nodePort"]);
            if node_port > 0 {
                format!("{port}:{node_port}/{proto}")
            } else {
                format!("{port}/{proto}")
            }
        })
        .collect();
    if pieces.is_empty() {
        "<none>".to_string()
    } else {
        pieces.join(",")
    }
}

pub(crate) fn service(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(service_type(obj)),
        json!(cluster_ip(obj)),
        json!(external_ip(obj)),
        json!(service_ports(obj)),
        json!(age(obj, now)),
        json!(format_labels(get(obj, &["spec", "selector"]))),
    ]
}

/// `formatEndpoints`: up to three "ip:port" entries, then " + N more...".
fn format_endpoints(obj: &Value) -> String {
    let subsets = arr_at(obj, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    for subset in subsets {
        let addresses = arr_at(subset, &["addresses"]);
        let ports = arr_at(subset, &["ports"]);
        if ports.is_empty() {
            // Headless services may have no ports: list bare IPs.
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    break;
                }
                list.push(str_at(a, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    break;
                }
                list.push(join_host_port(str_at(a, &["ip"]), int_at(port, &["port"])));
            }
        }
    }
    let joined = list.join(",");
    if count > MAX {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

pub(crate) fn endpoints(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(format_endpoints(obj)),
        json!(age(obj, now)),
    ]
}

pub(crate) fn endpointslice(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let ports = arr_at(obj, &["ports"]);
    let port_list: Vec<String> = ports
        .iter()
        .map(|p| match get(p, &["port"]).and_then(Value::as_i64) {
            Some(n) => n.to_string(),
            None => match get(p, &["name"]).and_then(Value::as_str) {
                Some(n) => n.to_string(),
                None => "*".to_string(),
            },
        })
        .collect();
    let addresses: Vec<String> = arr_at(obj, &["endpoints"])
        .iter()
        .flat_map(|e| arr_at(e, &["addresses"]))
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    vec![
        name(obj),
        json!(str_at(obj, &["addressType"])),
        json!(list_with_more(&port_list, ports.len(), 3)),
        json!(list_with_more(&addresses, addresses.len(), 3)),
        json!(age(obj, now)),
    ]
}

/// `formatEventSource`: "component, host", falling back to the reporting fields.
fn event_source(ev: &Value) -> String {
    let first = |a: &str, b: &str| -> String {
        let v = str_at(ev, &["source", a]);
        if v.is_empty() {
            str_at(ev, &[b]).to_string()
        } else {
            v.to_string()
        }
    };
    let component = first("component", "reportingComponent");
    let host = first("host", "reportingInstance");
    if host.is_empty() {
        component
    } else {
        format!("{component}, {host}")
    }
}

pub(crate) fn event(ev: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let first_seen = match time_at(ev, &["firstTimestamp"]) {
        Some(t) => age_of(Some(t), now),
        None => age_of(time_at(ev, &["eventTime"]), now),
    };
    let mut last_seen = match time_at(ev, &["lastTimestamp"]) {
        Some(t) => age_of(Some(t), now),
        None => first_seen.clone(),
    };
    let mut count = int_at(ev, &["count"]);
    if let Some(series) = get(ev, &["series"]) {
        last_seen = age_of(time_at(series, &["lastObservedTime"]), now);
        count = int_at(series, &["count"]);
    } else if count == 0 {
        // Singleton events of the events.k8s.io API carry no count.
        count = 1;
    }
    let kind = str_at(ev, &["involvedObject", "kind"]).to_lowercase();
    let target_name = str_at(ev, &["involvedObject", "name"]);
    let target = if target_name.is_empty() {
        kind
    } else {
        format!("{kind}/{target_name}")
    };
    vec![
        json!(last_seen),
        json!(str_at(ev, &["type"])),
        json!(str_at(ev, &["reason"])),
        json!(target),
        json!(str_at(ev, &["involvedObject", "fieldPath"])),
        json!(event_source(ev)),
        json!(str_at(ev, &["message"]).trim()),
        json!(first_seen),
        json!(count),
        name(ev),
    ]
}

pub(crate) fn namespace(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(str_at(obj, &["status", "phase"])),
        json!(age(obj, now)),
    ]
}

/// Node STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned.
pub(crate) fn node_status(node: &Value) -> String {
    let ready = arr_at(node, &["status", "conditions"])
        .iter()
        .rev() // the printer keeps the last condition of a type
        .find(|c| str_at(c, &["type"]) == "Ready");
    let mut status = vec![match ready {
        Some(c) if str_at(c, &["status"]) == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if get(node, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true) {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// Node ROLES from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels.
fn node_roles(node: &Value) -> String {
    let mut roles: Vec<String> = get(node, &["metadata", "labels"])
        .and_then(Value::as_object)
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(k, v)| {
                    if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                        (!role.is_empty()).then(|| role.to_string())
                    } else if k == "kubernetes.io/role" {
                        v.as_str().filter(|r| !r.is_empty()).map(str::to_string)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn node_address(node: &Value, kind: &str) -> String {
    arr_at(node, &["status", "addresses"])
        .iter()
        .find(|a| str_at(a, &["type"]) == kind)
        .map_or("<none>".to_string(), |a| {
            str_at(a, &["address"]).to_string()
        })
}

pub(crate) fn node(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let info = |field: &str| match str_at(obj, &["status", "nodeInfo", field]) {
        "" => "<unknown>".to_string(),
        v => v.to_string(),
    };
    vec![
        name(obj),
        json!(node_status(obj)),
        json!(node_roles(obj)),
        json!(age(obj, now)),
        json!(str_at(obj, &["status", "nodeInfo", "kubeletVersion"])),
        json!(node_address(obj, "InternalIP")),
        json!(node_address(obj, "ExternalIP")),
        json!(info("osImage")),
        json!(info("kernelVersion")),
        json!(info("containerRuntimeVersion")),
    ]
}

pub(crate) fn configmap(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(map_len(obj, &["data"]) + map_len(obj, &["binaryData"])),
        json!(age(obj, now)),
    ]
}

pub(crate) fn secret(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(str_at(obj, &["type"])),
        json!(map_len(obj, &["data"])),
        json!(age(obj, now)),
    ]
}

pub(crate) fn serviceaccount(obj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        name(obj),
        json!(i64::try_from(arr_at(obj, &["secrets"]).len()).unwrap_or(0)),
        json!(age(obj, now)),
    ]
}
