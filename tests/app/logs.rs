//! The log view through `update`: opening it, following and pausing while lines pour in, the
//! previous container, search and filter over the whole ring, the bound and its drop counter,
//! workloads whose pods join and leave, the container picker, saving, and lines drawn inert.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Effect;
use kterm::app::logs::LogView;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::pod_table::PodTable;
use kterm::app::scope::PodScope;
use kterm::app::screen::{LineKind, Modal, Screen};
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::logs::{ContainerInfo, ContainerRole, Containers, LogBatch, LogEvent};
use kterm::kube::pods::PodRow;
use kterm::kube::selector::{LabelSelector, Labels};

use super::commands::{code, connected, typed};
use super::fixtures::{apply_rows, draw, draw_buffer, row};

fn ch(c: char) -> Msg {
    code(KeyCode::Char(c))
}

fn view(s: &State) -> &LogView {
    match s.stack.last() {
        Some(Screen::Logs(v)) => v,
        other => panic!("the log view should be shown, not {other:?}"),
    }
}

fn started(effects: &[Effect]) -> Vec<(u64, kterm::kube::logs::LogRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartLogs { id, request } => Some((*id, request.clone())),
            _ => None,
        })
        .collect()
}

fn stopped(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .flat_map(|e| match e {
            Effect::StopLogs { ids } => ids.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// A batch of `n` lines `prefix i` of container `c`, a millisecond apart.
fn batch(c: &str, prefix: &str, from: usize, n: usize) -> LogEvent {
    let mut b = LogBatch::new(Arc::from(c));
    for i in from..from + n {
        b.text.push_str(&format!("{prefix} {i}"));
        b.ends.push(b.text.len() as u32);
        b.stamps
            .push(1_700_000_000_000_000_000 + i as i64 * 1_000_000);
    }
    LogEvent::Lines(b)
}

/// The pod table with one pod selected, its logs opened with `l`; returns the stream id.
fn opened() -> (State, u64) {
    let mut s = connected();
    s.size = (100, 30);
    apply_rows(&mut s, vec![row("t4k9pz", "appserver-prd-4f6d-5jw7j")]);
    let effects = update(&mut s, ch('l'));
    let starts = started(&effects);
    assert_eq!(starts.len(), 1, "{effects:?}");
    let (id, request) = starts[0].clone();
    assert_eq!(request.pod, "appserver-prd-4f6d-5jw7j");
    assert_eq!(request.containers, Containers::Default);
    assert_eq!(request.tail, Some(500), "the default tail");
    assert!(!request.previous);
    (s, id)
}

fn feed(s: &mut State, id: u64, event: LogEvent) {
    update(s, Msg::Log { id, event });
}

#[test]
fn follows_new_lines_and_pauses_when_scrolled_up_with_a_count_below() {
    let (mut s, id) = opened();
    feed(&mut s, id, batch("appserver", "line", 0, 100));
    assert!(view(&s).following());
    let screen = draw(&s, 100, 30);
    assert!(
        screen.contains("line 99"),
        "the newest line is on screen:\n{screen}"
    );
    assert!(
        screen.contains("following") && screen.contains("100 lines"),
        "{screen}"
    );
    update(&mut s, ch('k'));
    assert!(!view(&s).following(), "scrolling up pauses");
    let top = view(&s).top;
    feed(&mut s, id, batch("appserver", "line", 100, 50));
    assert_eq!(view(&s).top, top, "new lines do not move a paused view");
    let screen = draw(&s, 100, 30);
    assert!(!screen.contains("line 149"), "{screen}");
    assert!(screen.contains("paused, 51 new below"), "{screen}");
    update(&mut s, ch('G'));
    assert!(view(&s).following());
    assert!(draw(&s, 100, 30).contains("line 149"));
}

#[test]
fn p_reads_the_previous_container_and_back() {
    let (mut s, id) = opened();
    feed(&mut s, id, batch("appserver", "line", 0, 10));
    let effects = update(&mut s, ch('p'));
    assert_eq!(stopped(&effects), vec![id]);
    let starts = started(&effects);
    assert_eq!(starts.len(), 1);
    assert!(starts[0].1.previous);
    assert_eq!(view(&s).ring.len(), 0, "the current container's lines went");
    assert!(draw(&s, 100, 30).contains("previous container"));
    // No previous container: the stream says so in one sentence.
    let sentence = "Container appserver of pod x has not restarted, so there is no previous log; p shows the current one.";
    feed(&mut s, starts[0].0, LogEvent::Failed(sentence.into()));
    assert_eq!(s.message.as_deref(), Some(sentence));
    let effects = update(&mut s, ch('p'));
    assert!(!started(&effects)[0].1.previous);
}

#[test]
fn search_finds_an_error_far_back_in_a_full_ring() {
    let (mut s, id) = opened();
    feed(&mut s, id, batch("appserver", "[INFO ] ok", 0, 1000));
    feed(
        &mut s,
        id,
        batch("appserver", "[ERROR] THREAD ERROR boom", 1000, 1),
    );
    for chunk in 0..199 {
        feed(
            &mut s,
            id,
            batch("appserver", "[INFO ] ok", 1001 + chunk * 1000, 1000),
        );
    }
    assert_eq!(
        view(&s).ring.len(),
        200_000,
        "the default ring holds 200,000 lines"
    );
    update(&mut s, ch('/'));
    typed(&mut s, "thread error");
    update(&mut s, code(KeyCode::Enter));
    let v = view(&s);
    let top = v.top.expect("a search pauses on the match");
    assert_eq!(
        v.ring.get(top).map(|(_, t)| t),
        Some("[ERROR] THREAD ERROR boom 1000")
    );
    let screen = draw(&s, 100, 30);
    assert!(
        screen
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("✗ [ERROR]")),
        "{screen}"
    );
    // n wraps back to the same single match.
    update(&mut s, ch('n'));
    assert_eq!(view(&s).top, Some(top));
    update(&mut s, ch('/'));
    typed(&mut s, "nothing like this");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        s.message.as_deref(),
        Some("No line matches \"nothing like this\".")
    );
}

#[test]
fn the_filter_shows_only_matching_lines_and_counts_them() {
    let (mut s, id) = opened();
    feed(&mut s, id, batch("appserver", "[INFO ] fine", 0, 90));
    feed(
        &mut s,
        id,
        batch("appserver", "[WARN ] Memory in use", 90, 10),
    );
    update(&mut s, ch('&'));
    typed(&mut s, "memory");
    update(&mut s, code(KeyCode::Enter));
    let screen = draw(&s, 100, 30);
    assert!(screen.contains("&memory: 10 of 100"), "{screen}");
    // Each letter typed narrows the last filter: only its hits are tested again.
    let examined = |s: &State| view(s).filter.as_ref().map(|f| f.examined);
    update(&mut s, ch('&'));
    update(&mut s, code(KeyCode::Backspace));
    assert_eq!(
        examined(&s),
        Some(100),
        "a shorter filter looks at every line"
    );
    update(&mut s, ch('y'));
    assert_eq!(
        examined(&s),
        Some(10),
        "one more letter looks at the 10 hits only"
    );
    update(&mut s, code(KeyCode::Enter));
    assert!(!screen.contains("fine"), "{screen}");
    assert!(
        screen.contains("! [WARN ] Memory in use 99"),
        "warnings carry a glyph:\n{screen}"
    );
    // New lines are tested as they come.
    feed(
        &mut s,
        id,
        batch("appserver", "[WARN ] Memory in use", 100, 5),
    );
    assert!(draw(&s, 100, 30).contains("&memory: 15 of 105"));
    // Case: exact case finds nothing, `!` inverts.
    update(&mut s, ch('i'));
    assert!(draw(&s, 100, 30).contains("&memory: 0 of 105"));
    update(&mut s, ch('i'));
    update(&mut s, ch('&'));
    update(&mut s, code(KeyCode::Backspace));
    for _ in 0..6 {
        update(&mut s, code(KeyCode::Backspace));
    }
    typed(&mut s, "!memory");
    update(&mut s, code(KeyCode::Enter));
    assert!(draw(&s, 100, 30).contains("&!memory: 90 of 105"));
    update(&mut s, code(KeyCode::Esc));
    assert!(view(&s).filter.is_none(), "esc clears the filter first");
    assert!(matches!(s.stack.last(), Some(Screen::Logs(_))));
}

#[test]
fn the_bound_drops_the_oldest_lines_and_says_how_many() {
    let mut s = connected();
    s.size = (100, 30);
    s.log_settings.buffer = 1000;
    apply_rows(&mut s, vec![row("a", "web-0")]);
    let id = started(&update(&mut s, ch('l')))[0].0;
    feed(&mut s, id, batch("web", "line", 0, 4500));
    let v = view(&s);
    assert_eq!(
        (v.ring.len(), v.ring.dropped(), v.received),
        (1000, 3500, 4500)
    );
    let screen = draw(&s, 100, 30);
    assert!(
        screen.contains("4,500 lines (3,500 oldest dropped)"),
        "{screen}"
    );
}

#[test]
fn escape_sequences_in_a_line_are_drawn_as_text() {
    let (mut s, id) = opened();
    let hostile = "ESC-TEST title \u{1b}]0;pwned\u{7} clip \u{1b}]52;c;cHduZWQ=\u{7} bell \u{7} cursor \u{1b}[2J\u{1b}[H end";
    let mut b = LogBatch::new(Arc::from("appserver"));
    b.text.push_str(hostile);
    b.ends.push(b.text.len() as u32);
    b.stamps.push(1);
    feed(&mut s, id, LogEvent::Lines(b));
    let buffer = draw_buffer(&s, 100, 30);
    let cells: String = buffer.content().iter().map(|c| c.symbol()).collect();
    assert!(
        !cells.contains('\u{1b}') && !cells.contains('\u{7}'),
        "no control byte reaches a cell"
    );
    assert!(cells.contains("^[]0;pwned^G"), "{cells}");
    assert!(cells.contains("^[[2J^[[H end"));
}

#[test]
fn a_megabyte_line_costs_a_screenful() {
    let (mut s, id) = opened();
    let mut b = LogBatch::new(Arc::from("appserver"));
    b.text.push_str(&"x".repeat(1 << 20));
    b.ends.push(b.text.len() as u32);
    b.stamps.push(1);
    feed(&mut s, id, LogEvent::Lines(b));
    feed(&mut s, id, batch("appserver", "after", 0, 1));
    let v = view(&s);
    let (meta, text) = v.ring.get(v.ring.first()).expect("held whole");
    assert_eq!(
        text.len(),
        1 << 20,
        "the line is kept whole for search and save"
    );
    assert!(
        v.rows_of(meta, text, 100, 28) <= 28,
        "it never takes more than the screen"
    );
    assert!(kterm::app::logs::display(text, 100 * 28).len() <= 100 * 28 * 4 + 4);
    let screen = draw(&s, 100, 30);
    assert!(
        screen.contains("after 0"),
        "the next line is still shown:\n{screen}"
    );
}

fn labelled(ns: &str, name: &str, app: &str) -> PodRow {
    PodRow {
        labels: Labels::from_pairs([("app", app)]),
        ..row(ns, name)
    }
}

#[test]
fn a_workloads_view_takes_in_new_pods_and_marks_those_that_go() {
    let mut s = connected();
    s.size = (100, 30);
    apply_rows(
        &mut s,
        vec![
            labelled("t4k9pz", "appserver-prd-4f6d-aaaaa", "appserver"),
            labelled("t4k9pz", "appserver-prd-4f6d-bbbbb", "appserver"),
            labelled("t4k9pz", "dbaccess-prd-0", "dbaccess"),
        ],
    );
    let scope = PodScope {
        namespace: Some("t4k9pz".into()),
        selector: Some(LabelSelector::from_pairs([("app", "appserver")])),
        title: "pods of deploy/appserver-prd".into(),
    };
    s.stack
        .push(Screen::Pods(Box::new(PodTable::scoped(scope))));
    let effects = update(&mut s, ch('a'));
    let starts = started(&effects);
    let pods: Vec<&str> = starts.iter().map(|(_, r)| r.pod.as_str()).collect();
    assert_eq!(
        pods,
        ["appserver-prd-4f6d-aaaaa", "appserver-prd-4f6d-bbbbb"]
    );
    assert!(starts
        .iter()
        .all(|(_, r)| r.containers == Containers::DefaultOrAll));
    feed(&mut s, starts[0].0, batch("appserver", "from a", 0, 1));
    feed(&mut s, starts[1].0, batch("appserver", "from b", 0, 1));
    let screen = draw(&s, 100, 30);
    assert!(
        screen.contains("aaaaa/appserver from a 0"),
        "lines carry a tag:\n{screen}"
    );
    // A replica created after the view opened joins with its whole log.
    let effects = update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![labelled("t4k9pz", "appserver-prd-4f6d-ccccc", "appserver")],
        },
    );
    let joined = started(&effects);
    assert_eq!(joined.len(), 1, "{effects:?}");
    assert_eq!(joined[0].1.pod, "appserver-prd-4f6d-ccccc");
    assert_eq!(joined[0].1.tail, None);
    feed(&mut s, joined[0].0, batch("appserver", "from c", 0, 1));
    let screen = draw(&s, 100, 30);
    assert!(screen.contains("── ccccc pod joined ──"), "{screen}");
    assert!(screen.contains("ccccc/appserver from c 0"), "{screen}");
    // A pod that goes: a marker, and its stream stops.
    let effects = update(
        &mut s,
        Msg::PodDeleted {
            scope: WatchScope::All,
            key: kterm::kube::pods::PodKey::new("t4k9pz", "appserver-prd-4f6d-aaaaa"),
        },
    );
    assert_eq!(stopped(&effects), vec![starts[0].0]);
    assert!(draw(&s, 100, 30).contains("── aaaaa pod left: deleted ──"));
    // The filter counts the tag as part of the line: one pod's lines.
    update(&mut s, ch('&'));
    typed(&mut s, "bbbbb");
    update(&mut s, code(KeyCode::Enter));
    let screen = draw(&s, 100, 30);
    assert!(screen.contains("bbbbb/appserver from b 0"), "{screen}");
    assert!(
        !screen.contains("from c 0") && !screen.contains("from a 0"),
        "{screen}"
    );
    update(&mut s, code(KeyCode::Esc));
    // Leaving the view stops every stream it runs.
    let effects = update(&mut s, code(KeyCode::Esc));
    let mut ids = stopped(&effects);
    ids.sort_unstable();
    assert_eq!(ids, vec![starts[1].0, joined[0].0]);
}

#[test]
fn several_containers_ask_which_one_with_all_as_a_choice() {
    let (mut s, id) = opened();
    let choices = vec![
        ContainerInfo {
            name: "wait-db".into(),
            role: ContainerRole::Init,
        },
        ContainerInfo {
            name: "appserver".into(),
            role: ContainerRole::Regular,
        },
    ];
    feed(&mut s, id, LogEvent::Choose(choices));
    let Some(Modal::Picker(picker)) = &s.modal else {
        panic!("a container picker opens, not {:?}", s.modal);
    };
    let labels: Vec<&str> = picker.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["wait-db (init)", "appserver", "all containers"]);
    update(&mut s, code(KeyCode::Down));
    let effects = update(&mut s, code(KeyCode::Enter));
    let starts = started(&effects);
    assert_eq!(
        starts[0].1.containers,
        Containers::Named("appserver".into())
    );
}

#[test]
fn save_writes_the_shown_lines_and_asks_before_replacing_a_file() {
    let (mut s, id) = opened();
    feed(&mut s, id, batch("appserver", "line", 0, 3));
    let ctrl_s = Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    update(&mut s, ctrl_s.clone());
    let default = s
        .line_of(LineKind::SavePath)
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        default.starts_with("appserver-prd-4f6d-5jw7j_appserver_") && default.ends_with(".log"),
        "the default name says pod, container and time: {default}"
    );
    let effects = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::SaveLines {
        path,
        text,
        lines,
        overwrite,
    }) = effects.first()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(
        (text.as_str(), *lines, *overwrite),
        ("line 0\nline 1\nline 2\n", 3, false)
    );
    update(&mut s, Msg::FileExists(path.clone()));
    assert!(matches!(s.modal, Some(Modal::Confirm(_))));
    let effects = update(&mut s, ch('y'));
    assert!(matches!(
        effects.first(),
        Some(Effect::SaveLines {
            overwrite: true,
            ..
        })
    ));
    // ctrl-u clears the prefilled name at once for another path.
    update(&mut s, ctrl_s.clone());
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, "/tmp/x.log");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(
        matches!(effects.first(), Some(Effect::SaveLines { path, .. }) if path.as_os_str() == "/tmp/x.log"),
        "{effects:?}"
    );
    update(&mut s, Msg::FileExists(path.clone()));
    let effects = update(&mut s, ch('n'));
    assert!(effects.is_empty() && s.modal.is_none());
    assert_eq!(s.message.as_deref(), Some("Nothing was saved."));
}
