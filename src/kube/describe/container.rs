//! The containers of `kubectl describe pod`: image, ports, command, state and last state,
//! resources, probes, environment and mounts (kubectl's `describeContainers`).

use serde_json::Value;

use super::{array, flag, map, one_line, scalar, text, timestamp, Writer};

/// One `Containers:` section; statuses are matched by name.
pub(super) fn containers(
    w: &mut Writer,
    pod: &Value,
    title: &str,
    specs: &[Value],
    statuses: &str,
) {
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
