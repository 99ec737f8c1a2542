//! Commands `update` hands to the runtime; their results come back as `Msg`s.

use std::path::PathBuf;

use crate::kube::fetch::ObjectRef;
use crate::kube::kinds::ResourceKind;
use crate::kube::logs::LogRequest;

/// What a fetch is for; each screen or pane remembers the id of the fetch that counts for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FetchPurpose {
    /// A full-screen YAML/describe view.
    Text,
    /// The detail pane under (or beside) a pod table.
    Pane,
    /// Whether a namespace typed in exists (its pods would otherwise just never come).
    Namespace,
    /// The YAML `Y` copies to the clipboard.
    Clipboard,
}

pub use crate::kube::scope::Namespaces;

/// The one resource-list watch: a kind and the namespaces to watch it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceWatch {
    /// The kind listed.
    pub kind: ResourceKind,
    /// Where (ignored for cluster-scoped kinds, watched cluster-wide).
    pub namespaces: Namespaces,
}

/// Something for the runtime to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Replace the running pod watches with watches of these namespaces.
    StartPodWatch {
        /// What to watch.
        namespaces: Namespaces,
    },
    /// List the namespaces matching a label selector (`k=v`), once.
    ListNamespaces {
        /// The selector.
        selector: String,
    },
    /// Drop the current cluster's watches and connect to another kubeconfig context.
    SwitchContext {
        /// The context's name.
        context: String,
    },
    /// Remember the favourite tenants for the next start.
    SaveFavourites {
        /// In 1–9 order.
        favourites: Vec<String>,
    },
    /// Fetch one whole object and its events; the reply is `Msg::ObjectFetched` or
    /// `Msg::ObjectFetchFailed` with the same id. A newer fetch of the same purpose replaces it.
    FetchObject {
        /// Matches the reply to the request; replies of replaced requests are ignored.
        id: u64,
        /// Which view asked.
        purpose: FetchPurpose,
        /// The object.
        target: ObjectRef,
    },
    /// Replace the resource-list watch with this one; `None` stops it. The pod watch is kept.
    WatchResources(Option<ResourceWatch>),
    /// Hand the terminal to a program (a shell, $EDITOR) until it exits, then redraw; the
    /// reply is `Msg::TerminalReturned`.
    RunInTerminal {
        /// The program, looked up on PATH.
        program: String,
        /// Its arguments.
        args: Vec<String>,
    },
    /// Start reading one pod's log; its events come back as `Msg::Log` with this id.
    StartLogs {
        /// The stream's id.
        id: u64,
        /// What to read.
        request: LogRequest,
    },
    /// Stop these log streams.
    StopLogs {
        /// Their ids.
        ids: Vec<u64>,
    },
    /// Write a log view's lines to a file; the reply is `Msg::Noted`, or `Msg::FileExists`
    /// when the file exists and `overwrite` is false.
    SaveLines {
        /// Where.
        path: PathBuf,
        /// The lines, newline-terminated.
        text: String,
        /// How many lines, for the sentence.
        lines: usize,
        /// Replace an existing file.
        overwrite: bool,
    },
    /// Open a shell in a pod's container (`None`: the default one, else ask) and hand it the
    /// terminal; the reply is `Msg::ShellEnded`, `Msg::ShellChoose` or `Msg::Noted`.
    OpenShell {
        /// Namespace.
        namespace: String,
        /// Pod.
        pod: String,
        /// Container, when picked.
        container: Option<String>,
    },
    /// Run one command in a pod's default container, its output and exit code reported as
    /// `Msg::Log` with this id (and written to the audit log).
    RunCommand {
        /// The run's id, as for a log stream.
        id: u64,
        /// Namespace.
        namespace: String,
        /// Pod.
        pod: String,
        /// The program and its arguments.
        command: Vec<String>,
    },
    /// Copy into or out of a pod; progress comes as `Msg::CopyProgress`, the end as
    /// `Msg::Noted` (or `Msg::CopyExists` when the local target exists and may not be replaced).
    Copy {
        /// The copy.
        job: crate::kube::cluster::CopyJob,
        /// Into the pod (else out of it).
        inward: bool,
    },
    /// Gather what depends on each target (`Cluster::impact_inputs`), all at once; each answer
    /// is `Msg::ImpactChecked` with this id and the target's index.
    CheckImpact {
        /// The dialog's id.
        id: u64,
        /// The objects.
        targets: Vec<crate::kube::target::Target>,
    },
    /// Ask the server whether these are allowed (SelfSubjectAccessReview); each answer is a
    /// `Msg::AccessChecked`.
    CheckAccess {
        /// The questions.
        accesses: Vec<crate::kube::mutate::Access>,
    },
    /// Read the object to edit, write it to a file under the state dir and answer
    /// `Msg::EditOpened` (the editor to run) or `Msg::EditFailed`.
    EditOpen {
        /// The edit session.
        id: u64,
        /// The object, or the typed `kind/name` to resolve.
        what: crate::app::edit::EditWhat,
    },
    /// Read the edited file back; the answer is `Msg::EditRead`.
    EditRead {
        /// The edit session.
        id: u64,
        /// The file.
        path: PathBuf,
    },
    /// Write `text` (the user's, an error on top) to the file and hand the terminal to the
    /// editor again; a file that cannot be written is `Msg::EditFailed`.
    EditReopen {
        /// The edit session.
        id: u64,
        /// The file.
        path: PathBuf,
        /// What it holds now.
        text: String,
        /// The editor.
        program: String,
        /// Its arguments (the file included).
        args: Vec<String>,
    },
    /// Remove an edit's file (the edit was applied or nothing changed).
    EditDiscard {
        /// The file.
        path: PathBuf,
    },
    /// PUT the edited object (audit intent before, outcome after); the answer is
    /// `Msg::EditApplied`.
    EditApply {
        /// The edit session.
        id: u64,
        /// The object.
        target: crate::kube::target::Target,
        /// The edited object, carrying the resourceVersion it was read at.
        object: std::sync::Arc<serde_json::Value>,
        /// The paths changed, for the audit log.
        changed: Vec<String>,
    },
    /// After a 409: GET the fresh object, re-apply the user's change (`kube::edit::three_way`)
    /// and PUT it; the answer is `Msg::EditApplied` or `Msg::EditRefused`.
    EditReapply {
        /// The edit session.
        id: u64,
        /// The object.
        target: crate::kube::target::Target,
        /// The object as first read.
        original: std::sync::Arc<serde_json::Value>,
        /// The user's version.
        edited: std::sync::Arc<serde_json::Value>,
        /// The paths the user changed, for the audit log.
        changed: Vec<String>,
    },
    /// After a 409: keep the user's text in a side file, write the fresh object to the edit's
    /// file (the side file named in its header) and answer `Msg::EditOpened`.
    EditFresh {
        /// The edit session.
        id: u64,
        /// The object.
        target: crate::kube::target::Target,
        /// The edit's file.
        path: PathBuf,
        /// The user's text.
        text: String,
    },
    /// Change the cluster (`app::mutate_task`); the reply is `Msg::Mutated` or
    /// `Msg::MutateFailed`.
    Mutate(crate::app::mutation::Mutation),
    /// Fetch what the resources form shows: the workload's template and its pods' usage; the
    /// reply is `Msg::FormLoaded`.
    LoadResourcesForm {
        /// The Deployment or StatefulSet.
        target: crate::kube::target::Target,
        /// Its pods (from the pod store), whose usage the form shows.
        pods: Vec<String>,
    },
    /// Ring the terminal bell (an alert, when configured), between frames.
    Bell,
    /// Put text on the clipboard (`app::clipboard`): OSC 52 bytes are written through the
    /// terminal handle between frames; the desktop's clipboard is set through arboard. A
    /// failure comes back as `Msg::Noted`.
    Clipboard(ClipboardWrite),
    /// Ask metrics.k8s.io what the pods of `namespaces` (one LIST each) and, with `nodes`,
    /// the nodes use now; the reply is `Msg::MetricsPolled`.
    PollMetrics {
        /// The namespaces of the pods on screen.
        namespaces: Vec<String>,
        /// `:node` is shown.
        nodes: bool,
    },
    /// Leave the app.
    Quit,
}

/// What a copy writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClipboardWrite {
    /// An OSC 52 sequence (wrapped for tmux or screen), written to the terminal as it is.
    Osc52(Vec<u8>),
    /// Text for the desktop's clipboard.
    System(String),
}
