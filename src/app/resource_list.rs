//! A list of another kind on the screen stack: its rows (fed by the one resource watch), the
//! order shown, the cursor and the filter. Pod tables are views over the pod store instead (`app::pod_table`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::app::cursor::Cursor;
use crate::app::msg::WatchScope;
use crate::app::order::Filter;
use crate::kube::kinds::ResourceKind;
use crate::kube::resources::{plural, Owner, ResourceChange, ResourceKey, ResourceRow};

/// A restriction of a list to the objects one owner controls: the jobs of a cronjob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListScope {
    /// The owner's namespace.
    pub namespace: String,
    /// The owner (`CronJob` `protheus-updater`).
    pub owner: Owner,
    /// What the status bar calls the list: `jobs of cj/protheus-updater`.
    pub title: String,
}

/// One resource list.
#[derive(Clone, Debug)]
pub struct ResourceList {
    /// The kind listed.
    pub kind: ResourceKind,
    /// Set when the list shows only what one owner controls.
    pub scope: Option<ListScope>,
    /// Every row the watch sent, by namespace and name.
    pub rows: BTreeMap<ResourceKey, ResourceRow>,
    /// Keys of the shown rows: in scope, filtered, ordered (events newest first).
    pub order: Vec<ResourceKey>,
    /// Rows in scope before the user's filter, for the status bar's "n of m".
    pub scoped: usize,
    /// The filter in force.
    pub filter: Option<Filter>,
    /// Index of the selected row in `order`.
    pub selected: usize,
    /// Key of the selected row, so the selection follows the object while rows come and go.
    pub selected_key: Option<ResourceKey>,
    /// Index of the first visible row.
    pub offset: usize,
    /// Watches of this list that have not listed yet.
    pub pending: BTreeSet<WatchScope>,
    /// Watches of this list that fail, with the sentence saying why.
    pub errors: BTreeMap<WatchScope, String>,
    /// Rows marked with space (deleted together); they stay marked while filtered out.
    pub marked: BTreeSet<ResourceKey>,
    /// The focused tenant when the list opened (or since): only its objects are shown.
    pub focus: Option<String>,
    /// Events: one row per reason and object, counts summed (`BackOff ×12`); `=` toggles.
    pub grouped: bool,
    /// The grouped rows, each under the key of its newest event (so y/d show that event).
    pub groups: BTreeMap<ResourceKey, ResourceRow>,
}

impl ResourceList {
    /// An empty list of `kind`, waiting for its watch.
    pub fn new(kind: ResourceKind, scope: Option<ListScope>) -> ResourceList {
        ResourceList {
            kind,
            scope,
            rows: BTreeMap::new(),
            order: Vec::new(),
            scoped: 0,
            filter: None,
            selected: 0,
            selected_key: None,
            offset: 0,
            pending: BTreeSet::new(),
            errors: BTreeMap::new(),
            marked: BTreeSet::new(),
            focus: None,
            grouped: kind == ResourceKind::Event,
            groups: BTreeMap::new(),
        }
    }

    /// What the status bar calls this list: `deployments`, `jobs of cj/protheus-updater`.
    pub fn title(&self) -> String {
        match &self.scope {
            Some(scope) => scope.title.clone(),
            None => plural(self.kind).to_string(),
        }
    }

    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&ResourceRow> {
        self.selected_key.as_ref().and_then(|k| self.row(k))
    }

    /// The row shown under `key`: a group's, else the object's.
    fn row(&self, key: &ResourceKey) -> Option<&ResourceRow> {
        self.groups.get(key).or_else(|| self.rows.get(key))
    }

    /// Rows from `offset`, at most `height` of them: only the visible window is walked.
    pub fn visible_rows(&self, height: usize) -> impl Iterator<Item = &ResourceRow> {
        self.order
            .iter()
            .skip(self.offset)
            .take(height)
            .filter_map(|k| self.row(k))
    }

    fn in_scope(&self, row: &ResourceRow) -> bool {
        self.focus.as_ref().is_none_or(|ns| row.namespace == *ns)
            && self.scope.as_ref().is_none_or(|s| {
                row.namespace == s.namespace && row.owner.as_ref() == Some(&s.owner)
            })
    }

    /// Applies what the watch of `scope` saw; `true` when the list changed.
    pub(crate) fn apply(&mut self, scope: &WatchScope, change: ResourceChange) -> bool {
        match change {
            ResourceChange::Applied(rows) => {
                self.errors.remove(scope);
                for row in rows {
                    self.rows.insert(row.key(), row);
                }
            }
            ResourceChange::Deleted(key) => {
                self.errors.remove(scope);
                self.rows.remove(&key);
            }
            ResourceChange::Relisted(keys) => {
                self.pending.remove(scope);
                self.errors.remove(scope);
                // Rows of this watch that the fresh list lacks were deleted while unwatched.
                let listed: HashSet<&ResourceKey> = keys.iter().collect();
                self.rows
                    .retain(|k, _| !scope.contains(&k.namespace) || listed.contains(k));
            }
            ResourceChange::Failed(sentence) => {
                self.errors.insert(scope.clone(), sentence);
                return true;
            }
        }
        self.reorder();
        true
    }

    /// Rebuilds `order`, keeping the selection on the same object (or the row in its place).
    pub(crate) fn reorder(&mut self) {
        let scoped: Vec<&ResourceRow> = self.rows.values().filter(|r| self.in_scope(r)).collect();
        self.scoped = scoped.len();
        let mut shown: Vec<&ResourceRow> = match &self.filter {
            Some(f) => scoped
                .into_iter()
                .filter(|r| f.matches_object(&r.namespace, &r.name))
                .collect(),
            None => scoped,
        };
        self.groups = if self.kind == ResourceKind::Event && self.grouped {
            group_events(&shown)
        } else {
            BTreeMap::new()
        };
        if !self.groups.is_empty() {
            shown = self.groups.values().collect();
        }
        if self.kind == ResourceKind::Event {
            // What just happened matters most; ties keep namespace/name order (stable sort).
            shown.sort_by_key(|r| std::cmp::Reverse(r.recent));
        }
        self.order = shown.into_iter().map(ResourceRow::key).collect();
        self.cursor().follow();
    }

    /// The cursor over the shown order.
    fn cursor(&mut self) -> Cursor<'_, ResourceKey> {
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

/// Events grouped by namespace, type, reason and object (the key Kubernetes' own event
/// aggregation uses, less the source): the newest of each group stands for it, its count the
/// group's sum and its reason `BackOff ×12` when more than once.
fn group_events(events: &[&ResourceRow]) -> BTreeMap<ResourceKey, ResourceRow> {
    // TYPE, REASON and OBJECT are cells 1–3 of an event row (`kube::resources::columns`).
    let text = |r: &ResourceRow, i: usize| match r.cells.get(i) {
        Some(crate::kube::resources::Cell::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let mut by: BTreeMap<(String, String, String, String), ResourceRow> = BTreeMap::new();
    for event in events {
        let id = (
            event.namespace.clone(),
            text(event, 1),
            text(event, 2),
            text(event, 3),
        );
        match by.get_mut(&id) {
            Some(group) => {
                let count = group.count + event.count.max(1);
                let warning = group.health == crate::kube::resources::Health::Warning;
                if event.recent > group.recent {
                    *group = (*event).clone();
                }
                group.count = count;
                if warning {
                    group.health = crate::kube::resources::Health::Warning;
                }
            }
            None => {
                let mut first = (*event).clone();
                first.count = first.count.max(1);
                by.insert(id, first);
            }
        }
    }
    by.into_values()
        .map(|mut group| {
            if group.count > 1 {
                if let Some(crate::kube::resources::Cell::Text(reason)) = group.cells.get_mut(2) {
                    *reason = format!("{reason} ×{}", group.count);
                }
            }
            (group.key(), group)
        })
        .collect()
}
