//! One audit line: who did what to which object, when, and how it ended. The type has no field
//! for secrets or file contents, so none can be written by mistake.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether a line was written before the action ran or after it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Written before the action starts, so a crash mid-action still leaves a trace.
    Intent,
    /// Written when the action has ended.
    Outcome,
}

/// How an action ended: `"ok"`, `{"error": "…"}` or `{"exit_code": 3}` in the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It did what was asked.
    Ok,
    /// It failed; the sentence the user was shown.
    Error(String),
    /// A shell or command ended with this exit code.
    ExitCode(i32),
}

/// One JSON line of the audit log. Field names are a stable interface for scripts (`jq`): add
/// fields, never rename or retype them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Ties an outcome line to its intent line; unique per action.
    pub id: String,
    /// When the line was written (RFC 3339, UTC).
    pub time: DateTime<Utc>,
    /// Intent or outcome.
    pub phase: Phase,
    /// The local OS user running kterm.
    pub os_user: String,
    /// The kubeconfig user of the context, when known.
    #[serde(default)]
    pub kube_user: Option<String>,
    /// The kubeconfig context.
    pub context: String,
    /// The cluster's API server URL, when known.
    #[serde(default)]
    pub server: Option<String>,
    /// The object's namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// `exec`, `run`, `cp-in`, `cp-out`, `edit`, `delete`, `scale`, `restart`, `suspend`,
    /// `resume`, `trigger`, `set-resources`.
    pub verb: String,
    /// `kind/name`, e.g. `pod/protheus-updater-29391840-x2k4p`.
    pub target: String,
    /// The container, for pod actions.
    #[serde(default)]
    pub container: Option<String>,
    /// The command of an exec or run, as argv.
    #[serde(default)]
    pub command: Option<Vec<String>>,
    /// Bytes moved by a copy.
    #[serde(default)]
    pub bytes: Option<u64>,
    /// A copy's direction: `in` (local to pod) or `out`.
    #[serde(default)]
    pub direction: Option<String>,
    /// A copy's local path, as the user gave it.
    #[serde(default)]
    pub local_path: Option<String>,
    /// A copy's path in the container.
    #[serde(default)]
    pub pod_path: Option<String>,
    /// The paths an edit changed (`spec.suspend`), never the values (a Secret's stay out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<String>>,
    /// What a scale, patch or delete asked for, in words (`replicas 2 -> 0`,
    /// `propagation=Background grace=default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How it ended; `None` on intent lines.
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

impl Record {
    /// The line written before `verb` runs on `target` in `context`; time and OS user filled in,
    /// the optional fields left for the caller to set.
    pub fn intent(context: &str, verb: &str, target: &str) -> Record {
        Record {
            id: new_id(),
            time: Utc::now(),
            phase: Phase::Intent,
            os_user: os_user().to_string(),
            kube_user: None,
            context: context.to_string(),
            server: None,
            namespace: None,
            verb: verb.to_string(),
            target: target.to_string(),
            container: None,
            command: None,
            bytes: None,
            direction: None,
            local_path: None,
            pod_path: None,
            changed: None,
            detail: None,
            outcome: None,
        }
    }

    /// This record with the server and kubeconfig user the action goes through.
    pub fn by(mut self, identity: &crate::kube::cluster::Identity) -> Record {
        self.server = identity.server.clone();
        self.kube_user = identity.user.clone();
        self
    }

    /// The line written when the action ended: the same fields and id, a new time.
    pub fn outcome(&self, outcome: Outcome) -> Record {
        Record {
            time: Utc::now(),
            phase: Phase::Outcome,
            outcome: Some(outcome),
            ..self.clone()
        }
    }
}

/// Process id, start time and a counter: unique across kterm processes sharing one log.
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!("{:x}-{:x}-{n}", std::process::id(), nanos)
}

/// `$USER`, else `$LOGNAME`, else the password database's name for our uid, else the uid.
pub fn os_user() -> &'static str {
    static USER: OnceLock<String> = OnceLock::new();
    USER.get_or_init(|| {
        let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        env("USER")
            .or_else(|| env("LOGNAME"))
            .or_else(password_name)
            // SAFETY: getuid cannot fail and touches no memory of ours.
            .unwrap_or_else(|| format!("uid {}", unsafe { libc::getuid() }))
    })
}

/// The login name of the real uid from the password database.
fn password_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: passwd is plain data; zeroed is a valid value that getpwuid_r overwrites.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to live memory of the size given; getpwuid_r is thread-safe.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success pw_name points to a NUL-terminated string inside `buf`, still alive.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_keeps_the_fields_and_id() {
        let mut intent = Record::intent("prod", "run", "pod/p");
        intent.command = Some(vec!["init-upddistr".into()]);
        let done = intent.outcome(Outcome::ExitCode(3));
        assert_eq!(done.id, intent.id);
        assert_eq!(done.command, intent.command);
        assert_eq!(done.phase, Phase::Outcome);
        assert_eq!(done.outcome, Some(Outcome::ExitCode(3)));
        assert_ne!(
            Record::intent("prod", "run", "pod/p").id,
            intent.id,
            "two actions share an id"
        );
    }

    #[test]
    fn os_user_is_never_empty() {
        assert!(!os_user().trim().is_empty());
        assert!(password_name().is_some_and(|n| !n.is_empty()));
    }
}
