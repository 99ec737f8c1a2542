//! Where kterm looks for the user's `theme.yaml` and `keymap.yaml`.

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
