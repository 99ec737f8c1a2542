//! Ages, column definitions, includeObject and the other resources' cells.

use super::pods::*;
use super::*;
use chrono::Duration;
use serde_json::json;

// ---- human_age ----

fn age_after(seconds: i64) -> String {
    human_age(now() - Duration::seconds(seconds), now())
}

#[test]
fn human_age_boundaries() {
    let cases: &[(i64, &str)] = &[
        (-5, "<invalid>"),
        (-2, "<invalid>"),
        (-1, "0s"),
        (0, "0s"),
        (59, "59s"),
        (90, "90s"),
        (119, "119s"),
        (120, "2m"),
        (125, "2m5s"),
        (9 * 60 + 59, "9m59s"),
        (10 * 60, "10m"),
        (10 * 60 + 30, "10m"),
        (179 * 60 + 59, "179m"),
        (3 * 3600, "3h"),
        (3 * 3600 + 4 * 60, "3h4m"),
        (7 * 3600 + 59 * 60, "7h59m"),
        (8 * 3600, "8h"),
        (8 * 3600 + 30 * 60, "8h"),
        (47 * 3600 + 59 * 60, "47h"),
        (48 * 3600, "2d"),
        (49 * 3600, "2d1h"),
        (7 * 86400 + 23 * 3600, "7d23h"),
        (8 * 86400, "8d"),
        (729 * 86400, "729d"),
        (730 * 86400, "2y"),
        (731 * 86400, "2y1d"),
        (8 * 365 * 86400 - 86400, "7y364d"),
        (8 * 365 * 86400, "8y"),
        (10 * 365 * 86400 + 100 * 86400, "10y"),
    ];
    for (seconds, want) in cases {
        assert_eq!(age_after(*seconds), *want, "{seconds}s");
    }
}
#[test]
fn human_age_truncates_subseconds() {
    let since = now() - Duration::milliseconds(119_900);
    assert_eq!(human_age(since, now()), "119s");
    let future = now() + Duration::milliseconds(1_900);
    assert_eq!(human_age(future, now()), "0s");
}

// ---- column definitions ----

fn column_names(resource: &str) -> Vec<(String, i64)> {
    let t = table(resource, &[], IncludeObject::None, now());
    t["columnDefinitions"]
        .as_array()
        .map(|cols| {
            cols.iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap_or("").to_string(),
                        c["priority"].as_i64().unwrap_or(-1),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Column names, with "+" marking wide (priority 1) columns.
fn assert_columns(resource: &str, want: &[&str]) {
    let got: Vec<String> = column_names(resource)
        .into_iter()
        .map(|(n, p)| if p == 1 { format!("+{n}") } else { n })
        .collect();
    assert_eq!(got, want, "{resource}");
}

#[test]
fn columns_of_every_resource() {
    assert_columns(
        "pods",
        &[
            "Name",
            "Ready",
            "Status",
            "Restarts",
            "Age",
            "+IP",
            "+Node",
            "+Nominated Node",
            "+Readiness Gates",
        ],
    );
    assert_columns(
        "deployments",
        &[
            "Name",
            "Ready",
            "Up-to-date",
            "Available",
            "Age",
            "+Containers",
            "+Images",
            "+Selector",
        ],
    );
    assert_columns(
        "replicasets",
        &[
            "Name",
            "Desired",
            "Current",
            "Ready",
            "Age",
            "+Containers",
            "+Images",
            "+Selector",
        ],
    );
    assert_columns(
        "statefulsets",
        &["Name", "Ready", "Age", "+Containers", "+Images"],
    );
    assert_columns(
        "daemonsets",
        &[
            "Name",
            "Desired",
            "Current",
            "Ready",
            "Up-to-date",
            "Available",
            "Node Selector",
            "Age",
            "+Containers",
            "+Images",
            "+Selector",
        ],
    );
    assert_columns(
        "jobs",
        &[
            "Name",
            "Status",
            "Completions",
            "Duration",
            "Age",
            "+Containers",
            "+Images",
            "+Selector",
        ],
    );
    assert_columns(
        "cronjobs",
        &[
            "Name",
            "Schedule",
            "Timezone",
            "Suspend",
            "Active",
            "Last Schedule",
            "Age",
            "+Containers",
            "+Images",
            "+Selector",
        ],
    );
    assert_columns(
        "services",
        &[
            "Name",
            "Type",
            "Cluster-IP",
            "External-IP",
            "Port(s)",
            "Age",
            "+Selector",
        ],
    );
    assert_columns("endpoints", &["Name", "Endpoints", "Age"]);
    assert_columns(
        "endpointslices",
        &["Name", "AddressType", "Ports", "Endpoints", "Age"],
    );
    assert_columns(
        "events",
        &[
            "Last Seen",
            "Type",
            "Reason",
            "Object",
            "+Subobject",
            "+Source",
            "Message",
            "+First Seen",
            "+Count",
            "+Name",
        ],
    );
    assert_columns("namespaces", &["Name", "Status", "Age"]);
    assert_columns(
        "nodes",
        &[
            "Name",
            "Status",
            "Roles",
            "Age",
            "Version",
            "+Internal-IP",
            "+External-IP",
            "+OS-Image",
            "+Kernel-Version",
            "+Container-Runtime",
        ],
    );
    assert_columns("configmaps", &["Name", "Data", "Age"]);
    assert_columns("secrets", &["Name", "Type", "Data", "Age"]);
    assert_columns(
        "persistentvolumeclaims",
        &[
            "Name",
            "Status",
            "Volume",
            "Capacity",
            "Access Modes",
            "StorageClass",
            "VolumeAttributesClass",
            "Age",
            "+VolumeMode",
        ],
    );
    assert_columns(
        "poddisruptionbudgets",
        &[
            "Name",
            "Min Available",
            "Max Unavailable",
            "Allowed Disruptions",
            "Age",
        ],
    );
    assert_columns("serviceaccounts", &["Name", "Secrets", "Age"]);
    assert_columns("roles", &["Name", "Created At"]);
    assert_columns("widgets", &["Name", "Created At"]);
}

#[test]
fn column_definition_shape() {
    let t = table("pods", &[], IncludeObject::Metadata, now());
    assert_eq!(t["kind"], json!("Table"));
    assert_eq!(t["apiVersion"], json!("meta.k8s.io/v1"));
    assert_eq!(t["metadata"], json!({}));
    assert_eq!(t["rows"], json!([]));
    let name = &t["columnDefinitions"][0];
    assert_eq!(name["type"], json!("string"));
    assert_eq!(name["format"], json!("name"));
    assert_eq!(name["priority"], json!(0));
    assert!(name["description"]
        .as_str()
        .is_some_and(|d| d.starts_with("Name must be unique")));
    assert_eq!(t["columnDefinitions"][3]["type"], json!("string"));
    assert_eq!(t["columnDefinitions"][1]["format"], json!(""));
    let rs = table("replicasets", &[], IncludeObject::None, now());
    assert_eq!(rs["columnDefinitions"][1]["type"], json!("integer"));
    let default = table("roles", &[], IncludeObject::None, now());
    assert_eq!(default["columnDefinitions"][1]["type"], json!("date"));
}

// ---- includeObject ----

#[test]
fn include_object_parse() {
    assert_eq!(IncludeObject::parse("None"), Some(IncludeObject::None));
    assert_eq!(
        IncludeObject::parse("Metadata"),
        Some(IncludeObject::Metadata)
    );
    assert_eq!(IncludeObject::parse("Object"), Some(IncludeObject::Object));
    assert_eq!(IncludeObject::parse(""), Some(IncludeObject::Metadata));
    assert_eq!(IncludeObject::parse("object"), None);
    assert_eq!(IncludeObject::default(), IncludeObject::Metadata);
}

#[test]
fn row_objects_follow_include() {
    let p = pod("Running", json!([running("a", true)]));
    let none = table("pods", &[&p], IncludeObject::None, now());
    assert!(none["rows"][0].get("object").is_none());
    let meta = table("pods", &[&p], IncludeObject::Metadata, now());
    assert_eq!(
        meta["rows"][0]["object"],
        json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": p["metadata"]})
    );
    let full = table("pods", &[&p], IncludeObject::Object, now());
    assert_eq!(full["rows"][0]["object"], p);
}

#[test]
fn default_table_cells() {
    let role = json!({"metadata": {"name": "reader", "creationTimestamp": "2024-03-01T08:09:10Z"}});
    assert_eq!(
        cells_of("roles", &role),
        vec![json!("reader"), json!("2024-03-01T08:09:10Z")]
    );
}

// ---- other resources ----

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "default", "creationTimestamp": ago(Duration::days(3))})
}

#[test]
fn deployment_cells() {
    let d = json!({
        "metadata": meta("web"),
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web", "tier": "fe"}},
            "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}, {"name": "log", "image": "busybox"}]}},
        },
        "status": {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2},
    });
    assert_eq!(
        cells_of("deployments", &d),
        vec![
            json!("web"),
            json!("2/3"),
            json!(3),
            json!(2),
            json!("3d"),
            json!("nginx,log"),
            json!("nginx:1.27,busybox"),
            json!("app=web,tier=fe")
        ]
    );
}

#[test]
fn deployment_without_status_reads_zero() {
    let d = json!({"metadata": meta("web"), "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}}});
    let cells = cells_of("deployments", &d);
    assert_eq!(cells[1..4], [json!("0/2"), json!(0), json!(0)]);
}

#[test]
fn selector_with_expressions() {
    let sel = json!({
        "matchLabels": {"b": "2"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "a", "operator": "Exists"},
            {"key": "z", "operator": "DoesNotExist"},
            {"key": "tier", "operator": "NotIn", "values": ["db"]},
        ],
    });
    assert_eq!(
        util::selector_string(Some(&sel)),
        "a,b=2,env in (dev,prod),tier notin (db),!z"
    );
    assert_eq!(util::format_selector(None), "<none>");
    assert_eq!(util::format_selector(Some(&json!({}))), "<none>");
}

#[test]
fn replicaset_and_statefulset_cells() {
    let rs = json!({"metadata": meta("web-5d4"), "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}, "status": {"replicas": 2, "readyReplicas": 1}});
    assert_eq!(
        cells_of("replicasets", &rs)[1..4],
        [json!(2), json!(2), json!(1)]
    );
    let sts = json!({"metadata": meta("db"), "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "pg", "image": "postgres:16"}]}}}, "status": {"readyReplicas": 3}});
    assert_eq!(
        cells_of("statefulsets", &sts),
        vec![
            json!("db"),
            json!("3/3"),
            json!("3d"),
            json!("pg"),
            json!("postgres:16")
        ]
    );
}

#[test]
fn daemonset_cells() {
    let ds = json!({
        "metadata": meta("fluentd"),
        "spec": {"selector": {"matchLabels": {"app": "fluentd"}}, "template": {"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}, "containers": [{"name": "f", "image": "fluentd"}]}}},
        "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2, "updatedNumberScheduled": 3, "numberAvailable": 2},
    });
    assert_eq!(
        cells_of("daemonsets", &ds),
        vec![
            json!("fluentd"),
            json!(3),
            json!(3),
            json!(2),
            json!(3),
            json!(2),
            json!("kubernetes.io/os=linux"),
            json!("3d"),
            json!("f"),
            json!("fluentd"),
            json!("app=fluentd")
        ]
    );
}

#[test]
fn job_cells() {
    let done = json!({
        "metadata": meta("pi"),
        "spec": {"completions": 1, "parallelism": 1, "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u1"}}},
        "status": {"succeeded": 1, "startTime": ago(Duration::minutes(10)), "completionTime": ago(Duration::minutes(10) - Duration::seconds(37)),
                   "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]},
    });
    let cells = cells_of("jobs", &done);
    assert_eq!(cells[1..4], [json!("Complete"), json!("1/1"), json!("37s")]);
    assert_eq!(cells[7], json!("batch.kubernetes.io/controller-uid=u1"));

    let running = json!({"metadata": meta("q"), "spec": {"parallelism": 3}, "status": {"startTime": ago(Duration::minutes(4))}});
    assert_eq!(
        cells_of("jobs", &running)[1..4],
        [json!("Running"), json!("0/1 of 3"), json!("4m")]
    );

    let failed = set(
        running.clone(),
        &["status", "conditions"],
        json!([{"type": "Failed", "status": "True"}]),
    );
    assert_eq!(cells_of("jobs", &failed)[1], json!("Failed"));
    let suspended = set(
        running.clone(),
        &["status", "conditions"],
        json!([{"type": "Suspended", "status": "True"}]),
    );
    assert_eq!(cells_of("jobs", &suspended)[1], json!("Suspended"));
    let deleting = set(
        suspended,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(1))),
    );
    assert_eq!(cells_of("jobs", &deleting)[1], json!("Terminating"));
    let not_started = json!({"metadata": meta("n"), "spec": {"completions": 5}});
    assert_eq!(
        cells_of("jobs", &not_started)[2..4],
        [json!("0/5"), json!("")]
    );
}

#[test]
fn cronjob_cells() {
    let cj = json!({
        "metadata": meta("backup"),
        "spec": {"schedule": "*/5 * * * *", "suspend": false,
                 "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "busybox"}]}}}}},
        "status": {"active": [{"name": "backup-1"}], "lastScheduleTime": ago(Duration::seconds(42))},
    });
    assert_eq!(
        cells_of("cronjobs", &cj),
        vec![
            json!("backup"),
            json!("*/5 * * * *"),
            json!("<none>"),
            json!("False"),
            json!(1),
            json!("42s"),
            json!("3d"),
            json!("b"),
            json!("busybox"),
            json!("<none>")
        ]
    );
    let tz = set(cj, &["spec", "timeZone"], json!("Etc/UTC"));
    let tz = set(tz, &["status"], json!({}));
    let cells = cells_of("cronjobs", &tz);
    assert_eq!(cells[2], json!("Etc/UTC"));
    assert_eq!(cells[4..6], [json!(0), json!("<none>")]);
}

#[test]
fn service_cells() {
    let svc = json!({
        "metadata": meta("web"),
        "spec": {"type": "NodePort", "clusterIP": "10.96.12.1", "clusterIPs": ["10.96.12.1"], "selector": {"app": "web"},
                 "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "nodePort": 30443, "protocol": "TCP"}]},
    });
    assert_eq!(
        cells_of("services", &svc),
        vec![
            json!("web"),
            json!("NodePort"),
            json!("10.96.12.1"),
            json!("<none>"),
            json!("80/TCP,443:30443/TCP"),
            json!("3d"),
            json!("app=web")
        ]
    );
    let lb = json!({"metadata": meta("lb"), "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.9", "ports": [{"port": 53, "protocol": "UDP", "nodePort": 31000}]}});
    assert_eq!(cells_of("services", &lb)[3], json!("<pending>"));
    let lb = set(
        lb,
        &["status"],
        json!({"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}, {"hostname": "a.example.com"}]}}),
    );
    assert_eq!(
        cells_of("services", &lb)[3],
        json!("203.0.113.9,a.example.com")
    );
    let headless = json!({"metadata": meta("db"), "spec": {"clusterIP": "None", "ports": []}});
    assert_eq!(
        cells_of("services", &headless)[1..5],
        [
            json!("ClusterIP"),
            json!("None"),
            json!("<none>"),
            json!("<none>")
        ]
    );
    let ext = json!({"metadata": meta("ext"), "spec": {"type": "ExternalName", "externalName": "db.example.com"}});
    assert_eq!(
        cells_of("services", &ext)[2..4],
        [json!("<none>"), json!("db.example.com")]
    );
    assert_eq!(cells_of("services", &ext)[6], json!("<none>"));
}

#[test]
fn endpoints_cells() {
    let ep = json!({"metadata": meta("web"), "subsets": [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}], "ports": [{"port": 80}, {"port": 443}]}]});
    assert_eq!(
        cells_of("endpoints", &ep)[1],
        json!("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...")
    );
    let empty = json!({"metadata": meta("none")});
    assert_eq!(cells_of("endpoints", &empty)[1], json!("<none>"));
    let v6 = json!({"metadata": meta("v6"), "subsets": [{"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 8080}]}]});
    assert_eq!(cells_of("endpoints", &v6)[1], json!("[fd00::1]:8080"));
}

#[test]
fn endpointslice_cells() {
    let es = json!({"metadata": meta("web-abc"), "addressType": "IPv4", "ports": [{"name": "http", "port": 80}, {"name": "x"}],
                    "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]}]});
    assert_eq!(
        cells_of("endpointslices", &es)[1..4],
        [json!("IPv4"), json!("80,x"), json!("10.0.0.1,10.0.0.2")]
    );
    let empty = json!({"metadata": meta("e"), "addressType": "IPv4"});
    assert_eq!(
        cells_of("endpointslices", &empty)[2..4],
        [json!("<unset>"), json!("<unset>")]
    );
}

#[test]
fn event_cells() {
    let ev = json!({
        "metadata": meta("web-1.17a"),
        "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{nginx}"},
        "reason": "BackOff", "message": "Back-off restarting failed container\n", "type": "Warning",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": ago(Duration::minutes(30)), "lastTimestamp": ago(Duration::seconds(20)), "count": 7,
    });
    assert_eq!(
        cells_of("events", &ev),
        vec![
            json!("20s"),
            json!("Warning"),
            json!("BackOff"),
            json!("pod/web-1"),
            json!("spec.containers{nginx}"),
            json!("kubelet, node-1"),
            json!("Back-off restarting failed container"),
            json!("30m"),
            json!(7),
            json!("web-1.17a")
        ]
    );
    let new_api = json!({
        "metadata": meta("x"), "involvedObject": {"kind": "Node"}, "eventTime": "2025-01-10T11:59:00.000000Z",
        "reportingComponent": "scheduler", "type": "Normal", "reason": "R", "message": "m",
    });
    let cells = cells_of("events", &new_api);
    assert_eq!(cells[0], json!("60s"));
    assert_eq!(cells[3], json!("node"));
    assert_eq!(cells[5], json!("scheduler"));
    assert_eq!(cells[7..9], [json!("60s"), json!(1)]);
}

#[test]
fn node_cells() {
    let node = json!({
        "metadata": {"name": "cp-1", "creationTimestamp": ago(Duration::days(40)),
                     "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "master", "kubernetes.io/os": "linux"}},
        "spec": {"unschedulable": true},
        "status": {"conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
                   "addresses": [{"type": "InternalIP", "address": "192.168.1.10"}, {"type": "Hostname", "address": "cp-1"}],
                   "nodeInfo": {"kubeletVersion": "v1.32.2", "osImage": "Ubuntu 24.04.1 LTS", "kernelVersion": "6.8.0", "containerRuntimeVersion": "containerd://1.7.24"}},
    });
    assert_eq!(
        cells_of("nodes", &node),
        vec![
            json!("cp-1"),
            json!("Ready,SchedulingDisabled"),
            json!("control-plane,master"),
            json!("40d"),
            json!("v1.32.2"),
            json!("192.168.1.10"),
            json!("<none>"),
            json!("Ubuntu 24.04.1 LTS"),
            json!("6.8.0"),
            json!("containerd://1.7.24")
        ]
    );
    let bare = json!({"metadata": {"name": "n"}, "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}});
    let cells = cells_of("nodes", &bare);
    assert_eq!(
        cells[1..4],
        [json!("NotReady"), json!("<none>"), json!("<unknown>")]
    );
    assert_eq!(cells[7], json!("<unknown>"));
    assert_eq!(core::node_status(&json!({})), "Unknown");
}

#[test]
fn namespace_configmap_secret_cells() {
    let ns = json!({"metadata": meta("prod"), "status": {"phase": "Active"}});
    assert_eq!(
        cells_of("namespaces", &ns),
        vec![json!("prod"), json!("Active"), json!("3d")]
    );
    let cm =
        json!({"metadata": meta("cfg"), "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}});
    assert_eq!(
        cells_of("configmaps", &cm),
        vec![json!("cfg"), json!(3), json!("3d")]
    );
    let secret = json!({"metadata": meta("tls"), "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}});
    assert_eq!(
        cells_of("secrets", &secret),
        vec![
            json!("tls"),
            json!("kubernetes.io/tls"),
            json!(2),
            json!("3d")
        ]
    );
}

#[test]
fn pvc_cells() {
    let bound = json!({
        "metadata": meta("data"),
        "spec": {"volumeName": "pvc-123", "storageClassName": "standard", "volumeMode": "Filesystem", "resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce"]},
    });
    assert_eq!(
        cells_of("persistentvolumeclaims", &bound),
        vec![
            json!("data"),
            json!("Bound"),
            json!("pvc-123"),
            json!("1Gi"),
            json!("RWO,RWX"),
            json!("standard"),
            json!("<unset>"),
            json!("3d"),
            json!("Filesystem")
        ]
    );
    let pending = json!({"metadata": meta("p"), "spec": {"resources": {"requests": {"storage": "5Gi"}}}, "status": {"phase": "Pending"}});
    assert_eq!(
        cells_of("persistentvolumeclaims", &pending)[1..7],
        [
            json!("Pending"),
            json!(""),
            json!(""),
            json!(""),
            json!(""),
            json!("<unset>")
        ]
    );
    let deleting = set(
        pending,
        &["metadata", "deletionTimestamp"],
        json!(ago(Duration::seconds(1))),
    );
    assert_eq!(
        cells_of("persistentvolumeclaims", &deleting)[1],
        json!("Terminating")
    );
}

#[test]
fn pdb_cells() {
    let pdb = json!({"metadata": meta("web"), "spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 1}});
    assert_eq!(
        cells_of("poddisruptionbudgets", &pdb),
        vec![
            json!("web"),
            json!("50%"),
            json!("N/A"),
            json!(1),
            json!("3d")
        ]
    );
    let pdb = json!({"metadata": meta("db"), "spec": {"maxUnavailable": 1}});
    assert_eq!(
        cells_of("poddisruptionbudgets", &pdb)[1..4],
        [json!("N/A"), json!("1"), json!(0)]
    );
}

#[test]
fn missing_creation_timestamp_is_unknown_age() {
    let ns = json!({"metadata": {"name": "x"}, "status": {"phase": "Active"}});
    assert_eq!(cells_of("namespaces", &ns)[2], json!("<unknown>"));
}
