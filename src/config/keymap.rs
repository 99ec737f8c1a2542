//! Keymaps: one section per view plus `global`, each binding an action to keys with a
//! description that feeds the help screen. Presets are compiled in; the user's `keymap.yaml`
//! overlays only the actions it names.

use std::fmt;

use crossterm::event::KeyEvent;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::app::action::Action;
use crate::config::keys::KeyChord;
use crate::config::yaml::parse;
use crate::config::ConfigError;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// Everywhere, unless the view binds the key itself.
    Global,
    /// The pod table.
    Pods,
    /// A popup picker (tenants, contexts): letters type, so its keys are not letters.
    Picker,
    /// The full-screen YAML/describe view.
    Text,
    /// The lists of other kinds (`:deploy`, `:svc`…).
    Resources,
    /// Every input line (filter, command, picker query, search): unbound characters are text.
    Line,
    /// The log view.
    Logs,
    /// A yes/no question (overwrite a file).
    Confirm,
    /// The guarded-delete dialog: letters type the name back, so its keys are not letters
    /// except the yes/no of a low-impact delete.
    Delete,
    /// The tenant health overview.
    Overview,
}

impl Section {
    /// Every section with its name in keymap files.
    pub const ALL: [(Section, &'static str); 10] = [
        (Section::Global, "global"),
        (Section::Pods, "pods"),
        (Section::Picker, "picker"),
        (Section::Text, "text"),
        (Section::Resources, "resources"),
        (Section::Line, "line"),
        (Section::Logs, "logs"),
        (Section::Confirm, "confirm"),
        (Section::Delete, "delete"),
        (Section::Overview, "overview"),
    ];

    /// The section's name in keymap files.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("", |(_, n)| n)
    }
}

/// Names accepted after `base:`, each a file under `keymaps/` compiled in.
pub const PRESETS: [(&str, &str); 2] = [
    ("default", include_str!("../../keymaps/default.yaml")),
    ("emacs", include_str!("../../keymaps/emacs.yaml")),
];

/// One action with its keys and what the help screen says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// What the keys do.
    pub action: Action,
    /// The keys, in the order the file lists them.
    pub keys: Vec<KeyChord>,
    /// One line for the help screen.
    pub desc: String,
}

/// A binding as a file states it: a user overlay may give only keys or only a description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingEntry {
    /// The action named.
    pub action: Action,
    /// New keys, if given.
    pub keys: Option<Vec<KeyChord>>,
    /// New description, if given.
    pub desc: Option<String>,
}

/// A parsed keymap file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeymapFile {
    /// The preset this file builds on (`default` when absent).
    pub base: Option<String>,
    /// Entries per section, in file order.
    pub sections: Vec<(Section, Vec<BindingEntry>)>,
}

/// Keys to actions, per section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keymap {
    sections: Vec<(Section, Vec<Binding>)>,
}

impl Keymap {
    /// The action `key` asks for in `view`: the view's own bindings first, then global ones.
    pub fn resolve(&self, view: Section, key: &KeyEvent) -> Option<Action> {
        self.resolve_only(view, key)
            .or_else(|| self.resolve_only(Section::Global, key))
    }

    /// The action `key` asks for in `view` alone, for views where unbound keys are text.
    pub fn resolve_only(&self, view: Section, key: &KeyEvent) -> Option<Action> {
        let chord = KeyChord::from_event(key)?;
        self.bindings(view)
            .iter()
            .find(|b| b.keys.contains(&chord))
            .map(|b| b.action)
    }

    /// The bindings of one section, in file order.
    pub fn bindings(&self, section: Section) -> &[Binding] {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    /// A compiled-in preset by name; `None` if there is no such preset.
    pub fn preset(name: &str) -> Option<Result<Keymap, ConfigError>> {
        let (_, text) = PRESETS.iter().find(|(n, _)| *n == name)?;
        let file = format!("keymaps/{name}.yaml");
        Some(parse_file(&file, text).map(|f| Keymap::default().overlaid(&f)))
    }

    /// The default preset; tests guarantee it parses, and an empty keymap (ctrl-c still ends
    /// kterm through the signal path) beats a crash if it ever did not.
    pub fn presets_default() -> Keymap {
        Self::base("default")
    }

    fn base(name: &str) -> Keymap {
        match Keymap::preset(name) {
            Some(Ok(keymap)) => keymap,
            _ => Keymap::default(),
        }
    }

    /// The user's file over its base preset; a file that leaves `quit` without a key is
    /// refused (the presets, with their quit keys, are used instead), or kterm could not be left.
    pub fn with_user(file: &str, text: &str) -> Result<Keymap, ConfigError> {
        let user = parse_file(file, text)?;
        let keymap = Self::base(user.base.as_deref().unwrap_or("default")).overlaid(&user);
        let quits = keymap
            .bindings(Section::Global)
            .iter()
            .any(|b| b.action == Action::Quit && !b.keys.is_empty());
        if !quits {
            return Err(ConfigError {
                file: file.to_string(),
                line: line_of(text, "quit:").or_else(|| line_of(text, "global:")),
                message: "leaves quit without a key; give it one, e.g. quit: { keys: [q] }"
                    .to_string(),
            });
        }
        Ok(keymap)
    }

    /// This keymap with `file`'s entries applied: named actions change, the rest stay.
    fn overlaid(mut self, file: &KeymapFile) -> Keymap {
        for (section, entries) in &file.sections {
            let index = match self.sections.iter().position(|(s, _)| s == section) {
                Some(i) => i,
                None => {
                    self.sections.push((*section, Vec::new()));
                    self.sections.len() - 1
                }
            };
            let Some((_, bindings)) = self.sections.get_mut(index) else {
                continue;
            };
            for entry in entries {
                // A key the user gives to one action is taken from every other in the section,
                // otherwise the preset's binding would still win by coming first.
                if let Some(keys) = &entry.keys {
                    for b in bindings.iter_mut().filter(|b| b.action != entry.action) {
                        b.keys.retain(|k| !keys.contains(k));
                    }
                }
                match bindings.iter_mut().find(|b| b.action == entry.action) {
                    Some(b) => {
                        if let Some(keys) = &entry.keys {
                            b.keys.clone_from(keys);
                        }
                        if let Some(desc) = &entry.desc {
                            b.desc.clone_from(desc);
                        }
                    }
                    None => bindings.push(Binding {
                        action: entry.action,
                        keys: entry.keys.clone().unwrap_or_default(),
                        desc: entry
                            .desc
                            .clone()
                            .unwrap_or_else(|| entry.action.name().replace('_', " ")),
                    }),
                }
            }
        }
        self
    }
}

/// The 1-based line of the first line starting (after indentation) with `start`.
fn line_of(text: &str, start: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(start))
        .map(|i| i + 1)
}

/// Parses a keymap file; the error carries the file and line.
pub fn parse_file(file: &str, text: &str) -> Result<KeymapFile, ConfigError> {
    if text.trim().is_empty() {
        return Ok(KeymapFile::default());
    }
    serde_yaml::Deserializer::from_str(text)
        .deserialize_map(FileVisitor)
        .map_err(|e| ConfigError::from_yaml(file, &e))
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = KeymapFile;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a mapping of sections (global, pods, resources, picker, text, logs, confirm, line) to bindings",
        )
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeymapFile, A::Error> {
        let mut out = KeymapFile::default();
        while let Some(key) = map.next_key_seed(parse(|k: &str| {
            if k == "base" {
                return Ok(None);
            }
            Section::ALL
                .iter()
                .find(|(_, n)| *n == k)
                .map(|(s, _)| Some(*s))
                .ok_or_else(|| {
                    format!(
                        "unknown section \"{k}\" (use base, global, pods, resources, picker, text, logs, confirm or line)"
                    )
                })
        }))? {
            match key {
                None => {
                    out.base = Some(map.next_value_seed(parse(|b: &str| {
                        if PRESETS.iter().any(|(n, _)| *n == b) {
                            Ok(b.to_string())
                        } else {
                            Err(format!(
                                "unknown base keymap \"{b}\" (use default or emacs)"
                            ))
                        }
                    }))?);
                }
                Some(section) => {
                    let entries = map.next_value_seed(SectionSeed(section))?;
                    out.sections.push((section, entries));
                }
            }
        }
        Ok(out)
    }
}

/// A section's mapping of action names to bindings.
struct SectionSeed(Section);

impl<'de> de::DeserializeSeed<'de> for SectionSeed {
    type Value = Vec<BindingEntry>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SectionSeed {
    type Value = Vec<BindingEntry>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a mapping of actions to bindings in {}", self.0.name())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out: Vec<BindingEntry> = Vec::new();
        // A repeated action would silently keep only one of its bindings.
        while let Some(action) = map.next_key_seed(parse(|a: &str| {
            let action = Action::from_name(a).ok_or_else(|| format!("unknown action \"{a}\""))?;
            if out.iter().any(|e| e.action == action) {
                return Err(format!("action \"{a}\" is bound twice in this section"));
            }
            Ok(action)
        }))? {
            out.push(map.next_value_seed(BindingSeed(action))?);
        }
        Ok(out)
    }
}

/// One binding: `{ keys: [...], desc: "..." }`.
struct BindingSeed(Action);

impl<'de> de::DeserializeSeed<'de> for BindingSeed {
    type Value = BindingEntry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BindingSeed {
    type Value = BindingEntry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{{ keys, desc }} for {}", self.0.name())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let action = self.0.name();
        let mut entry = BindingEntry {
            action: self.0,
            keys: None,
            desc: None,
        };
        while let Some(field) = map.next_key_seed(parse(|k: &str| match k {
            "keys" => Ok(true),
            "desc" => Ok(false),
            _ => Err(format!(
                "unknown field \"{k}\" for {action} (use keys or desc)"
            )),
        }))? {
            if field {
                entry.keys = Some(map.next_value_seed(KeysSeed)?);
            } else {
                entry.desc = Some(map.next_value::<String>()?);
            }
        }
        Ok(entry)
    }
}

/// A list of key strings.
struct KeysSeed;

impl<'de> de::DeserializeSeed<'de> for KeysSeed {
    type Value = Vec<KeyChord>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for KeysSeed {
    type Value = Vec<KeyChord>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of keys such as [j, down, ctrl-f]")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = seq.next_element_seed(parse(KeyChord::parse))? {
            keys.push(key);
        }
        Ok(keys)
    }
}
