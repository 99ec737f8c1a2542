//! The garbage collector: dependents whose owners are gone, foreground deletion, objects whose
//! finalizers are done, and namespaces that terminate.

use super::Ctx;
use crate::cluster::DEPENDENT_KINDS;
use crate::resources::{self, RESOURCES};
use serde_json::{json, Value};

fn name_ns(v: &Value) -> (String, String) {
    let m = &v["metadata"];
    (
        m["namespace"].as_str().unwrap_or_default().to_string(),
        m["name"].as_str().unwrap_or_default().to_string(),
    )
}

pub fn collect(ctx: &mut Ctx) {
    let store = ctx.cluster.store.clone();
    // Orphans: every owner gone → delete (background), like the real collector.
    for key in DEPENDENT_KINDS {
        let Some(def) = resources::by_storage(key) else {
            continue;
        };
        for e in store.list(key, None).1 {
            let Some(refs) = e.obj["metadata"]["ownerReferences"]
                .as_array()
                .filter(|r| !r.is_empty())
            else {
                continue;
            };
            if refs
                .iter()
                .all(|r| !r["uid"].as_str().is_some_and(|u| store.uid_exists(u)))
                && e.obj["metadata"]["deletionTimestamp"].is_null()
            {
                let (ns, name) = name_ns(&e.obj);
                let _ = ctx.cluster.delete(def, &ns, &name, &Default::default());
            }
        }
    }
    // Foreground deletion: remove dependents first, then the owner.
    for def in RESOURCES
        .iter()
        .filter(|d| d.key().is_some() && d.group != "events.k8s.io")
    {
        let Some(key) = def.key() else { continue };
        for e in store.list(key, None).1 {
            let m = &e.obj["metadata"];
            if m["deletionTimestamp"].is_null() || def.kind == "Pod" || def.kind == "Namespace" {
                continue;
            }
            let (ns, name) = name_ns(&e.obj);
            let uid = m["uid"].as_str().unwrap_or_default();
            let fin: Vec<String> = m["finalizers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect();
            if fin.iter().any(|f| f == "foregroundDeletion") {
                let mut left = 0;
                for dk in DEPENDENT_KINDS {
                    let Some(ddef) = resources::by_storage(dk) else {
                        continue;
                    };
                    for d in store.list(dk, Some(&ns)).1 {
                        if crate::cluster::owned_by_uid(&d.obj, uid) {
                            left += 1;
                            if d.obj["metadata"]["deletionTimestamp"].is_null() {
                                let (dns, dn) = name_ns(&d.obj);
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
            } else if fin.is_empty() {
                store.remove(key, &ns, &name);
            }
        }
    }
    namespaces(ctx);
}

fn namespaces(ctx: &mut Ctx) {
    let store = ctx.cluster.store.clone();
    for n in store.list("namespaces", None).1 {
        if n.obj["status"]["phase"] != "Terminating" {
            continue;
        }
        let ns = n.obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut left = 0;
        for def in RESOURCES
            .iter()
            .filter(|d| d.namespaced && d.group != "events.k8s.io")
        {
            let Some(key) = def.key() else { continue };
            for e in store.list(key, Some(&ns)).1 {
                left += 1;
                if e.obj["metadata"]["deletionTimestamp"].is_null() {
                    let (_, name) = name_ns(&e.obj);
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
