//! The terminal handed to a remote session in process (a shell in a pod): every byte typed goes
//! to the session as it is (ctrl-c, ctrl-d, arrows, what `vi` and `less` need), every byte the
//! session writes goes to the screen as it arrives, and window size changes are forwarded. One
//! escape gets the user out of a hung session, as telnet's does: ctrl-] then `q`.
//!
//! Input is read by a thread that polls the terminal with a timeout and reads only what is
//! there, so when the session ends nothing is left blocked in a `read` that would swallow the
//! next key meant for kterm.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::channel::mpsc as fmpsc;
use futures::future::BoxFuture;
use futures::SinkExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// The escape byte: ctrl-].
pub const ESCAPE: u8 = 0x1d;

/// How a session handed the terminal ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// The remote command exited with this code.
    Exited(i32),
    /// The connection was lost; one sentence.
    Lost(String),
    /// The user left with the escape (ctrl-] q).
    Escaped,
}

/// What the escape detector makes of input bytes.
#[derive(Debug, Default)]
pub struct EscapeDetector {
    armed: bool,
}

/// Input after the escape detector: bytes for the session, and whether the user asked to leave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    /// Bytes to send.
    pub bytes: Vec<u8>,
    /// ctrl-] then `q` was typed.
    pub leave: bool,
}

impl EscapeDetector {
    /// Passes bytes through; ctrl-] arms it: `q` then leaves, ctrl-] sends one ctrl-], any
    /// other byte is sent as typed (the ctrl-] dropped).
    pub fn feed(&mut self, input: &[u8]) -> Filtered {
        let mut out = Filtered::default();
        for &b in input {
            if self.armed {
                self.armed = false;
                match b {
                    b'q' | b'Q' => {
                        out.leave = true;
                        return out;
                    }
                    ESCAPE => out.bytes.push(ESCAPE),
                    other => out.bytes.push(other),
                }
            } else if b == ESCAPE {
                self.armed = true;
            } else {
                out.bytes.push(b);
            }
        }
        out
    }
}

/// Reads the terminal's input on a thread until `stop` is set, sending what arrives.
fn spawn_input(stop: Arc<AtomicBool>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel(64);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop.load(Ordering::SeqCst) {
            let mut fds = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, its count 1, a 50 ms timeout.
            let ready = unsafe { libc::poll(&mut fds, 1, 50) };
            if ready <= 0 || fds.revents & libc::POLLIN == 0 {
                if fds.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
                    return;
                }
                continue;
            }
            // A key that arrives once the session is over is kterm's: leave it unread.
            if stop.load(Ordering::SeqCst) {
                return;
            }
            // SAFETY: reads at most buf.len() bytes into buf, which outlives the call.
            let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                return;
            }
            let chunk = buf.get(..n as usize).unwrap_or_default().to_vec();
            if tx.blocking_send(chunk).is_err() {
                return;
            }
        }
    });
    rx
}

/// The session's ends, as the kube layer hands them over.
pub struct Session {
    /// Where typed bytes go.
    pub stdin: Box<dyn AsyncWrite + Send + Unpin>,
    /// What the session writes.
    pub stdout: Box<dyn AsyncRead + Send + Unpin>,
    /// Window sizes (columns, rows), when the session has a terminal.
    pub resize: Option<fmpsc::Sender<(u16, u16)>>,
    /// Resolves when the remote command ends.
    pub outcome: BoxFuture<'static, SessionEnd>,
}

/// Runs the session on the real terminal, which the caller has handed over (main screen);
/// raw mode is set for the session and unset after.
pub async fn run(session: Session) -> SessionEnd {
    if let Err(error) = crossterm::terminal::enable_raw_mode() {
        return SessionEnd::Lost(format!(
            "Cannot set up the terminal for the shell ({error})."
        ));
    }
    let end = pump(session).await;
    let _ = crossterm::terminal::disable_raw_mode();
    end
}

async fn pump(session: Session) -> SessionEnd {
    let Session {
        mut stdin,
        mut stdout,
        mut resize,
        outcome,
    } = session;
    let stop = Arc::new(AtomicBool::new(false));
    let mut input = spawn_input(stop.clone());
    let mut detector = EscapeDetector::default();
    let mut winch =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change()).ok();
    if let (Some(resize), Ok(size)) = (resize.as_mut(), crossterm::terminal::size()) {
        let _ = resize.send(size).await;
    }
    let mut outcome = outcome;
    let mut buf = vec![0u8; 16 * 1024];
    let mut output_open = true;
    let end = loop {
        tokio::select! {
            end = &mut outcome => break end,
            read = stdout.read(&mut buf), if output_open => match read {
                Ok(0) | Err(_) => output_open = false,
                Ok(n) => {
                    let mut out = io::stdout().lock();
                    let _ = out.write_all(buf.get(..n).unwrap_or_default());
                    let _ = out.flush();
                }
            },
            typed = input.recv() => match typed {
                Some(bytes) => {
                    let filtered = detector.feed(&bytes);
                    if !filtered.bytes.is_empty() && stdin.write_all(&filtered.bytes).await.is_err() {
                        break SessionEnd::Lost("The shell's connection was lost.".to_string());
                    }
                    let _ = stdin.flush().await;
                    if filtered.leave {
                        break SessionEnd::Escaped;
                    }
                }
                None => break SessionEnd::Lost("The terminal's input ended.".to_string()),
            },
            Some(()) = async { match winch.as_mut() { Some(w) => w.recv().await, None => None } } => {
                if let (Some(resize), Ok(size)) = (resize.as_mut(), crossterm::terminal::size()) {
                    let _ = resize.send(size).await;
                }
            }
        }
    };
    // From here on, what is typed is kterm's again.
    stop.store(true, Ordering::SeqCst);
    drop(input);
    // What the session wrote last (the shell's goodbye) is still shown.
    if output_open {
        let drain = async {
            while let Ok(n) = stdout.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let mut out = io::stdout().lock();
                let _ = out.write_all(buf.get(..n).unwrap_or_default());
                let _ = out.flush();
            }
        };
        let _ = tokio::time::timeout(Duration::from_millis(200), drain).await;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_close_bracket_then_q_leaves_and_twice_sends_one() {
        let mut d = EscapeDetector::default();
        assert_eq!(d.feed(b"ls\r").bytes, b"ls\r");
        let out = d.feed(&[ESCAPE]);
        assert!(
            out.bytes.is_empty() && !out.leave,
            "armed, nothing sent yet"
        );
        assert!(d.feed(b"q").leave);
        let mut d = EscapeDetector::default();
        assert_eq!(d.feed(&[ESCAPE, ESCAPE, b'x']).bytes, vec![ESCAPE, b'x']);
        assert_eq!(
            d.feed(&[ESCAPE, b'a']).bytes,
            b"a",
            "another key is sent as typed"
        );
    }
}
