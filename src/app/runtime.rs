//! The loop: one channel of `Msg`s fed by input, watches, signals and a 1 s tick; `update`;
//! effects; and a render only when something changed, at most ~30 times a second.

use std::fmt::Display;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::future::{BoxFuture, OptionFuture};
use ratatui::backend::Backend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::app::background;
use crate::app::effects::Ctx;
use crate::app::msg::{ChildExit, Msg};
use crate::app::passthrough::{self, SessionEnd};
use crate::app::shell::{self, ShellProblem};
use crate::app::state::{NamespaceChoice, State};
use crate::app::tasks::TaskSet;
use crate::app::terminal::{child_exit, spawn_child, TerminalHandle};
use crate::config::Config;
use crate::kube::{Cluster, KubeCluster};
use crate::term::{self, TerminalGuard};
use crate::ui;

/// Shortest time between two frames (~30 fps): bursts of watch events coalesce into one frame.
const FRAME: Duration = Duration::from_millis(33);
/// Messages handled before the loop checks whether a frame is due.
const DRAIN: usize = 1024;
/// Bounded, so a flood of watch events slows the watchers instead of growing memory.
const CHANNEL: usize = 1024;

pub use crate::app::effects::{ConnectFuture, Connector};

/// What to connect to and what to watch.
#[derive(Clone, Debug, Default)]
pub struct RunOpts {
    /// Kubeconfig file; default: kubectl's lookup ($KUBECONFIG, ~/.kube/config).
    pub kubeconfig: Option<PathBuf>,
    /// Context; default: the kubeconfig's current context.
    pub context: Option<String>,
    /// Namespaces to watch.
    pub namespaces: NamespaceChoice,
    /// `--readonly`: no mutation is offered or carried out.
    pub readonly: bool,
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

/// Runs kterm on the real terminal until the user quits or a signal arrives; returns the
/// signal's number when one ended it.
pub async fn run(opts: RunOpts) -> Result<Option<i32>, RuntimeError> {
    let label = opts
        .context
        .clone()
        .unwrap_or_else(|| "current context".to_string());
    // Config is read once, before the terminal is taken; a bad file only costs a sentence.
    let config = Config::load();
    let choice = opts.namespaces.clone().or_settings(&config.settings);
    let mut state = State::new(label, choice, Utc::now());
    state.tenants = config.settings.tenants.clone();
    state.log_settings = config.settings.logs;
    state.metrics = crate::app::metrics::Metrics::new(config.settings.metrics.clone());
    state.audit_settings = config.settings.audit.clone();
    state.shell_settings = config.settings.shell.clone();
    state.alert_bell = config.settings.alerts.bell;
    state.readonly = crate::app::state::ReadOnly {
        flag: opts.readonly,
        config: config.settings.readonly,
        contexts: config
            .settings
            .contexts
            .iter()
            .filter(|(_, c)| c.readonly)
            .map(|(name, _)| name.clone())
            .collect(),
    };
    state.favourites = crate::config::paths::read_favourites();
    state.clipboard =
        crate::app::clipboard::choose(config.settings.clipboard, |name| std::env::var(name).ok());
    term::set_mouse(config.settings.mouse);
    state.keymap = Arc::new(config.keymap);
    state.theme = Arc::new(config.theme);
    if !config.errors.is_empty() {
        let sentences: Vec<String> = config.errors.iter().map(|e| e.to_string()).collect();
        state.message = Some(format!("{} (using the presets)", sentences.join("; ")));
    }
    state.contexts = background::context_names(opts.kubeconfig.as_deref());
    // Several tenants land on the overview. The e2e suite's older tests start on the pod table
    // with the test hook KTERM_START_VIEW=pods, as a person would by pressing esc.
    if std::env::var("KTERM_START_VIEW").as_deref() != Ok("pods") {
        crate::app::update::overview::land(&mut state);
    }
    let connector: Connector = Arc::new(move |context: Option<String>| {
        let kubeconfig = opts.kubeconfig.clone();
        let context = context.or_else(|| opts.context.clone());
        Box::pin(async move {
            let cluster = KubeCluster::connect(kubeconfig.as_deref(), context.as_deref())
                .await
                .map_err(|e| crate::sanitize::sanitize_owned(e.to_string()))?;
            background::debug_panic_after_connect();
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
    let mut handle = TerminalHandle::start(tx.clone());
    let tasks = [
        tokio::spawn(background::tick(tx.clone())),
        tokio::spawn(background::watch_signals(tx.clone())),
    ];
    let result = drive(&mut terminal, Some(&mut handle), state, connector, tx, rx).await;
    for task in tasks {
        task.abort();
    }
    drop(handle);
    drop(guard);
    result?;
    Ok(background::exit_signal())
}

/// The loop itself, on any backend: tests run it on a `TestBackend` with a fake cluster and
/// feed `Msg`s through `tx`. Returns the final state.
pub async fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    state: State,
    connector: Connector,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
) -> Result<State, RuntimeError>
where
    B::Error: Display,
{
    drive(terminal, None, state, connector, tx, rx).await
}

/// The loop; `handle` is the real terminal's (none headless: a child then runs without a
/// terminal to hand over).
async fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    mut handle: Option<&mut TerminalHandle>,
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
        tasks: TaskSet::default(),
        run_in_terminal: None,
        bell: false,
        debug_suspend: handle
            .as_deref()
            .and_then(TerminalHandle::debug_command)
            .map(str::to_string),
        resource_watch: None,
        health_watches: Vec::new(),
        pending_shell: None,
        audit: crate::audit::Audit::from_settings(&state.audit_settings),
        shells: state.shell_settings.clone(),
        exec_rights: shell::ExecRights::default(),
        tx,
        quit: false,
        osc52: Vec::new(),
        system_clipboard: None,
    };
    let mut drawn = 0u64;
    let mut last_draw: Option<Instant> = None;
    // The program that owns the terminal now; nothing is drawn meanwhile.
    let mut child: Option<(String, tokio::process::Child)> = None;
    // An in-process session (a shell in a pod) that owns the terminal, and what it is in.
    let mut session: Option<(String, BoxFuture<'static, SessionEnd>)> = None;
    // The audit log's intent record of that session, its outcome written when it ends.
    let mut session_record: Option<crate::audit::Record> = None;
    let mut redraw_all = false;
    while !ctx.quit {
        // The limiter coalesces bursts of watch events; a key is answered at once, so a frame
        // drawn for a tick or an event just before it never delays the user's echo.
        let due = ctx.key_pending || last_draw.is_none_or(|t| t.elapsed() >= FRAME);
        let owned = child.is_some() || session.is_some();
        if !owned && (redraw_all || state.revision != drawn && due) {
            redraw_all = false;
            let frame_lock = term::frame_lock();
            terminal
                .draw(|frame| ui::render(frame, &state))
                .map_err(|e| RuntimeError::Draw(e.to_string()))?;
            drop(frame_lock);
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
            Some((_, msg)) = ctx.tasks.recv() => ctx.dispatch(&mut state, msg),
            Some(status) = OptionFuture::from(child.as_mut().map(|(_, c)| c.wait())),
                if child.is_some() =>
            {
                let program = child.take().map(|(p, _)| p).unwrap_or_default();
                let mut exit = child_exit(status);
                if let Some(handle) = handle.as_deref_mut() {
                    if let Err(error) = take_back(terminal, handle, &mut ctx, &mut state) {
                        exit = ChildExit::Failed(error);
                    }
                }
                redraw_all = true;
                ctx.dispatch(&mut state, Msg::TerminalReturned { program, exit });
            }
            Some(end) = OptionFuture::from(session.as_mut().map(|(_, s)| s)), if session.is_some() => {
                let target = session.take().map(|(t, _)| t).unwrap_or_default();
                let mut end = end;
                if let Some(handle) = handle.as_deref_mut() {
                    if let Err(error) = take_back(terminal, handle, &mut ctx, &mut state) {
                        end = SessionEnd::Lost(error);
                    }
                }
                redraw_all = true;
                if let Some(intent) = session_record.take() {
                    ctx.audit(&intent.outcome(shell::outcome(&end)), &mut state);
                }
                ctx.dispatch(&mut state, Msg::ShellEnded { target, end });
            }
            Some(ready) = OptionFuture::from(ctx.pending_shell.as_mut().map(|(_, t)| t)),
                if ctx.pending_shell.is_some() =>
            {
                let target = ctx.pending_shell.take().map(|(t, _)| t).unwrap_or_default();
                let ready = ready.unwrap_or_else(|e| Err(ShellProblem::Sentence(format!("Opening the shell failed ({e})."))));
                match (ready, handle.as_deref_mut()) {
                    (Ok(_), _) if child.is_some() || session.is_some() => {
                        ctx.dispatch(&mut state, Msg::Noted("Something already owns the terminal; try again when it has ended.".into()));
                    }
                    (Ok(prepared), Some(handle)) => {
                        let context = ctx.cluster.as_ref().map(|c| c.context().to_string()).unwrap_or_default();
                        let identity = ctx.cluster.as_ref().map(|c| c.identity()).unwrap_or_default();
                        let intent = shell::intent(&context, &prepared).by(&identity);
                        if ctx.audit(&intent, &mut state) {
                            session_record = Some(intent);
                            handle.suspend().await;
                            session = Some((target, Box::pin(passthrough::run(prepared.session))));
                        }
                    }
                    (Ok(_), None) => {
                        ctx.dispatch(&mut state, Msg::Noted("A shell needs a terminal to run in.".into()));
                    }
                    (Err(ShellProblem::Choose { namespace, pod, choices }), _) => {
                        ctx.dispatch(&mut state, Msg::ShellChoose { namespace, pod, choices });
                    }
                    (Err(ShellProblem::Sentence(sentence)), _) => {
                        ctx.dispatch(&mut state, Msg::Noted(sentence));
                    }
                }
            }
            () = tokio::time::sleep_until(next_frame),
                if state.revision != drawn && !owned => {}
        }
        if std::mem::take(&mut ctx.bell) && !owned {
            if let Some(handle) = handle.as_deref_mut() {
                // Between frames, never inside one.
                let _ = handle.write_raw(b"\x07");
            }
        }
        // Copies are written here, between frames: never inside one, never to a child's screen.
        for bytes in std::mem::take(&mut ctx.osc52) {
            if let Some(handle) = handle.as_deref_mut() {
                if let Err(error) = handle.write_raw(&bytes) {
                    let sentence =
                        format!("Cannot write to the terminal ({error}); nothing was copied.");
                    ctx.dispatch(&mut state, Msg::Noted(sentence));
                }
            }
        }
        if let Some((program, args)) = ctx.run_in_terminal.take() {
            if child.is_some() {
                ctx.dispatch(
                    &mut state,
                    Msg::Noted(
                        "A program already owns the terminal; try again when it has exited.".into(),
                    ),
                );
            } else {
                if let Some(handle) = handle.as_deref_mut() {
                    handle.suspend().await;
                }
                match spawn_child(&program, &args) {
                    Ok(process) => child = Some((program, process)),
                    Err(exit) => {
                        if let Some(handle) = handle.as_deref_mut() {
                            // The sentence of the spawn failure says more than this one would.
                            let _ = take_back(terminal, handle, &mut ctx, &mut state);
                        }
                        redraw_all = true;
                        ctx.dispatch(&mut state, Msg::TerminalReturned { program, exit });
                    }
                }
            }
        }
        // A context switch replaces any connection still being built.
        if let Some(future) = ctx.reconnect.take() {
            connect = Some(future);
        }
    }
    Ok(state)
}

/// Takes the terminal back from a child: raw mode, alternate screen, input, and a cleared
/// screen with its size re-read so the next frame draws everything. Errors are one sentence.
fn take_back<B: Backend>(
    terminal: &mut Terminal<B>,
    handle: &mut TerminalHandle,
    ctx: &mut Ctx,
    state: &mut State,
) -> Result<(), String>
where
    B::Error: Display,
{
    let failed = |e: &dyn Display| format!("Cannot take the terminal back ({e}); restart kterm.");
    handle.resume().map_err(|e| failed(&e))?;
    // The child may have resized the terminal meanwhile. `resize` clears the screen and makes
    // the next frame draw everything; `clear` would too, but it first asks the terminal where
    // the cursor is, an answer the input reader just restarted may take (2 s, then an error).
    let size = terminal.size().map_err(|e| failed(&e))?;
    terminal
        .resize(Rect::new(0, 0, size.width, size.height))
        .map_err(|e| failed(&e))?;
    ctx.dispatch(
        state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    Ok(())
}
