//! Shared builders.

use chrono::{DateTime, TimeZone, Utc};
use kterm::app::state::{NamespaceChoice, State};
use std::path::PathBuf;

use k8s_openapi::api::core::v1::Pod;
use kterm::kube::pods::{PodKey, PodRow};
use kterm::kube::KubeCluster;
use kube::api::ListParams;
use kube::Api;

/// A fixed clock: 2025-01-01 12:00:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0)
        .single()
        .expect("valid date")
}

/// A running, ready pod row.
pub fn row(ns: &str, name: &str) -> PodRow {
    PodRow {
        namespace: ns.into(),
        name: name.into(),
        ready: 1,
        total: 1,
        status: "Running".into(),
        node: "node-a".into(),
        created: Some(now() - chrono::TimeDelta::minutes(30)),
        ..PodRow::default()
    }
}

/// A key.
pub fn key(ns: &str, name: &str) -> PodKey {
    PodKey::new(ns, name)
}

/// A fresh state at the fixed clock.
pub fn state() -> State {
    State::new("test", NamespaceChoice::All, now())
}

/// The whole screen drawn from `state` at `width` × `height`, styles included.
pub fn draw_buffer(state: &State, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test backend");
    terminal
        .draw(|f| kterm::ui::render(f, state))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen's text, one line per row.
pub fn draw(state: &State, width: u16, height: u16) -> String {
    let buffer = draw_buffer(state, width, height);
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// The topmost pod table (the one shown, or the one esc leads back to).
pub fn pod_table(state: &State) -> &kterm::app::pod_table::PodTable {
    state
        .pods_table()
        .expect("the bottom screen is a pod table")
}

/// The text screen on top, if one is.
pub fn text_view(state: &State) -> Option<&kterm::app::objects::TextScreen> {
    match state.screen() {
        Some(kterm::app::screen::Screen::Text(view)) => Some(view),
        _ => None,
    }
}

/// The open picker, if one is.
pub fn picker(state: &State) -> Option<&kterm::app::picker::Picker> {
    match &state.modal {
        Some(kterm::app::screen::Modal::Picker(picker)) => Some(picker),
        _ => None,
    }
}

/// How far the open help is scrolled (0 when closed).
pub fn help_scroll(state: &State) -> usize {
    match &state.modal {
        Some(kterm::app::screen::Modal::Help { scroll }) => *scroll,
        _ => 0,
    }
}

/// Feeds `rows` to `state` as one batch from the cluster-wide pod watch.
pub fn apply_rows(state: &mut State, rows: Vec<PodRow>) {
    kterm::app::update::update(
        state,
        kterm::app::msg::Msg::PodsApplied {
            scope: kterm::app::msg::WatchScope::All,
            rows,
        },
    );
}

/// The name of the first pod of `app`/`env` in `namespace`.
pub async fn pod_name(cluster: &KubeCluster, namespace: &str, selector: &str) -> String {
    let pods: Api<Pod> = Api::namespaced(cluster.client().clone(), namespace);
    let list = pods
        .list(&ListParams::default().labels(selector))
        .await
        .expect("lists pods");
    list.items
        .first()
        .and_then(|p| p.metadata.name.clone())
        .expect("a pod")
}

/// kubectl, if installed (required under KTERM_REQUIRE_KUBECTL=1, as in CI).
pub fn kubectl() -> Option<PathBuf> {
    let found = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    assert!(
        found.is_some() || std::env::var("KTERM_REQUIRE_KUBECTL").as_deref() != Ok("1"),
        "kubectl is required (KTERM_REQUIRE_KUBECTL=1) but not installed"
    );
    found
}

/// A simulator with the `rbac` profile, and kterm's client for it.
pub async fn connect(rbac: kterm_sim::RbacProfile) -> (kterm_sim::SimHandle, KubeCluster) {
    let sim = kterm_sim::start(kterm_sim::SimOpts {
        rbac,
        ..kterm_sim::SimOpts::default()
    })
    .await
    .expect("simulator starts");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connects");
    (sim, cluster)
}
