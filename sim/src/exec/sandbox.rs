//! Confining an exec'd process to its container's sandbox directory.
//!
//! Approach: in the forked child (a `pre_exec` hook, before `execvp`), enter a new mount
//! namespace (plus a user namespace when not running as root), make every mount private so
//! nothing propagates back to the host, bind the sandbox onto itself, lay the host's `/usr`
//! and `/etc` over it read-only (and the `/bin`, `/lib*` symlinks of a merged-usr host),
//! give it a fresh `/dev` (tmpfs with a handful of device binds and the host's devpts) and
//! `/proc`, then `pivot_root` into it (falling back to `chroot`) and `chdir` to the working
//! directory. Finally the capabilities that would let root undo the confinement (mount,
//! chroot, ptrace, mknod, modules, raw I/O, ...) are dropped from the bounding set, so the
//! exec'd program does not get them.
//!
//! Caveats: the process shares the host's PID, network, IPC and UTS namespaces and runs as
//! (namespaced) root; the host's `/etc` is visible read-only. This is a demo sandbox that
//! keeps writes inside the sandbox directory, not a security boundary against hostile code.
//!
//! Everything the child does is prepared here in the parent as `CString`s, so the hook only
//! makes raw system calls (async-signal-safe: the parent may be multi-threaded).

use std::ffi::CString;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use child::{run_op, Op};

mod child;

/// The prepared steps, and a pipe to tell the parent which step failed and why.
pub(super) struct Plan {
    ops: Vec<(Op, bool, String)>,
    report_fd: RawFd,
}

/// The parent's side of the failure report pipe.
pub(super) struct Report {
    read: OwnedFd,
    write: Option<OwnedFd>,
    steps: Vec<String>,
}

fn cstr(p: &Path) -> io::Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::other("path contains a NUL byte"))
}

impl Plan {
    /// Prepare the sandbox directory (mount points, merged-usr symlinks, working directory)
    /// and the steps to confine a child to it. `ctty`: the child's stdin is a terminal that
    /// should become its controlling terminal.
    pub(super) fn prepare(sandbox: &Path, workdir: &str, ctty: bool) -> io::Result<(Plan, Report)> {
        let root = fs::canonicalize(sandbox)?;
        let mut plan = Vec::new();
        let mut push = |op: Op, must: bool, what: String| plan.push((op, must, what));
        push(Op::Setsid { ctty }, true, "new session".into());
        let (uid, gid) = (nix::unistd::geteuid(), nix::unistd::getegid());
        if uid.is_root() {
            push(
                Op::Unshare(libc::CLONE_NEWNS),
                true,
                "unshare mount namespace".into(),
            );
        } else {
            // Unprivileged: a user namespace where we are root grants the mount rights.
            push(
                Op::Unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS),
                true,
                "unshare user+mount namespaces".into(),
            );
            for (file, data) in [
                ("setgroups", "deny".to_string()),
                ("uid_map", format!("0 {uid} 1")),
                ("gid_map", format!("0 {gid} 1")),
            ] {
                let path = cstr(&Path::new("/proc/self").join(file))?;
                push(
                    Op::WriteFile {
                        path,
                        data: data.into_bytes(),
                    },
                    true,
                    format!("write /proc/self/{file}"),
                );
            }
        }
        // Without this, mounts below would propagate to the host through shared peers.
        let slash = cstr(Path::new("/"))?;
        push(
            mount(None, slash, None, libc::MS_REC | libc::MS_PRIVATE),
            true,
            "make mounts private".into(),
        );
        let root_c = cstr(&root)?;
        push(
            mount(
                Some(root_c.clone()),
                root_c.clone(),
                None,
                libc::MS_BIND | libc::MS_REC,
            ),
            true,
            "bind sandbox".into(),
        );

        // The image's own tools (a seeded `/usr/local/bin/init-upddistr`) would vanish under the
        // host's `/usr`: park the seeded `/usr/local` on the `/proc` mount point, bind it back over
        // the host's once `/usr` is in place, and let the real `/proc` cover the parked mount.
        let (local, proc_dir) = (root.join("usr/local"), root.join("proc"));
        let keep_local = local.is_dir()
            && Path::new("/usr/local").is_dir()
            && fs::read_dir(&local)?.next().is_some();
        fs::create_dir_all(&proc_dir)?;
        if keep_local {
            let (from, to) = (cstr(&local)?, cstr(&proc_dir)?);
            let bind = libc::MS_BIND | libc::MS_REC;
            push(
                mount(Some(from), to, None, bind),
                true,
                "park /usr/local".into(),
            );
        }
        for name in [
            "usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32",
        ] {
            let host = Path::new("/").join(name);
            let inside = root.join(name);
            let Ok(meta) = fs::symlink_metadata(&host) else {
                continue;
            };
            let existing = fs::symlink_metadata(&inside).ok();
            if meta.file_type().is_symlink() {
                match existing {
                    // Merged-usr host: the same relative symlink works inside the sandbox.
                    None => std::os::unix::fs::symlink(fs::read_link(&host)?, &inside)?,
                    Some(m) if m.is_dir() => {
                        ro_bind(&mut push, &fs::canonicalize(&host)?, &inside)?
                    }
                    Some(_) => {}
                }
                continue;
            }
            if !meta.is_dir() {
                continue;
            }
            if existing.as_ref().is_some_and(|m| !m.is_dir()) {
                return Err(io::Error::other(format!(
                    "/{name} in the sandbox is not a directory"
                )));
            }
            fs::create_dir_all(&inside)?;
            if name == "etc" && fs::read_dir(&inside)?.next().is_some() {
                // The sandbox was seeded with its own /etc: keep it, add only what tools need.
                for file in [
                    "passwd",
                    "group",
                    "nsswitch.conf",
                    "hosts",
                    "resolv.conf",
                    "ld.so.cache",
                ] {
                    let (h, i) = (host.join(file), inside.join(file));
                    if h.is_file() && fs::symlink_metadata(&i).is_err() {
                        fs::File::create(&i)?;
                        ro_bind(&mut push, &h, &i)?;
                    }
                }
            } else {
                ro_bind(&mut push, &host, &inside)?;
            }
        }

        if keep_local {
            let (from, to) = (cstr(&proc_dir)?, cstr(&local)?);
            let bind = libc::MS_BIND | libc::MS_REC;
            push(
                mount(Some(from), to, None, bind),
                true,
                "bind /usr/local".into(),
            );
        }

        // A private /dev: a tmpfs with the harmless devices bound from the host.
        let dev = root.join("dev");
        fs::create_dir_all(&dev)?;
        let tmpfs = Some(CString::from(c"tmpfs"));
        push(
            Op::Mount {
                src: tmpfs.clone(),
                target: cstr(&dev)?,
                fstype: tmpfs,
                flags: libc::MS_NOSUID | libc::MS_NOEXEC,
                data: Some(c"mode=755".into()),
            },
            true,
            "mount /dev".into(),
        );
        for d in ["null", "zero", "full", "random", "urandom", "tty"] {
            let target = cstr(&dev.join(d))?;
            push(Op::Touch(target.clone()), false, format!("create /dev/{d}"));
            let src = Some(cstr(&Path::new("/dev").join(d))?);
            push(
                mount(src, target, None, libc::MS_BIND),
                false,
                format!("bind /dev/{d}"),
            );
        }
        push(
            Op::Mkdir(cstr(&dev.join("pts"))?),
            false,
            "create /dev/pts".into(),
        );
        push(
            Op::Mkdir(cstr(&dev.join("shm"))?),
            false,
            "create /dev/shm".into(),
        );
        // The terminal of `exec -t` is a host pty: its /dev/pts/N must resolve inside too.
        let pts = cstr(&dev.join("pts"))?;
        push(
            mount(
                Some(c"/dev/pts".into()),
                pts,
                None,
                libc::MS_BIND | libc::MS_REC,
            ),
            false,
            "bind /dev/pts".into(),
        );
        for (to, link) in [
            ("/proc/self/fd", "fd"),
            ("/proc/self/fd/0", "stdin"),
            ("/proc/self/fd/1", "stdout"),
            ("/proc/self/fd/2", "stderr"),
            ("pts/ptmx", "ptmx"),
        ] {
            let op = Op::Symlink {
                to: cstr(Path::new(to))?,
                link: cstr(&dev.join(link))?,
            };
            push(op, false, format!("create /dev/{link}"));
        }
        push(
            Op::Proc {
                target: cstr(&proc_dir)?,
            },
            true,
            "mount /proc".into(),
        );

        // /tmp is a plain sandbox directory so files copied there survive between execs.
        let tmp = root.join("tmp");
        if fs::symlink_metadata(&tmp).is_err() {
            fs::create_dir_all(&tmp)?;
            fs::set_permissions(&tmp, fs::Permissions::from_mode(0o1777))?;
        }
        let wd = if workdir.is_empty() { "/" } else { workdir };
        let inside_wd: PathBuf = root.join(wd.trim_start_matches('/'));
        if !inside_wd.starts_with(&root) || wd.split('/').any(|c| c == "..") {
            return Err(io::Error::other(format!(
                "working directory {wd:?} escapes the sandbox"
            )));
        }
        fs::create_dir_all(&inside_wd)?;
        push(
            Op::EnterRoot { root: root_c },
            true,
            "enter sandbox root".into(),
        );
        push(Op::Chdir(cstr(Path::new(wd))?), true, format!("chdir {wd}"));
        push(Op::DropCaps, true, "drop capabilities".into());

        let (read, write) =
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK)?;
        let steps = plan.iter().map(|(_, _, w)| w.clone()).collect();
        let plan = Plan {
            ops: plan,
            report_fd: write.as_raw_fd(),
        };
        Ok((
            plan,
            Report {
                read,
                write: Some(write),
                steps,
            },
        ))
    }

    /// Only what every child needs, for the unconfined fallback: its own session.
    pub(super) fn session_only(ctty: bool) -> Plan {
        Plan {
            ops: vec![(Op::Setsid { ctty }, true, "new session".into())],
            report_fd: -1,
        }
    }

    /// Run the steps in the forked child. Only raw system calls: no allocation, no locks.
    pub(super) fn run(&self) -> io::Result<()> {
        for (i, (op, must, _)) in self.ops.iter().enumerate() {
            // SAFETY: every pointer comes from a live CString/Vec owned by `self`.
            let ok = unsafe { run_op(op) };
            if !ok && *must {
                let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
                let mut msg = [0u8; 8];
                msg[..4].copy_from_slice(&(i as u32).to_ne_bytes());
                msg[4..].copy_from_slice(&errno.to_ne_bytes());
                // SAFETY: writing a stack buffer to a pipe fd we own; errors are moot here.
                unsafe { libc::write(self.report_fd, msg.as_ptr().cast(), msg.len()) };
                return Err(io::Error::from_raw_os_error(errno));
            }
        }
        Ok(())
    }
}

impl Report {
    /// Close the parent's write end: after `spawn` returned, only the child could have written.
    pub(super) fn close_write(&mut self) {
        drop(self.write.take());
    }

    /// Which step failed in the child, if one did, as "step: error".
    pub(super) fn failure(&self) -> Option<String> {
        let mut msg = [0u8; 8];
        let n = nix::unistd::read(&self.read, &mut msg).ok()?;
        if n != msg.len() {
            return None;
        }
        let step = u32::from_ne_bytes([msg[0], msg[1], msg[2], msg[3]]) as usize;
        let errno = i32::from_ne_bytes([msg[4], msg[5], msg[6], msg[7]]);
        let what = self.steps.get(step).map_or("setup", String::as_str);
        Some(format!("{what}: {}", io::Error::from_raw_os_error(errno)))
    }
}

fn mount(
    src: Option<CString>,
    target: CString,
    fstype: Option<CString>,
    flags: libc::c_ulong,
) -> Op {
    Op::Mount {
        src,
        target,
        fstype,
        flags,
        data: None,
    }
}

/// Bind `host` onto `inside` and make it read-only, keeping the flags the kernel locks.
fn ro_bind(push: &mut impl FnMut(Op, bool, String), host: &Path, inside: &Path) -> io::Result<()> {
    use nix::sys::statvfs::FsFlags;
    let locked = nix::sys::statvfs::statvfs(host)
        .map(|s| s.flags())
        .unwrap_or(FsFlags::empty());
    let mut flags = libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY;
    for (f, m) in [
        (FsFlags::ST_NOSUID, libc::MS_NOSUID),
        (FsFlags::ST_NODEV, libc::MS_NODEV),
        (FsFlags::ST_NOEXEC, libc::MS_NOEXEC),
        (FsFlags::ST_NOATIME, libc::MS_NOATIME),
        (FsFlags::ST_NODIRATIME, libc::MS_NODIRATIME),
        (FsFlags::ST_RELATIME, libc::MS_RELATIME),
    ] {
        if locked.contains(f) {
            flags |= m;
        }
    }
    let (h, i) = (cstr(host)?, cstr(inside)?);
    let what = format!("bind {}", host.display());
    push(
        mount(Some(h), i.clone(), None, libc::MS_BIND | libc::MS_REC),
        true,
        what.clone(),
    );
    push(
        mount(None, i, None, flags),
        true,
        format!("{what} read-only"),
    );
    Ok(())
}
