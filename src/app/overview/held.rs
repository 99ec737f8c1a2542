//! The Services, Jobs and warning Events the overview reads, kept from their slim watches
//! (started with the pod watch, over the same namespaces) so the overview never lists again.

use std::collections::{BTreeMap, BTreeSet};

use crate::kube::kinds::ResourceKind;
use crate::kube::resources::{Health, ResourceChange, ResourceEvent, ResourceKey, ResourceRow};

/// The objects the overview needs besides pods, by kind and key.
#[derive(Clone, Debug, Default)]
pub struct HealthObjects {
    /// Services.
    pub services: BTreeMap<ResourceKey, ResourceRow>,
    /// Jobs.
    pub jobs: BTreeMap<ResourceKey, ResourceRow>,
    /// Warning Events only: the others are dropped on arrival.
    pub events: BTreeMap<ResourceKey, ResourceRow>,
    /// Namespaces whose objects changed since `take_changed`: what the overview recomputes.
    changed: BTreeSet<String>,
}

impl HealthObjects {
    /// Applies one watch event; `true` when something held changed.
    pub fn apply(&mut self, event: ResourceEvent) -> bool {
        let changed = &mut self.changed;
        let map = match event.kind {
            ResourceKind::Service => &mut self.services,
            ResourceKind::Job => &mut self.jobs,
            ResourceKind::Event => &mut self.events,
            _ => return false,
        };
        let mut touched = |ns: &str| {
            if !changed.contains(ns) {
                changed.insert(ns.to_string());
            }
        };
        match event.change {
            ResourceChange::Applied(rows) => {
                let mut changed = false;
                for row in rows {
                    let key = row.key();
                    if event.kind == ResourceKind::Event && row.health != Health::Warning {
                        if map.remove(&key).is_some() {
                            touched(&key.namespace);
                            changed = true;
                        }
                        continue;
                    }
                    touched(&key.namespace);
                    map.insert(key, row);
                    changed = true;
                }
                changed
            }
            ResourceChange::Deleted(key) => {
                touched(&key.namespace);
                map.remove(&key).is_some()
            }
            ResourceChange::Relisted(keys) => {
                let listed: std::collections::HashSet<&ResourceKey> = keys.iter().collect();
                let before = map.len();
                map.retain(|k, _| {
                    let keep = !event.scope.contains(&k.namespace) || listed.contains(k);
                    if !keep {
                        touched(&k.namespace);
                    }
                    keep
                });
                before != map.len()
            }
            ResourceChange::Failed(_) => false,
        }
    }

    /// The namespaces whose objects changed since the last call.
    pub(crate) fn take_changed(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.changed)
    }

    /// The rows of one kind as references, for `overview::Inputs`.
    pub fn rows(map: &BTreeMap<ResourceKey, ResourceRow>) -> Vec<&ResourceRow> {
        map.values().collect()
    }
}
