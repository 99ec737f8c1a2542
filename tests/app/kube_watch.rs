//! The real kube-rs path (kubeconfig → client → watcher → slim pods → Msgs) against a
//! minimal hand-written API server, until the simulator can stand in for it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kterm::app::effect::Namespaces;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::sinks;
use kterm::kube::{Cluster, KubeCluster};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

fn pod_list() -> String {
    let pod = |name: &str, reason: &str| {
        json!({
            "metadata": {"name": name, "namespace": "c2a7dv", "resourceVersion": "10",
                         "creationTimestamp": "2025-01-01T11:00:00Z",
                         "managedFields": [{"manager": "kubelet"}]},
            "spec": {"nodeName": "n1", "containers": [{"name": "c"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "c", "ready": false, "restartCount": 1, "state": {"waiting": {"reason": reason}}}
            ]}
        })
    };
    json!({"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "10"},
           "items": [pod("appserver-0", "CrashLoopBackOff"), pod("dbaccess-0", "ImagePullBackOff")]})
    .to_string()
}

/// Answers the LIST with two pods and leaves every WATCH open and silent.
async fn serve(listener: TcpListener) {
    while let Ok((mut socket, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
            assert!(
                path.starts_with("/api/v1/namespaces/c2a7dv/pods"),
                "unexpected request {path}"
            );
            if path.contains("watch=true") {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                socket.write_all(head.as_bytes()).await.ok();
                tokio::time::sleep(Duration::from_secs(30)).await;
            } else {
                let body = pod_list();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                socket.write_all(head.as_bytes()).await.ok();
                socket.write_all(body.as_bytes()).await.ok();
            }
        });
    }
}

async fn recv(rx: &mut mpsc::Receiver<Msg>) -> Option<Msg> {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a message")
}

#[tokio::test]
async fn watches_a_namespace_through_kube_rs() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(serve(listener));

    let dir = std::env::temp_dir().join(format!("kterm-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let kubeconfig = dir.join("config");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\n\
         users:\n- name: u\n  user: {{token: x}}\ncontexts:\n- name: t\n  context: {{cluster: t, user: u, namespace: c2a7dv}}\n"
    );
    std::fs::write(&kubeconfig, text).expect("write kubeconfig");

    let cluster = KubeCluster::connect(Some(&kubeconfig), None)
        .await
        .expect("connects");
    assert_eq!(cluster.context(), "t");
    assert_eq!(cluster.default_namespace(), "c2a7dv");

    let (tx, mut rx) = mpsc::channel(16);
    let _watch = cluster.watch_pods(&Namespaces::List(vec!["c2a7dv".into()]), sinks::pods(tx));
    let scope = WatchScope::Namespace("c2a7dv".into());
    let Some(Msg::PodsApplied { scope: s, rows }) = recv(&mut rx).await else {
        panic!("expected rows first")
    };
    assert_eq!(s, scope);
    let statuses: Vec<_> = rows.iter().map(|r| (&*r.name, r.status.as_str())).collect();
    assert_eq!(
        statuses,
        [
            ("appserver-0", "CrashLoopBackOff"),
            ("dbaccess-0", "ImagePullBackOff")
        ]
    );
    let Some(Msg::PodsRelisted { scope: s, keys }) = recv(&mut rx).await else {
        panic!("expected the relist")
    };
    assert_eq!((s, keys.len()), (scope, 2));
    std::fs::remove_dir_all(&dir).ok();
}

/// Answers every LIST with two pods and every WATCH with a 500, counting the LISTs.
async fn serve_failing_watch(listener: TcpListener, lists: std::sync::Arc<AtomicUsize>) {
    while let Ok((mut socket, _)) = listener.accept().await {
        let lists = lists.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
            let (status, body) = if path.contains("watch=true") {
                let status = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                    "message": "etcd is restarting", "code": 500});
                ("500 Internal Server Error", status.to_string())
            } else {
                lists.fetch_add(1, Ordering::SeqCst);
                ("200 OK", pod_list())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            socket.write_all(head.as_bytes()).await.ok();
            socket.write_all(body.as_bytes()).await.ok();
        });
    }
}

/// After a failed watch, kterm lists afresh (after a backoff) instead of re-watching from a
/// resourceVersion the server may no longer know (a restart, another cluster behind the same
/// address); the fresh list is what clears the error on screen (P10: recovers by itself).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_watch_starts_over_with_a_fresh_list() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let lists = std::sync::Arc::new(AtomicUsize::new(0));
    tokio::spawn(serve_failing_watch(listener, lists.clone()));
    let kubeconfig = std::env::temp_dir().join(format!("kterm-refail-{}.yaml", std::process::id()));
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:{port}\n\
             users:\n- name: u\n  user: {{}}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n    namespace: c2a7dv\n\
             current-context: x\n"
        ),
    )
    .expect("write the kubeconfig");
    let cluster = KubeCluster::connect(Some(&kubeconfig), None)
        .await
        .expect("connects");
    let (tx, mut rx) = mpsc::channel(1024);
    let _watch = cluster.watch_pods(&Namespaces::List(vec!["c2a7dv".into()]), sinks::pods(tx));
    until(&mut rx, |m| matches!(m, Msg::PodsRelisted { .. })).await;
    until(
        &mut rx,
        |m| matches!(m, Msg::WatchFailed { error, .. } if error.contains("etcd is restarting")),
    )
    .await;
    until(
        &mut rx,
        |m| matches!(m, Msg::PodsRelisted { keys, .. } if keys.len() == 2),
    )
    .await;
    assert!(
        lists.load(Ordering::SeqCst) >= 2,
        "the second list is a fresh LIST"
    );
    let _ = std::fs::remove_file(&kubeconfig);
}

/// Reads messages until one satisfies `want`; fails after 30 s.
async fn until(rx: &mut mpsc::Receiver<Msg>, want: impl Fn(&Msg) -> bool) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(msg) = rx.recv().await {
            if want(&msg) {
                return;
            }
        }
    })
    .await
    .expect("the expected message in time");
}

/// A cluster larger than one LIST page (2,000 pods): the pages come one after the other with
/// the next one already asked for, so this checks that every pod arrives exactly once, the
/// relist names them all, and the watch after the list goes on from the list's version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_of_several_pages_brings_every_pod_once_then_watches_on() {
    use kube::api::{Api, DeleteParams, ListParams};
    use kube::core::PartialObjectMeta;

    let sim = kterm_sim::start(kterm_sim::SimOpts {
        scenario: kterm_sim::ScenarioChoice::Scale {
            pods: 4_500,
            namespaces: 225,
        },
        ..kterm_sim::SimOpts::default()
    })
    .await
    .expect("start the simulated cluster");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connect");
    let (tx, mut rx) = mpsc::channel(1024);
    let _watch = cluster.watch_pods(&Namespaces::All, sinks::pods(tx));
    let mut applied = Vec::new();
    let mut pages = 0;
    let relisted = loop {
        match recv(&mut rx).await.expect("the watch runs") {
            Msg::PodsApplied { rows, .. } => {
                pages += 1;
                applied.extend(rows.iter().map(|r| r.key()));
            }
            Msg::PodsRelisted { mut keys, .. } => {
                keys.sort();
                break keys;
            }
            other => panic!("unexpected {other:?}"),
        }
    };
    let api: Api<PartialObjectMeta<k8s_openapi::api::core::v1::Pod>> =
        Api::all(cluster.client().clone());
    let listed = api
        .list_metadata(&ListParams::default())
        .await
        .expect("list");
    let mut server: Vec<kterm::kube::pods::PodKey> = listed
        .items
        .iter()
        .map(|p| {
            kterm::kube::pods::PodKey::new(
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    server.sort();
    assert_eq!(server.len(), 4_500);
    assert!(pages >= 3, "{pages} batches for 4,500 pods");
    assert_eq!(applied, server, "every pod once, in the server's order");
    assert_eq!(relisted, server);

    // After the list, the watch: a pod deleted now is seen going.
    let gone = server[1234].clone();
    let pods: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(cluster.client().clone(), &gone.namespace);
    pods.delete(&gone.name, &DeleteParams::default().grace_period(0))
        .await
        .expect("delete");
    loop {
        match recv(&mut rx).await.expect("the watch runs") {
            Msg::PodDeleted { key, .. } if key == gone => break,
            Msg::PodsApplied { .. } | Msg::PodDeleted { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}
