//! The runtime side of an edit: reading the object and writing the file the editor opens (under
//! the state dir, kept until the edit is applied or nothing changed), choosing the editor,
//! reading the file back, and the saves — PUT, or after a 409 the re-apply onto the fresh
//! object — each written to the audit log, intent before and outcome after.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::app::edit::{EditWhat, Opened};
use crate::app::msg::Msg;
use crate::audit::{Audit, Outcome, Record};
use crate::kube::edit::{render, render_with_note, three_way};
use crate::kube::mutate::MutateError;
use crate::kube::target::Target;
use crate::kube::Cluster;

const NOT_CONNECTED: &str = "Not connected to the cluster yet; try again in a moment.";

/// The editor for `path`, as kubectl picks it: `$KUBE_EDITOR`, `$VISUAL`, `$EDITOR`, else `vi`.
/// A value with spaces (`code -w`) runs through `sh -c`, the file passed as `$1`.
pub fn editor_command(
    lookup: impl Fn(&str) -> Option<String>,
    path: &Path,
) -> (String, Vec<String>) {
    let editor = ["KUBE_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .filter_map(|var| lookup(var))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let file = path.display().to_string();
    if editor.contains(char::is_whitespace) {
        let script = format!("{editor} \"$1\"");
        (
            "sh".to_string(),
            vec!["-c".to_string(), script, "kterm-edit".to_string(), file],
        )
    } else {
        (editor, vec![file])
    }
}

/// `<kind>-<namespace>-<name>-<time>.yaml` in `dir`.
pub fn edit_file(dir: &Path, target: &Target, now: chrono::DateTime<Utc>) -> PathBuf {
    let safe = |s: &str| s.replace(['/', '\\'], "_");
    let mut name = safe(&target.kind.to_ascii_lowercase());
    if let Some(ns) = &target.namespace {
        name.push('-');
        name.push_str(&safe(ns));
    }
    name.push('-');
    name.push_str(&safe(&target.name));
    name.push_str(&now.format("-%Y%m%dT%H%M%SZ.yaml").to_string());
    dir.join(name)
}

/// The side file keeping the user's version next to `path`: `….mine.yaml`.
pub fn mine_file(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.mine.yaml"))
}

/// Where edit files go: `$XDG_STATE_HOME/kterm/edits`, else the temp dir.
fn edits_dir() -> PathBuf {
    crate::config::paths::state_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("edits")
}

/// Writes `text` to `path`, readable by the user only (a Secret's data may be in it). The text
/// goes to a sibling first and is renamed over `path`, so a failed write (a full disk) never
/// leaves the user's earlier text half overwritten.
pub fn write_file(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let failed = |e: std::io::Error| {
        format!(
            "Cannot write the edit file {} ({e}); check that the directory is writable.",
            path.display()
        )
    };
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(failed)?;
    }
    let mut staged = path.as_os_str().to_owned();
    staged.push(".saving");
    let staged = PathBuf::from(staged);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&staged)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&staged, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&staged);
        return Err(failed(error));
    }
    Ok(())
}

/// Reads the edited file back.
pub fn read_file(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("Cannot read the edited file {} ({e}).", path.display()))
}

/// Removes an edit's file; a file already gone is fine.
pub fn discard(path: &Path) {
    if let Err(error) = std::fs::remove_file(path) {
        tracing::debug!(%error, path = %path.display(), "edit file not removed");
    }
}

/// `Effect::EditOpen`: resolve, GET, write the file; answers `EditOpened` or `EditFailed`.
pub async fn open(
    cluster: Option<Arc<dyn Cluster>>,
    id: u64,
    what: EditWhat,
    tx: mpsc::Sender<Msg>,
) {
    let msg = match open_file(cluster, id, what).await {
        Ok(opened) => Msg::EditOpened(Box::new(opened)),
        Err(sentence) => Msg::EditFailed { id, sentence },
    };
    let _ = tx.send(msg).await;
}

async fn open_file(
    cluster: Option<Arc<dyn Cluster>>,
    id: u64,
    what: EditWhat,
) -> Result<Opened, String> {
    let cluster = cluster.ok_or_else(|| NOT_CONNECTED.to_string())?;
    let target = match what {
        EditWhat::Target(target) => target,
        EditWhat::Word {
            word,
            namespace,
            name,
        } => cluster.resolve(&word, namespace.as_deref(), &name).await?,
    };
    let object = cluster
        .get_target(&target)
        .await
        .map_err(|e| e.to_string())?;
    let path = edit_file(&edits_dir(), &target, Utc::now());
    write_file(&path, &render(&object))?;
    Ok(opened(id, target, object, path, None))
}

fn opened(id: u64, target: Target, object: Value, path: PathBuf, mine: Option<PathBuf>) -> Opened {
    let (program, args) = editor_command(|v| std::env::var(v).ok(), &path);
    Opened {
        id,
        target,
        original: Arc::new(object),
        path,
        program,
        args,
        mine,
    }
}

/// `Effect::EditFresh`: the user's text into the side file, the fresh object into the edit's
/// file (naming the side file); answers `EditOpened` or `EditFailed`.
pub async fn fresh(
    cluster: Option<Arc<dyn Cluster>>,
    id: u64,
    target: Target,
    path: PathBuf,
    text: String,
    tx: mpsc::Sender<Msg>,
) {
    let result = async {
        let mine = mine_file(&path);
        write_file(&mine, &text)?;
        let cluster = cluster.ok_or_else(|| NOT_CONNECTED.to_string())?;
        let object = cluster.get_target(&target).await.map_err(|e| e.to_string())?;
        let note = format!(
            "The object changed since you opened it; this is the fresh one.\nYour version is kept in {}.",
            mine.display()
        );
        write_file(&path, &render_with_note(&object, Some(&note)))?;
        Ok::<_, String>(opened(id, target, object, path, Some(mine)))
    }
    .await;
    let msg = match result {
        Ok(opened) => Msg::EditOpened(Box::new(opened)),
        Err(sentence) => Msg::EditFailed { id, sentence },
    };
    let _ = tx.send(msg).await;
}

/// What a save needs for its audit lines.
pub struct Save {
    /// The edit session.
    pub id: u64,
    /// The kubeconfig context.
    pub context: String,
    /// The object.
    pub target: Target,
    /// The paths changed.
    pub changed: Vec<String>,
}

/// `Effect::EditApply`: PUT the edited object; answers `EditApplied`.
pub async fn apply(
    cluster: Option<Arc<dyn Cluster>>,
    audit: Audit,
    save: Save,
    object: Arc<Value>,
    tx: mpsc::Sender<Msg>,
) {
    let id = save.id;
    let result = match cluster {
        Some(cluster) => put(&*cluster, &audit, &save, (*object).clone()).await,
        None => Err(MutateError::Failed(NOT_CONNECTED.to_string())),
    };
    let _ = tx.send(Msg::EditApplied { id, result }).await;
}

/// `Effect::EditReapply`: GET the fresh object, re-apply the user's change, PUT; answers
/// `EditApplied` or `EditRefused`.
pub async fn reapply(
    cluster: Option<Arc<dyn Cluster>>,
    audit: Audit,
    save: Save,
    original: Arc<Value>,
    edited: Arc<Value>,
    tx: mpsc::Sender<Msg>,
) {
    let id = save.id;
    let msg = match cluster {
        None => Msg::EditApplied {
            id,
            result: Err(MutateError::Failed(NOT_CONNECTED.to_string())),
        },
        Some(cluster) => match cluster.get_target(&save.target).await {
            Err(error) => Msg::EditApplied {
                id,
                result: Err(error),
            },
            Ok(current) => match three_way(&original, &edited, &current) {
                Err(paths) => Msg::EditRefused { id, paths },
                Ok(merged) => Msg::EditApplied {
                    id,
                    result: put(&*cluster, &audit, &save, merged).await,
                },
            },
        },
    };
    let _ = tx.send(msg).await;
}

/// One PUT between its audit lines.
async fn put(
    cluster: &dyn Cluster,
    audit: &Audit,
    save: &Save,
    object: Value,
) -> Result<(), MutateError> {
    let mut intent =
        Record::intent(&save.context, "edit", &save.target.slash()).by(&cluster.identity());
    intent.namespace = save.target.namespace.clone();
    intent.changed = Some(save.changed.clone());
    if let Err(sentence) = audit.append(&intent) {
        if audit.required() {
            return Err(MutateError::Failed(format!(
                "{sentence} The audit log is required, so nothing was changed."
            )));
        }
        tracing::warn!(%sentence, "edit not in the audit log");
    }
    let result = cluster.replace(&save.target, object).await.map(|_| ());
    let outcome = match &result {
        Ok(()) => Outcome::Ok,
        Err(error) => Outcome::Error(error.to_string()),
    };
    let _ = audit.append(&intent.outcome(outcome));
    result
}

#[cfg(test)]
mod tests;
