//! A pod-table screen: a view over the pod store — its restriction (a drill-down's pods), the
//! user's filter, the shown order, the cursor and the detail pane. The rows themselves stay in
//! the store; the order is rebuilt only when data, sort or filter change (PERFORMANCE.md P7).

use std::cmp::Ordering;
use std::sync::Arc;

use crate::app::cursor::Cursor;
use crate::app::haystack::Haystack;
use crate::app::objects::DetailPane;
use crate::app::order::{Filter, Sort};
use crate::app::scope::PodScope;
use crate::app::store::PodStore;
use crate::kube::pods::{PodKey, PodRow, Shared};

/// From this many shown rows on, a narrowing filter walks the store alongside the order
/// instead of looking every row up: at 150,000 pods, 60,000 lookups (each a descent through
/// the B-tree, cache misses all the way) took 30-80 ms a keystroke.
const WALK_FROM: usize = 2048;

/// The rows of `keys` (in key order), found by one walk through the store's map from the
/// first of them.
fn rows_in_key_order<'s>(store: &'s PodStore, keys: &[PodKey]) -> Vec<&'s PodRow> {
    let Some(first) = keys.first() else {
        return Vec::new();
    };
    let mut rows = store.rows().range(first.clone()..).peekable();
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        while let Some((k, row)) = rows.peek() {
            match compare_keys(k, key) {
                Ordering::Less => {
                    rows.next();
                }
                Ordering::Equal => {
                    out.push(&***row);
                    rows.next();
                    break;
                }
                Ordering::Greater => break,
            }
        }
    }
    out
}

/// `a.cmp(b)`, without reading the strings when both share them: the order's keys are clones
/// of the store's, so walking every row of 150,000 compared 300,000 strings for nothing.
fn compare_keys(a: &PodKey, b: &PodKey) -> Ordering {
    let part = |x: &Shared, y: &Shared| {
        if Arc::ptr_eq(x, y) {
            Ordering::Equal
        } else {
            x.cmp(y)
        }
    };
    part(&a.namespace, &b.namespace).then_with(|| part(&a.name, &b.name))
}

/// Counters of the work done to build the shown order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderStats {
    /// Times `order` was rebuilt.
    pub rebuilds: u64,
    /// Rows tested against the filter by the last rebuild.
    pub examined: usize,
    /// Rows before the filter: every pod, or the focused tenant's.
    pub base: usize,
    /// Shown rows that are not fully ready.
    pub unhealthy: usize,
    /// Rows read from the store by the last rebuild (none when the filter line's search text
    /// answered the keystroke).
    pub rows_read: usize,
}

/// What the order is built from besides the table's own scope and filter.
#[derive(Clone, Copy, Debug)]
pub struct OrderInput<'a> {
    /// The rows.
    pub store: &'a PodStore,
    /// The focused tenant, for a table without a scope of its own.
    pub focus: Option<&'a str>,
    /// The user's sort.
    pub sort: Option<Sort>,
}

/// One pod table on the screen stack.
#[derive(Clone, Debug, Default)]
pub struct PodTable {
    /// The restriction before the filter (`None`: every watched pod, or the focused tenant's).
    pub scope: Option<PodScope>,
    /// The filter in force (the last valid one typed).
    pub filter: Option<Filter>,
    /// Keys of the shown rows, sorted and filtered.
    pub order: Vec<PodKey>,
    /// How much work building `order` took, so tests can count it instead of timing it.
    pub order_stats: OrderStats,
    /// Index of the selected row in `order` (0 when empty).
    pub selected: usize,
    /// Key of the selected row, so the selection follows the pod while rows come and go.
    pub selected_key: Option<PodKey>,
    /// Index of the first visible row.
    pub offset: usize,
    /// The detail pane, when open.
    pub pane: Option<DetailPane>,
    /// Set when the store, sort or focus changed while another screen covered this one.
    pub stale: bool,
    /// Rows marked with space (deleted together); they stay marked while filtered out.
    pub marked: std::collections::BTreeSet<PodKey>,
    /// Pods that need a look first (the overview's drill-down), then the usual order.
    pub problems_first: bool,
    /// The store journal `order` is up to date with (see `PodStore::journal`).
    pub journal_id: Option<u64>,
    /// `Some(focus)` when `order` was last built plain (every pod, or the focused tenant's,
    /// in key order), which is what a journal can be replayed onto.
    pub plain_focus: Option<Option<String>>,
    /// Whether the filter line is open on this table: its search text is kept meanwhile.
    pub searching: bool,
    /// While searching, the shown rows' filter cells in `order`'s order (see `app::haystack`),
    /// or `None` until a rebuild reads the rows again.
    pub search: Option<Haystack>,
    /// Keys the search text filtered out while searching, dropped when the line closes:
    /// dropping them at once released 90,000 names (a cache miss each) in the first keystroke.
    pub hidden: Vec<PodKey>,
}

impl PodTable {
    /// A fresh table of the pods in `scope`.
    pub fn scoped(scope: PodScope) -> PodTable {
        PodTable {
            scope: Some(scope),
            ..PodTable::default()
        }
    }

    /// The selected row, if any.
    pub fn selected_row<'s>(&self, store: &'s PodStore) -> Option<&'s PodRow> {
        self.selected_key.as_ref().and_then(|k| store.get(k))
    }

    /// Rows from `offset`, at most `height` of them: only the visible window is ever walked.
    pub fn visible_rows<'s>(
        &'s self,
        store: &'s PodStore,
        height: usize,
    ) -> impl Iterator<Item = &'s PodRow> {
        self.order
            .iter()
            .skip(self.offset)
            .take(height)
            .filter_map(|k| store.get(k))
    }

    /// Rebuilds `order` from every row in scope, keeping the selection on the same pod, or on
    /// the row that took its place when the pod is gone or filtered out.
    pub fn reorder(&mut self, input: OrderInput) {
        self.rebuild(input, false);
    }

    /// Like `reorder`, but tests only the rows shown now: the new filter narrows the old one.
    pub fn reorder_narrowing(&mut self, input: OrderInput) {
        self.rebuild(input, true);
    }

    /// The filter line opened: keeps the shown rows' filter text for the keystrokes to come,
    /// when the order is in step with the store (otherwise the first keystroke reads the rows).
    pub fn open_search(&mut self, store: &PodStore, sorted: bool) {
        self.searching = true;
        self.search = None;
        if !self.in_step(store) {
            return;
        }
        let rows = if !sorted && !self.problems_first {
            rows_in_key_order(store, &self.order)
        } else {
            self.order.iter().filter_map(|k| store.get(k)).collect()
        };
        if rows.len() == self.order.len() {
            self.search = Haystack::build(rows.into_iter());
        }
    }

    /// The filter line closed: its search text goes.
    pub fn close_search(&mut self) {
        self.searching = false;
        self.search = None;
        self.hidden = Vec::new();
    }

    /// Whether the search text can answer a filter keystroke: it is parallel to the order and
    /// the order is in step with the store.
    pub fn search_ready(&self, store: &PodStore) -> bool {
        self.search
            .as_ref()
            .is_some_and(|s| s.len() == self.order.len())
            && self.in_step(store)
    }

    /// Whether `order` reflects every change of the store: it was built since the journal
    /// restarted and nothing changed since.
    fn in_step(&self, store: &PodStore) -> bool {
        !self.stale
            && self.journal_id == Some(store.journal_id())
            && store.journal().is_some_and(<[PodKey]>::is_empty)
    }

    /// Narrows `order` by the new filter from the search text alone, without reading a row;
    /// `false` when the text cannot answer it (a regex, a `node:` term, out of step).
    fn narrow_by_search(&mut self, store: &PodStore) -> bool {
        if !self.search_ready(store) {
            return false;
        }
        let (Some(search), Some(filter)) = (self.search.as_mut(), self.filter.as_ref()) else {
            return false;
        };
        let Some(keep) = filter.cell_query().and_then(|q| search.keeps(&q)) else {
            return false;
        };
        search.retain(&keep);
        let mut flags = keep.iter();
        let gone = self
            .order
            .extract_if(.., |_| !flags.next().copied().unwrap_or(false));
        self.hidden.extend(gone);
        self.order_stats.rebuilds += 1;
        self.order_stats.examined = keep.len();
        self.order_stats.rows_read = 0;
        self.order_stats.unhealthy = search.unhealthy();
        self.plain_focus = None;
        self.cursor().follow();
        true
    }

    fn rebuild(&mut self, input: OrderInput, narrowing: bool) {
        let store = input.store;
        if self.stale {
            // Covered by another screen: its filter line was closed.
            self.close_search();
        }
        if narrowing && self.narrow_by_search(store) {
            return;
        }
        // The order changes below: the text is built again from the rows read, if searching.
        self.search = None;
        if !narrowing && self.replay(input) {
            return;
        }
        let candidates: Vec<&PodRow> = if narrowing {
            let key_ordered = input.sort.is_none() && !self.problems_first;
            if key_ordered && self.order.len() >= WALK_FROM {
                rows_in_key_order(store, &self.order)
            } else {
                self.order.iter().filter_map(|k| store.get(k)).collect()
            }
        } else {
            // A drill-down's scope is narrower than the tenant focus; either is a range of the
            // map, so a focused view never walks the other tenants' pods.
            let focus = input.focus.map(PodScope::namespace);
            match self.scope.as_ref().or(focus.as_ref()) {
                Some(scope) => scope.rows(store.rows()).collect(),
                None => store.rows().values().map(|row| &**row).collect(),
            }
        };
        self.order_stats.rebuilds += 1;
        self.order_stats.examined = candidates.len();
        self.order_stats.rows_read = candidates.len();
        if !narrowing {
            self.order_stats.base = candidates.len();
        }
        let mut rows: Vec<&PodRow> = match &self.filter {
            Some(f) => candidates.into_iter().filter(|r| f.matches(r)).collect(),
            None => candidates,
        };
        // Narrowing keeps the existing order, and the BTreeMap already yields key order.
        if let (Some(sort), false) = (input.sort, narrowing) {
            rows.sort_by(|a, b| sort.compare(a, b));
        }
        if self.problems_first && !narrowing {
            // Not ready first, then restarted (an OOM-killed replica is Ready between kills);
            // a stable sort keeps the user's order within each group.
            rows.sort_by_key(|r| (!r.is_unhealthy(), r.restarts == 0));
        }
        self.order_stats.unhealthy = rows.iter().filter(|r| r.is_unhealthy()).count();
        self.plain_focus =
            (!narrowing && self.is_plain(input)).then(|| input.focus.map(str::to_string));
        if self.searching {
            self.search = Haystack::build(rows.iter().copied());
        }
        self.order = rows.into_iter().map(PodRow::key).collect();
        self.stale = false;
        self.cursor().follow();
    }

    fn is_plain(&self, input: OrderInput) -> bool {
        self.filter.is_none()
            && input.sort.is_none()
            && !self.problems_first
            && self.scope.is_none()
    }

    /// Brings a plain order (every pod or one tenant's, in key order: no filter, sort or
    /// scope) up to date from the store's journal instead of walking every row: a 150,000-pod
    /// list arrives as 300 pages, and a rebuild per page walked the whole store each time.
    /// `false` when the order is not plain or not in step with the journal.
    fn replay(&mut self, input: OrderInput) -> bool {
        let store = input.store;
        let plain = self.is_plain(input)
            && !self.stale
            && self.plain_focus.as_ref().map(Option::as_deref) == Some(input.focus);
        let Some(journal) = store.journal().filter(|_| plain) else {
            return false;
        };
        if self.journal_id != Some(store.journal_id()) {
            return false;
        }
        let shown =
            |k: &PodKey| input.focus.is_none_or(|ns| *k.namespace == *ns) && store.get(k).is_some();
        let mut keys: Vec<&PodKey> = journal.iter().collect();
        keys.sort_unstable();
        keys.dedup();
        let old = std::mem::take(&mut self.order);
        let mut order = Vec::with_capacity(old.len() + keys.len());
        let mut news = keys.into_iter().peekable();
        for key in old {
            while let Some(new) = news.next_if(|n| **n < key) {
                if shown(new) {
                    order.push(new.clone());
                }
            }
            if news.next_if(|n| **n == key).is_some() && !shown(&key) {
                continue;
            }
            order.push(key);
        }
        order.extend(news.filter(|n| shown(n)).cloned());
        self.order = order;
        let counts = match input.focus {
            Some(ns) => store.counts().get(ns).copied().unwrap_or_default(),
            None => store.totals(),
        };
        self.order_stats.rebuilds += 1;
        self.order_stats.examined = journal.len();
        self.order_stats.rows_read = journal.len();
        self.order_stats.base = self.order.len();
        self.order_stats.unhealthy = counts.unhealthy;
        self.cursor().follow();
        true
    }

    /// The cursor over the shown order.
    fn cursor(&mut self) -> Cursor<'_, PodKey> {
        Cursor {
            order: &self.order,
            selected: &mut self.selected,
            selected_key: &mut self.selected_key,
            offset: &mut self.offset,
        }
    }

    /// Selects the row at `index` (clamped).
    pub fn select_index(&mut self, index: usize) {
        self.cursor().select_index(index);
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub fn move_selection(&mut self, delta: isize) {
        self.cursor().move_by(delta);
    }

    /// Scrolls so the selected row is inside a body of `height` rows.
    pub fn keep_selection_visible(&mut self, height: usize) {
        self.cursor().keep_visible(height);
    }

    /// Forgets the selection and scroll (a new tenant focus).
    pub fn reset_cursor(&mut self) {
        self.selected = 0;
        self.selected_key = None;
        self.offset = 0;
    }
}
