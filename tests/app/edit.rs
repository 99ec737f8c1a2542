//! The edit flow through `update`: each branch (opened, cancelled, broken YAML, rejected, saved,
//! 409 and its three choices, a failing editor, a failure) with the runtime's answers fed as
//! `Msg`s, and the file's path named whenever the edit was not applied.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::KeyCode;
use kterm::app::edit::{EditWhat, Opened, Phase};
use kterm::app::effect::Effect;
use kterm::app::msg::{ChildExit, Msg, WatchScope};
use kterm::app::screen::Modal;
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::edit::render;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::mutate::MutateError;
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::workloads::SlimCronJob;
use kterm::kube::resources::{ResourceChange, ResourceEvent};
use kterm::kube::target::Target;
use serde_json::{json, Value};

use super::commands::{code, command, connected};
use super::fixtures::row;

const FILE: &str = "/state/kterm/edits/cronjob-t4k9pz-protheus-updater-20261206T101500Z.yaml";

fn cronjob() -> Value {
    json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "protheus-updater", "namespace": "t4k9pz", "resourceVersion": "7",
                     "managedFields": [{"manager": "kubectl"}]},
        "spec": {"schedule": "0 3 * * *", "suspend": false, "jobTemplate": {"spec": {"template":
                 {"spec": {"containers": [{"name": "updater", "image": "u:1"}]}}}}},
        "status": {"lastScheduleTime": "2026-12-06T06:00:00Z"}
    })
}

fn target() -> Target {
    Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater")
}

/// The cronjob list with protheus-updater selected.
fn on_cronjobs() -> State {
    let mut s = connected();
    command(&mut s, "cj");
    let row = serde_json::from_value::<SlimCronJob>(cronjob())
        .expect("decodes")
        .into_row();
    update(
        &mut s,
        Msg::Resources(ResourceEvent {
            kind: ResourceKind::CronJob,
            scope: WatchScope::All,
            change: ResourceChange::Applied(vec![row]),
        }),
    );
    s
}

/// `e` pressed and its object opened in the editor: returns the session id.
fn editing(s: &mut State) -> u64 {
    let effects = update(s, code(KeyCode::Char('e')));
    let Some(Effect::EditOpen { id, what }) = effects.first().cloned() else {
        panic!("e opens an edit: {effects:?}");
    };
    assert_eq!(what, EditWhat::Target(target()));
    let effects = update(s, opened(id));
    assert_eq!(
        effects,
        vec![Effect::RunInTerminal {
            program: "vi".into(),
            args: vec![FILE.into()]
        }]
    );
    id
}

fn opened(id: u64) -> Msg {
    Msg::EditOpened(Box::new(Opened {
        id,
        target: target(),
        original: Arc::new(cronjob()),
        path: PathBuf::from(FILE),
        program: "vi".into(),
        args: vec![FILE.into()],
        mine: None,
    }))
}

/// The editor returned and the file was read: `text` is what the user saved.
fn saved(s: &mut State, id: u64, text: &str) -> Vec<Effect> {
    let effects = update(
        s,
        Msg::TerminalReturned {
            program: "vi".into(),
            exit: ChildExit::Code(0),
        },
    );
    assert_eq!(
        effects,
        vec![Effect::EditRead {
            id,
            path: FILE.into()
        }]
    );
    update(
        s,
        Msg::EditRead {
            id,
            text: Ok(text.to_string()),
        },
    )
}

fn suspended_text() -> String {
    render(&cronjob()).replace("suspend: false", "suspend: true")
}

/// The user's change sent: returns the effects of the save.
fn applying(s: &mut State, id: u64) {
    let effects = saved(s, id, &suspended_text());
    let Some(Effect::EditApply {
        target: t,
        object,
        changed,
        ..
    }) = effects.first()
    else {
        panic!("a changed text is saved: {effects:?}");
    };
    assert_eq!(t, &target());
    assert_eq!(changed, &vec!["spec.suspend".to_string()]);
    assert_eq!(object["spec"]["suspend"], json!(true));
    // The PUT carries the resourceVersion read, so a change meanwhile is a 409.
    assert_eq!(object["metadata"]["resourceVersion"], json!("7"));
}

fn message(s: &State) -> String {
    s.message.clone().unwrap_or_default()
}

#[test]
fn e_on_a_pod_row_edits_the_pod() {
    let mut s = connected();
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![row("t4k9pz", "appserver-prd-1")],
        },
    );
    let effects = update(&mut s, code(KeyCode::Char('e')));
    let Some(Effect::EditOpen { what, .. }) = effects.first() else {
        panic!("e opens an edit: {effects:?}");
    };
    assert_eq!(
        what,
        &EditWhat::Target(Target::of(
            ResourceKind::Pod,
            Some("t4k9pz"),
            "appserver-prd-1"
        ))
    );
}

#[test]
fn edit_by_kind_and_name_from_the_command_line() {
    let mut s = connected();
    let effects = command(&mut s, "edit cj/protheus-updater");
    let Some(Effect::EditOpen { what, .. }) = effects.first() else {
        panic!(":edit opens an edit: {effects:?}");
    };
    assert_eq!(
        what,
        &EditWhat::Word {
            word: "cj".into(),
            namespace: Some("default".into()),
            name: "protheus-updater".into()
        }
    );
    // One edit at a time.
    let effects = command(&mut s, "edit deploy/x -n t4k9pz");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(message(&s).contains("under way"), "{}", message(&s));
    let mut s = connected();
    let effects = command(&mut s, "edit deploy/x -n t4k9pz");
    let Some(Effect::EditOpen { what, .. }) = effects.first() else {
        panic!(":edit opens an edit: {effects:?}");
    };
    assert_eq!(
        what,
        &EditWhat::Word {
            word: "deploy".into(),
            namespace: Some("t4k9pz".into()),
            name: "x".into()
        }
    );
    let mut s = connected();
    assert!(command(&mut s, "edit cj").is_empty());
    assert!(
        message(&s).starts_with("Write :edit kind/name"),
        "{}",
        message(&s)
    );
}

#[test]
fn an_unchanged_file_cancels_and_is_removed() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    let effects = saved(&mut s, id, &render(&cronjob()));
    assert_eq!(effects, vec![Effect::EditDiscard { path: FILE.into() }]);
    assert_eq!(message(&s), "Edit cancelled, no changes made.");
    assert!(s.edit.is_none());
}

#[test]
fn broken_yaml_reopens_the_editor_with_the_error_on_top_and_the_text_kept() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    let broken = suspended_text().replace("suspend: true", "suspend: [true");
    let effects = saved(&mut s, id, &broken);
    let Some(Effect::EditReopen {
        text,
        path,
        program,
        ..
    }) = effects.first()
    else {
        panic!("broken YAML reopens: {effects:?}");
    };
    assert_eq!(path, &PathBuf::from(FILE));
    assert_eq!(program, "vi");
    assert!(
        text.starts_with("# kterm could not save this edit:\n# The YAML is not valid at line "),
        "{text}"
    );
    assert!(
        text.ends_with(&broken),
        "the user's text is kept byte for byte"
    );
    // Fixed on the second open, it is saved.
    let effects = saved(&mut s, id, &text.replace("[true", "true"));
    assert!(
        matches!(effects.first(), Some(Effect::EditApply { .. })),
        "{effects:?}"
    );
    assert_eq!(s.edit.as_ref().map(|e| e.attempts), Some(2));
}

#[test]
fn a_saved_edit_says_what_changed_and_removes_the_file() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    applying(&mut s, id);
    let effects = update(&mut s, Msg::EditApplied { id, result: Ok(()) });
    assert_eq!(effects, vec![Effect::EditDiscard { path: FILE.into() }]);
    assert_eq!(
        message(&s),
        "Edited cronjob t4k9pz/protheus-updater: spec.suspend."
    );
    assert!(s.edit.is_none());
}

#[test]
fn a_server_rejection_reopens_with_its_words() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    applying(&mut s, id);
    let rejected = MutateError::Invalid {
        what: target().label(),
        message: "spec.schedule: Invalid value: \"nightly\"".into(),
    };
    let effects = update(
        &mut s,
        Msg::EditApplied {
            id,
            result: Err(rejected),
        },
    );
    let Some(Effect::EditReopen { text, .. }) = effects.first() else {
        panic!("a 422 reopens: {effects:?}");
    };
    assert!(
        text.starts_with("# kterm could not save this edit:\n# The server rejected the change: spec.schedule: Invalid value"),
        "{text}"
    );
    assert!(text.ends_with(&suspended_text()));
}

#[test]
fn a_conflict_asks_and_re_apply_sends_the_users_change_onto_the_fresh_object() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    applying(&mut s, id);
    let conflict = MutateError::Conflict {
        what: target().label(),
    };
    update(
        &mut s,
        Msg::EditApplied {
            id,
            result: Err(conflict.clone()),
        },
    );
    let Some(Modal::EditConflict { question }) = &s.modal else {
        panic!("a 409 asks: {:?}", s.modal);
    };
    assert!(question.contains("changed by someone else"), "{question}");
    let screen = super::fixtures::draw(&s, 100, 30);
    assert!(screen.contains("r re-apply"), "{screen}");
    let effects = update(&mut s, code(KeyCode::Char('r')));
    let Some(Effect::EditReapply {
        original,
        edited,
        changed,
        ..
    }) = effects.first()
    else {
        panic!("r re-applies: {effects:?}");
    };
    assert_eq!(**original, cronjob());
    assert_eq!(edited["spec"]["suspend"], json!(true));
    assert_eq!(changed, &vec!["spec.suspend".to_string()]);
    assert!(s.modal.is_none());
    // Refused: the paths are named and the file kept.
    update(
        &mut s,
        Msg::EditRefused {
            id,
            paths: vec!["spec.suspend".into()],
        },
    );
    assert!(
        message(&s).contains("both changed spec.suspend"),
        "{}",
        message(&s)
    );
    assert!(
        message(&s).ends_with(&format!("Your text is kept in {FILE}.")),
        "{}",
        message(&s)
    );
    assert!(s.edit.is_none());
}

#[test]
fn a_conflict_can_open_the_fresh_object_or_be_given_up() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    applying(&mut s, id);
    let conflict = MutateError::Conflict {
        what: target().label(),
    };
    update(
        &mut s,
        Msg::EditApplied {
            id,
            result: Err(conflict.clone()),
        },
    );
    let effects = update(&mut s, code(KeyCode::Char('o')));
    let Some(Effect::EditFresh { path, text, .. }) = effects.first() else {
        panic!("o opens the fresh object: {effects:?}");
    };
    assert_eq!(path, &PathBuf::from(FILE));
    assert_eq!(
        text,
        &suspended_text(),
        "the user's text goes to the side file"
    );
    assert_eq!(s.edit.as_ref().map(|e| e.phase), Some(Phase::Opening));
    // The runtime wrote both files: the editor opens again.
    let effects = update(&mut s, opened(id));
    assert!(
        matches!(effects.first(), Some(Effect::RunInTerminal { .. })),
        "{effects:?}"
    );
    // Saved again, a 409 again, given up this time.
    applying(&mut s, id);
    update(
        &mut s,
        Msg::EditApplied {
            id,
            result: Err(conflict),
        },
    );
    let effects = update(&mut s, code(KeyCode::Esc));
    assert!(effects.is_empty(), "nothing is removed: {effects:?}");
    assert_eq!(
        message(&s),
        format!("Edit given up; nothing was changed. Your text is kept in {FILE}.")
    );
    assert!(s.edit.is_none() && s.modal.is_none());
}

#[test]
fn a_failing_editor_or_cluster_keeps_the_file_and_says_where() {
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    let effects = update(
        &mut s,
        Msg::TerminalReturned {
            program: "vi".into(),
            exit: ChildExit::Code(1),
        },
    );
    assert!(effects.is_empty(), "nothing is read or sent: {effects:?}");
    assert_eq!(
        message(&s),
        format!("vi exited with code 1. Nothing was changed. Your text is kept in {FILE}.")
    );
    let mut s = on_cronjobs();
    let id2 = editing(&mut s);
    assert_ne!(id, 0);
    applying(&mut s, id2);
    let lost =
        MutateError::Failed("Cannot reach the cluster (connection refused); check the VPN.".into());
    let effects = update(
        &mut s,
        Msg::EditApplied {
            id: id2,
            result: Err(lost),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        message(&s).ends_with(&format!("Your text is kept in {FILE}.")),
        "{}",
        message(&s)
    );
    // An unreadable file says so, and where it is.
    let mut s = on_cronjobs();
    let id = editing(&mut s);
    update(
        &mut s,
        Msg::TerminalReturned {
            program: "vi".into(),
            exit: ChildExit::Code(0),
        },
    );
    update(
        &mut s,
        Msg::EditRead {
            id,
            text: Err("Cannot read the edited file x (denied).".into()),
        },
    );
    assert!(
        message(&s).ends_with(&format!("Your text is kept in {FILE}.")),
        "{}",
        message(&s)
    );
}

#[test]
fn an_edit_that_cannot_open_says_why_and_other_programs_are_not_taken_for_the_editor() {
    let mut s = on_cronjobs();
    let effects = update(&mut s, code(KeyCode::Char('e')));
    let Some(Effect::EditOpen { id, .. }) = effects.first().cloned() else {
        panic!("e opens an edit: {effects:?}");
    };
    let effects = update(
        &mut s,
        Msg::TerminalReturned {
            program: "sh".into(),
            exit: ChildExit::Code(2),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(message(&s), "sh exited with code 2.");
    update(
        &mut s,
        Msg::EditFailed {
            id,
            sentence: "The cronjob t4k9pz/protheus-updater no longer exists (404 Not Found)."
                .into(),
        },
    );
    assert_eq!(
        message(&s),
        "The cronjob t4k9pz/protheus-updater no longer exists (404 Not Found)."
    );
    assert!(s.edit.is_none());
}

#[test]
fn edit_by_name_looks_in_the_one_namespace_watched() {
    let mut s = State::new(
        "test",
        kterm::app::state::NamespaceChoice::List(vec!["t4k9pz".into()]),
        super::fixtures::now(),
    );
    update(
        &mut s,
        Msg::Connected {
            context: "prod".into(),
            default_namespace: "default".into(),
        },
    );
    let effects = command(&mut s, "edit cj/protheus-updater");
    let Some(Effect::EditOpen { what, .. }) = effects.first() else {
        panic!(":edit opens an edit: {effects:?}");
    };
    assert_eq!(
        what,
        &EditWhat::Word {
            word: "cj".into(),
            namespace: Some("t4k9pz".into()),
            name: "protheus-updater".into()
        }
    );
}

#[test]
fn a_context_switch_leaves_the_edit_and_names_its_file() {
    let mut s = on_cronjobs();
    s.contexts = vec!["prod".into(), "staging".into()];
    let id = editing(&mut s);
    applying(&mut s, id);
    command(&mut s, "ctx staging");
    assert!(s.edit.is_none());
    assert_eq!(
        message(&s),
        format!("The edit of the cronjob t4k9pz/protheus-updater was left at the context switch. Your text is kept in {FILE}.")
    );
    // The old cluster's answer changes nothing.
    assert!(update(&mut s, Msg::EditApplied { id, result: Ok(()) }).is_empty());
}
