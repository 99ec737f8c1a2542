//! Resource watches: picks the slim type of a kind and runs the one watch loop
//! (`kube::watch`) with it, each event tagged with its kind.

use ::kube::core::NamespaceResourceScope;
use ::kube::{Api, Client, Resource};

use super::coreapi::{SlimEvent, SlimNamespace, SlimNode, SlimService};
use super::wire::Listed;
use super::workloads::{SlimCronJob, SlimDeployment, SlimJob, SlimStatefulSet};
use super::{plural, ResourceChange, ResourceEvent, ResourceKey, ResourceRow};
use crate::kube::kinds::ResourceKind;
use crate::kube::scope::WatchScope;
use crate::kube::watch::{self, Rows, Sink, WatchEvent, Watched};

/// Watches `kind` in `scope` until the sink's receiver is gone or the task is aborted.
/// Cluster-scoped kinds are always watched cluster-wide.
pub async fn watch(
    client: Client,
    kind: ResourceKind,
    scope: WatchScope,
    sink: Sink<ResourceEvent>,
) {
    let scope = if kind.namespaced() {
        scope
    } else {
        WatchScope::All
    };
    let sink = sink.map(move |w: Watched<ResourceRow, ResourceKey>| ResourceEvent {
        kind,
        scope: w.scope,
        change: match w.event {
            WatchEvent::Applied(rows) => ResourceChange::Applied(rows),
            WatchEvent::Deleted(key) => ResourceChange::Deleted(key),
            WatchEvent::Relisted(keys) => ResourceChange::Relisted(keys),
            WatchEvent::Failed { sentence, .. } => ResourceChange::Failed(sentence),
        },
    });
    match kind {
        ResourceKind::Deployment => {
            let api = namespaced::<SlimDeployment>(client, &scope);
            run(api, kind, scope, sink).await
        }
        ResourceKind::StatefulSet => {
            let api = namespaced::<SlimStatefulSet>(client, &scope);
            run(api, kind, scope, sink).await
        }
        ResourceKind::Job => run(namespaced::<SlimJob>(client, &scope), kind, scope, sink).await,
        ResourceKind::CronJob => {
            run(namespaced::<SlimCronJob>(client, &scope), kind, scope, sink).await
        }
        ResourceKind::Service => {
            run(namespaced::<SlimService>(client, &scope), kind, scope, sink).await
        }
        ResourceKind::Event => {
            run(namespaced::<SlimEvent>(client, &scope), kind, scope, sink).await
        }
        ResourceKind::Namespace => run(Api::<SlimNamespace>::all(client), kind, scope, sink).await,
        ResourceKind::Node => run(Api::<SlimNode>::all(client), kind, scope, sink).await,
        // Pods have their own, always-running watch (`Cluster::watch_pods`).
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

async fn run<K>(
    api: Api<K>,
    kind: ResourceKind,
    scope: WatchScope,
    sink: Sink<Watched<ResourceRow, ResourceKey>>,
) where
    K: Resource<DynamicType = ()>
        + Listed
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug
        + Send
        + 'static,
{
    let what = plural(kind);
    let where_ = if kind.namespaced() {
        scope.words()
    } else {
        "the cluster".to_string()
    };
    let rows = Rows {
        row: K::into_row,
        key: ResourceRow::key,
        what,
        forbidden: format!("You may not list {what} in {where_}; esc goes back to the pods."),
        where_,
    };
    watch::run(api, scope, rows, sink).await
}
