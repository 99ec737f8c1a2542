//! Starting and stopping a simulated cluster (the public entry point).

use std::path::{Path, PathBuf};

/// Which access a client gets: see README "RBAC profiles".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RbacProfile {
    #[default]
    Admin,
    Tenant,
    Readonly,
}

/// Which objects the cluster starts with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ScenarioChoice {
    #[default]
    Default,
    Scale { pods: usize, namespaces: usize },
    File(PathBuf),
}

/// Options of a simulated cluster; `Default` gives the demo on an ephemeral port.
#[derive(Debug, Clone, Default)]
pub struct SimOpts {
    /// 0 picks a free port.
    pub port: u16,
    /// Where to write the kubeconfig; default: a file in a temp directory.
    pub kubeconfig: Option<PathBuf>,
    pub scenario: ScenarioChoice,
    /// Pods created and deleted per second by the churn generator (0 = off).
    pub churn: u32,
    /// Lines per second of followed logs (0 = the natural rate of the scenario).
    pub log_rate: u32,
    pub tls: bool,
    pub token: Option<String>,
    pub rbac: RbacProfile,
    /// Root of the exec sandboxes; default: a temp directory.
    pub sandbox_root: Option<PathBuf>,
}

/// A running simulated cluster; dropping it does not stop it, call `shutdown`.
pub struct SimHandle {
    pub url: String,
    pub kubeconfig_path: PathBuf,
}

impl SimHandle {
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig_path
    }

    pub async fn shutdown(self) {}
}

/// Start a simulated cluster on loopback and write its kubeconfig (context `kterm-sim`).
pub async fn start(_opts: SimOpts) -> anyhow::Result<SimHandle> {
    anyhow::bail!("not yet written")
}
