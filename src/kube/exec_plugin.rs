//! A context's exec credential plugin, run once by kterm before kube-rs runs it: kube-rs runs it
//! with a blocking call and no time limit, quotes the command with its whole environment when
//! it fails, and lets its stderr scribble over the screen. Here it runs as a child that is
//! killed when it outlives a timeout or when connecting is abandoned (`:ctx`, quitting, SIGHUP),
//! and a failure is told with the plugin's own words.

use std::process::Stdio;
use std::time::Duration;

use ::kube::config::{ExecConfig, ExecInteractiveMode, Kubeconfig};
use serde_json::json;

use crate::sanitize::sanitize;

/// How long a plugin may take; an SSO plugin that opens a browser needs a while.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Overrides `TIMEOUT`, in seconds (the tests use a short one).
const TIMEOUT_ENV: &str = "KTERM_EXEC_PLUGIN_TIMEOUT";

/// Stderr kept for the sentence: a plugin's complaint is a line, not a page.
const STDERR_CHARS: usize = 300;

/// Runs the exec plugin of `context`'s user, if it has one, and says in one sentence why it
/// cannot give credentials. Its output is thrown away: kube-rs runs it again to build the
/// client, and then it answers at once.
pub async fn check(file: &Kubeconfig, context: &str) -> Result<(), String> {
    let Some((exec, server)) = plugin_of(file, context) else {
        return Ok(());
    };
    let Some(program) = exec.command.as_deref() else {
        return Ok(());
    };
    // A plugin that must prompt needs the terminal kterm holds; leave it to kube-rs.
    if exec.interactive_mode == Some(ExecInteractiveMode::Always) {
        return Ok(());
    }
    let args = exec.args.clone().unwrap_or_default();
    let shown = sanitize(
        &std::iter::once(program.to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" "),
    )
    .into_owned();
    let mut command = tokio::process::Command::new(program);
    command
        .args(&args)
        .env("KUBERNETES_EXEC_INFO", exec_info(exec, server))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for pair in exec.env.iter().flatten() {
        if let (Some(name), Some(value)) = (pair.get("name"), pair.get("value")) {
            command.env(name, value);
        }
    }
    for name in exec.drop_env.iter().flatten() {
        command.env_remove(name);
    }
    let child = command.spawn().map_err(|e| {
        format!(
            "The credential plugin `{shown}` of context {context} cannot be started ({e}); check that it is installed and on PATH."
        )
    })?;
    let timeout = timeout();
    // Dropping the child on timeout kills it (kill_on_drop), and so does dropping this future.
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => {
            return Err(format!(
                "The credential plugin `{shown}` of context {context} could not be read ({e}); check the kubeconfig's user."
            ))
        }
        Err(_) => {
            return Err(format!(
                "The credential plugin `{shown}` of context {context} did not answer within {} s and was stopped; check that it runs without a prompt, then try again.",
                timeout.as_secs()
            ))
        }
    };
    if output.status.success() {
        return Ok(());
    }
    let said = stderr_words(&output.stderr);
    let said = if said.is_empty() {
        output.status.to_string()
    } else {
        said
    };
    Err(format!(
        "The credential plugin `{shown}` of context {context} failed ({said}); log in again, then try again."
    ))
}

/// The exec config of the context's user and the context's cluster's server.
fn plugin_of<'a>(file: &'a Kubeconfig, context: &str) -> Option<(&'a ExecConfig, ClusterInfo)> {
    let ctx = file
        .contexts
        .iter()
        .find(|c| c.name == context)?
        .context
        .as_ref()?;
    let user = ctx.user.as_deref()?;
    let exec = file
        .auth_infos
        .iter()
        .find(|a| a.name == user)?
        .auth_info
        .as_ref()?
        .exec
        .as_ref()?;
    let cluster = file
        .clusters
        .iter()
        .find(|c| c.name == ctx.cluster)
        .and_then(|c| c.cluster.as_ref());
    let info = ClusterInfo {
        server: cluster.and_then(|c| c.server.clone()),
        ca_data: cluster.and_then(|c| c.certificate_authority_data.clone()),
        insecure: cluster.and_then(|c| c.insecure_skip_tls_verify),
    };
    Some((exec, info))
}

/// What `provideClusterInfo` hands the plugin.
struct ClusterInfo {
    server: Option<String>,
    ca_data: Option<String>,
    insecure: Option<bool>,
}

/// `KUBERNETES_EXEC_INFO` as client-go and kube-rs set it; never interactive here.
fn exec_info(exec: &ExecConfig, cluster: ClusterInfo) -> String {
    let mut spec = json!({ "interactive": false });
    if exec.provide_cluster_info {
        spec["cluster"] = json!({
            "server": cluster.server,
            "certificate-authority-data": cluster.ca_data,
            "insecure-skip-tls-verify": cluster.insecure,
        });
    }
    json!({
        "apiVersion": exec.api_version,
        "kind": "ExecCredential",
        "spec": spec,
    })
    .to_string()
}

/// The plugin's stderr as one line: its last non-empty lines joined, cut, made safe to print.
fn stderr_words(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut line = sanitize(&line).into_owned();
    if line.chars().count() > STDERR_CHARS {
        line = line.chars().take(STDERR_CHARS).collect::<String>() + "…";
    }
    line
}

fn timeout() -> Duration {
    std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(TIMEOUT, Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::stderr_words;

    #[test]
    fn stderr_is_one_safe_line() {
        let said = stderr_words(b"\nerror: SSO session expired\x1b]0;x\x07\nrun login\n");
        assert_eq!(said, "error: SSO session expired^[]0;x^G run login");
    }
}
