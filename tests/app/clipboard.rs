//! Copies and the mouse through `update`: `c`, the `ns/name` key and `Y` on the pod table and
//! the text view, the log view's lines (on screen, or filtered), the OSC 52 limit, the desktop
//! backend and `clipboard: off`; clicks and the wheel.

use std::sync::Arc;

use base64::Engine;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use kterm::app::clipboard::{Backend, Wrap};
use kterm::app::effect::{ClipboardWrite, Effect, FetchPurpose};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::screen::Screen;
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::fetch::FetchedObject;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::logs::{LogBatch, LogEvent};
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::workloads::SlimDeployment;
use kterm::kube::resources::{ResourceChange, ResourceEvent, ResourceRow};
use serde_json::json;

use super::commands::{code, connected, typed};
use super::fixtures::{apply_rows, pod_table, row};

fn ch(c: char) -> Msg {
    code(KeyCode::Char(c))
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The OSC 52 writes among `effects`, as text.
fn osc52(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Clipboard(ClipboardWrite::Osc52(bytes)) => {
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
            _ => None,
        })
        .collect()
}

fn with_pods(backend: Backend) -> State {
    let mut s = connected();
    s.size = (100, 30);
    s.clipboard = backend;
    apply_rows(
        &mut s,
        (0..40)
            .map(|i| row("t4k9pz", &format!("appserver-{i:02}")))
            .collect(),
    );
    s
}

#[test]
fn c_copies_the_selected_pods_name_through_osc52() {
    let mut s = with_pods(Backend::Osc52(Wrap::Plain));
    update(&mut s, ch('j'));
    let effects = update(&mut s, ch('c'));
    assert_eq!(
        osc52(&effects),
        [format!("\x1b]52;c;{}\x07", b64("appserver-01"))]
    );
    assert_eq!(s.message.as_deref(), Some("Copied appserver-01."));
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::ALT)),
    );
    assert_eq!(
        osc52(&effects),
        [format!("\x1b]52;c;{}\x07", b64("t4k9pz/appserver-01"))]
    );
}

#[test]
fn inside_tmux_the_sequence_is_a_passthrough() {
    let mut s = with_pods(Backend::Osc52(Wrap::Tmux));
    let effects = update(&mut s, ch('c'));
    assert_eq!(
        osc52(&effects),
        [format!(
            "\x1bPtmux;\x1b\x1b]52;c;{}\x07\x1b\\",
            b64("appserver-00")
        )]
    );
}

#[test]
fn y_fetches_the_yaml_and_copies_it_when_it_arrives() {
    let mut s = with_pods(Backend::Osc52(Wrap::Plain));
    let effects = update(&mut s, ch('Y'));
    let Some((id, target)) = effects.iter().find_map(|e| match e {
        Effect::FetchObject {
            id,
            purpose: FetchPurpose::Clipboard,
            target,
        } => Some((*id, target.clone())),
        _ => None,
    }) else {
        panic!("Y asks for the object: {effects:?}");
    };
    assert_eq!(target.name, "appserver-00");
    assert!(
        matches!(s.stack.last(), Some(Screen::Pods(_))),
        "no screen opens"
    );
    let object = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "appserver-00", "namespace": "t4k9pz"}});
    let fetched = Arc::new(FetchedObject {
        object,
        events: Ok(Vec::new()),
    });
    // A stale answer copies nothing.
    let stale = update(
        &mut s,
        Msg::ObjectFetched {
            id: id + 100,
            purpose: FetchPurpose::Clipboard,
            fetched: fetched.clone(),
        },
    );
    assert!(osc52(&stale).is_empty());
    let effects = update(
        &mut s,
        Msg::ObjectFetched {
            id,
            purpose: FetchPurpose::Clipboard,
            fetched,
        },
    );
    let writes = osc52(&effects);
    assert_eq!(writes.len(), 1, "{effects:?}");
    let payload = writes[0]
        .trim_start_matches("\x1b]52;c;")
        .trim_end_matches('\x07');
    let text = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains("name: appserver-00"), "{text}");
    assert!(text.contains("kind: Pod"), "{text}");
    let sentence = s.message.clone().unwrap_or_default();
    assert!(
        sentence.starts_with("Copied the YAML of pod t4k9pz/appserver-00 ("),
        "{sentence}"
    );
}

#[test]
fn the_desktop_backend_gets_the_text_and_off_says_how_to_turn_it_on() {
    let mut s = with_pods(Backend::System);
    let effects = update(&mut s, ch('c'));
    assert_eq!(
        effects,
        [Effect::Clipboard(ClipboardWrite::System(
            "appserver-00".into()
        ))]
    );
    let mut s = with_pods(Backend::Off);
    let effects = update(&mut s, ch('c'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("clipboard: off")));
}

fn batch(from: usize, n: usize, prefix: &str) -> LogEvent {
    let mut b = LogBatch::new(Arc::from("appserver"));
    for i in from..from + n {
        b.text.push_str(&format!("{prefix} {i}"));
        b.ends.push(u32::try_from(b.text.len()).unwrap_or(u32::MAX));
        b.stamps
            .push(1_700_000_000_000_000_000 + i64::try_from(i).unwrap_or(0) * 1_000_000);
    }
    LogEvent::Lines(b)
}

/// A log view of one pod with `lines` lines, on a 100×30 terminal.
fn logs(backend: Backend, lines: usize, prefix: &str) -> State {
    let mut s = connected();
    s.size = (100, 30);
    s.clipboard = backend;
    apply_rows(&mut s, vec![row("t4k9pz", "appserver-prd-4f6d-5jw7j")]);
    let effects = update(&mut s, ch('l'));
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::StartLogs { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or_default();
    update(
        &mut s,
        Msg::Log {
            id,
            event: batch(0, lines, prefix),
        },
    );
    s
}

#[test]
fn in_the_log_view_c_copies_the_lines_on_screen() {
    let mut s = logs(Backend::System, 100, "line");
    let effects = update(&mut s, ch('c'));
    let [Effect::Clipboard(ClipboardWrite::System(text))] = effects.as_slice() else {
        panic!("one copy: {effects:?}");
    };
    let lines: Vec<&str> = text.lines().collect();
    // 30 rows: the header, 27 lines, the message and status rows below.
    assert_eq!(lines.last(), Some(&"line 99"), "the newest line on screen");
    assert!(!lines.contains(&"line 50"), "only what is on screen");
    let n = lines.len();
    assert_eq!(
        s.message.as_deref(),
        Some(format!("Copied {n} lines ({} B).", text.len()).as_str())
    );
}

#[test]
fn with_a_filter_c_copies_every_filtered_line() {
    let mut s = logs(Backend::System, 200, "line");
    typed(&mut s, "&7$");
    update(&mut s, code(KeyCode::Enter));
    let effects = update(&mut s, ch('c'));
    let [Effect::Clipboard(ClipboardWrite::System(text))] = effects.as_slice() else {
        panic!("one copy: {effects:?}");
    };
    let expected: String = (0..200)
        .filter(|i| i % 10 == 7)
        .map(|i| format!("line {i}\n"))
        .collect();
    assert_eq!(text, &expected);
    assert_eq!(s.message.as_deref(), Some("Copied 20 lines (169 B)."));
}

#[test]
fn a_copy_over_the_osc52_limit_is_refused_with_a_sentence() {
    let long = "x".repeat(4000);
    let mut s = logs(Backend::Osc52(Wrap::Plain), 100, &long);
    // Filter on everything: 100 lines of 4 KB are over 100 KB of base64.
    typed(&mut s, "&x");
    update(&mut s, code(KeyCode::Enter));
    let effects = update(&mut s, ch('c'));
    assert!(osc52(&effects).is_empty(), "nothing is written");
    let sentence = s.message.clone().unwrap_or_default();
    assert!(
        sentence.starts_with("Not copied: ") && sentence.contains("100 KB"),
        "{sentence}"
    );
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn a_click_selects_the_row_under_it_and_the_header_is_not_a_row() {
    let mut s = with_pods(Backend::Off);
    // Row 0 is the header; row 5 is the fifth pod.
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 10, 5),
    );
    assert_eq!(pod_table(&s).selected, 4);
    assert_eq!(
        s.selected_row().map(|r| r.name.to_string()).as_deref(),
        Some("appserver-04")
    );
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 10, 0),
    );
    assert_eq!(pod_table(&s).selected, 4, "the header selects nothing");
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Right), 10, 9),
    );
    assert_eq!(pod_table(&s).selected, 4, "only the left button selects");
}

#[test]
fn the_wheel_moves_the_selection_and_scrolls_the_log_view() {
    let mut s = with_pods(Backend::Off);
    update(&mut s, mouse(MouseEventKind::ScrollDown, 10, 5));
    assert_eq!(pod_table(&s).selected, 3, "three rows a notch");
    update(&mut s, mouse(MouseEventKind::ScrollUp, 10, 5));
    assert_eq!(pod_table(&s).selected, 0);

    let mut s = logs(Backend::Off, 100, "line");
    let following = |s: &State| match s.stack.last() {
        Some(Screen::Logs(v)) => v.following(),
        _ => false,
    };
    assert!(following(&s));
    update(&mut s, mouse(MouseEventKind::ScrollUp, 10, 5));
    assert!(!following(&s), "the wheel up pauses and scrolls");
}

fn deployment(name: &str) -> ResourceRow {
    serde_json::from_value::<SlimDeployment>(json!({
        "metadata": {"name": name, "namespace": "t4k9pz"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}}},
        "status": {"readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}
    }))
    .map(Listed::into_row)
    .unwrap_or_else(|e| panic!("decodes: {e}"))
}

#[test]
fn in_a_list_a_click_selects_and_c_copies_the_rows_name() {
    let mut s = with_pods(Backend::System);
    typed(&mut s, ":deploy");
    update(&mut s, code(KeyCode::Enter));
    let rows: Vec<ResourceRow> = (0..5).map(|i| deployment(&format!("api-{i}"))).collect();
    let keys = rows.iter().map(ResourceRow::key).collect();
    for change in [
        ResourceChange::Applied(rows),
        ResourceChange::Relisted(keys),
    ] {
        update(
            &mut s,
            Msg::Resources(ResourceEvent {
                kind: ResourceKind::Deployment,
                scope: WatchScope::All,
                change,
            }),
        );
    }
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 10, 3),
    );
    let Some(Screen::Resources(view)) = s.stack.last() else {
        panic!("the deployment list is shown");
    };
    assert_eq!(view.selected, 2);
    let effects = update(&mut s, ch('c'));
    assert_eq!(
        effects,
        [Effect::Clipboard(ClipboardWrite::System("api-2".into()))]
    );
}

#[test]
fn in_the_yaml_view_y_copies_the_text_and_c_the_name() {
    let mut s = with_pods(Backend::System);
    let effects = update(&mut s, ch('y'));
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchObject {
                id,
                purpose: FetchPurpose::Text,
                ..
            } => Some(*id),
            _ => None,
        })
        .unwrap_or_default();
    // Before the object arrives there is nothing to copy yet.
    assert!(update(&mut s, ch('Y')).is_empty());
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("not arrived")));
    let object = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "appserver-00", "namespace": "t4k9pz",
                     "managedFields": [{"manager": "kubectl"}]}});
    update(
        &mut s,
        Msg::ObjectFetched {
            id,
            purpose: FetchPurpose::Text,
            fetched: Arc::new(FetchedObject {
                object,
                events: Ok(Vec::new()),
            }),
        },
    );
    let effects = update(&mut s, ch('Y'));
    let [Effect::Clipboard(ClipboardWrite::System(text))] = effects.as_slice() else {
        panic!("one copy: {effects:?}");
    };
    assert!(text.contains("name: appserver-00"), "{text}");
    assert!(
        !text.contains("managedFields"),
        "as the view shows it: {text}"
    );
    let effects = update(&mut s, ch('c'));
    assert_eq!(
        effects,
        [Effect::Clipboard(ClipboardWrite::System(
            "appserver-00".into()
        ))]
    );
}

#[test]
fn a_failed_yaml_fetch_says_why_and_copies_nothing() {
    let mut s = with_pods(Backend::System);
    let effects = update(&mut s, ch('Y'));
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchObject { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or_default();
    let sentence = "Pod t4k9pz/appserver-00 is gone; it was deleted.";
    let effects = update(
        &mut s,
        Msg::ObjectFetchFailed {
            id,
            purpose: FetchPurpose::Clipboard,
            error: sentence.into(),
            not_found: true,
        },
    );
    assert!(effects.is_empty());
    assert_eq!(s.message.as_deref(), Some(sentence));
    assert_eq!(s.clipboard_request, None);
}
