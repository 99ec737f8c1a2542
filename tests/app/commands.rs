//! Command mode through `update`: typing, running, completing, unknown words, and the watch
//! effects each command asks for.

use super::fixtures::picker;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::{Effect, Namespaces, ResourceWatch};
use kterm::app::msg::Msg;
use kterm::app::screen::LineKind;
use kterm::app::screen::Screen;
use kterm::app::state::{NamespaceChoice, State};
use kterm::app::update::update;
use kterm::kube::kinds::ResourceKind;

use super::fixtures::{now, state};

pub fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Types `text` key by key; returns the effects of the last key.
pub fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .map(|c| update(s, code(KeyCode::Char(c))))
        .last()
        .unwrap_or_default()
}

/// Runs `:line` and returns its effects.
pub fn command(s: &mut State, line: &str) -> Vec<Effect> {
    typed(s, &format!(":{line}"));
    update(s, code(KeyCode::Enter))
}

/// A state connected to a cluster, watching every namespace.
pub fn connected() -> State {
    let mut s = state();
    update(
        &mut s,
        Msg::Connected {
            context: "prod".into(),
            default_namespace: "default".into(),
        },
    );
    s
}

fn watch(kind: ResourceKind, namespaces: Namespaces) -> Effect {
    Effect::WatchResources(Some(ResourceWatch { kind, namespaces }))
}

pub fn top_kind(s: &State) -> Option<ResourceKind> {
    s.top_resources().map(|v| v.kind)
}

#[test]
fn colon_opens_the_command_line_and_esc_cancels() {
    let mut s = connected();
    update(&mut s, code(KeyCode::Char(':')));
    assert_eq!(s.line_of(LineKind::Command), Some(""));
    typed(&mut s, "depl");
    assert_eq!(s.line_of(LineKind::Command), Some("depl"));
    // While it is open, keys are text: `q` does not quit, `j` does not move.
    typed(&mut s, "qj");
    assert!(!s.quitting);
    update(&mut s, code(KeyCode::Backspace));
    update(&mut s, code(KeyCode::Backspace));
    let effects = update(&mut s, code(KeyCode::Esc));
    assert!(effects.is_empty());
    assert_eq!(s.line_of(LineKind::Command), None);
    assert_eq!(s.stack.len(), 1, "esc runs nothing");
    // Backspace on an empty line closes it, as in vim.
    update(&mut s, code(KeyCode::Char(':')));
    update(&mut s, code(KeyCode::Backspace));
    assert_eq!(s.line_of(LineKind::Command), None);
}

#[test]
fn kind_commands_open_their_list_and_start_one_watch() {
    let mut s = connected();
    let effects = command(&mut s, "deploy");
    assert_eq!(
        effects,
        vec![watch(ResourceKind::Deployment, Namespaces::All)]
    );
    assert_eq!(top_kind(&s), Some(ResourceKind::Deployment));
    assert_eq!(s.line_of(LineKind::Command), None);

    // Another kind replaces the list (esc still leads to the pods) and the watch.
    let effects = command(&mut s, "cronjobs");
    assert_eq!(effects, vec![watch(ResourceKind::CronJob, Namespaces::All)]);
    assert_eq!(s.stack.len(), 2);

    // Cluster-scoped kinds are watched cluster-wide whatever the namespaces.
    let mut s = State::new(
        "c",
        NamespaceChoice::List(vec!["a".into(), "b".into()]),
        now(),
    );
    update(
        &mut s,
        Msg::Connected {
            context: "c".into(),
            default_namespace: "x".into(),
        },
    );
    assert_eq!(
        command(&mut s, "no"),
        vec![watch(ResourceKind::Node, Namespaces::All)]
    );
    let ab = Namespaces::List(vec!["a".into(), "b".into()]);
    assert_eq!(
        command(&mut s, "SVC"),
        vec![watch(ResourceKind::Service, ab)]
    );

    // :pod goes back to the pod table and stops the resource watch; the pod watch stays.
    let effects = command(&mut s, "po");
    assert_eq!(effects, vec![Effect::WatchResources(None)]);
    assert!(matches!(s.stack.as_slice(), [Screen::Pods(_)]));
    assert_eq!(s.cluster.resource_watch, None);
    assert!(command(&mut s, "pod").is_empty(), "already there");
}

#[test]
fn unknown_commands_say_what_to_try() {
    let mut s = connected();
    let try_ = "try :pod, :deploy, :sts, :job, :cj, :svc, :ev, :ns, :node, :ctx.";
    for (line, shown) in [
        ("foo", ":foo"),
        ("deploy extra words", ":deploy extra words"),
        ("ctx a b", ":ctx a b"),
    ] {
        let effects = command(&mut s, line);
        assert!(effects.is_empty(), "{line}");
        assert_eq!(
            s.message.as_deref(),
            Some(format!("Unknown command {shown}; {try_}").as_str())
        );
        assert_eq!(s.stack.len(), 1);
    }
    // An empty command does nothing, and opening the line clears the old sentence.
    command(&mut s, "");
    assert_eq!(s.message, None);
}

#[test]
fn tab_completes_the_kind_name() {
    let mut s = connected();
    typed(&mut s, ":dep");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.line_of(LineKind::Command), Some("deploy"));
    update(&mut s, code(KeyCode::Esc));
    typed(&mut s, ":s");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.line_of(LineKind::Command), Some("s"));
    assert_eq!(s.message.as_deref(), Some(":sts :svc"));
    typed(&mut s, "t");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.line_of(LineKind::Command), Some("sts"));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(top_kind(&s), Some(ResourceKind::StatefulSet));
}

#[test]
fn a_list_opened_before_connecting_is_watched_once_connected() {
    let mut s = state();
    assert!(command(&mut s, "job").is_empty(), "no cluster yet");
    assert_eq!(top_kind(&s), Some(ResourceKind::Job));
    let effects = update(
        &mut s,
        Msg::Connected {
            context: "c".into(),
            default_namespace: "x".into(),
        },
    );
    assert_eq!(
        effects,
        vec![
            Effect::StartPodWatch {
                namespaces: Namespaces::All
            },
            watch(ResourceKind::Job, Namespaces::All),
        ]
    );
}

#[test]
fn ctx_switches_context_from_a_picker_or_by_name() {
    use kterm::app::picker::PickerKind;
    use kterm::app::state::Connection;
    let mut s = connected();
    s.contexts = vec!["prod".into(), "staging".into()];
    update(
        &mut s,
        Msg::PodsApplied {
            scope: kterm::app::msg::WatchScope::All,
            rows: vec![super::fixtures::row("a", "p")],
        },
    );
    command(&mut s, "deploy");
    // `:ctx` alone: a picker with the current context marked and under the cursor.
    assert!(command(&mut s, "ctx").is_empty());
    let picker = picker(&s).cloned().expect("the context picker");
    assert_eq!(picker.kind, PickerKind::Contexts);
    assert_eq!(picker.chosen().map(|i| i.detail.as_str()), Some("current"));
    update(&mut s, code(KeyCode::Down));
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(
        effects.contains(&Effect::SwitchContext {
            context: "staging".into()
        }),
        "{effects:?}"
    );
    // Nothing of the old cluster is left on screen, and the list is gone.
    assert!(s.store.rows().is_empty() && s.cluster.watching.is_none());
    assert_eq!(s.cluster.connection, Connection::Connecting);
    assert_eq!(s.cluster.context, "staging");
    assert_eq!(top_kind(&s), None);

    // By name; an unknown name is one sentence and changes nothing.
    let effects = command(&mut s, "ctx nope");
    assert!(effects.is_empty());
    assert_eq!(
        s.message.as_deref(),
        Some("No context nope in the kubeconfig; known: prod, staging.")
    );
    let effects = command(&mut s, "ctx prod");
    assert_eq!(
        effects.first(),
        Some(&Effect::SwitchContext {
            context: "prod".into()
        })
    );
}

#[test]
fn ns_name_focuses_the_namespace_and_watches_it_if_needed() {
    let mut s = state();
    s.namespace_choice = kterm::app::state::NamespaceChoice::List(vec!["a".into()]);
    update(
        &mut s,
        Msg::Connected {
            context: "prod".into(),
            default_namespace: "default".into(),
        },
    );
    let effects = command(&mut s, "ns zz9");
    assert!(
        effects.contains(&Effect::StartPodWatch {
            namespaces: Namespaces::List(vec!["a".into(), "zz9".into()])
        }),
        "{effects:?}"
    );
    assert_eq!(s.namespace_focus.as_deref(), Some("zz9"));
    // Already watched: just the focus, no new watch.
    let effects = command(&mut s, "ns a");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::StartPodWatch { .. })),
        "{effects:?}"
    );
    assert_eq!(s.namespace_focus.as_deref(), Some("a"));
}
