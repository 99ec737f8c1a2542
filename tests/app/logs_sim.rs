//! `follow_pod` against kterm-sim: the restart marker after an OOM kill, reconnection after cut
//! streams without a duplicated or lost line, the previous container (as kubectl prints it), a
//! pod deleted while followed, and the container picker.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kterm::kube::fetch::ObjectRef;
use kterm::kube::logs::lines::Splitter;
use kterm::kube::logs::{
    follow_pod, ContainerInfo, ContainerRole, Containers, LogEvent, LogQuery, LogRequest,
};
use kterm::kube::watch::Sink;
use kterm::kube::{Cluster, KubeCluster};
use kterm_sim::{SimHandle, SimOpts};
use kube::api::{DeleteParams, ListParams, PostParams};
use kube::Api;
use serde_json::{json, Value};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use tokio::task::JoinHandle;

use super::fixtures::{kubectl, pod_name};

async fn connect() -> (SimHandle, Arc<KubeCluster>) {
    let sim = kterm_sim::start(SimOpts::default())
        .await
        .expect("simulator starts");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connects");
    (sim, Arc::new(cluster))
}

fn request(namespace: &str, pod: &str, containers: Containers) -> LogRequest {
    LogRequest {
        namespace: namespace.into(),
        pod: pod.into(),
        containers,
        tail: None,
        since_seconds: None,
        previous: false,
    }
}

/// Runs `follow_pod` in a task; its events arrive on the receiver.
fn follow(
    cluster: &Arc<KubeCluster>,
    request: LogRequest,
) -> (UnboundedReceiver<LogEvent>, JoinHandle<()>) {
    let (tx, rx) = unbounded_channel();
    let sink = Sink::new(move |event| {
        let sent = tx.send(event).is_ok();
        Box::pin(async move { sent })
    });
    let cluster: Arc<dyn Cluster> = cluster.clone();
    (rx, tokio::spawn(follow_pod(cluster, request, sink)))
}

/// The next event, or a panic naming `what` once `deadline` passed.
async fn next(rx: &mut UnboundedReceiver<LogEvent>, deadline: Instant, what: &str) -> LogEvent {
    let left = deadline.saturating_duration_since(Instant::now());
    match tokio::time::timeout(left, rx.recv()).await {
        Ok(Some(event)) => event,
        Ok(None) => panic!("the stream ended before {what}"),
        Err(_) => panic!("timed out waiting for {what}"),
    }
}

/// Every event until the stream ends (the task finishes and drops its sink).
async fn all(
    mut rx: UnboundedReceiver<LogEvent>,
    task: JoinHandle<()>,
    secs: u64,
) -> Vec<LogEvent> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut events = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Some(event)) => events.push(event),
            Ok(None) => break,
            Err(_) => panic!("the stream did not end: {events:?}"),
        }
    }
    task.await.expect("the follow task ends cleanly");
    events
}

fn lines(events: &[LogEvent]) -> Vec<(i64, String)> {
    events
        .iter()
        .flat_map(|e| match e {
            LogEvent::Lines(b) => b.lines().map(|(t, s)| (t, s.to_string())).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The container's whole current log, read in one piece with timestamps.
async fn whole_log(
    cluster: &KubeCluster,
    ns: &str,
    pod: &str,
    container: &str,
) -> Vec<(i64, String)> {
    let query = LogQuery {
        container: container.into(),
        ..LogQuery::default()
    };
    let mut bytes = cluster.pod_logs(ns, pod, query).await.expect("log opens");
    let mut splitter = Splitter::new(container.into(), None);
    let mut out = Vec::new();
    while let Some(chunk) = bytes.next().await {
        let batch = splitter.feed(&chunk.expect("log reads"));
        out.extend(batch.lines().map(|(t, s)| (t, s.to_string())));
    }
    out.extend(splitter.finish().lines().map(|(t, s)| (t, s.to_string())));
    out
}

/// Creates a one-container pod in `default` with `annotations` and waits until it runs.
async fn running_pod(cluster: &KubeCluster, name: &str, annotations: Value) -> Value {
    let pods: Api<Pod> = Api::namespaced(cluster.client().clone(), "default");
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": name, "annotations": annotations},
        "spec": {"containers": [{"name": "appserver", "image": "registry.example/appserver:1"}]}
    }))
    .expect("a pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("created");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pod = cluster
            .get_object(&ObjectRef::pod("default", name))
            .await
            .expect("pod read");
        if pod
            .pointer("/status/containerStatuses/0/state/running")
            .is_some()
        {
            return pod;
        }
        assert!(Instant::now() < deadline, "pod {name} never ran: {pod}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// POSTs to the simulator's admin endpoint through the cluster's own client.
async fn admin(cluster: &KubeCluster, path: &str, body: Value) -> Value {
    let post = kube::core::Request::new(format!("/_sim/{path}"))
        .create(&PostParams::default(), body.to_string().into_bytes())
        .expect("a request");
    let text = cluster
        .client()
        .request_text(post)
        .await
        .expect("admin answers");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oom_kill_gives_a_marker_then_the_new_instance_from_its_first_line() {
    let (sim, cluster) = connect().await;
    let annotations = json!({"sim.kterm.io/behavior": "oom", "sim.kterm.io/oom-seconds": "5"});
    running_pod(&cluster, "oomer", annotations).await;
    let mut req = request("default", "oomer", Containers::Default);
    // The tail applies to the first instance only; the new one is read whole.
    req.tail = Some(2);
    let (mut rx, task) = follow(&cluster, req);
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut before = Vec::new();
    let marker = loop {
        match next(&mut rx, deadline, "the restart marker").await {
            LogEvent::Lines(b) => before.extend(b.lines().map(|(t, _)| t)),
            LogEvent::Marker { text, .. } => break text,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(marker, "container appserver restarted: OOMKilled, exit 137");
    assert!(!before.is_empty(), "the first instance printed lines");
    // The restart back-off is said while it lasts; then the new instance's lines come.
    let first_after = loop {
        match next(&mut rx, deadline, "lines of the new instance").await {
            LogEvent::Lines(b) => break b.lines().next().map(|(t, s)| (t, s.to_string())),
            LogEvent::Marker { text, .. }
                if text.starts_with(
                    "container appserver is waiting to run again: CrashLoopBackOff",
                ) => {}
            other => panic!("unexpected {other:?} after the marker"),
        }
    };
    task.abort();
    // The new instance is read from its first line: the same one a plain read of it starts with.
    let current = whole_log(&cluster, "default", "oomer", "appserver").await;
    assert_eq!(first_after, current.first().cloned());
    let pod = cluster
        .get_object(&ObjectRef::pod("default", "oomer"))
        .await
        .expect("pod read");
    assert_eq!(pod["status"]["containerStatuses"][0]["restartCount"], 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_streams_reconnect_without_a_duplicated_or_lost_line() {
    let (sim, cluster) = connect().await;
    // Thirty lines 20 ms apart every second: many lines per second, several in one second.
    let burst: Vec<String> = (1..=30).map(|i| format!("burst line {i:02}")).collect();
    let annotations = json!({
        "sim.kterm.io/log-lines": burst.join("\n"),
        "sim.kterm.io/log-lines-every": "1",
    });
    running_pod(&cluster, "chatty", annotations).await;
    let mut req = request("default", "chatty", Containers::Default);
    req.tail = Some(5);
    let (mut rx, task) = follow(&cluster, req);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut collected = Vec::new();
    let mut markers = Vec::new();
    // Two cuts, each after some lines arrived, then lines after the last reconnection.
    for goal in [40, 100, 160] {
        while collected.len() < goal {
            match next(&mut rx, deadline, "more lines").await {
                LogEvent::Lines(b) => collected.extend(b.lines().map(|(t, s)| (t, s.to_string()))),
                LogEvent::Marker { text, .. } => markers.push(text),
                other => panic!("unexpected {other:?}"),
            }
        }
        if goal < 160 {
            admin(&cluster, "faults", json!({"cutLogs": true})).await;
        }
    }
    task.abort();
    // Each cut is said (and that nothing was missed once back); no other marker.
    for text in &markers {
        assert!(
            text.to_lowercase().contains("log connection"),
            "{markers:?}"
        );
    }
    let broke = markers.iter().filter(|m| m.contains("broke")).count();
    assert_eq!(broke, 2, "each cut gets a marker: {markers:?}");
    let follows = admin_requests(&cluster)
        .await
        .iter()
        .filter(|r| {
            r["path"] == "/api/v1/namespaces/default/pods/chatty/log"
                && r["query"]
                    .as_str()
                    .is_some_and(|q| q.contains("follow=true"))
        })
        .count();
    assert!(
        follows >= 3,
        "the stream was opened {follows} times, not reopened after each cut"
    );

    let (first, last) = (collected[0].0, collected[collected.len() - 1].0);
    let whole: Vec<(i64, String)> = whole_log(&cluster, "default", "chatty", "appserver")
        .await
        .into_iter()
        .filter(|(t, _)| (first..=last).contains(t))
        .collect();
    assert_eq!(collected.len(), whole.len(), "lines duplicated or lost");
    for (i, (got, want)) in collected.iter().zip(&whole).enumerate() {
        assert_eq!(got, want, "line {i} of {}", whole.len());
    }
    sim.shutdown().await;
}

/// The simulator's request log.
async fn admin_requests(cluster: &KubeCluster) -> Vec<Value> {
    let get = kube::core::Request::new("/_sim/requests")
        .list(&ListParams::default())
        .expect("a request");
    let text = cluster
        .client()
        .request_text(get)
        .await
        .expect("admin answers");
    let log: Value = serde_json::from_str(&text).expect("JSON");
    log["requests"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previous_gives_the_lines_kubectl_prints_or_one_sentence() {
    let (sim, cluster) = connect().await;
    let crashing = pod_name(&cluster, "m8q3rx", "app=rest,env=production").await;
    let mut req = request("m8q3rx", &crashing, Containers::Default);
    req.previous = true;
    let (rx, task) = follow(&cluster, req);
    let events = all(rx, task, 20).await;
    assert!(
        events.iter().all(|e| matches!(e, LogEvent::Lines(_))),
        "{events:?}"
    );
    let texts: Vec<String> = lines(&events).into_iter().map(|(_, s)| s).collect();
    assert!(texts.len() > 3, "{texts:?}");
    if let Some(bin) = kubectl() {
        let out = std::process::Command::new(bin)
            .args(["logs", "-p", "-n", "m8q3rx", &crashing])
            .env("KUBECONFIG", sim.kubeconfig())
            .output()
            .expect("kubectl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(texts, printed);
    }

    let healthy = pod_name(&cluster, "r2g5mu", "app=lockserver,env=production").await;
    let mut req = request("r2g5mu", &healthy, Containers::Default);
    req.previous = true;
    let (rx, task) = follow(&cluster, req);
    let events = all(rx, task, 20).await;
    match events.as_slice() {
        [LogEvent::Failed(sentence)] => {
            assert!(sentence.contains("there is no previous log"), "{sentence}")
        }
        other => panic!("one Failed sentence, not {other:?}"),
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_deleted_while_followed_gives_a_marker_and_the_stream_ends() {
    let (sim, cluster) = connect().await;
    running_pod(&cluster, "doomed", json!({})).await;
    let (mut rx, task) = follow(&cluster, request("default", "doomed", Containers::Default));
    let deadline = Instant::now() + Duration::from_secs(20);
    // Following has begun once the history arrived.
    while !matches!(
        next(&mut rx, deadline, "the history").await,
        LogEvent::Lines(_)
    ) {}
    let pods: Api<Pod> = Api::namespaced(cluster.client().clone(), "default");
    pods.delete("doomed", &DeleteParams::default())
        .await
        .expect("deleted");
    let events = all(rx, task, 30).await;
    let markers: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            LogEvent::Marker { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(markers, ["pod doomed is gone"], "{events:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_containers_without_a_default_ask_with_every_one() {
    let (sim, cluster) = connect().await;
    let pods: Api<Pod> = Api::namespaced(cluster.client().clone(), "default");
    let image = "registry.example/app:1";
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "multi"},
        "spec": {
            "initContainers": [
                {"name": "wait-db", "image": image},
                {"name": "shipper", "image": image, "restartPolicy": "Always"}
            ],
            "containers": [{"name": "appserver", "image": image}, {"name": "exporter", "image": image}]
        }
    }))
    .expect("a pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("created");
    let (rx, task) = follow(&cluster, request("default", "multi", Containers::Default));
    let events = all(rx, task, 20).await;
    let info = |name: &str, role| ContainerInfo {
        name: name.into(),
        role,
    };
    assert_eq!(
        events,
        [LogEvent::Choose(vec![
            info("wait-db", ContainerRole::Init),
            info("shipper", ContainerRole::Sidecar),
            info("appserver", ContainerRole::Regular),
            info("exporter", ContainerRole::Regular),
        ])]
    );
    sim.shutdown().await;
}

/// Found by hand: a log opened while its container waits in CrashLoopBackOff shows the dead
/// run; when the next run starts, a marker must come before its lines, whatever the restart
/// count did meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_opened_during_a_back_off_marks_where_the_next_run_starts() {
    let (sim, cluster) = connect().await;
    let annotations = json!({"sim.kterm.io/behavior": "oom", "sim.kterm.io/oom-seconds": "5"});
    running_pod(&cluster, "waiter", annotations).await;
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let pod = cluster
            .get_object(&ObjectRef::pod("default", "waiter"))
            .await
            .expect("pod read");
        if pod
            .pointer("/status/containerStatuses/0/state/waiting")
            .is_some()
        {
            break;
        }
        assert!(Instant::now() < deadline, "never backed off: {pod}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (mut rx, task) = follow(&cluster, request("default", "waiter", Containers::Default));
    let mut dead_run = 0;
    let marker = loop {
        match next(&mut rx, deadline, "the restart marker").await {
            LogEvent::Lines(b) => dead_run += b.len(),
            LogEvent::Marker { text, .. } if text.contains("is waiting to run again") => {}
            LogEvent::Marker { text, .. } => break text,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(dead_run > 0, "the dead run's log is shown first");
    assert_eq!(marker, "container appserver restarted: OOMKilled, exit 137");
    match next(&mut rx, deadline, "the next run's lines").await {
        LogEvent::Lines(b) => assert!(!b.is_empty()),
        other => panic!("unexpected {other:?} after the marker"),
    }
    task.abort();
    sim.shutdown().await;
}
