//! The whole loop, headless: a fake cluster, a TestBackend, messages through the channel.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Namespaces;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::{Connection, NamespaceChoice, State};
use kterm::kube::watch::{PodEvent, Sink, WatchEvent, Watched};
use kterm::kube::{Cluster, NamespaceAnswer, WatchHandle};
use kterm::{run_loop, ConnectFuture, Connector};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tokio::sync::mpsc;

use super::fixtures::{now, row};

/// Lists two pods per namespace, then presses `q` (through the loop's channel) so it ends.
struct FakeCluster(mpsc::Sender<Msg>);

impl Cluster for FakeCluster {
    fn context(&self) -> &str {
        "fake"
    }

    fn default_namespace(&self) -> &str {
        "c2a7dv"
    }

    fn watch_pods(&self, namespaces: &Namespaces, sink: Sink<PodEvent>) -> WatchHandle {
        let Namespaces::List(list) = namespaces.clone() else {
            panic!("expected namespaces")
        };
        let tx = self.0.clone();
        let task = tokio::spawn(async move {
            for ns in list {
                let rows = vec![row(&ns, "appserver-0"), row(&ns, "dbaccess-0")];
                let keys = rows.iter().map(|r| r.key()).collect();
                let scope = WatchScope::Namespace(ns);
                send_listed(&sink, scope, rows, keys).await;
            }
            tx.send(Msg::Key(KeyEvent::new(
                KeyCode::Char('j'),
                KeyModifiers::NONE,
            )))
            .await
            .ok();
            tx.send(Msg::Key(KeyEvent::new(
                KeyCode::Char('q'),
                KeyModifiers::NONE,
            )))
            .await
            .ok();
        });
        WatchHandle::new(vec![task.abort_handle()])
    }

    fn list_namespaces(&self, _selector: &str, _sink: Sink<NamespaceAnswer>) -> WatchHandle {
        panic!("these tests name their namespaces")
    }
}

/// Sends a scope's rows and its relist, as a watch's first list does.
async fn send_listed(
    sink: &Sink<PodEvent>,
    scope: WatchScope,
    rows: Vec<kterm::kube::pods::PodRow>,
    keys: Vec<kterm::kube::pods::PodKey>,
) {
    let event = WatchEvent::Applied(rows);
    let scope2 = scope.clone();
    sink.send(Watched { scope, event }).await;
    let event = WatchEvent::Relisted(keys);
    sink.send(Watched {
        scope: scope2,
        event,
    })
    .await;
}

/// A connector answering every context with `result`.
fn connector(
    result: impl Fn() -> Result<Arc<dyn Cluster>, String> + Send + Sync + 'static,
) -> Connector {
    let result = Arc::new(result);
    Arc::new(move |_context| -> ConnectFuture {
        let result = result.clone();
        Box::pin(async move { result() })
    })
}

/// Runs the loop with the connector `connect` builds from the loop's channel.
async fn run(
    connect: impl FnOnce(mpsc::Sender<Msg>) -> Connector,
    choice: NamespaceChoice,
) -> (State, mpsc::Sender<Msg>) {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let (tx, rx) = mpsc::channel(64);
    let connect = connect(tx.clone());
    let state = State::new("fake", choice, now());
    let fut = run_loop(&mut terminal, state, connect, tx.clone(), rx);
    let state = tokio::time::timeout(Duration::from_secs(10), fut)
        .await
        .expect("loop ends")
        .expect("runs");
    (state, tx)
}

#[tokio::test]
async fn connects_watches_and_quits() {
    let connect = |tx: mpsc::Sender<Msg>| {
        connector(move || Ok(Arc::new(FakeCluster(tx.clone())) as Arc<dyn Cluster>))
    };
    let (state, _tx) = run(connect, NamespaceChoice::List(vec!["a".into(), "b".into()])).await;
    assert_eq!(state.cluster.context, "fake");
    assert_eq!(state.cluster.connection, Connection::Live);
    assert_eq!(state.store.rows().len(), 4);
    assert_eq!(
        state.selected_row().map(|r| (&*r.namespace, &*r.name)),
        Some(("a", "dbaccess-0"))
    );
    assert!(state.quitting);
}

#[tokio::test]
async fn failed_connection_keeps_the_ui_up() {
    let connect = connector(|| Err("Cannot use the kubeconfig (missing).".to_string()));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let (tx, rx) = mpsc::channel(64);
    let state = State::new("fake", NamespaceChoice::ContextDefault, now());
    let quitter = tx.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        quitter.send(Msg::Signal("SIGTERM")).await.ok();
    });
    let fut = run_loop(&mut terminal, state, connect, tx, rx);
    let state = tokio::time::timeout(Duration::from_secs(10), fut)
        .await
        .expect("loop ends")
        .expect("runs");
    assert_eq!(
        state.cluster.connection,
        Connection::Failed("Cannot use the kubeconfig (missing).".into())
    );
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("Cannot use the kubeconfig (missing)."),
        "{screen}"
    );
}

/// A cluster that names its one pod after its context; the first one then types `:ctx second`,
/// the second one `q` (through the loop's channel).
struct NamedCluster(String, mpsc::Sender<Msg>);

impl Cluster for NamedCluster {
    fn context(&self) -> &str {
        &self.0
    }

    fn default_namespace(&self) -> &str {
        "ns"
    }

    fn watch_pods(&self, _namespaces: &Namespaces, sink: Sink<PodEvent>) -> WatchHandle {
        let name = self.0.clone();
        let tx = self.1.clone();
        let task = tokio::spawn(async move {
            let rows = vec![row("ns", &format!("from-{name}"))];
            let keys = rows.iter().map(|r| r.key()).collect();
            let scope = WatchScope::Namespace("ns".into());
            send_listed(&sink, scope, rows, keys).await;
            let typed = if name == "first" {
                ":ctx second\r"
            } else {
                "q"
            };
            for c in typed.chars() {
                let code = if c == '\r' {
                    KeyCode::Enter
                } else {
                    KeyCode::Char(c)
                };
                let _ = tx
                    .send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
                    .await;
            }
        });
        WatchHandle::new(vec![task.abort_handle()])
    }

    fn list_namespaces(&self, _selector: &str, _sink: Sink<NamespaceAnswer>) -> WatchHandle {
        panic!("these tests name their namespaces")
    }
}

#[tokio::test]
async fn ctx_reconnects_to_another_context_without_a_restart() {
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = asked.clone();
    let connect = |tx: mpsc::Sender<Msg>| -> Connector {
        Arc::new(move |context: Option<String>| -> ConnectFuture {
            log.lock().expect("log").push(context.clone());
            let name = context.unwrap_or_else(|| "first".into());
            let cluster = NamedCluster(name, tx.clone());
            Box::pin(async move { Ok(Arc::new(cluster) as Arc<dyn Cluster>) })
        })
    };
    let (state, _tx) = run(connect, NamespaceChoice::ContextDefault).await;
    assert_eq!(
        *asked.lock().expect("log"),
        [None, Some("second".to_string())]
    );
    assert_eq!(state.cluster.context, "second");
    let names: Vec<&str> = state.store.rows().values().map(|r| &*r.name).collect();
    assert_eq!(
        names,
        ["from-second"],
        "no pod of the first cluster is left"
    );
    assert_eq!(state.cluster.connection, Connection::Live);
}
