//! `kubectl describe pod`, section by section (kubectl's `describePod` and helpers), from JSON.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{annotations, controlled_by, labels, one_line, scalar, text, timestamp, Writer};

const EMPTY: &[Value] = &[];

/// Writes the pod's describe text (without events).
pub(super) fn describe(w: &mut Writer, pod: &Value, now: DateTime<Utc>) {
    w.field(0, "Name", text(pod, "/metadata/name"));
    w.field(0, "Namespace", text(pod, "/metadata/namespace"));
    if let Some(priority) = pod.pointer("/spec/priority") {
        w.field(0, "Priority", &scalar(priority));
    }
    let class = text(pod, "/spec/priorityClassName");
    if !class.is_empty() {
        w.field(0, "Priority Class Name", class);
    }
    let account = text(pod, "/spec/serviceAccountName");
    if !account.is_empty() {
        w.field(0, "Service Account", account);
    }
    match text(pod, "/spec/nodeName") {
        "" => w.field(0, "Node", "<none>"),
        node => w.field(
            0,
            "Node",
            &format!("{node}/{}", text(pod, "/status/hostIP")),
        ),
    }
    let start = text(pod, "/status/startTime");
    if !start.is_empty() {
        w.field(0, "Start Time", &timestamp(start));
    }
    labels(w, "Labels", map(pod, "/metadata/labels"));
    annotations(w, map(pod, "/metadata/annotations"));
    let phase = text(pod, "/status/phase");
    let deleted = text(pod, "/metadata/deletionTimestamp");
    if !deleted.is_empty() && phase != "Failed" && phase != "Succeeded" {
        let lasts = DateTime::parse_from_rfc3339(deleted).map_or_else(
            |_| "<unknown>".to_string(),
            |at| super::super::age::human_duration(at.with_timezone(&Utc) - now),
        );
        w.field(0, "Status", &format!("Terminating (lasts {lasts})"));
        if let Some(grace) = pod.pointer("/metadata/deletionGracePeriodSeconds") {
            w.field(
                0,
                "Termination Grace Period",
                &format!("{}s", scalar(grace)),
            );
        }
    } else {
        w.field(0, "Status", phase);
    }
    for (label, pointer) in [("Reason", "/status/reason"), ("Message", "/status/message")] {
        let value = text(pod, pointer);
        if !value.is_empty() {
            w.field(0, label, value);
        }
    }
    w.field(0, "IP", text(pod, "/status/podIP"));
    let ips = array(pod, "/status/podIPs");
    if ips.is_empty() {
        w.field(0, "IPs", "<none>");
    } else {
        w.write(0, "IPs:\n");
        for ip in ips {
            w.field(1, "IP", text(ip, "/ip"));
        }
    }
    if let Some(owner) = controlled_by(pod) {
        w.field(0, "Controlled By", &owner);
    }
    let nominated = text(pod, "/status/nominatedNodeName");
    if !nominated.is_empty() {
        w.field(0, "NominatedNodeName", nominated);
    }
    let inits = array(pod, "/spec/initContainers");
    if !inits.is_empty() {
        containers(
            w,
            pod,
            "Init Containers",
            inits,
            "/status/initContainerStatuses",
        );
    }
    containers(
        w,
        pod,
        "Containers",
        array(pod, "/spec/containers"),
        "/status/containerStatuses",
    );
    let conditions = array(pod, "/status/conditions");
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.write(
                1,
                &format!("{} \t{} \n", text(c, "/type"), text(c, "/status")),
            );
        }
    }
    volumes(w, array(pod, "/spec/volumes"));
    let qos = match text(pod, "/status/qosClass") {
        "" => "BestEffort",
        q => q,
    };
    w.field(0, "QoS Class", qos);
    labels(w, "Node-Selectors", map(pod, "/spec/nodeSelector"));
    tolerations(w, array(pod, "/spec/tolerations"));
}

fn map<'a>(value: &'a Value, pointer: &str) -> Option<&'a Map<String, Value>> {
    value.pointer(pointer).and_then(Value::as_object)
}

fn array<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(EMPTY, Vec::as_slice)
}

fn flag(value: Option<&Value>) -> bool {
    value.and_then(Value::as_bool).unwrap_or(false)
}

/// One `Containers:` section; statuses are matched by name.
fn containers(w: &mut Writer, pod: &Value, title: &str, specs: &[Value], statuses: &str) {
    if specs.is_empty() {
        w.write(0, &format!("{title}:\t<none>\n"));
        return;
    }
    w.write(0, &format!("{title}:\n"));
    let statuses = array(pod, statuses);
    for spec in specs {
        let name = text(spec, "/name");
        let status = statuses.iter().find(|s| text(s, "/name") == name);
        w.write(1, &format!("{name}:\n"));
        if let Some(s) = status {
            w.field(2, "Container ID", text(s, "/containerID"));
        }
        w.field(2, "Image", text(spec, "/image"));
        if let Some(s) = status {
            w.field(2, "Image ID", text(s, "/imageID"));
        }
        let ports = array(spec, "/ports");
        let list = |key: &str| {
            ports
                .iter()
                .map(|p| {
                    let number = p.get(key).map_or_else(|| "0".to_string(), scalar);
                    format!("{number}/{}", text(p, "/protocol"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (one, many, key) in [
            ("Port", "Ports", "containerPort"),
            ("Host Port", "Host Ports", "hostPort"),
        ] {
            match list(key) {
                p if p.contains(',') => w.field(2, many, &p),
                p if p.is_empty() => w.field(2, one, "<none>"),
                p => w.field(2, one, &p),
            }
        }
        let policy = text(spec, "/restartPolicy");
        if !policy.is_empty() {
            w.field(2, "Restart Policy", policy);
        }
        for (label, key) in [("Command", "/command"), ("Args", "/args")] {
            let items = array(spec, key);
            if !items.is_empty() {
                w.write(2, &format!("{label}:\n"));
                for line in items
                    .iter()
                    .flat_map(|c| scalar(c).lines().map(str::to_string).collect::<Vec<_>>())
                {
                    w.write(3, &format!("{}\n", one_line(&line)));
                }
            }
        }
        if let Some(s) = status {
            state(w, "State", s.get("state"));
            if s.pointer("/lastState/terminated").is_some() {
                state(w, "Last State", s.get("lastState"));
            }
            let ready = if flag(s.get("ready")) {
                "True"
            } else {
                "False"
            };
            w.field(2, "Ready", ready);
            let restarts = s.get("restartCount").map_or_else(|| "0".into(), scalar);
            w.field(2, "Restart Count", &restarts);
        }
        for (label, key) in [
            ("Limits", "/resources/limits"),
            ("Requests", "/resources/requests"),
        ] {
            let Some(values) = map(spec, key).filter(|m| !m.is_empty()) else {
                continue;
            };
            w.write(2, &format!("{label}:\n"));
            // kubectl sorts resource names; a BTreeMap would, but serde_json may keep order.
            let mut names: Vec<&String> = values.keys().collect();
            names.sort();
            for name in names {
                let quantity = values.get(name).map(scalar).unwrap_or_default();
                w.field(3, name, &quantity);
            }
        }
        for (label, key) in [
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ] {
            if let Some(probe) = spec.get(key) {
                w.field(2, label, &describe_probe(probe));
            }
        }
        env_from(w, array(spec, "/envFrom"));
        env(w, pod, array(spec, "/env"));
        mounts(w, array(spec, "/volumeMounts"));
    }
}

/// `State:`/`Last State:` with its reason, exit code and times.
fn state(w: &mut Writer, label: &str, state: Option<&Value>) {
    let state = state.unwrap_or(&Value::Null);
    if let Some(running) = state.get("running") {
        w.field(2, label, "Running");
        w.field(3, "Started", &timestamp(text(running, "/startedAt")));
    } else if let Some(waiting) = state.get("waiting") {
        w.field(2, label, "Waiting");
        let reason = text(waiting, "/reason");
        if !reason.is_empty() {
            w.field(3, "Reason", reason);
        }
    } else if let Some(t) = state.get("terminated") {
        w.field(2, label, "Terminated");
        for (field, key) in [("Reason", "/reason"), ("Message", "/message")] {
            let value = text(t, key);
            if !value.is_empty() {
                w.field(3, field, value);
            }
        }
        let code = t.get("exitCode").map_or_else(|| "0".into(), scalar);
        w.field(3, "Exit Code", &code);
        if let Some(signal) = t.get("signal").filter(|s| s.as_i64().unwrap_or(0) > 0) {
            w.field(3, "Signal", &scalar(signal));
        }
        w.field(3, "Started", &timestamp(text(t, "/startedAt")));
        w.field(3, "Finished", &timestamp(text(t, "/finishedAt")));
    } else {
        w.field(2, label, "Waiting");
    }
}

/// kubectl's `DescribeProbe`.
fn describe_probe(probe: &Value) -> String {
    let num = |key: &str| probe.get(key).and_then(Value::as_i64).unwrap_or(0);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        num("initialDelaySeconds"),
        num("timeoutSeconds"),
        num("periodSeconds"),
        num("successThreshold"),
        num("failureThreshold")
    );
    if let Some(exec) = probe.get("exec") {
        let command: Vec<String> = array(exec, "/command").iter().map(scalar).collect();
        format!("exec [{}] {attrs}", command.join(" "))
    } else if let Some(http) = probe.get("httpGet") {
        let scheme = text(http, "/scheme").to_ascii_lowercase();
        let port = http.get("port").map(scalar).unwrap_or_default();
        let host = text(http, "/host");
        let host = if port.is_empty() {
            host.to_string()
        } else {
            format!("{host}:{port}")
        };
        format!("http-get {scheme}://{host}{} {attrs}", text(http, "/path"))
    } else if let Some(tcp) = probe.get("tcpSocket") {
        let port = tcp.get("port").map(scalar).unwrap_or_default();
        format!("tcp-socket {}:{port} {attrs}", text(tcp, "/host"))
    } else if let Some(grpc) = probe.get("grpc") {
        let port = grpc.get("port").map(scalar).unwrap_or_default();
        format!("grpc <pod>:{port} {} {attrs}", text(grpc, "/service"))
    } else {
        format!("unknown {attrs}")
    }
}

fn env_from(w: &mut Writer, sources: &[Value]) {
    if sources.is_empty() {
        return;
    }
    w.write(2, "Environment Variables from:\n");
    for source in sources {
        let (from, reference) = match (source.get("configMapRef"), source.get("secretRef")) {
            (Some(r), _) => ("ConfigMap", r),
            (None, Some(r)) => ("Secret", r),
            (None, None) => continue,
        };
        let optional = flag(reference.get("optional"));
        let prefix = text(source, "/prefix");
        let from = if prefix.is_empty() {
            from.to_string()
        } else {
            format!("{from} with prefix '{prefix}'")
        };
        w.write(
            3,
            &format!(
                "{}\t{from}\tOptional: {optional}\n",
                text(reference, "/name")
            ),
        );
    }
}

fn env(w: &mut Writer, pod: &Value, vars: &[Value]) {
    if vars.is_empty() {
        w.write(2, "Environment:\t<none>\n");
        return;
    }
    w.write(2, "Environment:\n");
    for var in vars {
        let name = text(var, "/name");
        let Some(from) = var.get("valueFrom") else {
            let value = text(var, "/value");
            for (i, line) in value.split('\n').enumerate() {
                let label = if i == 0 {
                    format!("{name}:")
                } else {
                    String::new()
                };
                w.write(3, &format!("{label}\t{}\n", one_line(line)));
            }
            continue;
        };
        let line = if let Some(field) = from.get("fieldRef") {
            let path = text(field, "/fieldPath");
            let value = match path {
                "metadata.name" | "metadata.namespace" | "metadata.uid" => {
                    text(pod, &format!("/{}", path.replace('.', "/"))).to_string()
                }
                "spec.nodeName" | "spec.serviceAccountName" | "status.hostIP" | "status.podIP" => {
                    text(pod, &format!("/{}", path.replace('.', "/"))).to_string()
                }
                _ => String::new(),
            };
            format!("{name}:\t{value} ({}:{path})", text(field, "/apiVersion"))
        } else if let Some(resource) = from.get("resourceFieldRef") {
            format!("{name}:\t ({})", text(resource, "/resource"))
        } else if let Some(secret) = from.get("secretKeyRef") {
            format!(
                "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                text(secret, "/key"),
                text(secret, "/name"),
                flag(secret.get("optional"))
            )
        } else if let Some(config) = from.get("configMapKeyRef") {
            format!(
                "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                text(config, "/key"),
                text(config, "/name"),
                flag(config.get("optional"))
            )
        } else {
            continue;
        };
        w.write(3, &format!("{line}\n"));
    }
}

fn mounts(w: &mut Writer, mounts: &[Value]) {
    if mounts.is_empty() {
        w.write(2, "Mounts:\t<none>\n");
        return;
    }
    w.write(2, "Mounts:\n");
    let mut sorted: Vec<&Value> = mounts.iter().collect();
    sorted.sort_by_key(|m| text(m, "/mountPath"));
    for m in sorted {
        let mut flags = vec![if flag(m.get("readOnly")) { "ro" } else { "rw" }.to_string()];
        let sub = text(m, "/subPath");
        if !sub.is_empty() {
            flags.push(format!("path={sub:?}"));
        }
        w.write(
            3,
            &format!(
                "{} from {} ({})\n",
                text(m, "/mountPath"),
                text(m, "/name"),
                flags.join(",")
            ),
        );
    }
}

/// `Volumes:` for the common volume types; others say `<unknown>` as kubectl does.
fn volumes(w: &mut Writer, volumes: &[Value]) {
    if volumes.is_empty() {
        w.write(0, "Volumes:\t<none>\n");
        return;
    }
    w.write(0, "Volumes:\n");
    for v in volumes {
        w.write(1, &format!("{}:\n", text(v, "/name")));
        if let Some(pvc) = v.get("persistentVolumeClaim") {
            w.field(2, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
            w.field(2, "ClaimName", text(pvc, "/claimName"));
            w.field(2, "ReadOnly", &flag(pvc.get("readOnly")).to_string());
        } else if let Some(cm) = v.get("configMap") {
            w.field(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
            w.field(2, "Name", text(cm, "/name"));
            w.field(2, "Optional", &flag(cm.get("optional")).to_string());
        } else if let Some(secret) = v.get("secret") {
            w.field(2, "Type", "Secret (a volume populated by a Secret)");
            w.field(2, "SecretName", text(secret, "/secretName"));
            w.field(2, "Optional", &flag(secret.get("optional")).to_string());
        } else if let Some(dir) = v.get("emptyDir") {
            w.field(
                2,
                "Type",
                "EmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.field(2, "Medium", text(dir, "/medium"));
            let limit = dir
                .get("sizeLimit")
                .map_or_else(|| "<unset>".into(), scalar);
            w.field(2, "SizeLimit", &limit);
        } else if let Some(host) = v.get("hostPath") {
            w.field(2, "Type", "HostPath (bare host directory volume)");
            w.field(2, "Path", text(host, "/path"));
            let kind = match text(host, "/type") {
                "" => "<none>",
                t => t,
            };
            w.field(2, "HostPathType", kind);
        } else if let Some(projected) = v.get("projected") {
            w.field(
                2,
                "Type",
                "Projected (a volume that contains injected data from multiple sources)",
            );
            for source in array(projected, "/sources") {
                if let Some(s) = source.get("serviceAccountToken") {
                    let seconds = s
                        .get("expirationSeconds")
                        .map_or_else(|| "3607".into(), scalar);
                    w.field(2, "TokenExpirationSeconds", &seconds);
                } else if let Some(cm) = source.get("configMap") {
                    w.field(2, "ConfigMapName", text(cm, "/name"));
                    w.field(2, "Optional", &flag(cm.get("optional")).to_string());
                } else if let Some(s) = source.get("secret") {
                    w.field(2, "SecretName", text(s, "/name"));
                    w.field(2, "Optional", &flag(s.get("optional")).to_string());
                } else if source.get("downwardAPI").is_some() {
                    w.field(2, "DownwardAPI", "true");
                }
            }
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

/// `Tolerations:` as kubectl prints them (`key=value:Effect op=Exists for 300s`).
fn tolerations(w: &mut Writer, items: &[Value]) {
    w.write(0, "Tolerations:\t");
    if items.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        let (key, value, effect) = (text(t, "/key"), text(t, "/value"), text(t, "/effect"));
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if text(t, "/operator") == "Exists" && value.is_empty() {
            line.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(seconds) = t.get("tolerationSeconds") {
            line.push_str(&format!(" for {}s", scalar(seconds)));
        }
        w.write(0, &format!("{}\n", one_line(&line)));
    }
}
