//! Everything the views need, owned by the runtime and changed only by `update`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::effect::Namespaces;
use crate::app::msg::WatchScope;
use crate::config::theme::Theme;
use crate::config::{ColourSupport, Keymap};
use crate::kube::pods::{PodKey, PodRow};

/// Which namespaces the user asked for on the command line.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum NamespaceChoice {
    /// The namespace of the kubeconfig context (like kubectl without `-n`).
    #[default]
    ContextDefault,
    /// `-A`: every namespace.
    All,
    /// `-n a,b`: these namespaces.
    List(Vec<String>),
}

/// Where the connection to the cluster stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Building a client from the kubeconfig.
    Connecting,
    /// Watches started; waiting for their first complete list.
    Listing,
    /// Every watch has listed; events arrive as they happen.
    Live,
    /// A watch failed and retries with backoff; one sentence says why.
    Retrying(String),
    /// No client could be built; one sentence says why and what to do.
    Failed(String),
}

/// The state of the app.
#[derive(Clone, Debug)]
pub struct State {
    /// Connection status for the status bar.
    pub connection: Connection,
    /// The kubeconfig context (requested, then the one actually used).
    pub context: String,
    /// What the user asked to watch.
    pub namespace_choice: NamespaceChoice,
    /// What is being watched, once connected.
    pub watching: Option<Namespaces>,
    /// Watches that have not finished their first list yet.
    pub pending_lists: BTreeSet<WatchScope>,
    /// Watches currently failing (retrying with backoff), with the sentence saying why.
    pub watch_errors: BTreeMap<WatchScope, String>,
    /// Pod rows ordered by namespace then name.
    pub pods: BTreeMap<PodKey, PodRow>,
    /// Index of the selected row in `pods` order (0 when empty).
    pub selected: usize,
    /// Key of the selected row, so the selection follows the pod while rows come and go.
    pub selected_key: Option<PodKey>,
    /// Index of the first visible row.
    pub offset: usize,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The clock as of the last tick; ages are computed against it.
    pub now: DateTime<Utc>,
    /// A transient message for the status bar.
    pub message: Option<String>,
    /// Bumped whenever something visible changed, so the runtime renders only then.
    pub revision: u64,
    /// Set once the app should end.
    pub quitting: bool,
    /// Keys to actions; shared because it never changes after start.
    pub keymap: Arc<Keymap>,
    /// Styles for the views.
    pub theme: Arc<Theme>,
    /// Whether the help screen is open over the view.
    pub help_open: bool,
}

impl State {
    /// A fresh state before connecting.
    pub fn new(
        context: impl Into<String>,
        namespace_choice: NamespaceChoice,
        now: DateTime<Utc>,
    ) -> Self {
        State {
            connection: Connection::Connecting,
            context: context.into(),
            namespace_choice,
            watching: None,
            pending_lists: BTreeSet::new(),
            watch_errors: BTreeMap::new(),
            pods: BTreeMap::new(),
            selected: 0,
            selected_key: None,
            offset: 0,
            size: (80, 24),
            now,
            message: None,
            revision: 1,
            quitting: false,
            // The presets: config files are read by the runtime, keeping `State` free of IO.
            keymap: Arc::new(Keymap::presets_default()),
            theme: Arc::new(Theme::build(None, ColourSupport::Colour)),
            help_open: false,
        }
    }

    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&PodRow> {
        self.selected_key.as_ref().and_then(|k| self.pods.get(k))
    }

    /// Rows from `offset`, at most `height` of them: only the visible window is ever walked.
    pub fn visible_rows(&self, height: usize) -> impl Iterator<Item = &PodRow> {
        self.pods.values().skip(self.offset).take(height)
    }

    /// Pods that are not fully ready (and not finished job pods).
    pub fn unhealthy_count(&self) -> usize {
        self.pods.values().filter(|r| r.is_unhealthy()).count()
    }

    /// Derives the connection status from the watches, once a client exists.
    pub(crate) fn refresh_connection(&mut self) {
        if matches!(
            self.connection,
            Connection::Connecting | Connection::Failed(_)
        ) {
            return;
        }
        self.connection = if let Some((_, error)) = self.watch_errors.iter().next() {
            Connection::Retrying(error.clone())
        } else if !self.pending_lists.is_empty() {
            Connection::Listing
        } else {
            Connection::Live
        };
    }

    /// Inserts or replaces a row, keeping the selection on the same pod.
    pub(crate) fn upsert(&mut self, row: PodRow) {
        let key = row.key();
        if let Some(existing) = self.pods.get_mut(&key) {
            *existing = row;
            return;
        }
        match &self.selected_key {
            None => {
                self.selected = 0;
                self.selected_key = Some(key.clone());
            }
            Some(sel) if key < *sel => self.selected += 1,
            Some(_) => {}
        }
        self.pods.insert(key, row);
    }

    /// Removes a row; if it was selected, the row that takes its place is selected.
    pub(crate) fn remove(&mut self, key: &PodKey) {
        if self.pods.remove(key).is_none() {
            return;
        }
        let Some(sel) = self.selected_key.clone() else {
            return;
        };
        if *key < sel {
            self.selected = self.selected.saturating_sub(1);
        } else if *key == sel {
            let next = self
                .pods
                .range((Bound::Excluded(key), Bound::Unbounded))
                .next();
            match next {
                Some((k, _)) => self.selected_key = Some(k.clone()),
                None => {
                    self.selected_key = self.pods.keys().next_back().cloned();
                    self.selected = self.pods.len().saturating_sub(1);
                }
            }
        }
    }

    /// Selects the row at `index` (clamped).
    pub(crate) fn select_index(&mut self, index: usize) {
        let Some(last) = self.pods.len().checked_sub(1) else {
            self.selected = 0;
            self.selected_key = None;
            return;
        };
        let index = index.min(last);
        self.selected_key = self.pods.keys().nth(index).cloned();
        self.selected = index;
    }

    /// Moves the selection by `delta` rows; walks only `delta` keys from the current one.
    pub(crate) fn move_selection(&mut self, delta: isize) {
        let Some(sel) = self.selected_key.clone() else {
            return;
        };
        let steps = delta.unsigned_abs();
        let (moved, target) = if delta >= 0 {
            walk(
                self.pods
                    .range((Bound::Excluded(&sel), Bound::Unbounded))
                    .take(steps),
            )
        } else {
            walk(self.pods.range(..&sel).rev().take(steps))
        };
        if let Some(key) = target {
            self.selected_key = Some(key);
            self.selected = if delta >= 0 {
                self.selected + moved
            } else {
                self.selected.saturating_sub(moved)
            };
        }
    }

    /// Scrolls so the selected row is inside a body of `height` rows.
    pub(crate) fn keep_selection_visible(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        // No blank space below the last row while rows above are hidden.
        self.offset = self.offset.min(self.pods.len().saturating_sub(height));
    }
}

/// Counts the steps taken and returns the last key reached.
fn walk<'a>(iter: impl Iterator<Item = (&'a PodKey, &'a PodRow)>) -> (usize, Option<PodKey>) {
    let mut moved = 0;
    let mut last = None;
    for (key, _) in iter {
        moved += 1;
        last = Some(key);
    }
    (moved, last.cloned())
}
