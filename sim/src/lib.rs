//! `kterm-sim`: a simulated Kubernetes API server, faithful enough that kubectl and kube-rs
//! cannot tell it from a real one for what kterm does. Used by `kterm --demo`, tests and benches.

pub mod error;
pub mod exec;
pub mod logs;
pub mod patch;
pub mod scenario;
pub mod selector;
pub mod table;
pub mod sim;

pub use sim::{start, RbacProfile, ScenarioChoice, SimHandle, SimOpts};
