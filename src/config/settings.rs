//! `config.yaml`: the tenants a support engineer watches and how to find them.
//!
//! ```yaml
//! tenants:
//!   - t4k9pz                         # just the namespace
//!   - namespace: c2a7dv              # or with a display name and an environment
//!     name: Acme Foods
//!     environment: prd
//! tenant_selector: kterm.io/tenant=true   # used when neither -n nor -A is given
//! logs:
//!   tail: 500          # lines of history a log view starts with
//!   buffer: 200000     # lines a log view keeps; the oldest go beyond it (and it says so)
//! audit:
//!   path: ~/audit/kterm.log   # default $XDG_STATE_HOME/kterm/audit.log
//!   required: true            # a failed audit write stops the action
//! clipboard: auto      # auto | osc52 | system | off
//! mouse: true          # click selects, the wheel scrolls (off by default)
//! ```

use std::path::PathBuf;

use serde::Deserialize;

use crate::config::ConfigError;

/// One tenant namespace, with how people call it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tenant {
    /// The namespace.
    pub namespace: String,
    /// The customer's name, shown beside the namespace.
    pub name: Option<String>,
    /// `prd`, `hml`… shown beside the name.
    pub environment: Option<String>,
}

impl Tenant {
    /// `t4k9pz`, or `t4k9pz (Acme Foods, prd)` when the config names it.
    pub fn label(&self) -> String {
        let extra: Vec<&str> = [self.name.as_deref(), self.environment.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if extra.is_empty() {
            self.namespace.clone()
        } else {
            format!("{} ({})", self.namespace, extra.join(", "))
        }
    }
}

/// What `config.yaml` says; everything optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The tenants to watch when no namespaces are given on the command line.
    pub tenants: Vec<Tenant>,
    /// A namespace label selector (`k=v`) finding the tenants, when no list is given.
    pub tenant_selector: Option<String>,
    /// The log view's sizes.
    pub logs: LogSettings,
    /// Where the audit log goes and whether it must be written.
    pub audit: AuditSettings,
    /// Which shell `s` opens.
    pub shell: ShellSettings,
    /// Every context read-only (`readonly: true`).
    pub readonly: bool,
    /// What an alert does besides the status bar (`alerts: {bell: true}`).
    pub alerts: AlertSettings,
    /// Per-context settings (`contexts: {prod: {readonly: true}}`).
    pub contexts: std::collections::BTreeMap<String, ContextSettings>,
    /// Where copies go (`clipboard: auto|osc52|system|off`).
    pub clipboard: ClipboardMode,
    /// Capture the mouse: click selects, the wheel scrolls (`mouse: true`).
    pub mouse: bool,
    /// Usage polling from metrics.k8s.io (`metrics: {interval: 15s, enabled: true}`).
    pub metrics: MetricsSettings,
}

/// `clipboard:` in config.yaml: how `c` and `Y` reach a clipboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardMode {
    /// The desktop's clipboard with a display and no SSH, else OSC 52.
    #[default]
    Auto,
    /// Always OSC 52 through the terminal.
    Osc52,
    /// Always the desktop's clipboard.
    System,
    /// Copying is off.
    Off,
}

/// The `alerts:` block.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertSettings {
    /// Ring the terminal bell on each alert.
    pub bell: bool,
}

/// The `metrics:` block: whether the CPU/MEM columns poll metrics.k8s.io, and how often.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// Poll at all (the pods section's `toggle_metrics` key flips it while running).
    pub enabled: bool,
    /// Between two polls: `15s`, `1m`, or seconds as a number.
    #[serde(deserialize_with = "interval")]
    pub interval: std::time::Duration,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings {
            enabled: true,
            interval: std::time::Duration::from_secs(15),
        }
    }
}

/// The shortest interval accepted: metrics-server itself scrapes every 15 s by default.
const MIN_METRICS_INTERVAL: u64 = 5;

fn interval<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::time::Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    let seconds = match Raw::deserialize(d)? {
        Raw::Seconds(n) => Some(n),
        Raw::Text(t) => parse_seconds(&t),
    };
    match seconds {
        Some(n) if n >= MIN_METRICS_INTERVAL => Ok(std::time::Duration::from_secs(n)),
        _ => Err(serde::de::Error::custom(
            "metrics.interval must be a duration like 15s or 1m, at least 5s",
        )),
    }
}

/// `15s`, `2m`, `1h` or `30` as seconds.
fn parse_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = number.parse().ok()?;
    match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => None,
    }
}

/// One context's block under `contexts:`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContextSettings {
    /// No mutation is offered or carried out in this context.
    pub readonly: bool,
}

impl Settings {
    /// Whether `context` is read-only by the config (the whole file, or its own block).
    pub fn readonly_in(&self, context: &str) -> bool {
        self.readonly || self.contexts.get(context).is_some_and(|c| c.readonly)
    }
}

/// The `shell:` block: the program `s` runs first (`sh` is the fallback), per context too.
///
/// ```yaml
/// shell:
///   command: bash          # the default; sh when it is not in the container
///   contexts:
///     legacy-cluster: ash  # this context's containers have busybox
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShellSettings {
    /// Tried first in every context without its own.
    pub command: Option<String>,
    /// Per kubeconfig context.
    pub contexts: std::collections::BTreeMap<String, String>,
}

impl ShellSettings {
    /// The shells to try in `context`, in order, without repeats: the configured one, then
    /// `bash`, then `sh`.
    pub fn candidates(&self, context: &str) -> Vec<String> {
        let first = self.contexts.get(context).or(self.command.as_ref());
        let mut out: Vec<String> = Vec::new();
        for shell in first.into_iter().map(String::as_str).chain(["bash", "sh"]) {
            if !shell.trim().is_empty() && !out.iter().any(|s| s == shell) {
                out.push(shell.to_string());
            }
        }
        out
    }
}

/// The `audit:` block: where actions are recorded and whether recording may fail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditSettings {
    /// The log file, absolute or `~/…`; `None` means the state directory's `audit.log`.
    pub path: Option<PathBuf>,
    /// Whether an action must not run when its audit line cannot be written.
    pub required: bool,
}

/// How much history a log view starts with and keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// Lines of history a log view starts with.
    pub tail: u32,
    /// Lines a log view keeps.
    pub buffer: usize,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            tail: 500,
            buffer: 200_000,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    tenants: Vec<Entry>,
    #[serde(default)]
    tenant_selector: Option<String>,
    #[serde(default)]
    logs: LogSettings,
    #[serde(default)]
    audit: AuditSettings,
    #[serde(default)]
    shell: ShellSettings,
    #[serde(default)]
    readonly: bool,
    #[serde(default)]
    alerts: AlertSettings,
    #[serde(default)]
    contexts: std::collections::BTreeMap<String, ContextSettings>,
    #[serde(default)]
    clipboard: ClipboardMode,
    #[serde(default)]
    mouse: bool,
    #[serde(default)]
    metrics: MetricsSettings,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Plain(String),
    Full(FullEntry),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullEntry {
    namespace: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    environment: Option<String>,
}

/// Parses `config.yaml`; `file` names it in the error.
pub fn parse_file(file: &str, text: &str) -> Result<Settings, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Settings::default());
    }
    let parsed: File = serde_yaml::from_str(text).map_err(|e| {
        let mut error = ConfigError::from_yaml(file, &e);
        // serde's words for an untagged miss say nothing a person can act on.
        if error.message.contains("did not match any variant") {
            error.message =
                "a tenant is a namespace name or {namespace, name, environment}".to_string();
        }
        error
    })?;
    let mut tenants: Vec<Tenant> = Vec::new();
    for entry in parsed.tenants {
        let tenant = match entry {
            Entry::Plain(namespace) => Tenant {
                namespace,
                ..Tenant::default()
            },
            Entry::Full(f) => Tenant {
                namespace: f.namespace,
                name: f.name,
                environment: f.environment,
            },
        };
        if let Some(problem) = invalid_namespace(&tenant.namespace) {
            return Err(ConfigError {
                file: file.to_string(),
                line: line_of(text, &tenant.namespace),
                message: format!("tenant {:?} {problem}", tenant.namespace),
            });
        }
        if !tenants.iter().any(|t| t.namespace == tenant.namespace) {
            tenants.push(tenant);
        }
    }
    if parsed.logs.buffer == 0 || parsed.logs.buffer > 10_000_000 {
        return Err(ConfigError {
            file: file.to_string(),
            line: line_of(text, "buffer"),
            message: "logs.buffer must be between 1 and 10000000 lines".to_string(),
        });
    }
    if let Some(path) = &parsed.audit.path {
        // A relative path would depend on the directory kterm happens to start in.
        if !path.is_absolute() && !path.starts_with("~") {
            return Err(ConfigError {
                file: file.to_string(),
                line: line_of(text, "path:"),
                message: "audit.path must be absolute or start with ~/".to_string(),
            });
        }
    }
    Ok(Settings {
        tenants,
        tenant_selector: parsed.tenant_selector.filter(|s| !s.trim().is_empty()),
        logs: parsed.logs,
        audit: parsed.audit,
        shell: parsed.shell,
        readonly: parsed.readonly,
        alerts: parsed.alerts,
        contexts: parsed.contexts,
        clipboard: parsed.clipboard,
        mouse: parsed.mouse,
        metrics: parsed.metrics,
    })
}

/// Why `name` cannot be a namespace (RFC 1123 label), if it cannot.
pub fn invalid_namespace(name: &str) -> Option<&'static str> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if name.is_empty() || name.len() > 63 {
        Some("is not a namespace name (1 to 63 characters)")
    } else if !name.chars().all(ok_char) || name.starts_with('-') || name.ends_with('-') {
        Some("is not a namespace name (lower-case letters, digits and '-')")
    } else {
        None
    }
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod shell_tests {
    use super::*;

    #[test]
    fn the_configured_shell_comes_first_then_bash_then_sh() {
        let text = "shell:\n  command: zsh\n  contexts:\n    legacy: ash\n";
        let settings = parse_file("config.yaml", text).unwrap_or_default();
        assert_eq!(settings.shell.candidates("prod"), ["zsh", "bash", "sh"]);
        assert_eq!(settings.shell.candidates("legacy"), ["ash", "bash", "sh"]);
        assert_eq!(ShellSettings::default().candidates("x"), ["bash", "sh"]);
        let typo = parse_file("config.yaml", "shell:\n  comand: zsh\n");
        assert!(typo.is_err(), "a typo in the block is an error: {typo:?}");
    }
}

#[cfg(test)]
mod readonly_tests {
    use super::*;

    #[test]
    fn readonly_everywhere_or_per_context() {
        let text = "contexts:\n  prod-cluster:\n    readonly: true\n  lab: {}\n";
        let settings = parse_file("config.yaml", text).unwrap_or_default();
        assert!(settings.readonly_in("prod-cluster"));
        assert!(!settings.readonly_in("lab"));
        assert!(!settings.readonly_in("other"));
        let all = parse_file("config.yaml", "readonly: true\n").unwrap_or_default();
        assert!(all.readonly_in("anything"));
        let typo = parse_file("config.yaml", "contexts:\n  prod:\n    read-only: true\n");
        assert!(
            typo.is_err(),
            "a typo in a context block is an error: {typo:?}"
        );
    }
}

#[cfg(test)]
mod clipboard_tests {
    use super::*;

    #[test]
    fn clipboard_and_mouse_are_read_and_default_to_auto_and_off() {
        let settings = parse_file("config.yaml", "clipboard: osc52\nmouse: true\n");
        let settings = settings.unwrap_or_default();
        assert_eq!(settings.clipboard, ClipboardMode::Osc52);
        assert!(settings.mouse);
        let plain = parse_file("config.yaml", "readonly: false\n").unwrap_or_default();
        assert_eq!(plain.clipboard, ClipboardMode::Auto);
        assert!(!plain.mouse);
        let typo = parse_file("config.yaml", "clipboard: osc-52\n");
        assert!(typo.is_err(), "an unknown mode is an error: {typo:?}");
    }
}
