// The format documentation lives in one file so the rustdoc page and `sim/SCENARIOS.md` can never drift.
#![doc = include_str!("../SCENARIOS.md")]

mod default;
mod files;
mod managed;
mod scale;
mod system;
mod topology;
mod updater;
mod yaml;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, SecondsFormat, Utc};

pub use default::default_scenario;
pub use scale::{scale_objects, scale_scenario};
pub use yaml::from_yaml;

/// Annotation naming the failure the simulator's kubelet plays for a pod (see the module docs).
pub const BEHAVIOR: &str = "sim.kterm.io/behavior";
/// Annotation: seconds a `complete` job pod runs before it exits 0.
pub const RUN_SECONDS: &str = "sim.kterm.io/run-seconds";
/// Annotation: restartCount a pod starts with, so failing pods already show history.
pub const INITIAL_RESTARTS: &str = "sim.kterm.io/initial-restarts";
/// Annotation: steady memory usage in MiB reported by the metrics API.
pub const MEMORY_MB: &str = "sim.kterm.io/memory-mb";
/// Annotation: lines ("\n"-separated) every run of the pod's containers prints verbatim after its banner.
pub const LOG_LINES: &str = "sim.kterm.io/log-lines";
/// Annotation: seconds after which the `log-lines` are printed again, so long-running pods show them
/// in a recent tail.
pub const LOG_LINES_EVERY: &str = "sim.kterm.io/log-lines-every";

/// The objects a simulated cluster starts with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// Every object to load, in creation order (Namespaces and Nodes first). Plain JSON as a user would
    /// `kubectl apply` it (apiVersion, kind, metadata.name/namespace/labels/annotations, spec; status only where noted).
    /// metadata.creationTimestamp MAY be set (in the past) so ages look real; the store fills uid/resourceVersion.
    pub objects: Vec<serde_json::Value>,
    /// Tenant namespaces (the `tenant` RBAC profile gets full rights in exactly these).
    pub tenants: Vec<String>,
    /// Files seeded into exec sandboxes of matching containers.
    pub files: Vec<SandboxFile>,
}

/// A file (or directory) placed into the exec sandbox of every matching pod's containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxFile {
    /// None = all namespaces.
    pub namespace: Option<String>,
    /// Label selector on the pod, e.g. "app=appserver"; None = all pods.
    pub selector: Option<String>,
    /// Absolute path inside the container, e.g. "/volume/logs/UPDDISTR.LOG".
    pub path: String,
    /// For a directory: path ends with '/', content empty.
    pub content: String,
    pub mode: u32,
}

/// RFC 3339 with whole seconds and `Z`, the form the API server writes timestamps in.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A timestamp `minutes` before `now`; scenarios express ages in minutes so everything stays integral.
pub(crate) fn ago(now: DateTime<Utc>, minutes: i64) -> String {
    ts(now - Duration::minutes(minutes))
}

/// Sets `path` inside `v`, creating objects on the way; a non-object on the way leaves `v` unchanged
/// (unlike `IndexMut`, which would panic).
pub(crate) fn set(v: &mut serde_json::Value, path: &[&str], val: serde_json::Value) {
    let Some((last, parents)) = path.split_last() else {
        *v = val;
        return;
    };
    let mut cur = v;
    for key in parents {
        let Some(map) = cur.as_object_mut() else {
            return;
        };
        cur = map
            .entry(key.to_string())
            .or_insert_with(|| serde_json::json!({}));
    }
    if let Some(map) = cur.as_object_mut() {
        map.insert(last.to_string(), val);
    }
}

pub(crate) const DAY: i64 = 24 * 60;

/// SplitMix64: a tiny seeded generator, used instead of `rand` so the scenarios stay byte-for-byte
/// identical across `rand` releases (benchmarks compare runs over time).
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant at these sizes.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `per_mille / 1000`.
    pub(crate) fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// `n` lowercase hex digits, for container IDs and digests.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n + 16);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }

    /// `n` characters from the alphabet Kubernetes uses for generated name suffixes (no vowels, so no words).
    pub(crate) fn name_suffix(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len() as u64) as usize]))
            .collect()
    }

    /// A version-4-shaped UUID, so objects that must reference each other's uid can do so up front.
    pub(crate) fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }
}
