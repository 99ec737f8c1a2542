//! Files in and out of a container like `kubectl cp`: a tar stream over exec (`tar xmf - -C dir`
//! into the pod, `tar cf - -C dir name` out of it), files and directories, byte for byte.
//!
//! The tar work runs on a blocking thread fed through a channel, so a 5 MB file never sits
//! whole in memory and the exec's pipes keep moving. Out of the pod, the tree is unpacked into a
//! hidden directory beside the target first and renamed into place only when tar in the pod
//! succeeded, so a failed copy never leaves half a file where the user asked for one.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use ::kube::Client;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::kube::exec::{self, ExecOutcome, ExecSpec};
use crate::sanitize::sanitize_owned;

/// Bytes per chunk between the tar thread and the exec.
const CHUNK: usize = 64 * 1024;

/// Stderr kept from tar in the pod: enough for its first complaints.
const STDERR_LIMIT: usize = 16 * 1024;

/// Copies `local` (a file or a directory) to `remote` in the pod; a `remote` ending in `/`
/// means "into that directory". `progress` gets the tar bytes sent and their expected total.
/// Returns the bytes of file content copied; Err is one sentence.
pub async fn copy_in(
    client: Client,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    local: &Path,
    remote: &str,
    mut progress: impl FnMut(u64, Option<u64>) + Send,
) -> Result<u64, String> {
    let shown = sanitize_owned(local.display().to_string());
    let meta = fs::symlink_metadata(local).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => format!("{shown} does not exist; check the local path."),
        _ => format!("Cannot read {shown} ({e}); check its permissions."),
    })?;
    let local_name = local
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{shown} names no file; give a file or directory."))?;
    let remote = if remote.ends_with('/') || remote.is_empty() {
        format!("{remote}{local_name}")
    } else {
        remote.to_string()
    };
    let (dir, name) = split_remote(&remote)?;
    let total = tar_size(local, &meta)
        .map_err(|e| format!("Cannot read {shown} ({e}); check its permissions."))?;

    let spec = ExecSpec {
        container: container.unwrap_or_default().to_string(),
        command: ["tar", "xmf", "-", "-C", &dir].map(str::to_string).to_vec(),
        tty: false,
        stdin: true,
    };
    let mut session = exec::start(client, namespace, pod, spec)
        .await
        .map_err(no_tar)?;
    let mut stdin = session.stdin.take();
    let stdout = session.stdout.take();
    let stderr = session.stderr.take();

    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(8);
    let (path, entry) = (local.to_path_buf(), name.clone());
    let builder = tokio::task::spawn_blocking(move || write_tar(&path, &entry, ChannelWriter(tx)));
    let feed = async {
        let mut sent = 0u64;
        while let Some(chunk) = rx.recv().await {
            let Some(w) = stdin.as_mut() else { break };
            // A tar that gave up stops reading; its stderr says why.
            if w.write_all(&chunk).await.is_err() {
                break;
            }
            sent += chunk.len() as u64;
            progress(sent.min(total), Some(total));
        }
        drop(rx);
        if let Some(mut w) = stdin.take() {
            let _ = w.shutdown().await;
        }
    };
    let (_, errors, _, outcome) =
        tokio::join!(feed, read_limited(stderr), drain(stdout), session.outcome);
    let built = builder
        .await
        .map_err(|e| format!("Packing {shown} stopped ({e}); try again."))?;
    match outcome {
        ExecOutcome::Exited(0) => {
            built.map_err(|e| format!("Cannot read {shown} ({e}); check its permissions."))
        }
        ExecOutcome::Exited(_) => Err(tar_failure(&errors, &remote, &dir)),
        // A missing tar can also surface here, when the runtime said so after `start` returned.
        ExecOutcome::Lost(sentence) => Err(no_tar(sentence)),
    }
}

/// Copies `remote` (a file or a directory) out of the pod to `local`; an existing local
/// directory receives it under its own name. Refuses to replace an existing local file or
/// directory unless `overwrite`. `progress` gets the tar bytes received (no total is known).
/// Returns the bytes of file content copied; Err is one sentence.
#[allow(clippy::too_many_arguments)]
pub async fn copy_out(
    client: Client,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    remote: &str,
    local: &Path,
    overwrite: bool,
    mut progress: impl FnMut(u64, Option<u64>) + Send,
) -> Result<u64, String> {
    let (dir, name) = split_remote(remote.trim_end_matches('/'))?;
    let target = if local.is_dir() {
        local.join(&name)
    } else {
        local.to_path_buf()
    };
    let shown = sanitize_owned(target.display().to_string());
    if !overwrite && fs::symlink_metadata(&target).is_ok() {
        return Err(format!(
            "{shown} already exists; choose to overwrite it or copy to another path."
        ));
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = staging_dir(&parent)?;

    let spec = ExecSpec {
        container: container.unwrap_or_default().to_string(),
        command: ["tar", "cf", "-", "-C", &dir, &name]
            .map(str::to_string)
            .to_vec(),
        tty: false,
        stdin: false,
    };
    let mut session = match exec::start(client, namespace, pod, spec).await {
        Ok(session) => session,
        Err(sentence) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(no_tar(sentence));
        }
    };
    let stdout = session.stdout.take();
    let stderr = session.stderr.take();

    let (tx, rx) = mpsc::channel::<Vec<u8>>(8);
    let into = staging.clone();
    let unpacker = tokio::task::spawn_blocking(move || {
        let reader = ChannelReader {
            rx,
            chunk: Vec::new(),
            at: 0,
        };
        unpack(reader, &into)
    });
    let feed = async {
        let Some(mut out) = stdout else { return };
        let mut buf = vec![0u8; CHUNK];
        let mut received = 0u64;
        let mut tx = Some(tx);
        // Keep reading after the unpacker quit, or the exec's status never arrives.
        while let Ok(n @ 1..) = out.read(&mut buf).await {
            received += n as u64;
            progress(received, None);
            if let Some(sender) = &tx {
                if sender.send(buf[..n].to_vec()).await.is_err() {
                    tx = None;
                }
            }
        }
    };
    let (_, errors, outcome) = tokio::join!(feed, read_limited(stderr), session.outcome);
    let unpacked = unpacker
        .await
        .map_err(|e| format!("Unpacking stopped ({e}); try again."));
    let result = match (outcome, unpacked) {
        (ExecOutcome::Exited(0), Ok(Ok(bytes))) => {
            place(&staging.join(&name), &target, overwrite, &shown).map(|()| bytes)
        }
        (ExecOutcome::Exited(0), Ok(Err(e))) => Err(local_failure(&e, &parent)),
        (ExecOutcome::Exited(0), Err(sentence)) => Err(sentence),
        (ExecOutcome::Lost(sentence), _) => Err(no_tar(sentence)),
        (ExecOutcome::Exited(_), _) => Err(tar_failure(&errors, remote, &dir)),
    };
    let _ = fs::remove_dir_all(&staging);
    result
}

/// `dir` and `name` of a pod path, as `tar -C dir name` wants them.
fn split_remote(remote: &str) -> Result<(String, String), String> {
    let (dir, name) = match remote.rsplit_once('/') {
        Some(("", name)) => ("/".to_string(), name),
        Some((dir, name)) => (dir.to_string(), name),
        None => (".".to_string(), remote),
    };
    if name.is_empty() || name == "." || name == ".." {
        return Err(sanitize_owned(format!(
            "{remote} names no file in the pod; give a file or directory path."
        )));
    }
    Ok((dir, name.to_string()))
}

/// The sentence for an exec that could not start: tar missing gets its own.
fn no_tar(sentence: String) -> String {
    if sentence.starts_with("tar: not found") {
        "The container has no tar, which copying needs; pick a container that has it (-c).".into()
    } else {
        sentence
    }
}

/// What tar in the pod complained about, as one sentence.
fn tar_failure(stderr: &str, remote: &str, dir: &str) -> String {
    let lower = stderr.to_lowercase();
    let line = stderr.lines().next().unwrap_or("no message").trim();
    let text = if lower.contains("read-only file system") {
        format!("{remote} is on a read-only file system in the pod; copy to a writable path such as /tmp.")
    } else if lower.contains("permission denied") {
        format!(
            "Permission denied for {remote} in the pod; pick a path the container's user may use."
        )
    } else if lower.contains("no such file or directory") || lower.contains("can't") {
        if lower.contains(&format!("{dir}:")) && dir != "." {
            format!("{dir} does not exist in the pod; check the path.")
        } else {
            format!("{remote} does not exist in the pod; check the path.")
        }
    } else {
        format!("tar in the pod failed ({line}); check the path and the container.")
    };
    sanitize_owned(text)
}

/// A local write failure as one sentence.
fn local_failure(error: &io::Error, parent: &Path) -> String {
    let shown = sanitize_owned(parent.display().to_string());
    match error.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("Permission denied writing in {shown}; pick a directory you may write to.")
        }
        io::ErrorKind::NotFound => format!("{shown} does not exist; create it first."),
        _ => sanitize_owned(format!(
            "Cannot write in {shown} ({error}); check the disk."
        )),
    }
}

/// A fresh hidden directory in `parent` for the unpacked tree.
fn staging_dir(parent: &Path) -> Result<PathBuf, String> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = parent.join(format!(".kterm-cp-{}-{n}", std::process::id()));
    fs::create_dir(&dir).map_err(|e| local_failure(&e, parent))?;
    Ok(dir)
}

/// Moves the unpacked `from` to `to`, replacing what is there only when `overwrite`.
fn place(from: &Path, to: &Path, overwrite: bool, shown: &str) -> Result<(), String> {
    if fs::symlink_metadata(from).is_err() {
        return Err(format!("The pod sent nothing for {shown}; check the path."));
    }
    if let Ok(existing) = fs::symlink_metadata(to) {
        if !overwrite {
            return Err(format!(
                "{shown} already exists; choose to overwrite it or copy to another path."
            ));
        }
        let removed = if existing.is_dir() {
            fs::remove_dir_all(to)
        } else {
            fs::remove_file(to)
        };
        removed.map_err(|e| format!("Cannot replace {shown} ({e}); check its permissions."))?;
    }
    fs::rename(from, to).map_err(|e| format!("Cannot write {shown} ({e}); check the directory."))
}

/// The tar stream's size: a header block per entry, content padded to 512, two end blocks
/// (long names add a little, so progress is clamped to it).
fn tar_size(path: &Path, meta: &fs::Metadata) -> io::Result<u64> {
    let mut size = 512;
    if meta.is_file() {
        size += meta.len().div_ceil(512) * 512;
    } else if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            let entry = entry?;
            size += tar_size(&entry.path(), &entry.metadata()?)?;
        }
    }
    Ok(size + 1024)
}

/// Writes `path` as the tar entry `name` (recursively); returns the file bytes written.
/// Owners are written as root, which the pod's tar can always apply.
fn write_tar(path: &Path, name: &str, out: impl Write) -> io::Result<u64> {
    let mut builder = tar::Builder::new(out);
    let bytes = append(&mut builder, path, Path::new(name))?;
    builder.into_inner()?.flush()?;
    Ok(bytes)
}

fn append<W: Write>(builder: &mut tar::Builder<W>, path: &Path, name: &Path) -> io::Result<u64> {
    let meta = fs::symlink_metadata(path)?;
    let mut header = tar::Header::new_gnu();
    header.set_metadata_in_mode(&meta, tar::HeaderMode::Complete);
    header.set_uid(0);
    header.set_gid(0);
    let _ = header.set_username("root");
    let _ = header.set_groupname("root");
    if meta.is_dir() {
        builder.append_data(&mut header, name, io::empty())?;
        let mut entries: Vec<_> = fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(fs::DirEntry::file_name);
        let mut bytes = 0;
        for entry in entries {
            bytes += append(builder, &entry.path(), &name.join(entry.file_name()))?;
        }
        Ok(bytes)
    } else if meta.file_type().is_symlink() {
        builder.append_link(&mut header, name, fs::read_link(path)?)?;
        Ok(0)
    } else if meta.is_file() {
        builder.append_data(&mut header, name, fs::File::open(path)?)?;
        Ok(meta.len())
    } else {
        // Sockets and devices have no content to copy.
        Ok(0)
    }
}

/// Unpacks a tar stream into `dir`; returns the file bytes unpacked.
fn unpack(reader: impl Read, dir: &Path) -> io::Result<u64> {
    let mut archive = tar::Archive::new(reader);
    archive.set_preserve_permissions(true);
    let mut bytes = 0;
    for entry in archive.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type().is_file() {
            bytes += entry.size();
        }
        // unpack_in refuses entries that would land outside `dir` (`..`, absolute paths).
        entry.unpack_in(dir)?;
    }
    Ok(bytes)
}

/// Everything left on `stream`, discarded (kube stalls if output is not read).
async fn drain(stream: Option<Box<dyn AsyncRead + Send + Unpin>>) {
    if let Some(mut s) = stream {
        let _ = tokio::io::copy(&mut s, &mut tokio::io::sink()).await;
    }
}

/// The first `STDERR_LIMIT` bytes of `stream` as text, the rest read and dropped.
async fn read_limited(stream: Option<Box<dyn AsyncRead + Send + Unpin>>) -> String {
    let Some(mut s) = stream else {
        return String::new();
    };
    let mut kept = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = s.read(&mut buf).await {
        if kept.len() < STDERR_LIMIT {
            kept.extend_from_slice(&buf[..n]);
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// A blocking writer that hands full chunks to the async side.
struct ChannelWriter(mpsc::Sender<Vec<u8>>);

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(CHUNK);
        self.0
            .blocking_send(data[..n].to_vec())
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the pod stopped reading"))?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A blocking reader over the chunks the async side receives.
struct ChannelReader {
    rx: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.chunk.len() {
            match self.rx.blocking_recv() {
                Some(chunk) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_paths_split_for_tar() {
        assert_eq!(
            split_remote("/protheus/apo/x.rpo"),
            Ok(("/protheus/apo".into(), "x.rpo".into()))
        );
        assert_eq!(split_remote("/x"), Ok(("/".into(), "x".into())));
        assert_eq!(split_remote("x"), Ok((".".into(), "x".into())));
        assert!(split_remote("/a/..").is_err());
    }

    #[test]
    fn tar_complaints_become_sentences() {
        assert_eq!(
            tar_failure("tar: x: Cannot open: Read-only file system\n", "/usr/x", "/usr"),
            "/usr/x is on a read-only file system in the pod; copy to a writable path such as /tmp."
        );
        assert_eq!(
            tar_failure(
                "tar: nope: Cannot stat: No such file or directory\n",
                "/tmp/nope",
                "/tmp"
            ),
            "/tmp/nope does not exist in the pod; check the path."
        );
        assert_eq!(
            tar_failure(
                "tar: /nodir: Cannot open: No such file or directory\n",
                "/nodir/x",
                "/nodir"
            ),
            "/nodir does not exist in the pod; check the path."
        );
    }
}
