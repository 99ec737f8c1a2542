//! Where kterm looks for the user's `theme.yaml`, `keymap.yaml` and `config.yaml`, and where it
//! keeps its log and remembered favourites.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The config directory from the environment: `$KTERM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/kterm`,
/// else `~/.config/kterm`; `None` when not even `$HOME` is known.
pub fn config_dir() -> Option<PathBuf> {
    config_dir_from(
        std::env::var_os("KTERM_CONFIG_DIR"),
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

/// The lookup itself, apart from the process environment so tests need not mutate it.
/// Empty values count as unset, as the XDG spec asks.
pub fn config_dir_from(
    kterm: Option<OsString>,
    xdg: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    set(kterm)
        .or_else(|| set(xdg).map(|d| d.join("kterm")))
        .or_else(|| set(home).map(|h| h.join(".config").join("kterm")))
}

/// `path` with the home directory shown as `~`, so messages stay short and match what the
/// user typed.
pub fn display(path: &Path) -> String {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    match home.and_then(|h| path.strip_prefix(h).ok().map(Path::to_path_buf)) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

/// The state directory: `$XDG_STATE_HOME/kterm`, else `~/.local/state/kterm`.
pub fn state_dir() -> Option<PathBuf> {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    set(std::env::var_os("XDG_STATE_HOME"))
        .or_else(|| set(std::env::var_os("HOME")).map(|h| h.join(".local/state")))
        .map(|d| d.join("kterm"))
}

/// The favourite tenants saved by the last session, one per line; none if unreadable.
pub fn read_favourites() -> Vec<String> {
    let Some(path) = state_dir().map(|d| d.join("favourites")) else {
        return Vec::new();
    };
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(9)
        .map(str::to_string)
        .collect()
}

/// Saves the favourite tenants for the next session.
pub fn write_favourites(favourites: &[String]) -> std::io::Result<()> {
    let dir = state_dir().ok_or_else(|| std::io::Error::other("no $HOME"))?;
    std::fs::create_dir_all(&dir)?;
    let mut text = favourites.join("\n");
    text.push('\n');
    std::fs::write(dir.join("favourites"), text)
}

/// `~` or `~/x` under `home`, as a shell reads it; other paths as they are; `None` when the
/// path needs a home that is unknown.
pub fn expand_home_in(path: &Path, home: Option<&Path>) -> Option<PathBuf> {
    match path.strip_prefix("~") {
        Ok(rest) => home.map(|h| h.join(rest)),
        Err(_) => Some(path.to_path_buf()),
    }
}

/// `~/x` under `$HOME` (the path as it is when there is no home).
pub fn expand_home(path: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    expand_home_in(path, home.as_deref()).unwrap_or_else(|| path.to_path_buf())
}
