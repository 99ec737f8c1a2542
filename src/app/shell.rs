//! Getting a shell ready before the terminal is handed over, so a refusal never flashes the
//! screen: the rights (`create pods/exec`, asked once per namespace), the container (the
//! default one, else the user picks), that it is running, then `bash`, else `sh`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::app::passthrough::{Session, SessionEnd};
use crate::audit::{Outcome, Record};
use crate::kube::exec::{ExecOutcome, ExecSpec};
use crate::kube::fetch::ObjectRef;
use crate::kube::logs::pod;
use crate::kube::logs::{ContainerInfo, Containers};
use crate::kube::Cluster;

/// Why no shell was opened.
#[derive(Debug)]
pub enum ShellProblem {
    /// The pod has several containers and none is the default.
    Choose {
        /// Namespace.
        namespace: String,
        /// Pod.
        pod: String,
        /// Its containers.
        choices: Vec<ContainerInfo>,
    },
    /// One sentence for the message line.
    Sentence(String),
}

/// What the exec review answered per namespace, for this cluster connection.
pub type ExecRights = Arc<Mutex<HashMap<String, bool>>>;

/// A shell started and ready to be handed the terminal, with what it is, for the audit log.
pub struct Prepared {
    /// The session.
    pub session: Session,
    /// Namespace.
    pub namespace: String,
    /// Pod.
    pub pod: String,
    /// Container.
    pub container: String,
    /// The shell that answered (`bash` or `sh`).
    pub command: String,
}

/// Checks, picks and starts the shell; the session is ready to be handed the terminal.
pub async fn prepare(
    cluster: Option<Arc<dyn Cluster>>,
    rights: ExecRights,
    namespace: String,
    pod_name: String,
    container: Option<String>,
    shells: Vec<String>,
) -> Result<Prepared, ShellProblem> {
    let say = |s: String| Err(ShellProblem::Sentence(s));
    let Some(cluster) = cluster else {
        return say("Not connected to the cluster yet; try again in a moment.".into());
    };
    let known = rights.lock().ok().and_then(|r| r.get(&namespace).copied());
    let allowed = match known {
        Some(allowed) => allowed,
        None => match cluster.can_exec(&namespace).await {
            Ok(allowed) => {
                if let Ok(mut r) = rights.lock() {
                    r.insert(namespace.clone(), allowed);
                }
                allowed
            }
            // The review itself may be refused; the exec will say what it says.
            Err(_) => true,
        },
    };
    if !allowed {
        return say(format!(
            "You may not open a shell in namespace {namespace}: RBAC does not allow create on pods/exec there."
        ));
    }
    let object = cluster
        .get_object(&ObjectRef::pod(&namespace, &pod_name))
        .await
        .map_err(|e| ShellProblem::Sentence(e.to_string()))?;
    let wanted = container.map_or(Containers::Default, Containers::Named);
    let container = match pod::choose(&object, &wanted) {
        Ok(names) => names.into_iter().next().unwrap_or_default(),
        Err(choices) => {
            return Err(ShellProblem::Choose {
                namespace,
                pod: pod_name,
                choices,
            })
        }
    };
    let state = pod::state(&object, &container).unwrap_or_default();
    if !state.running {
        let why = state
            .waiting
            .or_else(|| state.terminated.map(|t| t.describe()))
            .unwrap_or_else(|| "not started".to_string());
        return say(format!(
            "Container {container} of pod {pod_name} is not running ({why}); a shell needs a running container."
        ));
    }
    let mut last = String::new();
    // As `kubectl exec -it … -- bash || sh` would, the configured shell first.
    for shell in shells {
        let spec = ExecSpec {
            container: container.clone(),
            command: vec![shell.clone()],
            tty: true,
            stdin: true,
        };
        match cluster.exec(&namespace, &pod_name, spec).await {
            Ok(session) => {
                return Ok(Prepared {
                    session: into_session(session)?,
                    namespace,
                    pod: pod_name,
                    container,
                    command: shell,
                })
            }
            Err(sentence) => last = sentence,
        }
    }
    say(last)
}

/// The audit log's record of a shell about to start.
pub fn intent(context: &str, prepared: &Prepared) -> Record {
    let mut record = Record::intent(context, "exec", &format!("pod/{}", prepared.pod));
    record.namespace = Some(prepared.namespace.clone());
    record.container = Some(prepared.container.clone());
    record.command = Some(vec![prepared.command.clone()]);
    record
}

/// How a shell ended, for the audit log.
pub fn outcome(end: &SessionEnd) -> Outcome {
    match end {
        SessionEnd::Exited(0) => Outcome::Ok,
        SessionEnd::Exited(code) => Outcome::ExitCode(*code),
        SessionEnd::Lost(sentence) => Outcome::Error(sentence.clone()),
        SessionEnd::Escaped => Outcome::Error("left with ctrl-] q".to_string()),
    }
}

/// The kube layer's session as the pass-through takes it.
fn into_session(session: crate::kube::exec::ExecSession) -> Result<Session, ShellProblem> {
    let (Some(stdin), Some(stdout)) = (session.stdin, session.stdout) else {
        return Err(ShellProblem::Sentence(
            "The shell came without its input or output; try again.".into(),
        ));
    };
    let outcome = session.outcome;
    Ok(Session {
        stdin,
        stdout,
        resize: session.resize,
        outcome: Box::pin(async move {
            match outcome.await {
                ExecOutcome::Exited(code) => SessionEnd::Exited(code),
                ExecOutcome::Lost(sentence) => SessionEnd::Lost(sentence),
            }
        }),
    })
}
