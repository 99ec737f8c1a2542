//! The task behind `x`: one command run in a pod's default container, its stdout and stderr
//! sent as log lines of the run's id, its exit code as the last (marker) line, and the audit
//! log's intent before and outcome after — also when the run is stopped or kterm goes.

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt};

use crate::app::msg::Msg;
use crate::app::tasks::Outbox;
use crate::audit::{Audit, Outcome, Record};
use crate::kube::exec::{ExecOutcome, ExecSpec};
use crate::kube::fetch::ObjectRef;
use crate::kube::logs::lines::Splitter;
use crate::kube::logs::{pod, Containers, LogEvent};
use crate::kube::Cluster;

/// Writes the outcome when the run ends any way, a stop (the task aborted) included.
struct Pending {
    audit: Audit,
    intent: Record,
    outcome: Option<Outcome>,
}

impl Drop for Pending {
    fn drop(&mut self) {
        let outcome = self
            .outcome
            .take()
            .unwrap_or_else(|| Outcome::Error("stopped before it ended".to_string()));
        let _ = self.audit.append(&self.intent.outcome(outcome));
    }
}

/// What `Effect::RunCommand` asks for.
pub struct Run {
    /// The run's id (its log view's stream).
    pub id: u64,
    /// The context, for the audit log.
    pub context: String,
    /// Namespace.
    pub namespace: String,
    /// Pod.
    pub pod: String,
    /// The program and its arguments.
    pub command: Vec<String>,
}

/// Runs the command and reports through `out`.
pub async fn run(cluster: Option<Arc<dyn Cluster>>, audit: Audit, run: Run, out: Outbox<Msg>) {
    let id = run.id;
    let send = |event: LogEvent| {
        let out = &out;
        async move { out.send(Msg::Log { id, event }).await }
    };
    let Some(cluster) = cluster else {
        send(LogEvent::Failed(
            "Not connected to the cluster yet; nothing was run.".into(),
        ))
        .await;
        return;
    };
    let object = match cluster
        .get_object(&ObjectRef::pod(&run.namespace, &run.pod))
        .await
    {
        Ok(object) => object,
        Err(error) => {
            send(LogEvent::Failed(error.to_string())).await;
            return;
        }
    };
    let container = pod::choose(&object, &Containers::DefaultOrAll)
        .ok()
        .and_then(|names| names.into_iter().next())
        .unwrap_or_default();
    let mut intent =
        Record::intent(&run.context, "run", &format!("pod/{}", run.pod)).by(&cluster.identity());
    intent.namespace = Some(run.namespace.clone());
    intent.container = Some(container.clone());
    intent.command = Some(run.command.clone());
    if let Err(sentence) = audit.append(&intent) {
        if audit.required() {
            let text = format!("{sentence} The audit log is required, so nothing was run.");
            send(LogEvent::Failed(text)).await;
            return;
        }
        send(marker(&sentence)).await;
    }
    let mut pending = Pending {
        audit,
        intent,
        outcome: None,
    };
    let spec = ExecSpec {
        container: container.clone(),
        command: run.command,
        tty: false,
        stdin: false,
    };
    let session = match cluster.exec(&run.namespace, &run.pod, spec).await {
        Ok(session) => session,
        Err(sentence) => {
            pending.outcome = Some(Outcome::Error(sentence.clone()));
            send(LogEvent::Failed(sentence)).await;
            return;
        }
    };
    let name: Arc<str> = Arc::from(container.as_str());
    let pumped = tokio::join!(
        pump(session.stdout, name.clone(), &send),
        pump(session.stderr, name, &send)
    );
    if !(pumped.0 && pumped.1) {
        return;
    }
    let (line, outcome) = match session.outcome.await {
        ExecOutcome::Exited(0) => ("exit code 0".to_string(), Outcome::Ok),
        ExecOutcome::Exited(code) => (format!("exit code {code}"), Outcome::ExitCode(code)),
        ExecOutcome::Lost(sentence) => (sentence.clone(), Outcome::Error(sentence)),
    };
    pending.outcome = Some(outcome);
    send(marker(&line)).await;
}

fn marker(text: &str) -> LogEvent {
    LogEvent::Marker {
        container: None,
        text: text.to_string(),
    }
}

/// Sends what `reader` gives as lines; false once nobody listens.
async fn pump<F, Fut>(
    reader: Option<Box<dyn AsyncRead + Send + Unpin>>,
    container: Arc<str>,
    send: &F,
) -> bool
where
    F: Fn(LogEvent) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let Some(mut reader) = reader else {
        return true;
    };
    let mut splitter = Splitter::new(container, None);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let batch = splitter.feed(buf.get(..n).unwrap_or_default());
        if !batch.is_empty() && !send(LogEvent::Lines(batch)).await {
            return false;
        }
    }
    let last = splitter.finish();
    last.is_empty() || send(LogEvent::Lines(last)).await
}
