//! `kterm-sim`: run a simulated Kubernetes cluster on loopback.

use clap::{Parser, ValueEnum};
use kterm_sim::{RbacProfile, ScenarioChoice, SimOpts};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Rbac {
    Admin,
    Tenant,
    Readonly,
}

/// A simulated Kubernetes API server for trying and testing kterm (and kubectl, or any client).
///
/// It listens on 127.0.0.1 only, writes a kubeconfig whose context is `kterm-sim`, prints one
/// line `kterm-sim ready: URL kubeconfig=PATH`, and runs until SIGINT or SIGTERM.
/// Faults and the request log are under URL/_sim/ (see README).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Where to write the kubeconfig (default: a temporary file, removed on exit).
    #[arg(long)]
    kubeconfig: Option<PathBuf>,
    /// `default` (tenants of the ERP platform with scripted failures), `scale` (see --pods,
    /// --namespaces), or the path of a YAML scenario file (format: sim/SCENARIOS.md).
    #[arg(long, default_value = "default")]
    scenario: String,
    /// Pods in the scale scenario.
    #[arg(long, default_value_t = 10_000)]
    pods: usize,
    /// Namespaces in the scale scenario.
    #[arg(long, default_value_t = 500)]
    namespaces: usize,
    /// Pods created and deleted per second (0 = no churn).
    #[arg(long, default_value_t = 0)]
    churn: u32,
    /// Lines per second of followed logs, sequence-numbered (0 = the natural, slow rate).
    #[arg(long, default_value_t = 0)]
    log_rate: u32,
    /// Serve HTTPS with a self-signed CA (written into the kubeconfig).
    #[arg(long)]
    tls: bool,
    /// Require this bearer token (401 otherwise); the kubeconfig carries it.
    #[arg(long)]
    token: Option<String>,
    /// Access profile: admin (everything), tenant (only the tenant namespaces, nothing
    /// cluster-wide), readonly (get/list/watch and logs).
    #[arg(long, value_enum, default_value = "admin")]
    rbac: Rbac,
    /// Directory for exec sandboxes (default: temporary).
    #[arg(long)]
    sandbox_root: Option<PathBuf>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let scenario = match args.scenario.as_str() {
        "default" => ScenarioChoice::Default,
        "scale" => ScenarioChoice::Scale {
            pods: args.pods,
            namespaces: args.namespaces.max(1),
        },
        path => ScenarioChoice::File(PathBuf::from(path)),
    };
    let opts = SimOpts {
        port: args.port,
        kubeconfig: args.kubeconfig,
        scenario,
        churn: args.churn,
        log_rate: args.log_rate,
        tls: args.tls,
        token: args.token,
        rbac: match args.rbac {
            Rbac::Admin => RbacProfile::Admin,
            Rbac::Tenant => RbacProfile::Tenant,
            Rbac::Readonly => RbacProfile::Readonly,
        },
        sandbox_root: args.sandbox_root,
    };
    let sim = match kterm_sim::start(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kterm-sim: {e:#}");
            std::process::exit(1);
        }
    };
    println!(
        "kterm-sim ready: {} kubeconfig={}",
        sim.url,
        sim.kubeconfig().display()
    );
    wait_for_signal().await;
    sim.shutdown().await;
}

async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) {
        (Ok(mut term), Ok(mut hup)) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
