//! PLACEHOLDER (the impact helper's branch replaces this file): the contract only.
use chrono::{DateTime, Utc};

use crate::kube::target::Target;

/// A check's answer.
pub type Checked<T> = Result<T, String>;
/// What is about to happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Delete.
    Delete,
    /// Scale.
    ScaleTo(u32),
    /// Suspend.
    Suspend,
}
/// Inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// Target.
    pub target: Target,
    /// Object.
    pub object: Checked<serde_json::Value>,
}
/// Level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Danger.
    Danger,
    /// Warn.
    Warn,
    /// Info.
    Info,
}
/// Warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Level.
    pub level: Level,
    /// Text.
    pub text: String,
}
/// Impact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impact {
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// High.
    pub high: Vec<String>,
}
/// Impact.
pub fn impact(inputs: &Inputs, change: Change, now: DateTime<Utc>) -> Impact {
    let _ = (change, now);
    let mut i = Impact::default();
    if inputs.target.kind == "Pod" {
        i.high.push("a bare pod".into());
        i.warnings.push(Warning {
            level: Level::Danger,
            text: "no controller: this pod is gone for good".into(),
        });
    }
    i
}
