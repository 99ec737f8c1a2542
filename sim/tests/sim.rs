//! The simulator judged by real clients: kube-rs over HTTP, and the real kubectl binary.
//! One test binary (one link) for all of them.

#[path = "sim/common.rs"]
mod common;
#[path = "sim/kube_client.rs"]
mod kube_client;
#[path = "sim/kubectl.rs"]
mod kubectl;
#[path = "sim/kubectl_delete.rs"]
mod kubectl_delete;
#[path = "sim/kubectl_exec.rs"]
mod kubectl_exec;
#[path = "sim/kubectl_history.rs"]
mod kubectl_history;
#[path = "sim/kubectl_logs.rs"]
mod kubectl_logs;
#[path = "sim/kubectl_mutate.rs"]
mod kubectl_mutate;
