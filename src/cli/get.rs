//! `kterm get pods`: one LIST (paged) per namespace, the TUI's rows, printed once. No watch, no
//! terminal, so support engineers can script it and paste its output into tickets.

use std::io::Write;
use std::path::Path;

use ::kube::api::{ListParams, ObjectList};
use ::kube::{Api, Client};
use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Namespace;

use super::format::{render, FormatError, Output};
use crate::config::Settings;
use crate::kube::errors::{self, Failure};
use crate::kube::pods::{exact_pod_row, PodRow, SlimPod};
use crate::kube::{root_cause, Cluster, ClusterError, KubeCluster};
use crate::sanitize::sanitize;

/// The label that marks a tenant namespace of the ERP platform.
pub const TENANT_LABEL: &str = "kterm.io/tenant=true";

/// Items per LIST page: large enough for few round trips, small enough that the API server
/// never builds a huge response for a cluster-wide list.
const PAGE: u32 = 500;

/// Namespaces listed at the same time; a support engineer's tenant list can be long, but a
/// shared API server should not see a burst of hundreds of requests.
const PARALLEL_LISTS: usize = 4;

/// Which namespaces a one-shot command (`get pods`, `check`) reads: `-n`, `-A` or `--tenants`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Where {
    /// Namespaces, comma-separated (default: the context's namespace).
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NS",
        value_delimiter = ','
    )]
    pub namespaces: Vec<String>,
    /// Every namespace (one cluster-wide LIST).
    #[arg(short = 'A', long, conflicts_with_all = ["namespaces", "tenants"])]
    pub all_namespaces: bool,
    /// The tenant namespaces: config.yaml's `tenants:`, else the namespaces with its
    /// `tenant_selector:` label (default kterm.io/tenant=true).
    #[arg(long, conflicts_with = "namespaces")]
    pub tenants: bool,
}

/// Arguments of `kterm get pods`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct GetPodsArgs {
    /// Where to list.
    #[command(flatten)]
    pub scope: Where,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = Output::Table)]
    pub output: Output,
}

/// Where to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Scope {
    All,
    Namespaces(Vec<String>),
}

/// The namespaces `args` names: the tenants from the config or their label, the context's
/// namespace by default.
pub(super) async fn resolve(
    args: &Where,
    cluster: &KubeCluster,
    settings: &Settings,
) -> Result<Scope, GetError> {
    let ctx = cluster.context();
    Ok(if args.all_namespaces {
        Scope::All
    } else if args.tenants && !settings.tenants.is_empty() {
        let names = settings.tenants.iter().map(|t| t.namespace.clone());
        Scope::Namespaces(names.collect())
    } else if args.tenants {
        let selector = settings.tenant_selector.as_deref().unwrap_or(TENANT_LABEL);
        Scope::Namespaces(tenant_namespaces(cluster.client(), ctx, selector).await?)
    } else if args.namespaces.is_empty() {
        Scope::Namespaces(vec![cluster.default_namespace().to_string()])
    } else {
        Scope::Namespaces(args.namespaces.clone())
    })
}

/// Why `kterm get pods` failed; each message is one sentence for stderr.
#[derive(Debug, thiserror::Error)]
pub enum GetError {
    /// Kubeconfig or context unusable.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// RBAC said no.
    #[error("Forbidden: you may not list {what} ({message}){hint}.")]
    Forbidden {
        /// What was denied, e.g. "pods in namespace c2a7dv".
        what: String,
        /// The API server's message.
        message: String,
        /// What to do instead, starting with "; ", or "".
        hint: &'static str,
    },
    /// The namespaces of --tenants cannot be found without listing namespaces.
    #[error("Forbidden: you may not list namespaces, so --tenants cannot find the tenant namespaces; name them with -n or under tenants: in config.yaml.")]
    TenantsForbidden,
    /// The credentials were rejected.
    #[error("The cluster of context {context} rejected the credentials (401 Unauthorized); log in again.")]
    Unauthorized {
        /// The context.
        context: String,
    },
    /// Any other API error.
    #[error("Listing {what} failed ({message}).")]
    Api {
        /// What was being listed.
        what: String,
        /// The API server's message.
        message: String,
    },
    /// The server answered with a web page: the URL is not a Kubernetes API.
    #[error("{0}")]
    NotKubernetes(String),
    /// No connection (refused, DNS, TLS, timeout).
    #[error("Cannot reach the cluster of context {context} ({cause}).")]
    Unreachable {
        /// The context.
        context: String,
        /// The innermost cause.
        cause: String,
    },
    /// Encoding the output failed.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// Writing to stdout failed (other than a closed pipe).
    #[error("Cannot write the output ({0}).")]
    Write(#[source] std::io::Error),
}

/// What a successful `get pods` produced.
#[derive(Debug)]
pub struct GetOutput {
    /// Rows, ordered by namespace, then name.
    pub rows: Vec<PodRow>,
    /// Whether several namespaces were asked for (tables then show NAMESPACE).
    pub several_namespaces: bool,
    /// Where the pods were looked for, for kubectl's "No resources found in …" note.
    pub scope_words: String,
}

/// Lists the pods `args` asks for through the kubeconfig and context given; `settings` says
/// who the tenants are.
pub async fn list(
    args: &GetPodsArgs,
    kubeconfig: Option<&Path>,
    context: Option<&str>,
    settings: &Settings,
) -> Result<GetOutput, GetError> {
    let cluster = KubeCluster::connect(kubeconfig, context).await?;
    let ctx = cluster.context().to_string();
    let client = cluster.client().clone();
    let scope = resolve(&args.scope, &cluster, settings).await?;
    let (mut rows, several_namespaces, scope_words) = match scope {
        Scope::All => (
            list_pods(Api::all(client), "pods in all namespaces", &ctx).await?,
            true,
            "all namespaces".to_string(),
        ),
        Scope::Namespaces(list) => {
            let several = list.len() > 1 || args.scope.tenants;
            let words = match list.as_slice() {
                [one] => format!("namespace {one}"),
                _ if args.scope.tenants => "the tenant namespaces".to_string(),
                _ => format!("namespaces {}", list.join(", ")),
            };
            let pages: Vec<Vec<PodRow>> = futures::stream::iter(list)
                .map(|ns| {
                    let api = Api::namespaced(client.clone(), &ns);
                    let ctx = ctx.clone();
                    async move { list_pods(api, &format!("pods in namespace {ns}"), &ctx).await }
                })
                .buffered(PARALLEL_LISTS)
                .try_collect()
                .await?;
            (pages.into_iter().flatten().collect(), several, words)
        }
    };
    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    // The same namespace named twice (-n a,a) must not print its pods twice.
    rows.dedup_by(|a, b| a.namespace == b.namespace && a.name == b.name);
    Ok(GetOutput {
        rows,
        several_namespaces,
        scope_words,
    })
}

/// Lists and prints: the whole `kterm get pods` command.
pub async fn run(
    args: &GetPodsArgs,
    kubeconfig: Option<&Path>,
    context: Option<&str>,
) -> Result<(), GetError> {
    // A broken config.yaml must not stop a script: list without its tenants and say so.
    let config = crate::config::Config::load();
    for error in &config.errors {
        crate::term::say(&format!(
            "kterm: {} (ignored)",
            sanitize(&error.to_string())
        ));
    }
    let out = list(args, kubeconfig, context, &config.settings).await?;
    let text = render(&out.rows, args.output, out.several_namespaces, Utc::now())?;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => {}
        // `kterm get pods | head` closes the pipe early; that is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => return Err(GetError::Write(e)),
    }
    if out.rows.is_empty() && matches!(args.output, Output::Table | Output::Wide) {
        // kubectl's wording, on stderr, so a table consumer still sees only the header.
        crate::term::say(&format!(
            "No resources found in {}.",
            sanitize(&out.scope_words)
        ));
    }
    Ok(())
}

/// All pages of one LIST, converted to rows as they arrive so no page outlives its decoding.
pub(super) async fn list_pods(
    api: Api<SlimPod>,
    what: &str,
    context: &str,
) -> Result<Vec<PodRow>, GetError> {
    let mut rows = Vec::new();
    let mut params = ListParams::default().limit(PAGE);
    loop {
        let page: ObjectList<SlimPod> = api
            .list(&params)
            .await
            .map_err(|e| classify(e, what, context))?;
        rows.extend(page.items.iter().map(exact_pod_row));
        match page.metadata.continue_.as_deref() {
            Some(token) if !token.is_empty() => params = params.continue_token(token),
            _ => return Ok(rows),
        }
    }
}

/// Namespaces carrying the tenant label; only their names are fetched.
pub(super) async fn tenant_namespaces(
    client: &Client,
    context: &str,
    selector: &str,
) -> Result<Vec<String>, GetError> {
    let api: Api<Namespace> = Api::all(client.clone());
    let mut names = Vec::new();
    let mut params = ListParams::default().labels(selector).limit(PAGE);
    loop {
        let page = api.list_metadata(&params).await.map_err(|e| {
            match classify(e, "namespaces", context) {
                GetError::Forbidden { .. } => GetError::TenantsForbidden,
                other => other,
            }
        })?;
        names.extend(page.items.into_iter().filter_map(|n| n.metadata.name));
        match page.metadata.continue_.as_deref() {
            Some(token) if !token.is_empty() => params = params.continue_token(token),
            _ => return Ok(names),
        }
    }
}

/// Turns a kube error into the sentence a support engineer can act on, by the failure
/// `errors::classify` finds.
pub(super) fn classify(error: ::kube::Error, what: &str, context: &str) -> GetError {
    tracing::warn!(%error, what, "get pods failed");
    let failure = errors::classify(&error);
    if failure == Failure::WebPage {
        return GetError::NotKubernetes(errors::web_page_sentence());
    }
    match (failure, error) {
        (Failure::Forbidden, ::kube::Error::Api(status)) => GetError::Forbidden {
            what: what.to_string(),
            message: status.message,
            // Tenant-scoped engineers hit this first; the way out is naming their namespaces.
            hint: if what.contains("all namespaces") {
                "; name namespaces you can read with -n"
            } else {
                ""
            },
        },
        (Failure::Unauthorized, _) => GetError::Unauthorized {
            context: context.to_string(),
        },
        (Failure::Api, ::kube::Error::Api(status)) => GetError::Api {
            what: what.to_string(),
            message: status.message,
        },
        (_, other) => GetError::Unreachable {
            context: context.to_string(),
            cause: root_cause(&other),
        },
    }
}
