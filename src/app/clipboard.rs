//! The clipboard: which way a copy travels (the desktop's clipboard through arboard, or OSC 52
//! through the terminal, wrapped for tmux or GNU screen) and the bytes OSC 52 writes. Pure: the
//! environment comes in as a lookup, so every choice is testable.

use base64::Engine;

pub use crate::config::settings::ClipboardMode;

/// Largest OSC 52 payload, counted in base64 bytes: that is what a terminal buffers and what
/// the common limits (xterm's, hterm's, tmux's) are about. 100,000 base64 bytes is about 73 KB
/// of text.
pub const OSC52_LIMIT: usize = 100_000;

/// Where a copy goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backend {
    /// The desktop's clipboard (arboard).
    System,
    /// The terminal's, through an OSC 52 sequence.
    Osc52(Wrap),
    /// Copying is off (`clipboard: off`).
    #[default]
    Off,
}

/// How the OSC 52 sequence reaches the outer terminal through a multiplexer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wrap {
    /// Straight to the terminal.
    #[default]
    Plain,
    /// Inside tmux: a DCS passthrough (`ESC P tmux; … ESC \`), inner ESCs doubled.
    Tmux,
    /// Inside GNU screen: a DCS string (`ESC P … ESC \`).
    Screen,
}

/// Picks the backend from the config and the environment (`var` looks a variable up).
/// `auto`: the desktop's clipboard when an X display is there and the session is not over
/// SSH; otherwise OSC 52, so the copy lands on the machine the engineer sits at.
pub fn choose(mode: ClipboardMode, var: impl Fn(&str) -> Option<String>) -> Backend {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    let wrap = if set("TMUX") {
        Wrap::Tmux
    } else if set("STY") {
        Wrap::Screen
    } else {
        Wrap::Plain
    };
    match mode {
        ClipboardMode::Off => Backend::Off,
        ClipboardMode::System => Backend::System,
        ClipboardMode::Osc52 => Backend::Osc52(wrap),
        ClipboardMode::Auto => {
            let ssh = set("SSH_TTY") || set("SSH_CONNECTION");
            // arboard is built for X11 only (Wayland sessions have XWayland's DISPLAY); a
            // Wayland-only session gets OSC 52, which its terminals understand.
            if set("DISPLAY") && !ssh {
                Backend::System
            } else {
                Backend::Osc52(wrap)
            }
        }
    }
}

/// The bytes that put `text` on the clipboard through OSC 52, wrapped for `wrap`; a payload
/// over `OSC52_LIMIT` is refused with one sentence.
pub fn osc52(text: &str, wrap: Wrap) -> Result<Vec<u8>, String> {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    if payload.len() > OSC52_LIMIT {
        return Err(format!(
            "Not copied: {} is over the {} KB a terminal takes through OSC 52; copy less (a filter, fewer lines).",
            size(text.len()),
            OSC52_LIMIT / 1000
        ));
    }
    // BEL ends the sequence: every terminal that knows OSC 52 takes it, and it has no ESC
    // that tmux would need doubled.
    let inner = format!("\x1b]52;c;{payload}\x07");
    Ok(match wrap {
        Wrap::Plain => inner.into_bytes(),
        Wrap::Tmux => format!("\x1bPtmux;{}\x1b\\", inner.replace('\x1b', "\x1b\x1b")).into_bytes(),
        Wrap::Screen => format!("\x1bP{inner}\x1b\\").into_bytes(),
    })
}

/// `3.1 KB`, `812 B`, `1.2 MB`: a size as the status line says it.
pub fn size(bytes: usize) -> String {
    // Display only: the precision lost in the float is far below the one shown.
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} KB", b / 1000.0)
    } else {
        format!("{:.1} MB", b / 1_000_000.0)
    }
}

/// "Copied 42 lines (3.1 KB)": what a copy of several lines says.
pub fn lines_copied(lines: usize, bytes: usize) -> String {
    let noun = if lines == 1 { "line" } else { "lines" };
    format!("Copied {lines} {noun} ({}).", size(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn plain_osc52_is_the_base64_of_the_text_ended_by_bel() {
        let bytes = osc52("rest-prd-7d9c", Wrap::Plain).unwrap_or_default();
        assert_eq!(bytes, b"\x1b]52;c;cmVzdC1wcmQtN2Q5Yw==\x07");
    }

    #[test]
    fn tmux_wraps_in_a_passthrough_with_inner_escapes_doubled() {
        let bytes = osc52("a", Wrap::Tmux).unwrap_or_default();
        assert_eq!(bytes, b"\x1bPtmux;\x1b\x1b]52;c;YQ==\x07\x1b\\");
    }

    #[test]
    fn screen_wraps_in_a_dcs_string() {
        let bytes = osc52("a", Wrap::Screen).unwrap_or_default();
        assert_eq!(bytes, b"\x1bP\x1b]52;c;YQ==\x07\x1b\\");
    }

    #[test]
    fn the_limit_counts_base64_bytes() {
        // 75,000 bytes encode to exactly 100,000 base64 bytes: at the limit, taken.
        assert!(osc52(&"x".repeat(75_000), Wrap::Plain).is_ok());
        let over = osc52(&"x".repeat(75_003), Wrap::Plain);
        let Err(sentence) = over else {
            unreachable!("over the limit must be refused");
        };
        assert!(sentence.starts_with("Not copied: 75.0 KB is over the 100 KB"));
    }

    #[test]
    fn auto_uses_the_desktop_only_with_a_display_and_no_ssh() {
        let auto = ClipboardMode::Auto;
        assert_eq!(choose(auto, env(&[("DISPLAY", ":0")])), Backend::System);
        let over_ssh = env(&[("DISPLAY", "localhost:10"), ("SSH_TTY", "/dev/pts/3")]);
        assert_eq!(choose(auto, over_ssh), Backend::Osc52(Wrap::Plain));
        let ssh_conn = env(&[("SSH_CONNECTION", "10.0.0.1 5 10.0.0.2 22"), ("TMUX", "x")]);
        assert_eq!(choose(auto, ssh_conn), Backend::Osc52(Wrap::Tmux));
        assert_eq!(
            choose(auto, env(&[("STY", "1.pts")])),
            Backend::Osc52(Wrap::Screen)
        );
        assert_eq!(
            choose(auto, env(&[("WAYLAND_DISPLAY", "wayland-0")])),
            Backend::Osc52(Wrap::Plain)
        );
        assert_eq!(
            choose(ClipboardMode::Off, env(&[("DISPLAY", ":0")])),
            Backend::Off
        );
        assert_eq!(choose(ClipboardMode::System, env(&[])), Backend::System);
        assert_eq!(
            choose(ClipboardMode::Osc52, env(&[("DISPLAY", ":0")])),
            Backend::Osc52(Wrap::Plain)
        );
    }

    #[test]
    fn sizes_and_counts_read_as_sentences() {
        assert_eq!(lines_copied(42, 3100), "Copied 42 lines (3.1 KB).");
        assert_eq!(lines_copied(1, 12), "Copied 1 line (12 B).");
        assert_eq!(size(1_234_567), "1.2 MB");
    }
}
