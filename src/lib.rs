//! kterm: a terminal UI for exploring Kubernetes clusters, built for multi-tenant support work
//! over SSH. The binary is a thin CLI over this library so tests can drive the app headless.

// The conventions forbid panicking in src/; tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub mod audit;
pub mod cli;
pub mod config;
pub mod kube;
pub mod sanitize;
pub mod term;
pub mod ui;
pub mod units;

pub use app::runtime::{run, run_loop, ConnectFuture, Connector, RunOpts};
