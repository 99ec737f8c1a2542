//! Scriptable, terminal-free commands (`kterm get pods`) built on the same rows as the TUI.

pub mod cp;
pub mod format;
pub mod get;

pub use cp::{CpArgs, CpError};
pub use format::Output;
pub use get::{GetError, GetPodsArgs};
