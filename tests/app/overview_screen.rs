//! The overview screen driven through `update`: landing, live rows, enter and esc, `H`, and
//! what the cache computes again when the clock or a change moves (P11).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::overview::TenantState;
use kterm::app::screen::Screen;
use kterm::app::state::{NamespaceChoice, State};
use kterm::app::update::overview::land;
use kterm::app::update::update;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::pods::PodRow;
use kterm::kube::resources::{ResourceChange, ResourceEvent};
use serde_json::json;

use super::fixtures::{apply_rows, now, row};
use super::overview::{pod, service};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn overview(s: &State) -> &kterm::app::overview::screen::OverviewScreen {
    match s.screen() {
        Some(Screen::Overview(view)) => view,
        other => panic!("the overview is not on top: {other:?}"),
    }
}

/// A state watching every namespace, landed, with two tenants' pods: `down`'s only
/// smartclient pod not ready behind its Service, `up` all ready.
fn landed() -> State {
    let mut s = State::new("test", NamespaceChoice::All, now());
    land(&mut s);
    let mut broken = pod("down", "smartclient-prd-abc-1", "smartclient", "production");
    broken.ready = 0;
    let rows: Vec<PodRow> = vec![
        pod("down", "appserver-prd-abc-1", "appserver", "production"),
        broken,
        pod("up", "appserver-prd-abc-1", "appserver", "production"),
        row("up", "standalone"),
    ];
    apply_rows(&mut s, rows);
    update(
        &mut s,
        Msg::Health(ResourceEvent {
            kind: ResourceKind::Service,
            scope: WatchScope::All,
            change: ResourceChange::Applied(vec![service(
                "down",
                "smartclient-prd",
                json!({"app": "smartclient", "env": "production"}),
            )]),
        }),
    );
    s
}

#[test]
fn a_tenant_going_down_while_open_raises_an_alert_once() {
    let mut s = landed();
    s.cluster.connection = kterm::app::state::Connection::Live;
    // The first look learns what is already down: no alert for `down`.
    update(&mut s, Msg::Tick(now()));
    assert!(s.alerts.list.is_empty(), "{:?}", s.alerts.list);
    // `up`'s only appserver stops being ready behind a Service: DOWN.
    update(
        &mut s,
        Msg::Health(ResourceEvent {
            kind: ResourceKind::Service,
            scope: WatchScope::All,
            change: ResourceChange::Applied(vec![service(
                "up",
                "appserver-prd",
                json!({"app": "appserver", "env": "production"}),
            )]),
        }),
    );
    let mut sick = pod("up", "appserver-prd-abc-1", "appserver", "production");
    sick.ready = 0;
    apply_rows(&mut s, vec![sick]);
    update(&mut s, Msg::Tick(now()));
    let texts: Vec<String> = s.alerts.list.iter().map(|a| a.text.clone()).collect();
    assert_eq!(
        texts,
        vec!["up production: Service appserver-prd has no ready endpoint".to_string()]
    );
    // Still down at the next tick: no second alert.
    update(&mut s, Msg::Tick(now()));
    assert_eq!(s.alerts.list.len(), 1);
}

#[test]
fn several_tenants_land_on_the_overview_one_does_not() {
    let mut s = State::new("test", NamespaceChoice::List(vec!["a".into()]), now());
    land(&mut s);
    assert!(matches!(s.screen(), Some(Screen::Pods(_))));
    let mut s = State::new(
        "test",
        NamespaceChoice::List(vec!["a".into(), "b".into()]),
        now(),
    );
    land(&mut s);
    assert!(matches!(s.screen(), Some(Screen::Overview(_))));
}

#[test]
fn rows_follow_the_watches_worst_first() {
    let s = landed();
    let rows = &overview(&s).rows;
    assert_eq!(rows[0].namespace, "down");
    assert_eq!(rows[0].state, TenantState::Down);
    assert_eq!(
        rows[0].reasons[0],
        "Service smartclient-prd has no ready endpoint"
    );
    assert!(
        rows[1..].iter().all(|r| r.state == TenantState::Up),
        "{rows:#?}"
    );
    let text = super::fixtures::draw(&s, 160, 20);
    assert!(text.contains("✖ DOWN      down production"), "{text}");
    assert!(text.contains("✓ UP"), "{text}");
}

#[test]
fn the_cursor_stays_on_the_worst_row_until_the_user_moves_it() {
    let mut s = State::new("test", NamespaceChoice::All, now());
    land(&mut s);
    // The healthy tenant arrives first and is the only row, so the cursor is on it...
    apply_rows(&mut s, vec![row("up", "p")]);
    let mut broken = row("down", "p");
    broken.ready = 0;
    apply_rows(&mut s, vec![broken]);
    // ...and moves to the worse one that came after, as the user has not moved it.
    let view = overview(&s);
    assert_eq!(view.selected().map(|r| r.namespace.as_str()), Some("down"));
    update(&mut s, key(KeyCode::Char('j')));
    assert_eq!(
        overview(&s).selected().map(|r| r.namespace.as_str()),
        Some("up")
    );
}

#[test]
fn enter_opens_the_tenants_pods_problems_first_and_esc_comes_back() {
    let mut s = landed();
    update(&mut s, key(KeyCode::Enter));
    let table = match s.screen() {
        Some(Screen::Pods(table)) => table,
        other => panic!("no pod table: {other:?}"),
    };
    let names: Vec<&str> = table.order.iter().map(|k| &*k.name).collect();
    assert_eq!(names, ["smartclient-prd-abc-1", "appserver-prd-abc-1"]);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(overview(&s).rows[0].namespace, "down");
    // Esc again: the pod table of every tenant under it.
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.screen(), Some(Screen::Pods(_))));
    // `H` brings the overview back.
    update(&mut s, key(KeyCode::Char('H')));
    assert_eq!(overview(&s).rows[0].namespace, "down");
}

/// P11: at 500 tenants, a page of pods in one namespace and a tick recompute that
/// namespace and the clock's share of the others, never all 500 (counted, not timed).
#[test]
fn a_change_recomputes_only_its_namespace() {
    let mut s = State::new("test", NamespaceChoice::All, now());
    land(&mut s);
    let rows = ready_tenants(500);
    apply_rows(&mut s, rows);
    assert_eq!(overview(&s).rows.len(), 500);
    let before = s.overview_cache.computed;
    let mut sick = pod("t042", "appserver-prd-abc-1", "appserver", "production");
    sick.ready = 0;
    apply_rows(&mut s, vec![sick]);
    assert_eq!(s.overview_cache.computed - before, 1, "only t042 again");
    let t042 = overview(&s)
        .rows
        .iter()
        .find(|r| r.namespace == "t042")
        .map(|r| r.state);
    assert_eq!(t042, Some(TenantState::Degraded));
    // A second of clock: about 1/60 of the namespaces come round, not all of them.
    let before = s.overview_cache.computed;
    update(&mut s, Msg::Tick(now() + chrono::TimeDelta::seconds(1)));
    let swept = s.overview_cache.computed - before;
    assert!(
        (1..=20).contains(&swept),
        "{swept} namespaces for one second of clock"
    );
    // An hour later every namespace has come round.
    let before = s.overview_cache.computed;
    update(&mut s, Msg::Tick(now() + chrono::TimeDelta::hours(1)));
    assert!(s.overview_cache.computed - before >= 490);
}

/// `n` tenants (`t000`…) of 4 ready appserver pods each.
fn ready_tenants(n: usize) -> Vec<PodRow> {
    (0..n)
        .flat_map(|t| {
            (0..4).map(move |i| {
                pod(
                    &format!("t{t:03}"),
                    &format!("appserver-prd-abc-{i}"),
                    "appserver",
                    "production",
                )
            })
        })
        .collect()
}

/// 500 tenants of 4 ready pods, landed on the overview; `t007` has one pod OOM-killed
/// 30 minutes ago.
fn five_hundred_tenants() -> State {
    let mut s = State::new("test", NamespaceChoice::All, now());
    land(&mut s);
    let mut rows = ready_tenants(500);
    let at = now() - chrono::TimeDelta::minutes(30);
    rows.push(PodRow {
        restarts: 1,
        last_restart: Some(at),
        last_termination: Some(kterm::kube::pods::LastTermination {
            reason: "OOMKilled".into(),
            exit_code: 137,
            finished_at: Some(at),
        }),
        ..pod("t007", "appserver-prd-abc-9", "appserver", "production")
    });
    apply_rows(&mut s, rows);
    s
}

/// P11: `H` after minutes on the pod table computes again only the namespaces the clock
/// changed meanwhile (a full computation at 150,000 pods took 150 ms), and they read as a
/// full computation would (counted, not timed).
#[test]
fn opening_after_a_while_computes_only_what_the_clock_changed() {
    let mut s = five_hundred_tenants();
    let t007 = |s: &State| {
        overview(s)
            .rows
            .iter()
            .find(|r| r.namespace == "t007")
            .map(|r| r.reasons.clone())
    };
    assert_eq!(
        t007(&s),
        Some(vec!["Pod appserver-prd-abc-9 was OOM-killed 30m ago".into()])
    );
    update(&mut s, key(KeyCode::Esc));
    for minute in 1..=3 {
        update(
            &mut s,
            Msg::Tick(now() + chrono::TimeDelta::minutes(minute)),
        );
    }
    let before = s.overview_cache.computed;
    update(&mut s, key(KeyCode::Char('H')));
    assert_eq!(s.overview_cache.computed - before, 1, "only t007 again");
    assert_eq!(
        t007(&s),
        Some(vec!["Pod appserver-prd-abc-9 was OOM-killed 33m ago".into()])
    );
    // Past the hour the kill no longer degrades t007: computed again, it moves down.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, Msg::Tick(now() + chrono::TimeDelta::minutes(31)));
    update(&mut s, key(KeyCode::Char('H')));
    assert_eq!(t007(&s), Some(vec![]));
    assert!(overview(&s).rows.iter().all(|r| r.state == TenantState::Up));
}

/// P11: a minute of idle clock computes again the namespaces the clock changed (t007's
/// "30m ago" turns "31m ago") and the slow sweep's share of the others, not every
/// namespace (counted, not timed).
#[test]
fn an_idle_minute_computes_what_the_clock_changed() {
    let mut s = five_hundred_tenants();
    let before = s.overview_cache.computed;
    // A minute and a bit: a namespace computed meanwhile may lag `CLOCK_ROUND` behind.
    for second in 1..=70 {
        update(
            &mut s,
            Msg::Tick(now() + chrono::TimeDelta::seconds(second)),
        );
    }
    let computed = s.overview_cache.computed - before;
    // t007, and one namespace a second of the slow sweep (the old sweep: all 500).
    assert!((50..=101).contains(&computed), "{computed} in 70 s");
    let t007 = overview(&s).rows.iter().find(|r| r.namespace == "t007");
    assert_eq!(
        t007.map(|r| r.reasons.clone()),
        Some(vec!["Pod appserver-prd-abc-9 was OOM-killed 31m ago".into()])
    );
}

/// P11: a change moves only its namespace's row in the order; the other rows on screen
/// are the same rows, not copies (counted, not timed).
#[test]
fn a_change_moves_only_its_row() {
    let mut s = five_hundred_tenants();
    let before = s.overview_cache.ordered;
    let shown: Vec<_> = overview(&s).rows.clone();
    let mut sick = pod("t042", "appserver-prd-abc-1", "appserver", "production");
    sick.ready = 0;
    apply_rows(&mut s, vec![sick]);
    assert_eq!(s.overview_cache.ordered - before, 1, "only t042's row");
    let rows = &overview(&s).rows;
    assert_eq!(rows[1].namespace, "t042", "second worst, after t007");
    let kept = rows
        .iter()
        .filter(|r| shown.iter().any(|old| std::sync::Arc::ptr_eq(old, r)))
        .count();
    assert_eq!(kept, 499);
    // The sweep finds nothing new in healthy namespaces: nothing is put in the order.
    let before = s.overview_cache.ordered;
    update(&mut s, Msg::Tick(now() + chrono::TimeDelta::seconds(10)));
    assert_eq!(s.overview_cache.ordered, before);
}
