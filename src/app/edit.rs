//! The edit session (`e`, `:edit kind/name`): which object, the object as it was read, the
//! file the user edits, the editor, and where the session stands. One at a time; it lives in
//! `State::edit` while the editor, the save or the conflict's question is under way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::kube::target::Target;

/// What to edit: a row's object, or a typed `kind/name` the runtime resolves first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditWhat {
    /// An object kterm lists (a row).
    Target(Target),
    /// `:edit cj/protheus-updater`: a kind word, resolved through the server's discovery.
    Word {
        /// `cj`, `configmap`, `deploy`…
        word: String,
        /// The namespace to look in (`None`: the context's).
        namespace: Option<String>,
        /// The object's name.
        name: String,
    },
}

/// The file is open in the editor (written, handed over), ready for the runtime to start it.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// The session it belongs to.
    pub id: u64,
    /// The object resolved.
    pub target: Target,
    /// The object as read (status and all): the base of the change.
    pub original: Arc<Value>,
    /// The file written.
    pub path: PathBuf,
    /// The editor: program and arguments, the file's path included.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The side file holding the user's earlier version (after a conflict), if any.
    pub mine: Option<PathBuf>,
}

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading the object and writing the file.
    Opening,
    /// The editor has the terminal.
    Editing,
    /// The saved text is being read back.
    Reading,
    /// The change is being sent (or re-applied).
    Saving,
    /// The server said 409: the user is asked what to do.
    Conflict,
}

/// One edit under way.
#[derive(Clone, Debug, PartialEq)]
pub struct EditSession {
    /// Matches the runtime's answers to this session.
    pub id: u64,
    /// Where it stands.
    pub phase: Phase,
    /// What the file holds, once opened.
    pub opened: Option<Opened>,
    /// The text the user saved last (kept to reopen it with an error on top).
    pub text: String,
    /// The user's object, once parsed.
    pub edited: Option<Arc<Value>>,
    /// The paths the user changed.
    pub changed: Vec<String>,
    /// How many times the editor was opened.
    pub attempts: u32,
}

impl EditSession {
    /// A session about to read its object.
    pub fn new(id: u64) -> EditSession {
        EditSession {
            id,
            phase: Phase::Opening,
            opened: None,
            text: String::new(),
            edited: None,
            changed: Vec::new(),
            attempts: 0,
        }
    }

    /// The file's path, once written.
    pub fn path(&self) -> Option<&Path> {
        self.opened.as_ref().map(|o| o.path.as_path())
    }

    /// `cronjob t4k9pz/protheus-updater`, or "the object" before it is resolved.
    pub fn label(&self) -> String {
        self.opened
            .as_ref()
            .map_or_else(|| "the object".to_string(), |o| o.target.label())
    }

    /// "your text is kept in PATH." — said after every failure and giving up.
    pub fn kept(&self) -> String {
        match self.path() {
            Some(path) => format!("Your text is kept in {}.", path.display()),
            None => String::new(),
        }
    }
}

/// The sentence after a successful edit: "Edited cronjob t4k9pz/protheus-updater: spec.suspend."
pub fn edited_sentence(target: &Target, changed: &[String]) -> String {
    format!("Edited {}: {}.", target.label(), changed.join(", "))
}

/// The conflict's question, with the three choices' keys.
pub fn conflict_question(label: &str) -> String {
    format!(
        "The {label} was changed by someone else since you opened it. \
         r: re-apply your change onto the fresh object · o: open the fresh object (your version \
         kept in a side file) · g or esc: give up (your file is kept)"
    )
}
