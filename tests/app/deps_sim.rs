//! `deps::fetch::gather` and `impact` against kterm-sim: the OOM tenant's appserver pod names its
//! ReplicaSet, the not-ready smartclient pod its Service left without endpoints, a namespace
//! counts its objects by kind; `resolve` finds kinds kterm does not list through discovery.

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kterm::kube::deps::{impact, Change, Impact, Inputs, Level};
use kterm::kube::kinds::ResourceKind;
use kterm::kube::target::Target;
use kterm::kube::{Cluster, KubeCluster};
use kterm_sim::{SimHandle, SimOpts};
use kube::Api;

use super::fixtures::pod_name;

async fn connect() -> (SimHandle, KubeCluster) {
    let sim = kterm_sim::start(SimOpts::default())
        .await
        .expect("simulator starts");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connects");
    (sim, cluster)
}

/// Gathers and computes until `done` holds of the impact, or panics with the last one after 30 s
/// (the simulator's controllers may still be settling endpoints).
async fn eventually(
    cluster: &KubeCluster,
    target: &Target,
    change: Change,
    done: impl Fn(&Inputs, &Impact) -> bool,
) -> (Inputs, Impact) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let inputs = cluster.impact_inputs(target).await;
        let found = impact(&inputs, change, chrono::Utc::now());
        if done(&inputs, &found) {
            return (inputs, found);
        }
        assert!(
            Instant::now() < deadline,
            "timed out; last impact: {found:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn has(i: &Impact, text: &str) -> bool {
    i.warnings.iter().any(|w| w.text.starts_with(text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oom_appserver_pod_names_its_replicaset() {
    let (_sim, cluster) = connect().await;
    let pod = pod_name(&cluster, "t4k9pz", "app=appserver,env=production").await;
    let pods: Api<Pod> = Api::namespaced(cluster.client().clone(), "t4k9pz");
    let rs = pods
        .get(&pod)
        .await
        .expect("gets the pod")
        .metadata
        .owner_references
        .unwrap_or_default()
        .into_iter()
        .find(|o| o.controller == Some(true))
        .expect("a controller")
        .name;
    let target = Target::of(ResourceKind::Pod, Some("t4k9pz"), &pod);
    let want = format!("ReplicaSet {rs} will recreate it (Deployment appserver-prd)");
    let (inputs, found) = eventually(&cluster, &target, Change::Delete, |_, i| has(i, &want)).await;
    assert!(inputs.object.is_ok() && inputs.pods.is_ok() && inputs.owners.is_ok());
    assert!(inputs.services.is_ok() && inputs.endpoints.is_ok() && inputs.pdbs.is_ok());
    assert!(
        !found
            .warnings
            .iter()
            .any(|w| w.text.starts_with("could not check")),
        "{found:#?}"
    );
    assert!(
        has(&found, "PersistentVolumeClaim volume is kept"),
        "{found:#?}"
    );
    assert!(found.high.contains(&"labelled production".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_not_ready_smartclient_pod_leaves_its_service_without_endpoints() {
    let (_sim, cluster) = connect().await;
    let pod = pod_name(&cluster, "f7h4js", "app=smartclient-html,env=production").await;
    let target = Target::of(ResourceKind::Pod, Some("f7h4js"), &pod);
    let want = "Service smartclient-html-prd will have 0 ready endpoints: requests through the proxy will fail";
    let (_, found) = eventually(&cluster, &target, Change::Delete, |_, i| has(i, want)).await;
    assert!(found.is_high());
    assert!(
        found
            .high
            .iter()
            .any(|h| h.ends_with("of Service smartclient-html-prd")),
        "{found:#?}"
    );
    assert!(found.warnings[0].text.starts_with(want), "{found:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_counts_its_objects_by_kind() {
    let (_sim, cluster) = connect().await;
    let target = Target::of(ResourceKind::Namespace, None, "t4k9pz");
    let (inputs, found) = eventually(&cluster, &target, Change::Delete, |inputs, _| {
        matches!(&inputs.counts, Some(Ok(c)) if c.iter().any(|(k, n)| k == "Pod" && *n > 0))
    })
    .await;
    let Some(Ok(counts)) = &inputs.counts else {
        panic!("counted: {:?}", inputs.counts);
    };
    let count = |kind: &str| counts.iter().find(|(k, _)| k == kind).map(|(_, n)| *n);
    assert_eq!(count("ConfigMap"), Some(4), "{counts:?}");
    assert_eq!(count("CronJob"), Some(1), "{counts:?}");
    assert_eq!(count("Service"), Some(12), "{counts:?}");
    assert_eq!(count("Event"), None, "events are not counted: {counts:?}");
    assert!(inputs.uncounted.is_empty(), "{:?}", inputs.uncounted);
    assert!(
        has(&found, "everything in namespace t4k9pz is deleted: "),
        "{found:#?}"
    );
    assert_eq!(found.high, vec!["a namespace".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_finds_kinds_kterm_does_not_list_through_discovery() {
    let (_sim, cluster) = connect().await;
    let cm = cluster
        .resolve("cm", Some("t4k9pz"), "appserver-ini-prd")
        .await
        .expect("cm resolves");
    assert_eq!(
        (
            cm.group.as_str(),
            cm.version.as_str(),
            cm.kind.as_str(),
            cm.plural.as_str()
        ),
        ("", "v1", "ConfigMap", "configmaps")
    );
    assert_eq!(cm.namespace.as_deref(), Some("t4k9pz"));
    let object = cluster.get_target(&cm).await.expect("the ConfigMap reads");
    assert_eq!(object["metadata"]["name"], "appserver-ini-prd");
    let pdb = cluster
        .resolve("pdb", Some("t4k9pz"), "x")
        .await
        .expect("pdb resolves");
    assert_eq!(
        (
            pdb.group.as_str(),
            pdb.version.as_str(),
            pdb.kind.as_str(),
            pdb.plural.as_str()
        ),
        (
            "policy",
            "v1",
            "PodDisruptionBudget",
            "poddisruptionbudgets"
        )
    );
    for word in ["ConfigMap", "configmaps", "configmap"] {
        let t = cluster
            .resolve(word, Some("t4k9pz"), "x")
            .await
            .expect("resolves");
        assert_eq!(t.plural, "configmaps", "{word}");
    }
    let rs = cluster
        .resolve("replicasets.apps", Some("t4k9pz"), "x")
        .await
        .expect("resolves");
    assert_eq!(
        (rs.group.as_str(), rs.kind.as_str()),
        ("apps", "ReplicaSet")
    );
    let node = cluster
        .resolve("nodes", Some("t4k9pz"), "n1")
        .await
        .expect("resolves");
    assert_eq!(node.namespace, None);
    assert_eq!(
        cluster.resolve("foo", Some("t4k9pz"), "x").await,
        Err("kterm knows no resource type \"foo\" on this cluster.".to_string())
    );
    // A subresource is not a type.
    assert!(cluster
        .resolve("pods/log", Some("t4k9pz"), "x")
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_list_is_a_warning_of_its_own() {
    let sim = kterm_sim::start(SimOpts {
        rbac: kterm_sim::RbacProfile::Tenant,
        ..SimOpts::default()
    })
    .await
    .expect("simulator starts");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connects");
    // The tenant profile may read tenant namespaces only.
    let target = Target::of(ResourceKind::Pod, Some("kube-system"), "x");
    let inputs = cluster.impact_inputs(&target).await;
    let found = impact(&inputs, Change::Delete, chrono::Utc::now());
    for what in [
        "the Pod itself",
        "pods",
        "Services",
        "endpoints",
        "PodDisruptionBudgets",
        "controllers",
    ] {
        let text = format!("could not check {what}: forbidden");
        // The controllers' reason names the list that failed: "forbidden (listing ReplicaSets)".
        assert!(
            found
                .warnings
                .iter()
                .any(|w| w.text.starts_with(&text) && w.level == Level::Warn),
            "no {text:?} in {found:#?}"
        );
    }
    // The same user reads its own tenant in full.
    let pod = pod_name(&cluster, "t4k9pz", "app=appserver,env=production").await;
    let inputs = cluster
        .impact_inputs(&Target::of(ResourceKind::Pod, Some("t4k9pz"), &pod))
        .await;
    assert!(inputs.pods.is_ok() && inputs.owners.is_ok() && inputs.pdbs.is_ok());
}
