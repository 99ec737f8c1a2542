//! `--demo`: the simulated cluster started in-process, or, in a build without the `demo`
//! feature, the sentence saying how to get one.

use std::path::PathBuf;

/// What `kterm --demo` says in a build without the simulator; the exit code is [`EXIT_NO_DEMO`].
pub const NO_DEMO: &str = "kterm: this build has no demo simulator; install the kterm .deb or build kterm with its default features (cargo install --path .) to get --demo.";

/// The exit code of `--demo` in a build without the simulator: a usage error, like clap's.
pub const EXIT_NO_DEMO: u8 = 2;

/// Whether this build carries the simulator behind `--demo`.
pub const AVAILABLE: bool = cfg!(feature = "demo");

/// A running demo cluster.
#[cfg(feature = "demo")]
pub struct Demo(kterm_sim::SimHandle);

/// A running demo cluster; without the `demo` feature there can be none.
#[cfg(not(feature = "demo"))]
pub enum Demo {}

impl Demo {
    /// Starts the simulated cluster with its default tenants.
    #[cfg(feature = "demo")]
    pub async fn start() -> anyhow::Result<Demo> {
        let sim = kterm_sim::start(kterm_sim::SimOpts::default())
            .await
            .map_err(|e| {
                tracing::error!(error = ?e, "demo cluster failed to start");
                anyhow::anyhow!("The demo cluster could not start ({e}).")
            })?;
        tracing::info!(url = %sim.url, "demo cluster started");
        Ok(Demo(sim))
    }

    /// Without the simulator, starting one fails with the sentence saying how to get it.
    #[cfg(not(feature = "demo"))]
    pub async fn start() -> anyhow::Result<Demo> {
        anyhow::bail!("{}", NO_DEMO.trim_start_matches("kterm: "))
    }

    /// The kubeconfig the simulator wrote; kterm connects through it as to any cluster.
    pub fn kubeconfig(&self) -> PathBuf {
        #[cfg(feature = "demo")]
        return self.0.kubeconfig_path.clone();
        #[cfg(not(feature = "demo"))]
        match *self {}
    }

    /// The context name in that kubeconfig.
    pub fn context(&self) -> String {
        "kterm-sim".to_string()
    }

    /// Stops the simulator.
    pub async fn shutdown(self) {
        #[cfg(feature = "demo")]
        self.0.shutdown().await;
        #[cfg(not(feature = "demo"))]
        match self {}
    }
}
