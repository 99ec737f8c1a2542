//! The rules: what each kind of change does to what depends on the target. Pure: no IO, and the
//! clock only as `now`.

use chrono::{DateTime, Utc};

use super::effects::{pods_go, Out};
use super::query::{all_pods, names, owner, plural};
use super::slim::{labels, owner_refs};
use super::workloads::{cronjob, job_delete, scale, workload_delete};
use super::{Change, Checked, DepOwner, DepPod, Impact, Inputs};
use crate::kube::selector::Labels;

/// Label keys that name an environment: the default scenario labels every per-environment
/// object `env=production` or `env=homologation`; `environment` is the other common spelling.
const ENV_KEYS: [&str; 2] = ["env", "environment"];
/// Values of those keys that mean production.
const PRODUCTION: [&str; 3] = ["prd", "prod", "production"];

/// Whether `labels` mark production: `env` or `environment` is `prd`, `prod` or `production`
/// (any case).
pub fn is_production(labels: &Labels) -> bool {
    ENV_KEYS.iter().any(|key| {
        labels
            .get(key)
            .is_some_and(|v| PRODUCTION.iter().any(|p| v.eq_ignore_ascii_case(p)))
    })
}

/// What `change` to `inputs.target` will break, most serious first.
pub fn impact(inputs: &Inputs, change: Change, now: DateTime<Utc>) -> Impact {
    let mut out = Out::default();
    failed_checks(inputs, &mut out);
    let t = &inputs.target;
    let removes = match (t.kind.as_str(), change) {
        ("Namespace", Change::Delete) => {
            namespace(inputs, &mut out);
            true
        }
        ("Pod", Change::Delete) => {
            pod(inputs, &mut out);
            true
        }
        ("Job", Change::Delete) => {
            job_delete(inputs, &t.name, &mut out, now);
            true
        }
        ("CronJob", Change::Delete) => {
            cronjob(inputs, &mut out, now, true);
            true
        }
        ("CronJob", Change::Suspend) => {
            cronjob(inputs, &mut out, now, false);
            false
        }
        ("Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet", Change::Delete) => {
            workload_delete(inputs, &mut out);
            true
        }
        ("Deployment" | "StatefulSet", Change::ScaleTo(n)) => scale(inputs, n, &mut out),
        (_, Change::Delete) => {
            other_delete(inputs, &mut out);
            true
        }
        _ => false,
    };
    if removes {
        if let Some(labels) = object_labels(inputs) {
            if is_production(&labels) {
                out.high("labelled production");
            }
        }
    }
    out.finish()
}

/// Every failed check is itself a warning.
fn failed_checks(inputs: &Inputs, out: &mut Out) {
    fn failed<T>(c: &Checked<T>) -> Option<&str> {
        c.as_ref().err().map(String::as_str)
    }
    let itself = format!("the {} itself", inputs.target.kind);
    let checks = [
        (itself.as_str(), failed(&inputs.object)),
        ("pods", failed(&inputs.pods)),
        ("Services", failed(&inputs.services)),
        ("endpoints", failed(&inputs.endpoints)),
        ("PodDisruptionBudgets", failed(&inputs.pdbs)),
        ("controllers", failed(&inputs.owners)),
        (
            "the objects in it",
            inputs.counts.as_ref().and_then(|c| failed(c)),
        ),
    ];
    for (what, reason) in checks {
        if let Some(reason) = reason {
            out.warn(format!("could not check {what}: {reason}"));
        }
    }
    // Knowing nothing is not knowing it is safe: a delete that could not look first wants the
    // name typed.
    if inputs.object.is_err() && inputs.pods.is_err() {
        out.high("nothing it affects could be checked");
    }
    for (kind, reason) in &inputs.uncounted {
        out.warn(format!("could not count {kind} objects: {reason}"));
    }
}

fn object_labels(inputs: &Inputs) -> Option<Labels> {
    if let Ok(object) = &inputs.object {
        return Some(labels(object));
    }
    (inputs.target.kind == "Pod")
        .then(|| find_pod(inputs))
        .flatten()
        .map(|p| p.labels.clone())
}

fn find_pod(inputs: &Inputs) -> Option<DepPod> {
    let listed = inputs
        .pods
        .as_ref()
        .ok()
        .and_then(|pods| pods.iter().find(|p| p.name == inputs.target.name).cloned());
    listed.or_else(|| inputs.object.as_ref().ok().map(DepPod::from_json))
}

fn pod(inputs: &Inputs, out: &mut Out) {
    let Some(pod) = find_pod(inputs) else {
        return;
    };
    let comes_back = match pod.controller() {
        None => {
            out.danger("no controller: this pod is gone for good");
            out.high("a bare pod");
            false
        }
        Some(c) if matches!(c.kind.as_str(), "ReplicaSet" | "ReplicationController") => {
            match owner(inputs, &c.kind, &c.name) {
                Some(rs) if rs.replicas == Some(0) => {
                    out.danger(format!(
                        "{} {} is scaled to 0: this pod is gone for good",
                        c.kind, c.name
                    ));
                    false
                }
                found => {
                    let parent = found
                        .and_then(DepOwner::controller)
                        .map(|d| format!(" ({} {})", d.kind, d.name))
                        .unwrap_or_default();
                    out.info(format!("{} {} will recreate it{parent}", c.kind, c.name));
                    true
                }
            }
        }
        Some(c) if c.kind == "StatefulSet" => {
            out.info(format!(
                "StatefulSet {} will recreate it under the same name",
                c.name
            ));
            true
        }
        Some(c) if c.kind == "DaemonSet" => {
            out.info(format!("DaemonSet {} will recreate it", c.name));
            true
        }
        Some(c) if c.kind == "Job" => {
            let finished = owner(inputs, "Job", &c.name).is_some_and(|j| j.finished);
            if finished || matches!(pod.phase.as_str(), "Succeeded" | "Failed") {
                out.info(format!("Job {} does not recreate a finished pod", c.name));
                false
            } else {
                out.warn(format!(
                    "this pod's work stops; Job {} starts a new pod if its backoff limit allows",
                    c.name
                ));
                true
            }
        }
        Some(c) => {
            out.info(format!(
                "{} {} controls it and will likely recreate it",
                c.kind, c.name
            ));
            true
        }
    };
    if let Some(since) = pod.deleted {
        out.info(format!("it is already terminating (since {since})"));
    }
    pods_go(inputs, &[&pod], comes_back, out);
}

fn namespace(inputs: &Inputs, out: &mut Out) {
    out.high("a namespace");
    if let Some(Ok(counts)) = &inputs.counts {
        let mut counts: Vec<&(String, usize)> = counts.iter().filter(|(_, n)| *n > 0).collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if counts.is_empty() {
            out.info(format!("namespace {} holds no objects", inputs.target.name));
        } else {
            let list = counts
                .iter()
                .map(|(kind, n)| format!("{n} {}", kind_plural(kind, *n)))
                .collect::<Vec<_>>()
                .join(", ");
            out.danger(format!(
                "everything in namespace {} is deleted: {list}",
                inputs.target.name
            ));
        }
    }
}

/// `Pod` → `Pods`, `NetworkPolicy` → `NetworkPolicies`, `Ingress` → `Ingresses`; one stays.
fn kind_plural(kind: &str, n: usize) -> String {
    if n == 1 || kind.ends_with("Endpoints") {
        return kind.to_string();
    }
    if kind.ends_with("ss") {
        return format!("{kind}es");
    }
    match kind.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{kind}s"),
    }
}

fn other_delete(inputs: &Inputs, out: &mut Out) {
    let t = &inputs.target;
    let refs = inputs.object.as_ref().map(owner_refs).unwrap_or_default();
    if let Some(p) = refs.iter().find(|r| r.controller) {
        out.info(format!(
            "{} {} controls it and will likely recreate it",
            p.kind, p.name
        ));
    }
    match t.kind.as_str() {
        "Service" => out.warn(format!(
            "requests through Service {} will fail once it is gone",
            t.name
        )),
        "PersistentVolumeClaim" => {
            let users: Vec<&DepPod> = all_pods(inputs)
                .iter()
                .filter(|p| p.claims.contains(&t.name))
                .collect();
            if !users.is_empty() {
                out.warn(format!(
                    "{} still mount it: it stays until they are gone, then its volume goes by its reclaim policy: {}",
                    plural(users.len(), "pod", "pods"),
                    names(&users)
                ));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::kind_plural;

    #[test]
    fn kinds_count_in_plain_english() {
        assert_eq!(kind_plural("Pod", 1), "Pod");
        assert_eq!(kind_plural("Pod", 2), "Pods");
        assert_eq!(kind_plural("NetworkPolicy", 2), "NetworkPolicies");
        assert_eq!(kind_plural("Gateway", 2), "Gateways");
        assert_eq!(kind_plural("Ingress", 2), "Ingresses");
        assert_eq!(kind_plural("Endpoints", 3), "Endpoints");
    }
}
