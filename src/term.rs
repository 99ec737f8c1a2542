//! The terminal: alternate screen and raw mode on entry, always restored on the way out, and
//! released to a child process and taken back in between (`app::terminal`).

use std::io::{self, Stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
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
/// The terminal modes a child was handed, put back if kterm ends while a child (an editor in
/// raw mode, say) still has the terminal.
static HANDED: Mutex<Option<libc::termios>> = Mutex::new(None);
/// `mouse: true` in config.yaml: capture the mouse whenever kterm holds the terminal.
static MOUSE: AtomicBool = AtomicBool::new(false);
/// When kterm last took the terminal back from a child.
static RESUMED_AT: Mutex<Option<Instant>> = Mutex::new(None);
/// How long after a child's exit a SIGINT is still taken as the ctrl-c that ended it: kterm
/// may see the child's exit before its own copy of the signal.
const SIGINT_GRACE: Duration = Duration::from_secs(1);

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

/// Captures the mouse from the next `take` on (and releases it in `restore`); off by default,
/// since capture takes the terminal's own selection away.
pub fn set_mouse(on: bool) {
    MOUSE.store(on, Ordering::SeqCst);
}

/// Enters raw mode and the alternate screen, cursor hidden; undone by `restore`, even when
/// this fails halfway.
pub fn take() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    HELD.store(true, Ordering::SeqCst);
    // Bracketed paste: a paste arrives as one text, never as keys that could run commands.
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Leaves the alternate screen and raw mode, once: a second call, or one while a child owns
/// the terminal (the panic hook, the signal fallback), writes nothing over the child's screen.
/// Errors are ignored because the terminal may be gone already (SIGHUP) and there is nobody
/// left to tell.
pub fn restore() {
    if HELD.swap(false, Ordering::SeqCst) {
        if MOUSE.load(Ordering::SeqCst) {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        let _ = execute!(
            io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = terminal::disable_raw_mode();
    } else if SUSPENDED.load(Ordering::SeqCst) {
        if let Some(modes) = HANDED.lock().ok().and_then(|m| *m) {
            // SAFETY: tcsetattr only reads `modes`, a termios tcgetattr filled in.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &modes) };
        }
        let _ = execute!(io::stdout(), cursor::Show);
    }
}

/// Hands the terminal over: main screen, cooked mode, cursor shown.
pub fn suspend() {
    SUSPENDED.store(true, Ordering::SeqCst);
    restore();
    let mut modes = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr writes a whole termios into `modes` when it returns 0, and only then
    // is it read.
    let handed = unsafe {
        (libc::tcgetattr(libc::STDIN_FILENO, modes.as_mut_ptr()) == 0).then(|| modes.assume_init())
    };
    if let Ok(mut slot) = HANDED.lock() {
        *slot = handed;
    }
}

/// Takes the terminal back after `suspend`.
pub fn resume() -> io::Result<()> {
    let taken = take();
    if let Ok(mut at) = RESUMED_AT.lock() {
        *at = Some(Instant::now());
    }
    SUSPENDED.store(false, Ordering::SeqCst);
    taken
}

/// Whether a SIGINT now is a ctrl-c typed to a child process (which gets it too, being in
/// kterm's process group): one owns the terminal, or gave it back a moment ago.
pub fn sigint_is_the_childs() -> bool {
    SUSPENDED.load(Ordering::SeqCst)
        || RESUMED_AT
            .lock()
            .ok()
            .and_then(|at| *at)
            .is_some_and(|at| at.elapsed() < SIGINT_GRACE)
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
        say(&format!(
            "kterm: an internal error stopped kterm ({what}{place}); please report it{details}."
        ));
        std::process::exit(101);
    }));
}

/// Writes one line to stderr, ignoring a stderr that is gone (an SSH session dropped, a
/// closed pipe): `eprintln!` would panic there, on the way out.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
