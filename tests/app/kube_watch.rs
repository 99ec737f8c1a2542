//! The real kube-rs path (kubeconfig → client → watcher → slim pods → Msgs) against a
//! minimal hand-written API server, until the simulator can stand in for it.

use std::time::Duration;

use kterm::app::effect::Namespaces;
use kterm::app::msg::{Msg, WatchScope};
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
    let _watch = cluster.watch_pods(&Namespaces::List(vec!["c2a7dv".into()]), tx);
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
