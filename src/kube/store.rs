//! Watch streams → `Msg`s: decodes slim pods, converts them to rows off the UI loop, and batches.

use ::kube::runtime::watcher::{self, Event};
use ::kube::{Api, Client};
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::msg::Msg;
use crate::kube::errors;
use crate::kube::pods::{pod_row, PodKey, PodRow, SlimPod};
use crate::kube::scope::WatchScope;

/// Events read from the stream at once; one LIST page (500) arrives as one or two messages.
const BATCH: usize = 512;

/// First wait before a failed watch is started again; doubled on every failure in a row.
const FIRST_RETRY: Duration = Duration::from_millis(800);
/// Longest wait between two attempts.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// How one run of the watcher ended.
enum Ended {
    /// The app is gone: stop.
    ReceiverGone,
    /// The watch failed (reported as `Msg::WatchFailed`); `listed` says whether it had
    /// listed its scope at least once, which resets the backoff.
    Failed {
        /// Whether the run got as far as a complete list.
        listed: bool,
    },
}

/// Watches the pods of one scope until the receiver is gone. A failure is reported, then the
/// watch starts over with a fresh list after a growing backoff (0.8 s to 30 s): the list's
/// success is what clears the error on screen, and a server that restarted with a new history
/// (or a new cluster behind the same address) is read afresh instead of watched from a
/// resourceVersion it never had.
pub async fn watch_pods(client: Client, scope: WatchScope, tx: mpsc::Sender<Msg>) {
    let api: Api<SlimPod> = match &scope {
        WatchScope::All => Api::all(client),
        WatchScope::Namespace(ns) => Api::namespaced(client, ns),
    };
    let mut delay = FIRST_RETRY;
    loop {
        match watch_once(api.clone(), &scope, &tx).await {
            Ended::ReceiverGone => return,
            Ended::Failed { listed } => {
                if listed {
                    delay = FIRST_RETRY;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_RETRY);
            }
        }
    }
}

/// One run of the watcher: a list, then events, until the first error.
async fn watch_once(api: Api<SlimPod>, scope: &WatchScope, tx: &mpsc::Sender<Msg>) -> Ended {
    let config = watcher::Config::default().page_size(500);
    let mut stream = std::pin::pin!(watcher::watcher(api, config).ready_chunks(BATCH));
    let mut listed = false;
    let mut listing: Option<Vec<PodKey>> = None;
    while let Some(batch) = stream.next().await {
        let mut rows: Vec<PodRow> = Vec::new();
        for event in batch {
            let sent = match event {
                Ok(Event::Init) => {
                    listing = Some(Vec::new());
                    true
                }
                Ok(Event::InitApply(pod)) => {
                    let row = pod_row(&pod);
                    if let Some(keys) = listing.as_mut() {
                        keys.push(row.key());
                    }
                    rows.push(row);
                    true
                }
                Ok(Event::Apply(pod)) => {
                    rows.push(pod_row(&pod));
                    true
                }
                Ok(Event::InitDone) => {
                    listed = true;
                    let keys = listing.take().unwrap_or_default();
                    flush(tx, scope, &mut rows).await
                        && send(
                            tx,
                            Msg::PodsRelisted {
                                scope: scope.clone(),
                                keys,
                            },
                        )
                        .await
                }
                Ok(Event::Delete(pod)) => {
                    let key = pod_row(&pod).key();
                    flush(tx, scope, &mut rows).await
                        && send(
                            tx,
                            Msg::PodDeleted {
                                scope: scope.clone(),
                                key,
                            },
                        )
                        .await
                }
                Err(error) => {
                    tracing::warn!(?scope, %error, "pod watch failed; starting over");
                    let forbidden = is_forbidden(&error);
                    let error = describe(&error, scope);
                    let sent = flush(tx, scope, &mut rows).await
                        && send(
                            tx,
                            Msg::WatchFailed {
                                scope: scope.clone(),
                                error,
                                forbidden,
                            },
                        )
                        .await;
                    return if sent {
                        Ended::Failed { listed }
                    } else {
                        Ended::ReceiverGone
                    };
                }
            };
            if !sent {
                return Ended::ReceiverGone;
            }
        }
        if !flush(tx, scope, &mut rows).await {
            return Ended::ReceiverGone;
        }
    }
    // The watcher's stream never ends by itself; treat it as a failure to start over.
    Ended::Failed { listed }
}

async fn flush(tx: &mpsc::Sender<Msg>, scope: &WatchScope, rows: &mut Vec<PodRow>) -> bool {
    if rows.is_empty() {
        return true;
    }
    let rows = std::mem::take(rows);
    send(
        tx,
        Msg::PodsApplied {
            scope: scope.clone(),
            rows,
        },
    )
    .await
}

/// False once the app is gone, which ends the watch.
async fn send(tx: &mpsc::Sender<Msg>, msg: Msg) -> bool {
    tx.send(msg).await.is_ok()
}

/// Whether RBAC refused the watch (a narrower one may still be allowed).
pub fn is_forbidden(error: &watcher::Error) -> bool {
    matches!(
        error,
        watcher::Error::InitialListFailed(::kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(::kube::Error::Api(s))
        | watcher::Error::WatchFailed(::kube::Error::Api(s)) if s.code == 403
    )
}

/// One sentence for the status bar: what failed and what the user can do.
pub fn describe(error: &watcher::Error, scope: &WatchScope) -> String {
    let where_ = match scope {
        WatchScope::All => "all namespaces".to_string(),
        WatchScope::Namespace(ns) => format!("namespace {ns}"),
    };
    let forbidden = format!(
        "You may not list pods in {where_}; pick namespaces you can read with -n or the tenant picker (t)."
    );
    errors::watch_sentence(error, "pods", &where_, &forbidden)
}
