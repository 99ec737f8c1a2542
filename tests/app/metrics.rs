//! Usage against requests and limits: the join (percents, the OOM-risk flag), the missing
//! metrics case (one sentence, `n/a` cells, backoff), the poll asking only for what is on
//! screen, the key, the config block, and the requests/limits summed from the pod spec.

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Effect;
use kterm::app::metrics::{cpu_cell, mem_cell, oom_risk, MetricsStatus, Polled, Usage};
use kterm::app::msg::Msg;
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::metrics::{MetricsError, PodUsage};
use kterm::kube::pods::{pod_row, PodRow, SlimPod};

use super::fixtures::{apply_rows, draw, key, now, row, state};

const GI: u64 = 1024 * 1024 * 1024;
const MI: u64 = 1024 * 1024;

fn limited(ns: &str, name: &str) -> PodRow {
    PodRow {
        mem_request: Some(GI),
        mem_limit: Some(2 * GI),
        cpu_request: Some(500),
        cpu_limit: Some(1000),
        ..row(ns, name)
    }
}

fn usage(ns: &str, name: &str, cpu: u32, mem: u64) -> PodUsage {
    PodUsage {
        namespace: ns.into(),
        name: name.into(),
        cpu,
        mem,
    }
}

/// A connected state with `namespaces` × `per` pods (namespace ns-00…, pods p-0…).
fn connected(namespaces: usize, per: usize) -> State {
    let mut s = state();
    update(
        &mut s,
        Msg::Connected {
            context: "test".into(),
            default_namespace: "default".into(),
        },
    );
    let rows = (0..namespaces)
        .flat_map(|n| (0..per).map(move |i| limited(&format!("ns-{n:02}"), &format!("p-{i}"))))
        .collect();
    apply_rows(&mut s, rows);
    s
}

fn polls(effects: &[Effect]) -> Vec<(Vec<String>, bool)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::PollMetrics { namespaces, nodes } => Some((namespaces.clone(), *nodes)),
            _ => None,
        })
        .collect()
}

fn answer(s: &mut State, pods: Vec<(String, Result<Vec<PodUsage>, MetricsError>)>) {
    update(s, Msg::MetricsPolled(Polled { pods, nodes: None }));
}

#[test]
fn usage_joins_limits_into_percents_and_the_oom_risk_flag() {
    let r = limited("t4k9pz", "appserver");
    let near = Usage {
        cpu: 950,
        mem: 2 * GI - 100 * MI,
    };
    // Both shares, the request's then the limit's; compact keeps the limit's.
    assert_eq!(mem_cell(&r, Some(near), false), "1.9Gi 190%R 95%L");
    assert_eq!(mem_cell(&r, Some(near), true), "95%L");
    assert_eq!(cpu_cell(&r, Some(near), false), "950m 190%R 95%L");
    assert!(oom_risk(&r, near));
    // 89 % is not at risk; 90 % is.
    let below = Usage {
        cpu: 10,
        mem: 2 * GI * 89 / 100,
    };
    assert!(!oom_risk(&r, below));
    let at_90 = Usage {
        cpu: 10,
        mem: (2 * GI * 90).div_ceil(100),
    };
    assert!(oom_risk(&r, at_90));
    // Without a limit the request is the measure; without either, the usage alone.
    let requested = PodRow {
        mem_limit: None,
        ..r.clone()
    };
    assert_eq!(mem_cell(&requested, Some(below), false), "1.8Gi 177%R");
    assert!(
        !oom_risk(&requested, near),
        "no limit, no OOM kill by the limit"
    );
    let bare = row("t4k9pz", "bare");
    assert_eq!(mem_cell(&bare, Some(below), false), "1.8Gi");
    assert_eq!(mem_cell(&bare, None, false), "n/a");
}

#[test]
fn requests_and_limits_are_summed_over_running_containers() {
    let pod: SlimPod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "p", "namespace": "n"},
        "spec": {
            "initContainers": [
                {"name": "migrate", "resources": {"limits": {"memory": "8Gi"}}},
                {"name": "proxy", "restartPolicy": "Always",
                 "resources": {"requests": {"cpu": "50m", "memory": "64Mi"},
                               "limits": {"cpu": "100m", "memory": "128Mi"}}}],
            "containers": [
                {"name": "app", "resources": {"requests": {"cpu": "0.5", "memory": "1536Mi"},
                                              "limits": {"cpu": "2", "memory": "2Gi"}}},
                {"name": "log", "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}}}]}
    }))
    .unwrap_or_default();
    let r = pod_row(&pod);
    // The plain init container has finished before the app runs: it is not counted.
    assert_eq!(r.mem_request, Some((1536 + 32 + 64) * MI));
    assert_eq!(r.cpu_request, Some(560));
    // One container without a limit makes the pod unlimited.
    assert_eq!(r.mem_limit, None);
    assert_eq!(r.cpu_limit, None);
    assert_eq!(
        r.total, 3,
        "READY still counts the app containers and the sidecar"
    );
}

#[test]
fn the_poll_asks_only_for_the_namespaces_on_screen_and_then_waits_the_interval() {
    // 30 namespaces of 5 pods; 80×24 shows about 20 rows: four or five namespaces.
    let mut s = connected(30, 5);
    assert_eq!(s.metrics.status(), MetricsStatus::Waiting);
    let effects = update(&mut s, Msg::Tick(now()));
    let asked = polls(&effects);
    assert_eq!(asked.len(), 1, "{effects:?}");
    let (namespaces, nodes) = &asked[0];
    assert!(!nodes);
    assert!((4..=5).contains(&namespaces.len()), "{namespaces:?}");
    assert_eq!(namespaces[0], "ns-00");
    assert!(!namespaces.contains(&"ns-29".to_string()));
    // None while one is in flight.
    assert!(polls(&update(&mut s, Msg::Tick(now()))).is_empty());
    let answers = namespaces
        .iter()
        .map(|ns| {
            (
                ns.clone(),
                Ok(vec![usage(ns, "p-0", 950, 2 * GI - 100 * MI)]),
            )
        })
        .collect();
    answer(&mut s, answers);
    assert_eq!(s.metrics.status(), MetricsStatus::Live);
    assert_eq!(
        s.metrics.usage(&key("ns-00", "p-0")),
        Some(Usage {
            cpu: 950,
            mem: 2 * GI - 100 * MI
        })
    );
    assert!(polls(&update(&mut s, Msg::Tick(now() + TimeDelta::seconds(14)))).is_empty());
    assert_eq!(
        polls(&update(&mut s, Msg::Tick(now() + TimeDelta::seconds(15)))).len(),
        1
    );
}

#[test]
fn the_table_shows_cpu_mem_and_flags_a_pod_near_its_memory_limit() {
    let mut s = connected(1, 3);
    let finished = PodRow {
        status: "Completed".into(),
        ready: 0,
        ..limited("ns-00", "p-3")
    };
    apply_rows(&mut s, vec![finished]);
    update(&mut s, Msg::Tick(now()));
    answer(
        &mut s,
        vec![(
            "ns-00".into(),
            Ok(vec![
                usage("ns-00", "p-0", 950, 2 * GI - 100 * MI),
                usage("ns-00", "p-1", 100, 512 * MI),
            ]),
        )],
    );
    let screen = draw(&s, 120, 10);
    assert!(screen.contains("CPU"), "{screen}");
    assert!(screen.contains("MEM"), "{screen}");
    assert!(screen.contains("▲1.9Gi 190%R 95%L"), "{screen}");
    assert!(screen.contains("512Mi 50%R 25%L"), "{screen}");
    assert!(!screen.contains("▲512Mi"), "{screen}");
    // A finished pod has no usage by nature: its cells stay blank rather than n/a.
    let done = screen
        .lines()
        .find(|l| l.contains("p-3"))
        .unwrap_or_default();
    assert!(
        done.contains("Completed") && !done.contains("n/a"),
        "{screen}"
    );
    // p-2 had no usage in the answer.
    let p2 = screen
        .lines()
        .find(|l| l.contains("p-2"))
        .unwrap_or_default();
    assert!(p2.contains("n/a"), "{screen}");
    // The help's legend explains the glyph and the shares.
    let legend = kterm::app::help::lines(&s).into_iter().any(|l| {
        matches!(l, kterm::app::help::HelpLine::Text(t)
            if t.contains("▲ MEM ≥ 90% of its limit (OOM risk; %L of limit, %R of request)"))
    });
    assert!(legend);
}

#[test]
fn missing_metrics_server_is_said_once_columns_say_na_and_polling_backs_off() {
    let mut s = connected(1, 2);
    update(&mut s, Msg::Tick(now()));
    answer(&mut s, vec![("ns-00".into(), Err(MetricsError::Absent))]);
    let said = "metrics unavailable: metrics-server not installed (no metrics.k8s.io API)";
    assert_eq!(s.message.as_deref(), Some(said));
    assert_eq!(s.metrics.status(), MetricsStatus::Unavailable(said.into()));
    let screen = draw(&s, 120, 10);
    let p0 = screen
        .lines()
        .find(|l| l.contains("p-0"))
        .unwrap_or_default();
    assert_eq!(p0.matches("n/a").count(), 2, "{screen}");
    // Backoff: not after one interval, but after two.
    s.message = None;
    assert!(polls(&update(&mut s, Msg::Tick(now() + TimeDelta::seconds(15)))).is_empty());
    assert_eq!(
        polls(&update(&mut s, Msg::Tick(now() + TimeDelta::seconds(30)))).len(),
        1
    );
    // A 403 on the next poll is not said again: the status keeps its sentence.
    answer(
        &mut s,
        vec![("ns-00".into(), Err(MetricsError::Forbidden("no".into())))],
    );
    assert_eq!(s.message, None);
    assert!(polls(&update(&mut s, Msg::Tick(now() + TimeDelta::seconds(60)))).is_empty());
}

#[test]
fn the_key_turns_polling_off_and_on() {
    let mut s = connected(1, 2);
    update(&mut s, Msg::Tick(now()));
    answer(
        &mut s,
        vec![("ns-00".into(), Ok(vec![usage("ns-00", "p-0", 1, MI)]))],
    );
    assert!(draw(&s, 120, 10).contains("MEM"));
    let percent = Msg::Key(KeyEvent::new(KeyCode::Char('%'), KeyModifiers::NONE));
    update(&mut s, percent.clone());
    assert_eq!(s.metrics.status(), MetricsStatus::Off);
    assert_eq!(s.metrics.usage(&key("ns-00", "p-0")), None);
    assert!(!draw(&s, 120, 10).contains("MEM"));
    assert!(polls(&update(&mut s, Msg::Tick(now() + TimeDelta::minutes(5)))).is_empty());
    let effects = update(&mut s, percent);
    assert_eq!(polls(&effects), vec![(vec!["ns-00".to_string()], false)]);
}

#[test]
fn config_sets_the_interval_and_can_turn_metrics_off() {
    use kterm::config::settings::parse_file;
    let s = parse_file("config.yaml", "metrics: {interval: 1m, enabled: false}\n");
    let metrics = s.map(|s| s.metrics).unwrap_or_default();
    assert!(!metrics.enabled);
    assert_eq!(metrics.interval, std::time::Duration::from_secs(60));
    let default = parse_file("config.yaml", "logs: {tail: 10}\n").map(|s| s.metrics);
    assert_eq!(default.map(|m| m.interval.as_secs()), Ok(15));
    let bad = parse_file("config.yaml", "metrics: {interval: 1s}\n");
    assert!(bad.is_err_and(|e| e.to_string().contains("metrics.interval must be")),);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_and_node_metrics_are_read_from_the_simulator() {
    use kterm::kube::Cluster;
    let (_sim, cluster) = super::fixtures::connect(kterm_sim::RbacProfile::Admin).await;
    let pods = cluster.pod_metrics("p9d6ty").await.unwrap_or_default();
    let appserver = pods
        .iter()
        .find(|p| p.name.starts_with("appserver-hml-"))
        .cloned();
    let appserver = appserver.unwrap_or_else(|| panic!("no appserver in {pods:?}"));
    assert_eq!(appserver.namespace, "p9d6ty");
    assert!(
        appserver.cpu > 0 && appserver.mem > 512 * MI,
        "{appserver:?}"
    );
    assert!(pods.iter().all(|p| p.namespace == "p9d6ty"));
    let nodes = cluster.node_metrics().await.unwrap_or_default();
    assert!(!nodes.is_empty() && nodes.iter().all(|n| n.mem > 0));

    let (_sim, tenant) = super::fixtures::connect(kterm_sim::RbacProfile::Tenant).await;
    let refused = tenant.node_metrics().await;
    assert!(
        matches!(refused, Err(MetricsError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(refused.is_err_and(|e| e
        .to_string()
        .starts_with("metrics unavailable: not allowed")));
}
