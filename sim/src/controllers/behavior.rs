//! The scripted behaviours a pod (template) asks for through annotations:
//! `sim.kterm.io/behavior` = crashloop | oom | not-ready | image-pull | unschedulable |
//! slow-terminate | fail | complete | hang (runs and stays Ready forever, even in a Job's pod);
//! `sim.kterm.io/run-seconds`, `sim.kterm.io/initial-restarts`,
//! `sim.kterm.io/memory-mb`, `sim.kterm.io/oom-seconds`.

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::Value;

pub const BEHAVIOR: &str = "sim.kterm.io/behavior";

#[derive(Debug, Clone, Default)]
pub struct Behavior {
    pub kind: Option<String>,
    /// How long a job container runs before it exits.
    pub run_seconds: f64,
    pub initial_restarts: i64,
    pub memory_mb: Option<f64>,
    /// Seconds from container start to the OOM kill.
    pub oom_seconds: f64,
}

impl Behavior {
    pub fn of(pod: &Value) -> Behavior {
        let a = &pod["metadata"]["annotations"];
        let num = |k: &str| a[k].as_str().and_then(|s| s.parse::<f64>().ok());
        Behavior {
            kind: a[BEHAVIOR].as_str().map(str::to_string),
            run_seconds: num("sim.kterm.io/run-seconds").unwrap_or(20.0),
            initial_restarts: num("sim.kterm.io/initial-restarts").unwrap_or(0.0) as i64,
            memory_mb: num("sim.kterm.io/memory-mb"),
            oom_seconds: num("sim.kterm.io/oom-seconds").unwrap_or(150.0).max(5.0),
        }
    }

    pub fn is(&self, k: &str) -> bool {
        self.kind.as_deref() == Some(k)
    }

    /// How a running container of this pod ends by itself, if it does: the kubelet's timer and
    /// the log's epilogue both come from here so they agree.
    pub fn scheduled_exit(&self, job: bool) -> Option<Exit> {
        let (secs, code, reason) = match self.kind.as_deref() {
            Some("crashloop") => (CRASH_SECONDS, 1, "Error"),
            Some("oom") => (self.oom_seconds, 137, "OOMKilled"),
            Some("not-ready" | "hang") => return None,
            Some("fail") => (self.run_seconds, 1, "Error"),
            Some("complete") => (self.run_seconds, 0, "Completed"),
            _ if job => (self.run_seconds, 0, "Completed"),
            _ => return None,
        };
        Some(Exit { secs, code, reason })
    }
}

/// A pod whose containers run to completion (a job's): not restarted after a clean exit.
/// `Always` is the API server's default when the field is absent.
pub fn runs_to_completion(pod: &Value) -> bool {
    matches!(
        pod["spec"]["restartPolicy"].as_str(),
        Some("Never" | "OnFailure")
    )
}

/// Seconds a crash-looping container runs before it exits.
const CRASH_SECONDS: f64 = 3.0;

/// A scheduled end of a running container.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exit {
    /// Seconds after the container's start.
    pub secs: f64,
    pub code: i64,
    pub reason: &'static str,
}

impl Exit {
    /// The instant the container ends, in whole seconds because status times carry no more: the
    /// running log shows its epilogue up to it and the terminated state's `finishedAt` says it,
    /// so `logs -p` afterwards is what `logs -f` showed. Never later than the kubelet's timer,
    /// which counts from the precise start.
    pub fn at(&self, started: DateTime<Utc>) -> DateTime<Utc> {
        let base = started
            .duration_trunc(Duration::seconds(1))
            .unwrap_or(started);
        base + Duration::seconds(self.secs.max(0.0).floor() as i64)
    }
}
