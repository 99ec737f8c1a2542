//! The severity of a log line, read from the words programs put near its start (`ERROR`,
//! `[error]`, `level=warn`…), so errors and warnings stand out by colour and by a glyph that
//! survives a monochrome terminal.

/// How bad a line says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// ERROR, FATAL, PANIC, CRITICAL, nginx's `[error]`/`[crit]`/`[alert]`/`[emerg]`.
    Error,
    /// WARN, WARNING, nginx's `[warn]`.
    Warn,
    /// Anything else.
    Other,
}

impl Level {
    /// The glyph drawn before the line (two columns with its space).
    pub fn glyph(self) -> &'static str {
        match self {
            Level::Error => "✗ ",
            Level::Warn => "! ",
            Level::Other => "  ",
        }
    }
}

/// Only the start of a line is looked at: the level sits in the prefix, and a word deep in a
/// message ("retrying after error") does not make the line an error.
const HEAD: usize = 120;

const ERRORS: [&str; 10] = [
    "ERROR",
    "FATAL",
    "PANIC",
    "CRITICAL",
    "[error]",
    "[crit]",
    "[alert]",
    "[emerg]",
    "level=error",
    "level=fatal",
];
const WARNINGS: [&str; 4] = ["WARN", "[warn]", "level=warn", "level=warning"];

/// The level a line announces.
pub fn level(text: &str) -> Level {
    let mut end = text.len().min(HEAD);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or_default();
    if ERRORS.iter().any(|w| head.contains(w)) {
        Level::Error
    } else if WARNINGS.iter().any(|w| head.contains(w)) {
        Level::Warn
    } else {
        Level::Other
    }
}

#[cfg(test)]
mod tests {
    use super::{level, Level};

    #[test]
    fn levels_are_read_from_the_prefix() {
        assert_eq!(level("[ERROR][2026-12-06 07:35:00.123] boom"), Level::Error);
        assert_eq!(level("2026/12/06 07:35:00 [warn] 1#1: slow"), Level::Warn);
        assert_eq!(level("2026-12-06 FATAL process exiting"), Level::Error);
        assert_eq!(level("all good"), Level::Other);
        let late = format!("{} ERROR", "x".repeat(200));
        assert_eq!(
            level(&late),
            Level::Other,
            "a word deep in the message is not a level"
        );
    }
}
