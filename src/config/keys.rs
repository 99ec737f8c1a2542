//! Key strings in keymap files ("ctrl-d", "G", "esc", "pgdn", "?") and how a terminal's key
//! events are normalised to match them.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key with the modifiers that matter for matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyChord {
    /// The key.
    pub code: KeyCode,
    /// Only CONTROL and ALT (and SHIFT on non-character keys).
    pub mods: KeyModifiers,
}

/// Named keys, first name is the one shown in help.
const NAMED: [(&[&str], KeyCode); 15] = [
    (&["esc", "escape"], KeyCode::Esc),
    (&["enter", "return"], KeyCode::Enter),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["backspace", "bs"], KeyCode::Backspace),
    (&["delete", "del"], KeyCode::Delete),
    (&["insert", "ins"], KeyCode::Insert),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
    (&["pgup", "pageup"], KeyCode::PageUp),
    (&["pgdn", "pagedown"], KeyCode::PageDown),
];

impl KeyChord {
    /// The chord a key event matches; `None` for releases, which never trigger anything.
    pub fn from_event(key: &KeyEvent) -> Option<KeyChord> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        Some(normalise(
            key.code,
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT),
        ))
    }

    /// Parses a key string; the error is the message shown to the user.
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        let unknown = || format!("unknown key \"{text}\"");
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        // A lone "-" is the minus key, so a prefix only counts when something follows it.
        'prefixes: loop {
            for (prefix, m) in [
                ("ctrl-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
            ] {
                let matches = rest
                    .get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix));
                if matches && rest.len() > prefix.len() {
                    mods |= m;
                    rest = &rest[prefix.len()..];
                    continue 'prefixes;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if lower == "space" {
                    KeyCode::Char(' ')
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse().ok()) {
                    if !(1..=12).contains(&n) {
                        return Err(unknown());
                    }
                    KeyCode::F(n)
                } else {
                    NAMED
                        .iter()
                        .find(|(names, _)| names.contains(&lower.as_str()))
                        .map(|(_, code)| *code)
                        .ok_or_else(unknown)?
                }
            }
        };
        Ok(normalise(code, mods))
    }
}

/// Terminals disagree on SHIFT with characters ('G' may or may not carry it) and on the case of
/// ctrl-letters, so both sides of a match are brought to one form.
fn normalise(code: KeyCode, mut mods: KeyModifiers) -> KeyChord {
    let code = match code {
        KeyCode::Char(c) => {
            let c = if mods.contains(KeyModifiers::SHIFT) && !mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_uppercase()
            } else if mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            };
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::Char(c)
        }
        KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        KeyCode::BackTab => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        other => other,
    };
    KeyChord { code, mods }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (m, name) in [
            (KeyModifiers::CONTROL, "ctrl-"),
            (KeyModifiers::ALT, "alt-"),
            (KeyModifiers::SHIFT, "shift-"),
        ] {
            if self.mods.contains(m) {
                f.write_str(name)?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => {
                let name = NAMED
                    .iter()
                    .find(|(_, c)| *c == code)
                    .and_then(|(names, _)| names.first())
                    .unwrap_or(&"?");
                f.write_str(name)
            }
        }
    }
}
