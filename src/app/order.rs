//! The order the pod table shows: a sort and a filter applied to the rows once, when either or
//! the data changes, so frames only slice the result (PERFORMANCE.md P7). The filter's syntax
//! lives in `app::pattern`, shared with the other lists and the log view.

use std::cmp::Ordering;

pub use crate::app::pattern::{Filter, FilterScope};
use crate::kube::pods::PodRow;

/// A column the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    /// NAMESPACE.
    Namespace,
    /// NAME.
    Name,
    /// READY (fewest ready containers first).
    Ready,
    /// STATUS, alphabetically.
    Status,
    /// RESTARTS.
    Restarts,
    /// LAST TERM, by when it happened.
    LastTermination,
    /// NODE.
    Node,
    /// AGE.
    Age,
}

impl SortColumn {
    /// The header the column has in the table.
    pub fn header(self) -> &'static str {
        match self {
            SortColumn::Namespace => "NAMESPACE",
            SortColumn::Name => "NAME",
            SortColumn::Ready => "READY",
            SortColumn::Status => "STATUS",
            SortColumn::Restarts => "RESTARTS",
            SortColumn::LastTermination => "LAST TERM",
            SortColumn::Node => "NODE",
            SortColumn::Age => "AGE",
        }
    }

    /// The direction of a first press: counts and recency start with what needs a look.
    fn first_descending(self) -> bool {
        matches!(self, SortColumn::Restarts | SortColumn::LastTermination)
    }

    fn compare(self, a: &PodRow, b: &PodRow) -> Ordering {
        match self {
            SortColumn::Namespace => a.namespace.cmp(&b.namespace),
            SortColumn::Name => a.name.cmp(&b.name),
            SortColumn::Ready => (a.ready, a.total).cmp(&(b.ready, b.total)),
            SortColumn::Status => a.status.cmp(&b.status),
            SortColumn::Restarts => a.restarts.cmp(&b.restarts),
            SortColumn::LastTermination => {
                let at = |r: &PodRow| r.last_termination.as_ref().map(|t| t.finished_at);
                at(a).cmp(&at(b))
            }
            SortColumn::Node => a.node.cmp(&b.node),
            // Ascending age is youngest first, i.e. the latest creation time first.
            SortColumn::Age => b.created.cmp(&a.created),
        }
    }
}

/// A sort column and its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: SortColumn,
    /// Whether the order is reversed.
    pub descending: bool,
}

impl Sort {
    /// The sort after the user asked for `column`: the same column again flips the direction.
    pub fn toggled(current: Option<Sort>, column: SortColumn) -> Sort {
        match current {
            Some(s) if s.column == column => Sort {
                column,
                descending: !s.descending,
            },
            _ => Sort {
                column,
                descending: column.first_descending(),
            },
        }
    }

    /// Orders two rows; ties fall back to namespace/name so the order never flickers.
    pub fn compare(self, a: &PodRow, b: &PodRow) -> Ordering {
        let primary = self.column.compare(a, b);
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.namespace.cmp(&b.namespace))
            .then_with(|| a.name.cmp(&b.name))
    }

    /// The arrow shown after the header.
    pub fn arrow(self) -> &'static str {
        if self.descending {
            "↓"
        } else {
            "↑"
        }
    }
}
