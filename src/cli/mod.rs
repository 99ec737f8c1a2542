//! Scriptable, terminal-free commands (`kterm get pods`) built on the same rows as the TUI.

pub mod format;
pub mod get;

pub use format::Output;
pub use get::{GetError, GetPodsArgs};
