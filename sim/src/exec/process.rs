//! Starting the exec'd command as a local process: stdio wiring (pty or pipes), sandboxing,
//! and the error messages a container runtime gives when the exec itself fails.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command};

use super::pty::{open_pty, PtyMaster};
use super::sandbox::Plan;
use super::ExecRequest;

/// Set to `1` to let execs run unconfined (cwd = sandbox) when the sandbox cannot be built.
pub const UNSANDBOXED_ENV: &str = "KTERM_SIM_UNSANDBOXED";

/// The child's end of the session.
pub(super) enum ProcIo {
    Pty(Arc<PtyMaster>),
    Pipes {
        stdin: Option<ChildStdin>,
        stdout: Option<ChildStdout>,
        stderr: Option<ChildStderr>,
    },
}

pub(super) struct Proc {
    pub child: Child,
    /// The child leads its own session and process group (setsid), so this is its pgid.
    pub pid: Option<u32>,
    pub io: ProcIo,
}

/// Why no process runs: the message for an `InternalError` Status, as the runtime words it.
#[derive(Debug)]
pub(super) struct SpawnError(pub String);

/// Start the command confined to the sandbox (see `sandbox`). If confinement is impossible,
/// fail, unless `KTERM_SIM_UNSANDBOXED=1`: then run it with the sandbox directory as cwd and
/// HOME, which keeps relative writes inside but NOT absolute ones (warned about once).
pub(super) fn spawn(req: &ExecRequest) -> Result<Proc, SpawnError> {
    let argv = req.argv();
    let failure = match Plan::prepare(&req.sandbox, &req.workdir, req.tty) {
        Ok((plan, mut report)) => match start(req, &argv, plan, false) {
            Ok(p) => return Ok(p),
            Err(e) => {
                report.close_write();
                match report.failure() {
                    Some(f) => f,
                    None => return Err(exec_error(&argv[0], &e)),
                }
            }
        },
        Err(e) => format!("preparing {}: {e}", req.sandbox.display()),
    };
    if std::env::var(UNSANDBOXED_ENV).as_deref() != Ok("1") {
        return Err(SpawnError(format!(
            "error executing command in container: kterm-sim could not confine the process to the container sandbox ({failure}); set {UNSANDBOXED_ENV}=1 to run it unconfined in the sandbox directory"
        )));
    }
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            "exec sandbox unavailable ({failure}); {UNSANDBOXED_ENV}=1: running execs unconfined with the sandbox directory as cwd, absolute paths reach the host"
        );
    }
    start(req, &argv, Plan::session_only(req.tty), true).map_err(|e| exec_error(&argv[0], &e))
}

fn start(req: &ExecRequest, argv: &[String], plan: Plan, unconfined: bool) -> io::Result<Proc> {
    let (prog, args) = argv
        .split_first()
        .ok_or_else(|| io::Error::other("empty command"))?;
    let mut cmd = Command::new(prog);
    cmd.args(args).env_clear().kill_on_drop(true);
    cmd.env(
        "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    );
    cmd.env("HOME", "/root");
    if req.tty {
        cmd.env("TERM", "xterm");
    }
    cmd.envs(req.env.iter().map(|(k, v)| (k, v)));
    if unconfined {
        let wd = req.sandbox.join(req.workdir.trim_start_matches('/'));
        cmd.current_dir(if wd.is_dir() { wd } else { req.sandbox.clone() });
        cmd.env("HOME", &req.sandbox);
    }
    let io = if req.tty {
        let (master, slave) = open_pty()?;
        cmd.stdin(slave.try_clone()?)
            .stdout(slave.try_clone()?)
            .stderr(slave);
        Some(Arc::new(master))
    } else {
        let pipe = |on: bool| if on { Stdio::piped() } else { Stdio::null() };
        cmd.stdin(pipe(req.stdin))
            .stdout(pipe(req.stdout))
            .stderr(pipe(req.stderr));
        None
    };
    // SAFETY: `Plan::run` only makes async-signal-safe system calls on data prepared before
    // the fork (see sandbox.rs).
    unsafe {
        cmd.pre_exec(move || plan.run());
    }
    let mut child = cmd.spawn()?;
    // Drop our copies of the pty slave now: the master then reads EIO once the child is gone.
    drop(cmd);
    let pid = child.id();
    let io = match io {
        Some(master) => ProcIo::Pty(master),
        None => ProcIo::Pipes {
            stdin: child.stdin.take(),
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
        },
    };
    Ok(Proc { child, pid, io })
}

/// SIGKILL the child's whole process group, so nothing it started outlives the session.
pub(super) fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
        // ESRCH (group already gone) is the normal case after a clean exit.
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// The exit code a runtime reports: the code, or 128 + the signal that killed it.
pub(super) fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}

/// containerd/runc's wording for an exec that could not start.
fn exec_error(prog: &str, e: &io::Error) -> SpawnError {
    let why = match e.kind() {
        io::ErrorKind::NotFound if prog.contains('/') => {
            format!("exec: \"{prog}\": stat {prog}: no such file or directory")
        }
        io::ErrorKind::NotFound => format!("exec: \"{prog}\": executable file not found in $PATH"),
        io::ErrorKind::PermissionDenied => format!("exec: \"{prog}\": permission denied"),
        _ => format!("exec: \"{prog}\": {e}"),
    };
    let id: String = rand::random::<[u8; 32]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    SpawnError(format!(
        "error executing command in container: failed to exec in container: failed to start exec \"{id}\": OCI runtime exec failed: exec failed: unable to start container process: {why}: unknown"
    ))
}
