//! Facts that happened, fed into `update` through the one channel of the runtime.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use crossterm::event::KeyEvent;

use crate::app::effect::FetchPurpose;
use crate::kube::fetch::FetchedObject;
use crate::kube::logs::LogEvent;

use crate::kube::pods::{PodKey, PodRow};
use crate::kube::resources::ResourceEvent;
pub use crate::kube::scope::WatchScope;

/// Everything that can happen to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The server answered "may I …?" (`Effect::CheckAccess`); `Err`: the question failed.
    AccessChecked {
        /// The question.
        access: crate::kube::mutate::Access,
        /// The answer.
        allowed: Result<bool, String>,
    },
    /// What depends on target `index` of delete dialog `id` was gathered.
    ImpactChecked {
        /// The dialog.
        id: u64,
        /// Which of its targets.
        index: usize,
        /// The slim stores the impact is computed from.
        inputs: Box<crate::kube::deps::Inputs>,
    },
    /// Text was pasted (bracketed paste): it goes into the open input line, never runs as keys.
    Paste(String),
    /// The terminal now has this size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// A second passed; carries the clock so `update` stays pure.
    Tick(DateTime<Utc>),
    /// A client for the context was built.
    Connected {
        /// The kubeconfig context in use.
        context: String,
        /// The namespace that context defaults to.
        default_namespace: String,
    },
    /// No client could be built; the sentence says why and what to do.
    ConnectionFailed(String),
    /// Pods were listed, added or changed.
    PodsApplied {
        /// The watch that saw them.
        scope: WatchScope,
        /// The new rows, batched as they arrived.
        rows: Vec<PodRow>,
    },
    /// A pod is gone.
    PodDeleted {
        /// The watch that saw it go.
        scope: WatchScope,
        /// The pod.
        key: PodKey,
    },
    /// A watch (re)listed its scope: rows of that scope whose keys are not here are gone.
    /// Sent on the watcher's InitDone, after the listed rows came as `PodsApplied`.
    PodsRelisted {
        /// The watch that relisted.
        scope: WatchScope,
        /// Every pod the list returned.
        keys: Vec<PodKey>,
    },
    /// A watch failed and is retrying with backoff; the sentence says why.
    WatchFailed {
        /// The watch that failed.
        scope: WatchScope,
        /// One sentence for the status bar.
        error: String,
        /// RBAC said no (403): retrying will not help, a narrower watch may.
        forbidden: bool,
    },
    /// The namespaces matching the tenant selector.
    NamespacesListed {
        /// Their names.
        names: Vec<String>,
    },
    /// The tenant namespaces could not be listed.
    NamespaceListFailed {
        /// One sentence for the status bar.
        error: String,
        /// RBAC said no (403).
        forbidden: bool,
    },
    /// Something the user should read (e.g. a file could not be saved).
    Noted(String),
    /// A fetched object arrived.
    ObjectFetched {
        /// The request it answers.
        id: u64,
        /// Which view asked.
        purpose: FetchPurpose,
        /// The object and its events.
        fetched: Arc<FetchedObject>,
    },
    /// A fetch failed; the sentence says why (403, 404, unreachable).
    ObjectFetchFailed {
        /// The request it answers.
        id: u64,
        /// Which view asked.
        purpose: FetchPurpose,
        /// One sentence for the user.
        error: String,
        /// The server answered 404: the object does not exist.
        not_found: bool,
    },
    /// The resource-list watch saw something (`kube::resources`).
    Resources(ResourceEvent),
    /// A watch of the overview's Services, Jobs or Events saw something.
    Health(ResourceEvent),
    /// A program run in the terminal (`Effect::RunInTerminal`) ended; kterm has the screen back.
    TerminalReturned {
        /// The program, as asked for.
        program: String,
        /// How it ended.
        exit: ChildExit,
    },
    /// A log stream reported something.
    Log {
        /// The stream (`Effect::StartLogs`).
        id: u64,
        /// What happened.
        event: LogEvent,
    },
    /// A shell handed the terminal back.
    ShellEnded {
        /// `pod/name [container]`.
        target: String,
        /// How it ended.
        end: crate::app::passthrough::SessionEnd,
    },
    /// The pod has several containers and none is the default: pick one for the shell.
    ShellChoose {
        /// Namespace.
        namespace: String,
        /// Pod.
        pod: String,
        /// Its containers.
        choices: Vec<crate::kube::logs::ContainerInfo>,
    },
    /// A copy in flight: how far it is.
    CopyProgress(crate::app::copy_form::CopyProgress),
    /// A copy ended; one sentence.
    CopyDone(String),
    /// A copy out would replace a local file: the user is asked.
    CopyExists(crate::kube::cluster::CopyJob),
    /// A file to save to exists; the user is asked before it is replaced.
    FileExists(std::path::PathBuf),
    /// The object to edit is in its file; the editor is to run (`Effect::EditOpen`,
    /// `Effect::EditFresh`).
    EditOpened(Box<crate::app::edit::Opened>),
    /// An edit could not be opened (or the fresh object not read); one sentence.
    EditFailed {
        /// The edit session.
        id: u64,
        /// Why.
        sentence: String,
    },
    /// The edited file, read back (or why it could not be).
    EditRead {
        /// The edit session.
        id: u64,
        /// Its text.
        text: Result<String, String>,
    },
    /// The server's answer to an edit's save or re-apply.
    EditApplied {
        /// The edit session.
        id: u64,
        /// Saved, or why not.
        result: Result<(), crate::kube::mutate::MutateError>,
    },
    /// The re-apply after a 409 was refused: both sides changed these paths.
    EditRefused {
        /// The edit session.
        id: u64,
        /// The paths.
        paths: Vec<String>,
    },
    /// A change to the cluster was made; one sentence ("Scaled deployment t4k9pz/x from 2 to 3.").
    Mutated {
        /// What was done.
        sentence: String,
    },
    /// A change to the cluster failed or was refused; one sentence saying why.
    MutateFailed {
        /// Why.
        sentence: String,
    },
    /// What the resources form needs arrived (or could not be read).
    FormLoaded(Result<crate::app::resources_form::Loaded, String>),
    /// The mouse clicked or scrolled (only with `mouse: true` in config.yaml).
    Mouse(crossterm::event::MouseEvent),
    /// The terminal input ended (e.g. the SSH session dropped).
    InputClosed,
    /// SIGTERM, SIGINT or SIGHUP arrived.
    Signal(&'static str),
    /// A metrics poll (`Effect::PollMetrics`) answered.
    MetricsPolled(crate::app::metrics::Polled),
}

/// How a program run in the terminal ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChildExit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it.
    Signal(i32),
    /// It could not run, or the terminal could not be handed over; one sentence.
    Failed(String),
}

impl ChildExit {
    /// The sentence for the status bar; none when the program succeeded.
    pub fn sentence(&self, program: &str) -> Option<String> {
        match self {
            ChildExit::Code(0) => None,
            ChildExit::Code(code) => Some(format!("{program} exited with code {code}.")),
            ChildExit::Signal(signal) => Some(format!("{program} was ended by signal {signal}.")),
            ChildExit::Failed(sentence) => Some(sentence.clone()),
        }
    }
}
