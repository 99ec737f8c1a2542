//! Queries over the slim stores that the rules of every kind share: a controller's pods, its
//! children, an owner by name, and the wording helpers for lists of names and counts.

use super::{DepOwner, DepPod, Inputs};
use crate::kube::selector::LabelSelector;

pub(super) fn owners(inputs: &Inputs) -> &[DepOwner] {
    inputs.owners.as_deref().unwrap_or_default()
}

pub(super) fn owner<'a>(inputs: &'a Inputs, kind: &str, name: &str) -> Option<&'a DepOwner> {
    owners(inputs)
        .iter()
        .find(|o| o.kind == kind && o.name == name)
}

pub(super) fn all_pods(inputs: &Inputs) -> &[DepPod] {
    inputs.pods.as_deref().unwrap_or_default()
}

/// The live pods a controller of `kind`/`name` manages (a Deployment's through its ReplicaSets).
/// Without the controllers, a Deployment's pods are the ones its selector matches.
pub(super) fn pods_of<'a>(inputs: &'a Inputs, kind: &str, name: &str) -> Vec<&'a DepPod> {
    let controlled =
        |p: &&DepPod, k: &str, n: &str| p.controller().is_some_and(|c| c.kind == k && c.name == n);
    let live = all_pods(inputs).iter().filter(|p| p.deleted.is_none());
    match kind {
        "Deployment" if inputs.owners.is_ok() => {
            let sets = children(inputs, "ReplicaSet", kind, name);
            live.filter(|p| sets.iter().any(|rs| controlled(p, "ReplicaSet", &rs.name)))
                .collect()
        }
        "Deployment" => {
            let selector: Option<LabelSelector> = inputs
                .object
                .as_ref()
                .ok()
                .and_then(|o| o.pointer("/spec/selector"))
                .and_then(|s| serde_json::from_value(s.clone()).ok());
            match selector {
                Some(s) => live.filter(|p| s.matches(&p.labels)).collect(),
                None => Vec::new(),
            }
        }
        "CronJob" => {
            let jobs = children(inputs, "Job", kind, name);
            live.filter(|p| jobs.iter().any(|j| controlled(p, "Job", &j.name)))
                .collect()
        }
        _ => live.filter(|p| controlled(p, kind, name)).collect(),
    }
}

/// The controllers of `child_kind` that `kind`/`name` controls.
pub(super) fn children<'a>(
    inputs: &'a Inputs,
    child_kind: &str,
    kind: &str,
    name: &str,
) -> Vec<&'a DepOwner> {
    owners(inputs)
        .iter()
        .filter(|o| o.kind == child_kind)
        .filter(|o| {
            o.controller()
                .is_some_and(|c| c.kind == kind && c.name == name)
        })
        .collect()
}

pub(super) fn names(pods: &[&DepPod]) -> String {
    pods.iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
