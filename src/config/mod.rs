//! Themes, keymaps and settings: presets compiled in, user files in the config directory overlay
//! only what they name. Loading never fails: a bad file becomes one sentence and the presets stay.

pub mod keymap;
pub mod keys;
pub mod paths;
pub mod settings;
pub mod theme;
mod yaml;

use std::path::Path;

pub use keymap::Keymap;
pub use settings::{Settings, Tenant};
pub use theme::Theme;

/// A config file that could not be used, shown to the user as `file:line: what`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file as the user would type it (`~/.config/kterm/theme.yaml`).
    pub file: String,
    /// 1-based line, when the parser knows it.
    pub line: Option<usize>,
    /// What is wrong, without the location.
    pub message: String,
}

impl ConfigError {
    /// Turns a serde_yaml error into our sentence; its Display appends "at line L column C" and
    /// prefixes a path, both of which we replace by `file:line`.
    pub(crate) fn from_yaml(file: &str, err: &serde_yaml::Error) -> Self {
        let text = err.to_string();
        let mut message = text.split(" at line ").next().unwrap_or(&text).to_string();
        // Our own messages already name the token or action; the path would repeat it.
        if let Some((_, rest)) = message.split_once(": ") {
            if rest.starts_with("unknown ") {
                message = rest.to_string();
            }
        }
        ConfigError {
            file: file.to_string(),
            line: err.location().map(|l| l.line()),
            message,
        }
    }
}

/// The theme and keymap in effect, plus the sentences saying which user files were ignored.
#[derive(Clone, Debug)]
pub struct Config {
    /// Styles for the views.
    pub theme: Theme,
    /// Keys to actions.
    pub keymap: Keymap,
    /// Tenants and how to find them (`config.yaml`).
    pub settings: Settings,
    /// One sentence per user file that could not be used.
    pub errors: Vec<ConfigError>,
}

/// How colours should be used, decided from the environment once at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourSupport {
    /// Use the theme's colours.
    Colour,
    /// `NO_COLOR` or a dumb terminal: modifiers only.
    Mono,
}

impl ColourSupport {
    /// `NO_COLOR` set and non-empty (no-color.org), or `TERM=dumb`, means no colours.
    pub fn from_env() -> Self {
        Self::from_values(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        )
    }

    /// The decision itself, testable without touching the process environment.
    pub fn from_values(no_color: Option<&std::ffi::OsStr>, term: Option<&std::ffi::OsStr>) -> Self {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        let dumb = term.is_some_and(|t| t == "dumb");
        if no_color || dumb {
            ColourSupport::Mono
        } else {
            ColourSupport::Colour
        }
    }
}

impl Config {
    /// Reads the user's files from the config directory found in the environment.
    pub fn load() -> Self {
        match paths::config_dir() {
            Some(dir) => Self::load_from(&dir, ColourSupport::from_env()),
            None => Self::presets(ColourSupport::from_env()),
        }
    }

    /// The presets alone: what kterm uses when there are no user files.
    pub fn presets(colour: ColourSupport) -> Self {
        Config {
            theme: Theme::build(None, colour),
            keymap: Keymap::presets_default(),
            settings: Settings::default(),
            errors: Vec::new(),
        }
    }

    /// Reads `theme.yaml`, `keymap.yaml` and `config.yaml` from `dir`; a missing file is not an
    /// error.
    pub fn load_from(dir: &Path, colour: ColourSupport) -> Self {
        let mut errors = Vec::new();
        let user_theme = match read(&dir.join("theme.yaml")) {
            Ok(None) => None,
            Ok(Some((file, text))) => theme::parse_file(&file, &text)
                .map_err(|e| errors.push(e))
                .ok(),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let keymap = match read(&dir.join("keymap.yaml")) {
            Ok(None) => Keymap::presets_default(),
            Ok(Some((file, text))) => Keymap::with_user(&file, &text).unwrap_or_else(|e| {
                errors.push(e);
                Keymap::presets_default()
            }),
            Err(e) => {
                errors.push(e);
                Keymap::presets_default()
            }
        };
        let settings = match read(&dir.join("config.yaml")) {
            Ok(None) => Settings::default(),
            Ok(Some((file, text))) => settings::parse_file(&file, &text).unwrap_or_else(|e| {
                errors.push(e);
                Settings::default()
            }),
            Err(e) => {
                errors.push(e);
                Settings::default()
            }
        };
        Config {
            theme: Theme::build(user_theme.as_ref(), colour),
            keymap,
            settings,
            errors,
        }
    }
}

/// The file's display name and text, `None` if it does not exist.
fn read(path: &Path) -> Result<Option<(String, String)>, ConfigError> {
    let file = paths::display(path);
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some((file, text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // Whoever shows the sentence says what is used instead; saying it here said it twice.
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(ConfigError {
            file,
            line: None,
            message: "is not a text file (it is not UTF-8)".to_string(),
        }),
        Err(e) => Err(ConfigError {
            file,
            line: None,
            message: format!("cannot be read ({e})"),
        }),
    }
}
