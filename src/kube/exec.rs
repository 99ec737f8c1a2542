//! Commands in a container, in process: `pods/exec` over WebSocket (kube's `ws` feature, v5
//! channel protocol with v4 fallback), and the access review that says whether it is allowed.
//!
//! The session's streams and its `outcome` must be driven together: kube's message loop writes
//! output into small pipes, so an unread stdout stalls the status too. Dropping `outcome` ends
//! the session (the connection is closed), which is how a caller stops a command.

use std::time::Duration;

use ::kube::api::{Api, AttachParams, TerminalSize};
use ::kube::Client;
use futures::channel::mpsc;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};

use crate::kube::errors::{self, Failure};
use crate::sanitize::sanitize_owned;

/// What to run in which container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecSpec {
    /// The container; empty lets the server pick (it refuses when the pod has several).
    pub container: String,
    /// The program and its arguments, no shell involved.
    pub command: Vec<String>,
    /// A terminal: stderr is merged into stdout and the size can be set.
    pub tty: bool,
    /// Whether the command reads input.
    pub stdin: bool,
}

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecOutcome {
    /// The command exited with this code (the kubelet's status channel).
    Exited(i32),
    /// No exit code came: the connection dropped or the command could not run; one sentence.
    Lost(String),
}

/// A running command.
pub struct ExecSession {
    /// The command's input; dropping it sends end-of-file (v5) or closes the connection (v4).
    pub stdin: Option<Box<dyn AsyncWrite + Send + Unpin>>,
    /// The command's output (with stderr merged in when `tty`).
    pub stdout: Option<Box<dyn AsyncRead + Send + Unpin>>,
    /// The command's error output; `None` when `tty`.
    pub stderr: Option<Box<dyn AsyncRead + Send + Unpin>>,
    /// New terminal sizes as (cols, rows); `tty` only.
    pub resize: Option<mpsc::Sender<(u16, u16)>>,
    /// Resolves when the command ends; dropping it ends the session.
    pub outcome: BoxFuture<'static, ExecOutcome>,
}

/// Why a command did not start; `NotFound` lets `shell` fall back from bash to sh.
#[derive(Debug, PartialEq, Eq)]
enum StartError {
    NotFound(String),
    Other(String),
}

impl StartError {
    fn sentence(self) -> String {
        match self {
            StartError::NotFound(s) | StartError::Other(s) => s,
        }
    }
}

/// How long `start` waits for a command that fails at once (not found, not executable) to say
/// so, before handing the session over; output or an exit ends the wait earlier.
const START_GRACE: Duration = Duration::from_millis(500);

/// Pipe sizes between kube's message loop and the caller: kube's 1 KB default makes a copy
/// crawl.
const BUFFER: usize = 64 * 1024;

/// Starts `spec` in the pod; Err is one sentence (403 → says `create pods/exec` is not allowed;
/// container not running; no such command → e.g. "bash: not found in the container").
pub async fn start(
    client: Client,
    namespace: &str,
    pod: &str,
    spec: ExecSpec,
) -> Result<ExecSession, String> {
    start_inner(client, namespace, pod, spec)
        .await
        .map_err(StartError::sentence)
}

/// Opens a shell with a terminal of `tty_size` (cols, rows): `bash`, else `sh`, as
/// `kubectl exec -it … -- bash || sh` would. Returns the session and the shell used.
pub async fn shell(
    client: Client,
    namespace: &str,
    pod: &str,
    container: &str,
    tty_size: (u16, u16),
) -> Result<(ExecSession, String), String> {
    for program in ["bash", "sh"] {
        let spec = ExecSpec {
            container: container.to_string(),
            command: vec![program.to_string()],
            tty: true,
            stdin: true,
        };
        match start_inner(client.clone(), namespace, pod, spec).await {
            Ok(mut session) => {
                if let Some(resize) = session.resize.as_mut() {
                    // The shell reads its size at start; a full queue only delays the first one.
                    let _ = resize.try_send(tty_size);
                }
                return Ok((session, program.to_string()));
            }
            Err(StartError::NotFound(_)) => {}
            Err(StartError::Other(sentence)) => return Err(sentence),
        }
    }
    Err("Neither bash nor sh is in the container; run a command with x instead.".to_string())
}

async fn start_inner(
    client: Client,
    namespace: &str,
    pod: &str,
    spec: ExecSpec,
) -> Result<ExecSession, StartError> {
    let api: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let mut params = AttachParams::default()
        .stdin(spec.stdin)
        .stdout(true)
        .stderr(!spec.tty)
        .tty(spec.tty);
    if !spec.container.is_empty() {
        params = params.container(spec.container.clone());
    }
    params.max_stdin_buf_size = Some(BUFFER);
    params.max_stdout_buf_size = Some(BUFFER);
    params.max_stderr_buf_size = Some(BUFFER);
    let program = spec.command.first().cloned().unwrap_or_default();
    let mut attached = match api.exec(pod, spec.command.clone(), &params).await {
        Ok(attached) => attached,
        Err(error) => {
            return Err(StartError::Other(
                refused(client, namespace, pod, &spec.container, &error).await,
            ))
        }
    };
    let status = attached
        .take_status()
        .map(FutureExt::boxed)
        .unwrap_or_else(|| futures::future::ready(None).boxed());
    let mut status = status.fuse();
    let mut early_status = None;
    let mut stdout: Option<Box<dyn AsyncRead + Send + Unpin>> =
        attached.stdout().map(|r| Box::new(r) as _);
    let stderr: Option<Box<dyn AsyncRead + Send + Unpin>> =
        attached.stderr().map(|r| Box::new(r) as _);
    let stdin: Option<Box<dyn AsyncWrite + Send + Unpin>> =
        attached.stdin().map(|w| Box::new(w) as _);
    let resize = attached.terminal_size().map(|sizes| {
        let (tx, rx) = mpsc::channel::<(u16, u16)>(4);
        let mut sizes = sizes;
        tokio::spawn(async move {
            let mut rx = rx;
            while let Some((width, height)) = rx.next().await {
                use futures::SinkExt;
                if sizes.send(TerminalSize { width, height }).await.is_err() {
                    return;
                }
            }
        });
        tx
    });

    // A command that cannot start answers on the status channel straight away; wait briefly
    // for that (or for the first output, which proves it started) so the caller gets a sentence
    // instead of a session. Commands that wait for input and print nothing cost the grace.
    let mut first = Vec::new();
    if let Some(out) = stdout.as_mut() {
        let mut buf = vec![0u8; BUFFER];
        tokio::select! {
            read = out.read(&mut buf) => match read {
                Ok(n @ 1..) => first.extend_from_slice(&buf[..n]),
                // Output ends when kube's loop stops, i.e. the status is in (or the line is gone).
                _ => {
                    let early = (&mut status).await;
                    if let Some(sentence) = start_failure(early.as_ref(), &program) {
                        return Err(sentence);
                    }
                    early_status = Some(early);
                }
            },
            early = &mut status => {
                if let Some(sentence) = start_failure(early.as_ref(), &program) {
                    return Err(sentence);
                }
                early_status = Some(early);
            }
            () = tokio::time::sleep(START_GRACE) => {}
        }
    }
    if !first.is_empty() {
        stdout = stdout.map(|rest| Box::new(std::io::Cursor::new(first).chain(rest)) as _);
    }
    let outcome = async move {
        let status = match early_status {
            Some(status) => status,
            None => status.await,
        };
        // Keeps the connection (and kube's message loop) alive until the status came.
        drop(attached);
        outcome_of(status.as_ref(), &program)
    }
    .boxed();
    Ok(ExecSession {
        stdin,
        stdout,
        stderr,
        resize,
        outcome,
    })
}

/// The exit code (Success → 0, NonZeroExitCode → its cause), or why there is none.
fn outcome_of(status: Option<&Status>, program: &str) -> ExecOutcome {
    let Some(status) = status else {
        return ExecOutcome::Lost(
            "The connection to the pod was lost before the command finished; check the network and try again."
                .to_string(),
        );
    };
    if status.status.as_deref() == Some("Success") {
        return ExecOutcome::Exited(0);
    }
    let code = status
        .details
        .as_ref()
        .and_then(|d| d.causes.as_ref())
        .into_iter()
        .flatten()
        .find(|c| c.reason.as_deref() == Some("ExitCode"))
        .and_then(|c| c.message.as_deref()?.trim().parse().ok());
    if let Some(code) = code {
        return ExecOutcome::Exited(code);
    }
    match start_failure(Some(status), program) {
        Some(failure) => ExecOutcome::Lost(failure.sentence()),
        None => ExecOutcome::Lost(sanitize_owned(format!(
            "The command ended without an exit code ({}); try again.",
            status.message.as_deref().unwrap_or("no reason given")
        ))),
    }
}

/// The sentence for a status saying the command never ran (the runtime's "OCI runtime exec
/// failed" wording), or None for an exit.
fn start_failure(status: Option<&Status>, program: &str) -> Option<StartError> {
    let Some(status) = status else {
        return Some(StartError::Other(
            "The connection closed before the command started; check the pod and try again."
                .to_string(),
        ));
    };
    if status.status.as_deref() == Some("Success")
        || status.reason.as_deref() == Some("NonZeroExitCode")
    {
        return None;
    }
    let message = status.message.clone().unwrap_or_default();
    let program = sanitize_owned(program.to_string());
    if message.contains("executable file not found")
        || message.contains("no such file or directory")
    {
        return Some(StartError::NotFound(format!(
            "{program}: not found in the container."
        )));
    }
    if message.contains("permission denied") {
        return Some(StartError::Other(format!(
            "{program}: permission denied in the container (not executable)."
        )));
    }
    Some(StartError::Other(sanitize_owned(format!(
        "The command could not start ({message}); check the pod and container."
    ))))
}

/// One sentence for an exec the API server refused: 403, a container not running, the rest.
async fn refused(
    client: Client,
    namespace: &str,
    pod: &str,
    container: &str,
    error: &::kube::Error,
) -> String {
    if errors::classify(error) == Failure::Forbidden {
        return sanitize_owned(format!(
            "You may not create pods/exec in {namespace}; ask for that right or use another context."
        ));
    }
    // The server's words for a stopped container vary; the pod's status says it plainly.
    let api: Api<Pod> = Api::namespaced(client, namespace);
    if let Ok(object) = api.get(pod).await {
        let statuses = object
            .status
            .and_then(|s| s.container_statuses)
            .unwrap_or_default();
        let found = statuses
            .iter()
            .find(|s| container.is_empty() && statuses.len() == 1 || s.name == container);
        if let Some(s) = found {
            let running = s
                .state
                .as_ref()
                .and_then(|st| st.running.as_ref())
                .is_some();
            if !running {
                return sanitize_owned(format!(
                    "Container {} of pod {pod} is not running; wait for it to start.",
                    s.name
                ));
            }
        }
    }
    errors::sentence(error, &format!("exec in pod {pod}"), "")
}

/// SelfSubjectAccessReview: may this user `create pods/exec` in `namespace`? Err is one sentence.
pub async fn can_exec(client: Client, namespace: &str) -> Result<bool, String> {
    let access = super::mutate::Access {
        verb: "create".to_string(),
        group: String::new(),
        resource: "pods".to_string(),
        subresource: Some("exec".to_string()),
        namespace: Some(namespace.to_string()),
    };
    super::mutate::allowed(client, access).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{StatusCause, StatusDetails};

    fn exit(code: &str) -> Status {
        Status {
            status: Some("Failure".into()),
            reason: Some("NonZeroExitCode".into()),
            details: Some(StatusDetails {
                causes: Some(vec![StatusCause {
                    reason: Some("ExitCode".into()),
                    message: Some(code.into()),
                    ..StatusCause::default()
                }]),
                ..StatusDetails::default()
            }),
            ..Status::default()
        }
    }

    #[test]
    fn exit_codes_come_from_the_status() {
        let ok = Status {
            status: Some("Success".into()),
            ..Status::default()
        };
        assert_eq!(outcome_of(Some(&ok), "x"), ExecOutcome::Exited(0));
        assert_eq!(outcome_of(Some(&exit("3")), "x"), ExecOutcome::Exited(3));
        assert!(matches!(outcome_of(None, "x"), ExecOutcome::Lost(_)));
    }

    #[test]
    fn a_missing_program_is_named() {
        let status = Status {
            status: Some("Failure".into()),
            reason: Some("InternalError".into()),
            message: Some("Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: \"bash\": executable file not found in $PATH: unknown".into()),
            ..Status::default()
        };
        assert_eq!(
            start_failure(Some(&status), "bash"),
            Some(StartError::NotFound(
                "bash: not found in the container.".into()
            ))
        );
        assert_eq!(start_failure(Some(&exit("1")), "bash"), None);
    }
}
