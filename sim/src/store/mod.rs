//! The object store: every stored object once, as its serialized bytes plus a few parsed fields
//! (`Entry`), a global resourceVersion, and the event history that watches replay from, bounded
//! in bytes. One mutex guards it all, so a watch's snapshot and its subscription always line up.

mod entry;
mod meta;
#[cfg(test)]
mod tests;
mod watch;

pub use entry::{Doc, Entry, Meta};
pub use meta::{generate_suffix, now_rfc3339, prune_nulls};
pub use watch::{EventType, StoreEvent, Subscription};

use crate::error::ApiError;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;

type Objects = BTreeMap<(String, String), Entry>;

struct Inner {
    rv: u64,
    /// storage key → (namespace, name) → object.
    objects: HashMap<&'static str, Objects>,
    history: VecDeque<Arc<StoreEvent>>,
    /// What the history holds, in bytes, and at most (see `HISTORY_BYTES`).
    history_bytes: usize,
    history_limit: usize,
    /// Watches from a resourceVersion older than this get 410 Gone.
    compacted: u64,
    /// The uids of every stored object (garbage collection asks whether owners exist).
    uids: HashSet<Box<str>>,
}

/// A page of a list: the store's resourceVersion, (namespace, name, entry) in order, and how many
/// objects follow.
pub struct Page {
    pub rv: u64,
    pub items: Vec<(String, String, Entry)>,
    pub remaining: usize,
}

/// The store; cheap to clone (shared).
#[derive(Clone)]
pub struct Store {
    inner: Arc<Mutex<Inner>>,
    /// Trees parsed lately, by resourceVersion (unique per write): the controllers read the
    /// same namespace's objects several times in one pass. Bounded; emptied when full.
    parsed: Arc<Mutex<HashMap<u64, Arc<Value>>>>,
    events: broadcast::Sender<Arc<StoreEvent>>,
}

/// The history keeps at most this many events and this many bytes: a watch from an older
/// resourceVersion gets 410 Gone and re-lists, as from a compacted real server. Bounded in bytes
/// so that churn among large objects cannot grow the simulator (150,000 pods write ~1 GB of
/// history in their first seconds).
const HISTORY: usize = 200_000;
const HISTORY_BYTES: usize = 64 << 20;
/// Live events a subscriber may fall behind by before it must re-read everything; the channel
/// keeps this many events alive, so it is sized in events of a few KB.
const CHANNEL: usize = 16_384;
/// Parsed trees kept for re-reading (a few MB of trees: a namespace's objects many times over).
const PARSED: usize = 512;

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Store {
        let (events, _) = broadcast::channel(CHANNEL);
        Store {
            inner: Arc::new(Mutex::new(Inner {
                rv: 1000,
                objects: HashMap::new(),
                history: VecDeque::new(),
                history_bytes: 0,
                history_limit: HISTORY_BYTES,
                compacted: 0,
                uids: HashSet::new(),
            })),
            events,
            parsed: Arc::default(),
        }
    }

    /// The object of an entry as a tree, parsed at most once while it is in the cache.
    pub fn doc(&self, e: &Entry) -> Doc {
        let rv = e.meta.resource_version;
        let hit = self.cache().get(&rv).cloned();
        let obj = match hit {
            Some(obj) => obj,
            None => {
                let obj = Arc::new(e.value());
                let mut cache = self.cache();
                if cache.len() >= PARSED {
                    cache.clear();
                }
                cache.insert(rv, obj.clone());
                obj
            }
        };
        Doc {
            obj,
            json: e.json.clone(),
            meta: e.meta.clone(),
        }
    }

    fn cache(&self) -> MutexGuard<'_, HashMap<u64, Arc<Value>>> {
        self.parsed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A store whose history keeps at most `bytes` (tests use a small one).
    pub fn with_history_limit(bytes: usize) -> Store {
        let store = Store::new();
        store.lock().history_limit = bytes;
        store
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means a panic elsewhere; the data is still consistent per write.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current resourceVersion.
    pub fn rv(&self) -> u64 {
        self.lock().rv
    }

    /// One object, parsed.
    pub fn get(&self, key: &str, ns: &str, name: &str) -> Option<Doc> {
        let e = self.entry(key, ns, name)?;
        Some(self.doc(&e))
    }

    /// One object as stored.
    pub fn entry(&self, key: &str, ns: &str, name: &str) -> Option<Entry> {
        let g = self.lock();
        g.objects
            .get(key)?
            .get(&(ns.to_string(), name.to_string()))
            .cloned()
    }

    /// All objects of a storage key (in one namespace, or all when `ns` is None), sorted by
    /// namespace/name, parsed (outside the lock).
    pub fn list(&self, key: &str, ns: Option<&str>) -> (u64, Vec<Doc>) {
        let (rv, entries) = self.entries(key, ns);
        (rv, entries.iter().map(|e| self.doc(e)).collect())
    }

    /// All objects of a storage key as stored: what lists and scans over every object use.
    pub fn entries(&self, key: &str, ns: Option<&str>) -> (u64, Vec<Entry>) {
        let g = self.lock();
        (g.rv, Self::collect(&g, key, ns))
    }

    /// Objects of a storage key (one namespace, or all) after `after` in namespace/name order,
    /// with their names: at most `limit` of them, and how many more there are. Pages of a large
    /// list cost what they return, not the whole list.
    pub fn page(
        &self,
        key: &str,
        ns: Option<&str>,
        after: Option<(&str, &str)>,
        limit: Option<usize>,
    ) -> Page {
        use std::ops::Bound;
        let g = self.lock();
        let mut page = Page {
            rv: g.rv,
            items: Vec::new(),
            remaining: 0,
        };
        let Some(map) = g.objects.get(key) else {
            return page;
        };
        let first = (ns.unwrap_or_default().to_string(), String::new());
        let start = match after {
            Some((n, name)) if (n, name) >= (first.0.as_str(), "") => {
                Bound::Excluded((n.to_string(), name.to_string()))
            }
            _ => Bound::Included(first),
        };
        let mut rest = map
            .range((start, Bound::Unbounded))
            .take_while(|((n, _), _)| ns.is_none_or(|ns| n == ns));
        let limit = limit.unwrap_or(usize::MAX);
        page.items = rest
            .by_ref()
            .take(limit)
            .map(|((n, name), e)| (n.clone(), name.clone(), e.clone()))
            .collect();
        page.remaining = rest.count();
        page
    }

    /// (namespace, name) of the objects of a storage key that `pick` chooses by their stored
    /// fields, looked at under one lock without copying the others (a scan of 150,000 pods on
    /// every deletion must cost little); `pick` also sees whether a uid exists.
    pub fn select(
        &self,
        key: &str,
        pick: impl Fn(&Meta, &dyn Fn(&str) -> bool) -> bool,
    ) -> Vec<(String, String)> {
        let g = self.lock();
        let exists = |uid: &str| g.uids.contains(uid);
        g.objects
            .get(key)
            .into_iter()
            .flatten()
            .filter(|(_, e)| pick(&e.meta, &exists))
            .map(|((ns, name), _)| (ns.clone(), name.clone()))
            .collect()
    }

    fn collect(g: &Inner, key: &str, ns: Option<&str>) -> Vec<Entry> {
        let Some(map) = g.objects.get(key) else {
            return Vec::new();
        };
        match ns {
            Some(ns) => map
                .range((ns.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, e)| e.clone())
                .collect(),
            None => map.values().cloned().collect(),
        }
    }

    /// A consistent snapshot plus a subscription to every later event: what a watch needs.
    pub fn snapshot_and_subscribe(
        &self,
        key: &str,
        ns: Option<&str>,
    ) -> (u64, Vec<Entry>, Subscription) {
        let g = self.lock();
        let rx = self.events.subscribe();
        (
            g.rv,
            Self::collect(&g, key, ns),
            Subscription::new(rx, g.rv),
        )
    }

    /// Events after `rv` from the history, then a live subscription; 410 when `rv` was compacted.
    pub fn replay_and_subscribe(
        &self,
        rv: u64,
    ) -> Result<(Vec<Arc<StoreEvent>>, Subscription), ApiError> {
        let g = self.lock();
        let oldest = g.history.front().map(|e| e.rv).unwrap_or(g.rv + 1);
        if rv < g.compacted || (rv + 1 < oldest && rv < g.rv) {
            return Err(ApiError::expired(format!(
                "too old resource version: {rv} ({})",
                oldest.max(g.compacted)
            )));
        }
        let past: Vec<_> = g.history.iter().filter(|e| e.rv > rv).cloned().collect();
        let rx = self.events.subscribe();
        Ok((past, Subscription::new(rx, g.rv)))
    }

    /// Forget the history: later watches from an older resourceVersion get 410 Gone.
    pub fn compact(&self) {
        let mut g = self.lock();
        // Advance the revision so every watcher's last-seen version is now older than the
        // compaction point (its re-watch gets 410) while a fresh list's version is not.
        g.rv += 1;
        g.history.clear();
        g.history_bytes = 0;
        g.compacted = g.rv;
    }

    /// Drop every open watch (the watchers see their stream end).
    pub fn drop_watches(&self) {
        let g = self.lock();
        let _ = self.events.send(Arc::new(StoreEvent::drop_all(g.rv)));
    }

    /// Create `obj` (metadata already filled by the caller); AlreadyExists if the name is taken.
    pub fn insert(&self, key: &'static str, group: &str, obj: Value) -> Result<Doc, ApiError> {
        let (ns, name) = meta::ns_name(&obj);
        let mut g = self.lock();
        if g.objects
            .get(key)
            .is_some_and(|m| m.contains_key(&(ns.clone(), name.clone())))
        {
            return Err(ApiError::already_exists(group, key, &name));
        }
        Ok(Self::write(
            &mut g,
            &self.events,
            key,
            EventType::Added,
            obj,
        ))
    }

    /// Replace the object in place through `f`, which sees the current value and may refuse.
    /// Returns None (no write, no event) when `f` leaves the object unchanged.
    pub fn modify<F>(
        &self,
        key: &'static str,
        group: &str,
        ns: &str,
        name: &str,
        f: F,
    ) -> Result<Option<Doc>, ApiError>
    where
        F: FnOnce(&Value) -> Result<Value, ApiError>,
    {
        let mut g = self.lock();
        let cur = g
            .objects
            .get(key)
            .and_then(|m| m.get(&(ns.to_string(), name.to_string())))
            .cloned()
            .ok_or_else(|| ApiError::not_found(group, key, name))?;
        let cur = self.doc(&cur).obj;
        let mut next = f(&cur)?;
        if same_but_version(&next, &cur) {
            return Ok(None);
        }
        next["metadata"]["resourceVersion"] = Value::Null;
        Ok(Some(Self::write(
            &mut g,
            &self.events,
            key,
            EventType::Modified,
            next,
        )))
    }

    /// Remove the object now; returns what was removed.
    pub fn remove(&self, key: &'static str, ns: &str, name: &str) -> Option<Doc> {
        let mut g = self.lock();
        let cur = g
            .objects
            .get(key)?
            .get(&(ns.to_string(), name.to_string()))?
            .value();
        Some(Self::write(
            &mut g,
            &self.events,
            key,
            EventType::Deleted,
            cur,
        ))
    }

    fn write(
        g: &mut Inner,
        tx: &broadcast::Sender<Arc<StoreEvent>>,
        key: &'static str,
        ty: EventType,
        mut obj: Value,
    ) -> Doc {
        g.rv += 1;
        let rv = g.rv;
        obj["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        meta::prune_nulls(&mut obj);
        let (ns, name) = meta::ns_name(&obj);
        let entry = Entry::new(&obj, rv);
        let map = g.objects.entry(key).or_default();
        let id = (ns, name);
        let prev = if ty == EventType::Deleted {
            map.remove(&id)
        } else {
            map.insert(id.clone(), entry.clone())
        };
        if ty == EventType::Deleted {
            g.uids.remove(&*entry.meta.uid);
        } else if prev.is_none() {
            g.uids.insert(entry.meta.uid.clone());
        }
        let ev = Arc::new(StoreEvent {
            ty,
            key,
            ns: id.0.clone(),
            rv,
            entry: entry.clone(),
            prev,
        });
        g.history_bytes += ev.weight();
        while g.history.len() >= HISTORY
            || (g.history_bytes > g.history_limit && !g.history.is_empty())
        {
            if let Some(old) = g.history.pop_front() {
                g.history_bytes -= old.weight();
            }
        }
        g.history.push_back(ev.clone());
        // No receivers is fine: nobody watches yet.
        let _ = tx.send(ev);
        entry.with(obj)
    }

    /// Bytes the history holds now (the byte budget is checked by tests).
    pub fn history_bytes(&self) -> usize {
        self.lock().history_bytes
    }
}

/// Whether two objects differ at most in resourceVersion and managedFields (a no-op write must not
/// bump the version, as on a real server). Compares in place: this runs on every write.
fn same_but_version(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    let skip = |k: &str| matches!(k, "resourceVersion" | "managedFields");
    let meta_eq = |x: Option<&Value>, y: Option<&Value>| match (
        x.and_then(Value::as_object),
        y.and_then(Value::as_object),
    ) {
        (Some(x), Some(y)) => {
            x.iter().filter(|(k, _)| !skip(k)).count() == y.iter().filter(|(k, _)| !skip(k)).count()
                && x.iter()
                    .filter(|(k, _)| !skip(k))
                    .all(|(k, v)| y.get(k) == Some(v))
        }
        _ => x == y,
    };
    a.len() == b.len()
        && a.iter().all(|(k, v)| {
            if k == "metadata" {
                meta_eq(Some(v), b.get(k))
            } else {
                b.get(k) == Some(v)
            }
        })
}
