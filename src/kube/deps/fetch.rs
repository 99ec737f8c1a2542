//! Reading the slim stores from the cluster when the delete dialog opens: every list at once,
//! each with its own time limit, so one slow or forbidden list costs one warning, not the dialog.

use std::future::Future;
use std::time::Duration;

use ::kube::api::{ApiResource, DynamicObject, GetParams, ListParams};
use ::kube::core::Request;
use ::kube::{Client, Resource};
use futures::future::join_all;
use k8s_openapi::api::{
    apps::v1 as apps, batch::v1 as batch, core::v1 as core, discovery::v1 as discovery,
    policy::v1 as policy,
};
use serde_json::Value;

use super::{Checked, DepEndpoints, DepOwner, DepPdb, DepPod, DepService, Inputs};
use crate::kube::discover::{discover, reason, Served};
use crate::kube::target::Target;

/// A check that takes longer has failed: the user is waiting at the dialog.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The controllers whose owner references make up an owner chain.
const OWNER_KINDS: [&str; 6] = [
    "ReplicaSet",
    "Job",
    "StatefulSet",
    "DaemonSet",
    "Deployment",
    "CronJob",
];

async fn timed<T>(work: impl Future<Output = Checked<T>>) -> Checked<T> {
    tokio::time::timeout(TIMEOUT, work)
        .await
        .unwrap_or_else(|_| Err("no answer within 20 s".to_string()))
}

async fn get_json(
    client: Client,
    ar: ApiResource,
    ns: Option<String>,
    name: String,
) -> Checked<Value> {
    let url = DynamicObject::url_path(&ar, ns.as_deref());
    let request = Request::new(url)
        .get(&name, &GetParams::default())
        .map_err(|e| e.to_string())?;
    let mut object: Value = client.request(request).await.map_err(|e| reason(&e))?;
    // What edit and the dialog show need no managedFields; dropping them keeps the store slim.
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    Ok(object)
}

async fn list_json(client: Client, ar: ApiResource, ns: String) -> Checked<Vec<Value>> {
    let url = DynamicObject::url_path(&ar, Some(&ns));
    let request = Request::new(url)
        .list(&ListParams::default())
        .map_err(|e| e.to_string())?;
    let list: Value = client.request(request).await.map_err(|e| reason(&e))?;
    match list {
        Value::Object(mut map) => match map.remove("items") {
            Some(Value::Array(items)) => Ok(items),
            _ => Ok(Vec::new()),
        },
        _ => Err("the server's answer was not a list".to_string()),
    }
}

fn erase<K: Resource<DynamicType = ()>>() -> ApiResource {
    ApiResource::erase::<K>(&())
}

fn owner_resource(kind: &str) -> ApiResource {
    match kind {
        "ReplicaSet" => erase::<apps::ReplicaSet>(),
        "StatefulSet" => erase::<apps::StatefulSet>(),
        "DaemonSet" => erase::<apps::DaemonSet>(),
        "Deployment" => erase::<apps::Deployment>(),
        "CronJob" => erase::<batch::CronJob>(),
        _ => erase::<batch::Job>(),
    }
}

async fn owners(client: Client, ns: String) -> Checked<Vec<DepOwner>> {
    let lists = join_all(OWNER_KINDS.iter().map(|kind| {
        let list = list_json(client.clone(), owner_resource(kind), ns.clone());
        async move { (kind, timed(list).await) }
    }))
    .await;
    let mut out = Vec::new();
    for (kind, list) in lists {
        let list = list.map_err(|why| format!("{why} (listing {kind}s)"))?;
        out.extend(list.iter().map(|o| DepOwner::from_json(o, kind)));
    }
    Ok(out)
}

/// Reads everything `impact` needs about `target`, every list at once, each within 20 s.
pub async fn gather(client: Client, target: Target) -> Inputs {
    let object = timed(get_json(
        client.clone(),
        target.api_resource(),
        target.namespace.clone(),
        target.name.clone(),
    ));
    if target.kind == "Namespace" && target.group.is_empty() {
        let (object, counted) = futures::join!(object, count(client, target.name.clone()));
        let (counts, uncounted) = match counted {
            Ok((counts, uncounted)) => (Ok(counts), uncounted),
            Err(why) => (Err(why), Vec::new()),
        };
        return Inputs {
            object,
            counts: Some(counts),
            uncounted,
            ..Inputs::nothing_else(target)
        };
    }
    let Some(ns) = target.namespace.clone() else {
        return Inputs {
            object: object.await,
            ..Inputs::nothing_else(target)
        };
    };
    let list = |ar: ApiResource| timed(list_json(client.clone(), ar, ns.clone()));
    let (object, pods, services, slices, pdbs, owners) = futures::join!(
        object,
        list(erase::<core::Pod>()),
        list(erase::<core::Service>()),
        list(erase::<discovery::EndpointSlice>()),
        list(erase::<policy::PodDisruptionBudget>()),
        owners(client.clone(), ns.clone()),
    );
    Inputs {
        object,
        pods: pods.map(|l| l.iter().map(DepPod::from_json).collect()),
        services: services.map(|l| l.iter().map(DepService::from_json).collect()),
        endpoints: slices.map(|l| DepEndpoints::from_slices(&l)),
        pdbs: pdbs.map(|l| l.iter().map(DepPdb::from_json).collect()),
        owners,
        counts: None,
        uncounted: Vec::new(),
        target,
    }
}

/// Whether a namespace's objects of this type are worth counting: listable, and not a record
/// of something else (events, endpoints, metrics).
fn counted(s: &Served) -> bool {
    s.namespaced
        && s.verbs.iter().any(|v| v == "list")
        && !matches!(s.kind.as_str(), "Event" | "Endpoints" | "EndpointSlice")
        && s.group != "metrics.k8s.io"
}

/// Everything in namespace `ns`, counted by kind; the kinds that could not be listed apart.
async fn count(
    client: Client,
    ns: String,
) -> Checked<(Vec<(String, usize)>, Vec<(String, String)>)> {
    let served = discover(client.clone()).await?;
    let wanted: Vec<&Served> = served.iter().filter(|s| counted(s)).collect();
    let lists = join_all(wanted.iter().map(|s| {
        let ar = s.target(Some(&ns), "").api_resource();
        timed(list_json(client.clone(), ar, ns.clone()))
    }))
    .await;
    let (mut counts, mut failed) = (Vec::new(), Vec::new());
    for (s, list) in wanted.iter().zip(lists) {
        match list {
            Ok(items) if items.is_empty() => {}
            Ok(items) => counts.push((s.kind.clone(), items.len())),
            Err(why) => failed.push((s.kind.clone(), why)),
        }
    }
    Ok((counts, failed))
}
