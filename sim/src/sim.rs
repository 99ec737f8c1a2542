//! Starting and stopping a simulated cluster (the public entry point).

use crate::cluster::Cluster;
use crate::controllers::Controllers;
use crate::resources;
use crate::scenario;
use crate::server::{Faults, Rbac, RequestLog, Server};
use crate::store::Store;
use anyhow::Context;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;

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
    Scale {
        pods: usize,
        namespaces: usize,
    },
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

/// A running simulated cluster; `shutdown` stops it (dropping the handle stops it too).
pub struct SimHandle {
    pub url: String,
    pub kubeconfig_path: PathBuf,
    /// Tenant namespaces of the scenario.
    pub tenants: Vec<String>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    scratch: Option<PathBuf>,
}

impl SimHandle {
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig_path
    }

    pub async fn shutdown(self) {
        drop(self)
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        if let Some(dir) = self.scratch.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Start a simulated cluster on loopback and write its kubeconfig (context `kterm-sim`).
pub async fn start(opts: SimOpts) -> anyhow::Result<SimHandle> {
    let now = chrono::Utc::now();
    let cluster = Cluster::new(Store::new());
    let mut controllers = Controllers::new(cluster.clone());
    let scenario = match &opts.scenario {
        ScenarioChoice::Default => scenario::default_scenario(now),
        ScenarioChoice::Scale { pods, namespaces } => {
            // Streamed into the store: the trees of 150,000 pods never exist at once.
            let mut failed = None;
            let tenants = scenario::scale_objects(*pods, *namespaces, now, |o| {
                if failed.is_none() {
                    failed = load_one(&cluster, o).err();
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
            scenario::Scenario {
                objects: Vec::new(),
                tenants,
                files: Vec::new(),
            }
        }
        ScenarioChoice::File(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read scenario {}", path.display()))?;
            scenario::from_yaml(&text)
                .map_err(|e| anyhow::anyhow!("scenario {}: {e}", path.display()))?
        }
    };
    load(&cluster, &scenario.objects)?;
    if matches!(opts.scenario, ScenarioChoice::Scale { .. }) {
        controllers.settle_steady();
    } else {
        controllers.settle();
    }

    let listener = TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .context("cannot listen on 127.0.0.1")?;
    let port = listener.local_addr()?.port();
    let (tls, ca) = if opts.tls {
        let (acceptor, ca) = crate::tls::self_signed()?;
        (Some(acceptor), Some(ca))
    } else {
        (None, None)
    };
    let scheme = if opts.tls { "https" } else { "http" };
    let url = format!("{scheme}://127.0.0.1:{port}");
    let scratch = std::env::temp_dir().join(format!("kterm-sim-{}-{port}", std::process::id()));
    let kubeconfig_path = opts
        .kubeconfig
        .clone()
        .unwrap_or_else(|| scratch.join("kubeconfig"));
    crate::kubeconfig::write(&kubeconfig_path, &url, ca.as_deref(), opts.token.as_deref())
        .with_context(|| format!("cannot write kubeconfig {}", kubeconfig_path.display()))?;
    let sandbox_root = opts
        .sandbox_root
        .clone()
        .unwrap_or_else(|| scratch.join("sandboxes"));
    let churn_ns: Vec<String> = if scenario.tenants.is_empty() {
        vec!["default".into()]
    } else {
        scenario.tenants.clone()
    };
    let server = Arc::new(Server {
        cluster: cluster.clone(),
        faults: Faults::default(),
        log: RequestLog::default(),
        rbac: Rbac {
            profile: opts.rbac,
            tenants: scenario.tenants.clone(),
        },
        token: opts.token.clone(),
        log_rate: opts.log_rate,
        sandbox_root,
        files: scenario.files,
        address: format!("127.0.0.1:{port}"),
    });
    let tasks = vec![
        tokio::spawn(crate::server::serve(server, listener, tls)),
        tokio::spawn(controllers.run()),
        tokio::spawn(crate::controllers::churn(cluster, opts.churn, churn_ns)),
    ];
    Ok(SimHandle {
        url,
        kubeconfig_path,
        tenants: scenario.tenants,
        tasks,
        scratch: Some(scratch),
    })
}

/// Create the scenario's objects, plus the namespaces and nodes every cluster has.
pub(crate) fn load(cluster: &Cluster, objects: &[Value]) -> anyhow::Result<()> {
    let ns_def = resources::by_storage("namespaces").context("namespaces resource")?;
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        if !objects
            .iter()
            .any(|o| o["kind"] == "Namespace" && o["metadata"]["name"] == ns)
        {
            let _ = cluster.create(
                ns_def,
                "",
                serde_json::json!({"metadata": {"name": ns}}),
                true,
            );
        }
    }
    // Namespaces and nodes first, whatever order the scenario lists them in.
    let mut ordered: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "Namespace" || o["kind"] == "Node")
        .collect();
    ordered.extend(
        objects
            .iter()
            .filter(|o| o["kind"] != "Namespace" && o["kind"] != "Node"),
    );
    for obj in ordered {
        load_one(cluster, obj.clone())?;
    }
    if cluster.store.list("nodes", None).1.is_empty() {
        let node_def = resources::by_storage("nodes").context("nodes resource")?;
        for i in 1..=3 {
            cluster
                .create(node_def, "", default_node(i), true)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(())
}

/// Create one scenario object, with the status it gives.
fn load_one(cluster: &Cluster, obj: Value) -> anyhow::Result<()> {
    let api = obj["apiVersion"].as_str().unwrap_or("v1");
    let kind = obj["kind"].as_str().unwrap_or_default();
    let def = resources::by_kind(api, kind)
        .with_context(|| format!("scenario object of unknown kind {api}/{kind}"))?;
    let ns = obj["metadata"]["namespace"]
        .as_str()
        .unwrap_or("default")
        .to_string();
    let what = format!("{kind} {}", obj["metadata"]["name"]);
    let status = obj.get("status").cloned();
    let e = cluster
        .create(def, &ns, obj, true)
        .map_err(|e| anyhow::anyhow!("scenario object {what}: {e}"))?;
    // A scenario may give a status (nodes, pre-running pods); create keeps only what defaults allow.
    if let (Some(status), Some(key)) = (status.filter(|s| *s != e.obj["status"]), def.key()) {
        let m = &e.obj["metadata"];
        cluster.mutate(
            key,
            m["namespace"].as_str().unwrap_or_default(),
            m["name"].as_str().unwrap_or_default(),
            |o| o["status"] = status,
        );
    }
    Ok(())
}

fn default_node(i: usize) -> Value {
    let name = format!("node-{i}");
    let ip = crate::controllers::kubelet::node_ip(&name);
    serde_json::json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "topology.kubernetes.io/region": "southamerica-east1", "topology.kubernetes.io/zone": format!("southamerica-east1-{}", ["a", "b", "c"][i % 3])}},
        "spec": {"podCIDR": format!("10.244.{i}.0/24")},
        "status": {"capacity": {"cpu": "8", "memory": "32863252Ki", "pods": "110", "ephemeral-storage": "101430960Ki"},
            "allocatable": {"cpu": "7910m", "memory": "29130260Ki", "pods": "110", "ephemeral-storage": "93478772582"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": "2026-01-01T00:00:00Z", "lastTransitionTime": "2026-01-01T00:00:00Z"}],
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "nodeInfo": {"kubeletVersion": "v1.32.4", "kubeProxyVersion": "v1.32.4", "osImage": "Ubuntu 22.04.5 LTS", "kernelVersion": "6.8.0-1019-gcp", "containerRuntimeVersion": "containerd://1.7.24", "operatingSystem": "linux", "architecture": "amd64"}}})
}
