//! The order the pod table shows: a sort and a filter applied to the rows once, when either or
//! the data changes, so frames only slice the result (PERFORMANCE.md P7).
//!
//! Filter syntax, one term: `[!][column:]pattern`.
//! - `column` is `ns`, `name`, `status` or `node`; without it the term is tried against the
//!   namespace, the name and the status.
//! - `pattern` is a case-insensitive regex if it holds any of `^$*+?()[]{}|\` , otherwise a
//!   case-insensitive substring (`.` alone stays a substring so node names read literally).
//! - `!` keeps the rows that do not match.

use std::cmp::Ordering;

use regex::{Regex, RegexBuilder};

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

/// Which cells a filter term looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterScope {
    /// Namespace, name and status.
    Any,
    /// Only the namespace.
    Namespace,
    /// Only the name.
    Name,
    /// Only the status.
    Status,
    /// Only the node.
    Node,
}

#[derive(Clone, Debug)]
enum Pattern {
    /// Lower-cased needle.
    Substring(String),
    Regex(Regex),
}

/// A parsed filter.
#[derive(Clone, Debug)]
pub struct Filter {
    /// What the user typed.
    pub text: String,
    scope: FilterScope,
    invert: bool,
    pattern: Pattern,
}

const REGEX_CHARS: &[char] = &[
    '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\',
];

impl Filter {
    /// Parses `text`; `Ok(None)` for an empty filter, `Err` with one sentence for a bad regex.
    pub fn parse(text: &str) -> Result<Option<Filter>, String> {
        let (invert, rest) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (scope, pattern) = match rest.split_once(':') {
            Some(("ns", p)) => (FilterScope::Namespace, p),
            Some(("name", p)) => (FilterScope::Name, p),
            Some(("status", p)) => (FilterScope::Status, p),
            Some(("node", p)) => (FilterScope::Node, p),
            _ => (FilterScope::Any, rest),
        };
        if pattern.is_empty() && !invert && scope == FilterScope::Any {
            return Ok(None);
        }
        let pattern = if pattern.contains(REGEX_CHARS) {
            let regex = RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .map_err(|_| {
                    format!("\"{pattern}\" is not a valid regex; the previous filter stays.")
                })?;
            Pattern::Regex(regex)
        } else {
            Pattern::Substring(pattern.to_lowercase())
        };
        Ok(Some(Filter {
            text: text.to_string(),
            scope,
            invert,
            pattern,
        }))
    }

    /// Whether `row` is shown.
    pub fn matches(&self, row: &PodRow) -> bool {
        let hit = |cell: &str| self.hit(cell);
        let found = match self.scope {
            FilterScope::Any => hit(&row.namespace) || hit(&row.name) || hit(&row.status),
            FilterScope::Namespace => hit(&row.namespace),
            FilterScope::Name => hit(&row.name),
            FilterScope::Status => hit(&row.status),
            FilterScope::Node => hit(&row.node),
        };
        found != self.invert
    }

    /// Whether an object of another kind is shown, by its namespace and name; `status:` and
    /// `node:` terms name pod columns, so they find nothing there.
    pub fn matches_object(&self, namespace: &str, name: &str) -> bool {
        let found = match self.scope {
            FilterScope::Any => self.hit(namespace) || self.hit(name),
            FilterScope::Namespace => self.hit(namespace),
            FilterScope::Name => self.hit(name),
            FilterScope::Status | FilterScope::Node => false,
        };
        found != self.invert
    }

    fn hit(&self, cell: &str) -> bool {
        match &self.pattern {
            Pattern::Substring(needle) => contains_ignore_case(cell, needle),
            Pattern::Regex(re) => re.is_match(cell),
        }
    }

    /// Whether every row this filter shows is also shown by `narrower`, so `narrower` only has
    /// to look at the rows this one kept (typing one more letter of a substring).
    pub fn is_narrowed_by(&self, narrower: &Filter) -> bool {
        match (&self.pattern, &narrower.pattern) {
            (Pattern::Substring(old), Pattern::Substring(new)) => {
                !self.invert
                    && !narrower.invert
                    && self.scope == narrower.scope
                    && new.contains(old.as_str())
            }
            _ => false,
        }
    }
}

/// Lower-cases only when the cell has upper-case letters: names and namespaces never do, so
/// the common case allocates nothing.
fn contains_ignore_case(cell: &str, needle: &str) -> bool {
    if cell.bytes().any(|b| b.is_ascii_uppercase()) || !cell.is_ascii() {
        cell.to_lowercase().contains(needle)
    } else {
        cell.contains(needle)
    }
}
