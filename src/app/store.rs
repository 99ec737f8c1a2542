//! The pod store: every watched pod as a slim row, one copy of each namespace and node name, and
//! per-namespace counters kept up to date on every upsert and removal, so the tenant picker (and
//! the coming overview) never recount 10k rows. Pod-table screens are views over it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::kube::pods::{PodKey, PodRow, Shared};
use crate::kube::selector::Labels;

/// Counters of one namespace's pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NamespaceCounts {
    /// Pods held.
    pub pods: usize,
    /// Of them, those not fully ready (and not finished job pods).
    pub unhealthy: usize,
}

impl NamespaceCounts {
    fn add(&mut self, row: &PodRow) {
        self.pods += 1;
        self.unhealthy += usize::from(row.is_unhealthy());
    }

    fn sub(&mut self, row: &PodRow) {
        self.pods = self.pods.saturating_sub(1);
        self.unhealthy = self
            .unhealthy
            .saturating_sub(usize::from(row.is_unhealthy()));
    }
}

/// The rows by key. A row lives in its own box so the B-tree's entries are 40 bytes: a list
/// arrives in key order, which leaves a B-tree's nodes just over half full, and with rows inline
/// (264-byte entries) that cost 210 bytes a pod, and packing it (a sorted copy of every row
/// beside the old map) put 40 MB on the peak at 150,000 pods. Boxed, the half-empty room is
/// ~33 bytes a pod and nothing needs packing.
pub type Rows = BTreeMap<PodKey, Box<PodRow>>;

/// The watched pods of the current cluster; a context switch replaces it whole.
#[derive(Clone, Debug, Default)]
pub struct PodStore {
    /// Pod rows ordered by namespace then name, each in its own allocation (see `Rows`).
    pods: Rows,
    /// Namespace and node names, one copy each, shared by every row that names them.
    interned: HashSet<Shared>,
    /// Per-namespace counters, kept with every change.
    counts: BTreeMap<Shared, NamespaceCounts>,
    /// When a cluster-wide watch serves a set of tenants, the namespaces whose pods are kept.
    only: Option<BTreeSet<String>>,
    /// Namespaces whose pods changed since `take_changed`: what the overview recomputes.
    changed: BTreeSet<Shared>,
    /// Label sets, one copy each: the pods of a ReplicaSet carry the same labels.
    label_sets: HashSet<Labels>,
    /// Keys upserted or removed since the journal was restarted (`None`: too many to be worth
    /// replaying), so the shown table can update its order instead of rebuilding it.
    journal: Option<Vec<PodKey>>,
    /// Which journal this is: unique across stores, so a table never replays another's.
    journal_id: u64,
}

/// Past this many changes a table's order is cheaper rebuilt than patched.
const JOURNAL_MAX: usize = 4096;

/// Journal ids: unique in the process.
static JOURNALS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl PodStore {
    /// Every row, by namespace then name.
    pub fn rows(&self) -> &Rows {
        &self.pods
    }

    /// One row.
    pub fn get(&self, key: &PodKey) -> Option<&PodRow> {
        self.pods.get(key).map(|row| &**row)
    }

    /// The keys changed since the journal `journal_id` started, unless there were too many.
    pub(crate) fn journal(&self) -> Option<&[PodKey]> {
        self.journal.as_deref()
    }

    /// Which journal `journal` is.
    pub(crate) fn journal_id(&self) -> u64 {
        self.journal_id
    }

    /// Starts a new, empty journal: the shown table's order reflects every change so far.
    pub(crate) fn restart_journal(&mut self) {
        self.journal_id = JOURNALS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.journal = Some(Vec::new());
    }

    fn note(&mut self, key: &PodKey) {
        if let Some(journal) = self.journal.as_mut() {
            if journal.len() < JOURNAL_MAX {
                journal.push(key.clone());
            } else {
                self.journal = None;
            }
        }
    }

    /// The namespaces whose pods changed since the last call.
    pub(crate) fn take_changed(&mut self) -> BTreeSet<Shared> {
        std::mem::take(&mut self.changed)
    }

    /// How many pods are held.
    pub fn len(&self) -> usize {
        self.pods.len()
    }

    /// Whether no pod is held.
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
    }

    /// The counters of every namespace that has pods.
    pub fn counts(&self) -> &BTreeMap<Shared, NamespaceCounts> {
        &self.counts
    }

    /// The counters summed over every namespace.
    pub fn totals(&self) -> NamespaceCounts {
        self.counts
            .values()
            .fold(NamespaceCounts::default(), |t, c| NamespaceCounts {
                pods: t.pods + c.pods,
                unhealthy: t.unhealthy + c.unhealthy,
            })
    }

    /// The namespaces a cluster-wide watch keeps pods of (`None`: all).
    pub fn only(&self) -> Option<&BTreeSet<String>> {
        self.only.as_ref()
    }

    /// Keeps only pods of `namespaces` from now on (`None`: all).
    pub(crate) fn set_only(&mut self, namespaces: Option<BTreeSet<String>>) {
        self.only = namespaces;
    }

    /// Adds one namespace to the kept set, if a set is in force; `false` when none is.
    pub(crate) fn add_only(&mut self, namespace: &str) -> bool {
        match self.only.as_mut() {
            Some(only) => {
                only.insert(namespace.to_string());
                true
            }
            None => false,
        }
    }

    /// Inserts or replaces a row. Rows outside the tenant set of a cluster-wide watch are not
    /// kept.
    pub(crate) fn upsert(&mut self, mut row: PodRow) {
        if let Some(only) = &self.only {
            if !only.contains(&*row.namespace) {
                return;
            }
        }
        // One copy of each string: a known pod keeps its key's name and namespace, a new one
        // takes the interned namespace; node names are interned too.
        let key = row.key();
        if let Some((known, _)) = self.pods.get_key_value(&key) {
            row.namespace = known.namespace.clone();
            row.name = known.name.clone();
        } else {
            row.namespace = intern(&mut self.interned, &row.namespace);
        }
        row.node = intern(&mut self.interned, &row.node);
        row.labels = match self.label_sets.get(&row.labels) {
            Some(shared) => shared.clone(),
            None => {
                self.label_sets.insert(row.labels.clone());
                row.labels
            }
        };
        if !self.changed.contains(&row.namespace) {
            self.changed.insert(row.namespace.clone());
        }
        let key = row.key();
        self.note(&key);
        let counts = self.counts.entry(row.namespace.clone()).or_default();
        counts.add(&row);
        if let Some(old) = self.pods.insert(key, Box::new(row)) {
            counts.sub(&old);
        }
    }

    /// Removes a row; `true` when it was there.
    pub(crate) fn remove(&mut self, key: &PodKey) -> bool {
        let Some(old) = self.pods.remove(key) else {
            return false;
        };
        if !self.changed.contains(&old.namespace) {
            self.changed.insert(old.namespace.clone());
        }
        self.note(key);
        if let Some(counts) = self.counts.get_mut(&old.namespace) {
            counts.sub(&old);
            if counts.pods == 0 {
                self.counts.remove(&old.namespace);
            }
        }
        true
    }

    /// Removes the rows `drop` picks (what a relist did not list); `true` when any went.
    /// A relist is also when label sets no pod carries any more (rollouts bring new
    /// pod-template hashes) are let go.
    pub(crate) fn remove_where(&mut self, drop: impl Fn(&PodKey) -> bool) -> bool {
        let gone: Vec<PodKey> = self.pods.keys().filter(|k| drop(k)).cloned().collect();
        for key in &gone {
            self.remove(key);
        }
        self.let_go_of_unused_labels();
        !gone.is_empty()
    }

    fn let_go_of_unused_labels(&mut self) {
        self.label_sets.retain(|labels| !labels.unshared());
    }
}

/// The shared copy of `text`, added if new.
fn intern(set: &mut HashSet<Shared>, text: &Shared) -> Shared {
    match set.get(&**text) {
        Some(shared) => shared.clone(),
        None => {
            set.insert(text.clone());
            text.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ns: &str, name: &str, ready: u16) -> PodRow {
        PodRow {
            namespace: ns.into(),
            name: name.into(),
            ready,
            total: 1,
            status: "Running".into(),
            ..PodRow::default()
        }
    }

    #[test]
    fn counters_follow_upserts_and_removals() {
        let mut store = PodStore::default();
        store.upsert(row("a", "p1", 1));
        store.upsert(row("a", "p2", 0));
        store.upsert(row("b", "p1", 1));
        let a = store.counts().get("a").copied().unwrap_or_default();
        assert_eq!((a.pods, a.unhealthy), (2, 1));
        // The same pod becoming ready replaces its old contribution.
        store.upsert(row("a", "p2", 1));
        let a = store.counts().get("a").copied().unwrap_or_default();
        assert_eq!((a.pods, a.unhealthy), (2, 0));
        assert!(store.remove(&PodKey::new("b", "p1")));
        assert!(
            !store.counts().contains_key("b"),
            "an empty namespace is dropped"
        );
        assert_eq!(store.totals().pods, 2);
    }

    #[test]
    fn equal_label_sets_are_kept_once_and_let_go_when_unused() {
        let mut store = PodStore::default();
        let labelled = |name: &str| PodRow {
            labels: Labels::from_pairs([("app", "appserver"), ("pod-template-hash", "abc")]),
            ..row("a", name, 1)
        };
        store.upsert(labelled("p1"));
        store.upsert(labelled("p2"));
        assert_eq!(store.label_sets.len(), 1);
        assert!(store.remove(&PodKey::new("a", "p1")));
        assert!(store.remove(&PodKey::new("a", "p2")));
        store.let_go_of_unused_labels();
        assert!(store.label_sets.is_empty());
    }

    #[test]
    fn a_tenant_set_keeps_only_its_pods() {
        let mut store = PodStore::default();
        store.set_only(Some(["a".to_string()].into()));
        store.upsert(row("a", "p", 1));
        store.upsert(row("z", "p", 1));
        assert_eq!(store.len(), 1);
    }
}
