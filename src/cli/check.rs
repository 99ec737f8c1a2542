//! `kterm check`: the tenant overview once, for cron jobs and chat bots. It lists pods, Services,
//! Jobs and Events once per namespace, runs the same computation as the TUI's overview, prints it
//! as text or JSON (docs/check.md) and says the worst state through its exit code.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use ::kube::api::{ListParams, ObjectList};
use ::kube::{Api, Client, Resource};
use chrono::{DateTime, SecondsFormat, Utc};
use futures::{StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::get::{classify, list_pods, GetError};
use crate::app::overview::{self, Inputs, TenantRow, TenantState};
use crate::app::store::Rows;
use crate::config::Settings;
use crate::kube::age::human_duration;
use crate::kube::pods::PodKey;
use crate::kube::resources::coreapi::{SlimEvent, SlimService};
use crate::kube::resources::wire::Listed;
use crate::kube::resources::workloads::SlimJob;
use crate::kube::resources::{Health, ResourceRow};
use crate::kube::{Cluster, KubeCluster};
use crate::sanitize::sanitize;

/// Items per LIST page, as for `kterm get pods`.
const PAGE: u32 = 500;
/// Namespaces listed at the same time.
const PARALLEL_LISTS: usize = 4;

/// The exit code when the cluster could not be read: nothing can be said about the tenants.
pub const EXIT_UNREACHABLE: u8 = 3;

/// `-o` of `kterm check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CheckOutput {
    /// One line per tenant environment, its reasons indented below it.
    #[default]
    Text,
    /// The document of docs/check.md.
    Json,
}

/// Arguments of `kterm check`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CheckArgs {
    /// Which namespaces to check.
    #[command(flatten)]
    pub scope: super::get::Where,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = CheckOutput::Text)]
    pub output: CheckOutput,
}

/// Everything the overview needs, listed once.
#[derive(Default)]
struct Held {
    namespaces: Vec<String>,
    pods: Rows,
    services: Vec<ResourceRow>,
    jobs: Vec<ResourceRow>,
    events: Vec<ResourceRow>,
    /// What metrics.k8s.io says the pods use (empty when metrics are absent or forbidden).
    usage: BTreeMap<PodKey, crate::app::metrics::Usage>,
}

/// Runs the check and returns the process exit code: 0 all UP, 1 any DEGRADED or AT RISK, 2
/// any DOWN, 3 when the cluster could not be read (the reason is one sentence on stderr).
pub async fn run(args: &CheckArgs, kubeconfig: Option<&Path>, context: Option<&str>) -> u8 {
    let config = crate::config::Config::load();
    for error in &config.errors {
        crate::term::say(&format!(
            "kterm: {} (ignored)",
            sanitize(&error.to_string())
        ));
    }
    let held = match list(args, kubeconfig, context, &config.settings).await {
        Ok(held) => held,
        Err(e) => {
            crate::term::say(&format!("kterm: {}", sanitize(&e.to_string())));
            return EXIT_UNREACHABLE;
        }
    };
    let now = Utc::now();
    let usage = |key: &PodKey| {
        let row = held.pods.get(key)?;
        let (mem, cpu) = crate::app::metrics::limit_shares(row, *held.usage.get(key)?);
        Some(overview::Usage {
            mem_pct: mem.unwrap_or(0.0),
            cpu_pct: cpu.unwrap_or(0.0),
        })
    };
    let services: Vec<&ResourceRow> = held.services.iter().collect();
    let jobs: Vec<&ResourceRow> = held.jobs.iter().collect();
    let events: Vec<&ResourceRow> = held.events.iter().collect();
    let inputs = Inputs {
        pods: &held.pods,
        namespaces: &held.namespaces,
        tenants: &config.settings.tenants,
        services: &services,
        jobs: &jobs,
        events: &events,
        usage: &usage,
    };
    let rows = overview::overview(&inputs, now);
    let code = overview::exit_code(&rows);
    let text = match args.output {
        CheckOutput::Text => text(&rows, now),
        CheckOutput::Json => match json(&rows, code, now) {
            Ok(text) => text,
            Err(e) => {
                crate::term::say(&format!("kterm: Cannot encode the overview as JSON ({e})."));
                return EXIT_UNREACHABLE;
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice; the exit code still tells the story.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    code
}

/// Lists what the overview needs in the namespaces `args` names.
async fn list(
    args: &CheckArgs,
    kubeconfig: Option<&Path>,
    context: Option<&str>,
    settings: &Settings,
) -> Result<Held, GetError> {
    let cluster = KubeCluster::connect(kubeconfig, context).await?;
    let ctx = cluster.context().to_string();
    let client = cluster.client().clone();
    let namespaces = match super::get::resolve(&args.scope, &cluster, settings).await? {
        super::get::Scope::All => None,
        super::get::Scope::Namespaces(list) => Some(list),
    };
    let mut held = Held::default();
    match namespaces {
        None => {
            let all = "in all namespaces";
            let pods = list_pods(Api::all(client.clone()), &format!("pods {all}"), &ctx).await?;
            held.pods = pods.into_iter().map(|p| (p.key(), Box::new(p))).collect();
            held.services = rows::<SlimService>(Api::all(client.clone()), "services", &ctx).await?;
            held.jobs = rows::<SlimJob>(Api::all(client.clone()), "jobs", &ctx).await?;
            held.events = rows::<SlimEvent>(Api::all(client), "events", &ctx).await?;
        }
        Some(mut list) => {
            list.sort();
            list.dedup();
            let each: Vec<Held> = futures::stream::iter(list.clone())
                .map(|ns| namespace(client.clone(), ns, ctx.clone()))
                .buffered(PARALLEL_LISTS)
                .try_collect()
                .await?;
            for one in each {
                held.pods.extend(one.pods);
                held.services.extend(one.services);
                held.jobs.extend(one.jobs);
                held.events.extend(one.events);
            }
            held.namespaces = list;
        }
    }
    held.events.retain(|e| e.health == Health::Warning);
    // Usage for AT RISK, one LIST per namespace with pods; without metrics-server nobody is
    // at risk as far as kterm can tell, which is not a failure of the check.
    let namespaces: std::collections::BTreeSet<String> =
        held.pods.keys().map(|k| k.namespace.to_string()).collect();
    let answers: Vec<_> = futures::stream::iter(namespaces)
        .map(|ns| cluster.pod_metrics(&ns))
        .buffered(PARALLEL_LISTS)
        .collect()
        .await;
    for pod in answers.into_iter().flatten().flatten() {
        let key = PodKey::new(pod.namespace.as_str(), pod.name.as_str());
        held.usage.insert(
            key,
            crate::app::metrics::Usage {
                cpu: pod.cpu,
                mem: pod.mem,
            },
        );
    }
    Ok(held)
}

/// The four lists of one namespace.
async fn namespace(client: Client, ns: String, ctx: String) -> Result<Held, GetError> {
    let what = |kind: &str| format!("{kind} in namespace {ns}");
    let pods = list_pods(Api::namespaced(client.clone(), &ns), &what("pods"), &ctx).await?;
    Ok(Held {
        namespaces: Vec::new(),
        pods: pods.into_iter().map(|p| (p.key(), Box::new(p))).collect(),
        services: rows::<SlimService>(
            Api::namespaced(client.clone(), &ns),
            &what("services"),
            &ctx,
        )
        .await?,
        jobs: rows::<SlimJob>(Api::namespaced(client.clone(), &ns), &what("jobs"), &ctx).await?,
        events: rows::<SlimEvent>(Api::namespaced(client, &ns), &what("events"), &ctx).await?,
        usage: BTreeMap::new(),
    })
}

/// All pages of one LIST of a slim kind, as rows.
async fn rows<K>(api: Api<K>, what: &str, context: &str) -> Result<Vec<ResourceRow>, GetError>
where
    K: Resource + Listed + DeserializeOwned + Clone + std::fmt::Debug,
{
    let mut rows = Vec::new();
    let mut params = ListParams::default().limit(PAGE);
    loop {
        let page: ObjectList<K> = api
            .list(&params)
            .await
            .map_err(|e| classify(e, what, context))?;
        let token = page.metadata.continue_.clone();
        rows.extend(page.items.into_iter().map(Listed::into_row));
        match token.as_deref() {
            Some(token) if !token.is_empty() => params = params.continue_token(token),
            _ => return Ok(rows),
        }
    }
}

/// The text form: a header, one line per row, its reasons indented below it.
pub fn text(rows: &[TenantRow], now: DateTime<Utc>) -> String {
    let mut out = format!(
        "{:<11} {:<28} {:>7} {:>8} {:>8} {:>10} {:>11}  LAST WARNING\n",
        "STATE", "TENANT", "READY", "RESTARTS", "OOM(24H)", "NEAR-LIMIT", "FAILED-JOBS"
    );
    for r in rows {
        let warning = r
            .last_warning
            .as_ref()
            .map(|w| match w.at {
                Some(at) => format!("{} {}", w.reason, human_duration(now - at)),
                None => w.reason.clone(),
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<11} {:<28} {:>7} {:>8} {:>8} {:>10} {:>11}  {}\n",
            format!("{} {}", r.state.glyph(), r.state.word()),
            r.title(),
            format!("{}/{}", r.ready, r.total),
            r.restarts_1h,
            r.ooms_24h,
            r.near_mem_limit,
            r.failed_jobs,
            warning
        ));
        for reason in &r.reasons {
            out.push_str(&format!("            {reason}\n"));
        }
    }
    out
}

/// The JSON document of docs/check.md.
#[derive(Serialize)]
struct Document<'a> {
    checked_at: String,
    exit_code: u8,
    summary: Summary,
    tenants: Vec<Item<'a>>,
}

#[derive(Serialize, Default)]
struct Summary {
    down: usize,
    degraded: usize,
    at_risk: usize,
    up: usize,
}

#[derive(Serialize)]
struct Item<'a> {
    namespace: &'a str,
    environment: Option<&'a str>,
    name: Option<&'a str>,
    state: TenantState,
    ready: usize,
    total: usize,
    restarts_last_hour: u32,
    oom_kills_last_24h: usize,
    pods_near_memory_limit: usize,
    failed_jobs: usize,
    last_warning: Option<Warning<'a>>,
    reasons: &'a [String],
}

#[derive(Serialize)]
struct Warning<'a> {
    reason: &'a str,
    at: Option<String>,
}

/// The JSON form, pretty-printed with a final newline.
pub fn json(rows: &[TenantRow], code: u8, now: DateTime<Utc>) -> Result<String, serde_json::Error> {
    let mut summary = Summary::default();
    for r in rows {
        *match r.state {
            TenantState::Down => &mut summary.down,
            TenantState::Degraded => &mut summary.degraded,
            TenantState::AtRisk => &mut summary.at_risk,
            TenantState::Up => &mut summary.up,
        } += 1;
    }
    let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let doc = Document {
        checked_at: stamp(now),
        exit_code: code,
        summary,
        tenants: rows
            .iter()
            .map(|r| Item {
                namespace: &r.namespace,
                environment: r.env.as_deref(),
                name: r.display.as_deref(),
                state: r.state,
                ready: r.ready,
                total: r.total,
                restarts_last_hour: r.restarts_1h,
                oom_kills_last_24h: r.ooms_24h,
                pods_near_memory_limit: r.near_mem_limit,
                failed_jobs: r.failed_jobs,
                last_warning: r.last_warning.as_ref().map(|w| Warning {
                    reason: &w.reason,
                    at: w.at.map(stamp),
                }),
                reasons: &r.reasons,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}
