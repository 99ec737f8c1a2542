//! The control plane's loops: scheduler + kubelet, workload controllers, jobs and cronjobs,
//! endpoints, disruption budgets, garbage collection, events; all driven by the store's events and a 200 ms tick.

pub mod behavior;
mod churn;
pub mod disruption;
mod endpoints;
pub mod events;
mod gc;
mod history;
mod jobs;
pub mod kubelet;
pub mod metrics;
mod schedule;
pub mod status;
mod workloads;

pub use churn::churn;
pub use schedule::Schedule;

use crate::cluster::Cluster;
use crate::store::{EventType, Subscription};
use events::Recorder;
use kubelet::Kubelet;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::time::Instant;

/// What every controller works with.
pub struct Ctx {
    pub cluster: Cluster,
    pub rec: Recorder,
    /// Scenario load: everything happens at once, with back-dated times.
    pub fast: bool,
}

pub struct Controllers {
    ctx: Ctx,
    kubelet: Kubelet,
    sub: Subscription,
    dirty: BTreeSet<String>,
    gc_due: bool,
}

const WATCHED: &[&str] = &[
    "pods",
    "replicasets",
    "deployments",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "services",
    "nodes",
    "poddisruptionbudgets",
];

impl Controllers {
    /// Controllers that see every store event from now on.
    pub fn new(cluster: Cluster) -> Controllers {
        let (_, _, sub) = cluster.store.snapshot_and_subscribe("", None);
        Controllers {
            ctx: Ctx {
                cluster,
                rec: Recorder::default(),
                fast: false,
            },
            kubelet: Kubelet::default(),
            sub,
            dirty: BTreeSet::new(),
            gc_due: false,
        }
    }

    /// Mark every namespace to be looked at (start-up, or events were lost).
    fn all_dirty(&mut self) {
        for (_, name, _) in self
            .ctx
            .cluster
            .store
            .page("namespaces", None, None, None)
            .items
        {
            self.dirty.insert(name);
        }
        self.gc_due = true;
    }

    /// Take in the store's events; returns how many there were.
    fn drain(&mut self) -> usize {
        let mut n = 0;
        loop {
            match self.sub.try_next() {
                Ok(Some(ev)) => {
                    n += 1;
                    self.kubelet.on_event(&ev);
                    if ev.ty == EventType::Deleted
                        || ev.key == "namespaces"
                        || ev.entry.meta.deleting
                    {
                        self.gc_due = true;
                    }
                    if WATCHED.contains(&ev.key) {
                        if ev.key == "nodes" {
                            self.all_dirty();
                        } else {
                            self.dirty.insert(ev.ns.clone());
                        }
                    }
                }
                Ok(None) => return n,
                Err(_lagged) => {
                    // Fell behind: look at everything (the kubelet re-reads pods it tracks).
                    let (_, _, sub) = self.ctx.cluster.store.snapshot_and_subscribe("", None);
                    self.sub = sub;
                    self.all_dirty();
                    return n + 1;
                }
            }
        }
    }

    fn reconcile(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        for ns in &dirty {
            workloads::deployments(&mut self.ctx, ns);
            workloads::replicasets(&mut self.ctx, ns);
            workloads::statefulsets(&mut self.ctx, ns);
            workloads::daemonsets(&mut self.ctx, ns);
            jobs::jobs(&mut self.ctx, ns);
        }
        self.kubelet
            .tick(&self.ctx.cluster, &mut self.ctx.rec, self.ctx.fast);
        for ns in &dirty {
            endpoints::endpoints(&mut self.ctx, ns);
            disruption::budgets(&mut self.ctx, ns);
        }
        if std::mem::take(&mut self.gc_due) {
            gc::collect(&mut self.ctx);
        }
    }

    fn cron(&mut self) {
        let namespaces: BTreeSet<String> = self
            .ctx
            .cluster
            .store
            .list("cronjobs", None)
            .1
            .iter()
            .filter_map(|c| c.obj["metadata"]["namespace"].as_str().map(str::to_string))
            .collect();
        for ns in namespaces {
            jobs::cronjobs(&mut self.ctx, &ns);
        }
    }

    /// Bring a freshly loaded scenario to its steady state at once: pods Running, endpoints filled.
    pub fn settle(&mut self) {
        self.settle_with(true);
    }

    /// Settle a scenario generated at its steady state (the scale scenario: statuses as the
    /// controllers write them, which `scale_loads_at_steady_state` proves): only the history
    /// is seeded, so 150,000 pods are not reconciled once for nothing.
    pub fn settle_steady(&mut self) {
        self.settle_with(false);
    }

    fn settle_with(&mut self, reconcile: bool) {
        self.ctx.fast = true;
        self.ctx.rec.muted = true;
        if !reconcile {
            // Nothing to look at: skip the load's own events (the kubelet need not track pods
            // that are already running).
            let (_, _, sub) = self.ctx.cluster.store.snapshot_and_subscribe("", None);
            self.sub = sub;
        } else {
            self.all_dirty();
            self.cron();
            for _ in 0..12 {
                self.reconcile();
                if self.drain() == 0 && self.dirty.is_empty() {
                    break;
                }
            }
        }
        history::seed(&mut self.ctx);
        self.ctx.fast = false;
        self.ctx.rec.muted = false;
    }

    /// Run until the task is aborted.
    pub async fn run(mut self) {
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_cron = Instant::now();
        let mut last_prune = Instant::now();
        loop {
            tick.tick().await;
            self.drain();
            self.reconcile();
            if last_cron.elapsed() >= Duration::from_secs(1) {
                last_cron = Instant::now();
                self.cron();
            }
            if last_prune.elapsed() >= Duration::from_secs(60) {
                last_prune = Instant::now();
                self.ctx.rec.prune(&self.ctx.cluster);
            }
        }
    }
}
