//! The tenant health overview: one row per tenant and environment with a state (DOWN, DEGRADED,
//! AT RISK, UP), its counters and the reasons in words. A pure function of the pod store's rows,
//! the Services, Jobs and warning Events already held, and the pods' usage; the TUI's overview
//! screen and `kterm check` both call it, so they tell the same story.
//!
//! A Service's endpoints are derived from the readiness of the pods it selects, which the pod
//! store already holds, instead of watching EndpointSlices too: one watch fewer per tenant, and
//! the answer is the endpoints controller's own rule (a ready, not terminating pod).

mod cache;
mod clock;
mod held;
mod rules;
pub mod screen;

use chrono::{DateTime, TimeDelta, Utc};

use crate::app::store::Rows;
use crate::config::settings::Tenant;
use crate::kube::pods::PodKey;
use crate::kube::resources::ResourceRow;

pub use cache::{OverviewCache, CLOCK_ROUND, SAFETY_ROUND};
pub use held::HealthObjects;
pub use rules::ENV_LABEL;

/// A pod's usage against its limits, in percent (the metrics join gives it).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    /// Memory used, in % of the memory limit.
    pub mem_pct: f32,
    /// CPU used, in % of the CPU limit.
    pub cpu_pct: f32,
}

/// How a tenant environment is doing, worst first (the order rows are sorted by).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TenantState {
    /// A Service has no ready endpoint, or every pod of a workload is failing.
    Down,
    /// Some pod is not ready, crash-looping, OOM-killed in the last hour, pending over 5
    /// minutes, or a Job failed.
    Degraded,
    /// A pod uses 90 % or more of its memory or CPU limit.
    AtRisk,
    /// Nothing to see.
    Up,
}

impl TenantState {
    /// The word, as `kterm check` prints it.
    pub fn word(self) -> &'static str {
        match self {
            TenantState::Down => "DOWN",
            TenantState::Degraded => "DEGRADED",
            TenantState::AtRisk => "AT RISK",
            TenantState::Up => "UP",
        }
    }

    /// A glyph that differs per state, so the state reads without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            TenantState::Down => "✖",
            TenantState::Degraded => "!",
            TenantState::AtRisk => "▲",
            TenantState::Up => "✓",
        }
    }
}

/// The newest warning event of a tenant environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastWarning {
    /// Its reason (`BackOff`).
    pub reason: String,
    /// When it was last seen.
    pub at: Option<DateTime<Utc>>,
}

/// One row of the overview: a tenant namespace and one of its environments.
#[derive(Clone, Debug, PartialEq)]
pub struct TenantRow {
    /// The namespace.
    pub namespace: String,
    /// The environment (the pods' `env` label, else the config's), `None` when it has none.
    pub env: Option<String>,
    /// The customer's name from the config.
    pub display: Option<String>,
    /// The state.
    pub state: TenantState,
    /// Pods fully ready, of `total` (finished job pods are not counted).
    pub ready: usize,
    /// Pods counted.
    pub total: usize,
    /// Restarts of the pods whose last restart was within the hour (an upper bound: the API
    /// keeps a count and the last time, not each restart's time).
    pub restarts_1h: u32,
    /// Pods OOM-killed within the last 24 h (a lower bound: each pod counts once).
    pub ooms_24h: usize,
    /// Pods at 90 % or more of their memory limit.
    pub near_mem_limit: usize,
    /// Jobs whose status is Failed.
    pub failed_jobs: usize,
    /// The newest warning event.
    pub last_warning: Option<LastWarning>,
    /// Why the state is not UP, worst first, one short sentence each.
    pub reasons: Vec<String>,
}

impl TenantRow {
    /// `t4k9pz production`, or just the namespace.
    pub fn title(&self) -> String {
        match &self.env {
            Some(env) => format!("{} {env}", self.namespace),
            None => self.namespace.clone(),
        }
    }
}

/// What the overview is computed from; everything is already held, nothing is listed again.
pub struct Inputs<'a> {
    /// The pod store's rows, ordered by namespace then name.
    pub pods: &'a Rows,
    /// The tenant namespaces to show (each gets a row even without pods); empty: every
    /// namespace that has pods.
    pub namespaces: &'a [String],
    /// The config's tenants, for display names and environments.
    pub tenants: &'a [Tenant],
    /// Services (their rows carry their selector as `Drill::Pods`).
    pub services: &'a [&'a ResourceRow],
    /// Jobs (a failed one has `Health::Failed`).
    pub jobs: &'a [&'a ResourceRow],
    /// Events (warnings have `Health::Warning`; the reason is the third cell).
    pub events: &'a [&'a ResourceRow],
    /// A pod's usage against its limits, when metrics are known.
    pub usage: &'a dyn Fn(&PodKey) -> Option<Usage>,
}

/// A pod's restarts or OOM kill older than this no longer count in `restarts_1h`.
pub const HOUR: TimeDelta = TimeDelta::hours(1);
/// OOM kills are counted over this window.
pub const DAY: TimeDelta = TimeDelta::hours(24);
/// A pod pending longer than this degrades its tenant.
pub const PENDING_GRACE: TimeDelta = TimeDelta::minutes(5);
/// Usage at or above this percentage of a limit puts a tenant at risk.
pub const RISK_PCT: f32 = 90.0;

/// The overview rows, worst first, then by namespace and environment.
pub fn overview(inputs: &Inputs<'_>, now: DateTime<Utc>) -> Vec<TenantRow> {
    overview_counted(inputs, now).0
}

/// `overview`, with the number of elementary steps it took (pods, objects and selector matches
/// visited): the measure its cost test bounds, since timings on a shared machine say nothing.
pub fn overview_counted(inputs: &Inputs<'_>, now: DateTime<Utc>) -> (Vec<TenantRow>, usize) {
    let mut work = rules::Work::default();
    let mut rows = rules::compute(inputs, now, &mut work);
    rows.sort_by(|a, b| (a.state, &a.namespace, &a.env).cmp(&(b.state, &b.namespace, &b.env)));
    (rows, work.steps)
}

/// The process exit code `kterm check` gives for these rows: 0 all UP, 1 any DEGRADED or AT
/// RISK, 2 any DOWN.
pub fn exit_code(rows: &[TenantRow]) -> u8 {
    match rows.iter().map(|r| r.state).min() {
        Some(TenantState::Down) => 2,
        Some(TenantState::Degraded | TenantState::AtRisk) => 1,
        _ => 0,
    }
}
