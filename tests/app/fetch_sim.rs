//! Fetching whole objects from the simulator through kube-rs, and the describe text against
//! what the real kubectl prints for the same pod.

use kterm::kube::describe::describe;
use kterm::kube::fetch::{fetch_with_events, FetchError, ObjectRef};
use kterm::kube::kinds::ResourceKind;
use kterm::kube::Cluster;
use kterm_sim::RbacProfile;

use super::fixtures::{connect, kubectl, pod_name};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_a_pod_with_events_and_any_kind() {
    let (sim, cluster) = connect(RbacProfile::Admin).await;
    let name = pod_name(&cluster, "t4k9pz", "app=appserver,env=production").await;
    let target = ObjectRef::pod("t4k9pz", &name);
    let fetched = fetch_with_events(&cluster, &target).await.expect("fetched");
    assert_eq!(fetched.object["kind"], "Pod");
    assert_eq!(
        fetched
            .object
            .pointer("/status/containerStatuses/0/lastState/terminated/reason"),
        Some(&serde_json::json!("OOMKilled"))
    );
    assert!(fetched.events.is_ok(), "{:?}", fetched.events);
    let text = describe(
        ResourceKind::Pod,
        &fetched.object,
        &fetched.events,
        chrono::Utc::now(),
    );
    assert!(text.contains("      Exit Code:    137\n"), "{text}");

    // Events by field selector: the simulator's kubelet reports image pulls for k3v8ec.
    let broken = pod_name(&cluster, "k3v8ec", "app=rest,env=homologation").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let events = cluster
            .object_events(&ObjectRef::pod("k3v8ec", &broken))
            .await
            .expect("events list");
        if events
            .iter()
            .any(|e| e.reason == "Failed" && e.is_warning())
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no Failed event: {events:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }

    for target in [
        ObjectRef::new(ResourceKind::Deployment, Some("t4k9pz"), "appserver-prd"),
        ObjectRef::new(ResourceKind::Namespace, None, "t4k9pz"),
        ObjectRef::new(ResourceKind::Service, Some("t4k9pz"), "appserver-prd"),
    ] {
        let object = cluster.get_object(&target).await.expect("any kind");
        assert_eq!(object["kind"], target.kind.api_kind(), "{target:?}");
    }
    let gone = cluster
        .get_object(&ObjectRef::pod("t4k9pz", "no-such-pod"))
        .await;
    let error = gone.expect_err("404");
    assert!(matches!(error, FetchError::NotFound { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "The pod t4k9pz/no-such-pod no longer exists (404 Not Found)."
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_is_one_sentence() {
    let (sim, cluster) = connect(RbacProfile::Tenant).await;
    let error = cluster
        .get_object(&ObjectRef::new(ResourceKind::Node, None, "any"))
        .await
        .expect_err("tenants may not read nodes");
    assert_eq!(
        error.to_string(),
        "You may not read the node any (403 Forbidden); ask for get rights on it."
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_matches_kubectl_describe() {
    let Some(kubectl) = kubectl() else { return };
    let (sim, cluster) = connect(RbacProfile::Admin).await;
    // Pods whose objects do not change while both read them: healthy ones.
    for (namespace, name) in [
        ("t4k9pz", "dbaccess-prd-0".to_string()),
        ("r2g5mu", {
            pod_name(&cluster, "r2g5mu", "app=appserver,env=production").await
        }),
    ] {
        let target = ObjectRef::pod(namespace, &name);
        let fetched = fetch_with_events(&cluster, &target).await.expect("fetched");
        let ours = describe(
            ResourceKind::Pod,
            &fetched.object,
            &fetched.events,
            chrono::Utc::now(),
        );
        let out = tokio::process::Command::new(&kubectl)
            .args(["describe", "pod", "-n", namespace, &name])
            .env("KUBECONFIG", sim.kubeconfig())
            .env("TZ", "UTC")
            .output()
            .await
            .expect("kubectl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = String::from_utf8_lossy(&out.stdout);
        // Events' ages may tick between the two reads; everything above them must be equal.
        let head = |t: &str| t.split("\nEvents:").next().unwrap_or_default().to_string();
        let (ours_head, theirs_head) = (head(&ours), head(&theirs));
        for (i, (a, b)) in ours_head.lines().zip(theirs_head.lines()).enumerate() {
            assert_eq!(
                a,
                b,
                "line {} of {namespace}/{name}\nours:\n{ours}\nkubectl:\n{theirs}",
                i + 1
            );
        }
        assert_eq!(
            ours_head.lines().count(),
            theirs_head.lines().count(),
            "ours:\n{ours}\nkubectl:\n{theirs}"
        );
    }
    sim.shutdown().await;
}
