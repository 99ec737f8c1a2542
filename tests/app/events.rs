//! The event list (`:ev`): grouped by reason and object with counts summed (`BackOff ×12`),
//! `=` shows every event again, and a focused tenant's `:ev` shows only its events.

use crossterm::event::KeyCode;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::resources::coreapi::SlimEvent;
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::{ResourceChange, ResourceEvent, ResourceRow};
use serde_json::json;

use super::commands::{code, command, connected, typed};
use super::fixtures::draw;

fn event(
    ns: &str,
    name: &str,
    reason: &str,
    pod: &str,
    count: u32,
    minutes_ago: i64,
) -> ResourceRow {
    let at = super::fixtures::now() - chrono::TimeDelta::minutes(minutes_ago);
    serde_json::from_value::<SlimEvent>(json!({
        "metadata": {"name": name, "namespace": ns},
        "type": if reason == "BackOff" { "Warning" } else { "Normal" },
        "reason": reason,
        "message": format!("{reason} of {pod}"),
        "involvedObject": {"kind": "Pod", "name": pod},
        "firstTimestamp": at, "lastTimestamp": at, "count": count
    }))
    .expect("decodes")
    .into_row()
}

fn listed(s: &mut State, rows: Vec<ResourceRow>) {
    let keys = rows.iter().map(ResourceRow::key).collect();
    for change in [
        ResourceChange::Applied(rows),
        ResourceChange::Relisted(keys),
    ] {
        update(
            s,
            Msg::Resources(ResourceEvent {
                kind: ResourceKind::Event,
                scope: WatchScope::All,
                change,
            }),
        );
    }
}

fn events() -> Vec<ResourceRow> {
    vec![
        event("m8q3rx", "rest.1", "BackOff", "rest-prd-x", 5, 9),
        event("m8q3rx", "rest.2", "BackOff", "rest-prd-x", 7, 1),
        event("m8q3rx", "rest.3", "Pulled", "rest-prd-x", 1, 20),
        event("t4k9pz", "app.1", "BackOff", "appserver-prd-y", 3, 2),
    ]
}

#[test]
fn events_are_grouped_by_reason_and_object_with_their_counts() {
    let mut s = connected();
    command(&mut s, "ev");
    listed(&mut s, events());
    let screen = draw(&s, 140, 12);
    assert!(screen.contains("BackOff ×12"), "{screen}");
    assert!(screen.contains("BackOff ×3"), "{screen}");
    let rows = screen.lines().filter(|l| l.contains("pod/")).count();
    assert_eq!(
        rows, 3,
        "two BackOff groups and the Pulled event:\n{screen}"
    );
    // The group stands under its newest event: y/d show that one.
    let top = s
        .top_resources()
        .and_then(|v| v.selected_row())
        .map(|r| r.name.clone());
    assert_eq!(top.as_deref(), Some("rest.2"));
    update(&mut s, code(KeyCode::Char('=')));
    let every = draw(&s, 140, 12);
    assert_eq!(
        every.lines().filter(|l| l.contains("pod/")).count(),
        4,
        "{every}"
    );
    assert!(!every.contains('×'), "{every}");
}

#[test]
fn a_focused_tenants_event_list_shows_only_its_events() {
    let mut s = connected();
    // Focus on m8q3rx through the tenant picker's typed name.
    typed(&mut s, "t");
    typed(&mut s, "m8q3rx");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.namespace_focus.as_deref(), Some("m8q3rx"));
    command(&mut s, "ev");
    listed(&mut s, events());
    let screen = draw(&s, 140, 12);
    assert!(
        screen.contains("rest-prd-x") && !screen.contains("appserver-prd-y"),
        "{screen}"
    );
}

#[test]
fn a_warning_about_the_pod_in_the_pane_fetches_the_pane_again() {
    use kterm::app::effect::{Effect, FetchPurpose};
    let mut s = super::fixtures::state();
    super::fixtures::apply_rows(&mut s, vec![super::fixtures::row("m8q3rx", "rest-prd-x")]);
    let opened = update(&mut s, code(KeyCode::Enter));
    assert!(opened.iter().any(|e| matches!(
        e,
        Effect::FetchObject {
            purpose: FetchPurpose::Pane,
            ..
        }
    )));
    let health = |rows| {
        Msg::Health(ResourceEvent {
            kind: ResourceKind::Event,
            scope: WatchScope::All,
            change: ResourceChange::Applied(rows),
        })
    };
    // About another pod: nothing.
    let other = update(
        &mut s,
        health(vec![event("m8q3rx", "o.1", "BackOff", "rest-prd-y", 2, 0)]),
    );
    assert!(
        !other
            .iter()
            .any(|e| matches!(e, Effect::FetchObject { .. })),
        "{other:?}"
    );
    // About the pane's pod: fetched again.
    let again = update(
        &mut s,
        health(vec![event("m8q3rx", "r.1", "BackOff", "rest-prd-x", 2, 0)]),
    );
    assert!(
        again.iter().any(|e| matches!(
            e,
            Effect::FetchObject {
                purpose: FetchPurpose::Pane,
                ..
            }
        )),
        "{again:?}"
    );
}
