//! Resource rows from API JSON: kubectl's cells per kind, health and drill-downs.

use kterm::kube::resources::coreapi::{SlimEvent, SlimNode, SlimService};
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::workloads::{SlimCronJob, SlimDeployment, SlimJob};
use kterm::kube::resources::{Cell, Drill, Health, Owner, ResourceRow};
use kterm::kube::selector::Labels;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::fixtures::now;

fn row<K: DeserializeOwned + Listed>(value: Value) -> ResourceRow {
    serde_json::from_value::<K>(value)
        .expect("decodes")
        .into_row()
}

fn cells(row: &ResourceRow) -> Vec<String> {
    (0..row.cells.len())
        .map(|i| row.cell_text(i, now()).into_owned())
        .collect()
}

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "t4k9pz", "resourceVersion": "7",
           "creationTimestamp": "2025-01-01T11:00:00Z",
           "managedFields": [{"manager": "kube-controller-manager", "fieldsV1": {"f:status": {}}}]})
}

#[test]
fn deployment_cells_health_and_selector() {
    let d = row::<SlimDeployment>(json!({
        "metadata": meta("appserver-prd"),
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "appserver", "env": "production"}}},
        "status": {"readyReplicas": 1, "updatedReplicas": 2, "availableReplicas": 1}
    }));
    assert_eq!(cells(&d), ["appserver-prd", "1/2", "2", "1", "60m"]);
    assert_eq!(d.health, Health::Warning);
    let Drill::Pods(selector) = &d.drill else {
        panic!("a deployment opens its pods: {:?}", d.drill)
    };
    assert_eq!(selector.to_string(), "app=appserver,env=production");
    let pod = Labels::from_pairs([("app", "appserver"), ("env", "production"), ("x", "1")]);
    assert!(selector.matches(&pod));

    // replicas defaults to 1; none ready is broken; scaled to zero is fine.
    let none =
        row::<SlimDeployment>(json!({"metadata": meta("rest-prd"), "spec": {}, "status": {}}));
    assert_eq!(cells(&none)[1..4], ["0/1", "0", "0"]);
    assert_eq!(none.health, Health::Failed);
    let zero = row::<SlimDeployment>(json!({"metadata": meta("idle"), "spec": {"replicas": 0}}));
    assert_eq!(zero.health, Health::Ok);
}

#[test]
fn job_status_completions_and_duration() {
    let failed = row::<SlimJob>(json!({
        "metadata": meta("upddistr-prd"),
        "spec": {"completions": 1, "parallelism": 1,
                 "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u1"}}},
        "status": {"conditions": [{"type": "FailureTarget", "status": "True"},
                                  {"type": "Failed", "status": "True"}],
                   "startTime": "2025-01-01T11:30:00Z", "completionTime": "2025-01-01T11:30:26Z"}
    }));
    assert_eq!(
        cells(&failed),
        ["upddistr-prd", "Failed", "0/1", "26s", "60m"]
    );
    assert_eq!(failed.health, Health::Failed);

    // Still running: the duration ticks from the start; work queues print "n/1 of p".
    let running = row::<SlimJob>(json!({
        "metadata": {"name": "q", "namespace": "t4k9pz",
                     "ownerReferences": [{"kind": "CronJob", "name": "protheus-updater", "controller": true}]},
        "spec": {"parallelism": 3},
        "status": {"startTime": "2025-01-01T11:57:00Z", "succeeded": 1}
    }));
    assert_eq!(
        cells(&running),
        ["q", "Running", "1/1 of 3", "3m", "<unknown>"]
    );
    assert_eq!(
        running.owner,
        Some(Owner {
            kind: "CronJob".into(),
            name: "protheus-updater".into()
        })
    );
    // Without a selector, the pods are found by job-name.
    let Drill::Pods(selector) = &running.drill else {
        panic!("a job opens its pods")
    };
    assert_eq!(selector.to_string(), "job-name=q");

    let done = row::<SlimJob>(json!({"metadata": meta("upddistr-hml"),
        "status": {"conditions": [{"type": "Complete", "status": "True"}], "succeeded": 1}}));
    assert_eq!(cells(&done)[1..4], ["Complete", "1/1", ""]);
    assert_eq!(done.health, Health::Done);
}

#[test]
fn cronjob_cells_and_drill() {
    let cj = row::<SlimCronJob>(json!({
        "metadata": meta("protheus-updater"),
        "spec": {"schedule": "0 3 * * *", "timeZone": "America/Sao_Paulo", "suspend": true},
        "status": {"active": [{"name": "a"}], "lastScheduleTime": "2025-01-01T03:00:00Z"}
    }));
    assert_eq!(
        cells(&cj),
        [
            "protheus-updater",
            "0 3 * * *",
            "America/Sao_Paulo",
            "True",
            "1",
            "9h",
            "60m"
        ]
    );
    assert_eq!(
        (cj.health, cj.drill.clone()),
        (Health::Warning, Drill::OwnedJobs)
    );
    let bare = row::<SlimCronJob>(json!({"metadata": meta("x"), "spec": {"schedule": "@daily"}}));
    assert_eq!(cells(&bare)[2..6], ["<none>", "<unset>", "0", "<none>"]);
}

#[test]
fn service_cells_and_selector() {
    let lb = row::<SlimService>(json!({
        "metadata": meta("kong-proxy"),
        "spec": {"type": "LoadBalancer", "clusterIP": "10.96.100.100", "selector": {"app": "kong"},
                 "ports": [{"port": 80, "nodePort": 31949, "protocol": "TCP"}, {"port": 443, "nodePort": 31956}]},
        "status": {"loadBalancer": {}}
    }));
    assert_eq!(
        cells(&lb),
        [
            "kong-proxy",
            "LoadBalancer",
            "10.96.100.100",
            "<pending>",
            "80:31949/TCP,443:31956/TCP",
            "60m"
        ]
    );
    assert_eq!(lb.health, Health::Warning);
    assert!(matches!(&lb.drill, Drill::Pods(s) if s.to_string() == "app=kong"));

    let manual = row::<SlimService>(json!({"metadata": meta("db"),
        "spec": {"clusterIPs": ["10.96.0.9"], "externalIPs": ["1.2.3.4"]}}));
    assert_eq!(
        cells(&manual)[1..5],
        ["ClusterIP", "10.96.0.9", "1.2.3.4", "<none>"]
    );
    assert_eq!(manual.drill, Drill::NoSelector);
    let external = row::<SlimService>(json!({"metadata": meta("ext"),
        "spec": {"type": "ExternalName", "externalName": "db.example.com"}}));
    assert_eq!(cells(&external)[2..4], ["<none>", "db.example.com"]);
}

#[test]
fn event_cells_follow_the_series_and_flag_warnings() {
    let ev = row::<SlimEvent>(json!({
        "metadata": meta("rest-prd-1.17f"),
        "type": "Warning", "reason": "BackOff",
        "involvedObject": {"kind": "Pod", "name": "rest-prd-1", "fieldPath": "spec.containers{rest}"},
        "message": "Back-off restarting\nfailed container\n",
        "firstTimestamp": "2025-01-01T10:00:00Z", "lastTimestamp": "2025-01-01T11:00:00Z", "count": 9,
        "series": {"count": 12, "lastObservedTime": "2025-01-01T11:59:30.000000Z"}
    }));
    assert_eq!(
        cells(&ev),
        [
            "30s",
            "Warning",
            "BackOff",
            "pod/rest-prd-1",
            "Back-off restarting failed container"
        ]
    );
    assert_eq!(ev.health, Health::Warning);
    assert_eq!(ev.name, "rest-prd-1.17f");
    let normal = row::<SlimEvent>(json!({"metadata": meta("n"), "type": "Normal",
        "involvedObject": {"kind": "Node"}, "eventTime": "2025-01-01T11:58:30.123456Z"}));
    assert_eq!(cells(&normal)[0], "89s");
    assert_eq!(cells(&normal)[3], "node");
    assert_eq!(normal.health, Health::Ok);
}

#[test]
fn node_status_roles_and_version() {
    let node = row::<SlimNode>(json!({
        "metadata": {"name": "ip-10-42-10-20", "creationTimestamp": "2025-01-01T11:00:00Z",
                     "labels": {"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "infra"}},
        "spec": {"unschedulable": true},
        "status": {"conditions": [{"type": "Ready", "status": "False"}],
                   "nodeInfo": {"kubeletVersion": "v1.32.3"}}
    }));
    assert_eq!(
        cells(&node),
        [
            "ip-10-42-10-20",
            "NotReady,SchedulingDisabled",
            "infra,worker",
            "60m",
            "v1.32.3"
        ]
    );
    assert_eq!((node.namespace.as_str(), node.health), ("", Health::Failed));
    let unknown = row::<SlimNode>(json!({"metadata": {"name": "n"}}));
    assert_eq!(cells(&unknown)[1..3], ["Unknown", "<none>"]);
    assert!(matches!(unknown.cells[0], Cell::Name));
}
