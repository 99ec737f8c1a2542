//! Scriptable, terminal-free commands (`kterm get pods`, `kterm audit`) built on the same rows
//! as the TUI.

pub mod audit;
pub mod format;
pub mod get;

pub use audit::AuditArgs;
pub use format::Output;
pub use get::{GetError, GetPodsArgs};
