//! A large cluster for benchmarks: N pods over M tenant namespaces, each pod the full object a real
//! API server returns (managedFields, defaulted spec, kubelet status), because list/watch decoding
//! cost in kterm and its peers is dominated by exactly those bytes.
//!
//! Unlike the default scenario, pods are listed directly (with status) and owned by ReplicaSets whose
//! `replicas` equal the pods they own, so the simulator's controllers have nothing to add or remove.
//! Objects carry their own `metadata.uid`: ownerReferences must name the owner's uid before the store
//! has seen it, so the store keeps uids it is given.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::{ago, managed, system, ts, Rng, Scenario, DAY, MEMORY_MB};

/// (app, port, memory limit MiB, steady memory MiB): the Protheus processes, so names look familiar.
const APPS: [(&str, u16, u64, u64); 6] = [
    ("appserver", 1234, 2048, 1100),
    ("rest", 8181, 1024, 480),
    ("smartclient-html", 8080, 512, 180),
    ("dbaccess", 7890, 1024, 400),
    ("lockserver", 2234, 128, 40),
    ("licenseserver", 5555, 256, 90),
];
const PODS_PER_NODE: usize = 100;

/// Per app: the parts of its pod template shared by every pod (built once, cloned per pod).
struct App {
    name: &'static str,
    image: String,
    image_id: String,
    template_spec: Value,
    mem_limit: u64,
    mem_mb: u64,
    /// FieldsV1 of the spec the controller writes, minus the per-pod service-account volume: computing
    /// it once per app instead of per pod keeps 10,000 pods well under a second.
    spec_fields: Value,
    /// FieldsV1 of the kubelet's status, minus the per-pod IP.
    status_fields: Value,
    /// The template spec as the API server defaults it, minus the per-pod node and token volume.
    pod_spec: Value,
    /// FieldsV1 of the token volume item (its name is in the key, not in the tree).
    sa_volume_fields: Value,
}

/// Per ReplicaSet: what all its pods share.
struct Rs {
    name: String,
    labels: Value,
    owners: Value,
    /// FieldsV1 of the metadata the controller writes (keys only, so identical for all its pods).
    meta_fields: Value,
}

impl Rs {
    fn new(app: &str, ns: &str, hash: String, uid: &str) -> Self {
        let name = format!("{app}-{hash}");
        let labels = labels(app, ns, Some(&hash));
        let owners = owner("ReplicaSet", &name, uid);
        let meta = json!({"metadata": {"annotations": {MEMORY_MB: ""}, "generateName": "", "labels": labels,
                                       "ownerReferences": owners}});
        let meta_fields = managed::fields_v1(&meta)["f:metadata"].take();
        Rs {
            name,
            labels,
            owners,
            meta_fields,
        }
    }
}

fn defaulted_spec(template_spec: &Value) -> Value {
    let mut spec = template_spec.clone();
    if let Some(s) = spec.as_object_mut() {
        s.insert("enableServiceLinks".into(), json!(true));
        s.insert("preemptionPolicy".into(), json!("PreemptLowerPriority"));
        s.insert("priority".into(), json!(0));
        s.insert("serviceAccount".into(), json!("default"));
        s.insert("serviceAccountName".into(), json!("default"));
        s.insert("tolerations".into(), json!([
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        ]));
    }
    spec
}

const SA_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

fn sa_mount(volume: &str) -> Value {
    json!({"name": volume, "mountPath": SA_PATH, "readOnly": true})
}

fn sa_volume(volume: &str) -> Value {
    json!({"name": volume, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}})
}

/// The conditions the kubelet owns; PodScheduled belongs to the scheduler.
const KUBELET_CONDITIONS: [&str; 4] = [
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
];

fn cached_fields(template_spec: &Value) -> (Value, Value) {
    let mut spec = template_spec.clone();
    if let Some(m) = spec
        .pointer_mut("/containers/0/volumeMounts")
        .and_then(Value::as_array_mut)
    {
        m.push(sa_mount("kube-api-access"));
    }
    let spec_fields = managed::fields_v1(&json!({"spec": spec}))["f:spec"].take();
    let conditions: Vec<Value> = KUBELET_CONDITIONS
        .iter()
        .map(|t| json!({"type": t, "status": "True", "lastProbeTime": null, "lastTransitionTime": ""}))
        .collect();
    let status = json!({"status": {"conditions": conditions, "containerStatuses": [], "hostIP": "", "hostIPs": [],
                                   "phase": "", "podIP": "", "podIPs": [], "startTime": ""}});
    (spec_fields, managed::fields_v1(&status))
}

fn app(name: &'static str, port: u16, mem_limit: u64, mem_mb: u64, rng: &mut Rng) -> App {
    let image = format!("{}/{name}:12.1.2310", super::topology::REGISTRY);
    let image_id = format!(
        "{}/{name}@sha256:{}",
        super::topology::REGISTRY,
        rng.hex(64)
    );
    let probe = |delay: u32| {
        json!({"tcpSocket": {"port": port}, "initialDelaySeconds": delay, "timeoutSeconds": 3,
               "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
    };
    let template_spec = json!({
        "containers": [{
            "name": name,
            "image": image,
            "imagePullPolicy": "IfNotPresent",
            "ports": [{"name": "tcp", "containerPort": port, "protocol": "TCP"}],
            "env": [
                {"name": "ENVIRONMENT", "value": "producao"},
                {"name": "TZ", "value": "America/Sao_Paulo"},
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "MEMORY_LIMIT", "valueFrom": {"resourceFieldRef": {"containerName": name,
                    "resource": "limits.memory", "divisor": "1Mi"}}},
            ],
            "resources": {"limits": {"cpu": "1", "memory": format!("{mem_limit}Mi")},
                          "requests": {"cpu": "250m", "memory": format!("{}Mi", mem_limit / 2)}},
            "livenessProbe": probe(60),
            "readinessProbe": probe(10),
            "volumeMounts": [{"name": "volume", "mountPath": "/volume"}],
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "volumes": [{"name": "volume", "persistentVolumeClaim": {"claimName": "volume"}}],
    });
    let (spec_fields, status_fields) = cached_fields(&template_spec);
    let pod_spec = defaulted_spec(&template_spec);
    let sa_volume_fields = managed::item_fields(&sa_volume(""));
    App {
        pod_spec,
        sa_volume_fields,
        name,
        image,
        image_id,
        template_spec,
        mem_limit,
        mem_mb,
        spec_fields,
        status_fields,
    }
}

fn labels(app: &str, ns: &str, hash: Option<&str>) -> Value {
    let mut l = json!({"app": app, "env": "production", "tenant": ns, "app.kubernetes.io/part-of": "protheus"});
    if let (Some(h), Some(m)) = (hash, l.as_object_mut()) {
        m.insert("pod-template-hash".into(), json!(h));
    }
    l
}

fn owner(kind: &str, name: &str, uid: &str) -> Value {
    json!([{"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": uid,
            "controller": true, "blockOwnerDeletion": true}])
}

/// Deployment + ReplicaSet owning `replicas` pods, with status as their controllers would report it.
fn owners(
    a: &App,
    ns: &str,
    replicas: usize,
    hash: &str,
    created: &str,
    ids: (&str, &str),
) -> [Value; 2] {
    let template =
        json!({"metadata": {"labels": labels(a.name, ns, None)}, "spec": a.template_spec});
    let mut rs_template = template.clone();
    super::set(
        &mut rs_template,
        &["metadata", "labels", "pod-template-hash"],
        json!(hash),
    );
    // Statuses exactly as the controllers would write them, so loading needs no writes.
    let rs_status = json!({"observedGeneration": 1, "replicas": replicas, "readyReplicas": replicas,
                        "availableReplicas": replicas, "fullyLabeledReplicas": replicas});
    let rs_name = format!("{}-{hash}", a.name);
    let cond = |ty: &str, reason: &str, msg: String| {
        json!({"type": ty, "status": "True", "reason": reason, "message": msg,
               "lastUpdateTime": created, "lastTransitionTime": created})
    };
    let status = json!({"observedGeneration": 1, "replicas": replicas, "readyReplicas": replicas,
    "availableReplicas": replicas, "updatedReplicas": replicas, "conditions": [
        cond("Available", "MinimumReplicasAvailable", "Deployment has minimum availability.".into()),
        cond("Progressing", "NewReplicaSetAvailable", format!("ReplicaSet \"{rs_name}\" has successfully progressed.")),
    ]});
    let deploy = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": a.name, "namespace": ns, "uid": ids.0, "generation": 1, "creationTimestamp": created,
                     "labels": labels(a.name, ns, None), "annotations": {"deployment.kubernetes.io/revision": "1"}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": a.name, "env": "production"}},
                 "template": template, "revisionHistoryLimit": 3, "progressDeadlineSeconds": 600,
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}},
        "status": status,
    });
    let rs = json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": rs_name, "namespace": ns, "uid": ids.1, "generation": 1, "creationTimestamp": created,
                     "labels": labels(a.name, ns, Some(hash)), "ownerReferences": owner("Deployment", a.name, ids.0),
                     "annotations": {"deployment.kubernetes.io/desired-replicas": replicas.to_string(),
                                     "deployment.kubernetes.io/max-replicas": (replicas + 1).to_string(),
                                     "deployment.kubernetes.io/revision": "1"}},
        "spec": {"replicas": replicas, "template": rs_template,
                 "selector": {"matchLabels": {"app": a.name, "env": "production", "pod-template-hash": hash}}},
        "status": rs_status,
    });
    [deploy, rs]
}

/// Where a pod runs and when it started; kept apart so `pod` stays readable.
struct Placement {
    node: usize,
    ip: String,
    created: DateTime<Utc>,
}

fn pod(a: &App, ns: &str, rs: &Rs, at: &Placement, now: DateTime<Utc>, rng: &mut Rng) -> Value {
    let rs_name = &rs.name;
    let name = format!("{rs_name}-{}", rng.name_suffix(5));
    let created = ts(at.created);
    let scheduled = ts(at.created + Duration::seconds(1));
    let ready_at = ts(at.created + Duration::seconds(14));
    let host_ip = system::node_ip(at.node);
    let sa_volume_name = format!("kube-api-access-{}", rng.name_suffix(5));

    // ~9 % restarted; a third of those were OOM-killed minutes ago, the rest failed hours ago.
    let mut restarts = 0u64;
    let mut last_state = json!({});
    let mut running_since = ready_at.clone();
    let mut mem_mb = a.mem_mb + rng.below(a.mem_mb / 5 + 1);
    if rng.chance(90) {
        restarts = 1 + rng.below(12);
        let oom = rng.below(3) == 0;
        let finished = if oom {
            now - Duration::minutes(1 + rng.below(55) as i64)
        } else {
            now - Duration::minutes(60 + rng.below(23 * 60) as i64)
        };
        let (reason, code) = if oom {
            ("OOMKilled", 137)
        } else {
            ("Error", 1)
        };
        if oom {
            mem_mb = a.mem_limit * 85 / 100 + rng.below(a.mem_limit / 10);
        }
        last_state = json!({"terminated": {"exitCode": code, "reason": reason,
            "startedAt": ts(finished - Duration::minutes(30 + rng.below(600) as i64)), "finishedAt": ts(finished),
            "containerID": format!("containerd://{}", rng.hex(64))}});
        running_since = ts(finished + Duration::seconds(2 + rng.below(20) as i64));
    }

    let mut spec = a.pod_spec.clone();
    if let Some(m) = spec
        .pointer_mut("/containers/0/volumeMounts")
        .and_then(Value::as_array_mut)
    {
        m.push(sa_mount(&sa_volume_name));
    }
    if let Some(v) = spec.pointer_mut("/volumes").and_then(Value::as_array_mut) {
        v.push(sa_volume(&sa_volume_name));
    }
    if let Some(s) = spec.as_object_mut() {
        s.insert("nodeName".into(), json!(system::node_name(at.node)));
    }

    let cond = |kind: &str, t: &str| json!({"type": kind, "status": "True", "lastProbeTime": null, "lastTransitionTime": t});
    let ready_t = if restarts > 0 {
        running_since.as_str()
    } else {
        ready_at.as_str()
    };
    let status = json!({
        "phase": "Running",
        "conditions": [cond("PodReadyToStartContainers", &ready_at), cond("Initialized", &scheduled),
                       cond("Ready", ready_t), cond("ContainersReady", ready_t), cond("PodScheduled", &scheduled)],
        "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
        "podIP": at.ip, "podIPs": [{"ip": at.ip}],
        "startTime": scheduled,
        "containerStatuses": [{
            "name": a.name, "image": a.image, "imageID": a.image_id,
            "containerID": format!("containerd://{}", rng.hex(64)),
            "ready": true, "started": true, "restartCount": restarts,
            "state": {"running": {"startedAt": running_since}},
            "lastState": last_state,
            "volumeMounts": [{"name": "volume", "mountPath": "/volume"},
                {"name": sa_volume_name, "mountPath": SA_PATH,
                 "readOnly": true, "recursiveReadOnly": "Disabled"}],
        }],
        "qosClass": "Burstable",
    });

    let annotations = json!({MEMORY_MB: mem_mb.to_string()});
    let mut spec_fields = a.spec_fields.clone();
    if let Some(v) = spec_fields
        .get_mut("f:volumes")
        .and_then(Value::as_object_mut)
    {
        let key = managed::key_of("volumes", &json!({"name": sa_volume_name}));
        v.insert(key, a.sa_volume_fields.clone());
    }
    let mut kcm = serde_json::Map::new();
    kcm.insert("f:metadata".into(), rs.meta_fields.clone());
    kcm.insert("f:spec".into(), spec_fields);
    let kcm = Value::Object(kcm);
    let mut kubelet = a.status_fields.clone();
    if let Some(ips) = kubelet
        .pointer_mut("/f:status/f:podIPs")
        .and_then(Value::as_object_mut)
    {
        let ip = json!({"ip": at.ip});
        ips.insert(managed::key_of("podIPs", &ip), managed::item_fields(&ip));
    }
    let managed = Value::Array(vec![
        managed::entry("kube-controller-manager", &created, None, kcm),
        managed::entry("kubelet", ready_t, Some("status"), kubelet),
    ]);
    // Big parts are moved in rather than written inside json!, which would deep-copy them via serde.
    let mut metadata = json!({"name": name, "generateName": format!("{rs_name}-"), "namespace": ns,
                              "uid": rng.uuid(), "creationTimestamp": created});
    if let Some(m) = metadata.as_object_mut() {
        m.insert("labels".into(), rs.labels.clone());
        m.insert("annotations".into(), annotations);
        m.insert("ownerReferences".into(), rs.owners.clone());
        m.insert("managedFields".into(), managed);
    }
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod"});
    if let Some(m) = pod.as_object_mut() {
        m.insert("metadata".into(), metadata);
        m.insert("spec".into(), spec);
        m.insert("status".into(), status);
    }
    pod
}

/// N pods spread over M namespaces for benchmarks.
pub fn scale_scenario(pods: usize, namespaces: usize, now: DateTime<Utc>) -> Scenario {
    let mut objects = Vec::new();
    let tenants = scale_objects(pods, namespaces, now, |o| objects.push(o));
    Scenario {
        objects,
        tenants,
        files: Vec::new(),
    }
}

/// The scale scenario one object at a time (namespaces and nodes first), so 150,000 pods are
/// never held as trees at once; returns the tenant namespaces.
pub fn scale_objects(
    pods: usize,
    namespaces: usize,
    now: DateTime<Utc>,
    mut emit: impl FnMut(Value),
) -> Vec<String> {
    let namespaces = namespaces.max(1);
    let mut rng = Rng::new(0x6b74_6572_6d00_5ca1);
    let apps: Vec<App> = APPS
        .iter()
        .map(|&(n, p, l, m)| app(n, p, l, m, &mut rng))
        .collect();
    let node_count = pods.div_ceil(PODS_PER_NODE).max(3);
    let tenants: Vec<String> = (1..=namespaces).map(|i| format!("tenant-{i:04}")).collect();

    for (i, ns) in tenants.iter().enumerate() {
        let labels = json!({"kterm.io/tenant": "true", "tenant": ns});
        let annotations = json!({"kterm.io/display-name": format!("Tenant {:04}", i + 1)});
        emit(system::namespace(
            ns,
            ago(now, 60 * DAY - i as i64),
            labels,
            annotations,
        ));
    }
    for i in 0..node_count {
        emit(system::node(i, now, 30 * DAY, &mut rng));
    }

    let mut pod_index = 0usize;
    for (i, ns) in tenants.iter().enumerate() {
        // The first `pods % namespaces` namespaces take one extra pod, so every pod is placed.
        let count = pods / namespaces + usize::from(i < pods % namespaces);
        let ns_created = 60 * DAY - i as i64;
        for (k, a) in apps.iter().enumerate().take(count.min(apps.len())) {
            // Pods go round-robin over the apps: app k owns pods k, k+6, k+12, ...
            let replicas = (count - k).div_ceil(apps.len());
            let hash = rng.name_suffix(10);
            let (deploy_uid, rs_uid) = (rng.uuid(), rng.uuid());
            let created = ago(now, ns_created - 5);
            owners(a, ns, replicas, &hash, &created, (&deploy_uid, &rs_uid))
                .into_iter()
                .for_each(&mut emit);
            let rs = Rs::new(a.name, ns, hash, &rs_uid);
            for _ in 0..replicas {
                let age = 1 + rng.below(20 * DAY as u64) as i64;
                let place = Placement {
                    node: pod_index % node_count,
                    ip: format!(
                        "10.{}.{}.{}",
                        64 + pod_index / 65536,
                        (pod_index / 256) % 256,
                        pod_index % 256
                    ),
                    created: now - Duration::minutes(age),
                };
                emit(pod(a, ns, &rs, &place, now, &mut rng));
                pod_index += 1;
            }
        }
    }
    tenants
}
