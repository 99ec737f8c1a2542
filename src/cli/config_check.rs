//! `kterm config check`: validates the user's config files with the parsers the app loads them
//! with, so the check can never accept a file the app refuses or the other way round.

use std::io::Write;
use std::path::Path;

use crate::config::{paths, ColourSupport, Config};
use crate::sanitize::sanitize;

/// The files a config directory can hold, in the order they are reported.
pub const FILES: [&str; 3] = ["config.yaml", "theme.yaml", "keymap.yaml"];

/// Exit code when every file present is valid (or none is there).
pub const EXIT_OK: u8 = 0;
/// Exit code when a file is invalid or the directory cannot be checked.
pub const EXIT_INVALID: u8 = 1;

/// Checks `dir`'s files and writes one line per file to `out`: `ok: FILE` or
/// `FILE:LINE: what is wrong`. Returns the exit code.
pub fn run(dir: &Path, out: &mut dyn Write) -> u8 {
    let present: Vec<String> = FILES
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.exists())
        .map(|path| paths::display(&path))
        .collect();
    if present.is_empty() {
        let _ = writeln!(
            out,
            "ok: {} holds no {}; kterm uses its presets.",
            sanitize(&paths::display(dir)),
            FILES.join(", ")
        );
        return EXIT_OK;
    }
    // The app's own loader: every file it would refuse comes back as an error naming it.
    let config = Config::load_from(dir, ColourSupport::Colour);
    for file in &present {
        let errors: Vec<_> = config.errors.iter().filter(|e| &e.file == file).collect();
        if errors.is_empty() {
            let _ = writeln!(out, "ok: {}", sanitize(file));
        }
        for error in errors {
            let _ = writeln!(out, "{}", sanitize(&error.to_string()));
        }
    }
    if config.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_INVALID
    }
}
