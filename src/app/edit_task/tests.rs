use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::mpsc;

use super::*;
use crate::kube::kinds::ResourceKind;

#[test]
fn the_editor_is_chosen_as_kubectl_chooses_it() {
    let path = Path::new("/s/edits/x.yaml");
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(
        editor_command(env(&[]), path),
        ("vi".into(), vec!["/s/edits/x.yaml".into()])
    );
    assert_eq!(
        editor_command(env(&[("EDITOR", "nano"), ("VISUAL", "vim")]), path).0,
        "vim"
    );
    assert_eq!(
        editor_command(
            env(&[("EDITOR", "nano"), ("KUBE_EDITOR", "hx"), ("VISUAL", "vim")]),
            path
        )
        .0,
        "hx"
    );
    let (program, args) = editor_command(env(&[("EDITOR", "code -w")]), path);
    assert_eq!(program, "sh");
    assert_eq!(
        args,
        vec!["-c", "code -w \"$1\"", "kterm-edit", "/s/edits/x.yaml"]
    );
}

#[test]
fn edit_files_are_named_by_kind_namespace_name_and_time() {
    let target = Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater");
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-06T10:15:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let path = edit_file(Path::new("/s"), &target, now);
    assert_eq!(
        path,
        Path::new("/s/cronjob-t4k9pz-protheus-updater-20261206T101500Z.yaml")
    );
    assert_eq!(
        mine_file(&path),
        Path::new("/s/cronjob-t4k9pz-protheus-updater-20261206T101500Z.mine.yaml")
    );
}

/// A cluster holding one object: GET answers it, PUT takes what it is given.
struct Fake {
    current: Value,
    put: std::sync::Mutex<Vec<Value>>,
}

impl Cluster for Fake {
    fn context(&self) -> &str {
        "fake"
    }
    fn default_namespace(&self) -> &str {
        "default"
    }
    fn watch_pods(
        &self,
        _: &crate::kube::scope::Namespaces,
        _: crate::kube::watch::Sink<crate::kube::watch::PodEvent>,
    ) -> crate::kube::WatchHandle {
        crate::kube::WatchHandle::default()
    }
    fn list_namespaces(
        &self,
        _: &str,
        _: crate::kube::watch::Sink<crate::kube::NamespaceAnswer>,
    ) -> crate::kube::WatchHandle {
        crate::kube::WatchHandle::default()
    }
    fn get_target(
        &self,
        _: &Target,
    ) -> futures::future::BoxFuture<'static, Result<Value, MutateError>> {
        let current = self.current.clone();
        Box::pin(async move { Ok(current) })
    }
    fn replace(
        &self,
        _: &Target,
        object: Value,
    ) -> futures::future::BoxFuture<'static, Result<Value, MutateError>> {
        if let Ok(mut put) = self.put.lock() {
            put.push(object.clone());
        }
        Box::pin(async move { Ok(object) })
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kterm-edit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn cronjob(suspend: bool, version: &str, labels: Value) -> Value {
    serde_json::json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "u", "namespace": "t", "resourceVersion": version, "labels": labels},
        "spec": {"suspend": suspend}
    })
}

fn save(id: u64) -> Save {
    Save {
        id,
        context: "fake".into(),
        target: Target::of(ResourceKind::CronJob, Some("t"), "u"),
        changed: vec!["spec.suspend".into()],
    }
}

#[tokio::test]
async fn the_fresh_object_opens_with_the_users_version_in_a_side_file() {
    let dir = scratch("fresh");
    let path = dir.join("cronjob-t-u-1.yaml");
    let fake = Fake {
        current: cronjob(false, "9", serde_json::json!({"a": "b"})),
        put: Default::default(),
    };
    let (tx, mut rx) = mpsc::channel(4);
    let target = Target::of(ResourceKind::CronJob, Some("t"), "u");
    let mine_text = "my edit: kept\n".to_string();
    fresh(
        Some(Arc::new(fake)),
        3,
        target,
        path.clone(),
        mine_text.clone(),
        tx,
    )
    .await;
    let Some(Msg::EditOpened(opened)) = rx.recv().await else {
        unreachable!("the fresh object opens");
    };
    let mine = dir.join("cronjob-t-u-1.mine.yaml");
    assert_eq!(opened.mine.as_deref(), Some(mine.as_path()));
    assert_eq!(std::fs::read_to_string(&mine).ok(), Some(mine_text));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text.contains(&format!("# Your version is kept in {}.\n", mine.display())),
        "{text}"
    );
    assert!(text.contains("resourceVersion: '9'"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path)
        .map(|m| m.permissions().mode())
        .unwrap_or(0);
    assert_eq!(mode & 0o777, 0o600, "an edit file may hold a Secret");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn re_apply_puts_the_merge_between_audit_lines_or_names_the_clash() {
    let dir = scratch("reapply");
    let audit = Audit::at(dir.join("audit.log"), false);
    let original = Arc::new(cronjob(false, "1", serde_json::json!({})));
    let edited = Arc::new(cronjob(true, "1", serde_json::json!({})));
    let fake = Arc::new(Fake {
        current: cronjob(false, "2", serde_json::json!({"by": "colleague"})),
        put: Default::default(),
    });
    let (tx, mut rx) = mpsc::channel(4);
    let cluster: Arc<dyn Cluster> = fake.clone();
    reapply(
        Some(cluster),
        audit.clone(),
        save(5),
        original.clone(),
        edited,
        tx.clone(),
    )
    .await;
    assert_eq!(
        rx.recv().await,
        Some(Msg::EditApplied {
            id: 5,
            result: Ok(())
        })
    );
    let put = fake.put.lock().map(|p| p.clone()).unwrap_or_default();
    assert_eq!(
        put,
        vec![cronjob(true, "2", serde_json::json!({"by": "colleague"}))]
    );
    let log = std::fs::read_to_string(dir.join("audit.log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].contains("\"phase\":\"intent\"")
            && lines[0].contains("\"changed\":[\"spec.suspend\"]")
    );
    assert!(lines[1].contains("\"outcome\":\"ok\""), "{log}");
    // The colleague suspended it too, differently: refused, nothing sent.
    let clash = Arc::new(Fake {
        current: serde_json::json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "u", "namespace": "t", "resourceVersion": "3", "labels": {}},
            "spec": {"suspend": "later"}}),
        put: Default::default(),
    });
    let edited = Arc::new(cronjob(true, "1", serde_json::json!({})));
    let cluster: Arc<dyn Cluster> = clash.clone();
    reapply(Some(cluster), audit, save(6), original, edited, tx).await;
    assert_eq!(
        rx.recv().await,
        Some(Msg::EditRefused {
            id: 6,
            paths: vec!["spec.suspend".into()]
        })
    );
    assert!(clash.put.lock().map(|p| p.is_empty()).unwrap_or(false));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_write_leaves_the_earlier_text_whole() {
    let dir = scratch("write");
    let path = dir.join("cronjob-t-u-1.yaml");
    assert_eq!(write_file(&path, "first\n"), Ok(()));
    // A directory where the staged file goes makes the write fail before the rename.
    let mut staged = path.as_os_str().to_owned();
    staged.push(".saving");
    std::fs::create_dir_all(PathBuf::from(&staged)).unwrap_or_default();
    let failed = write_file(&path, "second\n");
    assert!(
        failed
            .as_ref()
            .is_err_and(|e| e.starts_with("Cannot write the edit file")),
        "{failed:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some("first\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
