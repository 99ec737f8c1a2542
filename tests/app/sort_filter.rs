//! Sorting, filtering and jumping to pods that need a look, through `update` only.

use super::fixtures::pod_table;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::screen::LineKind;
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::pods::PodRow;

use super::fixtures::{draw, now, row, state};

fn press(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, press(c));
    }
}

fn applied(rows: Vec<PodRow>) -> Msg {
    Msg::PodsApplied {
        scope: WatchScope::All,
        rows,
    }
}

fn names(s: &State) -> Vec<String> {
    pod_table(s)
        .visible_rows(&s.store, usize::MAX)
        .map(|r| r.name.to_string())
        .collect()
}

fn selected(s: &State) -> String {
    s.selected_row()
        .map(|r| r.name.to_string())
        .unwrap_or_default()
}

/// a: healthy, b: crash-looping with 7 restarts, c: pending on no node, d: 2 restarts long ago.
fn sample() -> State {
    let mut s = state();
    let a = row("c2a7dv", "a-app");
    let mut b = row("c2a7dv", "b-db");
    b.status = "CrashLoopBackOff".into();
    b.ready = 0;
    b.restarts = 7;
    b.node = "node-b".into();
    let mut c = row("zz9prd", "c-worker");
    c.status = "Pending".into();
    c.ready = 0;
    c.node = "".into();
    c.created = Some(now() - chrono::TimeDelta::minutes(1));
    let mut d = row("aa1tst", "d-cron");
    d.restarts = 2;
    d.created = Some(now() - chrono::TimeDelta::days(3));
    update(&mut s, applied(vec![a, b, c, d]));
    s
}

#[test]
fn sorts_by_each_column_and_reverses() {
    let mut s = sample();
    assert_eq!(
        names(&s),
        ["d-cron", "a-app", "b-db", "c-worker"],
        "key order"
    );
    update(&mut s, press('N'));
    assert_eq!(names(&s), ["a-app", "b-db", "c-worker", "d-cron"]);
    update(&mut s, press('N'));
    assert_eq!(names(&s), ["d-cron", "c-worker", "b-db", "a-app"]);
    update(&mut s, press('T'));
    assert_eq!(
        names(&s),
        ["b-db", "d-cron", "a-app", "c-worker"],
        "most restarts first"
    );
    update(&mut s, press('S'));
    assert_eq!(names(&s), ["b-db", "c-worker", "d-cron", "a-app"]);
    update(&mut s, press('A'));
    assert_eq!(names(&s)[0], "c-worker", "youngest first");
    assert_eq!(names(&s)[3], "d-cron");
    update(&mut s, press('A'));
    assert_eq!(names(&s)[0], "d-cron");
    update(&mut s, press('P'));
    assert_eq!(names(&s), ["d-cron", "a-app", "b-db", "c-worker"]);
    update(&mut s, press('O'));
    assert_eq!(names(&s)[0], "c-worker", "unscheduled first");
    update(&mut s, press('R'));
    assert_eq!(&names(&s)[..2], ["b-db", "c-worker"], "not ready first");
    update(&mut s, press('L'));
    assert_eq!(names(&s).len(), 4);
}

#[test]
fn filter_substring_scoped_inverted_and_regex() {
    let cases: [(&str, &[&str]); 7] = [
        ("CRASH", &["b-db"]),
        ("c2a7", &["a-app", "b-db"]),
        ("status:pend", &["c-worker"]),
        ("ns:aa1", &["d-cron"]),
        ("node:node-b", &["b-db"]),
        ("!ns:c2a7", &["d-cron", "c-worker"]),
        ("name:^(a|c)-", &["a-app", "c-worker"]),
    ];
    for (filter, expected) in cases {
        let mut s = sample();
        update(&mut s, press('/'));
        typed(&mut s, filter);
        update(&mut s, code(KeyCode::Enter));
        assert_eq!(names(&s), expected, "{filter}");
        assert!(s.line_of(LineKind::Filter).is_none());
        update(&mut s, code(KeyCode::Esc));
        assert_eq!(names(&s).len(), 4, "esc clears {filter}");
    }
}

#[test]
fn invalid_regex_keeps_the_previous_filter_and_says_so() {
    let mut s = sample();
    update(&mut s, press('/'));
    typed(&mut s, "status:crash(");
    let message = s.message.clone().unwrap_or_default();
    assert!(message.contains("not a valid regex"), "{message}");
    assert_eq!(names(&s), ["b-db"], "the last valid filter stays");
    update(&mut s, code(KeyCode::Backspace));
    assert_eq!(s.message, None);
}

#[test]
fn selection_follows_the_pod_across_filter_sort_and_live_updates() {
    let mut s = sample();
    update(&mut s, press('j'));
    update(&mut s, press('j'));
    assert_eq!(selected(&s), "b-db");
    update(&mut s, press('/'));
    typed(&mut s, "c2a7");
    assert_eq!((pod_table(&s).selected, selected(&s)), (1, "b-db".into()));
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, applied(vec![row("c2a7dv", "0-new")]));
    assert_eq!((pod_table(&s).selected, selected(&s)), (2, "b-db".into()));
    update(&mut s, press('T'));
    assert_eq!((pod_table(&s).selected, selected(&s)), (0, "b-db".into()));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(selected(&s), "b-db");
}

#[test]
fn jump_to_unhealthy_wraps_both_ways() {
    let mut s = sample();
    // Key order: d-cron, a-app, b-db (crash), c-worker (pending).
    update(&mut s, press('u'));
    assert_eq!(selected(&s), "b-db");
    update(&mut s, press('u'));
    assert_eq!(selected(&s), "c-worker");
    update(&mut s, press('u'));
    assert_eq!(selected(&s), "b-db", "wraps");
    update(&mut s, press('U'));
    assert_eq!(selected(&s), "c-worker", "wraps backwards");
}

/// 10,000 pods in 500 namespaces, listed.
fn ten_thousand_pods() -> State {
    let mut s = state();
    let rows = (0..10_000)
        .map(|i| row(&format!("t{:03}", i % 500), &format!("pod-{i:05}")))
        .collect();
    update(&mut s, applied(rows));
    s
}

#[test]
fn a_filter_keystroke_over_10k_rows_builds_the_order_once() {
    let mut s = ten_thousand_pods();
    update(&mut s, press('/'));
    update(&mut s, press('t'));
    let before = pod_table(&s).order_stats;
    assert_eq!(before.examined, 10_000, "a new filter looks at every row");
    typed(&mut s, "12");
    let after = pod_table(&s).order_stats;
    assert_eq!(
        after.rebuilds - before.rebuilds,
        2,
        "one rebuild per keystroke"
    );
    // "t12" only narrows "t1": it looks at the rows "t1" kept, not all 10k.
    assert_eq!(pod_table(&s).order.len(), 200);
    assert!(after.examined < 10_000, "{}", after.examined);
    // Frames and ticks never rebuild.
    update(&mut s, Msg::Tick(now()));
    let _ = draw(&s, 120, 40);
    assert_eq!(pod_table(&s).order_stats.rebuilds, after.rebuilds);
}

#[test]
fn render_shows_the_sort_arrow_and_the_filter_line() {
    let mut s = sample();
    update(&mut s, press('T'));
    update(&mut s, press('/'));
    typed(&mut s, "status:crash");
    let screen = draw(&s, 120, 40);
    assert!(screen.contains("RESTARTS↓"), "{screen}");
    assert!(screen.contains("/status:crash"), "{screen}");
    assert!(!screen.contains("a-app"), "{screen}");
    update(&mut s, code(KeyCode::Enter));
    assert!(draw(&s, 120, 40).contains("/status:crash 1 of 4 pods"));
}

/// P11: a list arrives as pages; each page patches the shown order from the store's journal
/// instead of walking every row again (counted, not timed), and the order is the one a full
/// rebuild gives.
#[test]
fn a_page_of_pods_patches_the_order_instead_of_rebuilding_it() {
    let mut s = state();
    let page = |p: usize| -> Vec<PodRow> {
        (p * 500..(p + 1) * 500)
            .map(|i| row(&format!("t{:03}", i / 20), &format!("pod-{i:05}")))
            .collect()
    };
    for p in 0..20 {
        update(&mut s, applied(page(p)));
    }
    assert_eq!(pod_table(&s).order.len(), 10_000);
    assert_eq!(
        pod_table(&s).order_stats.examined,
        500,
        "only the page's keys"
    );
    // A pod gone, one new in the middle, one changed: the same order as a rebuild.
    update(
        &mut s,
        Msg::PodDeleted {
            scope: WatchScope::All,
            key: kterm::kube::pods::PodKey::new("t003", "pod-00061"),
        },
    );
    update(
        &mut s,
        applied(vec![row("t003", "pod-00061a"), row("t499", "pod-09999")]),
    );
    assert_eq!(pod_table(&s).order_stats.examined, 2);
    let patched = pod_table(&s).order.clone();
    let expected: Vec<kterm::kube::pods::PodKey> = s.store.rows().keys().cloned().collect();
    assert_eq!(patched, expected);
    // A filter, then none again: the order is rebuilt whole, not patched onto filtered rows.
    update(&mut s, press('/'));
    typed(&mut s, "t00");
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(pod_table(&s).order, expected);
}

/// P11: while the filter line is open, a keystroke is answered from the shown rows' search
/// text, the first one included: no row is read from the store (counted, not timed), and the
/// rows shown are the ones testing every row gives, a pod arriving meanwhile included.
#[test]
fn filter_keystrokes_read_no_rows_while_the_line_is_open() {
    let mut s = ten_thousand_pods();
    update(&mut s, press('/'));
    for c in "pod-001".chars() {
        update(&mut s, press(c));
        let stats = pod_table(&s).order_stats;
        assert_eq!(stats.rows_read, 0, "{c:?} read rows: {stats:?}");
    }
    assert_eq!(pod_table(&s).order.len(), 100);
    let mut late = row("t001", "pod-0017-late");
    late.status = "Pending".into();
    late.ready = 0;
    update(&mut s, applied(vec![late]));
    update(&mut s, press('7'));
    assert_eq!(pod_table(&s).order_stats.rows_read, 0);
    let expected: Vec<kterm::kube::pods::PodKey> = s
        .store
        .rows()
        .keys()
        .filter(|k| k.name.contains("pod-0017"))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 11);
    assert_eq!(pod_table(&s).order, expected);
    // Enter closes the line and lets go of the text; the filter stays.
    update(&mut s, code(KeyCode::Enter));
    assert!(pod_table(&s).search.is_none() && pod_table(&s).hidden.is_empty());
    assert_eq!(pod_table(&s).order, expected);
    let screen = draw(&s, 120, 40);
    assert!(
        screen.contains("/pod-0017 11 of 10001 pods, 1 not ready"),
        "{screen}"
    );
}
