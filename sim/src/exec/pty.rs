//! The pseudo-terminal of `exec -t`: a non-blocking master driven by tokio, so reads and
//! writes can wait concurrently and be cancelled when the session ends.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use nix::fcntl::{open, OFlag};
use nix::pty::{grantpt, posix_openpt, ptsname_r, unlockpt};
use nix::sys::stat::Mode;
use tokio::io::unix::AsyncFd;

pub(super) struct PtyMaster {
    fd: AsyncFd<OwnedFd>,
}

/// Open a pty pair: the master (ours) and the slave (the child's stdio). Both close-on-exec,
/// so concurrent spawns never inherit them; the slave is handed over with dup2.
pub(super) fn open_pty() -> io::Result<(PtyMaster, OwnedFd)> {
    let master =
        posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)?;
    grantpt(&master)?;
    unlockpt(&master)?;
    let name = ptsname_r(&master)?;
    let slave = open(
        name.as_str(),
        OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let fd: OwnedFd = master.into();
    // SAFETY: an OwnedFd stays open and unchanged for as long as the AsyncFd owns it.
    let fd = unsafe { AsyncFd::register(fd) }?;
    Ok((PtyMaster { fd }, slave))
}

impl PtyMaster {
    /// Read output; 0 at end. EIO means every slave descriptor is closed: the end as well.
    pub(super) async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let mut guard = self.fd.readable().await?;
            match guard.try_io(|fd| nix::unistd::read(fd.get_ref(), buf).map_err(io::Error::from)) {
                Ok(Err(e)) if e.raw_os_error() == Some(libc::EIO) => return Ok(0),
                Ok(r) => return r,
                Err(_would_block) => continue,
            }
        }
    }

    pub(super) async fn write_all(&self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let mut guard = self.fd.writable().await?;
            match guard.try_io(|fd| {
                nix::unistd::write(fd.get_ref().as_fd(), data).map_err(io::Error::from)
            }) {
                Ok(Ok(n)) => data = &data[n..],
                Ok(Err(e)) => return Err(e),
                Err(_would_block) => continue,
            }
        }
        Ok(())
    }

    /// Set the window size; the kernel sends SIGWINCH to the foreground process group.
    pub(super) fn resize(&self, width: u16, height: u16) -> io::Result<()> {
        let ws = libc::winsize {
            ws_row: height,
            ws_col: width,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ reads a winsize from a valid pointer; the fd is ours and open.
        let r = unsafe { libc::ioctl(self.fd.get_ref().as_raw_fd(), libc::TIOCSWINSZ, &ws) };
        if r == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}
