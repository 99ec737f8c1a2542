//! `kubectl describe pod`, section by section (kubectl's `describePod` and helpers), from JSON.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::container::containers;
use super::{
    annotations, array, controlled_by, flag, labels, map, one_line, scalar, text, timestamp, Writer,
};

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
