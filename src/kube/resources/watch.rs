//! Resource watches → `Msg::Resources`: one `watcher` per scope, paged, with backoff, rows built
//! off the UI loop and batched like the pod watch (`kube::store`).

use std::fmt::Debug;

use ::kube::core::NamespaceResourceScope;
use ::kube::runtime::watcher::{self, Event};
use ::kube::runtime::WatchStreamExt;
use ::kube::{Api, Client, Resource};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use super::coreapi::{SlimEvent, SlimNamespace, SlimNode, SlimService};
use super::wire::Listed;
use super::workloads::{SlimCronJob, SlimDeployment, SlimJob, SlimStatefulSet};
use super::{plural, ResourceChange, ResourceEvent, ResourceKey, ResourceRow};
use crate::app::msg::Msg;
use crate::kube::errors;
use crate::kube::kinds::ResourceKind;
use crate::kube::scope::WatchScope;

/// Events read from the stream at once; one LIST page (500) arrives as one or two messages.
const BATCH: usize = 512;

/// Watches `kind` in `scope` until the receiver is gone or the task is aborted. Cluster-scoped
/// kinds are always watched cluster-wide.
pub async fn watch(client: Client, kind: ResourceKind, scope: WatchScope, tx: mpsc::Sender<Msg>) {
    match kind {
        ResourceKind::Deployment => {
            run(
                namespaced::<SlimDeployment>(client, &scope),
                kind,
                scope,
                tx,
            )
            .await
        }
        ResourceKind::StatefulSet => {
            run(
                namespaced::<SlimStatefulSet>(client, &scope),
                kind,
                scope,
                tx,
            )
            .await
        }
        ResourceKind::Job => run(namespaced::<SlimJob>(client, &scope), kind, scope, tx).await,
        ResourceKind::CronJob => {
            run(namespaced::<SlimCronJob>(client, &scope), kind, scope, tx).await
        }
        ResourceKind::Service => {
            run(namespaced::<SlimService>(client, &scope), kind, scope, tx).await
        }
        ResourceKind::Event => run(namespaced::<SlimEvent>(client, &scope), kind, scope, tx).await,
        ResourceKind::Namespace => {
            run(Api::<SlimNamespace>::all(client), kind, WatchScope::All, tx).await
        }
        ResourceKind::Node => run(Api::<SlimNode>::all(client), kind, WatchScope::All, tx).await,
        // Pods have their own, always-running watch (`kube::store`).
        ResourceKind::Pod => {}
    }
}

fn namespaced<K>(client: Client, scope: &WatchScope) -> Api<K>
where
    K: Resource<Scope = NamespaceResourceScope, DynamicType = ()>,
{
    match scope {
        WatchScope::All => Api::all(client),
        WatchScope::Namespace(ns) => Api::namespaced(client, ns),
    }
}

async fn run<K>(api: Api<K>, kind: ResourceKind, scope: WatchScope, tx: mpsc::Sender<Msg>)
where
    K: Resource<DynamicType = ()> + Listed + Clone + DeserializeOwned + Debug + Send + 'static,
{
    let config = watcher::Config::default().page_size(500);
    let mut stream = std::pin::pin!(watcher::watcher(api, config)
        .default_backoff()
        .ready_chunks(BATCH));
    let out = Sender { tx, kind, scope };
    let mut listing: Option<Vec<ResourceKey>> = None;
    while let Some(batch) = stream.next().await {
        let mut rows: Vec<ResourceRow> = Vec::new();
        for event in batch {
            let sent = match event {
                Ok(Event::Init) => {
                    listing = Some(Vec::new());
                    true
                }
                Ok(Event::InitApply(object)) => {
                    let row = object.into_row();
                    if let Some(keys) = listing.as_mut() {
                        keys.push(row.key());
                    }
                    rows.push(row);
                    true
                }
                Ok(Event::Apply(object)) => {
                    rows.push(object.into_row());
                    true
                }
                Ok(Event::InitDone) => {
                    let keys = listing.take().unwrap_or_default();
                    out.flush(&mut rows).await && out.send(ResourceChange::Relisted(keys)).await
                }
                Ok(Event::Delete(object)) => {
                    let key = object.into_row().key();
                    out.flush(&mut rows).await && out.send(ResourceChange::Deleted(key)).await
                }
                Err(error) => {
                    tracing::warn!(?kind, scope = ?out.scope, %error, "resource watch failed; retrying");
                    let sentence = describe(&error, kind, &out.scope);
                    out.flush(&mut rows).await && out.send(ResourceChange::Failed(sentence)).await
                }
            };
            if !sent {
                return;
            }
        }
        if !out.flush(&mut rows).await {
            return;
        }
    }
}

/// Sends one watch's changes; `false` once the app is gone, which ends the watch.
struct Sender {
    tx: mpsc::Sender<Msg>,
    kind: ResourceKind,
    scope: WatchScope,
}

impl Sender {
    async fn send(&self, change: ResourceChange) -> bool {
        let event = ResourceEvent {
            kind: self.kind,
            scope: self.scope.clone(),
            change,
        };
        self.tx.send(Msg::Resources(event)).await.is_ok()
    }

    async fn flush(&self, rows: &mut Vec<ResourceRow>) -> bool {
        if rows.is_empty() {
            return true;
        }
        let rows = std::mem::take(rows);
        self.send(ResourceChange::Applied(rows)).await
    }
}

/// One sentence for the status bar: what failed and what the user can do.
pub fn describe(error: &watcher::Error, kind: ResourceKind, scope: &WatchScope) -> String {
    let what = plural(kind);
    let where_ = match scope {
        _ if !kind.namespaced() => "the cluster".to_string(),
        WatchScope::All => "all namespaces".to_string(),
        WatchScope::Namespace(ns) => format!("namespace {ns}"),
    };
    let forbidden = format!("You may not list {what} in {where_}; esc goes back to the pods.");
    errors::watch_sentence(error, what, &where_, &forbidden)
}
