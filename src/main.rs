//! The `kterm` binary: command line, logging to a file, panic hook, then the app.

// The conventions forbid panicking in src/; tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::fs::{self, File};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use clap::Parser;
use kterm::app::state::NamespaceChoice;
use kterm::RunOpts;

/// A terminal UI for exploring Kubernetes clusters.
#[derive(Parser, Debug)]
#[command(name = "kterm", version, about)]
struct Cli {
    /// Start a simulated cluster in-process and explore it.
    #[arg(long)]
    demo: bool,
    /// Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "PATH")]
    kubeconfig: Option<PathBuf>,
    /// Kubeconfig context (default: the current context).
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    /// Namespaces to watch, comma-separated (default: the context's namespace).
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NS",
        value_delimiter = ',',
        conflicts_with = "all_namespaces"
    )]
    namespaces: Vec<String>,
    /// Watch every namespace.
    #[arg(short = 'A', long)]
    all_namespaces: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_path = init_tracing();
    kterm::term::install_panic_hook();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kterm: cannot start the async runtime ({e}).");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    // Watch tasks may still be waiting on the network; never let them delay leaving.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kterm: {e}");
            if let Some(path) = log_path {
                eprintln!("kterm: details are in {}", path.display());
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // The demo is a whole platform of tenants: show all of it unless namespaces were named.
    let namespaces = if cli.all_namespaces || (cli.demo && cli.namespaces.is_empty()) {
        NamespaceChoice::All
    } else if cli.namespaces.is_empty() {
        NamespaceChoice::ContextDefault
    } else {
        NamespaceChoice::List(cli.namespaces)
    };
    let mut opts = RunOpts {
        kubeconfig: cli.kubeconfig,
        context: cli.context,
        namespaces,
    };
    let sim = if cli.demo {
        let sim = kterm_sim::start(kterm_sim::SimOpts::default())
            .await
            .map_err(|e| {
                tracing::error!(error = ?e, "demo cluster failed to start");
                anyhow::anyhow!("The demo cluster could not start ({e}).")
            })?;
        tracing::info!(url = %sim.url, "demo cluster started");
        // Connect exactly as to any cluster: through the kubeconfig the simulator wrote.
        opts.kubeconfig = Some(sim.kubeconfig_path.clone());
        opts.context = Some("kterm-sim".to_string());
        Some(sim)
    } else {
        None
    };
    let result = kterm::run(opts).await;
    if let Some(sim) = sim {
        sim.shutdown().await;
    }
    Ok(result?)
}

/// Logs go to a file, never to the terminal the UI draws on. Returns the file's path.
fn init_tracing() -> Option<PathBuf> {
    let dir = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .map(|d| d.join("kterm"))
        .filter(|d| fs::create_dir_all(d).is_ok())
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join("kterm.log");
    let file = File::options().create(true).append(true).open(&path).ok()?;
    let level = std::env::var("KTERM_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_max_level(level)
        .with_target(false)
        .init();
    Some(path)
}
