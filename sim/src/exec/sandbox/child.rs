//! What the forked child runs before `exec`: the sandbox steps as raw system calls.
//! No allocation and no locks here (the parent may be multi-threaded when it forks).

use std::ffi::CString;

/// One step the child performs. `must` steps abort the exec on failure.
pub(super) enum Op {
    Setsid {
        ctty: bool,
    },
    Unshare(libc::c_int),
    WriteFile {
        path: CString,
        data: Vec<u8>,
    },
    Mount {
        src: Option<CString>,
        target: CString,
        fstype: Option<CString>,
        flags: libc::c_ulong,
        data: Option<CString>,
    },
    /// Try to mount `proc`, else bind the host's.
    Proc {
        target: CString,
    },
    Mkdir(CString),
    Touch(CString),
    Symlink {
        to: CString,
        link: CString,
    },
    /// `pivot_root` into `root` (or `chroot` if that is refused).
    EnterRoot {
        root: CString,
    },
    Chdir(CString),
    DropCaps,
}

/// Capabilities dropped from the bounding set: what could escape or damage the host
/// (SYS_ADMIN: mount/pivot_root; SYS_CHROOT; SYS_PTRACE: /proc/PID/root; MKNOD; SYS_MODULE;
/// SYS_RAWIO; SYS_BOOT; SYS_TIME; NET_ADMIN; SYS_RESOURCE; LINUX_IMMUTABLE; MAC_*; SYSLOG;
/// BPF; PERFMON; CHECKPOINT_RESTORE; AUDIT_CONTROL; SYS_TTY_CONFIG; WAKE_ALARM; BLOCK_SUSPEND).
const DROPPED_CAPS: [libc::c_int; 22] = [
    21, 18, 19, 27, 16, 17, 22, 25, 12, 24, 9, 32, 33, 34, 39, 38, 40, 30, 26, 35, 36, 28,
];

fn opt_ptr(c: &Option<CString>) -> *const libc::c_char {
    c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
}

/// One step as system calls; false on failure (errno set).
///
/// SAFETY: the caller passes an `Op` whose strings outlive the call.
pub(super) unsafe fn run_op(op: &Op) -> bool {
    unsafe {
        match op {
            Op::Setsid { ctty } => {
                libc::setsid() >= 0 && (!ctty || libc::ioctl(0, libc::TIOCSCTTY, 0) == 0)
            }
            Op::Unshare(flags) => libc::unshare(*flags) == 0,
            Op::WriteFile { path, data } => {
                let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                if fd < 0 {
                    return false;
                }
                let n = libc::write(fd, data.as_ptr().cast(), data.len());
                libc::close(fd);
                n == data.len() as isize
            }
            Op::Mount {
                src,
                target,
                fstype,
                flags,
                data,
            } => {
                libc::mount(
                    opt_ptr(src),
                    target.as_ptr(),
                    opt_ptr(fstype),
                    *flags,
                    opt_ptr(data).cast(),
                ) == 0
            }
            Op::Proc { target } => {
                let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
                libc::mount(c"proc".as_ptr(), target.as_ptr(), c"proc".as_ptr(), flags, std::ptr::null()) == 0
                    // In a user namespace a fresh proc needs a PID namespace: bind the host's.
                    || libc::mount(c"/proc".as_ptr(), target.as_ptr(), std::ptr::null(), libc::MS_BIND | libc::MS_REC, std::ptr::null()) == 0
            }
            Op::Mkdir(p) => libc::mkdir(p.as_ptr(), 0o755) == 0,
            Op::Touch(p) => {
                let fd = libc::open(
                    p.as_ptr(),
                    libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                    0o644,
                );
                fd >= 0 && libc::close(fd) == 0
            }
            Op::Symlink { to, link } => libc::symlink(to.as_ptr(), link.as_ptr()) == 0,
            Op::EnterRoot { root } => {
                if libc::chdir(root.as_ptr()) != 0 {
                    return false;
                }
                // pivot_root(".", ".") stacks the old root on the new one; detaching it leaves
                // no path back to the host. Refused on some roots (initramfs): chroot instead.
                let dot = c".".as_ptr();
                let pivoted = libc::syscall(libc::SYS_pivot_root, dot, dot) == 0
                    && libc::umount2(dot, libc::MNT_DETACH) == 0;
                (pivoted || libc::chroot(dot) == 0) && libc::chdir(c"/".as_ptr()) == 0
            }
            Op::Chdir(p) => libc::chdir(p.as_ptr()) == 0,
            Op::DropCaps => {
                for cap in DROPPED_CAPS {
                    // EINVAL: a capability this kernel does not know; nothing to drop.
                    libc::prctl(libc::PR_CAPBSET_DROP, cap as libc::c_ulong, 0, 0, 0);
                }
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            }
        }
    }
}
