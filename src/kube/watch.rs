//! The one watch loop, for pods and every listed kind: decodes slim objects, turns them into
//! rows off the UI loop, batches them, and hands them to a `Sink` the app provides.
//!
//! A failure is reported as one sentence, then the watch starts over with a fresh LIST after a
//! growing backoff (0.8 s doubling to 30 s, reset once a list completes). kube's
//! `default_backoff` would instead re-watch from the old resourceVersion, which a restarted
//! server (or a new cluster behind the same address) never had: the fresh list is what clears
//! the error on screen and brings the rows back in step.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use ::kube::runtime::watcher::{self, Event};
use ::kube::{Api, Resource};
use futures::future::BoxFuture;
use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::kube::errors::{self, Failure};
use crate::kube::pods::{PodKey, PodRow};
use crate::kube::scope::WatchScope;

/// Events read from the stream at once.
const BATCH: usize = 512;
/// Objects per LIST page: at 150,000 pods, 2,000 a page count them all in ~5 s where 500 took
/// ~9.5 s (sequential round trips dominate), for ~20 MB more peak RSS; 5,000 saved nothing more
/// and cost 70 MB. The first rows still come after the first page (~0.15 s).
const PAGE: u32 = 2000;
/// First wait before a failed watch is started again; doubled on every failure in a row.
const FIRST_RETRY: Duration = Duration::from_millis(800);
/// Longest wait between two attempts.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Where a watch delivers its events: the app wraps them into its own messages. `send` answers
/// false once the app is gone, which ends the watch.
pub struct Sink<E>(Arc<dyn Fn(E) -> BoxFuture<'static, bool> + Send + Sync>);

impl<E> Clone for Sink<E> {
    fn clone(&self) -> Self {
        Sink(self.0.clone())
    }
}

impl<E: Send + 'static> Sink<E> {
    /// A sink calling `deliver` for every event.
    pub fn new(deliver: impl Fn(E) -> BoxFuture<'static, bool> + Send + Sync + 'static) -> Self {
        Sink(Arc::new(deliver))
    }

    /// Delivers one event; false once the receiver is gone.
    pub async fn send(&self, event: E) -> bool {
        (self.0)(event).await
    }

    /// A sink of another event type, turned into this one's by `into`.
    pub fn map<F: Send + 'static>(&self, into: impl Fn(F) -> E + Send + Sync + 'static) -> Sink<F> {
        let inner = self.clone();
        Sink::new(move |event: F| {
            let inner = inner.clone();
            let event = into(event);
            Box::pin(async move { inner.send(event).await })
        })
    }
}

/// What a watch saw.
#[derive(Clone, Debug, PartialEq)]
pub enum WatchEvent<Row, Key> {
    /// Objects were listed, added or changed.
    Applied(Vec<Row>),
    /// An object is gone.
    Deleted(Key),
    /// The watch (re)listed its scope: rows of that scope whose keys are not here are gone.
    /// Sent after the listed rows came as `Applied`.
    Relisted(Vec<Key>),
    /// The watch failed and starts over after a backoff.
    Failed {
        /// One sentence for the status bar.
        sentence: String,
        /// RBAC said no (403): retrying will not help, a narrower watch may.
        forbidden: bool,
    },
}

/// An event and the watch (scope) that saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Watched<Row, Key> {
    /// The watch.
    pub scope: WatchScope,
    /// What it saw.
    pub event: WatchEvent<Row, Key>,
}

/// What the pod watches send.
pub type PodEvent = Watched<PodRow, PodKey>;

/// How a slim object becomes a row, and what a failure says.
pub struct Rows<K, R, Key> {
    /// The row of an object.
    pub row: fn(K) -> R,
    /// The identity of a row.
    pub key: fn(&R) -> Key,
    /// The plural listed ("pods", "deployments").
    pub what: &'static str,
    /// Where, in words ("namespace t4k9pz", "the cluster").
    pub where_: String,
    /// The sentence for a 403.
    pub forbidden: String,
}

/// How one run of the watcher ended.
enum Ended {
    /// The app is gone: stop.
    ReceiverGone,
    /// The watch failed (and said so); `listed` says whether it had listed its scope at least
    /// once, which resets the backoff.
    Failed {
        /// Whether the run got as far as a complete list.
        listed: bool,
    },
}

/// Watches `api` in `scope` until the sink's receiver is gone or the task is aborted.
pub async fn run<K, R, Key>(
    api: Api<K>,
    scope: WatchScope,
    rows: Rows<K, R, Key>,
    sink: Sink<Watched<R, Key>>,
) where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + 'static,
    R: Send + 'static,
    Key: Send + 'static,
{
    let out = Out { sink, scope };
    let mut delay = FIRST_RETRY;
    loop {
        match watch_once(api.clone(), &rows, &out).await {
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
async fn watch_once<K, R, Key>(api: Api<K>, rows: &Rows<K, R, Key>, out: &Out<R, Key>) -> Ended
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + 'static,
    R: Send + 'static,
    Key: Send + 'static,
{
    let config = watcher::Config::default().page_size(PAGE);
    let mut stream = std::pin::pin!(watcher::watcher(api, config).ready_chunks(BATCH));
    let mut listed = false;
    let mut listing: Option<Vec<Key>> = None;
    while let Some(batch) = stream.next().await {
        let mut applied: Vec<R> = Vec::new();
        for event in batch {
            let sent = match event {
                Ok(Event::Init) => {
                    listing = Some(Vec::new());
                    true
                }
                Ok(Event::InitApply(object)) => {
                    let row = (rows.row)(object);
                    if let Some(keys) = listing.as_mut() {
                        keys.push((rows.key)(&row));
                    }
                    applied.push(row);
                    true
                }
                Ok(Event::Apply(object)) => {
                    applied.push((rows.row)(object));
                    true
                }
                Ok(Event::InitDone) => {
                    listed = true;
                    let keys = listing.take().unwrap_or_default();
                    out.flush(&mut applied).await && out.send(WatchEvent::Relisted(keys)).await
                }
                Ok(Event::Delete(object)) => {
                    let key = (rows.key)(&(rows.row)(object));
                    out.flush(&mut applied).await && out.send(WatchEvent::Deleted(key)).await
                }
                Err(error) => {
                    tracing::warn!(what = rows.what, scope = ?out.scope, %error, "watch failed; starting over");
                    let forbidden = errors::classify_watch(&error) == Some(Failure::Forbidden);
                    let sentence =
                        errors::watch_sentence(&error, rows.what, &rows.where_, &rows.forbidden);
                    let failed = WatchEvent::Failed {
                        sentence,
                        forbidden,
                    };
                    let sent = out.flush(&mut applied).await && out.send(failed).await;
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
        if !out.flush(&mut applied).await {
            return Ended::ReceiverGone;
        }
    }
    // The watcher's stream never ends by itself; treat it as a failure to start over.
    Ended::Failed { listed }
}

/// The sink and the scope every event of one watch carries.
struct Out<R, Key> {
    sink: Sink<Watched<R, Key>>,
    scope: WatchScope,
}

impl<R: Send + 'static, Key: Send + 'static> Out<R, Key> {
    async fn send(&self, event: WatchEvent<R, Key>) -> bool {
        let scope = self.scope.clone();
        self.sink.send(Watched { scope, event }).await
    }

    async fn flush(&self, rows: &mut Vec<R>) -> bool {
        if rows.is_empty() {
            return true;
        }
        self.send(WatchEvent::Applied(std::mem::take(rows))).await
    }
}
