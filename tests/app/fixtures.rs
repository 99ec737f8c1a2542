//! Shared builders.

use chrono::{DateTime, TimeZone, Utc};
use kterm::app::state::{NamespaceChoice, State};
use kterm::kube::pods::{PodKey, PodRow};

/// A fixed clock: 2025-01-01 12:00:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0)
        .single()
        .expect("valid date")
}

/// A running, ready pod row.
pub fn row(ns: &str, name: &str) -> PodRow {
    PodRow {
        namespace: ns.into(),
        name: name.into(),
        ready: 1,
        total: 1,
        status: "Running".into(),
        node: "node-a".into(),
        created: Some(now() - chrono::TimeDelta::minutes(30)),
        ..PodRow::default()
    }
}

/// A key.
pub fn key(ns: &str, name: &str) -> PodKey {
    PodKey::new(ns, name)
}

/// A fresh state at the fixed clock.
pub fn state() -> State {
    State::new("test", NamespaceChoice::All, now())
}
