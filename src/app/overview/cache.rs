//! The overview's rows kept per namespace, so a change recomputes only the namespaces it
//! touched: at 150,000 pods a full pass takes hundreds of milliseconds, and the initial list
//! alone delivers 300 pages (PERFORMANCE.md P11). The clock moves the rows too (restarts in
//! the last hour, OOM kills in the last day, "pending for 6m"): every namespace is recomputed
//! once per `CLOCK_ROUND`, a slice of them per tick, never all at once.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::{rules, Inputs, TenantRow};

/// How long the clock-dependent parts of a row may lag behind the clock.
pub const CLOCK_ROUND: TimeDelta = TimeDelta::seconds(60);

/// The rows of every namespace as last computed, and what must be computed again.
#[derive(Clone, Debug)]
pub struct OverviewCache {
    /// Rows by namespace (a namespace has one per environment).
    by_ns: BTreeMap<String, Vec<TenantRow>>,
    /// Namespaces whose pods or objects changed since.
    dirty: BTreeSet<String>,
    /// Everything must be computed again (first use, another set of namespaces).
    all: bool,
    /// The namespaces named to the computation when it last ran (empty: those with pods).
    scope: Vec<String>,
    /// Where the clock's sweep stopped, and when.
    sweep: Option<String>,
    swept_at: Option<DateTime<Utc>>,
    /// Bumped whenever the rows change, so a screen knows whether its copy is current.
    revision: u64,
    /// Namespaces computed so far (a count for tests and measurements, not a timing).
    pub computed: u64,
}

impl Default for OverviewCache {
    fn default() -> Self {
        OverviewCache {
            by_ns: BTreeMap::new(),
            dirty: BTreeSet::new(),
            all: true,
            scope: Vec::new(),
            sweep: None,
            swept_at: None,
            revision: 0,
            computed: 0,
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

    /// Marks the namespaces the clock reached since the last call: in `CLOCK_ROUND` every
    /// namespace comes round once, a share proportional to the time that passed.
    pub fn clock(&mut self, now: DateTime<Utc>) {
        let Some(at) = self.swept_at else {
            self.swept_at = Some(now);
            return;
        };
        let elapsed = (now - at).num_milliseconds().max(0) as u128;
        let round = CLOCK_ROUND.num_milliseconds().max(1) as u128;
        let total = self.by_ns.len() as u128;
        let due = (total * elapsed / round).min(total) as usize;
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

    /// Computes what is marked; `true` when the rows changed.
    pub fn refresh(&mut self, inputs: &Inputs<'_>, now: DateTime<Utc>) -> bool {
        if self.scope != inputs.namespaces {
            self.scope = inputs.namespaces.to_vec();
            self.all = true;
        }
        let mut work = rules::Work::default();
        if self.all {
            self.all = false;
            self.dirty.clear();
            self.by_ns.clear();
            for row in rules::compute(inputs, now, &mut work) {
                self.computed += 1;
                self.by_ns
                    .entry(row.namespace.clone())
                    .or_default()
                    .push(row);
            }
        } else if self.dirty.is_empty() {
            return false;
        } else {
            let dirty = std::mem::take(&mut self.dirty);
            let mut fresh: BTreeMap<String, Vec<TenantRow>> = BTreeMap::new();
            for row in rules::compute_only(inputs, Some(&dirty), now, &mut work) {
                self.computed += 1;
                fresh.entry(row.namespace.clone()).or_default().push(row);
            }
            // The clock's sweep mostly finds nothing new: the screen keeps its copy then.
            let mut changed = false;
            for ns in dirty {
                let old = match fresh.remove(&ns) {
                    Some(rows) => self.by_ns.insert(ns.clone(), rows),
                    None => self.by_ns.remove(&ns),
                };
                changed |= old.as_ref() != self.by_ns.get(&ns);
            }
            if !changed {
                return false;
            }
        }
        self.revision = self.revision.wrapping_add(1);
        true
    }

    /// Which computation the rows come from.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Every row, worst first, then by namespace and environment.
    pub fn rows(&self) -> Vec<TenantRow> {
        let mut rows: Vec<TenantRow> = self.by_ns.values().flatten().cloned().collect();
        rows.sort_by(|a, b| (a.state, &a.namespace, &a.env).cmp(&(b.state, &b.namespace, &b.env)));
        rows
    }

    /// Every row whose state is DOWN.
    pub fn down(&self) -> impl Iterator<Item = &TenantRow> {
        self.by_ns
            .values()
            .flatten()
            .filter(|r| r.state == super::TenantState::Down)
    }
}
