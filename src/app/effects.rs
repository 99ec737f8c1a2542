//! Carrying out `update`'s effects: the runtime's working set (`Ctx`: the cluster, the watches,
//! the task set, the shell being prepared, the audit log) and what each `Effect` starts. The
//! loop that owns the terminal and draws is `runtime.rs`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyModifiers};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::background;
use crate::app::copy_task;
use crate::app::edit_task;
use crate::app::effect::{ClipboardWrite, Effect};
use crate::app::msg::Msg;
use crate::app::mutate_task;
use crate::app::resources_form;
use crate::app::run_task;
use crate::app::shell::{self, ShellProblem};
use crate::app::sinks;
use crate::app::state::State;
use crate::app::tasks::{TaskKey, TaskSet};
use crate::app::update::update;
use crate::kube::kinds::ResourceKind;
use crate::kube::{Cluster, WatchHandle};

/// Builds the cluster client; its error is the one sentence shown to the user.
pub type ConnectFuture = Pin<Box<dyn Future<Output = Result<Arc<dyn Cluster>, String>> + Send>>;

/// Builds a client for a context (`None`: the one asked for at start); called again by `:ctx`.
pub type Connector = Arc<dyn Fn(Option<String>) -> ConnectFuture + Send + Sync>;

/// What the effects act on.
pub(crate) struct Ctx {
    /// A key (or resize) arrived since the last frame: draw without waiting for the limiter.
    pub(crate) key_pending: bool,
    pub(crate) connector: Connector,
    /// A client being built for a context switch, taken by the loop.
    pub(crate) reconnect: Option<ConnectFuture>,
    pub(crate) cluster: Option<Arc<dyn Cluster>>,
    /// Dropping it aborts the watches, so at most one set runs.
    pub(crate) pod_watch: Option<WatchHandle>,
    /// The tenant-selector lookup in flight, if any.
    pub(crate) namespace_list: Option<WatchHandle>,
    /// Keyed background tasks (object fetches); their messages come back through `recv`.
    pub(crate) tasks: TaskSet<Msg>,
    /// A program to hand the terminal to, taken by the loop.
    pub(crate) run_in_terminal: Option<(String, Vec<String>)>,
    /// The test-only hook's command (`KTERM_DEBUG_SUSPEND`): ctrl-t runs it in the terminal.
    pub(crate) debug_suspend: Option<String>,
    /// The one resource-list watch; replaced, never added to.
    pub(crate) resource_watch: Option<WatchHandle>,
    /// The overview's Service, Job and Event watches, over the pod watch's namespaces.
    pub(crate) health_watches: Vec<WatchHandle>,
    /// Where every shell, command and copy is recorded.
    pub(crate) audit: crate::audit::Audit,
    /// Which shells `s` tries, per context.
    pub(crate) shells: crate::config::settings::ShellSettings,
    /// What the exec review answered per namespace; forgotten on a context switch.
    pub(crate) exec_rights: shell::ExecRights,
    /// A shell being prepared (rights, container, exec started), and what it is in.
    pub(crate) pending_shell: Option<(String, JoinHandle<Result<shell::Prepared, ShellProblem>>)>,
    pub(crate) tx: mpsc::Sender<Msg>,
    pub(crate) quit: bool,
    /// An alert asked for the bell; the loop rings it between frames.
    pub(crate) bell: bool,
    /// OSC 52 sequences to write through the terminal handle, taken by the loop between frames.
    pub(crate) osc52: Vec<Vec<u8>>,
    /// The desktop's clipboard, opened on the first copy and kept: on X11 the copy lives only
    /// while its owner does.
    pub(crate) system_clipboard: Option<arboard::Clipboard>,
}

impl Ctx {
    /// Appends to the audit log; a failure is said, and stops the action only when the config
    /// requires the log (`false` then).
    pub(crate) fn audit(&mut self, record: &crate::audit::Record, state: &mut State) -> bool {
        match self.audit.append(record) {
            Ok(()) => true,
            Err(sentence) if self.audit.required() => {
                let msg = format!("{sentence} The audit log is required, so nothing was done.");
                self.dispatch(state, Msg::Noted(msg));
                false
            }
            Err(sentence) => {
                self.dispatch(state, Msg::Noted(sentence));
                true
            }
        }
    }

    /// What an edit's save needs for its audit lines.
    fn edit_save(
        &self,
        id: u64,
        target: crate::kube::target::Target,
        changed: Vec<String>,
    ) -> edit_task::Save {
        let context = self
            .cluster
            .as_ref()
            .map(|c| c.context().to_string())
            .unwrap_or_default();
        edit_task::Save {
            id,
            context,
            target,
            changed,
        }
    }

    /// Puts `text` on the desktop's clipboard; the error is one sentence.
    fn set_system_clipboard(&mut self, text: String) -> Result<(), String> {
        let failed = |e: arboard::Error| {
            format!(
                "Cannot reach the desktop clipboard ({e}); set clipboard: osc52 in config.yaml."
            )
        };
        let clipboard = match &mut self.system_clipboard {
            Some(clipboard) => clipboard,
            None => self
                .system_clipboard
                .insert(arboard::Clipboard::new().map_err(failed)?),
        };
        clipboard.set_text(text).map_err(failed)
    }

    pub(crate) fn dispatch(&mut self, state: &mut State, msg: Msg) {
        self.key_pending |= matches!(msg, Msg::Key(_) | Msg::Resize { .. });
        let effects = match (&self.debug_suspend, &msg) {
            (Some(command), Msg::Key(key))
                if key.code == KeyCode::Char('t')
                    && key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                vec![Effect::RunInTerminal {
                    program: "sh".to_string(),
                    args: vec!["-c".to_string(), command.clone()],
                }]
            }
            _ => update(state, msg),
        };
        for effect in effects {
            match effect {
                Effect::StartPodWatch { namespaces } => {
                    self.pod_watch = None;
                    self.health_watches.clear();
                    if let Some(cluster) = &self.cluster {
                        let sink = sinks::pods(self.tx.clone());
                        self.pod_watch = Some(cluster.watch_pods(&namespaces, sink));
                        // The overview reads these beside the pods; replaced with the pod watch.
                        self.health_watches = [
                            ResourceKind::Service,
                            ResourceKind::Job,
                            ResourceKind::Event,
                        ]
                        .into_iter()
                        .map(|kind| {
                            cluster.watch_resources(
                                kind,
                                &namespaces,
                                sinks::health(self.tx.clone()),
                            )
                        })
                        .collect();
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
                    self.tasks.cancel_where(|k| matches!(k, TaskKey::Logs(_)));
                    // Usage of the old cluster's pods must not land on the new one's.
                    self.tasks.cancel(TaskKey::Metrics);
                    self.exec_rights = shell::ExecRights::default();
                    self.pod_watch = None;
                    self.namespace_list = None;
                    self.resource_watch = None;
                    self.health_watches.clear();
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
                    self.tasks.spawn(TaskKey::Fetch(purpose), move |out| {
                        background::fetch_object(cluster, id, purpose, target, out)
                    });
                }
                Effect::RunInTerminal { program, args } => {
                    self.run_in_terminal = Some((program, args));
                }
                Effect::WatchResources(watch) => {
                    self.resource_watch = None;
                    if let (Some(cluster), Some(w)) = (&self.cluster, watch) {
                        let sink = sinks::resources(self.tx.clone());
                        let handle = cluster.watch_resources(w.kind, &w.namespaces, sink);
                        self.resource_watch = Some(handle);
                    }
                }
                Effect::StartLogs { id, request } => {
                    let cluster = self.cluster.clone();
                    self.tasks.spawn(TaskKey::Logs(id), move |out| {
                        background::stream_logs(cluster, id, request, out)
                    });
                }
                Effect::StopLogs { ids } => {
                    for id in ids {
                        self.tasks.cancel(TaskKey::Logs(id));
                    }
                }
                Effect::SaveLines {
                    path,
                    text,
                    lines,
                    overwrite,
                } => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let msg = background::save_lines(&path, &text, lines, overwrite);
                        let _ = tx.blocking_send(msg);
                    });
                }
                Effect::OpenShell {
                    namespace,
                    pod,
                    container,
                } => {
                    let target = match &container {
                        Some(c) => format!("{pod} [{c}]"),
                        None => pod.clone(),
                    };
                    let cluster = self.cluster.clone();
                    let rights = self.exec_rights.clone();
                    let context = cluster
                        .as_ref()
                        .map(|c| c.context().to_string())
                        .unwrap_or_default();
                    let shells = self.shells.candidates(&context);
                    let prepare =
                        shell::prepare(cluster, rights, namespace, pod, container, shells);
                    if let Some((_, old)) =
                        self.pending_shell.replace((target, tokio::spawn(prepare)))
                    {
                        old.abort();
                    }
                }
                Effect::RunCommand {
                    id,
                    namespace,
                    pod,
                    command,
                } => {
                    let cluster = self.cluster.clone();
                    let audit = self.audit.clone();
                    let context = cluster
                        .as_ref()
                        .map(|c| c.context().to_string())
                        .unwrap_or_default();
                    let run = run_task::Run {
                        id,
                        context,
                        namespace,
                        pod,
                        command,
                    };
                    self.tasks.spawn(TaskKey::Logs(id), move |out| {
                        run_task::run(cluster, audit, run, out)
                    });
                }
                Effect::Copy { job, inward } => {
                    let cluster = self.cluster.clone();
                    let audit = self.audit.clone();
                    tokio::spawn(copy_task::run(cluster, audit, job, inward, self.tx.clone()));
                }
                Effect::CheckImpact { id, targets } => {
                    for (index, target) in targets.into_iter().enumerate() {
                        let cluster = self.cluster.clone();
                        self.tasks.spawn(TaskKey::Impact(index), move |out| {
                            background::check_impact(cluster, id, index, target, out)
                        });
                    }
                }
                Effect::CheckAccess { accesses } => {
                    if let Some(cluster) = &self.cluster {
                        for access in accesses {
                            let ask = cluster.allowed(&access);
                            let tx = self.tx.clone();
                            tokio::spawn(async move {
                                let allowed = ask.await;
                                let _ = tx.send(Msg::AccessChecked { access, allowed }).await;
                            });
                        }
                    }
                }
                Effect::EditOpen { id, what } => {
                    let cluster = self.cluster.clone();
                    tokio::spawn(edit_task::open(cluster, id, what, self.tx.clone()));
                }
                Effect::EditRead { id, path } => {
                    let text = edit_task::read_file(&path);
                    self.dispatch(state, Msg::EditRead { id, text });
                }
                Effect::EditReopen {
                    id,
                    path,
                    text,
                    program,
                    args,
                } => match edit_task::write_file(&path, &text) {
                    Ok(()) => self.run_in_terminal = Some((program, args)),
                    Err(sentence) => self.dispatch(state, Msg::EditFailed { id, sentence }),
                },
                Effect::EditDiscard { path } => edit_task::discard(&path),
                Effect::EditApply {
                    id,
                    target,
                    object,
                    changed,
                } => {
                    let save = self.edit_save(id, target, changed);
                    let (cluster, audit) = (self.cluster.clone(), self.audit.clone());
                    tokio::spawn(edit_task::apply(
                        cluster,
                        audit,
                        save,
                        object,
                        self.tx.clone(),
                    ));
                }
                Effect::EditReapply {
                    id,
                    target,
                    original,
                    edited,
                    changed,
                } => {
                    let save = self.edit_save(id, target, changed);
                    let (cluster, audit) = (self.cluster.clone(), self.audit.clone());
                    let tx = self.tx.clone();
                    tokio::spawn(edit_task::reapply(
                        cluster, audit, save, original, edited, tx,
                    ));
                }
                Effect::EditFresh {
                    id,
                    target,
                    path,
                    text,
                } => {
                    let cluster = self.cluster.clone();
                    let tx = self.tx.clone();
                    tokio::spawn(edit_task::fresh(cluster, id, target, path, text, tx));
                }
                Effect::Mutate(mutation) => {
                    let cluster = self.cluster.clone();
                    let audit = self.audit.clone();
                    tokio::spawn(mutate_task::run(cluster, audit, mutation, self.tx.clone()));
                }
                Effect::LoadResourcesForm { target, pods } => {
                    let cluster = self.cluster.clone();
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let loaded = resources_form::load(cluster, target, pods).await;
                        let _ = tx.send(Msg::FormLoaded(loaded)).await;
                    });
                }
                Effect::Bell => self.bell = true,
                Effect::Clipboard(ClipboardWrite::Osc52(bytes)) => self.osc52.push(bytes),
                Effect::Clipboard(ClipboardWrite::System(text)) => {
                    if let Err(sentence) = self.set_system_clipboard(text) {
                        self.dispatch(state, Msg::Noted(sentence));
                    }
                }
                Effect::PollMetrics { namespaces, nodes } => {
                    let cluster = self.cluster.clone();
                    self.tasks.spawn(TaskKey::Metrics, move |out| {
                        background::poll_metrics(cluster, namespaces, nodes, out)
                    });
                }
                Effect::Quit => self.quit = true,
            }
        }
    }
}
