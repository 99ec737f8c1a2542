//! The terminal handle the runtime owns: the input reader, handing the terminal to a child
//! process (a shell, $EDITOR) and taking it back, and raw writes (OSC 52).
//!
//! Suspending stops the reader and drops crossterm's `EventStream`, whose `Drop` wakes its
//! polling thread and ends it, so nothing of kterm reads the terminal while the child does: every
//! key typed then reaches the child.

use std::io::{self, Write};
use std::process::ExitStatus;

use crossterm::event::{Event, EventStream, KeyEventKind, MouseEventKind};
use futures::StreamExt;
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::app::msg::{ChildExit, Msg};
use crate::term;

/// Test-only hook: when set, ctrl-t runs its value with `sh -c` through the handle.
pub const DEBUG_SUSPEND_VAR: &str = "KTERM_DEBUG_SUSPEND";

/// The real terminal's input and hand-over; the ratatui `Terminal` itself stays with the loop.
#[derive(Debug)]
pub struct TerminalHandle {
    tx: mpsc::Sender<Msg>,
    reader: Option<Reader>,
    debug_command: Option<String>,
}

/// The running input reader.
#[derive(Debug)]
struct Reader {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl TerminalHandle {
    /// Starts reading input into `tx`; the terminal must be entered (`term::TerminalGuard`).
    pub fn start(tx: mpsc::Sender<Msg>) -> TerminalHandle {
        let debug_command = std::env::var(DEBUG_SUSPEND_VAR)
            .ok()
            .filter(|c| !c.is_empty());
        let mut handle = TerminalHandle {
            tx,
            reader: None,
            debug_command,
        };
        handle.start_reader();
        handle
    }

    /// The command of the test-only hook, if the environment sets one.
    pub fn debug_command(&self) -> Option<&str> {
        self.debug_command.as_deref()
    }

    /// Hands the terminal over: stops the input reader (waiting until crossterm's stream is
    /// dropped), then leaves the alternate screen and raw mode and shows the cursor.
    pub async fn suspend(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.stop.send(());
            // A reader that ended on its own (input closed) has nothing left to stop.
            let _ = reader.task.await;
        }
        term::suspend();
    }

    /// Takes the terminal back: raw mode, alternate screen, the input reader again. The caller
    /// clears and redraws everything.
    pub fn resume(&mut self) -> io::Result<()> {
        let taken = term::resume();
        self.start_reader();
        taken
    }

    /// Writes bytes to the terminal as they are (an OSC 52 sequence, say), flushed.
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    fn start_reader(&mut self) {
        if self.reader.is_none() {
            let (stop, stopped) = oneshot::channel();
            let task = tokio::spawn(read_input(self.tx.clone(), stopped));
            self.reader = Some(Reader { stop, task });
        }
    }
}

impl Drop for TerminalHandle {
    fn drop(&mut self) {
        if let Some(reader) = &self.reader {
            reader.task.abort();
        }
    }
}

/// Feeds keys and resizes into the loop until stopped or the input ends.
async fn read_input(tx: mpsc::Sender<Msg>, stopped: oneshot::Receiver<()>) {
    let mut events = EventStream::new();
    // Stopping also interrupts a send waiting on a full channel: the loop that asked to stop
    // is not reading it.
    tokio::select! {
        _ = stopped => {}
        () = forward(&mut events, &tx) => {
            let _ = tx.send(Msg::InputClosed).await;
        }
    }
    // `events` is dropped here, which ends crossterm's reader thread before the child starts.
}

async fn forward(events: &mut EventStream, tx: &mpsc::Sender<Msg>) {
    while let Some(event) = events.next().await {
        let msg = match event {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Msg::Key(key),
            Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
            Ok(Event::Paste(text)) => Msg::Paste(text),
            // Only arrives when `mouse: true` turned capture on.
            // Motion and releases are dropped: capture reports every move.
            Ok(Event::Mouse(mouse))
                if matches!(
                    mouse.kind,
                    MouseEventKind::Down(_) | MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
                ) =>
            {
                Msg::Mouse(mouse)
            }
            Ok(_) => continue,
            Err(error) => {
                tracing::warn!(%error, "terminal input failed");
                return;
            }
        };
        if tx.send(msg).await.is_err() {
            return;
        }
    }
}

/// Starts `program` with the terminal as its stdin, stdout and stderr; killed if kterm drops it
/// (quitting on a signal while it runs).
pub fn spawn_child(program: &str, args: &[String]) -> Result<Child, ChildExit> {
    Command::new(program)
        .args(args)
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| {
            ChildExit::Failed(format!(
                "Cannot run {program} ({error}); check that it is installed and on PATH."
            ))
        })
}

/// How a waited-for child ended.
pub fn child_exit(status: io::Result<ExitStatus>) -> ChildExit {
    use std::os::unix::process::ExitStatusExt;
    match status {
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => ChildExit::Code(code),
            (None, Some(signal)) => ChildExit::Signal(signal),
            (None, None) => ChildExit::Code(-1),
        },
        Err(error) => ChildExit::Failed(format!(
            "Lost track of the program ({error}); check that it is not still running."
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const SOON: Duration = Duration::from_secs(10);

    async fn run(program: &str, args: &[&str]) -> ChildExit {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        match spawn_child(program, &args) {
            Ok(mut child) => match tokio::time::timeout(SOON, child.wait()).await {
                Ok(status) => child_exit(status),
                Err(_) => ChildExit::Failed("timed out".into()),
            },
            Err(exit) => exit,
        }
    }

    #[tokio::test]
    async fn a_childs_exit_code_and_signal_are_reported() {
        assert_eq!(run("sh", &["-c", "exit 3"]).await, ChildExit::Code(3));
        assert_eq!(
            run("sh", &["-c", "kill -TERM $$"]).await,
            ChildExit::Signal(15)
        );
        assert_eq!(
            ChildExit::Code(3).sentence("sh").as_deref(),
            Some("sh exited with code 3.")
        );
        assert_eq!(ChildExit::Code(0).sentence("sh"), None);
    }

    #[tokio::test]
    async fn a_missing_program_is_one_sentence() {
        let exit = run("kterm-no-such-program", &[]).await;
        let ChildExit::Failed(sentence) = exit else {
            unreachable!("a missing program cannot run: {exit:?}");
        };
        assert!(sentence.starts_with("Cannot run kterm-no-such-program ("));
        assert!(sentence.ends_with("on PATH."));
    }
}
