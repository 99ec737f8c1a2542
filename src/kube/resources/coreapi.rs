//! core/v1 kinds besides pods: Services, Events, Namespaces and Nodes, with kubectl's cells
//! (`printService`, `printEvent`, `printNamespace`, `printNode`).

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Service};
use serde::Deserialize;

use super::wire::{identity, slim, Condition, Wire, WireMeta};
use super::{Cell, Drill, Health, ResourceRow};
use crate::kube::selector::{LabelSelector, Labels};

/// `spec` of a Service.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceSpec {
    #[serde(rename = "type")]
    type_: Option<String>,
    #[serde(rename = "clusterIP")]
    cluster_ip: Option<String>,
    #[serde(rename = "clusterIPs")]
    cluster_ips: Option<Vec<String>>,
    #[serde(rename = "externalIPs")]
    external_ips: Option<Vec<String>>,
    external_name: Option<String>,
    ports: Option<Vec<ServicePort>>,
    selector: Labels,
}

/// One port of a Service.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ServicePort {
    port: i64,
    node_port: Option<i64>,
    protocol: Option<String>,
}

/// `status` of a Service.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceStatus {
    load_balancer: Option<LoadBalancer>,
}

/// `status.loadBalancer`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoadBalancer {
    ingress: Option<Vec<LoadBalancerIngress>>,
}

/// One load balancer ingress point.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoadBalancerIngress {
    ip: Option<String>,
    hostname: Option<String>,
}

type ServiceWire = Wire<ServiceSpec, ServiceStatus>;

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// `getServiceExternalIP`: load balancer points and external IPs, `<pending>` while waiting.
fn external_ip(w: &ServiceWire, kind: &str) -> String {
    let external = w.spec.external_ips.clone().unwrap_or_default();
    match kind {
        "ClusterIP" | "NodePort" if external.is_empty() => "<none>".into(),
        "ClusterIP" | "NodePort" => external.join(","),
        "LoadBalancer" => {
            let ingress = w
                .status
                .load_balancer
                .as_ref()
                .and_then(|lb| lb.ingress.as_deref())
                .unwrap_or_default();
            let mut points: Vec<String> = ingress
                .iter()
                .filter_map(|i| non_empty(&i.ip).or(non_empty(&i.hostname)))
                .map(str::to_string)
                .collect();
            points.sort();
            points.dedup();
            if points.is_empty() && external.is_empty() {
                return "<pending>".into();
            }
            points.extend(external);
            points.join(",")
        }
        "ExternalName" => w.spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    }
}

/// A Service's row: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE.
pub fn service_row(w: &ServiceWire) -> ResourceRow {
    let kind = non_empty(&w.spec.type_).unwrap_or("ClusterIP");
    let cluster_ip = non_empty(&w.spec.cluster_ip)
        .or_else(|| w.spec.cluster_ips.as_ref()?.first().map(String::as_str))
        .filter(|ip| !ip.is_empty())
        .unwrap_or("<none>");
    let ports: Vec<String> = w
        .spec
        .ports
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let proto = non_empty(&p.protocol).unwrap_or("TCP");
            match p.node_port.filter(|n| *n > 0) {
                Some(node_port) => format!("{}:{node_port}/{proto}", p.port),
                None => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    let external = external_ip(w, kind);
    let health = if external == "<pending>" {
        Health::Warning
    } else {
        Health::Ok
    };
    let drill = if w.spec.selector.is_empty() {
        Drill::NoSelector
    } else {
        Drill::Pods(LabelSelector::from_pairs(w.spec.selector.iter()))
    };
    ResourceRow {
        cells: vec![
            Cell::Name,
            Cell::Text(kind.to_string()),
            Cell::Text(cluster_ip.to_string()),
            Cell::Text(external),
            Cell::Text(if ports.is_empty() {
                "<none>".into()
            } else {
                ports.join(",")
            }),
            Cell::Since(w.metadata.creation_timestamp),
        ],
        health,
        drill,
        ..identity(&w.metadata)
    }
}

/// A core/v1 Event.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct EventWire {
    metadata: WireMeta,
    #[serde(rename = "type")]
    type_: Option<String>,
    reason: Option<String>,
    message: Option<String>,
    involved_object: InvolvedObject,
    first_timestamp: Option<DateTime<Utc>>,
    last_timestamp: Option<DateTime<Utc>>,
    event_time: Option<DateTime<Utc>>,
    series: Option<EventSeries>,
    count: Option<u32>,
}

/// What an event is about.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InvolvedObject {
    kind: Option<String>,
    name: Option<String>,
}

/// A repeated event's series.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct EventSeries {
    last_observed_time: Option<DateTime<Utc>>,
    count: Option<u32>,
}

/// An Event's row: LAST SEEN TYPE REASON OBJECT MESSAGE.
pub fn event_row(w: &EventWire) -> ResourceRow {
    let first_seen = w.first_timestamp.or(w.event_time);
    let last_seen = match &w.series {
        Some(series) => series.last_observed_time,
        None => w.last_timestamp.or(first_seen),
    };
    let kind = w.involved_object.kind.as_deref().unwrap_or("");
    let object = match w.involved_object.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("{}/{name}", kind.to_lowercase()),
        None => kind.to_lowercase(),
    };
    let type_ = w.type_.clone().unwrap_or_default();
    // One line per row: a multi-line message would be cut at its first line break.
    let message = w
        .message
        .as_deref()
        .unwrap_or("")
        .trim()
        .replace(['\n', '\r'], " ");
    ResourceRow {
        cells: vec![
            Cell::Since(last_seen),
            Cell::Text(type_.clone()),
            Cell::Text(w.reason.clone().unwrap_or_default()),
            Cell::Text(object),
            Cell::Text(message),
        ],
        health: if type_ == "Warning" {
            Health::Warning
        } else {
            Health::Ok
        },
        recent: last_seen,
        count: w
            .series
            .as_ref()
            .and_then(|s| s.count)
            .or(w.count)
            .unwrap_or(1)
            .max(1),
        ..identity(&w.metadata)
    }
}

/// `status` of a Namespace.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NamespaceStatus {
    phase: Option<String>,
}

type NamespaceWire = Wire<IgnoredSpec, NamespaceStatus>;

/// A spec nothing is read from.
#[derive(Deserialize, Default)]
pub struct IgnoredSpec {}

/// A Namespace's row: NAME STATUS AGE.
pub fn namespace_row(w: &NamespaceWire) -> ResourceRow {
    let phase = w.status.phase.clone().unwrap_or_default();
    ResourceRow {
        health: if phase == "Terminating" {
            Health::Warning
        } else {
            Health::Ok
        },
        cells: vec![
            Cell::Name,
            Cell::Text(phase),
            Cell::Since(w.metadata.creation_timestamp),
        ],
        drill: Drill::NamespacePods,
        ..identity(&w.metadata)
    }
}

/// `spec` of a Node.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NodeSpec {
    unschedulable: Option<bool>,
}

/// `status` of a Node.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeStatus {
    conditions: Option<Vec<Condition>>,
    node_info: Option<NodeInfo>,
    allocatable: Option<crate::kube::slim_pod::Amounts>,
}

/// `status.nodeInfo`.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeInfo {
    kubelet_version: String,
}

type NodeWire = Wire<NodeSpec, NodeStatus>;

/// A Node's row: NAME STATUS ROLES AGE VERSION.
pub fn node_row(w: &NodeWire) -> ResourceRow {
    // The printer keeps the last Ready condition.
    let ready = w
        .status
        .conditions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|c| c.type_ == "Ready");
    let mut status = vec![match ready {
        Some(c) if c.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    let cordoned = w.spec.unschedulable == Some(true);
    if cordoned {
        status.push("SchedulingDisabled");
    }
    let health = match (status.first(), cordoned) {
        (Some(&"Ready"), false) => Health::Ok,
        (Some(&"Ready"), true) => Health::Warning,
        _ => Health::Failed,
    };
    let mut roles: Vec<&str> = w
        .metadata
        .labels
        .iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) => Some(role),
            None if k == "kubernetes.io/role" => Some(v),
            None => None,
        })
        .filter(|r| !r.is_empty())
        .collect();
    roles.sort_unstable();
    roles.dedup();
    let version = w
        .status
        .node_info
        .as_ref()
        .map(|i| i.kubelet_version.clone())
        .unwrap_or_default();
    ResourceRow {
        cells: vec![
            Cell::Name,
            Cell::Text(status.join(",")),
            Cell::Text(if roles.is_empty() {
                "<none>".into()
            } else {
                roles.join(",")
            }),
            Cell::Since(w.metadata.creation_timestamp),
            Cell::Text(version),
        ],
        health,
        allocatable: w.status.allocatable,
        ..identity(&w.metadata)
    }
}

slim!(
    /// A Service as listed.
    SlimService: Service, ServiceWire, service_row
);
slim!(
    /// An Event as listed.
    SlimEvent: Event, EventWire, event_row
);
slim!(
    /// A Namespace as listed.
    SlimNamespace: Namespace, NamespaceWire, namespace_row
);
slim!(
    /// A Node as listed.
    SlimNode: Node, NodeWire, node_row
);
