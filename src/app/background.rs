//! The loop's inputs besides keys and watches, and its one-shot jobs: the 1 s clock, the
//! signals that end kterm (exit 128+N), fetching one object for a view, the kubeconfig's
//! context names, and the debug panic hook the end-to-end tests use.

use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::app::effect::FetchPurpose;
use crate::app::msg::Msg;
use crate::app::tasks::Outbox;
use crate::kube::fetch::{fetch_with_events, FetchError, ObjectRef};
use crate::kube::logs::{follow_pod, LogEvent, LogRequest};
use crate::kube::watch::Sink;
use crate::kube::Cluster;
use crate::term;

/// The signal that ended the loop, 0 for none; set once by `watch_signals`.
pub(crate) static EXIT_SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The signal that ended kterm, if one did.
pub fn exit_signal() -> Option<i32> {
    Some(EXIT_SIGNAL.load(Ordering::SeqCst)).filter(|&n| n != 0)
}

/// Test hook, debug builds only: with `KTERM_DEBUG_PANIC` set, a task panics half a second
/// after connecting, so the end-to-end tests can prove a panic anywhere ends kterm cleanly.
pub(crate) fn debug_panic_after_connect() {
    #[cfg(debug_assertions)]
    if std::env::var_os("KTERM_DEBUG_PANIC").is_some() {
        tokio::spawn(async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            #[allow(clippy::panic)] // The point of the hook.
            {
                panic!("KTERM_DEBUG_PANIC asked for a panic");
            }
        });
    }
}

pub(crate) async fn tick(tx: mpsc::Sender<Msg>) {
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        if tx.send(Msg::Tick(Utc::now())).await.is_err() {
            return;
        }
    }
}

/// SIGTERM/SIGINT/SIGHUP end the app through the loop; if the loop has not finished a second
/// later (e.g. writes to a dropped SSH session block), the process leaves anyway so it never
/// lingers on a bastion.
pub(crate) async fn watch_signals(tx: mpsc::Sender<Msg>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term_sig), Ok(mut int_sig), Ok(mut hup_sig)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("cannot install signal handlers");
        return;
    };
    let (name, number) = loop {
        let (name, number) = tokio::select! {
            _ = term_sig.recv() => ("SIGTERM", libc::SIGTERM),
            _ = int_sig.recv() => ("SIGINT", libc::SIGINT),
            _ = hup_sig.recv() => ("SIGHUP", libc::SIGHUP),
        };
        // ctrl-c typed while a child owns the terminal is the child's, as with `system()`.
        if name != "SIGINT" || !term::sigint_is_the_childs() {
            break (name, number);
        }
    };
    EXIT_SIGNAL.store(number, Ordering::SeqCst);
    tracing::info!(signal = name, "quitting on signal");
    let deadline = Duration::from_secs(1);
    let _ = tokio::time::timeout(deadline / 2, tx.send(Msg::Signal(name))).await;
    tokio::time::sleep(deadline / 2).await;
    tracing::warn!(signal = name, "loop did not end in time; exiting");
    term::restore();
    std::process::exit(128 + number);
}

/// Fetches one object and its events for a view and sends the reply with the request's id.
pub(crate) async fn fetch_object(
    cluster: Option<Arc<dyn Cluster>>,
    id: u64,
    purpose: FetchPurpose,
    target: ObjectRef,
    out: Outbox<Msg>,
) {
    let result = match cluster {
        Some(cluster) => fetch_with_events(cluster.as_ref(), &target)
            .await
            .map_err(|e| (matches!(e, FetchError::NotFound { .. }), e.to_string())),
        None => Err((
            false,
            "Not connected to the cluster yet; try again in a moment.".to_string(),
        )),
    };
    let msg = match result {
        Ok(fetched) => Msg::ObjectFetched {
            id,
            purpose,
            fetched: Arc::new(fetched),
        },
        Err((not_found, error)) => Msg::ObjectFetchFailed {
            id,
            purpose,
            error,
            not_found,
        },
    };
    // The app may have ended meanwhile; nobody is left to tell.
    out.send(msg).await;
}

/// Reads one pod's log for a log view, its events sent as `Msg::Log` with the stream's id.
pub(crate) async fn stream_logs(
    cluster: Option<Arc<dyn Cluster>>,
    id: u64,
    request: LogRequest,
    out: Outbox<Msg>,
) {
    let Some(cluster) = cluster else {
        let sentence = "Not connected to the cluster yet; open the log again in a moment.";
        out.send(Msg::Log {
            id,
            event: LogEvent::Failed(sentence.to_string()),
        })
        .await;
        return;
    };
    let sink = Sink::new(move |event| {
        let out = out.clone();
        Box::pin(async move { out.send(Msg::Log { id, event }).await })
    });
    follow_pod(cluster, request, sink).await;
}

/// Writes a log view's lines to `path` (relative to the directory kterm started in); the reply
/// is the sentence saying where they went, or `FileExists` when asked not to overwrite.
pub(crate) fn save_lines(path: &Path, text: &str, lines: usize, overwrite: bool) -> Msg {
    let path = crate::config::paths::expand_home(path);
    let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
    if !overwrite && path.exists() {
        return Msg::FileExists(path);
    }
    match std::fs::write(&path, text) {
        Ok(()) => Msg::Noted(format!("Saved {lines} lines to {}.", shown.display())),
        Err(error) => Msg::Noted(crate::sanitize::sanitize_owned(format!(
            "Cannot save to {} ({error}); the lines are still here, try another path.",
            shown.display()
        ))),
    }
}

/// The kubeconfig's context names, for `:ctx`; empty when it cannot be read (connecting will
/// say why).
pub(crate) fn context_names(kubeconfig: Option<&std::path::Path>) -> Vec<String> {
    let file = match kubeconfig {
        Some(path) => ::kube::config::Kubeconfig::read_from(path),
        None => ::kube::config::Kubeconfig::read(),
    };
    file.map(|f| f.contexts.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

/// Gathers what depends on one object of a delete dialog; the impact is computed by `update`.
pub(crate) async fn check_impact(
    cluster: Option<Arc<dyn Cluster>>,
    id: u64,
    index: usize,
    target: crate::kube::target::Target,
    out: Outbox<Msg>,
) {
    let msg = match cluster {
        Some(cluster) => Msg::ImpactChecked {
            id,
            index,
            inputs: Box::new(cluster.impact_inputs(&target).await),
        },
        None => Msg::Noted("Not connected to the cluster yet; try again in a moment.".to_string()),
    };
    out.send(msg).await;
}

/// One metrics poll: a LIST of PodMetrics per namespace on screen, all at once, and the
/// NodeMetrics when `:node` is shown; each request gets 10 s.
pub(crate) async fn poll_metrics(
    cluster: Option<Arc<dyn Cluster>>,
    namespaces: Vec<String>,
    nodes: bool,
    out: Outbox<Msg>,
) {
    use crate::kube::metrics::MetricsError;
    const LIMIT: Duration = Duration::from_secs(10);
    let Some(cluster) = cluster else {
        return;
    };
    let timed = |f| async move {
        tokio::time::timeout(LIMIT, f).await.unwrap_or_else(|_| {
            Err(MetricsError::Failed(
                "metrics.k8s.io did not answer within 10 s".to_string(),
            ))
        })
    };
    let reads = namespaces.iter().map(|ns| timed(cluster.pod_metrics(ns)));
    let answers = futures::future::join_all(reads).await;
    let node_answer = if nodes {
        Some(
            tokio::time::timeout(LIMIT, cluster.node_metrics())
                .await
                .unwrap_or_else(|_| {
                    Err(MetricsError::Failed(
                        "metrics.k8s.io did not answer within 10 s".to_string(),
                    ))
                }),
        )
    } else {
        None
    };
    let polled = crate::app::metrics::Polled {
        pods: namespaces.into_iter().zip(answers).collect(),
        nodes: node_answer,
    };
    out.send(Msg::MetricsPolled(polled)).await;
}
