//! The one sanitiser for text from outside (cluster objects, server replies, kubeconfigs,
//! plugins) on its way to a terminal, the TUI's cells and the CLI's table and sentences alike:
//! an escape sequence in a pod's waiting reason must show as text, never retitle the window or
//! write the clipboard (OSC 52). JSON and YAML output keep the bytes exact and do not use it.

use std::borrow::Cow;

/// Tabs become spaces, line breaks a space, other C0 controls (ESC included) a visible `^X`,
/// DEL `^?`, and C1 controls `�`; text without control characters is borrowed as it is.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7f}' => out.push_str("^?"),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `sanitize` for an owned string, reusing it when it is already clean.
pub fn sanitize_owned(text: String) -> String {
    match sanitize(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clean) => clean,
    }
}

#[cfg(test)]
mod tests {
    use super::{sanitize, sanitize_owned};

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(sanitize("a\u{1b}[2Jb\tc"), "a^[[2Jb    c");
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("x\u{9b}y"), "x\u{fffd}y");
        assert_eq!(sanitize("\u{1b}]0;pwned\u{7}"), "^[]0;pwned^G");
        assert_eq!(sanitize("del\u{7f}"), "del^?");
        assert_eq!(sanitize("a\r\nb"), "a  b");
    }

    #[test]
    fn clean_text_is_not_copied() {
        assert!(matches!(sanitize("ação ✓"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(sanitize_owned("x\u{1b}".to_string()), "x^[");
    }
}
