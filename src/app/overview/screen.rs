//! The overview screen's state: the rows last computed and the cursor on them.

use std::sync::Arc;

use super::TenantRow;

/// `Screen::Overview`: the tenant rows, worst first, and the selected one.
#[derive(Clone, Debug, Default)]
pub struct OverviewScreen {
    /// The rows as last computed, shared with the overview cache.
    pub rows: Vec<Arc<TenantRow>>,
    /// The selected row.
    pub cursor: usize,
    /// The first row shown.
    pub top: usize,
    /// Whether the pod store changed since the rows were computed.
    pub stale: bool,
    /// Whether the user moved the cursor: until then it stays on the worst row.
    pub moved: bool,
    /// The cache revision the rows were copied from (`None`: never).
    pub revision: Option<u64>,
    /// Whether another screen covered it since its rows were last computed: the clock's
    /// sweep stood still meanwhile.
    pub covered: bool,
}

impl OverviewScreen {
    /// The selected row, if any.
    pub fn selected(&self) -> Option<&TenantRow> {
        self.rows.get(self.cursor).map(|r| &**r)
    }

    /// Replaces the rows, keeping the cursor on the same tenant environment when the user put
    /// it there and it is still there; else on the first (worst) row.
    pub fn set_rows(&mut self, rows: Vec<Arc<TenantRow>>) {
        let keep = self
            .selected()
            .filter(|_| self.moved)
            .map(|r| (r.namespace.clone(), r.env.clone()));
        self.rows = rows;
        self.cursor = keep
            .and_then(|(ns, env)| {
                self.rows
                    .iter()
                    .position(|r| r.namespace == ns && r.env == env)
            })
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
        self.stale = false;
    }

    /// Moves the cursor by `delta` rows, within bounds.
    pub fn move_by(&mut self, delta: isize) {
        self.moved = true;
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }
}
