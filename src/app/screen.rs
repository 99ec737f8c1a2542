//! The screen stack and what floats over it. Every full-screen view is a stack entry that owns
//! its state (`Screen`); esc pops back to the one below with its selection and scroll as they
//! were. Overlays are one `Modal` at a time, and the bottom row can hold one `InputLine`.
//! Keys go to the modal, else the input line, else the top screen — that one rule is
//! `update::route`.

use crate::app::objects::TextScreen;
use crate::app::picker::Picker;
use crate::app::pod_table::PodTable;
use crate::app::resource_list::ResourceList;
use crate::config::keymap::Section;

/// One screen of the stack (`State::stack`, the last one shown).
#[derive(Clone, Debug)]
pub enum Screen {
    /// A pod table: a view over the pod store.
    Pods(Box<PodTable>),
    /// A list of another kind.
    Resources(Box<ResourceList>),
    /// The YAML or describe text of one object.
    Text(Box<TextScreen>),
}

impl Screen {
    /// The pod table of every pod (or of the focused tenant).
    pub fn pods() -> Screen {
        Screen::Pods(Box::default())
    }

    /// The keymap section that resolves keys on this screen.
    pub fn section(&self) -> Section {
        match self {
            Screen::Pods(_) => Section::Pods,
            Screen::Resources(_) => Section::Resources,
            Screen::Text(_) => Section::Text,
        }
    }
}

/// An overlay that takes every key while open.
#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    /// The help screen, scrolled by this many lines.
    Help {
        /// First line shown, when the help is taller than the screen.
        scroll: usize,
    },
    /// A picker (tenants, contexts) with its own query line.
    Picker(Picker),
}

/// What an input line is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// `/` on a table: filters it live.
    Filter,
    /// `:` anywhere: a command.
    Command,
    /// `/` on a text screen: a search, run on enter.
    Search,
}

impl LineKind {
    /// The prompt drawn before the text.
    pub fn prompt(self) -> char {
        match self {
            LineKind::Filter | LineKind::Search => '/',
            LineKind::Command => ':',
        }
    }
}

/// The line being typed in the bottom row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputLine {
    /// What it is for.
    pub kind: LineKind,
    /// The text typed so far.
    pub text: String,
}
