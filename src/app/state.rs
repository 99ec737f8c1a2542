//! Everything the views need, owned by the runtime and changed only by `update`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::effect::Namespaces;
use crate::app::msg::WatchScope;
use crate::app::order::Sort;
use crate::app::pod_table::{OrderInput, PodTable};
use crate::app::resource_list::ResourceList;
use crate::app::screen::{InputLine, LineKind, Modal, Screen};
use crate::app::store::PodStore;
use crate::config::settings::{AuditSettings, LogSettings, ShellSettings};
use crate::config::theme::Theme;
use crate::config::{ColourSupport, Keymap, Settings, Tenant};
use crate::kube::kinds::ResourceKind;
use crate::kube::pods::PodRow;

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

/// What belongs to the cluster connected to: dropped whole by a context switch.
#[derive(Clone, Debug)]
pub struct ClusterState {
    /// Connection status for the status bar.
    pub connection: Connection,
    /// The kubeconfig context (requested, then the one actually used).
    pub context: String,
    /// What is being watched, once connected.
    pub watching: Option<Namespaces>,
    /// The namespace of the context (kubectl's namespace without `-n`), once connected.
    pub default_namespace: Option<String>,
    /// Watches that have not finished their first list yet.
    pub pending_lists: BTreeSet<WatchScope>,
    /// Watches currently failing (retrying with backoff), with the sentence saying why.
    pub watch_errors: BTreeMap<WatchScope, String>,
    /// Watched namespaces RBAC refused (403); dropped when the user adds one they can read.
    pub forbidden_namespaces: BTreeSet<String>,
    /// The kind the resource-list watch runs for, if one runs.
    pub resource_watch: Option<ResourceKind>,
    /// The fetch asking whether a namespace typed in exists, and that namespace.
    pub namespace_check: Option<(u64, String)>,
}

impl ClusterState {
    /// Nothing known yet about `context`.
    pub fn new(context: impl Into<String>) -> ClusterState {
        ClusterState {
            connection: Connection::Connecting,
            context: context.into(),
            watching: None,
            default_namespace: None,
            pending_lists: BTreeSet::new(),
            watch_errors: BTreeMap::new(),
            forbidden_namespaces: BTreeSet::new(),
            resource_watch: None,
            namespace_check: None,
        }
    }
}

/// The state of the app: the cluster, the pod store, the screen stack with what floats over it,
/// and the user's settings.
#[derive(Clone, Debug)]
pub struct State {
    /// The cluster connected to.
    pub cluster: ClusterState,
    /// Every watched pod; pod tables are views over it.
    pub store: PodStore,
    /// Screens, a pod table first; the last one is shown and esc pops it.
    pub stack: Vec<Screen>,
    /// The overlay taking keys, when open.
    pub modal: Option<Modal>,
    /// The line being typed in the bottom row, when open.
    pub line: Option<InputLine>,
    /// Every context of the kubeconfig, for `:ctx`.
    pub contexts: Vec<String>,
    /// What the user asked to watch.
    pub namespace_choice: NamespaceChoice,
    /// The tenants named in `config.yaml`, with their display names.
    pub tenants: Vec<Tenant>,
    /// The one tenant the pod table shows, picked with the tenant picker or 1–9; `None`: all.
    /// A view over the held rows, so switching never re-fetches.
    pub namespace_focus: Option<String>,
    /// Favourite tenants in the order 1–9 reach them.
    pub favourites: Vec<String>,
    /// The user's pod sort; `None` keeps namespace/name order.
    pub sort: Option<Sort>,
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
    /// The last fetch id handed out; replies carry theirs.
    pub last_request: u64,
    /// Every column at full width, even if the name is cut (the `toggle_wide` key).
    pub wide: bool,
    /// How much history log views start with and keep (`config.yaml`'s `logs`).
    pub log_settings: LogSettings,
    /// Where the audit log goes (`config.yaml`'s `audit`).
    pub audit_settings: AuditSettings,
    /// Which shells `s` tries (`config.yaml`'s `shell`).
    pub shell_settings: ShellSettings,
    /// Why mutations are off, if they are: `--readonly`, or config.yaml for these contexts.
    pub readonly: ReadOnly,
    /// The server's answers to "may I …?" (SelfSubjectAccessReview), until a context switch.
    pub rights: std::collections::HashMap<crate::kube::mutate::Access, Result<bool, String>>,
    /// A mutating action waiting for its access answer, with the question it waits on.
    pub pending_action: Option<(crate::app::action::Action, crate::kube::mutate::Access)>,
    /// The edit under way (`e`), if any.
    pub edit: Option<crate::app::edit::EditSession>,
    /// What the user must do by hand once a confirmed change is made, by the object's label
    /// (`job p9d6ty/upddistr-hml`): said again with the change's sentence.
    pub after_change: Vec<(String, String)>,
    /// Alerts seen while open (OOM kills, crash loops, tenants going DOWN).
    pub alerts: crate::app::alerts::Alerts,
    /// Ring the terminal bell on an alert (config.yaml `alerts: {bell: true}`).
    pub alert_bell: bool,
    /// What the overview reads changed since the last look for tenants going DOWN.
    pub health_dirty: bool,
    /// The tenant environments (namespace, env) DOWN at the last look; `None` before the first.
    pub down_tenants: Option<std::collections::BTreeSet<(String, String)>>,
    /// Where copies go, chosen once at start from the config and the environment.
    pub clipboard: crate::app::clipboard::Backend,
    /// The YAML fetch `Y` is waiting for, to copy it when it arrives.
    pub clipboard_request: Option<(u64, crate::kube::fetch::ObjectRef)>,
    /// Usage from metrics.k8s.io of what is on screen (`app/metrics.rs`).
    pub metrics: crate::app::metrics::Metrics,
    /// The Services, Jobs and warning Events the overview reads, from their slim watches.
    pub health: crate::app::overview::HealthObjects,
    /// The overview's rows per namespace, recomputed only where something changed.
    pub overview_cache: crate::app::overview::OverviewCache,
}

/// Read-only mode: from the command line, or from config.yaml (everywhere or per context).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOnly {
    /// `--readonly` was given.
    pub flag: bool,
    /// `readonly: true` at the top of config.yaml.
    pub config: bool,
    /// Contexts config.yaml makes read-only.
    pub contexts: std::collections::BTreeSet<String>,
}

impl ReadOnly {
    /// Why `context` is read-only, if it is (the words after "kterm is read-only").
    pub fn why(&self, context: &str) -> Option<&'static str> {
        if self.flag {
            Some("--readonly")
        } else if self.config {
            Some("readonly in config.yaml")
        } else if self.contexts.contains(context) {
            Some("readonly for this context in config.yaml")
        } else {
            None
        }
    }
}

impl State {
    /// A fresh state before connecting.
    pub fn new(
        context: impl Into<String>,
        namespace_choice: NamespaceChoice,
        now: DateTime<Utc>,
    ) -> Self {
        State {
            cluster: ClusterState::new(context),
            store: PodStore::default(),
            stack: vec![Screen::pods()],
            modal: None,
            line: None,
            contexts: Vec::new(),
            namespace_choice,
            tenants: Vec::new(),
            namespace_focus: None,
            favourites: Vec::new(),
            sort: None,
            size: (80, 24),
            now,
            message: None,
            revision: 1,
            quitting: false,
            // The presets: config files are read by the runtime, keeping `State` free of IO.
            keymap: Arc::new(Keymap::presets_default()),
            theme: Arc::new(Theme::build(None, ColourSupport::Colour)),
            last_request: 0,
            wide: false,
            log_settings: LogSettings::default(),
            audit_settings: AuditSettings::default(),
            shell_settings: ShellSettings::default(),
            readonly: ReadOnly::default(),
            rights: std::collections::HashMap::new(),
            pending_action: None,
            edit: None,
            after_change: Vec::new(),
            alerts: crate::app::alerts::Alerts::default(),
            alert_bell: false,
            health_dirty: false,
            down_tenants: None,
            clipboard: crate::app::clipboard::Backend::default(),
            clipboard_request: None,
            metrics: crate::app::metrics::Metrics::default(),
            health: crate::app::overview::HealthObjects::default(),
            overview_cache: crate::app::overview::OverviewCache::default(),
        }
    }

    /// Drops everything of the current cluster — its connection, the pod store, every screen
    /// and overlay — in one place, keeping what belongs to the user; then connects to `context`.
    pub(crate) fn reset_cluster(&mut self, context: &str) {
        self.cluster = ClusterState::new(context);
        self.store = PodStore::default();
        self.health = crate::app::overview::HealthObjects::default();
        self.overview_cache = crate::app::overview::OverviewCache::default();
        self.stack = vec![Screen::pods()];
        self.modal = None;
        self.line = None;
        self.namespace_focus = None;
        self.message = None;
        self.rights.clear();
        self.pending_action = None;
        self.after_change.clear();
        self.down_tenants = None;
        self.health_dirty = false;
        self.metrics.reset();
        // An edit's answers would come from the old cluster and its save go to the new one.
        if let Some(edit) = self.edit.take().filter(|e| e.path().is_some()) {
            let left = format!(
                "The edit of the {} was left at the context switch.",
                edit.label()
            );
            self.message = Some(format!("{left} {}", edit.kept()));
        }
    }

    /// The screen shown.
    pub fn screen(&self) -> Option<&Screen> {
        self.stack.last()
    }

    /// The pod table shown, unless another screen is on top.
    pub fn top_pods(&self) -> Option<&PodTable> {
        match self.stack.last() {
            Some(Screen::Pods(table)) => Some(table),
            _ => None,
        }
    }

    /// The pod table shown, for changing it.
    pub(crate) fn top_pods_mut(&mut self) -> Option<&mut PodTable> {
        match self.stack.last_mut() {
            Some(Screen::Pods(table)) => Some(table),
            _ => None,
        }
    }

    /// The topmost pod table, shown or covered: the one esc leads back to.
    pub fn pods_table(&self) -> Option<&PodTable> {
        self.stack.iter().rev().find_map(|s| match s {
            Screen::Pods(table) => Some(&**table),
            _ => None,
        })
    }

    /// The resource list shown, unless the pod table (or another screen) is on top.
    pub fn top_resources(&self) -> Option<&ResourceList> {
        match self.stack.last() {
            Some(Screen::Resources(view)) => Some(view),
            _ => None,
        }
    }

    /// The resource list shown, for changing it.
    pub(crate) fn top_resources_mut(&mut self) -> Option<&mut ResourceList> {
        match self.stack.last_mut() {
            Some(Screen::Resources(view)) => Some(view),
            _ => None,
        }
    }

    /// The selected pod of the pod table shown.
    pub fn selected_row(&self) -> Option<&PodRow> {
        self.top_pods()
            .and_then(|table| table.selected_row(&self.store))
    }

    /// The input line of `kind`, when that one is open.
    pub fn line_of(&self, kind: LineKind) -> Option<&str> {
        self.line
            .as_ref()
            .filter(|l| l.kind == kind)
            .map(|l| l.text.as_str())
    }

    /// Whether the help screen is open.
    pub fn help_open(&self) -> bool {
        matches!(self.modal, Some(Modal::Help { .. }))
    }

    /// Rebuilds the shown pod table's order after the store, sort, focus or filter changed;
    /// covered pod tables are only marked, and rebuilt when they are shown again.
    pub(crate) fn reorder(&mut self) {
        self.rebuild_pods(false);
    }

    /// Like `reorder`, but the new filter narrows the old one: only shown rows are tested.
    pub(crate) fn reorder_narrowing(&mut self) {
        self.rebuild_pods(true);
    }

    fn rebuild_pods(&mut self, narrowing: bool) {
        let State {
            stack,
            store,
            namespace_focus,
            sort,
            ..
        } = self;
        let input = OrderInput {
            store,
            focus: namespace_focus.as_deref(),
            sort: *sort,
        };
        let top = stack.len().saturating_sub(1);
        for (i, screen) in stack.iter_mut().enumerate() {
            let Screen::Pods(table) = screen else {
                continue;
            };
            match (i == top, narrowing) {
                (true, true) => table.reorder_narrowing(input),
                (true, false) => table.reorder(input),
                (false, _) => table.stale = true,
            }
        }
        // The shown table is in step with the store: later changes are journalled for it.
        store.restart_journal();
        if let Some(Screen::Pods(table)) = stack.last_mut() {
            table.journal_id = Some(store.journal_id());
        }
    }

    /// Derives the connection status from the watches, once a client exists.
    pub(crate) fn refresh_connection(&mut self) {
        let cluster = &mut self.cluster;
        if matches!(
            cluster.connection,
            Connection::Connecting | Connection::Failed(_)
        ) {
            return;
        }
        cluster.connection = if let Some((_, error)) = cluster.watch_errors.iter().next() {
            Connection::Retrying(error.clone())
        } else if !cluster.pending_lists.is_empty() {
            Connection::Listing
        } else {
            Connection::Live
        };
    }

    /// The next fetch id.
    pub(crate) fn next_request(&mut self) -> u64 {
        self.last_request = self.last_request.wrapping_add(1);
        self.last_request
    }
}
