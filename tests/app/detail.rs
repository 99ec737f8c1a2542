//! The object views through `update` and on screen: keys ask for fetches, replies land, stale
//! replies are ignored, esc goes back with the table as it was.

use super::fixtures::{apply_rows, pod_table, text_view};
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Effect;
use kterm::app::effect::FetchPurpose;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::objects::TextMode;
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::config::theme::Token;
use kterm::kube::fetch::{FetchedObject, ObjectRef};
use kterm::kube::pods::LastTermination;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::fixtures::{draw, now, row, state};
use super::object_views::{events, object};

fn press(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// 40 pods in t4k9pz; pod-007 is the OOM-killed one.
fn table() -> State {
    let mut s = state();
    update(
        &mut s,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let rows = (0..40)
        .map(|i| {
            let mut r = row("t4k9pz", &format!("pod-{i:03}"));
            if i == 7 {
                r.restarts = 3;
                r.last_termination = Some(LastTermination {
                    reason: "OOMKilled".into(),
                    exit_code: 137,
                    finished_at: Some(now()),
                });
            }
            r
        })
        .collect();
    apply_rows(&mut s, rows);
    s
}

/// The only fetch among `effects`: (id, purpose, target).
fn fetch(effects: &[Effect]) -> (u64, FetchPurpose, ObjectRef) {
    let fetches: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchObject {
                id,
                purpose,
                target,
            } => Some((*id, *purpose, target.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(fetches.len(), 1, "one fetch expected in {effects:?}");
    fetches.into_iter().next().expect("one fetch")
}

fn reply(id: u64, purpose: FetchPurpose) -> Msg {
    Msg::ObjectFetched {
        id,
        purpose,
        fetched: Arc::new(FetchedObject {
            object: object("oom-pod.json"),
            events: Ok(events(3)),
        }),
    }
}

#[test]
fn d_fetches_the_selected_pod_and_the_reply_fills_the_describe_view() {
    let mut s = table();
    let effects = update(&mut s, press('d'));
    let (id, purpose, target) = fetch(&effects);
    assert_eq!(purpose, FetchPurpose::Text);
    assert_eq!(target, ObjectRef::pod("t4k9pz", "pod-000"));
    let view = text_view(&s).expect("the view opens at once");
    assert_eq!(view.mode, TextMode::Describe);
    assert!(draw(&s, 80, 24).contains("Loading pod t4k9pz/pod-000…"));

    assert!(update(&mut s, reply(id, FetchPurpose::Text)).is_empty());
    let view = text_view(&s).expect("still open");
    assert!(view
        .pager
        .lines
        .iter()
        .any(|l| l.text == "      Reason:       OOMKilled"));
    let screen = draw(&s, 80, 24);
    assert!(
        screen.starts_with(" Describe  pod t4k9pz/pod-000"),
        "{screen}"
    );
    assert!(
        screen.contains("Name:             appserver-prd"),
        "{screen}"
    );

    // y switches to the YAML of the same object without asking the server again.
    assert!(update(&mut s, press('y')).is_empty());
    let screen = draw(&s, 120, 40);
    assert!(
        screen.contains("apiVersion: v1") && !screen.contains("managedFields:"),
        "{screen}"
    );
    assert!(screen.contains("managedFields hidden"), "{screen}");
    update(&mut s, press('m'));
    let view = text_view(&s).expect("open");
    assert!(view
        .pager
        .lines
        .iter()
        .any(|l| l.text == "  managedFields:"));
}

#[test]
fn stale_and_failed_replies() {
    let mut s = table();
    let (first, _, _) = fetch(&update(&mut s, press('y')));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, press('j'));
    let (second, _, target) = fetch(&update(&mut s, press('y')));
    assert_ne!(first, second);
    assert_eq!(target.name, "pod-001");
    let revision = s.revision;
    update(&mut s, reply(first, FetchPurpose::Text));
    assert_eq!(s.revision, revision, "a stale reply changes nothing");
    assert!(text_view(&s).is_some_and(|v| v.fetched.is_none()));

    let error = "The pod t4k9pz/pod-001 no longer exists (404 Not Found).".to_string();
    update(
        &mut s,
        Msg::ObjectFetchFailed {
            id: second,
            purpose: FetchPurpose::Text,
            error: error.clone(),
            not_found: false,
        },
    );
    assert_eq!(text_view(&s).and_then(|v| v.error.clone()), Some(error));
    assert!(draw(&s, 80, 24).contains("no longer exists (404 Not Found)."));
    // A reply after the failure (same id) is stale too.
    update(&mut s, reply(second, FetchPurpose::Text));
    assert!(text_view(&s).is_some_and(|v| v.fetched.is_none()));
}

#[test]
fn esc_returns_to_the_table_as_it_was() {
    let mut s = table();
    for _ in 0..30 {
        update(&mut s, press('j'));
    }
    let before = (
        pod_table(&s).selected,
        pod_table(&s).offset,
        pod_table(&s).selected_key.clone(),
    );
    assert!(before.1 > 0, "scrolled: {before:?}");
    let (id, _, _) = fetch(&update(&mut s, press('d')));
    update(&mut s, reply(id, FetchPurpose::Text));
    for c in ['G', 'k', 'g', 'j'] {
        update(&mut s, press(c));
    }
    assert_eq!(text_view(&s).map(|v| v.pager.scroll), Some(1));
    update(&mut s, key(KeyCode::Esc));
    assert!(text_view(&s).is_none());
    assert_eq!(
        (
            pod_table(&s).selected,
            pod_table(&s).offset,
            pod_table(&s).selected_key.clone()
        ),
        before
    );
    assert!(draw(&s, 80, 24).contains("pod-030"));
}

#[test]
fn search_jumps_between_matches() {
    let mut s = table();
    let (id, _, _) = fetch(&update(&mut s, press('d')));
    update(&mut s, reply(id, FetchPurpose::Text));
    update(&mut s, press('/'));
    for c in "exit code".chars() {
        update(&mut s, press(c));
    }
    assert!(draw(&s, 80, 24).contains("/exit code▏"));
    update(&mut s, key(KeyCode::Enter));
    let view = text_view(&s).expect("open");
    let line = view
        .pager
        .lines
        .get(view.pager.scroll)
        .map(|l| l.text.clone())
        .unwrap_or_default();
    assert_eq!(line, "      Exit Code:    137");
    update(&mut s, press('n'));
    let view = text_view(&s).expect("open");
    assert_eq!(
        view.pager.scroll,
        view.pager
            .lines
            .iter()
            .position(|l| l.text.contains("Exit Code"))
            .unwrap_or(0),
        "wraps to the only match"
    );
    update(&mut s, press('/'));
    for c in "nothing-like-this".chars() {
        update(&mut s, press(c));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.message.as_deref(),
        Some("No match for \"nothing-like-this\".")
    );
}

#[test]
fn the_pane_follows_the_selection_and_its_row_but_not_the_clock() {
    let mut s = table();
    let (id, purpose, target) = fetch(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        (purpose, target.name.as_str()),
        (FetchPurpose::Pane, "pod-000")
    );
    assert!(draw(&s, 80, 24).contains("Loading…"));
    update(&mut s, reply(id, FetchPurpose::Pane));
    let screen = draw(&s, 80, 24);
    assert!(
        screen.contains("M Last State: Terminated, Reason: OOMKilled, Exit Code: 137"),
        "{screen}"
    );
    assert!(
        screen.contains("pod t4k9pz/pod-000 — enter/esc closes"),
        "{screen}"
    );

    // Ticks rebuild the ages from the kept object, never fetch.
    assert!(update(&mut s, Msg::Tick(now() + chrono::TimeDelta::minutes(1))).is_empty());
    // Another selection fetches; the previous request is now stale.
    let (next, _, target) = fetch(&update(&mut s, press('j')));
    assert_eq!(target.name, "pod-001");
    update(&mut s, reply(id, FetchPurpose::Pane));
    assert!(
        draw(&s, 80, 24).contains("Loading…"),
        "the stale reply is not shown"
    );
    update(&mut s, reply(next, FetchPurpose::Pane));
    // A watch event changing the selected row fetches again; one about another pod does not.
    let mut changed = row("t4k9pz", "pod-001");
    changed.restarts = 1;
    let effects = update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![changed],
        },
    );
    assert_eq!(fetch(&effects).2.name, "pod-001");
    let mut other = row("t4k9pz", "pod-020");
    other.restarts = 9;
    assert!(update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![other]
        }
    )
    .is_empty());

    // The table shrinks to make room, and the selection stays visible in it.
    assert_eq!(
        kterm::app::layout::pods_body_height(&s),
        10,
        "80x24: 23 rows, 12 for the pane"
    );
    for _ in 0..20 {
        update(&mut s, press('j'));
    }
    assert!(
        pod_table(&s).selected < pod_table(&s).offset + 10,
        "{} {}",
        pod_table(&s).selected,
        pod_table(&s).offset
    );
    // esc closes the pane before it clears a filter; enter closes it too.
    update(&mut s, key(KeyCode::Esc));
    assert!(pod_table(&s).pane.is_none());
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    assert!(pod_table(&s).pane.is_none());
    assert!(
        update(&mut s, press('j')).is_empty(),
        "a closed pane fetches nothing"
    );
}

#[test]
fn oom_lines_have_the_oom_style_and_wide_terminals_put_the_pane_beside() {
    let mut s = table();
    let (id, _, _) = fetch(&update(&mut s, key(KeyCode::Enter)));
    update(&mut s, reply(id, FetchPurpose::Pane));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    terminal.draw(|f| kterm::ui::render(f, &s)).expect("draw");
    let buffer = terminal.backend().buffer();
    let oom = s.theme.style(Token::PodOom);
    let y = (0..40u16)
        .find(|&y| {
            (0..120u16)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .contains("Last State")
        })
        .expect("the last state line");
    let x = (0..120u16)
        .find(|&x| buffer[(x, y)].symbol() == "M")
        .expect("the M glyph");
    assert_eq!(buffer[(x, y)].fg, oom.fg.unwrap_or_default());

    let screen = draw(&s, 200, 50);
    let top = screen.lines().next().unwrap_or_default();
    assert!(
        top.contains("NAME") && top.contains("pod t4k9pz/pod-000"),
        "side by side: {top}"
    );
}

#[test]
fn tiny_terminals_never_panic() {
    let mut s = table();
    let (id, _, _) = fetch(&update(&mut s, key(KeyCode::Enter)));
    update(&mut s, reply(id, FetchPurpose::Pane));
    for (w, h) in [(40, 6), (41, 7), (40, 8), (160, 6), (1, 1), (0, 0)] {
        draw(&s, w, h);
    }
    let (id, _, _) = fetch(&update(&mut s, press('d')));
    update(&mut s, reply(id, FetchPurpose::Text));
    for (w, h) in [(40, 6), (41, 3), (1, 1), (0, 0)] {
        draw(&s, w, h);
    }
    update(
        &mut s,
        Msg::Resize {
            width: 40,
            height: 6,
        },
    );
    for c in ['G', 'j', 'k', 'g'] {
        update(&mut s, press(c));
    }
    assert!(draw(&s, 40, 6).contains("Describe"));
}

#[test]
fn help_in_the_text_view_lists_its_keys() {
    let mut s = table();
    update(&mut s, press('y'));
    update(&mut s, press('?'));
    let screen = draw(&s, 120, 40);
    assert!(screen.contains("YAML / describe view"), "{screen}");
    assert!(
        screen.contains("Show or hide metadata.managedFields in the YAML"),
        "{screen}"
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(
        !s.help_open() && text_view(&s).is_some(),
        "esc closes the help first"
    );
}
