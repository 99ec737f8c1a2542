//! `update` is pure: messages in, state and effects out.

use super::fixtures::pod_table;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::{Effect, Namespaces};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::{Connection, NamespaceChoice, State};
use kterm::app::update::update;

use super::fixtures::{key, now, row, state};

fn press(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn applied(rows: Vec<kterm::kube::pods::PodRow>) -> Msg {
    Msg::PodsApplied {
        scope: WatchScope::All,
        rows,
    }
}

fn selected(state: &State) -> (usize, String) {
    let name = state
        .selected_row()
        .map(|r| r.name.to_string())
        .unwrap_or_default();
    (pod_table(state).selected, name)
}

fn with_pods(n: usize) -> State {
    let mut s = state();
    let rows = (0..n).map(|i| row("ns", &format!("pod-{i:03}"))).collect();
    update(&mut s, applied(rows));
    s
}

#[test]
fn keys_move_the_selection() {
    let mut s = with_pods(5);
    assert_eq!(selected(&s), (0, "pod-000".into()));
    update(&mut s, press('j'));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
    );
    assert_eq!(selected(&s), (2, "pod-002".into()));
    update(&mut s, press('k'));
    assert_eq!(selected(&s), (1, "pod-001".into()));
    update(&mut s, press('G'));
    assert_eq!(selected(&s), (4, "pod-004".into()));
    update(&mut s, press('j'));
    assert_eq!(selected(&s), (4, "pod-004".into()), "stays on the last row");
    update(&mut s, press('g'));
    assert_eq!(selected(&s), (0, "pod-000".into()));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
    );
    assert_eq!(
        selected(&s),
        (0, "pod-000".into()),
        "stays on the first row"
    );
}

#[test]
fn selection_scrolls_into_view() {
    let mut s = with_pods(100);
    update(
        &mut s,
        Msg::Resize {
            width: 80,
            height: 12,
        },
    ); // 10 body rows
    for _ in 0..15 {
        update(&mut s, press('j'));
    }
    assert_eq!(pod_table(&s).selected, 15);
    assert_eq!(pod_table(&s).offset, 6);
    update(&mut s, press('G'));
    assert_eq!((pod_table(&s).selected, pod_table(&s).offset), (99, 90));
    update(&mut s, press('g'));
    assert_eq!((pod_table(&s).selected, pod_table(&s).offset), (0, 0));
}

#[test]
fn keys_that_change_nothing_do_not_ask_for_a_frame() {
    let mut s = with_pods(3);
    let revision = s.revision;
    update(&mut s, press('k'));
    update(&mut s, press('z'));
    assert_eq!(s.revision, revision);
    update(&mut s, press('j'));
    assert_ne!(s.revision, revision);
}

#[test]
fn quit_keys() {
    let mut s = with_pods(1);
    assert_eq!(update(&mut s, press('q')), vec![Effect::Quit]);
    assert!(s.quitting);
    let mut s = with_pods(1);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut s, ctrl_c), vec![Effect::Quit]);
    let mut s = with_pods(1);
    assert_eq!(update(&mut s, Msg::Signal("SIGHUP")), vec![Effect::Quit]);
}

#[test]
fn pod_events_update_rows_in_place_keeping_the_selection() {
    let mut s = with_pods(5);
    update(&mut s, press('j'));
    update(&mut s, press('j'));
    assert_eq!(selected(&s), (2, "pod-002".into()));

    let mut changed = row("ns", "pod-002");
    changed.status = "CrashLoopBackOff".into();
    changed.restarts = 4;
    update(&mut s, applied(vec![changed]));
    assert_eq!(s.store.rows().len(), 5);
    assert_eq!(selected(&s), (2, "pod-002".into()));
    assert_eq!(
        s.selected_row().map(|r| r.status.as_str()),
        Some("CrashLoopBackOff")
    );

    // A pod sorted before the selection shifts its index, not the selected pod.
    update(&mut s, applied(vec![row("ns", "pod-000a")]));
    assert_eq!(selected(&s), (3, "pod-002".into()));
    update(
        &mut s,
        Msg::PodDeleted {
            scope: WatchScope::All,
            key: key("ns", "pod-000"),
        },
    );
    assert_eq!(selected(&s), (2, "pod-002".into()));
    // Deleting the selected pod selects the one that takes its place.
    update(
        &mut s,
        Msg::PodDeleted {
            scope: WatchScope::All,
            key: key("ns", "pod-002"),
        },
    );
    assert_eq!(selected(&s), (2, "pod-003".into()));
    // Deleting the last one selects the new last.
    update(&mut s, press('G'));
    update(
        &mut s,
        Msg::PodDeleted {
            scope: WatchScope::All,
            key: key("ns", "pod-004"),
        },
    );
    assert_eq!(selected(&s), (2, "pod-003".into()));
}

#[test]
fn relist_drops_pods_of_its_scope_that_are_gone() {
    let mut s = state();
    update(
        &mut s,
        applied(vec![row("a", "p1"), row("a", "p2"), row("b", "p3")]),
    );
    let scope = WatchScope::Namespace("a".into());
    update(
        &mut s,
        Msg::PodsRelisted {
            scope,
            keys: vec![key("a", "p2")],
        },
    );
    let keys: Vec<_> = s
        .store
        .rows()
        .keys()
        .map(|k| format!("{}/{}", k.namespace, k.name))
        .collect();
    assert_eq!(keys, ["a/p2", "b/p3"]);
    assert_eq!(selected(&s), (0, "p2".into()));
}

#[test]
fn connecting_starts_watches_of_the_chosen_namespaces() {
    let mut s = State::new("ctx", NamespaceChoice::ContextDefault, now());
    let effects = update(
        &mut s,
        Msg::Connected {
            context: "prod".into(),
            default_namespace: "c2a7dv".into(),
        },
    );
    let namespaces = Namespaces::List(vec!["c2a7dv".into()]);
    assert_eq!(effects, vec![Effect::StartPodWatch { namespaces }]);
    assert_eq!(s.cluster.context, "prod");
    assert_eq!(s.cluster.connection, Connection::Listing);

    let mut s = State::new(
        "ctx",
        NamespaceChoice::List(vec!["a".into(), "b".into()]),
        now(),
    );
    update(
        &mut s,
        Msg::Connected {
            context: "prod".into(),
            default_namespace: "x".into(),
        },
    );
    update(
        &mut s,
        Msg::PodsRelisted {
            scope: WatchScope::Namespace("a".into()),
            keys: vec![],
        },
    );
    assert_eq!(
        s.cluster.connection,
        Connection::Listing,
        "b has not listed yet"
    );
    update(
        &mut s,
        Msg::PodsRelisted {
            scope: WatchScope::Namespace("b".into()),
            keys: vec![],
        },
    );
    assert_eq!(s.cluster.connection, Connection::Live);

    let mut s = State::new("ctx", NamespaceChoice::All, now());
    let effects = update(
        &mut s,
        Msg::Connected {
            context: "c".into(),
            default_namespace: "x".into(),
        },
    );
    assert_eq!(
        effects,
        vec![Effect::StartPodWatch {
            namespaces: Namespaces::All
        }]
    );
}

#[test]
fn connection_failure_sets_one_sentence() {
    let mut s = state();
    let sentence =
        "Cannot use the kubeconfig (no such file); check --kubeconfig, $KUBECONFIG and --context.";
    let effects = update(&mut s, Msg::ConnectionFailed(sentence.into()));
    assert!(effects.is_empty());
    assert_eq!(s.cluster.connection, Connection::Failed(sentence.into()));
}

#[test]
fn watch_errors_show_until_the_watch_recovers() {
    let mut s = state();
    update(
        &mut s,
        Msg::Connected {
            context: "c".into(),
            default_namespace: "x".into(),
        },
    );
    let error = "Cannot reach the cluster (connection refused); retrying.".to_string();
    update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::All,
            error: error.clone(),
            forbidden: false,
        },
    );
    assert_eq!(s.cluster.connection, Connection::Retrying(error));
    update(
        &mut s,
        Msg::PodsRelisted {
            scope: WatchScope::All,
            keys: vec![],
        },
    );
    assert_eq!(s.cluster.connection, Connection::Live);
}

#[test]
fn ticks_move_the_clock() {
    let mut s = with_pods(1);
    let later = now() + chrono::TimeDelta::seconds(1);
    update(&mut s, Msg::Tick(later));
    assert_eq!(s.now, later);
}

/// 10,000 pods stay small because their strings are shared (PERFORMANCE.md P1): a namespace
/// and a node are stored once, and a pod's name once for its row, its key and the order.
#[test]
fn rows_share_namespace_node_and_name_strings() {
    use std::sync::Arc;
    let mut s = state();
    let mut a = row("t4k9pz", "a");
    let mut b = row("t4k9pz", "b");
    a.node = "ip-10-42-10-20".into();
    b.node = "ip-10-42-10-20".into();
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![a.clone(), b],
        },
    );
    // The same pod again, as a watch event sends it: a freshly decoded copy.
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![a],
        },
    );
    let rows: Vec<_> = s.store.rows().values().collect();
    assert!(Arc::ptr_eq(&rows[0].namespace, &rows[1].namespace));
    assert!(Arc::ptr_eq(&rows[0].node, &rows[1].node));
    let (key, row) = s.store.rows().iter().next().expect("a row");
    assert!(Arc::ptr_eq(&key.name, &row.name));
    assert!(Arc::ptr_eq(&pod_table(&s).order[0].name, &row.name));
}
