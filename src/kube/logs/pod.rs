//! What the log streams need to know about a pod, read from its JSON: its containers, which
//! one is the default, and each container's state (running, restarted, done).

use serde_json::Value;

use super::Containers;

/// The kind of container, for the picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerRole {
    /// An init container that runs to completion first.
    Init,
    /// An init container that keeps running (`restartPolicy: Always`, a native sidecar).
    Sidecar,
    /// A regular container.
    Regular,
    /// An ephemeral debug container.
    Ephemeral,
}

/// A container of the pod, for the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerInfo {
    /// Its name.
    pub name: String,
    /// What kind it is.
    pub role: ContainerRole,
}

impl ContainerInfo {
    /// `appserver`, `wait-db (init)`, `log-shipper (sidecar)`.
    pub fn label(&self) -> String {
        match self.role {
            ContainerRole::Regular => self.name.clone(),
            ContainerRole::Init => format!("{} (init)", self.name),
            ContainerRole::Sidecar => format!("{} (sidecar)", self.name),
            ContainerRole::Ephemeral => format!("{} (ephemeral)", self.name),
        }
    }
}

/// The pod's containers, init containers first (the API server's order).
pub fn containers(pod: &Value) -> Vec<ContainerInfo> {
    let list = |key: &str| {
        pod.pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let name = |c: &Value| c["name"].as_str().unwrap_or_default().to_string();
    let mut out: Vec<ContainerInfo> = list("initContainers")
        .iter()
        .map(|c| ContainerInfo {
            name: name(c),
            role: if c["restartPolicy"] == "Always" {
                ContainerRole::Sidecar
            } else {
                ContainerRole::Init
            },
        })
        .collect();
    out.extend(list("containers").iter().map(|c| ContainerInfo {
        name: name(c),
        role: ContainerRole::Regular,
    }));
    out.extend(list("ephemeralContainers").iter().map(|c| ContainerInfo {
        name: name(c),
        role: ContainerRole::Ephemeral,
    }));
    out
}

/// The containers to read for `wanted`; `Err` with the choices when the user must pick.
pub fn choose(pod: &Value, wanted: &Containers) -> Result<Vec<String>, Vec<ContainerInfo>> {
    let all = containers(pod);
    let regular: Vec<String> = all
        .iter()
        .filter(|c| c.role == ContainerRole::Regular)
        .map(|c| c.name.clone())
        .collect();
    let default = pod
        .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
        .and_then(Value::as_str)
        .filter(|d| all.iter().any(|c| c.name == *d))
        .map(str::to_string)
        .or_else(|| (regular.len() == 1).then(|| regular[0].clone()));
    match (wanted, default) {
        (Containers::Named(name), _) => Ok(vec![name.clone()]),
        (Containers::All, _) => Ok(all.into_iter().map(|c| c.name).collect()),
        (Containers::Default | Containers::DefaultOrAll, Some(d)) => Ok(vec![d]),
        (Containers::DefaultOrAll, None) => Ok(regular),
        (Containers::Default, None) | (Containers::Ask, _) => Err(all),
    }
}

/// One container's state, as far as following its log cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerState {
    /// Restarts so far.
    pub restarts: i64,
    /// It is running now.
    pub running: bool,
    /// It ended and will not run again (or is waiting to be restarted).
    pub terminated: Option<Ended>,
    /// How the previous instance ended.
    pub last: Option<Ended>,
}

/// How an instance ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ended {
    /// `OOMKilled`, `Error`, `Completed`.
    pub reason: String,
    /// Exit code.
    pub exit_code: i64,
}

impl Ended {
    /// `OOMKilled, exit 137`.
    pub fn describe(&self) -> String {
        let reason = if self.reason.is_empty() {
            "exited"
        } else {
            &self.reason
        };
        crate::sanitize::sanitize_owned(format!("{reason}, exit {}", self.exit_code))
    }
}

/// The state of `container` in the pod's status; `None` before the kubelet reported it.
pub fn state(pod: &Value, container: &str) -> Option<ContainerState> {
    let status = [
        "containerStatuses",
        "initContainerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .filter_map(|key| {
        pod.pointer(&format!("/status/{key}"))
            .and_then(Value::as_array)
    })
    .flatten()
    .find(|s| s["name"] == container)?;
    let ended = |t: &Value| {
        t.is_object().then(|| Ended {
            reason: t["reason"].as_str().unwrap_or_default().to_string(),
            exit_code: t["exitCode"].as_i64().unwrap_or_default(),
        })
    };
    Some(ContainerState {
        restarts: status["restartCount"].as_i64().unwrap_or_default(),
        running: status["state"]["running"].is_object(),
        terminated: ended(&status["state"]["terminated"]),
        last: ended(&status["lastState"]["terminated"]),
    })
}

/// Whether the pod will restart a container that ended (`restartPolicy` other than `Never`,
/// and for `OnFailure` only after a failure).
pub fn restarts_after(pod: &Value, ended: &Ended) -> bool {
    match pod["spec"]["restartPolicy"].as_str().unwrap_or("Always") {
        "Never" => false,
        "OnFailure" => ended.exit_code != 0,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(annotation: Option<&str>) -> Value {
        let mut p = json!({
            "metadata": {"name": "p", "annotations": {}},
            "spec": {
                "initContainers": [{"name": "wait-db"}, {"name": "shipper", "restartPolicy": "Always"}],
                "containers": [{"name": "appserver"}, {"name": "exporter"}]
            }
        });
        if let Some(a) = annotation {
            p["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"] = json!(a);
        }
        p
    }

    #[test]
    fn the_annotation_names_the_default_else_the_user_picks() {
        assert_eq!(
            choose(&pod(Some("appserver")), &Containers::Default),
            Ok(vec!["appserver".to_string()])
        );
        let choices = choose(&pod(None), &Containers::Default)
            .err()
            .unwrap_or_default();
        let labels: Vec<String> = choices.iter().map(ContainerInfo::label).collect();
        assert_eq!(
            labels,
            [
                "wait-db (init)",
                "shipper (sidecar)",
                "appserver",
                "exporter"
            ]
        );
        assert_eq!(
            choose(&pod(None), &Containers::DefaultOrAll),
            Ok(vec!["appserver".to_string(), "exporter".to_string()])
        );
        assert_eq!(choose(&pod(None), &Containers::All).map(|c| c.len()), Ok(4));
    }

    #[test]
    fn a_restarted_container_says_how_it_ended() {
        let p = json!({"status": {"containerStatuses": [{
            "name": "appserver", "restartCount": 4,
            "state": {"running": {"startedAt": "2026-12-06T07:00:00Z"}},
            "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}
        }]}});
        let s = state(&p, "appserver").unwrap_or_default();
        assert!(s.running);
        assert_eq!(s.restarts, 4);
        assert_eq!(
            s.last.map(|l| l.describe()),
            Some("OOMKilled, exit 137".to_string())
        );
    }
}
