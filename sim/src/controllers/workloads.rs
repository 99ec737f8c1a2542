//! Deployment → ReplicaSet → Pods, StatefulSet and DaemonSet controllers.

use super::events::Source;
use super::status::hex;
use super::Ctx;
use crate::resources;
use crate::selector::LabelSelector;
use crate::store::Doc;
use serde_json::{json, Value};

/// An owner reference to `owner` as a controller sets it.
pub fn owner_ref(owner: &Value) -> Value {
    json!({
        "apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true
    })
}

/// Objects of `key` in `ns` controlled by `owner` (and not being deleted, unless `all`).
pub fn owned(ctx: &Ctx, key: &str, ns: &str, owner: &Value, all: bool) -> Vec<Doc> {
    let uid = &owner["metadata"]["uid"];
    let id = uid.as_str().unwrap_or_default();
    // Only the objects that name the owner at all are parsed.
    ctx.cluster
        .store
        .entries(key, Some(ns))
        .1
        .iter()
        .filter(|e| e.meta.owners.iter().any(|o| **o == *id))
        .filter(|e| all || !e.meta.deleting)
        .map(|e| ctx.cluster.store.doc(e))
        .filter(|e| {
            e.obj["metadata"]["ownerReferences"]
                .as_array()
                .is_some_and(|r| {
                    r.iter()
                        .any(|o| o["uid"] == *uid && o["controller"] == true)
                })
        })
        .filter(|e| all || e.obj["metadata"]["deletionTimestamp"].is_null())
        .collect()
}

pub fn is_ready(pod: &Value) -> bool {
    pod["status"]["conditions"].as_array().is_some_and(|c| {
        c.iter()
            .any(|c| c["type"] == "Ready" && c["status"] == "True")
    })
}

fn name_of(v: &Value) -> String {
    v["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Create a pod from `template` owned by `owner`.
pub fn create_pod(
    ctx: &mut Ctx,
    ns: &str,
    owner: &Value,
    template: &Value,
    name: Option<String>,
    extra_labels: &[(&str, String)],
    node: Option<&str>,
) -> Option<Doc> {
    let mut meta = template["metadata"].clone();
    if !meta.is_object() {
        meta = json!({});
    }
    for (k, v) in extra_labels {
        meta["labels"][*k] = json!(v);
    }
    match name {
        Some(n) => meta["name"] = json!(n),
        None => meta["generateName"] = json!(format!("{}-", name_of(owner))),
    }
    meta["namespace"] = json!(ns);
    meta["ownerReferences"] = json!([owner_ref(owner)]);
    if ctx.fast {
        // Scenario load: pods look as old as their owner.
        if let Some(t) = owner["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
        {
            meta["creationTimestamp"] = json!(super::status::ts(t + chrono::Duration::seconds(3)));
        }
        // A pod in the middle of an incident was created when the incident began, so the
        // events of its history fit in the hour a cluster keeps them.
        let behavior = super::behavior::Behavior::of(template);
        if let Some(age) = super::history::incident_age(&behavior) {
            meta["creationTimestamp"] = json!(super::status::ts(chrono::Utc::now() - age));
        }
    }
    let mut spec = template["spec"].clone();
    if let Some(n) = node {
        spec["nodeName"] = json!(n);
    }
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
    let def = resources::by_storage("pods")?;
    let e = ctx.cluster.create(def, ns, pod, ctx.fast).ok()?;
    let what = format!("Created pod: {}", name_of(&e.obj));
    ctx.rec.emit(
        &ctx.cluster,
        owner,
        "Normal",
        "SuccessfulCreate",
        &what,
        Source::Controller(controller_name(owner)),
    );
    Some(e)
}

fn controller_name(owner: &Value) -> &'static str {
    match owner["kind"].as_str() {
        Some("ReplicaSet") => "replicaset-controller",
        Some("StatefulSet") => "statefulset-controller",
        Some("DaemonSet") => "daemonset-controller",
        Some("Job") => "job-controller",
        Some("CronJob") => "cronjob-controller",
        _ => "deployment-controller",
    }
}

pub fn delete_obj(ctx: &mut Ctx, key: &str, obj: &Value, owner: Option<&Value>) {
    let Some(def) = resources::by_storage(key) else {
        return;
    };
    let ns = obj["metadata"]["namespace"].as_str().unwrap_or_default();
    let _ = ctx
        .cluster
        .delete(def, ns, &name_of(obj), &Default::default());
    if let Some(o) = owner {
        let what = format!("Deleted pod: {}", name_of(obj));
        ctx.rec.emit(
            &ctx.cluster,
            o,
            "Normal",
            "SuccessfulDelete",
            &what,
            Source::Controller(controller_name(o)),
        );
    }
}

pub fn deployments(ctx: &mut Ctx, ns: &str) {
    for d in ctx.cluster.store.list("deployments", Some(ns)).1 {
        if d.obj["metadata"]["deletionTimestamp"].is_string() {
            continue;
        }
        deployment(ctx, ns, &d.obj);
    }
}

fn deployment(ctx: &mut Ctx, ns: &str, d: &Value) {
    let name = name_of(d);
    let template = &d["spec"]["template"];
    let hash = hex(&serde_json::to_string(template).unwrap_or_default(), 10)
        .replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let replicas = d["spec"]["replicas"].as_i64().unwrap_or(1);
    let sets = owned(ctx, "replicasets", ns, d, false);
    // Adopt a replica set whose template is the deployment's (but for the hash label), as the
    // real controller does: scenarios and earlier runs name theirs with their own hashes.
    let rs_name = sets
        .iter()
        .find(|r| same_template(&r.obj["spec"]["template"], template))
        .map(|r| name_of(&r.obj))
        .unwrap_or_else(|| format!("{name}-{hash}"));
    let revision = sets
        .iter()
        .filter_map(|r| {
            r.obj["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                .as_str()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    let current = sets
        .iter()
        .find(|r| name_of(&r.obj) == rs_name)
        .map(|r| r.obj.clone());
    let current = match current {
        Some(rs) => {
            if rs["spec"]["replicas"].as_i64() != Some(replicas) {
                ctx.cluster.mutate("replicasets", ns, &rs_name, |r| {
                    r["spec"]["replicas"] = json!(replicas)
                });
            }
            (*rs).clone()
        }
        None => {
            let mut tmpl = template.clone();
            tmpl["metadata"]["labels"]["pod-template-hash"] = json!(hash);
            let mut sel = d["spec"]["selector"].clone();
            sel["matchLabels"]["pod-template-hash"] = json!(hash);
            let mut meta = json!({"name": rs_name, "namespace": ns, "labels": tmpl["metadata"]["labels"],
                "annotations": {"deployment.kubernetes.io/desired-replicas": replicas.to_string(), "deployment.kubernetes.io/max-replicas": (replicas + 1).to_string(), "deployment.kubernetes.io/revision": (revision + 1).to_string()},
                "ownerReferences": [owner_ref(d)]});
            if ctx.fast {
                meta["creationTimestamp"] = d["metadata"]["creationTimestamp"].clone();
            }
            let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta, "spec": {"replicas": replicas, "selector": sel, "template": tmpl}});
            let Some(def) = resources::by_storage("replicasets") else {
                return;
            };
            let Ok(e) = ctx.cluster.create(def, ns, rs, ctx.fast) else {
                return;
            };
            let msg = format!("Scaled up replica set {rs_name} from 0 to {replicas}");
            ctx.rec.emit(
                &ctx.cluster,
                d,
                "Normal",
                "ScalingReplicaSet",
                &msg,
                Source::Controller("deployment-controller"),
            );
            ctx.cluster.mutate("deployments", ns, &name, |o| {
                o["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                    json!((revision + 1).to_string())
            });
            (*e.obj).clone()
        }
    };
    // Old replica sets go to zero once the new one is scaled (a rollout done in one step).
    for old in sets.iter().filter(|r| name_of(&r.obj) != rs_name) {
        if old.obj["spec"]["replicas"].as_i64() != Some(0) {
            let prev = old.obj["spec"]["replicas"].as_i64().unwrap_or(0);
            ctx.cluster
                .mutate("replicasets", ns, &name_of(&old.obj), |r| {
                    r["spec"]["replicas"] = json!(0)
                });
            let msg = format!(
                "Scaled down replica set {} from {prev} to 0",
                name_of(&old.obj)
            );
            ctx.rec.emit(
                &ctx.cluster,
                d,
                "Normal",
                "ScalingReplicaSet",
                &msg,
                Source::Controller("deployment-controller"),
            );
        }
    }
    let pods: Vec<Doc> = sets
        .iter()
        .flat_map(|r| owned(ctx, "pods", ns, &r.obj, false))
        .collect();
    let updated = owned(ctx, "pods", ns, &current, false).len() as i64;
    let ready = pods.iter().filter(|p| is_ready(&p.obj)).count() as i64;
    let total = pods.len() as i64;
    let now = super::status::ts(chrono::Utc::now());
    let gen = d["metadata"]["generation"].clone();
    ctx.cluster.mutate("deployments", ns, &name, |o| {
        let s = &mut o["status"];
        s["observedGeneration"] = gen;
        s["replicas"] = json!(total);
        s["updatedReplicas"] = json!(updated);
        s["readyReplicas"] = json!(ready);
        s["availableReplicas"] = json!(ready);
        if total - ready > 0 {
            s["unavailableReplicas"] = json!(total - ready);
        } else if let Some(m) = s.as_object_mut() {
            m.remove("unavailableReplicas");
        }
        if ready == 0 {
            if let Some(m) = s.as_object_mut() {
                m.remove("readyReplicas");
                m.remove("availableReplicas");
            }
        }
        let avail = ready >= replicas.saturating_sub(replicas / 4).max(if replicas > 0 { 1 } else { 0 }).min(replicas);
        let cond = |ty: &str, ok: bool, reason: &str, msg: String, old: &Value| {
            let same = old["status"] == if ok { "True" } else { "False" };
            let t = if same { old["lastTransitionTime"].as_str().unwrap_or(&now).to_string() } else { now.clone() };
            json!({"type": ty, "status": if ok { "True" } else { "False" }, "reason": reason, "message": msg, "lastUpdateTime": t, "lastTransitionTime": t})
        };
        let old = s["conditions"].clone();
        let find = |ty: &str| old.as_array().and_then(|a| a.iter().find(|c| c["type"] == ty).cloned()).unwrap_or(json!({}));
        let a = cond("Available", avail, if avail { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" }, format!("Deployment {}.", if avail { "has minimum availability" } else { "does not have minimum availability" }), &find("Available"));
        let p = cond("Progressing", true, "NewReplicaSetAvailable", format!("ReplicaSet \"{}\" has successfully progressed.", name_of(&current)), &find("Progressing"));
        s["conditions"] = json!([a, p]);
    });
}

pub fn replicasets(ctx: &mut Ctx, ns: &str) {
    for rs in ctx.cluster.store.list("replicasets", Some(ns)).1 {
        if rs.obj["metadata"]["deletionTimestamp"].is_string() {
            continue;
        }
        let rs = rs.obj;
        let want = rs["spec"]["replicas"].as_i64().unwrap_or(1);
        let mut pods = owned(ctx, "pods", ns, &rs, false);
        let have = pods.len() as i64;
        for _ in have..want {
            create_pod(ctx, ns, &rs, &rs["spec"]["template"], None, &[], None);
        }
        if have > want {
            // Not-ready and newest pods go first, as the real controller prefers.
            pods.sort_by_key(|p| {
                (
                    is_ready(&p.obj),
                    std::cmp::Reverse(
                        p.obj["metadata"]["creationTimestamp"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    ),
                )
            });
            for p in pods.iter().take((have - want) as usize) {
                delete_obj(ctx, "pods", &p.obj, Some(&rs));
            }
        }
        let pods = owned(ctx, "pods", ns, &rs, false);
        let ready = pods.iter().filter(|p| is_ready(&p.obj)).count() as i64;
        let sel = LabelSelector::from_object(&rs["spec"]["selector"]).ok();
        let labeled = pods
            .iter()
            .filter(|p| {
                sel.as_ref()
                    .is_some_and(|s| s.matches(p.obj["metadata"]["labels"].as_object()))
            })
            .count();
        let gen = rs["metadata"]["generation"].clone();
        ctx.cluster.mutate("replicasets", ns, &name_of(&rs), |o| {
            let mut s = json!({"replicas": pods.len(), "fullyLabeledReplicas": labeled, "observedGeneration": gen});
            if ready > 0 {
                s["readyReplicas"] = json!(ready);
                s["availableReplicas"] = json!(ready);
            }
            o["status"] = s;
        });
    }
}

pub fn statefulsets(ctx: &mut Ctx, ns: &str) {
    for ss in ctx.cluster.store.list("statefulsets", Some(ns)).1 {
        if ss.obj["metadata"]["deletionTimestamp"].is_string() {
            continue;
        }
        let ss = ss.obj;
        let name = name_of(&ss);
        let want = ss["spec"]["replicas"].as_i64().unwrap_or(1);
        let rev = format!(
            "{name}-{}",
            hex(
                &serde_json::to_string(&ss["spec"]["template"]).unwrap_or_default(),
                10
            )
        );
        let pods = owned(ctx, "pods", ns, &ss, true);
        for i in 0..want {
            let pn = format!("{name}-{i}");
            if pods.iter().any(|p| name_of(&p.obj) == pn) {
                continue;
            }
            // OrderedReady: the next ordinal waits for the previous to be Ready.
            let prev_ready = i == 0
                || ctx
                    .cluster
                    .store
                    .get("pods", ns, &format!("{name}-{}", i - 1))
                    .is_some_and(|p| is_ready(&p.obj));
            if ss["spec"]["podManagementPolicy"] != "Parallel" && !prev_ready && !ctx.fast {
                break;
            }
            let labels = [
                ("statefulset.kubernetes.io/pod-name", pn.clone()),
                ("controller-revision-hash", rev.clone()),
                ("apps.kubernetes.io/pod-index", i.to_string()),
            ];
            let mut tmpl = ss["spec"]["template"].clone();
            tmpl["spec"]["hostname"] = json!(pn);
            if let Some(svc) = ss["spec"]["serviceName"].as_str() {
                tmpl["spec"]["subdomain"] = json!(svc);
            }
            claims(ctx, ns, &ss, &pn);
            create_pod(ctx, ns, &ss, &tmpl, Some(pn), &labels, None);
        }
        for p in pods.iter() {
            let ord = name_of(&p.obj)
                .rsplit('-')
                .next()
                .and_then(|o| o.parse::<i64>().ok())
                .unwrap_or(0);
            if ord >= want && p.obj["metadata"]["deletionTimestamp"].is_null() {
                delete_obj(ctx, "pods", &p.obj, Some(&ss));
            }
        }
        let pods = owned(ctx, "pods", ns, &ss, false);
        roll_statefulset(ctx, &ss, &pods, want, &rev);
        let ready = pods.iter().filter(|p| is_ready(&p.obj)).count() as i64;
        let revision = |p: &Doc| {
            p.obj["metadata"]["labels"]["controller-revision-hash"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        let updated = pods.iter().filter(|p| revision(p) == rev).count();
        let current = pods
            .iter()
            .map(revision)
            .find(|r| *r != rev)
            .unwrap_or_else(|| rev.clone());
        let current_count = pods.iter().filter(|p| revision(p) == current).count();
        let gen = ss["metadata"]["generation"].clone();
        ctx.cluster.mutate("statefulsets", ns, &name, |o| {
            o["status"] = json!({"observedGeneration": gen, "replicas": pods.len(), "readyReplicas": ready, "currentReplicas": current_count, "updatedReplicas": updated, "availableReplicas": ready, "currentRevision": current, "updateRevision": rev, "collisionCount": 0});
        });
    }
}

/// RollingUpdate: once every pod is Ready, delete the highest ordinal (at or above the partition)
/// still on an old revision; the loop above recreates it from the new template.
fn roll_statefulset(ctx: &mut Ctx, ss: &Value, pods: &[Doc], want: i64, rev: &str) {
    let strategy = &ss["spec"]["updateStrategy"];
    if strategy["type"] == "OnDelete" || ctx.fast {
        return;
    }
    let settled = pods.len() as i64 == want && pods.iter().all(|p| is_ready(&p.obj));
    if !settled {
        return;
    }
    let partition = strategy["rollingUpdate"]["partition"].as_i64().unwrap_or(0);
    let ordinal = |p: &Doc| {
        name_of(&p.obj)
            .rsplit('-')
            .next()
            .and_then(|o| o.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let stale = pods
        .iter()
        .filter(|p| ordinal(p) >= partition)
        .filter(|p| p.obj["metadata"]["labels"]["controller-revision-hash"] != rev)
        .max_by_key(|p| ordinal(p));
    if let Some(p) = stale {
        delete_obj(ctx, "pods", &p.obj, Some(ss));
    }
}

pub fn daemonsets(ctx: &mut Ctx, ns: &str) {
    let sets = ctx.cluster.store.list("daemonsets", Some(ns)).1;
    if sets.is_empty() {
        return;
    }
    let nodes: Vec<Value> = ctx
        .cluster
        .store
        .list("nodes", None)
        .1
        .into_iter()
        .map(|n| (*n.obj).clone())
        .collect();
    for ds in sets {
        if ds.obj["metadata"]["deletionTimestamp"].is_string() {
            continue;
        }
        let ds = ds.obj;
        let sel = ds["spec"]["template"]["spec"]["nodeSelector"]
            .as_object()
            .cloned();
        let fit: Vec<&Value> = nodes
            .iter()
            .filter(|n| {
                sel.as_ref()
                    .is_none_or(|s| s.iter().all(|(k, v)| n["metadata"]["labels"][k] == *v))
            })
            .collect();
        let pods = owned(ctx, "pods", ns, &ds, false);
        for n in &fit {
            let node = n["metadata"]["name"].as_str().unwrap_or_default();
            if !pods.iter().any(|p| p.obj["spec"]["nodeName"] == node) {
                create_pod(ctx, ns, &ds, &ds["spec"]["template"], None, &[], Some(node));
            }
        }
        let pods = owned(ctx, "pods", ns, &ds, false);
        let ready = pods.iter().filter(|p| is_ready(&p.obj)).count();
        let gen = ds["metadata"]["generation"].clone();
        ctx.cluster.mutate("daemonsets", ns, &name_of(&ds), |o| {
            o["status"] = json!({"currentNumberScheduled": pods.len(), "desiredNumberScheduled": fit.len(), "numberMisscheduled": 0, "numberReady": ready, "numberAvailable": ready, "updatedNumberScheduled": pods.len(), "observedGeneration": gen});
        });
    }
}

/// The PVCs of a StatefulSet pod's volumeClaimTemplates (`<template>-<pod>`), created once and kept.
fn claims(ctx: &mut Ctx, ns: &str, ss: &Value, pod: &str) {
    let Some(def) = resources::by_storage("persistentvolumeclaims") else {
        return;
    };
    for t in ss["spec"]["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = format!("{}-{pod}", t["metadata"]["name"].as_str().unwrap_or("data"));
        if ctx
            .cluster
            .store
            .get("persistentvolumeclaims", ns, &name)
            .is_some()
        {
            continue;
        }
        let mut labels = t["metadata"]["labels"].clone();
        if !labels.is_object() {
            labels = json!({});
        }
        let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": ns, "labels": labels}, "spec": t["spec"]});
        let _ = ctx.cluster.create(def, ns, pvc, false);
    }
}

/// Whether a replica set's pod template is the deployment's, ignoring `pod-template-hash`.
fn same_template(rs_template: &Value, template: &Value) -> bool {
    let mut t = rs_template.clone();
    if let Some(l) = t["metadata"]["labels"].as_object_mut() {
        l.remove("pod-template-hash");
    }
    let mut want = template.clone();
    crate::store::prune_nulls(&mut t);
    crate::store::prune_nulls(&mut want);
    if want["metadata"]["labels"]
        .as_object()
        .is_some_and(|l| l.is_empty())
    {
        want["metadata"]["labels"] = json!({});
    }
    t == want
}
