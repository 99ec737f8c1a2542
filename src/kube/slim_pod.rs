//! The slim pod: the few fields of a pod the table needs, decoded straight from a list or a
//! watch. Everything else in the pod JSON (managedFields, env, volumes, images…) is skipped by
//! serde without being allocated, which is what keeps thousands of watched pods cheap.

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Resource;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::meta::WireMeta;
use super::selector::Labels;

/// A pod as decoded from a list or watch: just what the pod table shows.
#[derive(Resource, Deserialize, Clone, Debug, Default)]
#[resource(inherit = Pod)]
#[serde(from = "WirePod")]
pub struct SlimPod {
    /// Name, namespace, uid and resourceVersion only (the watcher needs the last one).
    pub metadata: ObjectMeta,
    /// `metadata.creationTimestamp`.
    pub created: Option<DateTime<Utc>>,
    /// `metadata.deletionTimestamp`: set while the pod is terminating.
    pub deleted: Option<DateTime<Utc>>,
    /// `metadata.labels`, packed: drill-downs select pods by them.
    pub labels: Labels,
    /// The parts of `spec` the table needs.
    pub spec: SlimSpec,
    /// The parts of `status` the table needs.
    pub status: SlimStatus,
}

/// The wire shape; `ObjectMeta` is filled from our own slim metadata so managedFields and
/// annotations are never decoded (labels go straight into the packed `Labels`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct WirePod {
    metadata: WireMeta,
    spec: SlimSpec,
    status: SlimStatus,
}

impl From<WirePod> for SlimPod {
    fn from(w: WirePod) -> Self {
        SlimPod {
            metadata: w.metadata.object_meta(),
            created: w.metadata.creation_timestamp,
            deleted: w.metadata.deletion_timestamp,
            labels: w.metadata.labels,
            spec: w.spec,
            status: w.status,
        }
    }
}

/// `spec` fields of a pod that the table needs.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimSpec {
    /// Node the pod is scheduled on ("" while pending).
    pub node_name: Option<String>,
    /// One entry per app container: the count, and its requests and limits as numbers.
    pub containers: Vec<ContainerSpec>,
    /// Init containers, in order.
    pub init_containers: Vec<InitContainerSpec>,
}

/// An init container of the spec: a native sidecar has `restartPolicy: Always`.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct InitContainerSpec {
    /// Container name, matched against the statuses.
    pub name: String,
    /// `Always` marks a restartable init container (native sidecar).
    pub restart_policy: Option<String>,
    /// Its requests and limits (counted for a native sidecar, which runs beside the app).
    pub resources: Resources,
}

/// An app container of the spec: only its requests and limits are kept.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default)]
pub struct ContainerSpec {
    /// `resources.requests` and `resources.limits`.
    pub resources: Resources,
}

/// A container's `resources`, read straight into numbers (no quantity string is kept).
#[derive(Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Resources {
    /// `requests`.
    pub requests: Amounts,
    /// `limits`.
    pub limits: Amounts,
}

/// CPU and memory of a requests or limits block; `None` when not set (or not a quantity).
#[derive(Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Amounts {
    /// Millicores, rounded up as the kubelet does (`250m` → 250, `1` → 1000).
    #[serde(deserialize_with = "millicores")]
    pub cpu: Option<u32>,
    /// Bytes.
    #[serde(deserialize_with = "bytes")]
    pub memory: Option<u64>,
}

fn millicores<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let value = d.deserialize_any(QuantityVisitor)?;
    Ok(value.map(|v| (v * 1000.0).ceil().clamp(0.0, f64::from(u32::MAX)) as u32))
}

fn bytes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let value = d.deserialize_any(QuantityVisitor)?;
    Ok(value.map(|v| v.ceil().clamp(0.0, u64::MAX as f64) as u64))
}

/// A quantity as a string (`"2Gi"`) or a bare number; anything else reads as not set rather
/// than failing the whole pod.
struct QuantityVisitor;

impl<'de> serde::de::Visitor<'de> for QuantityVisitor {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Kubernetes quantity")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(super::metrics::quantity(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// `status` fields of a pod that the table needs.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimStatus {
    /// Pending, Running, Succeeded, Failed or Unknown.
    pub phase: Option<String>,
    /// A brief reason such as `Evicted` or `NodeLost`.
    pub reason: Option<String>,
    /// Pod conditions (type, status, reason).
    pub conditions: Vec<PodCondition>,
    /// Statuses of the init containers, in spec order.
    pub init_container_statuses: Vec<ContainerStatus>,
    /// Statuses of the app containers, in spec order.
    pub container_statuses: Vec<ContainerStatus>,
    /// The pod's primary IP (the wide table's IP column); the acronym defeats camelCase.
    #[serde(rename = "podIP")]
    pub pod_ip: Option<String>,
}

/// One pod condition.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default)]
pub struct PodCondition {
    /// `PodScheduled`, `Initialized`, `Ready`, …
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// Machine-readable reason, e.g. `SchedulingGated`.
    pub reason: Option<String>,
}

/// The status of one container.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    /// Container name.
    pub name: String,
    /// Whether the readiness probe passes.
    pub ready: bool,
    /// Restarts so far.
    pub restart_count: u32,
    /// Whether the startup probe passed (used for native sidecars).
    pub started: Option<bool>,
    /// The current state.
    pub state: ContainerState,
    /// The previous state, i.e. how the last run ended.
    pub last_state: ContainerState,
}

/// Waiting, running or terminated (at most one is set).
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default)]
pub struct ContainerState {
    /// Set while waiting (e.g. CrashLoopBackOff).
    pub waiting: Option<Waiting>,
    /// Set while running; its fields are not needed.
    pub running: Option<IgnoredAny>,
    /// Set once terminated.
    pub terminated: Option<Terminated>,
}

/// A waiting container.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default)]
pub struct Waiting {
    /// E.g. `CrashLoopBackOff`, `ImagePullBackOff`, `ContainerCreating`.
    pub reason: Option<String>,
}

/// A terminated container.
#[derive(Deserialize, Clone, Debug, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct Terminated {
    /// E.g. `OOMKilled`, `Error`, `Completed`.
    pub reason: Option<String>,
    /// Process exit code.
    pub exit_code: i32,
    /// Signal that ended the process, 0 if none.
    pub signal: i32,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

impl Terminated {
    /// The reason, or kubectl's `Signal:N` / `ExitCode:N` when the kubelet gave none.
    pub(crate) fn describe(&self, prefix: &str) -> String {
        match self.reason.as_deref() {
            Some(r) if !r.is_empty() => format!("{prefix}{r}"),
            _ if self.signal != 0 => format!("{prefix}Signal:{}", self.signal),
            _ => format!("{prefix}ExitCode:{}", self.exit_code),
        }
    }
}
