//! The overview computation on fixtures: each state and its threshold, environments, a tenant
//! without environments, the order, the counters, and what it costs at 500 tenants.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use kterm::app::overview::{exit_code, overview_counted, Inputs, TenantRow, TenantState, Usage};
use kterm::config::Tenant;
use kterm::kube::pods::{LastTermination, PodKey, PodRow};
use kterm::kube::resources::coreapi::{SlimEvent, SlimService};
use kterm::kube::resources::workloads::SlimJob;
use kterm::kube::resources::ResourceRow;
use kterm::kube::selector::Labels;
use serde_json::json;

use super::fixtures::{now, row};

/// A ready pod of `app` in `env` (no env label when `env` is "").
pub(super) fn pod(ns: &str, name: &str, app: &str, env: &str) -> PodRow {
    let mut labels = vec![("app", app), ("pod-template-hash", "abc")];
    if !env.is_empty() {
        labels.push(("env", env));
    }
    PodRow {
        labels: Labels::from_pairs(labels),
        ..row(ns, name)
    }
}

pub(super) fn service(ns: &str, name: &str, selector: serde_json::Value) -> ResourceRow {
    let v = json!({"metadata": {"name": name, "namespace": ns}, "spec": {"selector": selector}});
    serde_json::from_value::<SlimService>(v)
        .expect("service")
        .row
}

fn job(ns: &str, name: &str, failed: bool) -> ResourceRow {
    let status = if failed { "True" } else { "False" };
    let v = json!({"metadata": {"name": name, "namespace": ns},
        "spec": {"selector": {"matchLabels": {"job-name": name}}},
        "status": {"conditions": [{"type": "Failed", "status": status}]}});
    serde_json::from_value::<SlimJob>(v).expect("job").row
}

fn event(ns: &str, reason: &str, pod: &str, kind: &str, at: DateTime<Utc>) -> ResourceRow {
    let v = json!({"metadata": {"name": format!("{pod}.{reason}"), "namespace": ns},
        "type": kind, "reason": reason, "involvedObject": {"kind": "Pod", "name": pod},
        "lastTimestamp": at.to_rfc3339()});
    serde_json::from_value::<SlimEvent>(v).expect("event").row
}

/// What a test feeds the computation.
#[derive(Default)]
struct World {
    pods: kterm::app::store::Rows,
    namespaces: Vec<String>,
    tenants: Vec<Tenant>,
    services: Vec<ResourceRow>,
    jobs: Vec<ResourceRow>,
    events: Vec<ResourceRow>,
    usage: BTreeMap<PodKey, Usage>,
}

impl World {
    fn add(&mut self, row: PodRow) -> &mut Self {
        self.pods.insert(row.key(), Box::new(row));
        self
    }

    fn rows(&self) -> Vec<TenantRow> {
        self.counted().0
    }

    fn counted(&self) -> (Vec<TenantRow>, usize) {
        let usage = |k: &PodKey| self.usage.get(k).copied();
        let services: Vec<&ResourceRow> = self.services.iter().collect();
        let jobs: Vec<&ResourceRow> = self.jobs.iter().collect();
        let events: Vec<&ResourceRow> = self.events.iter().collect();
        let inputs = Inputs {
            pods: &self.pods,
            namespaces: &self.namespaces,
            tenants: &self.tenants,
            services: &services,
            jobs: &jobs,
            events: &events,
            usage: &usage,
        };
        overview_counted(&inputs, now())
    }
}

/// A tenant with an appserver in production and homologation, each behind its Service.
fn two_envs(ns: &str) -> World {
    let mut w = World::default();
    add_two_envs(&mut w, ns);
    w
}

fn add_two_envs(w: &mut World, ns: &str) {
    for (env, suffix) in [("production", "prd"), ("homologation", "hml")] {
        w.add(pod(
            ns,
            &format!("appserver-{suffix}-abc-1"),
            "appserver",
            env,
        ));
        w.add(pod(
            ns,
            &format!("appserver-{suffix}-abc-2"),
            "appserver",
            env,
        ));
        w.services.push(service(
            ns,
            &format!("appserver-{suffix}"),
            json!({"app": "appserver", "env": env}),
        ));
    }
}

fn find<'a>(rows: &'a [TenantRow], ns: &str, env: Option<&str>) -> &'a TenantRow {
    rows.iter()
        .find(|r| r.namespace == ns && r.env.as_deref() == env)
        .unwrap_or_else(|| panic!("no row {ns} {env:?} in {rows:#?}"))
}

#[test]
fn a_healthy_tenant_is_one_up_row_per_environment() {
    let rows = two_envs("t1").rows();
    assert_eq!(rows.len(), 2);
    for env in ["production", "homologation"] {
        let r = find(&rows, "t1", Some(env));
        assert_eq!(r.state, TenantState::Up);
        assert_eq!((r.ready, r.total), (2, 2));
        assert!(r.reasons.is_empty(), "{:?}", r.reasons);
    }
    assert_eq!(exit_code(&rows), 0);
}

#[test]
fn a_service_without_a_ready_endpoint_is_down_in_its_environment_only() {
    let mut w = two_envs("t1");
    for n in 1..=2 {
        let p = w
            .pods
            .get_mut(&PodKey::new("t1", format!("appserver-prd-abc-{n}")))
            .expect("pod");
        p.ready = 0;
    }
    let rows = w.rows();
    let prd = find(&rows, "t1", Some("production"));
    assert_eq!(prd.state, TenantState::Down);
    assert_eq!(
        prd.reasons[0],
        "Service appserver-prd has no ready endpoint"
    );
    assert_eq!((prd.ready, prd.total), (0, 2));
    assert_eq!(
        find(&rows, "t1", Some("homologation")).state,
        TenantState::Up
    );
    assert_eq!(rows[0].state, TenantState::Down, "worst first");
    assert_eq!(exit_code(&rows), 2);
}

#[test]
fn one_ready_endpoint_keeps_a_service_up_but_the_other_pod_degrades() {
    let mut w = two_envs("t1");
    let p = w
        .pods
        .get_mut(&PodKey::new("t1", "appserver-prd-abc-1"))
        .expect("pod");
    p.ready = 0;
    let rows = w.rows();
    let prd = find(&rows, "t1", Some("production"));
    assert_eq!(prd.state, TenantState::Degraded);
    assert_eq!(prd.reasons, ["Pod appserver-prd-abc-1 is not ready (0/1)"]);
    assert_eq!(exit_code(&rows), 1);
}

#[test]
fn every_pod_of_a_workload_failing_is_down_some_is_degraded() {
    let mut w = World::default();
    w.add(PodRow {
        status: "CrashLoopBackOff".into(),
        ready: 0,
        ..pod("t1", "rest-prd-abc-1", "rest", "production")
    });
    w.add(pod("t1", "rest-hml-abc-1", "rest", "homologation"));
    w.add(PodRow {
        status: "CrashLoopBackOff".into(),
        ready: 0,
        ..pod("t1", "rest-hml-abc-2", "rest", "homologation")
    });
    let rows = w.rows();
    let prd = find(&rows, "t1", Some("production"));
    assert_eq!(prd.state, TenantState::Down);
    assert_eq!(
        prd.reasons[0],
        "The only pod of rest-prd is CrashLoopBackOff"
    );
    let hml = find(&rows, "t1", Some("homologation"));
    assert_eq!(hml.state, TenantState::Degraded);
    assert_eq!(hml.reasons, ["Pod rest-hml-abc-2 is CrashLoopBackOff"]);
}

#[test]
fn an_oom_kill_degrades_for_an_hour_and_counts_for_a_day() {
    let oomed = |name: &str, ago: i64| PodRow {
        restarts: 3,
        last_restart: Some(now() - TimeDelta::minutes(ago)),
        last_termination: Some(LastTermination {
            reason: "OOMKilled".into(),
            exit_code: 137,
            finished_at: Some(now() - TimeDelta::minutes(ago)),
        }),
        ..pod("t1", name, "appserver", "")
    };
    let mut w = World::default();
    w.add(oomed("appserver-abc-1", 2));
    let rows = w.rows();
    assert_eq!(rows[0].state, TenantState::Degraded);
    assert_eq!((rows[0].ooms_24h, rows[0].restarts_1h), (1, 3));
    assert_eq!(
        rows[0].reasons,
        ["Pod appserver-abc-1 was OOM-killed 2m ago"]
    );

    let mut w = World::default();
    w.add(oomed("appserver-abc-1", 180));
    let rows = w.rows();
    assert_eq!(rows[0].state, TenantState::Up, "{:?}", rows[0].reasons);
    assert_eq!((rows[0].ooms_24h, rows[0].restarts_1h), (1, 0));

    let mut w = World::default();
    w.add(oomed("appserver-abc-1", 25 * 60));
    assert_eq!(w.rows()[0].ooms_24h, 0);
}

#[test]
fn pending_degrades_only_after_five_minutes() {
    let pending = |mins: i64| PodRow {
        status: "Pending".into(),
        ready: 0,
        created: Some(now() - TimeDelta::minutes(mins)),
        ..pod("t1", "lic-abc-1", "lic", "")
    };
    let mut w = World::default();
    w.add(pending(4));
    assert_eq!(w.rows()[0].state, TenantState::Up);
    let mut w = World::default();
    w.add(pending(6));
    let rows = w.rows();
    assert_eq!(rows[0].state, TenantState::Degraded);
    assert_eq!(rows[0].reasons, ["Pod lic-abc-1 has been Pending for 6m"]);
}

#[test]
fn a_failed_job_degrades() {
    let mut w = two_envs("t1");
    w.jobs.push(job("t1", "upddistr-prd", true));
    w.jobs.push(job("t1", "upddistr-hml", false));
    let rows = w.rows();
    // No pod of the Job is left to say its environment: it is every environment's trouble.
    for env in ["production", "homologation"] {
        let r = find(&rows, "t1", Some(env));
        assert_eq!(r.state, TenantState::Degraded);
        assert_eq!(r.failed_jobs, 1);
        assert_eq!(r.reasons, ["Job upddistr-prd failed"]);
    }
}

#[test]
fn usage_at_ninety_percent_of_a_limit_is_at_risk() {
    let mut w = two_envs("t1");
    let key = PodKey::new("t1", "appserver-hml-abc-1");
    w.usage.insert(
        key.clone(),
        Usage {
            mem_pct: 89.9,
            cpu_pct: 10.0,
        },
    );
    assert!(w.rows().iter().all(|r| r.state == TenantState::Up));
    w.usage.insert(
        key.clone(),
        Usage {
            mem_pct: 92.0,
            cpu_pct: 10.0,
        },
    );
    let rows = w.rows();
    let hml = find(&rows, "t1", Some("homologation"));
    assert_eq!(hml.state, TenantState::AtRisk);
    assert_eq!(hml.near_mem_limit, 1);
    assert_eq!(
        hml.reasons,
        ["Pod appserver-hml-abc-1 uses 92% of its memory limit"]
    );
    assert_eq!(exit_code(&rows), 1);
    w.usage.insert(
        key,
        Usage {
            mem_pct: 10.0,
            cpu_pct: 95.0,
        },
    );
    let rows = w.rows();
    let hml = find(&rows, "t1", Some("homologation"));
    assert_eq!(hml.state, TenantState::AtRisk);
    assert_eq!(hml.near_mem_limit, 0);
}

#[test]
fn a_tenant_without_environments_is_one_row_named_by_the_config() {
    let mut w = World::default();
    w.add(pod("solo", "web-abc-1", "web", ""));
    w.namespaces = vec!["solo".into(), "empty".into()];
    w.tenants = vec![Tenant {
        namespace: "solo".into(),
        name: Some("Solo Ltda".into()),
        environment: Some("prd".into()),
    }];
    let rows = w.rows();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let solo = find(&rows, "solo", Some("prd"));
    assert_eq!(solo.display.as_deref(), Some("Solo Ltda"));
    assert_eq!((solo.ready, solo.total), (1, 1));
    // A watched tenant without pods still has its row.
    assert_eq!(find(&rows, "empty", None).total, 0);
}

#[test]
fn the_newest_warning_event_is_kept_per_environment() {
    let mut w = two_envs("t1");
    let at = |m| now() - TimeDelta::minutes(m);
    w.events.push(event(
        "t1",
        "BackOff",
        "appserver-prd-abc-1",
        "Warning",
        at(10),
    ));
    w.events.push(event(
        "t1",
        "Unhealthy",
        "appserver-prd-abc-2",
        "Warning",
        at(3),
    ));
    w.events.push(event(
        "t1",
        "Pulled",
        "appserver-prd-abc-2",
        "Normal",
        at(1),
    ));
    let rows = w.rows();
    let prd = find(&rows, "t1", Some("production"));
    let warning = prd.last_warning.as_ref().expect("a warning");
    assert_eq!(
        (warning.reason.as_str(), warning.at),
        ("Unhealthy", Some(at(3)))
    );
    assert_eq!(find(&rows, "t1", Some("homologation")).last_warning, None);
}

#[test]
fn rows_are_worst_first() {
    let mut w = World::default();
    add_two_envs(&mut w, "a-up");
    add_two_envs(&mut w, "z-down");
    w.services.push(service(
        "z-down",
        "gone",
        json!({"app": "nothing", "env": "production"}),
    ));
    let rows = w.rows();
    let states: Vec<TenantState> = rows.iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            TenantState::Down,
            TenantState::Up,
            TenantState::Up,
            TenantState::Up
        ]
    );
    assert_eq!(rows[0].title(), "z-down production");
}

/// The work grows with what is held, linearly in tenants: each pod visited once, each object
/// once, and a Service's or failed Job's selector tried on its own namespace's pods only.
#[test]
fn five_hundred_tenants_cost_what_they_hold() {
    let world = |tenants: usize| {
        let mut w = World::default();
        for t in 0..tenants {
            let ns = format!("t{t:03}");
            add_two_envs(&mut w, &ns);
            w.jobs.push(job(&ns, "upddistr-prd", true));
            w.events.push(event(
                &ns,
                "BackOff",
                "appserver-prd-abc-1",
                "Warning",
                now(),
            ));
        }
        w
    };
    let (rows50, steps50) = world(50).counted();
    let (rows500, steps500) = world(500).counted();
    assert_eq!((rows50.len(), rows500.len()), (100, 1000));
    assert_eq!(steps500, 10 * steps50, "linear in tenants");
    // Per tenant: 4 pods, 2 Services + 1 Job + 1 Event; each selector tries the 4 pods.
    let held = 500 * (4 + 2 + 1 + 1);
    let per_namespace_matches = 500 * 3 * 4;
    assert!(
        steps500 <= held * 2 + per_namespace_matches,
        "{steps500} steps for {held} objects"
    );
}

#[test]
fn the_ended_pods_of_a_failed_job_are_the_jobs_story() {
    let mut w = World::default();
    w.add(pod("t1", "web-abc-1", "web", ""));
    w.add(PodRow {
        status: "Error".into(),
        ready: 0,
        labels: Labels::from_pairs([("job-name", "upddistr-prd")]),
        ..row("t1", "upddistr-prd-x1")
    });
    w.jobs.push(job("t1", "upddistr-prd", true));
    let rows = w.rows();
    assert_eq!(rows[0].state, TenantState::Degraded);
    assert_eq!(rows[0].reasons, ["Job upddistr-prd failed"]);
    assert_eq!((rows[0].ready, rows[0].total), (1, 1));
}
