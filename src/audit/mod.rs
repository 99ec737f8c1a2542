//! The audit log: one JSON line per mutating or shell action, written before it starts (intent)
//! and after it ends (outcome), appended whole even when several kterm processes share the file.
//! `kterm audit` (`cli::audit`) prints it.

mod record;

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub use record::{os_user, Outcome, Phase, Record};

use crate::config::paths;
use crate::config::settings::AuditSettings;

/// Where the audit log goes and whether a failed write stops the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    /// `None` when neither the config nor the environment gives a place for it.
    path: Option<PathBuf>,
    required: bool,
}

impl Audit {
    /// From the config (default `$XDG_STATE_HOME/kterm/audit.log`, else
    /// `~/.local/state/kterm/audit.log`).
    pub fn from_settings(settings: &AuditSettings) -> Audit {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        let path = match &settings.path {
            Some(path) => crate::config::paths::expand_home_in(path, home.as_deref()),
            None => paths::state_dir().map(|d| d.join("audit.log")),
        };
        Audit {
            path,
            required: settings.required,
        }
    }

    /// A log at `path`, for tests and callers that already know where.
    pub fn at(path: PathBuf, required: bool) -> Audit {
        Audit {
            path: Some(path),
            required,
        }
    }

    /// The log file, if there is a place for it.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether a failed write must stop the action (`audit: {required: true}`).
    pub fn required(&self) -> bool {
        self.required
    }

    /// Appends one JSON line; creates the file 0600 (and its directory 0700); Err is one sentence.
    pub fn append(&self, record: &Record) -> Result<(), String> {
        let Some(path) = &self.path else {
            return Err(
                "The audit log has no place (neither $XDG_STATE_HOME nor $HOME is set); set audit.path in config.yaml."
                    .to_string(),
            );
        };
        let mut line = serde_json::to_vec(record)
            .map_err(|e| format!("The audit record could not be encoded ({e})."))?;
        line.push(b'\n');
        let failed = |e: std::io::Error| {
            format!(
                "Cannot write the audit log {} ({e}); fix its permissions or set audit.path in config.yaml.",
                paths::display(path)
            )
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(failed)?;
        }
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(path)
            .map_err(failed)?;
        // One write on an O_APPEND file: the kernel places the whole line at the end, so lines
        // from two kterm processes never interleave. A short write would break that promise.
        let written = file.write(&line).map_err(failed)?;
        if written != line.len() {
            return Err(failed(std::io::Error::other(format!(
                "only {written} of {} bytes written",
                line.len()
            ))));
        }
        Ok(())
    }
}

/// The intent record of a copy into (`inward`) or out of a pod, `kterm cp` and the TUI's alike.
pub fn copy_intent(
    context: &str,
    namespace: &str,
    pod: &str,
    container: &str,
    inward: bool,
    local: &std::path::Path,
    remote: &str,
) -> Record {
    let verb = if inward { "cp-in" } else { "cp-out" };
    let mut record = Record::intent(context, verb, &format!("pod/{pod}"));
    record.namespace = Some(namespace.to_string());
    record.container = Some(container.to_string());
    record.direction = Some(if inward { "in" } else { "out" }.to_string());
    record.local_path = Some(local.display().to_string());
    record.pod_path = Some(remote.to_string());
    record
}

/// The outcome record of a copy: its bytes when it worked, its sentence when not.
pub fn copy_outcome(intent: &Record, result: &Result<u64, String>) -> Record {
    match result {
        Ok(bytes) => {
            let mut done = intent.outcome(Outcome::Ok);
            done.bytes = Some(*bytes);
            done
        }
        Err(sentence) => intent.outcome(Outcome::Error(sentence.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_to_home_only_at_the_start() {
        let home = Some(Path::new("/home/ana"));
        assert_eq!(
            crate::config::paths::expand_home_in(Path::new("~/a/audit.log"), home),
            Some(PathBuf::from("/home/ana/a/audit.log"))
        );
        assert_eq!(
            crate::config::paths::expand_home_in(Path::new("/var/log/kterm.log"), home),
            Some(PathBuf::from("/var/log/kterm.log"))
        );
        assert_eq!(
            crate::config::paths::expand_home_in(Path::new("~/a"), None),
            None
        );
    }
}
