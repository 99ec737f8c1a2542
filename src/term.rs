//! The terminal: alternate screen and raw mode on entry, always restored on the way out.

use std::io::{self, Stdout};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

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
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
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
    let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

/// Held while a frame is written: a panic on another thread then restores the terminal
/// between frames, not under a frame that would go on drawing onto the main screen.
static FRAME: Mutex<()> = Mutex::new(());

/// Holds off the panic hook's restore while the caller writes a frame.
pub fn frame_lock() -> MutexGuard<'static, ()> {
    FRAME.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The frame lock, unless it stays taken (the panic is the drawing thread's own).
fn wait_for_frame() -> Option<MutexGuard<'static, ()>> {
    let deadline = Instant::now() + Duration::from_millis(200);
    loop {
        match FRAME.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(TryLockError::WouldBlock) => return None,
        }
    }
}

/// Makes any panic, on any thread, end kterm: the terminal restored (when the UI owns it),
/// one sentence on stderr, the details in the log, exit status 101. Without it a panic in a
/// tokio task ends only that task and leaves the UI half-alive in a cooked terminal.
pub fn install_panic_hook(owns_terminal: bool, log: Option<PathBuf>) {
    std::panic::set_hook(Box::new(move |info| {
        // Kept until the process exits, so no frame follows the restore.
        let _frame = owns_terminal.then(wait_for_frame);
        if owns_terminal {
            restore();
        }
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!(panic = %what, location = %place, %backtrace, "kterm panicked");
        let what = crate::sanitize::sanitize(what.lines().next().unwrap_or_default());
        let details = log
            .as_ref()
            .map(|p| format!("; details are in {}", p.display()))
            .unwrap_or_default();
        eprintln!(
            "kterm: an internal error stopped kterm ({what}{place}); please report it{details}."
        );
        std::process::exit(101);
    }));
}
