//! Everything the views need, owned by the runtime and changed only by `update`.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::cursor::Cursor;
use crate::app::detail::DetailState;
use crate::app::effect::Namespaces;
use crate::app::msg::WatchScope;
use crate::app::order::{Filter, Sort};
use crate::app::picker::Picker;
use crate::app::resource_view::ResourceView;
use crate::app::scope::PodScope;
use crate::app::screen::{PodView, Screen};
use crate::config::theme::Theme;
use crate::config::{ColourSupport, Keymap, Settings, Tenant};
use crate::kube::kinds::ResourceKind;
use crate::kube::pods::{PodKey, PodRow, Shared};

/// Which namespaces the user asked for on the command line.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum NamespaceChoice {
    /// The namespace of the kubeconfig context (like kubectl without `-n`).
    #[default]
    ContextDefault,
    /// `-A`: every namespace.
    All,
    /// `-n a,b` or the config's tenants: these namespaces.
    List(Vec<String>),
    /// `--tenant-selector k=v`: the namespaces with this label.
    Selector(String),
}

impl NamespaceChoice {
    /// Without namespaces on the command line, the config's tenants (or its tenant selector)
    /// are what the user wants to watch.
    pub fn or_settings(self, settings: &Settings) -> NamespaceChoice {
        if self != NamespaceChoice::ContextDefault {
            return self;
        }
        if !settings.tenants.is_empty() {
            let names = settings.tenants.iter().map(|t| t.namespace.clone());
            return NamespaceChoice::List(names.collect());
        }
        match &settings.tenant_selector {
            Some(selector) => NamespaceChoice::Selector(selector.clone()),
            None => self,
        }
    }
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

/// Counters of the work done to build the shown order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderStats {
    /// Times `order` was rebuilt.
    pub rebuilds: u64,
    /// Rows tested against the filter by the last rebuild.
    pub examined: usize,
    /// Rows before the filter: every pod, or the focused tenant's.
    pub base: usize,
    /// Shown rows that are not fully ready.
    pub unhealthy: usize,
}

/// The state of the app.
#[derive(Clone, Debug)]
pub struct State {
    /// Connection status for the status bar.
    pub connection: Connection,
    /// The kubeconfig context (requested, then the one actually used).
    pub context: String,
    /// Every context of the kubeconfig, for `:ctx`.
    pub contexts: Vec<String>,
    /// What the user asked to watch.
    pub namespace_choice: NamespaceChoice,
    /// What is being watched, once connected.
    pub watching: Option<Namespaces>,
    /// When a cluster-wide watch serves a set of tenants, the namespaces whose pods are kept.
    pub only_namespaces: Option<BTreeSet<String>>,
    /// The tenants named in `config.yaml`, with their display names.
    pub tenants: Vec<Tenant>,
    /// Namespace and node names, one copy each, shared by every row that names them.
    pub interned: HashSet<Shared>,
    /// The one tenant the pod table shows, picked with the tenant picker or 1–9; `None`: all.
    /// A view over the watched rows, so switching never re-fetches.
    pub namespace_focus: Option<String>,
    /// Favourite tenants in the order 1–9 reach them.
    pub favourites: Vec<String>,
    /// The popup picker, when open.
    pub picker: Option<Picker>,
    /// The namespace of the context (kubectl's namespace without `-n`), once connected.
    pub default_namespace: Option<String>,
    /// Watches that have not finished their first list yet.
    pub pending_lists: BTreeSet<WatchScope>,
    /// Watches currently failing (retrying with backoff), with the sentence saying why.
    pub watch_errors: BTreeMap<WatchScope, String>,
    /// Watched namespaces RBAC refused (403); dropped when the user adds one they can read.
    pub forbidden_namespaces: BTreeSet<String>,
    /// Pod rows ordered by namespace then name.
    pub pods: BTreeMap<PodKey, PodRow>,
    /// Keys of the shown rows, sorted and filtered; rebuilt only when data, sort or filter change.
    pub order: Vec<PodKey>,
    /// The user's sort; `None` keeps namespace/name order.
    pub sort: Option<Sort>,
    /// The filter in force (the last valid one typed).
    pub filter: Option<Filter>,
    /// The filter line being typed, while it is open.
    pub filter_input: Option<String>,
    /// How much work building `order` took, so tests can count it instead of timing it.
    pub order_stats: OrderStats,
    /// Index of the selected row in `order` (0 when empty).
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
    /// First help line shown, when the help is taller than the screen.
    pub help_scroll: usize,
    /// The YAML/describe view and the detail pane.
    pub detail: DetailState,
    /// Screens, the pod table first; the last one is shown and esc pops it.
    pub stack: Vec<Screen>,
    /// The pod table's restriction before the filter (a drill-down's pods), if any.
    pub pod_scope: Option<PodScope>,
    /// The command line being typed (`:deploy`), while it is open.
    pub command_input: Option<String>,
    /// The kind the resource-list watch runs for, if one runs.
    pub resource_watch: Option<ResourceKind>,
    /// Every column at full width, even if the name is cut (the `toggle_wide` key).
    pub wide: bool,
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
            contexts: Vec::new(),
            namespace_choice,
            watching: None,
            only_namespaces: None,
            tenants: Vec::new(),
            interned: HashSet::new(),
            namespace_focus: None,
            favourites: Vec::new(),
            picker: None,
            default_namespace: None,
            pending_lists: BTreeSet::new(),
            watch_errors: BTreeMap::new(),
            forbidden_namespaces: BTreeSet::new(),
            pods: BTreeMap::new(),
            order: Vec::new(),
            sort: None,
            filter: None,
            filter_input: None,
            order_stats: OrderStats::default(),
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
            help_scroll: 0,
            detail: DetailState::default(),
            stack: vec![Screen::Pods(PodView::default())],
            pod_scope: None,
            command_input: None,
            resource_watch: None,
            wide: false,
        }
    }

    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&PodRow> {
        self.selected_key.as_ref().and_then(|k| self.pods.get(k))
    }

    /// Rows from `offset`, at most `height` of them: only the visible window is ever walked.
    pub fn visible_rows(&self, height: usize) -> impl Iterator<Item = &PodRow> {
        self.order
            .iter()
            .skip(self.offset)
            .take(height)
            .filter_map(|k| self.pods.get(k))
    }

    /// Of the shown rows, those not fully ready (and not finished job pods); counted when the
    /// order is rebuilt, not per frame.
    pub fn unhealthy_count(&self) -> usize {
        self.order_stats.unhealthy
    }

    /// The screen shown.
    pub fn screen(&self) -> Option<&Screen> {
        self.stack.last()
    }

    /// The resource list shown, unless the pod table (or another screen) is on top.
    pub fn top_resources(&self) -> Option<&ResourceView> {
        match self.stack.last() {
            Some(Screen::Resources(view)) => Some(view),
            _ => None,
        }
    }

    /// The resource list shown, for changing it.
    pub(crate) fn top_resources_mut(&mut self) -> Option<&mut ResourceView> {
        match self.stack.last_mut() {
            Some(Screen::Resources(view)) => Some(view),
            _ => None,
        }
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

    /// Inserts or replaces a row; `reorder` must follow. Rows outside the tenant set of a
    /// cluster-wide watch are not kept.
    pub(crate) fn upsert(&mut self, mut row: PodRow) {
        if let Some(only) = &self.only_namespaces {
            if !only.contains(&*row.namespace) {
                return;
            }
        }
        // One copy of each string: a known pod keeps its key's name and namespace, a new one
        // takes the interned namespace; node names are interned too.
        let key = row.key();
        if let Some((known, _)) = self.pods.get_key_value(&key) {
            row.namespace = known.namespace.clone();
            row.name = known.name.clone();
        } else {
            row.namespace = intern(&mut self.interned, &row.namespace);
        }
        row.node = intern(&mut self.interned, &row.node);
        self.pods.insert(row.key(), row);
    }

    /// Removes a row; `reorder` must follow.
    pub(crate) fn remove(&mut self, key: &PodKey) {
        self.pods.remove(key);
    }

    /// Rebuilds `order` from every row, keeping the selection on the same pod, or on the row
    /// that took its place when the pod is gone or filtered out.
    pub(crate) fn reorder(&mut self) {
        self.rebuild_order(Vec::new(), false);
    }

    /// Like `reorder`, but tests only the rows shown now: the new filter narrows the old one.
    pub(crate) fn reorder_narrowing(&mut self) {
        let shown = std::mem::take(&mut self.order);
        self.rebuild_order(shown, true);
    }

    fn rebuild_order(&mut self, shown: Vec<PodKey>, narrowing: bool) {
        // The scope comes before the filter: shown rows are already in scope.
        let candidates: Vec<&PodRow> = if narrowing {
            shown.iter().filter_map(|k| self.pods.get(k)).collect()
        } else {
            // A drill-down's scope is narrower than the tenant focus; either is a range of the
            // map, so a focused view never walks the other tenants' pods.
            let focus = self.namespace_focus.clone().map(PodScope::namespace);
            match self.pod_scope.as_ref().or(focus.as_ref()) {
                Some(scope) => scope.rows(&self.pods).collect(),
                None => self.pods.values().collect(),
            }
        };
        self.order_stats.rebuilds += 1;
        self.order_stats.examined = candidates.len();
        if !narrowing {
            self.order_stats.base = candidates.len();
        }
        let mut rows: Vec<&PodRow> = match &self.filter {
            Some(f) => candidates.into_iter().filter(|r| f.matches(r)).collect(),
            None => candidates,
        };
        // Narrowing keeps the existing order, and the BTreeMap already yields key order.
        if let (Some(sort), false) = (self.sort, narrowing) {
            rows.sort_by(|a, b| sort.compare(a, b));
        }
        self.order_stats.unhealthy = rows.iter().filter(|r| r.is_unhealthy()).count();
        self.order = rows.into_iter().map(PodRow::key).collect();
        self.cursor().follow();
    }

    /// The cursor over the shown order.
    fn cursor(&mut self) -> Cursor<'_, PodKey> {
        Cursor {
            order: &self.order,
            selected: &mut self.selected,
            selected_key: &mut self.selected_key,
            offset: &mut self.offset,
        }
    }

    /// Selects the row at `index` (clamped).
    pub(crate) fn select_index(&mut self, index: usize) {
        self.cursor().select_index(index);
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub(crate) fn move_selection(&mut self, delta: isize) {
        self.cursor().move_by(delta);
    }

    /// Scrolls so the selected row is inside a body of `height` rows.
    pub(crate) fn keep_selection_visible(&mut self, height: usize) {
        self.cursor().keep_visible(height);
    }
}

/// The shared copy of `text`, added if new.
fn intern(set: &mut HashSet<Shared>, text: &Shared) -> Shared {
    match set.get(&**text) {
        Some(shared) => shared.clone(),
        None => {
            set.insert(text.clone());
            text.clone()
        }
    }
}
