//! The one watch loop, for pods and every listed kind: decodes slim objects, turns them into
//! rows off the UI loop, batches them, and hands them to a `Sink` the app provides. The LIST is
//! `paged` (the next page on its way while this one is decoded); the WATCH after it goes on
//! from the last resourceVersion seen each time the server ends it.
//!
//! A failure is reported as one sentence, then the watch starts over with a fresh LIST after a
//! growing backoff (0.8 s doubling to 30 s, reset once a list completes). kube's
//! `default_backoff` would instead re-watch from the old resourceVersion, which a restarted
//! server (or a new cluster behind the same address) never had: the fresh list is what clears
//! the error on screen and brings the rows back in step.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use ::kube::api::{WatchEvent as ApiEvent, WatchParams};
use ::kube::runtime::watcher;
use ::kube::{Api, Resource};
use futures::future::BoxFuture;
use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::kube::errors::{self, Failure};
use crate::kube::paged::Pages;
use crate::kube::pods::{PodKey, PodRow};
use crate::kube::scope::WatchScope;

/// Events read from the stream at once.
const BATCH: usize = 512;
/// Objects per LIST page. At 150,000 pods on a loaded 2-core machine, with the next page
/// requested while this one is decoded (`paged`): 2,000 a page counted them all in 5.6-6.5 s
/// for a 132 MB peak, 1,000 in ~13 s for 123 MB (every page waits its turn for a core four
/// times: fetcher, decoder, UI loop, server). The first rows come after the first page.
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
    let mut version = match list(&api, rows, out).await {
        Ok(Some(version)) => version,
        Ok(None) => return Ended::ReceiverGone,
        Err(error) => return out.fail(error, rows, false).await,
    };
    // A watch ends when the server's timeout does; the next one goes on from the last version
    // seen. Any error ends the run, and the next run lists again.
    loop {
        let events = match api.watch(&WatchParams::default(), &version).await {
            Ok(events) => events,
            Err(error) => {
                return out
                    .fail(watcher::Error::WatchStartFailed(error), rows, true)
                    .await
            }
        };
        let mut events = std::pin::pin!(events.ready_chunks(BATCH));
        while let Some(batch) = events.next().await {
            let mut applied: Vec<R> = Vec::new();
            for event in batch {
                let sent = match event {
                    Ok(ApiEvent::Added(object)) | Ok(ApiEvent::Modified(object)) => {
                        note_version(&mut version, &object);
                        applied.push((rows.row)(object));
                        true
                    }
                    Ok(ApiEvent::Deleted(object)) => {
                        note_version(&mut version, &object);
                        let key = (rows.key)(&(rows.row)(object));
                        out.flush(&mut applied).await && out.send(WatchEvent::Deleted(key)).await
                    }
                    Ok(ApiEvent::Bookmark(mark)) => {
                        version = mark.metadata.resource_version;
                        true
                    }
                    Ok(ApiEvent::Error(status)) => {
                        let error = watcher::Error::WatchError(status);
                        return out.end(&mut applied, error, rows).await;
                    }
                    Err(error) => {
                        let error = watcher::Error::WatchFailed(error);
                        return out.end(&mut applied, error, rows).await;
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
    }
}

/// Lists the scope in pages, delivering each page's rows, then the keys of all of them;
/// answers the version to watch from (`None`: the app is gone).
async fn list<K, R, Key>(
    api: &Api<K>,
    rows: &Rows<K, R, Key>,
    out: &Out<R, Key>,
) -> Result<Option<String>, watcher::Error>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + 'static,
    R: Send + 'static,
    Key: Send + 'static,
{
    let mut pages = Pages::start(api, PAGE);
    let mut keys = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        let (last, version) = (page.last, page.resource_version.clone());
        let remaining = page.remaining;
        let mut applied: Vec<R> = pages
            .decode::<K>(page)?
            .into_iter()
            .map(|object| (rows.row)(object))
            .collect();
        // Room for the whole list at once: doubling 150,000 keys' room left 3.6 MB unused.
        // (A server that does not say how many remain gets the usual doubling: reserving exactly
        // a page at a time would copy every key on every page.)
        if let Some(remaining) = remaining {
            keys.reserve_exact(applied.len() + remaining);
        }
        keys.extend(applied.iter().map(|row| (rows.key)(row)));
        if !out.flush(&mut applied).await {
            return Ok(None);
        }
        if last {
            let version = version.ok_or(watcher::Error::NoResourceVersion)?;
            return Ok(out
                .send(WatchEvent::Relisted(keys))
                .await
                .then_some(version));
        }
    }
    Err(watcher::Error::NoResourceVersion)
}

/// Keeps the version of the newest object seen, where the next watch goes on from.
fn note_version<K: Resource>(version: &mut String, object: &K) {
    if let Some(seen) = object.meta().resource_version.as_ref() {
        version.clone_from(seen);
    }
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

    /// Says why the watch failed; the run ends and the next one starts after a backoff.
    async fn fail<K>(&self, error: watcher::Error, rows: &Rows<K, R, Key>, listed: bool) -> Ended {
        tracing::warn!(what = rows.what, scope = ?self.scope, %error, "watch failed; starting over");
        let forbidden = errors::classify_watch(&error) == Some(Failure::Forbidden);
        let sentence = errors::watch_sentence(&error, rows.what, &rows.where_, &rows.forbidden);
        let failed = WatchEvent::Failed {
            sentence,
            forbidden,
        };
        if self.send(failed).await {
            Ended::Failed { listed }
        } else {
            Ended::ReceiverGone
        }
    }

    /// Delivers the rows seen before a failure, then says why the watch failed.
    async fn end<K>(
        &self,
        applied: &mut Vec<R>,
        error: watcher::Error,
        rows: &Rows<K, R, Key>,
    ) -> Ended {
        if self.flush(applied).await {
            self.fail(error, rows, true).await
        } else {
            Ended::ReceiverGone
        }
    }

    async fn flush(&self, rows: &mut Vec<R>) -> bool {
        if rows.is_empty() {
            return true;
        }
        self.send(WatchEvent::Applied(std::mem::take(rows))).await
    }
}
