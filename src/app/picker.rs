//! A small popup list to pick one name from (a tenant, a context), narrowed by typing.

/// What the picker picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickerKind {
    /// A tenant namespace to focus the pod table on (or all of them).
    Tenants,
    /// A kubeconfig context to switch to.
    Contexts,
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
}

impl Picker {
    /// A picker over `items`, the cursor on the item whose value is `current` if any.
    pub fn new(kind: PickerKind, items: Vec<PickerItem>, current: &str) -> Picker {
        let selected = items.iter().position(|i| i.value == current).unwrap_or(0);
        Picker {
            kind,
            items,
            query: String::new(),
            selected,
        }
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

    /// Moves the cursor by `delta`, stopping at either end.
    pub fn step(&mut self, delta: isize) {
        let last = self.shown().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Sets the query and keeps the cursor inside what is shown.
    pub fn set_query(&mut self, query: String) {
        self.query = query;
        self.selected = self.selected.min(self.shown().len().saturating_sub(1));
    }
}
