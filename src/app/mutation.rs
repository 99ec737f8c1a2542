//! Every change kterm makes to the cluster, as a value: `update` builds a `Mutation`, the
//! runtime carries it out (`mutate_task`), and the audit log, the RBAC question and the
//! sentences the user reads are derived from it in one place.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use crate::kube::mutate::{Access, DeleteOptions, PatchKind};
use crate::kube::target::Target;

/// The annotation `kubectl rollout restart` sets on the pod template.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// The annotation kubectl puts on a Job created from a CronJob by hand.
pub const INSTANTIATE: &str = "cronjob.kubernetes.io/instantiate";

/// Memory and CPU of one side (requests or limits) of a container's resources; `None` means
/// "not set" (and removes a value that was set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quantities {
    /// `512Mi`, `2Gi`.
    pub memory: Option<String>,
    /// `500m`, `1`.
    pub cpu: Option<String>,
}

impl Quantities {
    fn json(&self) -> Value {
        json!({ "memory": self.memory, "cpu": self.cpu })
    }

    fn words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = &self.memory {
            parts.push(format!("memory {m}"));
        }
        if let Some(c) = &self.cpu {
            parts.push(format!("cpu {c}"));
        }
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// One change to the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// Set a Deployment's or StatefulSet's replicas.
    Scale {
        /// The workload.
        target: Target,
        /// Replicas before, for the sentence and the audit log.
        from: u32,
        /// Replicas wanted.
        to: u32,
    },
    /// `kubectl rollout restart`: the pod template's `restartedAt` annotation set to now.
    Restart {
        /// The workload.
        target: Target,
    },
    /// A CronJob's `spec.suspend`.
    Suspend {
        /// The CronJob.
        target: Target,
        /// Suspend (else resume).
        suspend: bool,
    },
    /// A Job from a CronJob's template, as `kubectl create job --from=cronjob/x` makes it.
    Trigger {
        /// The CronJob.
        cronjob: Target,
    },
    /// One container's requests and limits (a strategic merge patch of the pod template).
    Resources {
        /// The workload.
        target: Target,
        /// The container.
        container: String,
        /// Requests wanted.
        requests: Quantities,
        /// Limits wanted.
        limits: Quantities,
    },
    /// Delete an object with kubectl's options.
    Delete {
        /// The object.
        target: Target,
        /// Propagation, grace, force.
        options: DeleteOptions,
    },
}

impl Mutation {
    /// The object changed (for a trigger: the CronJob the Job comes from).
    pub fn target(&self) -> &Target {
        match self {
            Mutation::Scale { target, .. }
            | Mutation::Restart { target }
            | Mutation::Suspend { target, .. }
            | Mutation::Resources { target, .. }
            | Mutation::Delete { target, .. } => target,
            Mutation::Trigger { cronjob } => cronjob,
        }
    }

    /// The audit log's verb.
    pub fn verb(&self) -> &'static str {
        match self {
            Mutation::Scale { .. } => "scale",
            Mutation::Restart { .. } => "restart",
            Mutation::Suspend { suspend: true, .. } => "suspend",
            Mutation::Suspend { suspend: false, .. } => "resume",
            Mutation::Trigger { .. } => "trigger",
            Mutation::Resources { .. } => "set-resources",
            Mutation::Delete { .. } => "delete",
        }
    }

    /// One sentence (no capital, no stop): `scale deployment t4k9pz/appserver-prd from 2 to 0`.
    pub fn describe(&self) -> String {
        let what = self.target().label();
        match self {
            Mutation::Scale { from, to, .. } => format!("scale {what} from {from} to {to}"),
            Mutation::Restart { .. } => format!("restart {what} (a rollout)"),
            Mutation::Suspend { suspend: true, .. } => format!("suspend {what}"),
            Mutation::Suspend { suspend: false, .. } => format!("resume {what}"),
            Mutation::Trigger { .. } => format!("trigger {what} (a Job from its template)"),
            Mutation::Resources {
                container,
                requests,
                limits,
                ..
            } => format!(
                "set container {container} of {what} to requests {}, limits {}",
                requests.words(),
                limits.words()
            ),
            Mutation::Delete { options, .. } => {
                let mut s = format!("delete {what} ({})", options.propagation.word());
                if options.force {
                    s.push_str(", forced");
                } else if let Some(grace) = options.grace_seconds {
                    s.push_str(&format!(", grace {grace}s"));
                }
                s
            }
        }
    }

    /// The RBAC question for it.
    pub fn access(&self) -> Access {
        match self {
            Mutation::Trigger { cronjob } => {
                Access::create_in("batch", "jobs", cronjob.namespace.as_deref())
            }
            Mutation::Delete { target, .. } => Access::to("delete", target),
            other => Access::to("patch", other.target()),
        }
    }

    /// The sentence said once it is done; `made` names what a trigger created.
    pub fn done(&self, made: Option<&str>) -> String {
        let what = self.target().label();
        match self {
            Mutation::Scale { from, to, .. } => format!("Scaled {what} from {from} to {to}."),
            Mutation::Restart { .. } => format!("Restarted {what}: a rollout has started."),
            Mutation::Suspend { suspend: true, .. } => {
                format!("Suspended {what}: it starts no Job until resumed.")
            }
            Mutation::Suspend { suspend: false, .. } => {
                format!("Resumed {what}: it runs on its schedule again.")
            }
            Mutation::Trigger { .. } => {
                format!("Triggered {what}: job {} created.", made.unwrap_or("?"))
            }
            Mutation::Resources { container, .. } => format!(
                "Set the resources of container {container} of {what}: a rollout has started."
            ),
            Mutation::Delete { .. } => format!("Deleted {what}."),
        }
    }

    /// The patch it sends, for the kinds that patch; `now` stamps a restart.
    pub fn patch(&self, now: DateTime<Utc>) -> Option<(PatchKind, Value)> {
        match self {
            Mutation::Scale { to, .. } => {
                Some((PatchKind::Merge, json!({ "spec": { "replicas": to } })))
            }
            Mutation::Restart { .. } => {
                let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
                let body = json!({ "spec": { "template": { "metadata": {
                    "annotations": { RESTARTED_AT: at } } } } });
                Some((PatchKind::Strategic, body))
            }
            Mutation::Suspend { suspend, .. } => {
                Some((PatchKind::Merge, json!({ "spec": { "suspend": suspend } })))
            }
            Mutation::Resources {
                container,
                requests,
                limits,
                ..
            } => {
                // Containers merge by name; a null removes a value the form left empty.
                let body = json!({ "spec": { "template": { "spec": { "containers": [{
                    "name": container,
                    "resources": { "requests": requests.json(), "limits": limits.json() }
                }] } } } });
                Some((PatchKind::Strategic, body))
            }
            Mutation::Trigger { .. } | Mutation::Delete { .. } => None,
        }
    }
}

/// The name of a Job triggered by hand from `cronjob`: `<cronjob>-manual-<3 characters>`.
///
/// `kubectl create job --from=cronjob/x` takes no generated name (NAME is required), and the
/// CronJob controller names its own runs `<cronjob>-<minutes since the epoch>`
/// (`getJobName`): borrowing that scheme would pass a manual run off as a scheduled one and
/// could collide with the controller's run of the same minute. So kterm follows the common
/// convention of k9s and the runbooks, `-manual-` and a short random suffix from the
/// alphabet Kubernetes uses for generated names (no vowels, no look-alikes). A CronJob's name
/// is at most 52 characters, so the result stays within a label value's 63.
pub fn manual_job_name(cronjob: &str, seed: u64) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut n = seed;
    let mut suffix = String::new();
    for _ in 0..3 {
        let i = (n % ALPHABET.len() as u64) as usize;
        suffix.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'x')));
        n /= ALPHABET.len() as u64;
    }
    format!("{cronjob}-manual-{suffix}")
}

/// The Job kubectl's `create job NAME --from=cronjob/x` makes from the CronJob `cronjob`: the
/// template's labels, its annotations plus `cronjob.kubernetes.io/instantiate: manual`, the
/// template's spec, and the CronJob as controlling owner.
pub fn job_from_cronjob(cronjob: &Value, name: &str) -> Result<Value, String> {
    let meta = &cronjob["metadata"];
    let (Some(cj_name), Some(uid)) = (meta["name"].as_str(), meta["uid"].as_str()) else {
        return Err("The CronJob as read has no name or uid; nothing was created.".to_string());
    };
    let template = &cronjob["spec"]["jobTemplate"];
    if !template["spec"].is_object() {
        return Err(format!(
            "CronJob {cj_name} has no job template; nothing was created."
        ));
    }
    let mut annotations = Map::new();
    annotations.insert(INSTANTIATE.to_string(), json!("manual"));
    if let Some(own) = template["metadata"]["annotations"].as_object() {
        for (k, v) in own {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let mut metadata = json!({
        "name": name,
        "annotations": annotations,
        "ownerReferences": [{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cj_name,
            "uid": uid,
            "controller": true,
            "blockOwnerDeletion": true,
        }],
    });
    if let Some(ns) = meta["namespace"].as_str() {
        metadata["namespace"] = json!(ns);
    }
    if let Some(labels) = template["metadata"]["labels"].as_object() {
        metadata["labels"] = Value::Object(labels.clone());
    }
    Ok(json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": template["spec"].clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::kinds::ResourceKind;

    fn deploy() -> Target {
        Target::of(ResourceKind::Deployment, Some("t4k9pz"), "appserver-prd")
    }

    #[test]
    fn scale_says_from_and_to_and_patches_replicas() {
        let m = Mutation::Scale {
            target: deploy(),
            from: 2,
            to: 0,
        };
        assert_eq!(
            m.describe(),
            "scale deployment t4k9pz/appserver-prd from 2 to 0"
        );
        assert_eq!(
            m.done(None),
            "Scaled deployment t4k9pz/appserver-prd from 2 to 0."
        );
        assert_eq!(m.verb(), "scale");
        assert_eq!(m.access().verb, "patch");
        assert_eq!(m.access().resource, "deployments");
        let (kind, body) = m.patch(Utc::now()).unwrap();
        assert_eq!(kind, PatchKind::Merge);
        assert_eq!(body, json!({"spec": {"replicas": 0}}));
    }

    #[test]
    fn restart_stamps_the_template_in_rfc3339() {
        let now = DateTime::parse_from_rfc3339("2026-12-06T10:15:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (kind, body) = Mutation::Restart { target: deploy() }.patch(now).unwrap();
        assert_eq!(kind, PatchKind::Strategic);
        assert_eq!(
            body["spec"]["template"]["metadata"]["annotations"][RESTARTED_AT],
            "2026-12-06T10:15:00Z"
        );
    }

    #[test]
    fn resources_patch_merges_the_container_by_name_and_nulls_what_is_empty() {
        let m = Mutation::Resources {
            target: deploy(),
            container: "appserver".into(),
            requests: Quantities {
                memory: Some("1Gi".into()),
                cpu: None,
            },
            limits: Quantities {
                memory: Some("3Gi".into()),
                cpu: Some("2".into()),
            },
        };
        let (_, body) = m.patch(Utc::now()).unwrap();
        let c = &body["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["name"], "appserver");
        assert_eq!(c["resources"]["limits"]["memory"], "3Gi");
        assert_eq!(c["resources"]["requests"]["cpu"], Value::Null);
        assert!(c["resources"]["requests"]
            .as_object()
            .unwrap()
            .contains_key("cpu"));
    }

    #[test]
    fn a_triggered_job_is_owned_by_the_cronjob_and_marked_manual() {
        let cj = json!({
            "metadata": {"name": "protheus-updater", "namespace": "t4k9pz", "uid": "u-1"},
            "spec": {"jobTemplate": {
                "metadata": {"labels": {"app": "updater"}, "annotations": {"team": "erp"}},
                "spec": {"template": {"spec": {"containers": [{"name": "u"}]}}}
            }}
        });
        let job = job_from_cronjob(&cj, "protheus-updater-manual-x2b").unwrap();
        let meta = &job["metadata"];
        assert_eq!(meta["namespace"], "t4k9pz");
        assert_eq!(meta["labels"]["app"], "updater");
        assert_eq!(meta["annotations"][INSTANTIATE], "manual");
        assert_eq!(meta["annotations"]["team"], "erp");
        assert_eq!(meta["ownerReferences"][0]["controller"], true);
        assert_eq!(meta["ownerReferences"][0]["uid"], "u-1");
        assert_eq!(
            job["spec"]["template"]["spec"]["containers"][0]["name"],
            "u"
        );
        assert!(job_from_cronjob(&json!({"metadata": {"name": "x", "uid": "u"}}), "y").is_err());
    }

    #[test]
    fn manual_names_differ_by_seed_and_keep_the_prefix() {
        let a = manual_job_name("protheus-updater", 1);
        let b = manual_job_name("protheus-updater", 2);
        assert!(a.starts_with("protheus-updater-manual-"));
        assert_eq!(a.len(), "protheus-updater-manual-".len() + 3);
        assert_ne!(a, b);
    }
}
