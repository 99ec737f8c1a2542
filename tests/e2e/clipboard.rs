//! The clipboard over SSH: the real kterm on a pty this test owns, no display, `SSH_TTY` set;
//! `c` must write an OSC 52 sequence with the base64 of the selected pod's name to the
//! terminal. Then the same inside tmux (`allow-passthrough on`), with a tmux client attached
//! to the test's pty: the passthrough must reach the outer terminal as the plain sequence.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use base64::Engine;

use super::{quote, DEADLINE, KTERM, POLL};

/// A program on a pty: everything it writes is kept, keys are written to it.
struct Pty {
    master: std::fs::File,
    out: Arc<Mutex<Vec<u8>>>,
    child: Child,
    dir: std::path::PathBuf,
}

impl Pty {
    /// Runs `command` as the session leader of a fresh `cols`×`rows` pty.
    fn spawn(mut command: Command, cols: u16, rows: u16, dir: std::path::PathBuf) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors into the ints; the name and termios are null.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned here only.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup the pty"));
        command
            .stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("start the program on the pty");
        drop(slave);
        let master = std::fs::File::from(master);
        let out = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().expect("dup the pty master");
        let sink = out.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends with EIO once the program and its children closed the pty.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("output lock")
                    .extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            out,
            child,
            dir,
        }
    }

    fn output(&self) -> Vec<u8> {
        self.out.lock().expect("output lock").clone()
    }

    /// Polls the output every 100 ms until `found` answers; panics with the output's tail.
    fn wait_for<T>(&self, what: &str, found: impl Fn(&[u8]) -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            let out = self.output();
            if let Some(t) = found(&out) {
                return t;
            }
            if start.elapsed() > DEADLINE {
                let tail = out.len().saturating_sub(3000);
                panic!(
                    "timed out after {DEADLINE:?} waiting for {what}; output (tail): {:?}",
                    String::from_utf8_lossy(&out[tail..])
                );
            }
            std::thread::sleep(POLL);
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).expect("write to the pty");
        self.master.flush().expect("flush the pty");
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A scratch directory for `test`, with an empty config directory.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kterm-e2e-{}-{test}", std::process::id()));
    std::fs::create_dir_all(dir.join("no-config")).expect("create the scratch directory");
    dir
}

/// The payloads of every plain OSC 52 sequence (`ESC ] 52 ; c ; … BEL`) in `out`, decoded.
fn osc52_texts(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    text.split("\x1b]52;c;")
        .skip(1)
        .filter_map(|rest| rest.split('\x07').next().filter(|_| rest.contains('\x07')))
        .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

fn contains(out: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(out).contains(needle)
}

/// The demo over an SSH-like session: no display, `SSH_TTY` set, no multiplexer.
fn ssh_like(command: &mut Command, dir: &std::path::Path) {
    command
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("TMUX")
        .env_remove("STY")
        .env("SSH_TTY", "/dev/pts/7")
        .env("TERM", "xterm-256color")
        .env("XDG_STATE_HOME", dir)
        .env("KTERM_CONFIG_DIR", dir.join("no-config"));
}

#[test]
fn over_ssh_c_writes_the_pod_name_as_osc52_to_the_terminal() {
    let dir = scratch("osc52");
    let mut command = Command::new(KTERM);
    command.args(["--demo", "-n", "t4k9pz"]);
    ssh_like(&mut command, &dir);
    let mut pty = Pty::spawn(command, 120, 30, dir);
    pty.wait_for("the pods of t4k9pz", |out| {
        contains(out, "appserver-prd").then_some(())
    });
    pty.send(b"c");
    let name = pty.wait_for("an OSC 52 sequence", |out| {
        osc52_texts(out).into_iter().next()
    });
    // The first row of t4k9pz, sorted by name.
    assert!(
        name.starts_with("appserver-"),
        "a pod name was copied: {name:?}"
    );
    assert!(!name.contains('/'), "c copies the bare name: {name:?}");
    pty.wait_for("the sentence saying what was copied", |out| {
        contains(out, &format!("Copied {name}.")).then_some(())
    });
    // alt-c: namespace/name (a terminal sends alt as ESC before the key).
    pty.send(b"\x1bc");
    let full = pty.wait_for("a second OSC 52 sequence", |out| {
        osc52_texts(out).get(1).cloned()
    });
    assert_eq!(full, format!("t4k9pz/{name}"));
    assert!(
        !contains(&pty.output(), "\x1b[?1000h"),
        "the mouse is not captured unless the config asks"
    );
    pty.send(b"q");
}

#[test]
fn with_mouse_true_a_click_selects_the_row_that_c_then_copies() {
    let dir = scratch("mouse");
    std::fs::write(dir.join("no-config/config.yaml"), "mouse: true\n").expect("write the config");
    let mut command = Command::new(KTERM);
    command.args(["--demo", "-n", "t4k9pz"]);
    ssh_like(&mut command, &dir);
    let mut pty = Pty::spawn(command, 120, 30, dir);
    pty.wait_for("the pods of t4k9pz and mouse capture", |out| {
        (contains(out, "appserver-") && contains(out, "\x1b[?1000h")).then_some(())
    });
    pty.send(b"c");
    let first = pty.wait_for("the first row's name", |out| {
        osc52_texts(out).into_iter().next()
    });
    // A left click (SGR encoding, 1-based) on screen row 4: the header, then the third pod.
    pty.send(b"\x1b[<0;10;4M\x1b[<0;10;4m");
    pty.send(b"c");
    let third = pty.wait_for("the clicked row's name", |out| {
        osc52_texts(out).get(1).cloned()
    });
    assert_ne!(first, third, "the click moved the selection");
    pty.send(b"q");
}

#[test]
fn inside_tmux_the_passthrough_reaches_the_outer_terminal() {
    let dir = scratch("osc52-tmux");
    let conf = dir.join("tmux.conf");
    std::fs::write(&conf, "set -g allow-passthrough on\nset -g status off\n")
        .expect("write the tmux config");
    let socket = dir.join("tmux.sock");
    // tmux sets TMUX for kterm; the rest of the SSH-like environment comes through tmux's
    // server, started by this client with it.
    let script = format!("exec {} --demo -n t4k9pz", quote(KTERM));
    let mut command = Command::new("tmux");
    command.arg("-S").arg(&socket).arg("-f").arg(&conf).args([
        "new-session",
        "-x",
        "120",
        "-y",
        "30",
        &script,
    ]);
    ssh_like(&mut command, &dir);
    let mut pty = Pty::spawn(command, 120, 30, dir.clone());
    // Dropped before the pty (and its directory, which holds the socket): ends tmux's server.
    let _server = TmuxServer(socket.clone());
    pty.wait_for("the pods of t4k9pz inside tmux", |out| {
        contains(out, "appserver-prd").then_some(())
    });
    pty.send(b"c");
    let name = pty.wait_for("the OSC 52 sequence out of tmux's passthrough", |out| {
        osc52_texts(out).into_iter().next()
    });
    assert!(
        name.starts_with("appserver-"),
        "the pod name was copied: {name:?}"
    );
}

/// Ends a tmux server when dropped, even when an assertion failed.
struct TmuxServer(std::path::PathBuf);

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.0)
            .arg("kill-server")
            .output();
    }
}
