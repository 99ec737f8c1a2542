//! kube-rs against the simulator over real HTTP: lists, watches, 410 recovery, GC, patches, conflicts.

use crate::common::TestSim;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Pod};
use kterm_sim::RbacProfile;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use serde_json::json;
use std::time::Duration;

type Rx = tokio::sync::mpsc::UnboundedReceiver<Result<Event<ConfigMap>, String>>;

/// Wait (20 s at most) for the watcher to report the config map `name`.
async fn next_named(rx: &mut Rx, name: &str) -> Result<(), tokio::time::error::Elapsed> {
    let fut = async {
        loop {
            match rx.recv().await {
                Some(Ok(Event::Apply(c))) | Some(Ok(Event::InitApply(c)))
                    if c.metadata.name.as_deref() == Some(name) =>
                {
                    return
                }
                Some(_) => continue,
                None => panic!("watch ended"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), fut).await
}

fn cm(name: &str, tier: &str) -> ConfigMap {
    serde_json::from_value(
        json!({"metadata": {"name": name, "labels": {"tier": tier}}, "data": {"k": "v"}}),
    )
    .unwrap()
}

#[test]
fn list_pages_and_filters_by_label_and_field() {
    let t = TestSim::start(RbacProfile::Admin);
    t.rt.block_on(async {
        let api: Api<ConfigMap> = Api::namespaced(t.client().await, "default");
        for i in 0..7 {
            api.create(
                &PostParams::default(),
                &cm(
                    &format!("page-{i}"),
                    if i % 2 == 0 { "even" } else { "odd" },
                ),
            )
            .await
            .unwrap();
        }
        let mut names = Vec::new();
        let mut lp = ListParams::default().labels("tier in (even,odd)").limit(3);
        loop {
            let page = api.list(&lp).await.unwrap();
            assert!(page.items.len() <= 3);
            names.extend(page.items.iter().map(|c| c.metadata.name.clone().unwrap()));
            match page.metadata.continue_ {
                Some(c) if !c.is_empty() => lp = lp.continue_token(&c),
                _ => break,
            }
        }
        assert_eq!(names.len(), 7, "{names:?}");
        let even = api
            .list(&ListParams::default().labels("tier=even"))
            .await
            .unwrap();
        assert_eq!(even.items.len(), 4);
        let one = api
            .list(&ListParams::default().fields("metadata.name=page-3"))
            .await
            .unwrap();
        assert_eq!(one.items.len(), 1);
        let bad = api
            .list(&ListParams::default().labels("tier in ("))
            .await
            .unwrap_err();
        assert!(
            matches!(bad, kube::Error::Api(ref s) if s.code == 400),
            "{bad:?}"
        );
    });
}

#[test]
fn watcher_follows_changes_and_recovers_from_410() {
    let t = TestSim::start(RbacProfile::Admin);
    t.rt.block_on(async {
        let client = t.client().await;
        let api: Api<ConfigMap> = Api::namespaced(client, "default");
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let w = api.clone();
        let task = tokio::spawn(async move {
            let mut s = watcher::watcher(w, watcher::Config::default().any_semantic())
                .default_backoff()
                .boxed();
            while let Some(ev) = s.next().await {
                let _ = tx.send(ev.map_err(|e| e.to_string()));
            }
        });
        api.create(&PostParams::default(), &cm("watched-1", "a"))
            .await
            .unwrap();
        next_named(&mut rx, "watched-1")
            .await
            .expect("first change seen");
        // History compacted and every watch dropped: the re-watch gets 410 Gone and the watcher re-lists.
        t.admin("faults", r#"{"compact": true, "dropWatches": true}"#);
        api.create(&PostParams::default(), &cm("watched-2", "a"))
            .await
            .unwrap();
        next_named(&mut rx, "watched-2")
            .await
            .expect("change after 410 seen");
        task.abort();
    });
    // The re-watch from the compacted version gets a 410 ERROR event; the watcher then lists again.
    let log = t.requests();
    let lists = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "GET" && !r["query"].as_str().unwrap().contains("watch=true"))
        .count();
    assert!(lists >= 2, "expected a re-list after 410: {log}");
}

#[test]
fn streaming_list_ends_initial_events_with_a_bookmark() {
    let t = TestSim::start(RbacProfile::Admin);
    t.rt.block_on(async {
        let api: Api<Pod> = Api::all(t.client().await);
        let cfg = watcher::Config::default().streaming_lists();
        let mut s = watcher::watcher(api, cfg).boxed();
        let mut seen = 0;
        let done = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(ev) = s.try_next().await.unwrap() {
                match ev {
                    Event::InitApply(_) => seen += 1,
                    Event::InitDone => return,
                    _ => {}
                }
            }
        })
        .await;
        assert!(done.is_ok(), "no InitDone");
        assert!(seen > 10, "initial pods: {seen}");
    });
    let log = t.requests();
    assert!(log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["query"]
            .as_str()
            .unwrap()
            .contains("sendInitialEvents=true")));
}

fn deployment(name: &str) -> Deployment {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "busybox:1.36", "env": [{"name": "A", "value": "1"}]}]}}}
    }))
    .unwrap()
}

#[test]
fn deleting_a_deployment_collects_its_replicaset_and_pods() {
    let t = TestSim::start(RbacProfile::Admin);
    t.rt.block_on(async {
        let client = t.client().await;
        let deps: Api<Deployment> = Api::namespaced(client.clone(), "default");
        let pods: Api<Pod> = Api::namespaced(client, "default");
        deps.create(&PostParams::default(), &deployment("gc-me"))
            .await
            .unwrap();
        let lp = ListParams::default().labels("app=gc-me");
        for _ in 0..100 {
            if pods
                .list(&lp)
                .await
                .unwrap()
                .items
                .iter()
                .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
                .count()
                == 2
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(pods.list(&lp).await.unwrap().items.len(), 2);
        deps.delete("gc-me", &DeleteParams::background())
            .await
            .unwrap();
        for _ in 0..150 {
            if pods.list(&lp).await.unwrap().items.is_empty() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("pods of a deleted deployment were not collected");
    });
}

#[test]
fn patches_of_every_kind_and_conflicts() {
    let t = TestSim::start(RbacProfile::Admin);
    t.rt.block_on(async {
        let client = t.client().await;
        let deps: Api<Deployment> = Api::namespaced(client.clone(), "default");
        deps.create(&PostParams::default(), &deployment("patchy")).await.unwrap();
        // Strategic merge: env entries merge by name instead of replacing the list.
        let smp = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "env": [{"name": "B", "value": "2"}]}]}}}});
        let d = deps.patch("patchy", &PatchParams::default(), &Patch::Strategic(smp)).await.unwrap();
        let env = d.spec.unwrap().template.spec.unwrap().containers[0].env.clone().unwrap();
        let mut names: Vec<&str> = env.iter().map(|e| e.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["A", "B"], "env merged by name, not replaced");
        let d = deps.patch("patchy", &PatchParams::default(), &Patch::Merge(json!({"spec": {"replicas": 3}}))).await.unwrap();
        assert_eq!(d.spec.unwrap().replicas, Some(3));
        let jp: json_patch_kube::Patch = serde_json::from_value(json!([{"op": "replace", "path": "/spec/replicas", "value": 1}])).unwrap();
        let d = deps.patch("patchy", &PatchParams::default(), &Patch::<()>::Json(jp)).await.unwrap();
        assert_eq!(d.spec.as_ref().unwrap().replicas, Some(1));
        // A replace carrying an old resourceVersion is refused with 409 Conflict.
        let mut stale = d.clone();
        deps.patch("patchy", &PatchParams::default(), &Patch::Merge(json!({"metadata": {"labels": {"x": "y"}}}))).await.unwrap();
        stale.metadata.labels = Some([("z".to_string(), "w".to_string())].into());
        let err = deps.replace("patchy", &PostParams::default(), &stale).await.unwrap_err();
        assert!(matches!(err, kube::Error::Api(ref s) if s.code == 409 && s.reason == "Conflict"), "{err:?}");
        let missing = deps.get("nope").await.unwrap_err();
        assert!(matches!(missing, kube::Error::Api(ref s) if s.code == 404 && s.message == "deployments.apps \"nope\" not found"), "{missing:?}");
    });
}

#[test]
fn tenant_profile_forbids_cluster_wide_lists_with_the_real_message() {
    let t = TestSim::start(RbacProfile::Tenant);
    let tenant = t
        .sim
        .tenants
        .first()
        .cloned()
        .expect("the default scenario has tenants");
    t.rt.block_on(async {
        let client = t.client().await;
        let all: Api<Pod> = Api::all(client.clone());
        let err = all.list(&ListParams::default()).await.unwrap_err();
        assert!(matches!(err, kube::Error::Api(ref s) if s.code == 403 && s.message == "pods is forbidden: User \"kterm-sim-tenant\" cannot list resource \"pods\" in API group \"\" at the cluster scope"), "{err:?}");
        let mine: Api<Pod> = Api::namespaced(client, &tenant);
        assert!(!mine.list(&ListParams::default()).await.unwrap().items.is_empty());
    });
}

#[test]
fn tls_and_bearer_token_as_a_real_cluster_asks_for_them() {
    let opts = kterm_sim::SimOpts {
        tls: true,
        token: Some("s3cret".into()),
        ..Default::default()
    };
    let t = TestSim::with(opts);
    assert!(t.sim.url.starts_with("https://127.0.0.1:"));
    t.rt.block_on(async {
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(t.client().await);
        assert!(api.list(&ListParams::default()).await.unwrap().items.len() >= 4);
    });
    let url = format!("{}/api/v1/namespaces", t.sim.url);
    let out = std::process::Command::new("curl")
        .args(["-sk", "-H", "Authorization: Bearer wrong", &url])
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["code"], 401, "{status}");
    assert_eq!(status["reason"], "Unauthorized");
}

#[test]
fn scale_scenario_serves_every_pod_to_a_paged_list_and_a_watch() {
    let t = TestSim::scale(2_000, 100);
    t.rt.block_on(async {
        let api: Api<Pod> = Api::all(t.client().await);
        let mut lp = ListParams::default().limit(500);
        let mut n = 0;
        loop {
            let page = api.list(&lp).await.unwrap();
            n += page.items.len();
            match page.metadata.continue_ {
                Some(c) if !c.is_empty() => lp = lp.continue_token(&c),
                _ => break,
            }
        }
        assert_eq!(n, 2_000);
        let mut s = watcher::watcher(api, watcher::Config::default()).boxed();
        let mut seen = 0;
        while let Some(ev) = s.try_next().await.unwrap() {
            match ev {
                Event::InitApply(_) => seen += 1,
                Event::InitDone => break,
                _ => {}
            }
        }
        assert_eq!(seen, 2_000);
    });
}

#[test]
fn cut_logs_breaks_followed_streams_mid_body_and_spares_later_ones() {
    let t = TestSim::with(kterm_sim::SimOpts {
        log_rate: 200,
        ..Default::default()
    });
    t.rt.block_on(async {
        use futures::{AsyncBufReadExt, AsyncReadExt};
        let api: Api<Pod> = Api::namespaced(t.client().await, "r2g5mu");
        let pods = api
            .list(&ListParams::default().labels("app=lockserver,env=homologation"))
            .await
            .unwrap();
        let name = pods.items[0].metadata.name.clone().unwrap();
        let params = kube::api::LogParams {
            follow: true,
            tail_lines: Some(1),
            ..Default::default()
        };
        let mut cut = Box::pin(api.log_stream(&name, &params).await.unwrap());
        let mut line = String::new();
        cut.read_line(&mut line).await.unwrap();
        assert!(!line.is_empty());
        t.admin("faults", r#"{"cutLogs": true}"#);
        // Read on until the stream stops: it must stop with an error, not a clean end.
        let mut rest = Vec::new();
        let ended = tokio::time::timeout(Duration::from_secs(20), cut.read_to_end(&mut rest))
            .await
            .expect("the cut stream stops");
        assert!(ended.is_err(), "a clean end after {} bytes", rest.len());

        // A stream opened after the cut is not cut: it keeps delivering lines.
        let mut later = Box::pin(api.log_stream(&name, &params).await.unwrap()).lines();
        for _ in 0..50 {
            let next = tokio::time::timeout(Duration::from_secs(20), later.next())
                .await
                .expect("lines keep coming");
            assert!(matches!(next, Some(Ok(_))), "{next:?}");
        }
    });
}
