//! The terminal: alternate screen and raw mode on entry, always restored on the way out.

use std::io::{self, Stdout};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// The real terminal type.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped, whichever way the app ends.
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen.
    pub fn enter() -> io::Result<(Self, Tui)> {
        terminal::enable_raw_mode()?;
        // From here on a failure must still restore the terminal: the guard exists first.
        let guard = TerminalGuard { _private: () };
        // Bracketed paste: a paste arrives as one text, never as keys that could run commands.
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok((guard, terminal))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen and raw mode; errors are ignored because the terminal may be
/// gone already (SIGHUP) and there is nobody left to tell.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
}

/// Makes panics restore the terminal before the message is printed, so it is readable.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
