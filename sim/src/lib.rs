//! `kterm-sim`: a simulated Kubernetes API server, faithful enough that kubectl and kube-rs
//! cannot tell it from a real one for what kterm does. Used by `kterm --demo`, tests and benches.

pub mod cluster;
pub mod controllers;
pub mod error;
pub mod exec;
pub mod kubeconfig;
pub mod logs;
pub mod patch;
pub mod protobuf;
pub mod resources;
pub mod scenario;
pub mod selector;
pub mod server;
pub mod sim;
pub mod store;
pub mod table;
pub mod tls;

pub use sim::{start, RbacProfile, ScenarioChoice, SimHandle, SimOpts};
