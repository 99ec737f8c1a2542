//! The object store: every stored object as JSON, a global resourceVersion, and the event history
//! that watches replay from. One mutex guards it all, so a watch's snapshot and its subscription
//! always line up.

mod meta;
mod watch;

pub use meta::{generate_suffix, now_rfc3339, prune_nulls};
pub use watch::{EventType, StoreEvent, Subscription};

use crate::error::ApiError;
use bytes::Bytes;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;

/// One stored object and its serialized form (served as-is by list, get and watch).
#[derive(Clone, Debug)]
pub struct Entry {
    pub obj: Arc<Value>,
    pub json: Bytes,
}

impl Entry {
    fn new(obj: Value) -> Entry {
        let json = Bytes::from(serde_json::to_vec(&obj).unwrap_or_default());
        Entry {
            obj: Arc::new(obj),
            json,
        }
    }
}

type Objects = BTreeMap<(String, String), Entry>;

struct Inner {
    rv: u64,
    /// storage key → (namespace, name) → object.
    objects: HashMap<&'static str, Objects>,
    history: VecDeque<Arc<StoreEvent>>,
    /// Watches from a resourceVersion older than this get 410 Gone.
    compacted: u64,
    uids: HashMap<String, (&'static str, String, String)>,
}

/// The store; cheap to clone (shared).
#[derive(Clone)]
pub struct Store {
    inner: Arc<Mutex<Inner>>,
    events: broadcast::Sender<Arc<StoreEvent>>,
}

const HISTORY: usize = 200_000;

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Store {
        let (events, _) = broadcast::channel(65_536);
        Store {
            inner: Arc::new(Mutex::new(Inner {
                rv: 1000,
                objects: HashMap::new(),
                history: VecDeque::new(),
                compacted: 0,
                uids: HashMap::new(),
            })),
            events,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means a panic elsewhere; the data is still consistent per write.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current resourceVersion.
    pub fn rv(&self) -> u64 {
        self.lock().rv
    }

    pub fn get(&self, key: &str, ns: &str, name: &str) -> Option<Entry> {
        let g = self.lock();
        g.objects
            .get(key)?
            .get(&(ns.to_string(), name.to_string()))
            .cloned()
    }

    /// All objects of a storage key (in one namespace, or all when `ns` is None), sorted by namespace/name.
    pub fn list(&self, key: &str, ns: Option<&str>) -> (u64, Vec<Entry>) {
        let g = self.lock();
        (g.rv, Self::collect(&g, key, ns))
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

    /// Whether an object with this uid exists (garbage collection asks).
    pub fn uid_exists(&self, uid: &str) -> bool {
        self.lock().uids.contains_key(uid)
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
        g.compacted = g.rv;
    }

    /// Drop every open watch (the watchers see their stream end).
    pub fn drop_watches(&self) {
        let g = self.lock();
        let _ = self.events.send(Arc::new(StoreEvent::drop_all(g.rv)));
    }

    /// Create `obj` (metadata already filled by the caller); AlreadyExists if the name is taken.
    pub fn insert(&self, key: &'static str, group: &str, obj: Value) -> Result<Entry, ApiError> {
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
    ) -> Result<Option<Entry>, ApiError>
    where
        F: FnOnce(&Value) -> Result<Value, ApiError>,
    {
        let mut g = self.lock();
        let cur = g
            .objects
            .get(key)
            .and_then(|m| m.get(&(ns.to_string(), name.to_string())))
            .map(|e| e.obj.clone())
            .ok_or_else(|| ApiError::not_found(group, key, name))?;
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
    pub fn remove(&self, key: &'static str, ns: &str, name: &str) -> Option<Entry> {
        let mut g = self.lock();
        let cur = g
            .objects
            .get(key)?
            .get(&(ns.to_string(), name.to_string()))?
            .obj
            .clone();
        Some(Self::write(
            &mut g,
            &self.events,
            key,
            EventType::Deleted,
            (*cur).clone(),
        ))
    }

    fn write(
        g: &mut Inner,
        tx: &broadcast::Sender<Arc<StoreEvent>>,
        key: &'static str,
        ty: EventType,
        mut obj: Value,
    ) -> Entry {
        g.rv += 1;
        let rv = g.rv;
        obj["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        meta::prune_nulls(&mut obj);
        let (ns, name) = meta::ns_name(&obj);
        let uid = obj["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let entry = Entry::new(obj);
        let map = g.objects.entry(key).or_default();
        let prev = map.get(&(ns.clone(), name.clone())).map(|e| e.obj.clone());
        if ty == EventType::Deleted {
            map.remove(&(ns.clone(), name.clone()));
            g.uids.remove(&uid);
        } else {
            map.insert((ns.clone(), name.clone()), entry.clone());
            g.uids.insert(uid, (key, ns.clone(), name.clone()));
        }
        let ev = Arc::new(StoreEvent {
            ty,
            key,
            ns,
            rv,
            entry: entry.clone(),
            prev,
        });
        if g.history.len() >= HISTORY {
            g.history.pop_front();
        }
        g.history.push_back(ev.clone());
        // No receivers is fine: nobody watches yet.
        let _ = tx.send(ev);
        entry
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
