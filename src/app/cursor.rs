//! The cursor over a shown order, shared by the pod table and the resource lists: which row is
//! selected (by index and by key, so it follows the object while rows come and go) and which
//! row is the first on screen.

/// Borrowed parts of a table's cursor; the owner lends them with its `cursor()`.
pub(crate) struct Cursor<'a, K> {
    /// Keys of the shown rows.
    pub order: &'a [K],
    /// Index of the selected row in `order` (0 when empty).
    pub selected: &'a mut usize,
    /// Key of the selected row.
    pub selected_key: &'a mut Option<K>,
    /// Index of the first visible row.
    pub offset: &'a mut usize,
}

impl<K: Clone + PartialEq> Cursor<'_, K> {
    /// After `order` was rebuilt: keep the selection on the same key, or on the row that took
    /// its place when the key is gone or filtered out.
    pub fn follow(self) {
        let position = self
            .selected_key
            .as_ref()
            .and_then(|sel| self.order.iter().position(|k| k == sel));
        match position {
            Some(i) => *self.selected = i,
            None => {
                let index = *self.selected;
                self.select_index(index);
            }
        }
    }

    /// Selects the row at `index` (clamped).
    pub fn select_index(self, index: usize) {
        let Some(last) = self.order.len().checked_sub(1) else {
            *self.selected = 0;
            *self.selected_key = None;
            return;
        };
        let index = index.min(last);
        *self.selected_key = self.order.get(index).cloned();
        *self.selected = index;
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub fn move_by(self, delta: isize) {
        if !self.order.is_empty() {
            let index = self.selected.saturating_add_signed(delta);
            self.select_index(index);
        }
    }

    /// Scrolls so the selected row is inside a body of `height` rows.
    pub fn keep_visible(self, height: usize) {
        let height = height.max(1);
        if *self.selected < *self.offset {
            *self.offset = *self.selected;
        } else if *self.selected >= *self.offset + height {
            *self.offset = *self.selected + 1 - height;
        }
        // No blank space below the last row while rows above are hidden.
        *self.offset = (*self.offset).min(self.order.len().saturating_sub(height));
    }
}
