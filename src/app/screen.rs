//! The screen stack and what floats over it. Every full-screen view is a stack entry that owns
//! its state (`Screen`); esc pops back to the one below with its selection and scroll as they
//! were. Overlays are one `Modal` at a time, and the bottom row can hold one `InputLine`.
//! Keys go to the modal, else the input line, else the top screen — that one rule is
//! `update::route`.

use std::path::PathBuf;

use crate::app::logs::LogView;
use crate::app::objects::TextScreen;
use crate::app::overview::screen::OverviewScreen;
use crate::app::picker::Picker;
use crate::app::pod_table::PodTable;
use crate::app::resource_list::ResourceList;
use crate::config::keymap::Section;

/// One screen of the stack (`State::stack`, the last one shown).
#[derive(Clone, Debug)]
pub enum Screen {
    /// A pod table: a view over the pod store.
    Pods(Box<PodTable>),
    /// A list of another kind.
    Resources(Box<ResourceList>),
    /// The YAML or describe text of one object.
    Text(Box<TextScreen>),
    /// The logs of a pod, or of a workload's pods.
    Logs(Box<LogView>),
    /// The tenant health overview: one row per tenant and environment.
    Overview(Box<OverviewScreen>),
}

impl Screen {
    /// The pod table of every pod (or of the focused tenant).
    pub fn pods() -> Screen {
        Screen::Pods(Box::default())
    }

    /// The keymap section that resolves keys on this screen.
    pub fn section(&self) -> Section {
        match self {
            Screen::Pods(_) => Section::Pods,
            Screen::Resources(_) => Section::Resources,
            Screen::Text(_) => Section::Text,
            Screen::Logs(_) => Section::Logs,
            Screen::Overview(_) => Section::Overview,
        }
    }

    /// The log streams this screen runs (none but for a log view).
    pub fn log_streams(&self) -> Vec<u64> {
        match self {
            Screen::Logs(view) => view.streams.iter().map(|s| s.id).collect(),
            _ => Vec::new(),
        }
    }
}

/// An overlay that takes every key while open.
#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    /// The help screen, scrolled by this many lines.
    Help {
        /// First line shown, when the help is taller than the screen.
        scroll: usize,
    },
    /// A picker (tenants, contexts, containers) with its own query line.
    Picker(Picker),
    /// A yes/no question.
    Confirm(Confirm),
    /// The copy form (`C` on a pod).
    Copy(crate::app::copy_form::CopyForm),
    /// The list of the last alerts (`!`), scrolled by this many lines.
    Alerts {
        /// First line shown.
        scroll: usize,
    },
    /// The guarded-delete dialog (also scale to 0 and suspend).
    Delete(Box<crate::app::delete::DeleteDialog>),
    /// An edit's save met a 409: re-apply, open the fresh object, or give up.
    EditConflict {
        /// The question with its three choices.
        question: String,
    },
    /// The resources form (`M` on a Deployment or StatefulSet).
    Resources(Box<crate::app::resources_form::ResourcesForm>),
}

/// A question answered with yes or no; no leaves everything as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// The question, one sentence.
    pub question: String,
    /// What yes does.
    pub on_yes: ConfirmAction,
}

/// What a confirmed question does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmAction {
    /// Save the log view's lines over an existing file.
    OverwriteLog(PathBuf),
    /// Copy out of a pod over an existing local file.
    OverwriteCopy(crate::kube::cluster::CopyJob),
    /// Change the cluster (scale to 0, restart, suspend, trigger).
    Mutate(crate::app::mutation::Mutation),
}

/// What an input line is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// `/` on a table: filters it live.
    Filter,
    /// `:` anywhere: a command.
    Command,
    /// `/` on a text screen: a search, run on enter.
    Search,
    /// Where to save the log view's lines.
    SavePath,
    /// `&` on a log view: filters its lines live.
    LogFilter,
    /// `x` on the pod table: a command to run in the selected pod.
    RunCommand,
    /// `s` on a Deployment or StatefulSet: the number of replicas.
    Scale,
}

impl LineKind {
    /// The prompt drawn before the text.
    pub fn prompt(self) -> &'static str {
        match self {
            LineKind::Filter | LineKind::Search => "/",
            LineKind::LogFilter => "&",
            LineKind::RunCommand => "run in the pod: ",
            LineKind::Command => ":",
            LineKind::SavePath => "save to: ",
            LineKind::Scale => "scale to: ",
        }
    }
}

/// The line being typed in the bottom row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputLine {
    /// What it is for.
    pub kind: LineKind,
    /// The text typed so far.
    pub text: String,
}
