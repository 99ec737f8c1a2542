//! `kterm cp`: files in and out of a pod like `kubectl cp`, in process (tar over exec), for
//! scripts. Exit status 0 only when the copy succeeded; every failure is one sentence.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ::kube::Api;
use k8s_openapi::api::core::v1::Pod;

use crate::kube::{copy, errors, Cluster, KubeCluster};
use crate::sanitize::sanitize_owned;

/// The annotation naming the container `kubectl exec`/`cp` use when none is given.
const DEFAULT_CONTAINER: &str = "kubectl.kubernetes.io/default-container";

/// Arguments of `kterm cp`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CpArgs {
    /// Copy from: a local path, or NS/POD:PATH in a pod.
    pub source: String,
    /// Copy to: NS/POD:PATH in a pod, or a local path.
    pub destination: String,
    /// The container (default: the pod's default-container annotation, else its only one).
    #[arg(short = 'c', long, value_name = "NAME")]
    pub container: Option<String>,
    /// Replace an existing local file or directory without asking.
    #[arg(long)]
    pub overwrite: bool,
}

/// Why `kterm cp` failed: one sentence.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CpError(pub String);

/// A place in a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PodPath {
    /// None: the context's namespace.
    namespace: Option<String>,
    pod: String,
    path: String,
}

/// `NS/POD:PATH` or `POD:PATH`; anything else (e.g. `./a:b`) is local.
fn pod_path(arg: &str) -> Option<PodPath> {
    let (target, path) = arg.split_once(':')?;
    let (namespace, pod) = match target.split_once('/') {
        Some((ns, pod)) => (Some(ns), pod),
        None => (None, target),
    };
    let name = |s: &str| {
        // DNS names start with a letter or digit, so `./a:b` and `../x:y` stay local.
        s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    if !name(pod) || !namespace.is_none_or(name) || path.is_empty() {
        return None;
    }
    Some(PodPath {
        namespace: namespace.map(str::to_string),
        pod: pod.to_string(),
        path: path.to_string(),
    })
}

/// Runs `kterm cp`.
pub async fn run(
    args: &CpArgs,
    kubeconfig: Option<&Path>,
    context: Option<&str>,
) -> Result<(), CpError> {
    let (from, to) = (pod_path(&args.source), pod_path(&args.destination));
    let (inward, remote, local) = match (from, to) {
        (None, Some(remote)) => (true, remote, PathBuf::from(&args.source)),
        (Some(remote), None) => (false, remote, PathBuf::from(&args.destination)),
        _ => {
            return Err(CpError(
                "Give one local path and one NS/POD:PATH, e.g. `kterm cp file.rpo ns/pod:/protheus/apo/`.".into(),
            ))
        }
    };
    let cluster = KubeCluster::connect(kubeconfig, context)
        .await
        .map_err(|e| CpError(e.to_string()))?;
    let namespace = remote
        .namespace
        .clone()
        .unwrap_or_else(|| cluster.default_namespace().to_string());
    let client = cluster.client().clone();
    let container = match &args.container {
        Some(c) => c.clone(),
        None => default_container(&cluster, &namespace, &remote.pod).await?,
    };
    let audit = crate::audit::Audit::from_settings(&crate::config::Config::load().settings.audit);
    let intent = crate::audit::copy_intent(
        cluster.context(),
        &namespace,
        &remote.pod,
        &container,
        inward,
        &local,
        &remote.path,
    )
    .by(&cluster.identity());
    if let Err(sentence) = audit.append(&intent) {
        if audit.required() {
            return Err(CpError(format!(
                "{sentence} The audit log is required, so nothing was copied."
            )));
        }
        crate::term::say(&format!("kterm: {sentence}"));
    }
    let mut meter = Meter::new();
    let result = if inward {
        copy::copy_in(
            client,
            &namespace,
            &remote.pod,
            Some(&container),
            &local,
            &remote.path,
            |done, total| meter.show(done, total),
        )
        .await
    } else {
        let overwrite = args.overwrite || may_replace(&local, &remote.path).await?;
        copy::copy_out(
            client,
            &namespace,
            &remote.pod,
            Some(&container),
            &remote.path,
            &local,
            overwrite,
            |done, total| meter.show(done, total),
        )
        .await
    };
    meter.done();
    if let Err(sentence) = audit.append(&crate::audit::copy_outcome(&intent, &result)) {
        crate::term::say(&format!("kterm: {sentence}"));
    }
    result.map(|_| ()).map_err(CpError)
}

/// The container to use when `-c` is not given, as kubectl picks it.
async fn default_container(
    cluster: &KubeCluster,
    namespace: &str,
    pod: &str,
) -> Result<String, CpError> {
    let api: Api<Pod> = Api::namespaced(cluster.client().clone(), namespace);
    let object = api.get(pod).await.map_err(|e| {
        CpError(errors::sentence(
            &e,
            &format!("get pod {pod} in {namespace}"),
            "",
        ))
    })?;
    if let Some(name) = object
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(DEFAULT_CONTAINER))
    {
        return Ok(name.clone());
    }
    let names: Vec<String> = object
        .spec
        .map(|s| s.containers.into_iter().map(|c| c.name).collect())
        .unwrap_or_default();
    match names.as_slice() {
        [only] => Ok(only.clone()),
        _ => Err(CpError(sanitize_owned(format!(
            "Pod {pod} has several containers ({}); pick one with -c.",
            names.join(", ")
        )))),
    }
}

/// Whether an existing local target may be replaced: no target, or the user said yes at a
/// terminal. Without a terminal the answer is no, and the copy refuses with a sentence.
async fn may_replace(local: &Path, remote: &str) -> Result<bool, CpError> {
    let name = remote
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let target = if local.is_dir() {
        local.join(name)
    } else {
        local.to_path_buf()
    };
    if std::fs::symlink_metadata(&target).is_err() {
        return Ok(false);
    }
    let shown = sanitize_owned(target.display().to_string());
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(CpError(format!(
            "{shown} already exists; pass --overwrite to replace it."
        )));
    }
    let question = format!("kterm: {shown} exists; replace it? [y/N] ");
    let answer = tokio::task::spawn_blocking(move || {
        let mut stderr = std::io::stderr();
        let _ = stderr.write_all(question.as_bytes());
        let _ = stderr.flush();
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await;
    match answer {
        Ok(Ok(line)) if matches!(line.trim(), "y" | "Y" | "yes") => Ok(true),
        _ => Err(CpError(format!(
            "{shown} already exists and was kept; pass --overwrite to replace it."
        ))),
    }
}

/// The progress line on stderr: only at a terminal, only once a copy has taken a second.
struct Meter {
    started: Instant,
    last: Option<Instant>,
    terminal: bool,
}

impl Meter {
    fn new() -> Self {
        Meter {
            started: Instant::now(),
            last: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, done: u64, total: Option<u64>) {
        let now = Instant::now();
        let due = self
            .last
            .is_none_or(|t| now.duration_since(t) >= Duration::from_millis(200));
        if !self.terminal || now.duration_since(self.started) < Duration::from_secs(1) || !due {
            return;
        }
        self.last = Some(now);
        let line = match total {
            Some(total) if total > 0 => format!(
                "\r\x1b[Kkterm cp: {} of {} ({}%)",
                crate::units::bytes(done),
                crate::units::bytes(total),
                done.saturating_mul(100) / total
            ),
            _ => format!("\r\x1b[Kkterm cp: {}", crate::units::bytes(done)),
        };
        let mut stderr = std::io::stderr();
        let _ = stderr.write_all(line.as_bytes());
        let _ = stderr.flush();
    }

    /// Clears the line, so the next sentence starts on a clean one.
    fn done(&self) {
        if self.last.is_some() {
            let mut stderr = std::io::stderr();
            let _ = stderr.write_all(b"\r\x1b[K");
            let _ = stderr.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_paths_and_local_paths() {
        assert_eq!(
            pod_path("c2a7dv/protheus-updater-1:protheus/apo/x.rpo"),
            Some(PodPath {
                namespace: Some("c2a7dv".into()),
                pod: "protheus-updater-1".into(),
                path: "protheus/apo/x.rpo".into(),
            })
        );
        assert_eq!(pod_path("web-0:/tmp").map(|p| p.namespace), Some(None));
        assert_eq!(pod_path("./a:b"), None);
        assert_eq!(pod_path("/tmp/file"), None);
        assert_eq!(pod_path("ns/pod:"), None);
    }
}
