//! The cluster around the tenants: Nodes and the system namespaces (kube-system, the one shared Kong,
//! a monitoring agent), shaped like an EKS cluster in São Paulo (sa-east-1).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::{ago, Rng, DAY, MEMORY_MB};

pub(super) const ZONES: [&str; 3] = ["sa-east-1a", "sa-east-1b", "sa-east-1c"];
pub(super) const KUBELET_VERSION: &str = "v1.32.3-eks-473151a";

/// The IP a node has in the VPC; pods on it get addresses from the same /16 (AWS VPC CNI style).
pub(super) fn node_ip(index: usize) -> String {
    format!("10.42.{}.{}", 10 + (index / 200) % 200, 20 + index % 200)
}

pub(super) fn node_name(index: usize) -> String {
    format!(
        "ip-{}.sa-east-1.compute.internal",
        node_ip(index).replace('.', "-")
    )
}

/// A Ready node as the kubelet reports it (status included: nothing would ever write it otherwise).
pub(super) fn node(index: usize, now: DateTime<Utc>, age_minutes: i64, rng: &mut Rng) -> Value {
    let name = node_name(index);
    let ip = node_ip(index);
    let zone = ZONES[index % ZONES.len()];
    let created = ago(now, age_minutes);
    let instance = format!("i-0{}", rng.hex(16));
    let condition = |kind: &str, status: &str, reason: &str, message: &str| {
        json!({"type": kind, "status": status, "reason": reason, "message": message,
               "lastHeartbeatTime": ago(now, 1), "lastTransitionTime": created})
    };
    json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": name,
            "creationTimestamp": created,
            "labels": {
                "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "kubernetes.io/hostname": name,
                "node.kubernetes.io/instance-type": "m6i.4xlarge",
                "topology.kubernetes.io/region": "sa-east-1", "topology.kubernetes.io/zone": zone,
                "eks.amazonaws.com/nodegroup": "protheus-general", "eks.amazonaws.com/capacityType": "ON_DEMAND",
            },
            "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                            "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
        },
        "spec": {"providerID": format!("aws:///{zone}/{instance}")},
        "status": {
            "capacity": {"cpu": "16", "memory": "64453744Ki", "pods": "110", "ephemeral-storage": "104845292Ki",
                         "hugepages-1Gi": "0", "hugepages-2Mi": "0"},
            "allocatable": {"cpu": "15890m", "memory": "63436912Ki", "pods": "110",
                            "ephemeral-storage": "95551679124", "hugepages-1Gi": "0", "hugepages-2Mi": "0"},
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "InternalDNS", "address": name},
                {"type": "Hostname", "address": name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64", "operatingSystem": "linux",
                "bootID": rng.uuid(), "machineID": rng.hex(32), "systemUUID": format!("ec2{}", &rng.uuid()[3..]),
                "containerRuntimeVersion": "containerd://1.7.27", "kubeletVersion": KUBELET_VERSION,
                "kernelVersion": "6.1.132-147.221.amzn2023.x86_64", "osImage": "Amazon Linux 2023.7.20250414",
            },
        },
    })
}

pub(super) fn namespace(name: &str, created: String, labels: Value, annotations: Value) -> Value {
    let mut labels = labels;
    if let Some(m) = labels.as_object_mut() {
        // The API server sets this label on every namespace; carrying it keeps selectors on it working.
        m.insert("kubernetes.io/metadata.name".into(), json!(name));
    }
    json!({"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": name, "creationTimestamp": created, "labels": labels, "annotations": annotations}})
}

fn container(name: &str, image: &str, req: (&str, &str), lim_mem: &str, ports: Value) -> Value {
    json!({"name": name, "image": image, "imagePullPolicy": "IfNotPresent", "ports": ports,
           "resources": {"requests": {"cpu": req.0, "memory": req.1}, "limits": {"memory": lim_mem}}})
}

fn template(app: &str, mem_mb: u32, c: Value, extra: Value) -> Value {
    let mut spec = json!({"containers": [c]});
    if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    json!({"metadata": {"labels": {"app": app}, "annotations": {MEMORY_MB: mem_mb.to_string()}}, "spec": spec})
}

fn workload(
    kind: &str,
    ns: &str,
    app: &str,
    replicas: Option<u32>,
    created: &str,
    template: Value,
) -> Value {
    let mut spec = json!({"selector": {"matchLabels": {"app": app}}, "template": template});
    if let (Some(r), Some(s)) = (replicas, spec.as_object_mut()) {
        s.insert("replicas".into(), json!(r));
    }
    json!({"apiVersion": "apps/v1", "kind": kind,
           "metadata": {"name": app, "namespace": ns, "labels": {"app": app}, "creationTimestamp": created},
           "spec": spec})
}

fn service(ns: &str, name: &str, app: &str, kind: &str, created: &str, ports: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "namespace": ns, "labels": {"app": app}, "creationTimestamp": created},
           "spec": {"type": kind, "selector": {"app": app}, "ports": ports}})
}

/// Namespaces and workloads that exist in any cluster of the platform, older than every tenant.
pub(super) fn system_objects(now: DateTime<Utc>, age_days: i64) -> (Vec<Value>, Vec<Value>) {
    let born = age_days * DAY;
    let at = |after: i64| ago(now, born - after);
    let namespaces = [
        "default",
        "kube-system",
        "kube-public",
        "kube-node-lease",
        "kong",
        "monitoring",
    ]
    .iter()
    .enumerate()
    .map(|(i, ns)| namespace(ns, at(if i < 4 { 0 } else { 30 }), json!({}), json!({})))
    .collect();
    let critical = json!({"priorityClassName": "system-cluster-critical",
                          "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}]});
    let dns_ports = json!([{"name": "dns", "containerPort": 53, "protocol": "UDP"},
                           {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
                           {"name": "metrics", "containerPort": 9153, "protocol": "TCP"}]);
    let coredns = container(
        "coredns",
        "registry.k8s.io/coredns/coredns:v1.11.4",
        ("100m", "70Mi"),
        "170Mi",
        dns_ports,
    );
    let proxy = container(
        "kube-proxy",
        "registry.k8s.io/kube-proxy:v1.32.3",
        ("100m", "64Mi"),
        "256Mi",
        json!([]),
    );
    let node_agent = json!({"hostNetwork": true, "priorityClassName": "system-node-critical",
                            "tolerations": [{"operator": "Exists"}]});
    let kong_ports = json!([{"name": "proxy", "containerPort": 8000, "protocol": "TCP"},
                            {"name": "proxy-tls", "containerPort": 8443, "protocol": "TCP"},
                            {"name": "status", "containerPort": 8100, "protocol": "TCP"}]);
    let mut kong = container("proxy", "kong:3.9.0", ("500m", "512Mi"), "1Gi", kong_ports);
    if let Some(k) = kong.as_object_mut() {
        k.insert("env".into(), json!([{"name": "KONG_DATABASE", "value": "off"},
                                      {"name": "KONG_PROXY_LISTEN", "value": "0.0.0.0:8000, 0.0.0.0:8443 ssl"}]));
        k.insert(
            "readinessProbe".into(),
            json!({"httpGet": {"path": "/status/ready", "port": "status"}}),
        );
    }
    let agent = container(
        "agent",
        "sematext/agent:3.4.1",
        ("50m", "64Mi"),
        "256Mi",
        json!([]),
    );
    let c = at(40);
    let objects = vec![
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "coredns", "namespace": "kube-system", "creationTimestamp": c},
               "data": {"Corefile": ".:53 {\n    errors\n    health\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n"}}),
        workload(
            "Deployment",
            "kube-system",
            "coredns",
            Some(2),
            &c,
            template("coredns", 24, coredns, critical),
        ),
        service(
            "kube-system",
            "kube-dns",
            "coredns",
            "ClusterIP",
            &c,
            json!([{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                       {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}]),
        ),
        workload(
            "DaemonSet",
            "kube-system",
            "kube-proxy",
            None,
            &c,
            template("kube-proxy", 38, proxy, node_agent.clone()),
        ),
        workload(
            "Deployment",
            "kong",
            "kong",
            Some(2),
            &c,
            template("kong", 310, kong, json!({})),
        ),
        service(
            "kong",
            "kong-proxy",
            "kong",
            "LoadBalancer",
            &c,
            json!([{"name": "http", "port": 80, "targetPort": "proxy", "protocol": "TCP"},
                       {"name": "https", "port": 443, "targetPort": "proxy-tls", "protocol": "TCP"}]),
        ),
        workload(
            "DaemonSet",
            "monitoring",
            "sematext-agent",
            None,
            &c,
            template("sematext-agent", 85, agent, node_agent),
        ),
    ];
    (namespaces, objects)
}
