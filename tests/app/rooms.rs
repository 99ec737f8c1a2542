//! The rooms of the app's middle through `update`: one routing rule (modal, then input line,
//! then the top screen), pastes that never act as keys, one help that scrolls over any screen,
//! a context switch that drops the cluster's screens and store in one place, and a typed
//! namespace that does not exist being named.

use std::sync::Arc;

use crossterm::event::KeyCode;
use kterm::app::effect::{Effect, FetchPurpose};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::screen::{LineKind, Modal, Screen};
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::fetch::FetchedObject;
use kterm::kube::kinds::ResourceKind;

use super::commands::{code, command, connected, typed};
use super::fixtures::{apply_rows, help_scroll, pod_table, row};
use super::object_views::object;

fn with_pods() -> State {
    let mut s = connected();
    let rows = (0..30)
        .map(|i| row("a", &format!("appserver-{i:02}")))
        .collect();
    apply_rows(&mut s, rows);
    s
}

#[test]
fn a_paste_goes_into_the_open_line_and_never_runs_as_keys() {
    let mut s = with_pods();
    update(&mut s, code(KeyCode::Char('/')));
    let effects = update(&mut s, Msg::Paste("appserver-0\nq".into()));
    assert!(effects.is_empty() && !s.quitting, "{effects:?}");
    assert_eq!(s.line_of(LineKind::Filter), Some("appserver-0 q"));
    // The pasted text filters like typed text ("appserver-0 q" matches no pod).
    assert_eq!(pod_table(&s).order.len(), 0);
    // With nothing open, a paste is dropped with a sentence: `q` in it quits nothing.
    update(&mut s, code(KeyCode::Esc));
    let effects = update(&mut s, Msg::Paste("q".into()));
    assert!(effects.is_empty() && !s.quitting);
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("input line")));
    // Into a picker, the paste narrows its list.
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, code(KeyCode::Char('t')));
    update(&mut s, Msg::Paste("zz\r\n".into()));
    match &s.modal {
        Some(Modal::Picker(p)) => assert_eq!(p.query, "zz  "),
        other => panic!("picker expected, got {other:?}"),
    }
}

#[test]
fn the_modal_takes_keys_before_the_line_and_the_screen() {
    let mut s = with_pods();
    update(&mut s, code(KeyCode::Char('?')));
    // `j` scrolls the help (when taller than the screen) instead of moving the table.
    s.size = (80, 10);
    update(&mut s, code(KeyCode::Char('j')));
    assert_eq!(help_scroll(&s), 1);
    assert_eq!(pod_table(&s).selected, 0);
    // `/` is not opened under the help; esc closes the help only.
    update(&mut s, code(KeyCode::Char('/')));
    assert!(s.line.is_none());
    update(&mut s, code(KeyCode::Esc));
    assert!(s.modal.is_none());
    assert_eq!(s.stack.len(), 1);
}

#[test]
fn help_over_a_text_screen_scrolls_too() {
    let mut s = with_pods();
    let effects = update(&mut s, code(KeyCode::Char('y')));
    let Some(Effect::FetchObject { id, purpose, .. }) = effects.first().cloned() else {
        panic!("a fetch: {effects:?}");
    };
    update(
        &mut s,
        Msg::ObjectFetched {
            id,
            purpose,
            fetched: Arc::new(FetchedObject {
                object: object("oom-pod.json"),
                events: Ok(Vec::new()),
            }),
        },
    );
    assert!(matches!(s.screen(), Some(Screen::Text(_))));
    s.size = (80, 8);
    update(&mut s, code(KeyCode::Char('?')));
    update(&mut s, code(KeyCode::Char('j')));
    update(&mut s, code(KeyCode::Char('j')));
    assert_eq!(
        help_scroll(&s),
        2,
        "the text screen's help scrolls like the table's"
    );
    update(&mut s, code(KeyCode::Esc));
    assert!(
        matches!(s.screen(), Some(Screen::Text(_))),
        "esc closed only the help"
    );
}

#[test]
fn a_context_switch_drops_screens_overlays_and_the_store_at_once() {
    let mut s = with_pods();
    s.contexts = vec!["prod".into(), "staging".into()];
    command(&mut s, "deploy");
    update(&mut s, code(KeyCode::Char('/')));
    typed(&mut s, "x");
    update(&mut s, code(KeyCode::Enter));
    let effects = command(&mut s, "ctx staging");
    assert!(effects.contains(&Effect::SwitchContext {
        context: "staging".into()
    }));
    assert_eq!(s.stack.len(), 1);
    assert!(matches!(s.screen(), Some(Screen::Pods(_))));
    assert!(s.store.is_empty() && s.store.counts().is_empty());
    assert!(s.modal.is_none() && s.line.is_none());
    assert_eq!(s.cluster.context, "staging");
    assert_eq!(s.cluster.resource_watch, None);
}

#[test]
fn a_typed_namespace_that_does_not_exist_is_named() {
    let mut s = connected();
    let effects = command(&mut s, "ns t4k9qz");
    let check = effects.iter().find_map(|e| match e {
        Effect::FetchObject {
            id,
            purpose: FetchPurpose::Namespace,
            target,
        } => Some((*id, target.clone())),
        _ => None,
    });
    let (id, target) = check.expect("the namespace is asked for");
    assert_eq!(target.kind, ResourceKind::Namespace);
    assert_eq!(target.name, "t4k9qz");
    update(
        &mut s,
        Msg::ObjectFetchFailed {
            id,
            purpose: FetchPurpose::Namespace,
            error: "The namespace t4k9qz no longer exists (404 Not Found).".into(),
            not_found: true,
        },
    );
    assert_eq!(
        s.message.as_deref(),
        Some("Namespace t4k9qz does not exist; check the name (t lists the tenants kterm knows).")
    );
    // A 403 (a tenant account may not read namespaces) proves nothing and says nothing.
    let mut s = connected();
    let effects = command(&mut s, "ns c2a7dv");
    let Some(Effect::FetchObject { id, .. }) = effects.last().cloned() else {
        panic!("{effects:?}");
    };
    update(
        &mut s,
        Msg::ObjectFetchFailed {
            id,
            purpose: FetchPurpose::Namespace,
            error: "You may not read namespace c2a7dv (403 Forbidden).".into(),
            not_found: false,
        },
    );
    assert_eq!(s.message, None);
}

#[test]
fn the_picker_keeps_the_chosen_item_while_the_query_narrows() {
    use kterm::app::picker::{Picker, PickerItem, PickerKind};
    let item = |value: &str, label: &str| PickerItem {
        value: value.into(),
        label: label.into(),
        ..PickerItem::default()
    };
    let items = vec![
        item("", "all tenants"),
        item("a", "a"),
        item("b", "b (Bee Corp, prd)"),
        item("c", "c"),
    ];
    let mut picker = Picker::new(PickerKind::Tenants, items, "");
    picker.step(3, 10);
    assert_eq!(picker.chosen().map(|i| i.value.as_str()), Some("c"));
    // "c" shows c first, then b (its label says Corp): the cursor stays on c, it does not
    // keep its old index and land on b.
    picker.set_query("c".into(), 10);
    assert_eq!(picker.shown().len(), 2);
    assert_eq!(picker.chosen().map(|i| i.value.as_str()), Some("c"));
    // A window of one item scrolls with the cursor.
    picker.set_query(String::new(), 1);
    picker.step(-1, 1);
    assert_eq!(picker.chosen().map(|i| i.value.as_str()), Some("b"));
    assert_eq!(picker.offset, picker.selected);
}

#[test]
fn pods_that_came_while_a_text_screen_covered_the_table_are_there_after_esc() {
    let mut s = with_pods();
    update(&mut s, code(KeyCode::Char('y')));
    assert!(matches!(s.screen(), Some(Screen::Text(_))));
    apply_rows(&mut s, vec![row("a", "newcomer")]);
    update(
        &mut s,
        Msg::PodDeleted {
            scope: WatchScope::All,
            key: kterm::kube::pods::PodKey::new("a", "appserver-29"),
        },
    );
    update(&mut s, code(KeyCode::Esc));
    assert!(matches!(s.screen(), Some(Screen::Pods(_))));
    let names: Vec<String> = pod_table(&s)
        .order
        .iter()
        .map(|k| k.name.to_string())
        .collect();
    assert!(names.contains(&"newcomer".to_string()), "{names:?}");
    assert!(!names.contains(&"appserver-29".to_string()), "{names:?}");
    assert_eq!(names.len(), 30);
}
