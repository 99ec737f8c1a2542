//! State of the object views: the YAML/describe text screen and the pod table's detail pane.
//! Each remembers the id of the fetch that counts for it, so stale replies are dropped.

use std::sync::Arc;

use crate::app::pager::Pager;
use crate::kube::fetch::{FetchedObject, ObjectRef};
use crate::kube::pods::PodRow;
use crate::kube::text::TextLine;

/// What the text screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextMode {
    /// `kubectl get -o yaml`.
    Yaml,
    /// `kubectl describe`.
    Describe,
}

/// The full-screen read-only text view of one object, on the screen stack.
#[derive(Clone, Debug, PartialEq)]
pub struct TextScreen {
    /// YAML or describe.
    pub mode: TextMode,
    /// The object shown.
    pub target: ObjectRef,
    /// The fetch that counts, until it answers.
    pub request: Option<u64>,
    /// The fetched object, once it arrived.
    pub fetched: Option<Arc<FetchedObject>>,
    /// Why the fetch failed, if it did.
    pub error: Option<String>,
    /// The text, formatted once when the object arrives or the mode changes, and where it is
    /// scrolled to.
    pub pager: Pager,
    /// Whether the YAML shows `metadata.managedFields`.
    pub managed_fields: bool,
}

impl TextScreen {
    /// A screen waiting for fetch `request` of `target`.
    pub fn new(target: ObjectRef, mode: TextMode, request: u64) -> TextScreen {
        TextScreen {
            mode,
            target,
            request: Some(request),
            fetched: None,
            error: None,
            pager: Pager::default(),
            managed_fields: false,
        }
    }
}

impl DetailPane {
    /// The shown pod's containers, init containers first.
    pub fn containers(&self) -> Vec<String> {
        let shown = self.shown.is_some() && self.shown == self.target;
        match (&self.fetched, shown) {
            (Some(f), true) => crate::kube::logs::pod::containers(&f.object)
                .into_iter()
                .map(|c| c.name)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Focuses the next container of the shown pod, wrapping to none after the last.
    pub fn next_container(&mut self) -> bool {
        let names = self.containers();
        if names.is_empty() {
            return false;
        }
        let at = self
            .container
            .as_ref()
            .and_then(|c| names.iter().position(|n| n == c));
        self.container = match at {
            None => names.first().cloned(),
            Some(i) => names.get(i + 1).cloned(),
        };
        true
    }

    /// The focused container, if it belongs to the pod shown.
    pub fn focused(&self) -> Option<&str> {
        let name = self.container.as_deref()?;
        self.containers().iter().any(|n| n == name).then_some(name)
    }
}

/// The detail pane, following the pod table's selection.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DetailPane {
    /// The object the pane should show (the selected pod), if any.
    pub target: Option<ObjectRef>,
    /// The row as it was when the fetch was asked for; a different row means a re-fetch.
    pub row: Option<PodRow>,
    /// The fetch that counts, until it answers.
    pub request: Option<u64>,
    /// The object whose lines are shown, which may still be the previous one while loading.
    pub shown: Option<ObjectRef>,
    /// The fetched object, to rebuild ages on ticks without asking the server again.
    pub fetched: Option<Arc<FetchedObject>>,
    /// The lines shown.
    pub lines: Vec<TextLine>,
    /// The container `tab` focused, by name: `s` and `l` then use it.
    pub container: Option<String>,
    /// Why the last fetch failed, if it did.
    pub error: Option<String>,
}
