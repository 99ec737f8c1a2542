//! The loop: one channel of `Msg`s fed by input, watches, signals and a 1 s tick; `update`;
//! effects; and a render only when something changed, at most ~30 times a second.

use std::fmt::Display;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::future::OptionFuture;
use futures::StreamExt;
use ratatui::backend::Backend;
use ratatui::Terminal;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::app::effect::Effect;
use crate::app::fetcher::Fetcher;
use crate::app::msg::Msg;
use crate::app::sinks;
use crate::app::state::{NamespaceChoice, State};
use crate::app::update::update;
use crate::config::Config;
use crate::kube::{Cluster, KubeCluster, WatchHandle};
use crate::term::{self, TerminalGuard};
use crate::ui;

/// Shortest time between two frames (~30 fps): bursts of watch events coalesce into one frame.
const FRAME: Duration = Duration::from_millis(33);
/// Messages handled before the loop checks whether a frame is due.
const DRAIN: usize = 1024;
/// Bounded, so a flood of watch events slows the watchers instead of growing memory.
const CHANNEL: usize = 1024;

/// Builds the cluster client; its error is the one sentence shown to the user.
pub type ConnectFuture = Pin<Box<dyn Future<Output = Result<Arc<dyn Cluster>, String>> + Send>>;

/// Builds a client for a context (`None`: the one asked for at start); called again by `:ctx`.
pub type Connector = Arc<dyn Fn(Option<String>) -> ConnectFuture + Send + Sync>;

/// What to connect to and what to watch.
#[derive(Clone, Debug, Default)]
pub struct RunOpts {
    /// Kubeconfig file; default: kubectl's lookup ($KUBECONFIG, ~/.kube/config).
    pub kubeconfig: Option<PathBuf>,
    /// Context; default: the kubeconfig's current context.
    pub context: Option<String>,
    /// Namespaces to watch.
    pub namespaces: NamespaceChoice,
}

/// Why the app could not run.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The terminal could not be set up.
    #[error("Cannot set up the terminal ({0}); run kterm in an interactive terminal.")]
    Terminal(#[from] io::Error),
    /// Drawing failed.
    #[error("Cannot draw on the terminal ({0}).")]
    Draw(String),
}

/// Runs kterm on the real terminal until the user quits or a signal arrives.
pub async fn run(opts: RunOpts) -> Result<(), RuntimeError> {
    let label = opts
        .context
        .clone()
        .unwrap_or_else(|| "current context".to_string());
    // Config is read once, before the terminal is taken; a bad file only costs a sentence.
    let config = Config::load();
    let choice = opts.namespaces.clone().or_settings(&config.settings);
    let mut state = State::new(label, choice, Utc::now());
    state.tenants = config.settings.tenants.clone();
    state.favourites = crate::config::paths::read_favourites();
    state.keymap = Arc::new(config.keymap);
    state.theme = Arc::new(config.theme);
    if !config.errors.is_empty() {
        let sentences: Vec<String> = config.errors.iter().map(|e| e.to_string()).collect();
        state.message = Some(format!("{} (using the presets)", sentences.join("; ")));
    }
    state.contexts = context_names(opts.kubeconfig.as_deref());
    let connector: Connector = Arc::new(move |context: Option<String>| {
        let kubeconfig = opts.kubeconfig.clone();
        let context = context.or_else(|| opts.context.clone());
        Box::pin(async move {
            let cluster = KubeCluster::connect(kubeconfig.as_deref(), context.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            Ok(Arc::new(cluster) as Arc<dyn Cluster>)
        })
    });
    let (tx, rx) = mpsc::channel(CHANNEL);
    let (guard, mut terminal) = TerminalGuard::enter()?;
    let size = terminal.size()?;
    let _ = tx.try_send(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let tasks = [
        tokio::spawn(read_input(tx.clone())),
        tokio::spawn(tick(tx.clone())),
        tokio::spawn(watch_signals(tx.clone())),
    ];
    let result = run_loop(&mut terminal, state, connector, tx, rx).await;
    for task in tasks {
        task.abort();
    }
    drop(guard);
    result.map(|_| ())
}

/// The loop itself, on any backend: tests run it on a `TestBackend` with a fake cluster and
/// feed `Msg`s through `tx`. Returns the final state.
pub async fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    mut state: State,
    connector: Connector,
    tx: mpsc::Sender<Msg>,
    mut rx: mpsc::Receiver<Msg>,
) -> Result<State, RuntimeError>
where
    B::Error: Display,
{
    let mut connect = Some(connector(None));
    let mut ctx = Ctx {
        key_pending: false,
        connector,
        reconnect: None,
        cluster: None,
        pod_watch: None,
        namespace_list: None,
        fetcher: Fetcher::default(),
        resource_watch: None,
        tx,
        quit: false,
    };
    let mut drawn = 0u64;
    let mut last_draw: Option<Instant> = None;
    while !ctx.quit {
        // The limiter coalesces bursts of watch events; a key is answered at once, so a frame
        // drawn for a tick or an event just before it never delays the user's echo.
        let due = ctx.key_pending || last_draw.is_none_or(|t| t.elapsed() >= FRAME);
        if state.revision != drawn && due {
            terminal
                .draw(|frame| ui::render(frame, &state))
                .map_err(|e| RuntimeError::Draw(e.to_string()))?;
            drawn = state.revision;
            last_draw = Some(Instant::now());
        }
        ctx.key_pending = false;
        let next_frame = last_draw.map_or_else(Instant::now, |t| t + FRAME);
        tokio::select! {
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                ctx.dispatch(&mut state, msg);
                for _ in 0..DRAIN {
                    if ctx.quit {
                        break;
                    }
                    match rx.try_recv() {
                        Ok(msg) => ctx.dispatch(&mut state, msg),
                        Err(_) => break,
                    }
                }
            }
            Some(result) = OptionFuture::from(connect.as_mut()), if connect.is_some() => {
                connect = None;
                let msg = match result {
                    Ok(cluster) => {
                        let msg = Msg::Connected {
                            context: cluster.context().to_string(),
                            default_namespace: cluster.default_namespace().to_string(),
                        };
                        ctx.cluster = Some(cluster);
                        msg
                    }
                    Err(sentence) => Msg::ConnectionFailed(sentence),
                };
                ctx.dispatch(&mut state, msg);
            }
            () = tokio::time::sleep_until(next_frame), if state.revision != drawn => {}
        }
        // A context switch replaces any connection still being built.
        if let Some(future) = ctx.reconnect.take() {
            connect = Some(future);
        }
    }
    Ok(state)
}

/// What the effects act on.
struct Ctx {
    /// A key (or resize) arrived since the last frame: draw without waiting for the limiter.
    key_pending: bool,
    connector: Connector,
    /// A client being built for a context switch, taken by the loop.
    reconnect: Option<ConnectFuture>,
    cluster: Option<Arc<dyn Cluster>>,
    /// Dropping it aborts the watches, so at most one set runs.
    pod_watch: Option<WatchHandle>,
    /// The tenant-selector lookup in flight, if any.
    namespace_list: Option<WatchHandle>,
    /// Object fetches for the YAML/describe view and the detail pane.
    fetcher: Fetcher,
    /// The one resource-list watch; replaced, never added to.
    resource_watch: Option<WatchHandle>,
    tx: mpsc::Sender<Msg>,
    quit: bool,
}

impl Ctx {
    fn dispatch(&mut self, state: &mut State, msg: Msg) {
        self.key_pending |= matches!(msg, Msg::Key(_) | Msg::Resize { .. });
        for effect in update(state, msg) {
            match effect {
                Effect::StartPodWatch { namespaces } => {
                    self.pod_watch = None;
                    if let Some(cluster) = &self.cluster {
                        let sink = sinks::pods(self.tx.clone());
                        self.pod_watch = Some(cluster.watch_pods(&namespaces, sink));
                    }
                }
                Effect::ListNamespaces { selector } => {
                    if let Some(cluster) = &self.cluster {
                        let sink = sinks::namespaces(self.tx.clone());
                        self.namespace_list = Some(cluster.list_namespaces(&selector, sink));
                    }
                }
                Effect::SwitchContext { context } => {
                    // Old watches must not feed rows of the previous cluster into the new view.
                    self.pod_watch = None;
                    self.namespace_list = None;
                    self.resource_watch = None;
                    self.cluster = None;
                    self.reconnect = Some((self.connector)(Some(context)));
                }
                Effect::SaveFavourites { favourites } => {
                    if let Err(error) = crate::config::paths::write_favourites(&favourites) {
                        tracing::warn!(%error, "cannot save the favourite tenants");
                        let _ = self.tx.try_send(Msg::Noted(format!(
                            "Cannot save the favourites ({error}); they last until you quit."
                        )));
                    }
                }
                Effect::FetchObject {
                    id,
                    purpose,
                    target,
                } => {
                    let cluster = self.cluster.clone();
                    self.fetcher
                        .start(cluster, self.tx.clone(), id, purpose, target);
                }
                Effect::WatchResources(watch) => {
                    self.resource_watch = None;
                    if let (Some(cluster), Some(w)) = (&self.cluster, watch) {
                        let sink = sinks::resources(self.tx.clone());
                        let handle = cluster.watch_resources(w.kind, &w.namespaces, sink);
                        self.resource_watch = Some(handle);
                    }
                }
                Effect::Quit => self.quit = true,
            }
        }
    }
}

async fn read_input(tx: mpsc::Sender<Msg>) {
    let mut events = EventStream::new();
    while let Some(event) = events.next().await {
        let msg = match event {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Msg::Key(key),
            Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
            Ok(_) => continue,
            Err(error) => {
                tracing::warn!(%error, "terminal input failed");
                break;
            }
        };
        if tx.send(msg).await.is_err() {
            return;
        }
    }
    let _ = tx.send(Msg::InputClosed).await;
}

async fn tick(tx: mpsc::Sender<Msg>) {
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        interval.tick().await;
        if tx.send(Msg::Tick(Utc::now())).await.is_err() {
            return;
        }
    }
}

/// SIGTERM/SIGINT/SIGHUP end the app through the loop; if the loop has not finished a second
/// later (e.g. writes to a dropped SSH session block), the process leaves anyway so it never
/// lingers on a bastion.
async fn watch_signals(tx: mpsc::Sender<Msg>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term_sig), Ok(mut int_sig), Ok(mut hup_sig)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("cannot install signal handlers");
        return;
    };
    let name = tokio::select! {
        _ = term_sig.recv() => "SIGTERM",
        _ = int_sig.recv() => "SIGINT",
        _ = hup_sig.recv() => "SIGHUP",
    };
    tracing::info!(signal = name, "quitting on signal");
    let deadline = Duration::from_secs(1);
    let _ = tokio::time::timeout(deadline / 2, tx.send(Msg::Signal(name))).await;
    tokio::time::sleep(deadline / 2).await;
    tracing::warn!(signal = name, "loop did not end in time; exiting");
    term::restore();
    std::process::exit(1);
}

/// The kubeconfig's context names, for `:ctx`; empty when it cannot be read (connecting will
/// say why).
fn context_names(kubeconfig: Option<&std::path::Path>) -> Vec<String> {
    let file = match kubeconfig {
        Some(path) => ::kube::config::Kubeconfig::read_from(path),
        None => ::kube::config::Kubeconfig::read(),
    };
    file.map(|f| f.contexts.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}
