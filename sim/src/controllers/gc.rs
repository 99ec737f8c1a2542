//! The garbage collector: dependents whose owners are gone, foreground deletion, objects whose
//! finalizers are done, and namespaces that terminate.

use super::Ctx;
use crate::cluster::DEPENDENT_KINDS;
use crate::resources::{self, RESOURCES};
use serde_json::json;

pub fn collect(ctx: &mut Ctx) {
    let store = ctx.cluster.store.clone();
    // Every object is looked at through its stored routing fields; only the few that act are
    // parsed (150,000 pods are scanned on every deletion).
    // Orphans: every owner gone → delete (background), like the real collector.
    for key in DEPENDENT_KINDS {
        let Some(def) = resources::by_storage(key) else {
            continue;
        };
        let orphans = store.select(key, |m, exists| {
            !m.owners.is_empty() && !m.deleting && m.owners.iter().all(|u| !exists(u))
        });
        for (ns, name) in orphans {
            let _ = ctx.cluster.delete(def, &ns, &name, &Default::default());
        }
    }
    // Foreground deletion: remove dependents first, then the owner.
    for def in RESOURCES
        .iter()
        .filter(|d| d.key().is_some() && d.group != "events.k8s.io")
    {
        let Some(key) = def.key() else { continue };
        if def.kind == "Pod" || def.kind == "Namespace" {
            continue;
        }
        for (ns, name) in store.select(key, |m, _| m.deleting) {
            let Some(e) = store.entry(key, &ns, &name) else {
                continue;
            };
            let uid = &*e.meta.uid;
            if e.meta
                .finalizers
                .iter()
                .any(|f| &**f == "foregroundDeletion")
            {
                let mut left = 0;
                for dk in DEPENDENT_KINDS {
                    let Some(ddef) = resources::by_storage(dk) else {
                        continue;
                    };
                    for (dns, dn, d) in store.page(dk, Some(&ns), None, None).items {
                        if d.meta.owners.iter().any(|o| &**o == uid) {
                            left += 1;
                            if !d.meta.deleting {
                                let opts = crate::cluster::DeleteOpts {
                                    propagation: Some(crate::cluster::Propagation::Foreground),
                                    ..Default::default()
                                };
                                let _ = ctx.cluster.delete(ddef, &dns, &dn, &opts);
                            }
                        }
                    }
                }
                if left == 0 {
                    ctx.cluster.mutate(key, &ns, &name, |o| {
                        if let Some(f) = o["metadata"]["finalizers"].as_array_mut() {
                            f.retain(|x| x != "foregroundDeletion");
                        }
                    });
                }
            } else if e.meta.finalizers.is_empty() {
                store.remove(key, &ns, &name);
            }
        }
    }
    namespaces(ctx);
}

fn namespaces(ctx: &mut Ctx) {
    let store = ctx.cluster.store.clone();
    // A terminating namespace has its deletionTimestamp set: only those are parsed.
    for (_, ns) in store.select("namespaces", |m, _| m.deleting) {
        let phase = store
            .entry("namespaces", "", &ns)
            .map(|n| n.value()["status"]["phase"].clone());
        if phase.is_none_or(|p| p != "Terminating") {
            continue;
        }
        let mut left = 0;
        for def in RESOURCES
            .iter()
            .filter(|d| d.namespaced && d.group != "events.k8s.io")
        {
            let Some(key) = def.key() else { continue };
            for (_, name, e) in store.page(key, Some(&ns), None, None).items {
                left += 1;
                if !e.meta.deleting {
                    let _ = ctx.cluster.delete(def, &ns, &name, &Default::default());
                }
            }
        }
        if left == 0 {
            store.remove("namespaces", "", &ns);
        } else {
            ctx.cluster.mutate("namespaces", "", &ns, |o| {
                o["status"]["conditions"] = json!([{"type": "NamespaceContentRemaining", "status": "True", "reason": "SomeResourcesRemain", "message": format!("Some resources are remaining: {left} objects"), "lastTransitionTime": super::status::ts(chrono::Utc::now())}]);
            });
        }
    }
}
