//! The overview's rows kept per namespace, so a change recomputes only the namespaces it
//! touched: at 150,000 pods a full pass takes hundreds of milliseconds, and the initial list
//! alone delivers 300 pages (PERFORMANCE.md P11). The clock moves the rows too (restarts in
//! the last hour, OOM kills in the last day, "pending for 6m"): a namespace is recomputed for
//! the clock once the first instant its rows may change has passed (within `CLOCK_ROUND`), and
//! a slow sweep comes round every namespace once per `SAFETY_ROUND`; never all at once.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::{rules, Inputs, TenantRow};

/// How long the clock-dependent parts of a row may lag behind the clock.
pub const CLOCK_ROUND: TimeDelta = TimeDelta::seconds(60);

/// How long the safety sweep takes to come round every namespace.
pub const SAFETY_ROUND: TimeDelta = TimeDelta::seconds(300);

/// A row in the overview's order: worst first, then by namespace and environment (a namespace
/// has one row per environment, so no two rows tie).
#[derive(Clone, Debug)]
struct Ordered(Arc<TenantRow>);

impl Ordered {
    fn key(&self) -> (super::TenantState, &str, Option<&str>) {
        (self.0.state, &self.0.namespace, self.0.env.as_deref())
    }
}

impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Ordered {}

/// One namespace's rows as last computed.
#[derive(Clone, Debug)]
struct Held {
    rows: Vec<Arc<TenantRow>>,
    /// When the clock alone may next change them (`None`: never).
    next_change: Option<DateTime<Utc>>,
    /// When they were computed.
    computed_at: DateTime<Utc>,
}

impl Held {
    /// Whether the clock's changes are due: a text that steps every second ("3m12s ago") is
    /// computed again once a `CLOCK_ROUND`, as the rows may lag that much.
    fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_change
            .is_some_and(|at| at.max(self.computed_at + CLOCK_ROUND) <= now)
    }
}

/// The rows of every namespace as last computed, kept in the screen's order, and what must be
/// computed again. A change moves only its namespace's rows in the order: at 7,500 namespaces
/// cloning and sorting every row on each change cost more than the change itself.
#[derive(Clone, Debug)]
pub struct OverviewCache {
    /// Rows by namespace (a namespace has one per environment).
    by_ns: BTreeMap<String, Held>,
    /// Every row, in the screen's order.
    order: BTreeSet<Ordered>,
    /// Namespaces whose pods or objects changed since.
    dirty: BTreeSet<String>,
    /// Everything must be computed again (first use, another set of namespaces).
    all: bool,
    /// The namespaces named to the computation when it last ran (empty: those with pods).
    scope: Vec<String>,
    /// Where the clock's sweep stopped, and when.
    sweep: Option<String>,
    swept_at: Option<DateTime<Utc>>,
    /// When the clock last looked for namespaces it changed.
    clocked_at: Option<DateTime<Utc>>,
    /// Bumped whenever the rows change, so a screen knows whether its copy is current.
    revision: u64,
    /// Namespaces computed so far (a count for tests and measurements, not a timing).
    pub computed: u64,
    /// Rows put into the order so far (a count for tests: a change moves only its rows).
    pub ordered: u64,
}

impl Default for OverviewCache {
    fn default() -> Self {
        OverviewCache {
            by_ns: BTreeMap::new(),
            order: BTreeSet::new(),
            dirty: BTreeSet::new(),
            all: true,
            scope: Vec::new(),
            sweep: None,
            swept_at: None,
            clocked_at: None,
            revision: 0,
            computed: 0,
            ordered: 0,
        }
    }
}

impl OverviewCache {
    /// Marks namespaces whose pods or objects changed.
    pub fn mark<S: AsRef<str>>(&mut self, namespaces: impl IntoIterator<Item = S>) {
        if self.all {
            return;
        }
        for ns in namespaces {
            if !self.dirty.contains(ns.as_ref()) {
                self.dirty.insert(ns.as_ref().to_string());
            }
        }
    }

    /// Marks the namespaces the clock changed since the last call (their `next_change` has
    /// passed), at most a `CLOCK_ROUND`'s share per second so a minute's worth never lands in
    /// one tick; and a slow sweep's share, every namespace once per `SAFETY_ROUND`, for what
    /// those instants could miss. Recomputing every namespace once a minute instead cost
    /// 125 namespaces a tick at 7,500, most of them unchanged.
    pub fn clock(&mut self, now: DateTime<Utc>) {
        let Some(at) = self.swept_at else {
            self.swept_at = Some(now);
            self.clocked_at = Some(now);
            return;
        };
        let total = self.by_ns.len() as u128;
        let share = |since: DateTime<Utc>, round: TimeDelta| {
            let elapsed = (now - since).num_milliseconds().max(0) as u128;
            let round = round.num_milliseconds().max(1) as u128;
            (total * elapsed / round).min(total) as usize
        };
        let last = self.clocked_at.unwrap_or(at);
        if now > last {
            self.clocked_at = Some(now);
            let budget = share(last, CLOCK_ROUND).max(1);
            let changed: Vec<String> = self
                .by_ns
                .iter()
                .filter(|(ns, held)| held.due(now) && !self.dirty.contains(*ns))
                .map(|(ns, _)| ns.clone())
                .take(budget)
                .collect();
            self.dirty.extend(changed);
        }
        let due = share(at, SAFETY_ROUND);
        if due == 0 {
            return;
        }
        self.swept_at = Some(now);
        let start = self.sweep.clone().unwrap_or_default();
        let after = self
            .by_ns
            .range::<String, _>((std::ops::Bound::Excluded(start), std::ops::Bound::Unbounded))
            .map(|(k, _)| k);
        let names: Vec<String> = after.chain(self.by_ns.keys()).take(due).cloned().collect();
        self.sweep = names.last().cloned();
        self.dirty.extend(names);
    }

    /// For rows about to be shown after the sweep stood still (the overview opened, or
    /// uncovered, or read for alerts while hidden): marks only the namespaces whose rows the
    /// clock may have changed since they were computed, so they read as a full computation
    /// would, and the sweep goes on from now. Catching the sweep up instead would compute
    /// every namespace after a minute away (150 ms at 150,000 pods).
    pub fn catch_up(&mut self, now: DateTime<Utc>) {
        let due = self
            .by_ns
            .iter()
            .filter(|(_, held)| held.next_change.is_some_and(|at| at <= now))
            .map(|(ns, _)| ns);
        for ns in due {
            if !self.dirty.contains(ns) {
                self.dirty.insert(ns.clone());
            }
        }
        self.swept_at = Some(now);
        self.clocked_at = Some(now);
    }

    /// Computes what is marked; `true` when the rows changed.
    pub fn refresh(&mut self, inputs: &Inputs<'_>, now: DateTime<Utc>) -> bool {
        if self.scope != inputs.namespaces {
            self.scope = inputs.namespaces.to_vec();
            self.all = true;
        }
        let mut work = rules::Work::default();
        let rows = if self.all {
            self.all = false;
            self.dirty.clear();
            self.by_ns.clear();
            self.order.clear();
            rules::compute(inputs, now, &mut work)
        } else if self.dirty.is_empty() {
            return false;
        } else {
            rules::compute_only(inputs, Some(&self.dirty), now, &mut work)
        };
        // A namespace's rows come together.
        let mut fresh: Vec<(String, Vec<TenantRow>)> = Vec::new();
        for row in rows {
            self.computed += 1;
            match fresh.last_mut() {
                Some((ns, rows)) if *ns == row.namespace => rows.push(row),
                _ => fresh.push((row.namespace.clone(), vec![row])),
            }
        }
        for (ns, _) in &fresh {
            self.dirty.remove(ns);
        }
        // Namespaces marked but not computed (no pods any more) lose their rows.
        let gone = std::mem::take(&mut self.dirty);
        // The clock's sweep mostly finds nothing new: the screen keeps its copy then.
        let mut changed = false;
        for ns in gone {
            changed |= self.remove(&ns);
        }
        for (ns, rows) in fresh {
            let next = work.next_change.remove(&ns);
            changed |= self.put(ns, rows, next, now);
        }
        if !changed {
            return false;
        }
        self.revision = self.revision.wrapping_add(1);
        true
    }

    /// Replaces a namespace's rows; `true` when they differ from those held.
    fn put(
        &mut self,
        ns: String,
        rows: Vec<TenantRow>,
        next_change: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> bool {
        if let Some(held) = self.by_ns.get_mut(&ns) {
            held.next_change = next_change;
            held.computed_at = now;
            let same = held.rows.len() == rows.len()
                && held.rows.iter().zip(&rows).all(|(old, new)| **old == *new);
            if same {
                return false;
            }
            for old in held.rows.drain(..) {
                self.order.remove(&Ordered(old));
            }
        }
        let rows: Vec<Arc<TenantRow>> = rows.into_iter().map(Arc::new).collect();
        for row in &rows {
            self.order.insert(Ordered(Arc::clone(row)));
            self.ordered += 1;
        }
        self.by_ns.insert(
            ns,
            Held {
                rows,
                next_change,
                computed_at: now,
            },
        );
        true
    }

    /// Forgets a namespace's rows; `true` when it had some.
    fn remove(&mut self, ns: &str) -> bool {
        let Some(held) = self.by_ns.remove(ns) else {
            return false;
        };
        for old in held.rows {
            self.order.remove(&Ordered(old));
        }
        true
    }

    /// Which computation the rows come from.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Every row, worst first, then by namespace and environment: shared with the cache, so a
    /// copy costs a pointer a row, not the rows.
    pub fn rows(&self) -> Vec<Arc<TenantRow>> {
        self.order.iter().map(|o| Arc::clone(&o.0)).collect()
    }

    /// Every row whose state is DOWN (they come first).
    pub fn down(&self) -> impl Iterator<Item = &TenantRow> {
        self.order
            .iter()
            .map(|o| &*o.0)
            .take_while(|r| r.state == super::TenantState::Down)
    }
}
