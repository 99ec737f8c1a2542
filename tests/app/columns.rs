//! Issue 7, item 6: on the demo's OOM tenant, sorted by LAST TERM, the two OOM-killed appserver
//! replicas are told apart at 80 columns and whole from 100; the wide key shows every column.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Namespaces;
use kterm::app::msg::Msg;
use kterm::app::state::{NamespaceChoice, State};
use kterm::app::update::update;
use kterm::kube::pods::{pod_row, SlimPod};
use kterm::kube::KubeCluster;
use kube::api::ListParams;
use kube::Api;

use super::fixtures::{apply_rows, draw};

/// The demo's pods (of `namespace`, or all), as a watch would deliver them.
async fn demo_pods(namespace: Option<&str>) -> Vec<kterm::kube::pods::PodRow> {
    let sim = kterm_sim::start(kterm_sim::SimOpts::default())
        .await
        .expect("simulator starts");
    let cluster = KubeCluster::connect(Some(sim.kubeconfig()), None)
        .await
        .expect("connects");
    let api: Api<SlimPod> = match namespace {
        Some(ns) => Api::namespaced(cluster.client().clone(), ns),
        None => Api::all(cluster.client().clone()),
    };
    let list = api.list(&ListParams::default()).await.expect("lists pods");
    list.items.iter().map(pod_row).collect()
}

/// A state holding `rows`, sorted by LAST TERM with the `L` key.
fn sorted_state(rows: Vec<kterm::kube::pods::PodRow>, one_namespace: bool) -> State {
    let mut s = State::new("kterm-sim", NamespaceChoice::All, chrono::Utc::now());
    update(
        &mut s,
        Msg::Connected {
            context: "kterm-sim".into(),
            default_namespace: "default".into(),
        },
    );
    if one_namespace {
        s.cluster.watching = Some(Namespaces::List(vec!["t4k9pz".into()]));
    }
    apply_rows(&mut s, rows);
    update(&mut s, key('L'));
    s
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The two OOM-killed appserver-prd replicas' names.
fn oom_names(rows: &[kterm::kube::pods::PodRow]) -> Vec<String> {
    let names: Vec<String> = rows
        .iter()
        .filter(|r| r.namespace.as_ref() == "t4k9pz")
        .filter(|r| {
            r.last_termination
                .as_ref()
                .is_some_and(|t| t.reason == "OOMKilled")
        })
        .map(|r| r.name.to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names
        .iter()
        .all(|n| n.starts_with("appserver-prd-4f6d28d5de-")));
    names
}

/// The line of the screen showing `name`'s unique suffix next to an OOM kill.
fn oom_line<'a>(screen: &'a str, suffix: &str) -> Option<&'a str> {
    screen
        .lines()
        .find(|l| l.contains("OOMKilled") && l.contains(suffix))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oom_killed_replicas_are_told_apart_at_80_and_whole_from_100() {
    let mut rows = demo_pods(Some("t4k9pz")).await;
    // The CronJob's finished pods are days old at a time of day set by their schedule, so their
    // AGE reads "3d" or "3d10h" depending on when the test runs, and the 120-column fit below
    // would depend on the clock.
    rows.retain(|r| r.status != "Completed");
    let names = oom_names(&rows);
    let s = sorted_state(rows, true);
    for (w, h) in [(80, 24), (100, 30), (120, 40)] {
        let screen = draw(&s, w, h);
        assert!(screen
            .lines()
            .next()
            .unwrap_or_default()
            .contains("LAST TERM"));
        for name in &names {
            let suffix = name.rsplit('-').next().unwrap_or_default();
            let line = oom_line(&screen, &format!("-{suffix}"));
            let line = line.unwrap_or_else(|| panic!("{name} at {w}x{h}:\n{screen}"));
            // The reason stays even where the time is compacted.
            assert!(line.contains("OOMKilled 2m"), "{w}x{h}:\n{screen}");
            if w >= 100 {
                assert!(line.contains(name.as_str()), "{name} at {w}x{h}:\n{screen}");
            }
        }
    }
    let narrow = draw(&s, 80, 24);
    assert!(
        narrow
            .lines()
            .next()
            .unwrap_or_default()
            .contains("+IP,NODE,AGE"),
        "{narrow}"
    );
    // At 120 columns every column fits once NODE is cut (to its unique start).
    let roomy = draw(&s, 120, 40);
    let header = roomy.lines().next().unwrap_or_default();
    assert!(header.contains("NODE") && !header.contains('+'), "{roomy}");
    assert!(roomy.contains("ip-10-42-10-2"), "{roomy}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tenant_at_80_columns_cuts_names_in_the_middle_and_wide_shows_all() {
    let rows = demo_pods(None).await;
    let names = oom_names(&rows);
    let mut s = sorted_state(rows, false);
    let screen = draw(&s, 80, 24);
    for name in &names {
        let suffix = name.rsplit('-').next().unwrap_or_default();
        let line = oom_line(&screen, &format!("…-{suffix}"));
        let line = line.unwrap_or_else(|| panic!("{name}:\n{screen}"));
        assert!(
            line.contains("t4k9pz") && line.contains("appserver-prd-4f"),
            "{screen}"
        );
    }

    // Wide: every column, NODE and IP included; the name gives way instead.
    update(&mut s, key('W'));
    assert!(s.wide);
    let wide = draw(&s, 120, 40);
    let header = wide.lines().next().unwrap_or_default();
    assert!(
        header.contains("IP") && header.contains("NODE") && header.contains("AGE"),
        "{wide}"
    );
    assert!(!header.contains('+'), "{wide}");
    assert!(
        wide.contains("10.244.") && wide.contains("ip-10-42-10-2"),
        "{wide}"
    );
    update(&mut s, key('W'));
    assert!(!s.wide);
    // Back to giving way: at 120 columns with every tenant, IP and NODE hide and the names of
    // the OOM-killed replicas are whole.
    let screen = draw(&s, 120, 40);
    assert!(
        screen
            .lines()
            .next()
            .unwrap_or_default()
            .contains("+IP,NODE"),
        "{screen}"
    );
    for name in &names {
        assert!(screen.contains(name.as_str()), "{name}:\n{screen}");
    }
}
