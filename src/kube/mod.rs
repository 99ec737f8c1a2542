//! The Kubernetes side: connecting, watching, and turning API objects into rows.

pub mod age;
pub mod cluster;
pub mod copy;
pub mod deps;
pub mod describe;
pub mod discover;
pub mod edit;
pub mod errors;
pub mod exec;
pub mod exec_plugin;
pub mod fetch;
pub mod health;
pub mod kinds;
pub mod logs;
pub mod meta;
pub mod metrics;
pub mod mutate;
pub mod object_events;
pub mod paged;
pub mod pane;
pub mod pods;
pub mod resources;
pub mod schedule;
pub mod scope;
pub mod selector;
pub mod slim_pod;
pub mod target;
pub mod text;
pub mod watch;
pub mod yaml;

pub use cluster::{Cluster, ClusterError, KubeCluster, NamespaceAnswer, WatchHandle};

/// The innermost cause of an error chain: "Connection refused (os error 111)" says more to a
/// support engineer than kube's "ServiceError: client error (Connect)".
pub fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    // Some parsers append a multi-line source snippet; the status bar and stderr take one sentence.
    let text = current.to_string();
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}
