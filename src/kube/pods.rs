//! A pod's table row and its pure conversion from the slim pod (`kube::slim_pod`, decoded
//! straight from the API): kubectl's READY, STATUS and RESTARTS, and the last termination.
//!
//! kubectl's STATUS rules are implemented twice on purpose: here, on the slim struct kterm
//! keeps, and in the simulator (`sim/src/table/pod.rs`), on the JSON it serves. Neither may
//! depend on the other — the simulator is the judge of kterm — so each is checked against
//! the same case table, `tests/fixtures/pod-status/cases.yaml`.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::age::{human_duration, short_duration};
use super::selector::Labels;
use crate::sanitize::{sanitize, sanitize_owned};

pub use super::slim_pod::{
    Amounts, ContainerSpec, ContainerState, ContainerStatus, InitContainerSpec, PodCondition,
    Resources, SlimPod, SlimSpec, SlimStatus, Terminated, Waiting,
};

/// A shared string: a pod's name is held by its row, its map key and the shown order, and a
/// namespace or node name by every pod on it; sharing keeps 10,000 pods small (PERFORMANCE.md P1).
pub type Shared = Arc<str>;

/// Identity of a pod: rows are ordered by namespace, then name. Cloning it copies two pointers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PodKey {
    /// Namespace.
    pub namespace: Shared,
    /// Name.
    pub name: Shared,
}

impl Default for PodKey {
    fn default() -> Self {
        PodKey::new("", "")
    }
}

impl PodKey {
    /// A key from its parts.
    pub fn new(namespace: impl Into<Shared>, name: impl Into<Shared>) -> Self {
        PodKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

/// How a container last ended, for the LAST TERMINATION column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastTermination {
    /// `OOMKilled`, `Error`, `ExitCode:137`, …
    pub reason: String,
    /// The process's exit code (137 for an OOM kill), for scripts that branch on it.
    pub exit_code: i32,
    /// When it ended, if known.
    pub finished_at: Option<DateTime<Utc>>,
}

/// One row of the pod table. Time-dependent cells are formatted at render time from the
/// timestamps kept here, so rows never go stale.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PodRow {
    /// Namespace (shared with the other pods of the namespace).
    pub namespace: Shared,
    /// Pod name (shared with the row's key).
    pub name: Shared,
    /// Ready containers (READY's n).
    pub ready: u16,
    /// Containers counted by kubectl, native sidecars included (READY's m).
    pub total: u16,
    /// STATUS as kubectl prints it.
    pub status: String,
    /// Restarts as kubectl counts them.
    pub restarts: u32,
    /// When the latest counted restart happened.
    pub last_restart: Option<DateTime<Utc>>,
    /// How a container last ended, the most recent across containers.
    pub last_termination: Option<LastTermination>,
    /// Node name, "" if unscheduled (shared with the other pods of the node).
    pub node: Shared,
    /// Pod IP, "" until the pod has one.
    pub ip: String,
    /// Creation time.
    pub created: Option<DateTime<Utc>>,
    /// Labels, for drill-downs that select pods (a deployment's pods).
    pub labels: Labels,
    /// Memory requested, bytes: summed over the app containers and native sidecars (what
    /// runs at once, and what metrics.k8s.io reports); `None` when any of them sets none.
    pub mem_request: Option<u64>,
    /// Memory limit, bytes, summed the same way; `None` when any container is unlimited.
    pub mem_limit: Option<u64>,
    /// CPU requested, millicores, summed the same way.
    pub cpu_request: Option<u32>,
    /// CPU limit, millicores, summed the same way.
    pub cpu_limit: Option<u32>,
}

impl PodRow {
    /// The row with control characters in its strings made visible (`^[`), so a waiting
    /// reason or a node name cannot drive the terminal; clean strings are kept as they are.
    pub fn sanitized(mut self) -> Self {
        let shared = |s: &mut Shared| {
            if let Cow::Owned(clean) = sanitize(s) {
                *s = clean.into();
            }
        };
        shared(&mut self.namespace);
        shared(&mut self.name);
        shared(&mut self.node);
        self.status = sanitize_owned(self.status);
        self.ip = sanitize_owned(self.ip);
        if let Some(t) = self.last_termination.as_mut() {
            t.reason = sanitize_owned(std::mem::take(&mut t.reason));
        }
        self
    }

    /// The row's identity.
    pub fn key(&self) -> PodKey {
        PodKey::new(self.namespace.clone(), self.name.clone())
    }

    /// READY cell: `n/m`.
    pub fn ready_cell(&self) -> String {
        format!("{}/{}", self.ready, self.total)
    }

    /// RESTARTS cell: `5 (3m ago)` like kubectl, or just the count.
    pub fn restarts_cell(&self, now: DateTime<Utc>) -> String {
        match self.last_restart {
            Some(at) if self.restarts != 0 => format!("{} ({} ago)", self.restarts, since(at, now)),
            _ => self.restarts.to_string(),
        }
    }

    /// LAST TERMINATION cell: `OOMKilled 12m`, or "" if no container ended before.
    pub fn last_termination_cell(&self, now: DateTime<Utc>) -> String {
        match &self.last_termination {
            Some(t) => match t.finished_at {
                Some(at) => format!("{} {}", t.reason, since(at, now)),
                None => t.reason.clone(),
            },
            None => String::new(),
        }
    }

    /// RESTARTS in a narrow table: the count alone, or `None` when it is already that.
    pub fn restarts_short(&self) -> Option<String> {
        (self.restarts != 0 && self.last_restart.is_some()).then(|| self.restarts.to_string())
    }

    /// LAST TERMINATION in a narrow table: the reason stays, the time keeps its leading unit
    /// (`OOMKilled 2m` for `OOMKilled 2m20s`).
    pub fn last_termination_short(&self, now: DateTime<Utc>) -> Option<String> {
        let t = self.last_termination.as_ref()?;
        let at = t.finished_at?;
        Some(format!(
            "{} {}",
            t.reason,
            short_duration(now.signed_duration_since(at))
        ))
    }

    /// AGE cell.
    pub fn age_cell(&self, now: DateTime<Utc>) -> String {
        self.created
            .map(|c| since(c, now))
            .unwrap_or_else(|| "<unknown>".into())
    }

    /// Whether the pod needs attention: not fully ready and not a finished job pod.
    pub fn is_unhealthy(&self) -> bool {
        !matches!(self.status.as_str(), "Completed" | "Succeeded")
            && (self.status != "Running" || self.ready < self.total)
    }
}

fn since(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    human_duration(now.signed_duration_since(at))
}

/// Converts a pod into its row following kubectl's pod printer (`printPod`) rule by rule.
pub fn pod_row(pod: &SlimPod) -> PodRow {
    exact_pod_row(pod).sanitized()
}

/// The row with the cluster's strings exactly as sent, for `-o json|yaml`; anything that
/// reaches a terminal takes `pod_row`.
pub fn exact_pod_row(pod: &SlimPod) -> PodRow {
    let status = &pod.status;
    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = match status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.clone(),
    };
    if status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }

    let is_sidecar = |name: &str| {
        pod.spec
            .init_containers
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let sidecars = pod
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    let total = pod.spec.containers.len() + sidecars.count();
    let mut ready = 0usize;
    let mut restarts = 0u32;
    let mut last_restart: Option<DateTime<Utc>> = None;
    let mut sidecar_restarts = 0u32;
    let mut sidecar_last_restart: Option<DateTime<Utc>> = None;

    let mut initializing = false;
    let init_count = pod.spec.init_containers.len();
    for (i, c) in status.init_container_statuses.iter().enumerate() {
        restarts += c.restart_count;
        later(&mut last_restart, finished(c));
        let sidecar = is_sidecar(&c.name);
        if sidecar {
            sidecar_restarts += c.restart_count;
            later(&mut sidecar_last_restart, finished(c));
        }
        if c.state
            .terminated
            .as_ref()
            .is_some_and(|t| t.exit_code == 0)
        {
            continue;
        }
        if sidecar && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        initializing = true;
        reason = if let Some(t) = &c.state.terminated {
            t.describe("Init:")
        } else {
            match c.state.waiting.as_ref().and_then(|w| w.reason.as_deref()) {
                Some(r) if !r.is_empty() && r != "PodInitializing" => format!("Init:{r}"),
                _ => format!("Init:{i}/{init_count}"),
            }
        };
        break;
    }

    let initialized = status
        .conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        for c in status.container_statuses.iter().rev() {
            restarts += c.restart_count;
            later(&mut last_restart, finished(c));
            let waiting = c
                .state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            if let Some(w) = waiting {
                reason = w.to_string();
            } else if let Some(t) = &c.state.terminated {
                reason = t.describe("");
            } else if c.ready && c.state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status
                .conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }

    if pod.deleted.is_some() {
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".into();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".into();
        }
    }

    PodRow {
        namespace: pod.metadata.namespace.as_deref().unwrap_or_default().into(),
        name: pod.metadata.name.as_deref().unwrap_or_default().into(),
        ready: u16::try_from(ready).unwrap_or(u16::MAX),
        total: u16::try_from(total).unwrap_or(u16::MAX),
        status: reason,
        restarts,
        last_restart,
        last_termination: last_termination(status),
        node: pod.spec.node_name.as_deref().unwrap_or_default().into(),
        ip: pod.status.pod_ip.clone().unwrap_or_default(),
        created: pod.created,
        labels: pod.labels.clone(),
        mem_request: summed(pod, |r| r.requests.memory),
        mem_limit: summed(pod, |r| r.limits.memory),
        cpu_request: summed(pod, |r| r.requests.cpu),
        cpu_limit: summed(pod, |r| r.limits.cpu),
    }
}

/// One amount summed over the containers that run together (app containers and native
/// sidecars; plain init containers have finished by then); `None` when any lacks it.
fn summed<T: Copy + Default + std::ops::Add<Output = T>>(
    pod: &SlimPod,
    amount: impl Fn(&Resources) -> Option<T>,
) -> Option<T> {
    if pod.spec.containers.is_empty() {
        return None;
    }
    let sidecars = pod
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| &c.resources);
    pod.spec
        .containers
        .iter()
        .map(|c| &c.resources)
        .chain(sidecars)
        .try_fold(T::default(), |sum, r| amount(r).map(|a| sum + a))
}

fn finished(c: &ContainerStatus) -> Option<DateTime<Utc>> {
    c.last_state.terminated.as_ref().and_then(|t| t.finished_at)
}

fn later(slot: &mut Option<DateTime<Utc>>, candidate: Option<DateTime<Utc>>) {
    if let Some(c) = candidate {
        if slot.is_none_or(|s| s < c) {
            *slot = Some(c);
        }
    }
}

/// The most recent previous termination across all containers: this is what tells a support
/// engineer "it was OOMKilled 12 minutes ago" without opening the pod.
fn last_termination(status: &SlimStatus) -> Option<LastTermination> {
    status
        .init_container_statuses
        .iter()
        .chain(&status.container_statuses)
        .filter_map(|c| c.last_state.terminated.as_ref())
        .max_by_key(|t| t.finished_at)
        .map(|t| LastTermination {
            reason: t.describe(""),
            exit_code: t.exit_code,
            finished_at: t.finished_at,
        })
}
