//! Watch streams → `Msg`s: decodes slim pods, converts them to rows off the UI loop, and batches.

use ::kube::runtime::watcher::{self, Event};
use ::kube::runtime::WatchStreamExt;
use ::kube::{Api, Client};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::msg::{Msg, WatchScope};
use crate::kube::errors;
use crate::kube::pods::{pod_row, PodKey, PodRow, SlimPod};

/// Events read from the stream at once; one LIST page (500) arrives as one or two messages.
const BATCH: usize = 512;

/// Watches the pods of one scope until the receiver is gone; errors are reported and retried
/// with the watcher's default backoff (without backoff a 410 loop would spin hot).
pub async fn watch_pods(client: Client, scope: WatchScope, tx: mpsc::Sender<Msg>) {
    let api: Api<SlimPod> = match &scope {
        WatchScope::All => Api::all(client),
        WatchScope::Namespace(ns) => Api::namespaced(client, ns),
    };
    let config = watcher::Config::default().page_size(500);
    let mut stream = std::pin::pin!(watcher::watcher(api, config)
        .default_backoff()
        .ready_chunks(BATCH));
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
                    let keys = listing.take().unwrap_or_default();
                    flush(&tx, &scope, &mut rows).await
                        && send(
                            &tx,
                            Msg::PodsRelisted {
                                scope: scope.clone(),
                                keys,
                            },
                        )
                        .await
                }
                Ok(Event::Delete(pod)) => {
                    let key = pod_row(&pod).key();
                    flush(&tx, &scope, &mut rows).await
                        && send(
                            &tx,
                            Msg::PodDeleted {
                                scope: scope.clone(),
                                key,
                            },
                        )
                        .await
                }
                Err(error) => {
                    tracing::warn!(?scope, %error, "pod watch failed; retrying");
                    let forbidden = is_forbidden(&error);
                    let error = describe(&error, &scope);
                    flush(&tx, &scope, &mut rows).await
                        && send(
                            &tx,
                            Msg::WatchFailed {
                                scope: scope.clone(),
                                error,
                                forbidden,
                            },
                        )
                        .await
                }
            };
            if !sent {
                return;
            }
        }
        if !flush(&tx, &scope, &mut rows).await {
            return;
        }
    }
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
    let client_error = match error {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => e,
        watcher::Error::WatchError(status) => {
            return format!(
                "The watch of pods in {where_} ended ({}); retrying.",
                status.message
            );
        }
        watcher::Error::NoResourceVersion => {
            return format!(
                "The server sent pods of {where_} without a resourceVersion; retrying."
            );
        }
    };
    match client_error {
        // RBAC will not change by retrying; say what the user can do instead.
        ::kube::Error::Api(status) if status.code == 403 => {
            format!(
                "You may not list pods in {where_}; pick namespaces you can read with -n or the tenant picker (t)."
            )
        }
        other => errors::sentence(other, &format!("list pods in {where_}"), "retrying"),
    }
}
