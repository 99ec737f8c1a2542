//! What a delete (or a scale down, or a suspend) will break, computed before the user confirms
//! it: a pure function (`impact`) over slim stores (`Inputs`) that `fetch::gather` reads from the
//! cluster when the dialog opens, or that tests build from YAML fixtures (`Inputs::from_objects`).

mod effects;
pub mod fetch;
mod query;
mod rules;
pub mod slim;
mod workloads;

use serde_json::Value;

use crate::kube::target::Target;

pub use rules::{impact, is_production};
pub use slim::{DepEndpoints, DepOwner, DepPdb, DepPod, DepRef, DepService};

/// One check's answer; `Err` is the reason it failed (`forbidden`), which `impact` turns into a
/// warning ("could not check Services: forbidden").
pub type Checked<T> = Result<T, String>;

/// What is about to happen to the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// It is deleted.
    Delete,
    /// A Deployment or StatefulSet is scaled to this many replicas.
    ScaleTo(u32),
    /// A CronJob is suspended.
    Suspend,
}

/// The slim stores, fetched when the dialog opens (every list at once).
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// The object the change is about.
    pub target: Target,
    /// The target itself, whole.
    pub object: Checked<Value>,
    /// The pods of the target's namespace.
    pub pods: Checked<Vec<DepPod>>,
    /// The Services of the namespace.
    pub services: Checked<Vec<DepService>>,
    /// Per Service, the pods behind its endpoints (from EndpointSlices).
    pub endpoints: Checked<Vec<DepEndpoints>>,
    /// The PodDisruptionBudgets of the namespace.
    pub pdbs: Checked<Vec<DepPdb>>,
    /// ReplicaSets, Jobs, StatefulSets, DaemonSets, Deployments and CronJobs of the namespace.
    pub owners: Checked<Vec<DepOwner>>,
    /// A namespace delete: its objects counted by kind (`("Pod", 12)`); `None` for other targets.
    pub counts: Option<Checked<Vec<(String, usize)>>>,
    /// Kinds a namespace delete could not count, each with the reason (`("Secret", "forbidden")`).
    pub uncounted: Vec<(String, String)>,
}

/// What `impact` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Something stops working or is lost.
    Danger,
    /// Worth reading before confirming.
    Warn,
    /// For the record (what comes back, what is kept).
    Info,
}

/// One line of the dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// How serious.
    pub level: Level,
    /// One sentence.
    pub text: String,
}

/// The impact of a change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impact {
    /// In the order the dialog shows them, most serious first.
    pub warnings: Vec<Warning>,
    /// Why typing the object's name is required ("a bare pod", "a running Job"); empty: `y`
    /// is enough.
    pub high: Vec<String>,
    /// What the user must do by hand once the change is made (the migration's flag files).
    pub after: Vec<String>,
}

impl Impact {
    /// Whether typing the name is required.
    pub fn is_high(&self) -> bool {
        !self.high.is_empty()
    }
}

impl Inputs {
    /// Every check failed with `reason` (a connection that cannot list, a test fake).
    pub fn unchecked(target: Target, reason: &str) -> Inputs {
        let why = reason.to_string();
        let counts = (target.kind == "Namespace").then(|| Err(why.clone()));
        Inputs {
            target,
            object: Err(why.clone()),
            pods: Err(why.clone()),
            services: Err(why.clone()),
            endpoints: Err(why.clone()),
            pdbs: Err(why.clone()),
            owners: Err(why),
            counts,
            uncounted: Vec::new(),
        }
    }

    /// Only the target: every store empty (a cluster-scoped target has no namespace to list).
    pub fn nothing_else(target: Target) -> Inputs {
        Inputs {
            target,
            object: Err("not read".to_string()),
            pods: Ok(Vec::new()),
            services: Ok(Vec::new()),
            endpoints: Ok(Vec::new()),
            pdbs: Ok(Vec::new()),
            owners: Ok(Vec::new()),
            counts: None,
            uncounted: Vec::new(),
        }
    }

    /// The stores built from whole objects as the API sends them (a fixture's documents, each
    /// with its `kind`): the target is the object of its kind and name; a namespace target
    /// counts every other object by kind.
    pub fn from_objects(target: Target, objects: &[Value]) -> Inputs {
        fn of<'a>(objects: &'a [Value], kind: &'a str) -> impl Iterator<Item = &'a Value> {
            objects.iter().filter(move |o| o["kind"] == kind)
        }
        let object = objects
            .iter()
            .find(|o| {
                o["kind"] == target.kind.as_str() && o["metadata"]["name"] == target.name.as_str()
            })
            .cloned()
            .ok_or_else(|| "not found".to_string());
        let owners = [
            "ReplicaSet",
            "Job",
            "StatefulSet",
            "DaemonSet",
            "Deployment",
            "CronJob",
        ]
        .iter()
        .flat_map(|kind: &&str| of(objects, kind).map(|o| DepOwner::from_json(o, kind)))
        .collect();
        let counts = (target.kind == "Namespace").then(|| {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for o in objects.iter().filter(|o| o["kind"] != "Namespace") {
                let kind = o["kind"].as_str().unwrap_or_default();
                match counts.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((kind.to_string(), 1)),
                }
            }
            Ok(counts)
        });
        Inputs {
            object,
            pods: Ok(of(objects, "Pod").map(DepPod::from_json).collect()),
            services: Ok(of(objects, "Service").map(DepService::from_json).collect()),
            endpoints: Ok(DepEndpoints::from_slices(of(objects, "EndpointSlice"))),
            pdbs: Ok(of(objects, "PodDisruptionBudget")
                .map(DepPdb::from_json)
                .collect()),
            owners: Ok(owners),
            counts,
            uncounted: Vec::new(),
            target,
        }
    }
}
