//! The cluster as the runtime sees it: a trait (so tests can fake it) and its kube-rs implementation.

use std::path::Path;

use ::kube::api::ListParams;
use ::kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use ::kube::{Api, Client, Config};
use futures::future::BoxFuture;
use k8s_openapi::api::core::v1::Namespace;
use serde_json::Value;
use tokio::task::AbortHandle;

use crate::kube::deps::{self, Inputs};
use crate::kube::exec::{self, ExecSession, ExecSpec};
use crate::kube::fetch::{self, FetchError, ObjectRef};
use crate::kube::kinds::ResourceKind;
use crate::kube::logs::{self, LogBytes, LogError, LogQuery};
use crate::kube::metrics::{MetricsError, NodeUsage, PodUsage};
use crate::kube::mutate::{self, Access, DeleteOptions, MutateError, PatchKind};
use crate::kube::object_events::ObjectEvent;
use crate::kube::pods::{pod_row, PodRow, SlimPod};
use crate::kube::resources::{self, ResourceEvent};
use crate::kube::scope::{scopes, Namespaces, WatchScope};
use crate::kube::target::Target;
use crate::kube::watch::{self, PodEvent, Rows, Sink};
use crate::kube::{discover, errors, exec_plugin, root_cause};

/// Why no client could be built.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The kubeconfig could not be read or lacks the context.
    #[error("Cannot use the kubeconfig {path} ({cause}); check --kubeconfig, $KUBECONFIG and --context.")]
    Kubeconfig {
        /// The file, or kubectl's default lookup.
        path: String,
        /// The innermost cause, in words.
        cause: String,
        /// The error.
        source: KubeconfigError,
    },
    /// Running in a pod without a kubeconfig, but its service account cannot be used.
    #[error("No kubeconfig was found and the pod's service account cannot be used ({cause}); pass --kubeconfig.")]
    InCluster {
        /// The innermost cause, in words.
        cause: String,
    },
    /// The context's server is not an http(s) URL (kube's client panics on one without a scheme).
    #[error("The server of context {context} is {server}, which is not a URL; write it as https://{server}.")]
    ServerUrl {
        /// The context.
        context: String,
        /// The server as written in the kubeconfig.
        server: String,
    },
    /// The context's exec credential plugin failed or hung; the sentence quotes it.
    #[error("{0}")]
    Plugin(String),
    /// The client could not be built from the configuration.
    #[error("Cannot create a client for context {context} ({source}).")]
    Client {
        /// The context.
        context: String,
        /// The cause.
        source: ::kube::Error,
    },
}

/// The answer to `Cluster::list_namespaces`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamespaceAnswer {
    /// The names of the namespaces the selector matched.
    Listed(Vec<String>),
    /// They could not be listed.
    Failed {
        /// One sentence for the status bar.
        sentence: String,
        /// RBAC said no (403).
        forbidden: bool,
    },
}

/// One copy between this machine and a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyJob {
    /// Namespace.
    pub namespace: String,
    /// Pod.
    pub pod: String,
    /// Container (`None`: the server's pick).
    pub container: Option<String>,
    /// The local path.
    pub local: std::path::PathBuf,
    /// The path in the pod.
    pub remote: String,
    /// Replace an existing local file (copies out).
    pub overwrite: bool,
}

/// Told the bytes done and the total, when known, as a copy goes.
pub type Progress = Box<dyn FnMut(u64, Option<u64>) + Send>;

/// What the runtime needs from a cluster.
pub trait Cluster: Send + Sync {
    /// The kubeconfig context in use.
    fn context(&self) -> &str;
    /// The namespace the context defaults to (kubectl's namespace without `-n`).
    fn default_namespace(&self) -> &str;
    /// The server and kubeconfig user, for the audit log (unknown for fakes).
    fn identity(&self) -> Identity {
        Identity::default()
    }
    /// Starts watching the pods of `namespaces`, delivering to `sink`; the watches stop when
    /// the handle is dropped.
    fn watch_pods(&self, namespaces: &Namespaces, sink: Sink<PodEvent>) -> WatchHandle;
    /// Lists the namespaces matching a label selector once, answering through `sink`.
    fn list_namespaces(&self, selector: &str, sink: Sink<NamespaceAnswer>) -> WatchHandle;
    /// GETs one whole object as JSON; the future owns what it needs, so the runtime can spawn
    /// it. The default (for fakes) says it cannot.
    fn get_object(&self, _target: &ObjectRef) -> BoxFuture<'static, Result<Value, FetchError>> {
        Box::pin(async { Err(FetchError::Unsupported) })
    }
    /// Lists the core/v1 events about one object, oldest first.
    fn object_events(
        &self,
        _target: &ObjectRef,
    ) -> BoxFuture<'static, Result<Vec<ObjectEvent>, FetchError>> {
        Box::pin(async { Err(FetchError::Unsupported) })
    }
    /// Opens one container's log (`kube::logs`); the future owns what it needs. The default
    /// (for fakes) says it cannot.
    fn pod_logs(
        &self,
        namespace: &str,
        pod: &str,
        query: LogQuery,
    ) -> BoxFuture<'static, Result<LogBytes, LogError>> {
        let _ = (namespace, pod, query);
        Box::pin(async { Err(LogError::Unsupported) })
    }
    /// Copies a local file or directory into a pod (`kube::copy::copy_in`); the default (for
    /// fakes) says it cannot.
    fn copy_in(&self, job: CopyJob, progress: Progress) -> BoxFuture<'static, Result<u64, String>> {
        let _ = (job, progress);
        Box::pin(async { Err("This connection cannot copy files.".to_string()) })
    }
    /// Copies a pod's file or directory out (`kube::copy::copy_out`).
    fn copy_out(
        &self,
        job: CopyJob,
        progress: Progress,
    ) -> BoxFuture<'static, Result<u64, String>> {
        let _ = (job, progress);
        Box::pin(async { Err("This connection cannot copy files.".to_string()) })
    }
    /// Starts watching objects of `kind` in `namespaces` (cluster-wide for cluster-scoped
    /// kinds), delivering to `sink`; the watches stop when the handle is dropped.
    /// By default nothing is watched, so fakes that only serve pods need not implement it.
    fn watch_resources(
        &self,
        kind: ResourceKind,
        namespaces: &Namespaces,
        sink: Sink<ResourceEvent>,
    ) -> WatchHandle {
        let _ = (kind, namespaces, sink);
        WatchHandle::default()
    }
    /// Starts a command in a container (`kube::exec::start`). The default (for fakes) says the
    /// connection cannot exec.
    fn exec(
        &self,
        namespace: &str,
        pod: &str,
        spec: ExecSpec,
    ) -> BoxFuture<'static, Result<ExecSession, String>> {
        let _ = (namespace, pod, spec);
        Box::pin(async { Err(NO_EXEC.to_string()) })
    }
    /// May this user `create pods/exec` in `namespace` (`kube::exec::can_exec`)? The default
    /// (for fakes) says the connection cannot exec.
    fn can_exec(&self, namespace: &str) -> BoxFuture<'static, Result<bool, String>> {
        let _ = namespace;
        Box::pin(async { Err(NO_EXEC.to_string()) })
    }
    /// GETs any object as JSON (edit's read, the conflict's fresh copy).
    fn get_target(&self, target: &Target) -> BoxFuture<'static, Result<Value, MutateError>> {
        let _ = target;
        cannot_change()
    }
    /// PUTs an object (the edit's save); a stale resourceVersion is `MutateError::Conflict`.
    fn replace(
        &self,
        target: &Target,
        object: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        let _ = (target, object);
        cannot_change()
    }
    /// PATCHes an object (scale, suspend, restart, resources).
    fn patch(
        &self,
        target: &Target,
        kind: PatchKind,
        body: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        let _ = (target, kind, body);
        cannot_change()
    }
    /// Creates an object in `target`'s namespace (a Job from a CronJob).
    fn create(
        &self,
        target: &Target,
        object: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        let _ = (target, object);
        cannot_change()
    }
    /// Deletes an object with kubectl's options.
    fn delete(
        &self,
        target: &Target,
        options: DeleteOptions,
    ) -> BoxFuture<'static, Result<(), MutateError>> {
        let _ = (target, options);
        cannot_change()
    }
    /// May this user do `access`? (SelfSubjectAccessReview.) The default (fakes): yes.
    fn allowed(&self, access: &Access) -> BoxFuture<'static, Result<bool, String>> {
        let _ = access;
        Box::pin(async { Ok(true) })
    }
    /// The target a typed kind word and name mean (`cj`, `configmap`, `pvc`…); kinds kterm does
    /// not list are found through the server's discovery.
    fn resolve(
        &self,
        word: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> BoxFuture<'static, Result<Target, String>> {
        let found = ResourceKind::from_word(word)
            .map(|kind| Target::of(kind, namespace, name))
            .ok_or_else(|| format!("kterm knows no resource type \"{word}\"."));
        Box::pin(async move { found })
    }
    /// What metrics.k8s.io says the pods of `namespace` use now (`kube::metrics::list_pods`).
    /// The default (for fakes) says it cannot.
    fn pod_metrics(
        &self,
        namespace: &str,
    ) -> BoxFuture<'static, Result<Vec<PodUsage>, MetricsError>> {
        let _ = namespace;
        Box::pin(async { Err(MetricsError::Unsupported) })
    }
    /// What metrics.k8s.io says every node uses now.
    fn node_metrics(&self) -> BoxFuture<'static, Result<Vec<NodeUsage>, MetricsError>> {
        Box::pin(async { Err(MetricsError::Unsupported) })
    }
    /// What a delete (scale, suspend) of `target` depends on, every check at once
    /// (`kube::deps::fetch::gather`). The default (for fakes): every check failed.
    fn impact_inputs(&self, target: &Target) -> BoxFuture<'static, Inputs> {
        let inputs = Inputs::unchecked(target.clone(), NO_CHECK);
        Box::pin(async move { inputs })
    }
}

/// What a cluster without exec support answers.
const NO_CHANGE: &str = "This connection cannot change objects; connect to a cluster.";

/// What a cluster without mutation support (a test fake) answers to every change.
fn cannot_change<T: Send + 'static>() -> BoxFuture<'static, Result<T, MutateError>> {
    Box::pin(async { Err(MutateError::Failed(NO_CHANGE.to_string())) })
}
const NO_CHECK: &str = "this connection cannot read the cluster";
const NO_EXEC: &str = "This connection cannot run commands in pods; connect to a cluster.";

/// Aborts its watch tasks when dropped, so replacing a watch can never leak the old one.
#[derive(Debug, Default)]
pub struct WatchHandle(Vec<AbortHandle>);

impl WatchHandle {
    /// A handle owning these tasks.
    pub fn new(tasks: Vec<AbortHandle>) -> Self {
        WatchHandle(tasks)
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// A real cluster reached through kube-rs.
#[derive(Clone)]
pub struct KubeCluster {
    client: Client,
    context: String,
    default_namespace: String,
    /// The API server's URL and the kubeconfig user, for the audit log.
    identity: Identity,
}

/// Who kterm talks to the cluster as, for the audit log; never a credential.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// The API server's URL.
    pub server: Option<String>,
    /// The kubeconfig user (`users[].name`) of the context.
    pub user: Option<String>,
}

impl KubeCluster {
    /// Builds a client from a kubeconfig file (or kubectl's default lookup) and context.
    /// Nothing is sent to the server yet: an unreachable cluster shows up as watch errors,
    /// which retry by themselves, so the UI never blocks on a dead context.
    pub async fn connect(
        kubeconfig: Option<&Path>,
        context: Option<&str>,
    ) -> Result<Self, ClusterError> {
        let path = kubeconfig.map_or_else(
            || "from $KUBECONFIG or ~/.kube/config".to_string(),
            |p| p.display().to_string(),
        );
        let kubeconfig_error = |source: KubeconfigError| ClusterError::Kubeconfig {
            path: path.clone(),
            cause: root_cause(&source),
            source,
        };
        let file = match kubeconfig {
            Some(path) => Kubeconfig::read_from(path),
            None => Kubeconfig::read(),
        };
        // Inside a pod with no kubeconfig, use the service account, as kubectl does.
        let in_pod = std::env::var_os("KUBERNETES_SERVICE_HOST").is_some();
        let file = match file {
            Err(_) if kubeconfig.is_none() && context.is_none() && in_pod => {
                return Self::in_cluster().await;
            }
            other => other.map_err(kubeconfig_error)?,
        };
        let context_name = context
            .map(str::to_string)
            .or_else(|| file.current_context.clone())
            .unwrap_or_default();
        let options = KubeConfigOptions {
            context: context.map(str::to_string),
            ..Default::default()
        };
        let config = Config::from_custom_kubeconfig(file.clone(), &options)
            .await
            .map_err(kubeconfig_error)?;
        let url = &config.cluster_url;
        check_server_url(
            url.scheme_str(),
            url.host(),
            &url.to_string(),
            &context_name,
        )?;
        errors::set_server(&url.to_string(), &context_name);
        let identity = Identity {
            server: Some(url.to_string()),
            user: file
                .contexts
                .iter()
                .find(|c| c.name == context_name)
                .and_then(|c| c.context.as_ref())
                .and_then(|c| c.user.clone()),
        };
        // After the URL is known to be usable (a mistyped server should not wait for a slow
        // plugin), and before kube-rs runs the plugin with a blocking call and no time limit.
        exec_plugin::check(&file, &context_name)
            .await
            .map_err(ClusterError::Plugin)?;
        let default_namespace = config.default_namespace.clone();
        // Building the client runs the exec plugin (again) with a blocking call: never on a
        // worker thread the UI loop and the watches share.
        let built = tokio::task::spawn_blocking(move || Client::try_from(config)).await;
        let client = match built {
            Ok(client) => client.map_err(|source| ClusterError::Client {
                context: context_name.clone(),
                source,
            })?,
            Err(e) => {
                return Err(ClusterError::Plugin(format!(
                    "Building the client for context {context_name} stopped ({e}); try again."
                )))
            }
        };
        Ok(KubeCluster {
            client,
            context: context_name,
            default_namespace,
            identity,
        })
    }

    /// The pod's service account (`/var/run/secrets/kubernetes.io/serviceaccount`).
    async fn in_cluster() -> Result<Self, ClusterError> {
        let context = "in-cluster".to_string();
        let config = Config::incluster().map_err(|e| ClusterError::InCluster {
            cause: root_cause(&e),
        })?;
        let default_namespace = config.default_namespace.clone();
        let identity = Identity {
            server: Some(config.cluster_url.to_string()),
            user: Some("service account".to_string()),
        };
        let client = Client::try_from(config).map_err(|source| ClusterError::Client {
            context: context.clone(),
            source,
        })?;
        Ok(KubeCluster {
            client,
            context,
            default_namespace,
            identity,
        })
    }

    /// The underlying client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// Refuses a server kube's client cannot use: kubectl guesses https for `host:port`, but
/// kube-rs accepts it here and panics later on a worker thread.
fn check_server_url(
    scheme: Option<&str>,
    host: Option<&str>,
    server: &str,
    context: &str,
) -> Result<(), ClusterError> {
    if matches!(scheme, Some("http" | "https")) && host.is_some_and(|h| !h.is_empty()) {
        return Ok(());
    }
    Err(ClusterError::ServerUrl {
        context: context.to_string(),
        server: server.to_string(),
    })
}

impl Cluster for KubeCluster {
    fn context(&self) -> &str {
        &self.context
    }

    fn default_namespace(&self) -> &str {
        &self.default_namespace
    }

    fn identity(&self) -> Identity {
        self.identity.clone()
    }

    fn watch_pods(&self, namespaces: &Namespaces, sink: Sink<PodEvent>) -> WatchHandle {
        let tasks = scopes(namespaces)
            .map(|scope| {
                let api: Api<SlimPod> = match &scope {
                    WatchScope::All => Api::all(self.client.clone()),
                    WatchScope::Namespace(ns) => Api::namespaced(self.client.clone(), ns),
                };
                let where_ = scope.words();
                let rows = Rows {
                    row: |pod: SlimPod| pod_row(&pod),
                    key: PodRow::key,
                    what: "pods",
                    forbidden: format!(
                        "You may not list pods in {where_}; pick namespaces you can read with -n or the tenant picker (t)."
                    ),
                    where_,
                };
                tokio::spawn(watch::run(api, scope, rows, sink.clone())).abort_handle()
            })
            .collect();
        WatchHandle::new(tasks)
    }

    fn list_namespaces(&self, selector: &str, sink: Sink<NamespaceAnswer>) -> WatchHandle {
        let api: Api<Namespace> = Api::all(self.client.clone());
        let params = ListParams::default().labels(selector);
        let selector = selector.to_string();
        let task = tokio::spawn(async move {
            // Metadata only: a namespace's name is all that is needed.
            let answer = match api.list_metadata(&params).await {
                Ok(list) => NamespaceAnswer::Listed(
                    list.items
                        .into_iter()
                        .filter_map(|n| n.metadata.name)
                        .collect(),
                ),
                Err(error) => NamespaceAnswer::Failed {
                    forbidden: errors::classify(&error) == errors::Failure::Forbidden,
                    sentence: errors::sentence(
                        &error,
                        &format!("list the namespaces labelled {selector}"),
                        "fix it, then :ctx reconnects",
                    ),
                },
            };
            sink.send(answer).await;
        });
        WatchHandle::new(vec![task.abort_handle()])
    }

    fn get_object(&self, target: &ObjectRef) -> BoxFuture<'static, Result<Value, FetchError>> {
        Box::pin(fetch::get_object(self.client.clone(), target.clone()))
    }

    fn object_events(
        &self,
        target: &ObjectRef,
    ) -> BoxFuture<'static, Result<Vec<ObjectEvent>, FetchError>> {
        Box::pin(fetch::list_events(self.client.clone(), target.clone()))
    }

    fn pod_logs(
        &self,
        namespace: &str,
        pod: &str,
        query: LogQuery,
    ) -> BoxFuture<'static, Result<LogBytes, LogError>> {
        logs::stream(self.client.clone(), namespace.into(), pod.into(), query)
    }

    fn copy_in(
        &self,
        job: CopyJob,
        mut progress: Progress,
    ) -> BoxFuture<'static, Result<u64, String>> {
        let client = self.client.clone();
        Box::pin(async move {
            let c = job.container.as_deref();
            crate::kube::copy::copy_in(
                client,
                &job.namespace,
                &job.pod,
                c,
                &job.local,
                &job.remote,
                &mut progress,
            )
            .await
        })
    }

    fn copy_out(
        &self,
        job: CopyJob,
        mut progress: Progress,
    ) -> BoxFuture<'static, Result<u64, String>> {
        let client = self.client.clone();
        Box::pin(async move {
            let c = job.container.as_deref();
            crate::kube::copy::copy_out(
                client,
                &job.namespace,
                &job.pod,
                c,
                &job.remote,
                &job.local,
                job.overwrite,
                &mut progress,
            )
            .await
        })
    }

    fn watch_resources(
        &self,
        kind: ResourceKind,
        namespaces: &Namespaces,
        sink: Sink<ResourceEvent>,
    ) -> WatchHandle {
        let all = [WatchScope::All];
        let scopes: Vec<WatchScope> = if kind.namespaced() {
            scopes(namespaces).collect()
        } else {
            all.to_vec()
        };
        let tasks = scopes
            .into_iter()
            .map(|scope| {
                let watch = resources::watch::watch(self.client.clone(), kind, scope, sink.clone());
                tokio::spawn(watch).abort_handle()
            })
            .collect();
        WatchHandle::new(tasks)
    }

    fn exec(
        &self,
        namespace: &str,
        pod: &str,
        spec: ExecSpec,
    ) -> BoxFuture<'static, Result<ExecSession, String>> {
        let (client, namespace, pod) =
            (self.client.clone(), namespace.to_string(), pod.to_string());
        Box::pin(async move { exec::start(client, &namespace, &pod, spec).await })
    }

    fn get_target(&self, target: &Target) -> BoxFuture<'static, Result<Value, MutateError>> {
        Box::pin(mutate::get(self.client.clone(), target.clone()))
    }

    fn replace(
        &self,
        target: &Target,
        object: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        Box::pin(mutate::replace(self.client.clone(), target.clone(), object))
    }

    fn patch(
        &self,
        target: &Target,
        kind: PatchKind,
        body: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        Box::pin(mutate::patch(
            self.client.clone(),
            target.clone(),
            kind,
            body,
        ))
    }

    fn create(
        &self,
        target: &Target,
        object: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        Box::pin(mutate::create(self.client.clone(), target.clone(), object))
    }

    fn delete(
        &self,
        target: &Target,
        options: DeleteOptions,
    ) -> BoxFuture<'static, Result<(), MutateError>> {
        Box::pin(mutate::delete(self.client.clone(), target.clone(), options))
    }

    fn allowed(&self, access: &Access) -> BoxFuture<'static, Result<bool, String>> {
        Box::pin(mutate::allowed(self.client.clone(), access.clone()))
    }

    fn resolve(
        &self,
        word: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> BoxFuture<'static, Result<Target, String>> {
        Box::pin(discover::resolve(
            self.client.clone(),
            word.to_string(),
            namespace.map(str::to_string),
            name.to_string(),
        ))
    }

    fn impact_inputs(&self, target: &Target) -> BoxFuture<'static, Inputs> {
        Box::pin(deps::fetch::gather(self.client.clone(), target.clone()))
    }

    fn pod_metrics(
        &self,
        namespace: &str,
    ) -> BoxFuture<'static, Result<Vec<PodUsage>, MetricsError>> {
        Box::pin(crate::kube::metrics::list_pods(
            self.client.clone(),
            namespace.to_string(),
        ))
    }

    fn node_metrics(&self) -> BoxFuture<'static, Result<Vec<NodeUsage>, MetricsError>> {
        Box::pin(crate::kube::metrics::list_nodes(self.client.clone()))
    }

    fn can_exec(&self, namespace: &str) -> BoxFuture<'static, Result<bool, String>> {
        let (client, namespace) = (self.client.clone(), namespace.to_string());
        Box::pin(async move { exec::can_exec(client, &namespace).await })
    }
}
