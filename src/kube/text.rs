//! Lines of read-only text with a meaning attached (OOM, failing, …), so views can colour them
//! from the theme while the words themselves still carry the meaning on a monochrome terminal.

use std::borrow::Cow;

/// What a line means to the person reading it; views map it to a theme token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tone {
    /// Nothing special.
    #[default]
    Plain,
    /// A section heading.
    Heading,
    /// An OOM kill.
    Oom,
    /// A failure: crash loops, errors, failed pulls, false conditions.
    Failing,
    /// A warning worth a look (Warning events, restarts).
    Warning,
    /// Waiting to start.
    Pending,
    /// Healthy.
    Good,
}

/// One line of a text view or the detail pane.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TextLine {
    /// The text, one terminal line, without control characters.
    pub text: String,
    /// What it means.
    pub tone: Tone,
}

impl TextLine {
    /// A line with a tone; control characters are made visible so they cannot drive the
    /// terminal.
    pub fn new(text: impl AsRef<str>, tone: Tone) -> Self {
        TextLine {
            text: sanitize(text.as_ref()).into_owned(),
            tone,
        }
    }

    /// A plain line.
    pub fn plain(text: impl AsRef<str>) -> Self {
        Self::new(text, Tone::Plain)
    }
}

/// Splits `text` into plain lines.
pub fn plain_lines(text: &str) -> Vec<TextLine> {
    text.lines().map(TextLine::plain).collect()
}

pub use crate::sanitize::sanitize;

/// At most `max` characters of `text`, with `…` marking a cut.
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((at, _)) => {
            let keep = text[..at].char_indices().last().map_or(0, |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..keep]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn clips_on_characters() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("ação", 4), "ação");
        assert_eq!(clip("açãoxyz", 3), "aç…");
    }
}
