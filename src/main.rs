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

use clap::{CommandFactory, Parser, Subcommand};
use kterm::app::state::NamespaceChoice;
use kterm::cli::completions::Shell;
use kterm::cli::demo::{self, Demo};
use kterm::cli::{AuditArgs, CheckArgs, CpArgs, GetPodsArgs};
use kterm::RunOpts;

/// `0.1.0 (afb161b)`: the commit comes from build.rs, so a bug report names the exact build.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("KTERM_COMMIT"), ")");

/// A terminal UI for exploring Kubernetes clusters.
#[derive(Parser, Debug)]
#[command(name = "kterm", version = VERSION, about)]
struct Cli {
    /// Without a command, kterm starts the terminal UI.
    #[command(subcommand)]
    command: Option<Command>,
    /// Start a simulated cluster in-process and explore it (or run the command against it).
    #[arg(long, global = true)]
    demo: bool,
    /// Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "PATH", global = true)]
    kubeconfig: Option<PathBuf>,
    /// Kubeconfig context (default: the current context).
    #[arg(long, value_name = "NAME", global = true)]
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
    /// Read-only: no edit, delete, scale, restart, shell or copy is offered or carried out.
    #[arg(long)]
    readonly: bool,
    /// Watch the namespaces with this label, e.g. kterm.io/tenant=true.
    #[arg(long, value_name = "K=V", conflicts_with_all = ["namespaces", "all_namespaces"])]
    tenant_selector: Option<String>,
}

/// Scriptable commands that print and exit, no terminal needed.
#[derive(Subcommand, Debug)]
enum Command {
    /// Print resources once, like kubectl get.
    Get {
        /// What to print.
        #[command(subcommand)]
        what: GetWhat,
    },
    /// Print the audit log of shells, commands and copies kterm ran (see README, "Audit log").
    Audit(AuditArgs),
    /// Copy files and directories into or out of a pod, like kubectl cp (see docs/cp.md).
    Cp(CpArgs),
    /// Print the tenant health overview once; exit 0 all UP, 1 DEGRADED/AT RISK, 2 DOWN, 3
    /// unreachable (see docs/check.md).
    Check(CheckArgs),
    /// Print a shell completion script, e.g. `kterm completions bash > /etc/bash_completion.d/kterm`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff), e.g. `kterm manpage | man -l -` on a host without the .deb.
    Manpage,
    /// The config files (`config.yaml`, `theme.yaml`, `keymap.yaml`).
    Config {
        /// What to do with them.
        #[command(subcommand)]
        what: ConfigWhat,
    },
}

/// What `kterm config` does.
#[derive(Subcommand, Debug)]
enum ConfigWhat {
    /// Check the config files as kterm reads them: `ok: FILE` or `FILE:LINE: what is wrong`
    /// per file; exit 0 all valid, 1 otherwise.
    Check {
        /// The config directory (default: $KTERM_CONFIG_DIR, $XDG_CONFIG_HOME/kterm or
        /// ~/.config/kterm).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Resources `kterm get` can print.
#[derive(Subcommand, Debug)]
enum GetWhat {
    /// Pods with kterm's STATUS, RESTARTS and LAST TERMINATION columns (see docs/get.md).
    #[command(visible_alias = "pod", visible_alias = "po")]
    Pods(GetPodsArgs),
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    if cli.demo && !demo::AVAILABLE {
        kterm::term::say(demo::NO_DEMO);
        return ExitCode::from(demo::EXIT_NO_DEMO);
    }
    if let Some(code) = install_command(&cli) {
        return ExitCode::from(code);
    }
    let log_path = init_tracing();
    let tui = cli.command.is_none();
    // Only the TUI owns the terminal; a command's panic needs no screen restored.
    kterm::term::install_panic_hook(tui, log_path.clone());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            kterm::term::say(&format!("kterm: cannot start the async runtime ({e})."));
            return ExitCode::FAILURE;
        }
    };
    if let Some(Command::Check(args)) = &cli.command {
        let code = runtime.block_on(check(&cli, args));
        runtime.shutdown_timeout(Duration::from_millis(200));
        return ExitCode::from(code);
    }
    let result = runtime.block_on(run(cli));
    // Watch tasks may still be waiting on the network; never let them delay leaving.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        // A signal's exit status is the shell's 128+N, so scripts and supervisors can tell.
        Ok(Some(signal)) => ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX)),
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            // Server replies and kubeconfig names end up in errors: never let them drive the
            // terminal.
            kterm::term::say(&format!(
                "kterm: {}",
                kterm::sanitize::sanitize(&e.to_string())
            ));
            // Scripts read a command's stderr as one sentence; the log pointer is for people.
            if let (true, Some(path)) = (tui, log_path) {
                kterm::term::say(&format!("kterm: details are in {}", path.display()));
            }
            ExitCode::FAILURE
        }
    }
}

/// The commands that need neither a cluster nor a log: completions, the man page, config check.
fn install_command(cli: &Cli) -> Option<u8> {
    let mut out = std::io::stdout().lock();
    match &cli.command {
        Some(Command::Completions { shell }) => Some(written(
            kterm::cli::completions::write_completions(*shell, &mut Cli::command(), &mut out),
        )),
        Some(Command::Manpage) => Some(written(kterm::cli::completions::write_manpage(
            Cli::command(),
            &mut out,
        ))),
        Some(Command::Config {
            what: ConfigWhat::Check { dir: Some(dir) },
        }) if !dir.is_dir() => {
            kterm::term::say(&format!(
                "kterm: {} is not a directory; pass the one holding config.yaml, theme.yaml or keymap.yaml.",
                kterm::sanitize::sanitize(&dir.display().to_string())
            ));
            Some(kterm::cli::config_check::EXIT_INVALID)
        }
        Some(Command::Config {
            what: ConfigWhat::Check { dir },
        }) => {
            let Some(dir) = dir.clone().or_else(kterm::config::paths::config_dir) else {
                kterm::term::say(
                    "kterm: no config directory is known; set KTERM_CONFIG_DIR or pass --dir.",
                );
                return Some(kterm::cli::config_check::EXIT_INVALID);
            };
            Some(kterm::cli::config_check::run(&dir, &mut out))
        }
        _ => None,
    }
}

/// Exit code of a command that only prints: a reader that went away (`| head`) is not a failure.
fn written(result: std::io::Result<()>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            kterm::term::say(&format!("kterm: cannot write to stdout ({e})."));
            1
        }
    }
}

/// Runs the command or the UI; `Some(N)` when signal N ended the UI.
async fn run(cli: Cli) -> anyhow::Result<Option<i32>> {
    if let Some(Command::Get { what }) = &cli.command {
        // The TUI's -n/-A before `get` would otherwise be silently ignored.
        if cli.all_namespaces || !cli.namespaces.is_empty() || cli.tenant_selector.is_some() {
            anyhow::bail!("Put -n/-A after the command, e.g. `kterm get pods -n NS`.");
        }
        return get(&cli, what).await.map(|()| None);
    }
    if let Some(Command::Audit(args)) = &cli.command {
        // The log is local: a cluster flag would suggest it is filtered by cluster, and is not.
        if cli.all_namespaces || !cli.namespaces.is_empty() || cli.tenant_selector.is_some() {
            anyhow::bail!("`kterm audit` reads the local audit log and takes no -n/-A.");
        }
        kterm::cli::audit::run(args)?;
        return Ok(None);
    }
    if let Some(Command::Cp(args)) = &cli.command {
        if cli.demo {
            anyhow::bail!("--demo's cluster ends with the command; start kterm-sim and pass its --kubeconfig to kterm cp.");
        }
        if cli.all_namespaces || !cli.namespaces.is_empty() || cli.tenant_selector.is_some() {
            anyhow::bail!("Name the namespace in the pod path, e.g. `kterm cp file NS/POD:/tmp/`.");
        }
        let result =
            kterm::cli::cp::run(args, cli.kubeconfig.as_deref(), cli.context.as_deref()).await;
        return result.map(|()| None).map_err(Into::into);
    }
    // The demo is a whole platform of tenants: show all of it unless namespaces were named.
    let namespaces = if let Some(selector) = cli.tenant_selector {
        NamespaceChoice::Selector(selector)
    } else if cli.all_namespaces || (cli.demo && cli.namespaces.is_empty()) {
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
        readonly: cli.readonly,
    };
    let sim = if cli.demo {
        let sim = Demo::start().await?;
        // Connect exactly as to any cluster: through the kubeconfig the simulator wrote.
        opts.kubeconfig = Some(sim.kubeconfig());
        opts.context = Some(sim.context());
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

/// The kubeconfig and context a one-shot command uses: the demo's when it runs, else the flags'.
fn connection(cli: &Cli, sim: Option<&Demo>) -> (Option<PathBuf>, Option<String>) {
    match sim {
        Some(sim) => (Some(sim.kubeconfig()), Some(sim.context())),
        None => (cli.kubeconfig.clone(), cli.context.clone()),
    }
}

/// `kterm get …`, against the demo cluster when --demo is given.
async fn get(cli: &Cli, what: &GetWhat) -> anyhow::Result<()> {
    let GetWhat::Pods(args) = what;
    let sim = if cli.demo {
        Some(Demo::start().await?)
    } else {
        None
    };
    let (kubeconfig, context) = connection(cli, sim.as_ref());
    let result = kterm::cli::get::run(args, kubeconfig.as_deref(), context.as_deref()).await;
    if let Some(sim) = sim {
        sim.shutdown().await;
    }
    Ok(result?)
}

/// `kterm check`, against the demo cluster when --demo is given; returns the exit code.
async fn check(cli: &Cli, args: &CheckArgs) -> u8 {
    if cli.all_namespaces || !cli.namespaces.is_empty() || cli.tenant_selector.is_some() {
        kterm::term::say("kterm: Put -n/-A after the command, e.g. `kterm check -n NS`.");
        return kterm::cli::check::EXIT_UNREACHABLE;
    }
    let sim = if cli.demo {
        match Demo::start().await {
            Ok(sim) => Some(sim),
            Err(e) => {
                kterm::term::say(&format!("kterm: {e}"));
                return kterm::cli::check::EXIT_UNREACHABLE;
            }
        }
    } else {
        None
    };
    let (kubeconfig, context) = connection(cli, sim.as_ref());
    let code = kterm::cli::check::run(args, kubeconfig.as_deref(), context.as_deref()).await;
    if let Some(sim) = sim {
        sim.shutdown().await;
    }
    code
}

/// Logs go to a file, never to the terminal the UI draws on. Returns the file's path.
fn init_tracing() -> Option<PathBuf> {
    let dir = kterm::config::paths::state_dir()
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

/// glibc gives each thread that allocates its own arena and keeps freed LIST-page buffers in
/// them; one arena is enough for a UI loop and two workers, and it cut peak RSS at 10,000 pods
/// from 47 MB to 38 MB here (README, "Performance against peers").
///
/// A fixed mmap threshold keeps every block over 128 KiB (a LIST page's body, a table order)
/// in its own mapping, given back when freed. glibc otherwise raises the threshold to the
/// largest block freed so far, and the next pages' megabytes land in the heap, where they
/// stay as holes: at 150,000 pods this cut peak RSS from 205 to 180 MB and the RSS at rest
/// from 167 to 134 MB.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
