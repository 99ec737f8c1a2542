//! The terminal: alternate screen and raw mode on entry, always restored on the way out, and
//! released to a child process and taken back in between (`app::terminal`).

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// The real terminal type.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// kterm holds the terminal (raw mode, alternate screen): what `restore` has to undo.
static HELD: AtomicBool = AtomicBool::new(false);
/// A child process owns the terminal: ctrl-c typed there is the child's, not kterm's.
static SUSPENDED: AtomicBool = AtomicBool::new(false);

/// Restores the terminal when dropped, whichever way the app ends.
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen.
    pub fn enter() -> io::Result<(Self, Tui)> {
        // A failure after raw mode is on must still restore the terminal: the guard exists first.
        let guard = TerminalGuard { _private: () };
        take()?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok((guard, terminal))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        SUSPENDED.store(false, Ordering::SeqCst);
    }
}

/// Enters raw mode and the alternate screen, cursor hidden; undone by `restore`, even when
/// this fails halfway.
pub fn take() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    HELD.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)
}

/// Leaves the alternate screen and raw mode, once: a second call, or one while a child owns
/// the terminal (the panic hook, the signal fallback), writes nothing over the child's screen.
/// Errors are ignored because the terminal may be gone already (SIGHUP) and there is nobody
/// left to tell.
pub fn restore() {
    if HELD.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
        let _ = terminal::disable_raw_mode();
    }
}

/// Hands the terminal over: main screen, cooked mode, cursor shown.
pub fn suspend() {
    SUSPENDED.store(true, Ordering::SeqCst);
    restore();
}

/// Takes the terminal back after `suspend`.
pub fn resume() -> io::Result<()> {
    let taken = take();
    SUSPENDED.store(false, Ordering::SeqCst);
    taken
}

/// Whether a child process owns the terminal now.
pub fn suspended() -> bool {
    SUSPENDED.load(Ordering::SeqCst)
}

/// Makes panics restore the terminal before the message is printed, so it is readable.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
