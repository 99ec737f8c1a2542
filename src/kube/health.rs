//! What a pod row needs from a person at a glance, derived from what `PodRow` already holds;
//! themes style rows by it and views flag it, so the meaning survives a monochrome terminal.

use chrono::{DateTime, TimeDelta, Utc};

use crate::kube::pods::PodRow;

/// Restarts and OOM kills older than this no longer flag a row: the pod has been stable since.
const RECENT: TimeDelta = TimeDelta::hours(1);

/// The row's category, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodHealth {
    /// Being deleted.
    Terminating,
    /// A container was OOM-killed within the last hour (or the status says so).
    Oom,
    /// Crash-looping, erroring, failed, evicted, image pull problems.
    Failing,
    /// Running, but restarted within the last hour.
    Restarting,
    /// Not scheduled or containers not started yet.
    Pending,
    /// A finished job pod.
    Completed,
    /// Nothing to see.
    Ok,
}

impl PodHealth {
    /// Categorises `row` as of `now`.
    pub fn of(row: &PodRow, now: DateTime<Utc>) -> PodHealth {
        let status = row.status.as_str();
        let recent = |at: Option<DateTime<Utc>>| at.is_some_and(|at| now - at <= RECENT);
        let oom_recently = row.last_termination.as_ref().is_some_and(|t| {
            t.reason == "OOMKilled" && (recent(t.finished_at) || recent(row.last_restart))
        });
        match status {
            "Terminating" => PodHealth::Terminating,
            "OOMKilled" => PodHealth::Oom,
            _ if oom_recently => PodHealth::Oom,
            "Running" if row.restarts > 0 && recent(row.last_restart) => PodHealth::Restarting,
            "Running" => PodHealth::Ok,
            "Completed" | "Succeeded" => PodHealth::Completed,
            "Pending" | "ContainerCreating" | "PodInitializing" | "SchedulingGated" => {
                PodHealth::Pending
            }
            // "Init:1/3" is progress; "Init:CrashLoopBackOff" and "Init:Error" are not.
            s if s.starts_with("Init:") && !s.contains("Err") && !s.contains("BackOff") => {
                PodHealth::Pending
            }
            _ => PodHealth::Failing,
        }
    }

    /// The glyph in the row's first column; blank for healthy rows so problems stand out.
    pub fn flag(self) -> &'static str {
        match self {
            PodHealth::Terminating => "↓",
            PodHealth::Oom => "M",
            PodHealth::Failing => "✖",
            PodHealth::Restarting => "↻",
            PodHealth::Pending => "…",
            PodHealth::Completed => "✓",
            PodHealth::Ok => " ",
        }
    }
}
