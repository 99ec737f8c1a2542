//! The sinks the runtime hands to the cluster's watches: each wraps the kube layer's events into
//! the app's `Msg`s on the one channel, so `kube` never needs to know about `Msg`.

use tokio::sync::mpsc;

use crate::app::msg::Msg;
use crate::kube::resources::ResourceEvent;
use crate::kube::watch::{PodEvent, Sink, WatchEvent};
use crate::kube::NamespaceAnswer;

/// A sink sending `into(event)` to `tx`; false once the loop is gone.
fn into_msgs<E: Send + 'static>(tx: mpsc::Sender<Msg>, into: fn(E) -> Msg) -> Sink<E> {
    Sink::new(move |event: E| {
        let tx = tx.clone();
        let msg = into(event);
        Box::pin(async move { tx.send(msg).await.is_ok() })
    })
}

/// Pod watch events as `PodsApplied`, `PodDeleted`, `PodsRelisted` and `WatchFailed`.
pub fn pods(tx: mpsc::Sender<Msg>) -> Sink<PodEvent> {
    into_msgs(tx, pod_msg)
}

/// Resource watch events as `Msg::Resources`.
pub fn resources(tx: mpsc::Sender<Msg>) -> Sink<ResourceEvent> {
    into_msgs(tx, Msg::Resources)
}

/// The overview's Service, Job and Event watches as `Msg::Health`.
pub fn health(tx: mpsc::Sender<Msg>) -> Sink<ResourceEvent> {
    into_msgs(tx, Msg::Health)
}

/// The tenant namespace lookup as `NamespacesListed` or `NamespaceListFailed`.
pub fn namespaces(tx: mpsc::Sender<Msg>) -> Sink<NamespaceAnswer> {
    into_msgs(tx, |answer| match answer {
        NamespaceAnswer::Listed(names) => Msg::NamespacesListed { names },
        NamespaceAnswer::Failed {
            sentence,
            forbidden,
        } => Msg::NamespaceListFailed {
            error: sentence,
            forbidden,
        },
    })
}

/// The message of one pod watch event.
pub fn pod_msg(event: PodEvent) -> Msg {
    let scope = event.scope;
    match event.event {
        WatchEvent::Applied(rows) => Msg::PodsApplied { scope, rows },
        WatchEvent::Deleted(key) => Msg::PodDeleted { scope, key },
        WatchEvent::Relisted(keys) => Msg::PodsRelisted { scope, keys },
        WatchEvent::Failed {
            sentence,
            forbidden,
        } => Msg::WatchFailed {
            scope,
            error: sentence,
            forbidden,
        },
    }
}
