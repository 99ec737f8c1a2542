//! A small popup list to pick one name from (a tenant, a context), narrowed by typing. Its
//! selection is the shared `Cursor`, keyed by value, so narrowing keeps the item picked.

use crate::app::cursor::Cursor;

/// What the picker picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickerKind {
    /// A tenant namespace to focus the pod table on (or all of them).
    Tenants,
    /// A kubeconfig context to switch to.
    Contexts,
    /// A container of the pod whose logs are shown (or all of them).
    Containers,
    /// A container to open a shell in; item values are `namespace/pod/container`.
    ShellContainers,
}

/// One line of the picker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PickerItem {
    /// What picking it means: a namespace or context name; "" for "all tenants".
    pub value: String,
    /// What the user reads: the namespace with the tenant's name and environment.
    pub label: String,
    /// A fact beside it, e.g. "12 pods, 2 not ready" or "current".
    pub detail: String,
    /// Marked as a favourite (reachable with 1–9).
    pub favourite: bool,
}

/// The open picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    /// What it picks.
    pub kind: PickerKind,
    /// Every choice, in display order.
    pub items: Vec<PickerItem>,
    /// The text typed so far; narrows the items.
    pub query: String,
    /// Index into `shown()`.
    pub selected: usize,
    /// Value of the selected item, so the selection follows it while the query narrows.
    pub selected_key: Option<String>,
    /// Index into `shown()` of the first item on screen.
    pub offset: usize,
}

impl Picker {
    /// A picker over `items`, the cursor on the item whose value is `current` if any.
    pub fn new(kind: PickerKind, items: Vec<PickerItem>, current: &str) -> Picker {
        let selected = items.iter().position(|i| i.value == current).unwrap_or(0);
        let mut picker = Picker {
            kind,
            items,
            query: String::new(),
            selected: 0,
            selected_key: None,
            offset: 0,
        };
        picker.with_cursor(|c| c.select_index(selected));
        picker
    }

    /// The cursor over the shown items' values.
    fn with_cursor(&mut self, f: impl FnOnce(Cursor<'_, String>)) {
        let order: Vec<String> = self.shown().into_iter().map(|i| i.value.clone()).collect();
        f(Cursor {
            order: &order,
            selected: &mut self.selected,
            selected_key: &mut self.selected_key,
            offset: &mut self.offset,
        });
    }

    /// The items matching the query (a case-insensitive substring of the label), the ones
    /// whose name is or starts with the query first, so typing a whole name picks it.
    pub fn shown(&self) -> Vec<&PickerItem> {
        let query = self.query.to_lowercase();
        let mut shown: Vec<(u8, &PickerItem)> = self
            .items
            .iter()
            .filter_map(|i| {
                let value = i.value.to_lowercase();
                let rank = if query.is_empty() || value == query {
                    0
                } else if value.starts_with(&query) {
                    1
                } else if i.label.to_lowercase().contains(&query) {
                    2
                } else {
                    return None;
                };
                Some((rank, i))
            })
            .collect();
        shown.sort_by_key(|(rank, _)| *rank);
        shown.into_iter().map(|(_, i)| i).collect()
    }

    /// The item under the cursor.
    pub fn chosen(&self) -> Option<&PickerItem> {
        self.shown().get(self.selected).copied()
    }

    /// Moves the cursor by `delta`, stopping at either end, and keeps it inside a window of
    /// `room` items.
    pub fn step(&mut self, delta: isize, room: usize) {
        self.with_cursor(|c| c.move_by(delta));
        self.with_cursor(|c| c.keep_visible(room));
    }

    /// Sets the query; the cursor stays on the same item if it is still shown.
    pub fn set_query(&mut self, query: String, room: usize) {
        self.query = query;
        self.with_cursor(|c| c.follow());
        self.with_cursor(|c| c.keep_visible(room));
    }
}
