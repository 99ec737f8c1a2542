//! The kinds listed besides pods: slim objects decoded straight from the API and turned at once
//! into a `ResourceRow` holding kubectl's cells for that kind (`kubectl get deploy` etc.), a
//! health level for colouring, and what a drill-down needs. No object is kept.
//!
//! The cell rules follow kube-apiserver's printers (the simulator's `sim/src/table/` reproduces
//! them and is checked against real kubectl); only the default, non-wide columns are shown.

pub mod coreapi;
pub mod watch;
pub mod wire;
pub mod workloads;

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::kube::age::human_duration;
use crate::kube::kinds::ResourceKind;
use crate::kube::pods::PodKey;
use crate::kube::scope::WatchScope;
use crate::kube::selector::LabelSelector;
use crate::sanitize::sanitize_owned;

/// Identity of a listed object: namespace ("" for cluster-scoped kinds) and name.
pub type ResourceKey = PodKey;

/// One cell of a row. Time-dependent cells keep their timestamp, so ages tick without events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The row's name (not stored twice).
    Name,
    /// Fixed text.
    Text(String),
    /// The age of a timestamp (`3m12s`); `None` reads as kubectl's `<unknown>`.
    Since(Option<DateTime<Utc>>),
}

/// What a row needs from a person at a glance; themes colour rows by it, and a flag glyph keeps
/// the meaning on monochrome terminals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    /// Nothing to see.
    #[default]
    Ok,
    /// Finished as intended (a complete job).
    Done,
    /// Not fully there: a deployment short of replicas, a warning event, a cordoned node.
    Warning,
    /// Broken: a failed job, a workload with no ready replica, a NotReady node.
    Failed,
}

impl Health {
    /// The glyph in the row's first column; blank when all is well.
    pub fn flag(self) -> &'static str {
        match self {
            Health::Ok => " ",
            Health::Done => "✓",
            Health::Warning => "!",
            Health::Failed => "✖",
        }
    }
}

/// What Enter on a row opens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Drill {
    /// Nothing (events, nodes).
    #[default]
    Nothing,
    /// The pods of the row's namespace that this selector picks (workloads, services).
    Pods(LabelSelector),
    /// A Service without a selector: its endpoints are managed by hand, so it selects no pods.
    NoSelector,
    /// The pods of the namespace the row is.
    NamespacePods,
    /// The jobs the row (a CronJob) owns.
    OwnedJobs,
}

/// The controlling owner of an object (a Job's CronJob), from `metadata.ownerReferences`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Its kind (`CronJob`).
    pub kind: String,
    /// Its name, in the object's namespace.
    pub name: String,
}

/// One row of a resource list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceRow {
    /// Namespace; "" for cluster-scoped kinds.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The cells of kubectl's columns for the kind (see `columns`), in order.
    pub cells: Vec<Cell>,
    /// Health level, for the row's colour and flag.
    pub health: Health,
    /// What Enter opens.
    pub drill: Drill,
    /// The controlling owner, if any.
    pub owner: Option<Owner>,
    /// When it last happened, for lists shown newest first (events).
    pub recent: Option<DateTime<Utc>>,
    /// How many times it happened (an Event's `count`, or its series'); 0 for other kinds.
    pub count: u32,
    /// A node's allocatable CPU and memory, which `:node`'s usage is measured against.
    pub allocatable: Option<crate::kube::slim_pod::Amounts>,
}

impl ResourceRow {
    /// The row with control characters in its strings made visible (`^[`): an event's message
    /// or a node's version cannot drive the terminal.
    pub fn sanitized(mut self) -> Self {
        self.namespace = sanitize_owned(self.namespace);
        self.name = sanitize_owned(self.name);
        for cell in &mut self.cells {
            if let Cell::Text(text) = cell {
                *text = sanitize_owned(std::mem::take(text));
            }
        }
        self
    }

    /// The row's identity.
    pub fn key(&self) -> ResourceKey {
        PodKey::new(self.namespace.clone(), self.name.clone())
    }

    /// The text of cell `index` as of `now`.
    pub fn cell_text(&self, index: usize, now: DateTime<Utc>) -> Cow<'_, str> {
        match self.cells.get(index) {
            Some(Cell::Name) => Cow::Borrowed(self.name.as_str()),
            Some(Cell::Text(text)) => Cow::Borrowed(text.as_str()),
            Some(Cell::Since(at)) => Cow::Owned(since(*at, now)),
            None => Cow::Borrowed(""),
        }
    }
}

/// kubectl's age of a timestamp, `<unknown>` when there is none.
pub fn since(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match at {
        Some(at) => human_duration(now.signed_duration_since(at)),
        None => "<unknown>".to_string(),
    }
}

/// The columns of a kind's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    /// Headers as kubectl prints them.
    pub headers: &'static [&'static str],
    /// The column that takes the width the others leave (cut with `…` when short).
    pub flex: usize,
}

/// kubectl's default columns of `kind` (its NAMESPACE column aside, which the view adds).
pub fn columns(kind: ResourceKind) -> Columns {
    let (headers, flex): (&'static [&'static str], usize) = match kind {
        ResourceKind::Pod => (&["NAME"], 0),
        ResourceKind::Deployment => (&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], 0),
        ResourceKind::StatefulSet => (&["NAME", "READY", "AGE"], 0),
        ResourceKind::Job => (&["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], 0),
        ResourceKind::CronJob => (
            &[
                "NAME",
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE",
            ],
            0,
        ),
        ResourceKind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            0,
        ),
        // The message says what happened; it gets the room, not the object.
        ResourceKind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], 4),
        ResourceKind::Namespace => (&["NAME", "STATUS", "AGE"], 0),
        ResourceKind::Node => (&["NAME", "STATUS", "ROLES", "AGE", "VERSION"], 0),
    };
    Columns { headers, flex }
}

/// The kind's plural as `kubectl get` takes it (`deployments`), for titles and sentences.
pub fn plural(kind: ResourceKind) -> &'static str {
    ResourceKind::ALL
        .iter()
        .find(|(k, _)| *k == kind)
        .and_then(|(_, names)| names.last())
        .copied()
        .unwrap_or("objects")
}

/// What a resource watch saw, delivered through the sink `Cluster::watch_resources` was given.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceEvent {
    /// The kind watched.
    pub kind: ResourceKind,
    /// The watch (namespace or cluster-wide) that saw it.
    pub scope: WatchScope,
    /// What changed.
    pub change: ResourceChange,
}

/// A change seen by a resource watch.
#[derive(Clone, Debug, PartialEq)]
pub enum ResourceChange {
    /// Objects were listed, added or changed.
    Applied(Vec<ResourceRow>),
    /// An object is gone.
    Deleted(ResourceKey),
    /// The watch (re)listed its scope: rows of that scope not listed here are gone.
    Relisted(Vec<ResourceKey>),
    /// The watch failed and starts over with a fresh list after a backoff; one sentence says why.
    Failed(String),
}
