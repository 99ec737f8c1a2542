//! The scripted behaviours a pod (template) asks for through annotations:
//! `sim.kterm.io/behavior` = crashloop | oom | not-ready | image-pull | unschedulable |
//! slow-terminate | fail | complete; `sim.kterm.io/run-seconds`, `sim.kterm.io/initial-restarts`,
//! `sim.kterm.io/memory-mb`, `sim.kterm.io/oom-seconds`.

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
}
