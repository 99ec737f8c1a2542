//! Scriptable, terminal-free commands (`kterm get pods`, `kterm check`, `kterm audit`, `kterm cp`) built on the same rows
//! as the TUI; and the install helpers (`kterm completions`, `kterm manpage`, `kterm config
//! check`, the `--demo` switch).

pub mod audit;
pub mod check;
pub mod completions;
pub mod config_check;
pub mod cp;
pub mod demo;
pub mod format;
pub mod get;

pub use audit::AuditArgs;
pub use check::CheckArgs;
pub use cp::{CpArgs, CpError};
pub use format::Output;
pub use get::{GetError, GetPodsArgs};
