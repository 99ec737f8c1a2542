//! Which pods the pod table shows before the user's filter: all of them, or those a drill-down
//! (the pods of a deployment) or a namespace pick asked for.

use crate::app::store::Rows;
use crate::kube::pods::{PodKey, PodRow};
use crate::kube::selector::LabelSelector;

/// A restriction of the pod table, applied before the user's filter when building its order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodScope {
    /// Only pods of this namespace, when set.
    pub namespace: Option<String>,
    /// Only pods whose labels this selector picks, when set.
    pub selector: Option<LabelSelector>,
    /// What the status bar calls these pods: `pods of deploy/appserver-prd`.
    pub title: String,
}

impl PodScope {
    /// The pods of one namespace.
    pub fn namespace(namespace: impl Into<String>) -> PodScope {
        let namespace = namespace.into();
        PodScope {
            title: format!("pods of ns/{namespace}"),
            namespace: Some(namespace),
            selector: None,
        }
    }

    /// Whether `row` is in scope.
    pub fn matches(&self, row: &PodRow) -> bool {
        self.namespace
            .as_ref()
            .is_none_or(|ns| **ns == *row.namespace)
            && self
                .selector
                .as_ref()
                .is_none_or(|s| s.matches(&row.labels))
    }

    /// The rows in scope, in key order; a namespace is a range of the map, so a scoped view of
    /// one tenant never walks the other tenants' pods.
    pub fn rows<'a, 'p: 'a>(&'a self, pods: &'p Rows) -> Box<dyn Iterator<Item = &'p PodRow> + 'a> {
        match &self.namespace {
            Some(ns) => Box::new(
                pods.range(PodKey::new(ns.as_str(), "")..)
                    .take_while(move |(k, _)| *k.namespace == **ns)
                    .map(|(_, row)| &**row)
                    .filter(move |row| self.matches(row)),
            ),
            None => Box::new(
                pods.values()
                    .map(|row| &**row)
                    .filter(move |row| self.matches(row)),
            ),
        }
    }
}
