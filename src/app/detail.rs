//! State of the object views: the full-screen YAML/describe text view and the detail pane, and
//! the bookkeeping that keeps at most one fetch per purpose alive (stale replies are dropped by
//! request id).

use std::sync::Arc;

use crate::app::effect::Effect;
use crate::kube::fetch::{FetchedObject, ObjectRef};
use crate::kube::pods::PodRow;
use crate::kube::text::TextLine;

/// What a fetch is for; each purpose has at most one fetch that counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FetchPurpose {
    /// The full-screen YAML/describe view.
    Text,
    /// The detail pane under (or beside) the pod table.
    Pane,
}

/// What the text view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextMode {
    /// `kubectl get -o yaml`.
    Yaml,
    /// `kubectl describe`.
    Describe,
}

/// The full-screen read-only text view of one object.
#[derive(Clone, Debug, PartialEq)]
pub struct TextView {
    /// YAML or describe.
    pub mode: TextMode,
    /// The object shown.
    pub target: ObjectRef,
    /// The fetched object, once it arrived.
    pub fetched: Option<Arc<FetchedObject>>,
    /// Why the fetch failed, if it did.
    pub error: Option<String>,
    /// The text, formatted once when the object arrives or the mode changes.
    pub lines: Vec<TextLine>,
    /// Index of the first line shown.
    pub scroll: usize,
    /// Whether the YAML shows `metadata.managedFields`.
    pub managed_fields: bool,
    /// The search line being typed, while it is open.
    pub search_input: Option<String>,
    /// The search in force (lower case), for `n`/`N` and highlighting.
    pub search: Option<String>,
}

/// The detail pane, following the pod table's selection.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DetailPane {
    /// The object the pane should show (the selected pod), if any.
    pub target: Option<ObjectRef>,
    /// The row as it was when the fetch was asked for; a different row means a re-fetch.
    pub row: Option<PodRow>,
    /// The object whose lines are shown, which may still be the previous one while loading.
    pub shown: Option<ObjectRef>,
    /// The fetched object, to rebuild ages on ticks without asking the server again.
    pub fetched: Option<Arc<FetchedObject>>,
    /// The lines shown.
    pub lines: Vec<TextLine>,
    /// Why the last fetch failed, if it did.
    pub error: Option<String>,
}

/// Everything about object views in `State`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DetailState {
    /// The full-screen text view, when open.
    pub text: Option<TextView>,
    /// The detail pane, when open.
    pub pane: Option<DetailPane>,
    /// The fetch that counts for the text view (older replies are ignored).
    pub text_request: Option<u64>,
    /// The fetch that counts for the pane.
    pub pane_request: Option<u64>,
    /// The last request id handed out.
    pub last_request: u64,
}

impl DetailState {
    /// Opens the text view on `target` and returns the fetch to run; callable from any list
    /// (pods today, other kinds from command mode).
    pub fn open_text(&mut self, target: ObjectRef, mode: TextMode) -> Effect {
        self.text = Some(TextView {
            mode,
            target: target.clone(),
            fetched: None,
            error: None,
            lines: Vec::new(),
            scroll: 0,
            managed_fields: false,
            search_input: None,
            search: None,
        });
        let id = self.next_request();
        self.text_request = Some(id);
        Effect::FetchObject {
            id,
            purpose: FetchPurpose::Text,
            target,
        }
    }

    /// Asks for the pane's object and returns the fetch to run.
    pub fn fetch_for_pane(&mut self, target: ObjectRef) -> Effect {
        let id = self.next_request();
        self.pane_request = Some(id);
        Effect::FetchObject {
            id,
            purpose: FetchPurpose::Pane,
            target,
        }
    }

    /// Whether `id` is the fetch that counts for `purpose`.
    pub fn is_current(&self, purpose: FetchPurpose, id: u64) -> bool {
        let current = match purpose {
            FetchPurpose::Text => self.text_request,
            FetchPurpose::Pane => self.pane_request,
        };
        current == Some(id)
    }

    fn next_request(&mut self) -> u64 {
        self.last_request = self.last_request.wrapping_add(1);
        self.last_request
    }
}
