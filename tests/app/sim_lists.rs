//! Headless against the simulator: `:deploy` (and every other kind) opens a real list through
//! kube-rs watches, and each list's cells match the server's own Table, i.e. kube-apiserver's
//! printers that `kubectl get` prints (the simulator's are checked against real kubectl).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use kterm::app::effect::Effect;
use kterm::app::msg::Msg;
use kterm::app::sinks;
use kterm::app::state::{NamespaceChoice, State};
use kterm::app::update::update;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::{Cluster, KubeCluster, WatchHandle};
use kube::api::ListParams;
use kube::Client;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::Value;
use tokio::sync::mpsc;

use super::commands::command;

/// Columns whose cells are ages: they differ by the second between two reads.
const TIMES: [&str; 4] = ["AGE", "LAST SEEN", "LAST SCHEDULE", "DURATION"];

/// The server's Table for `path`: (headers of the default columns, rows by namespace/name).
async fn server_table(client: &Client, path: &str) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let mut request = kube::core::Request::new(path)
        .list(&ListParams::default())
        .expect("request");
    let accept = "application/json;as=Table;v=v1;g=meta.k8s.io";
    request
        .headers_mut()
        .insert("accept", accept.parse().expect("header value"));
    let table: Value = client.request(request).await.expect("a Table");
    let default: Vec<usize> = table["columnDefinitions"]
        .as_array()
        .expect("columns")
        .iter()
        .enumerate()
        .filter(|(_, c)| c["priority"] == 0)
        .map(|(i, _)| i)
        .collect();
    let headers = default
        .iter()
        .map(|i| {
            table["columnDefinitions"][i]["name"]
                .as_str()
                .unwrap_or_default()
                .to_uppercase()
        })
        .collect();
    let mut rows = BTreeMap::new();
    for row in table["rows"].as_array().expect("rows") {
        let meta = &row["object"]["metadata"];
        let key = format!(
            "{}/{}",
            meta["namespace"].as_str().unwrap_or_default(),
            meta["name"].as_str().unwrap_or_default()
        );
        let cells = default
            .iter()
            .map(|i| match &row["cells"][i] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        rows.insert(key, cells);
    }
    (headers, rows)
}

fn path(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Deployment => "/apis/apps/v1/deployments",
        ResourceKind::StatefulSet => "/apis/apps/v1/statefulsets",
        ResourceKind::Job => "/apis/batch/v1/jobs",
        ResourceKind::CronJob => "/apis/batch/v1/cronjobs",
        ResourceKind::Service => "/api/v1/services",
        ResourceKind::Event => "/api/v1/events",
        ResourceKind::Namespace => "/api/v1/namespaces",
        ResourceKind::Node => "/api/v1/nodes",
        ResourceKind::Pod => "/api/v1/pods",
    }
}

struct Harness {
    state: State,
    cluster: KubeCluster,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
    watch: Option<WatchHandle>,
}

impl Harness {
    /// Runs `effects` the way the runtime does (the pod watch is not needed here).
    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            if let Effect::WatchResources(watch) = effect {
                self.watch = None;
                self.watch = watch.map(|w| {
                    self.cluster.watch_resources(
                        w.kind,
                        &w.namespaces,
                        sinks::resources(self.tx.clone()),
                    )
                });
            }
        }
    }

    /// Feeds watch messages into `update` until the shown list has listed.
    async fn until_listed(&mut self) {
        while self
            .state
            .top_resources()
            .is_none_or(|v| !v.pending.is_empty())
        {
            let msg = tokio::time::timeout(Duration::from_secs(20), self.rx.recv())
                .await
                .expect("the list arrives")
                .expect("channel open");
            let effects = update(&mut self.state, msg);
            self.run(effects);
        }
    }

    /// Feeds whatever arrived meanwhile (rows that changed since the list).
    fn drain(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            let effects = update(&mut self.state, msg);
            self.run(effects);
        }
    }

    /// The shown list as text rows by namespace/name.
    fn rows(&self) -> BTreeMap<String, Vec<String>> {
        let view = self.state.top_resources().expect("a list");
        let now = Utc::now();
        view.visible_rows(usize::MAX)
            .map(|r| {
                let cells = (0..r.cells.len())
                    .map(|i| r.cell_text(i, now).into_owned())
                    .collect();
                (format!("{}/{}", r.namespace, r.name), cells)
            })
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_lists_match_the_servers_tables() {
    let sim = kterm_sim::start(kterm_sim::SimOpts::default())
        .await
        .expect("start the simulated cluster");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connect");
    let client = cluster.client().clone();
    let (tx, rx) = mpsc::channel(1024);
    let mut h = Harness {
        state: State::new("sim", NamespaceChoice::All, Utc::now()),
        cluster,
        tx,
        rx,
        watch: None,
    };
    let effects = update(
        &mut h.state,
        Msg::Connected {
            context: "sim".into(),
            default_namespace: "default".into(),
        },
    );
    h.run(effects);

    // `:deploy` in a 120×40 terminal shows the demo's deployments under kubectl's headers.
    let effects = command(&mut h.state, "deploy");
    h.run(effects);
    h.until_listed().await;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    terminal
        .draw(|f| kterm::ui::render(f, &h.state))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let line = |y: u16| -> String { (0..120).map(|x| buffer[(x, y)].symbol()).collect() };
    let header: Vec<String> = line(0).split_whitespace().map(String::from).collect();
    assert_eq!(
        header,
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE"
        ]
    );
    let rows = h.rows();
    assert!(rows.contains_key("t4k9pz/appserver-prd"), "{rows:?}");
    assert!(rows.contains_key("kong/kong"), "{rows:?}");
    assert!(line(39).contains(&format!("{} deployments", rows.len())));

    for kind in [
        ResourceKind::Deployment,
        ResourceKind::StatefulSet,
        ResourceKind::Job,
        ResourceKind::CronJob,
        ResourceKind::Service,
        ResourceKind::Event,
        ResourceKind::Namespace,
        ResourceKind::Node,
    ] {
        let effects = command(&mut h.state, kind.short());
        h.run(effects);
        h.until_listed().await;
        if kind == ResourceKind::Event {
            // kubectl's table has a row per event: the grouped view (kterm's own) off.
            update(
                &mut h.state,
                super::commands::code(crossterm::event::KeyCode::Char('=')),
            );
        }
        let ours_headers = kterm::kube::resources::columns(kind).headers;
        // Pods change under a live cluster (an OOM-killed replica is unready for a while):
        // compare again after catching up before calling it a difference.
        let mut attempt = 0;
        loop {
            let (headers, theirs) = server_table(&client, path(kind)).await;
            assert_eq!(headers, ours_headers, "{kind:?} columns");
            h.drain();
            let ours = h.rows();
            let differences: Vec<String> = theirs
                .iter()
                .filter(|(key, _)| kind != ResourceKind::Event || ours.contains_key(*key))
                .filter_map(|(key, cells)| {
                    let mine = ours.get(key);
                    let same = mine.is_some_and(|mine| {
                        headers.iter().enumerate().all(|(i, h)| {
                            TIMES.contains(&h.as_str()) || mine.get(i) == cells.get(i)
                        })
                    });
                    (!same).then(|| format!("{key}: server {cells:?}, kterm {mine:?}"))
                })
                .collect();
            // Events only start a few seconds after the (back-dated) scenario loads.
            if differences.is_empty() && !ours.is_empty() {
                break;
            }
            attempt += 1;
            assert!(
                attempt < 50,
                "{kind:?} differs or is empty:\n{}",
                differences.join("\n")
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    drop(h);
    drop(sim);
}
