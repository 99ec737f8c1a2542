//! The guarded delete through `update`: what ctrl-d asks about (marks, the filter's hidden
//! marks), the checks, `y` vs the name typed back, the options, and the read-only/RBAC gate.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Effect;
use kterm::app::msg::Msg;
use kterm::app::mutation::Mutation;
use kterm::app::screen::Modal;
use kterm::app::update::update;
use kterm::kube::deps::{Impact, Level, Warning};
use kterm::kube::mutate::{Access, Propagation};

use super::fixtures::{apply_rows, draw, row, state};

fn press(s: &mut kterm::app::state::State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

fn ch(s: &mut kterm::app::state::State, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c), KeyModifiers::NONE)
}

fn ctrl(s: &mut kterm::app::state::State, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_str(s: &mut kterm::app::state::State, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

/// A state with three pods of t4k9pz, connected, delete allowed by RBAC.
fn three_pods() -> kterm::app::state::State {
    let mut s = state();
    s.cluster.context = "test".into();
    s.cluster.connection = kterm::app::state::Connection::Live;
    apply_rows(
        &mut s,
        vec![
            row("t4k9pz", "appserver-a"),
            row("t4k9pz", "appserver-b"),
            row("t4k9pz", "lockserver-c"),
        ],
    );
    allow(&mut s, "pods", true);
    s
}

fn allow(s: &mut kterm::app::state::State, resource: &str, yes: bool) {
    let access = Access {
        verb: "delete".into(),
        group: String::new(),
        resource: resource.into(),
        subresource: None,
        namespace: Some("t4k9pz".into()),
    };
    s.rights.insert(access, Ok(yes));
}

fn dialog(s: &kterm::app::state::State) -> &kterm::app::delete::DeleteDialog {
    match &s.modal {
        Some(Modal::Delete(d)) => d,
        other => panic!("no delete dialog: {other:?}"),
    }
}

/// Fills every object's impact as the checks would.
fn checked(s: &mut kterm::app::state::State, impact: Impact) {
    if let Some(Modal::Delete(d)) = &mut s.modal {
        for item in &mut d.items {
            item.impact = Some(impact.clone());
        }
    }
}

fn low() -> Impact {
    Impact {
        warnings: vec![Warning {
            level: Level::Info,
            text: "ReplicaSet appserver-4f6d will recreate it".into(),
        }],
        high: vec![],
        after: vec![],
    }
}

fn high() -> Impact {
    Impact {
        warnings: vec![Warning {
            level: Level::Danger,
            text: "Service smartclient-html-prd will have 0 ready endpoints".into(),
        }],
        high: vec!["the last ready endpoint of Service smartclient-html-prd".into()],
        after: vec![],
    }
}

fn deletes(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate(Mutation::Delete { target, .. }) => Some(target.name.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn ctrl_d_checks_first_and_y_deletes_a_low_impact_pod() {
    let mut s = three_pods();
    let effects = ctrl(&mut s, 'd');
    let asked: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::CheckImpact { targets, .. } => Some(targets.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert_eq!(asked[0][0].name, "appserver-a");
    assert!(draw(&s, 120, 30).contains("checking what depends on it"));
    // While checking, y does nothing but say so.
    assert!(deletes(&ch(&mut s, 'y')).is_empty());
    assert!(s.modal.is_some());
    checked(&mut s, low());
    let screen = draw(&s, 120, 30);
    assert!(
        screen.contains("ReplicaSet appserver-4f6d will recreate it"),
        "{screen}"
    );
    assert!(screen.contains("y yes · n no (default)"), "{screen}");
    assert_eq!(deletes(&ch(&mut s, 'y')), vec!["appserver-a".to_string()]);
    assert!(s.modal.is_none());
}

#[test]
fn enter_says_no_by_default() {
    let mut s = three_pods();
    ctrl(&mut s, 'd');
    checked(&mut s, low());
    let effects = press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert!(deletes(&effects).is_empty());
    assert!(s.modal.is_none());
    assert_eq!(s.message.as_deref(), Some("Nothing was changed."));
}

#[test]
fn a_high_impact_delete_wants_the_name_typed_back() {
    let mut s = three_pods();
    ctrl(&mut s, 'd');
    checked(&mut s, high());
    let screen = draw(&s, 120, 30);
    assert!(screen.contains("Type appserver-a to confirm"), "{screen}");
    // y and n are letters of a name here: they type, they do not answer.
    assert!(deletes(&ch(&mut s, 'y')).is_empty());
    assert!(s.modal.is_some());
    assert_eq!(dialog(&s).typed, "y");
    press(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    type_str(&mut s, "appserver-");
    assert!(deletes(&press(&mut s, KeyCode::Enter, KeyModifiers::NONE)).is_empty());
    assert!(s.modal.is_some(), "a wrong name does not delete");
    ch(&mut s, 'a');
    let effects = press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(deletes(&effects), vec!["appserver-a".to_string()]);
}

#[test]
fn options_cycle_and_reach_the_delete() {
    let mut s = three_pods();
    ctrl(&mut s, 'd');
    checked(&mut s, low());
    press(&mut s, KeyCode::Tab, KeyModifiers::NONE);
    ctrl(&mut s, 'g');
    ctrl(&mut s, 'g');
    assert!(draw(&s, 120, 30).contains("propagation Foreground · grace 5s · force off"));
    ctrl(&mut s, 'f');
    assert!(draw(&s, 120, 30).contains("grace 0 (force) · force on"));
    let effects = ch(&mut s, 'y');
    match effects.as_slice() {
        [Effect::Mutate(Mutation::Delete { options, .. })] => {
            assert_eq!(options.propagation, Propagation::Foreground);
            assert!(options.force);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn marked_rows_delete_together_and_hidden_marks_are_counted() {
    let mut s = three_pods();
    ch(&mut s, ' '); // marks appserver-a, moves to appserver-b
    ch(&mut s, ' '); // marks appserver-b
    assert!(draw(&s, 120, 30).contains("● appserver-a") || draw(&s, 120, 30).contains("●"));
    // A filter that hides appserver-b.
    ch(&mut s, '/');
    type_str(&mut s, "-a");
    press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    ctrl(&mut s, 'd');
    let d = dialog(&s);
    assert_eq!(d.items.len(), 2);
    assert_eq!(d.hidden_marked, 1);
    assert!(draw(&s, 120, 30).contains("Delete 2 marked objects (1 hidden by the filter)?"));
    checked(&mut s, high());
    type_str(&mut s, "2");
    let effects = press(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(deletes(&effects).len(), 2);
    assert!(super::fixtures::pod_table(&s).marked.is_empty());
}

#[test]
fn read_only_refuses_every_mutation_and_says_so() {
    let mut s = three_pods();
    s.readonly.flag = true;
    for key in ['d', 'k'] {
        let effects = ctrl(&mut s, key);
        assert!(effects.is_empty(), "{effects:?}");
        assert!(s.modal.is_none());
        let msg = s.message.clone().unwrap_or_default();
        assert!(msg.starts_with("kterm is read-only (--readonly)"), "{msg}");
    }
    assert!(ch(&mut s, 's').is_empty(), "no shell in read-only");
    assert!(ch(&mut s, 'e').is_empty(), "no edit in read-only");
    assert_eq!(
        s.message.as_deref(),
        Some("kterm is read-only (--readonly): edit is off.")
    );
    s.message = None;
    ch(&mut s, ':');
    type_str(&mut s, "edit cj/protheus-updater");
    assert!(press(&mut s, KeyCode::Enter, KeyModifiers::NONE).is_empty());
    assert_eq!(
        s.message.as_deref(),
        Some("kterm is read-only (--readonly): edit is off.")
    );
    assert!(draw(&s, 120, 30).contains("READ-ONLY"));
    ch(&mut s, '?');
    assert!(draw(&s, 140, 60).contains("[off: read-only, --readonly]"));
}

#[test]
fn a_context_read_only_by_config_is_read_only() {
    let mut s = three_pods();
    s.readonly.contexts.insert("test".into());
    ctrl(&mut s, 'd');
    assert!(s.modal.is_none());
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("readonly for this context in config.yaml")));
}

#[test]
fn rbac_is_asked_before_the_dialog_and_a_no_is_explained() {
    let mut s = three_pods();
    s.rights.clear();
    let effects = ctrl(&mut s, 'd');
    let access = match effects.as_slice() {
        [Effect::CheckAccess { accesses }] => accesses[0].clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(access.verb, "delete");
    assert_eq!(access.resource, "pods");
    assert!(s.modal.is_none(), "no dialog before the answer");
    update(
        &mut s,
        Msg::AccessChecked {
            access: access.clone(),
            allowed: Ok(false),
        },
    );
    assert!(s.modal.is_none());
    let msg = s.message.clone().unwrap_or_default();
    assert!(
        msg.starts_with("You may not delete pods in t4k9pz"),
        "{msg}"
    );
    ch(&mut s, '?');
    let help = draw(&s, 160, 70);
    assert!(
        help.contains("[not allowed: you may not delete pods in t4k9pz]"),
        "{help}"
    );
}

#[test]
fn a_yes_from_rbac_opens_the_dialog_it_waited_for() {
    let mut s = three_pods();
    s.rights.clear();
    let effects = ctrl(&mut s, 'd');
    let Some(Effect::CheckAccess { accesses }) = effects.first() else {
        panic!("{effects:?}");
    };
    let effects = update(
        &mut s,
        Msg::AccessChecked {
            access: accesses[0].clone(),
            allowed: Ok(true),
        },
    );
    assert!(matches!(s.modal, Some(Modal::Delete(_))));
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::CheckImpact { .. })));
}

#[test]
fn the_runbook_follow_up_is_said_again_after_the_delete() {
    let mut s = three_pods();
    ctrl(&mut s, 'd');
    let mut impact = low();
    impact.after = vec!["appserver-a is gone: create the control flag files".into()];
    checked(&mut s, impact);
    assert_eq!(deletes(&ch(&mut s, 'y')).len(), 1);
    update(
        &mut s,
        Msg::Mutated {
            sentence: "Deleted pod t4k9pz/appserver-a.".into(),
        },
    );
    assert_eq!(
        s.message.as_deref(),
        Some("Deleted pod t4k9pz/appserver-a. Next: appserver-a is gone: create the control flag files.")
    );
    // Said once: a later sentence about the same object carries nothing more.
    update(
        &mut s,
        Msg::Mutated {
            sentence: "Deleted pod t4k9pz/appserver-a.".into(),
        },
    );
    assert_eq!(
        s.message.as_deref(),
        Some("Deleted pod t4k9pz/appserver-a.")
    );
}
