//! Resource lists on ratatui's TestBackend, at 80×24 and 120×40.

use crossterm::event::KeyCode;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::config::theme::Token;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::resources::coreapi::SlimEvent;
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::workloads::SlimDeployment;
use kterm::kube::resources::{ResourceChange, ResourceEvent, ResourceRow};
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use serde_json::json;

use super::commands::{code, command, connected};
use super::fixtures::draw_buffer;

fn lines(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn listed(s: &mut State, kind: ResourceKind, rows: Vec<ResourceRow>) {
    let keys = rows.iter().map(ResourceRow::key).collect();
    for change in [
        ResourceChange::Applied(rows),
        ResourceChange::Relisted(keys),
    ] {
        let event = ResourceEvent {
            kind,
            scope: WatchScope::All,
            change,
        };
        update(s, Msg::Resources(event));
    }
}

fn deployments(n: usize) -> State {
    let mut s = connected();
    command(&mut s, "deploy");
    let rows = (0..n)
        .map(|i| {
            // Every third tenant's deployment is short of a replica.
            let ready = if i % 3 == 1 { 1 } else { 2 };
            serde_json::from_value::<SlimDeployment>(json!({
                "metadata": {"name": format!("appserver-prd-{i:02}"), "namespace": format!("tenant{i:02}"),
                             "creationTimestamp": "2024-12-31T12:00:00Z"},
                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "appserver"}}},
                "status": {"readyReplicas": ready, "updatedReplicas": 2, "availableReplicas": ready}
            }))
            .expect("decodes")
            .into_row()
        })
        .collect();
    listed(&mut s, ResourceKind::Deployment, rows);
    s
}

#[test]
fn deployment_list_at_120x40_has_kubectls_columns_flags_and_selection() {
    let mut s = deployments(60);
    let (width, height) = (120, 40);
    update(&mut s, Msg::Resize { width, height });
    update(&mut s, code(KeyCode::Char('j')));
    let buffer = draw_buffer(&s, 120, 40);
    let screen = lines(&buffer);
    let header: Vec<&str> = screen[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "AGE"
        ]
    );
    let row: Vec<&str> = screen[2].split_whitespace().collect();
    assert_eq!(
        row,
        ["!", "tenant01", "appserver-prd-01", "1/2", "2", "1", "24h"]
    );
    assert!(screen[1].starts_with("  tenant00"), "{}", screen[1]);
    // Only the visible window: 38 body rows of 60.
    assert!(screen[38].contains("tenant37") && !screen.iter().any(|l| l.contains("tenant38")));
    let bar = &screen[39];
    assert!(
        bar.contains("all namespaces") && bar.contains("60 deployments, 20 need a look"),
        "{bar}"
    );
    // The selected row (the second) is reversed over its warning style; the first is plain.
    let warning = s.theme.style(Token::PodRestarting);
    assert!(buffer[(2, 2)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buffer[(2, 2)].fg, warning.fg.unwrap_or_default());
    assert!(!buffer[(2, 1)].modifier.contains(Modifier::REVERSED));
    // The view scrolls like the pod table.
    update(&mut s, code(KeyCode::Char('G')));
    let screen = lines(&draw_buffer(&s, 120, 40));
    assert!(screen[38].contains("tenant59"), "{}", screen[38]);
}

#[test]
fn event_list_at_80x24_gives_the_message_the_room_left() {
    let mut s = connected();
    command(&mut s, "ev");
    let event = |name: &str, type_: &str, last: &str, message: &str| {
        serde_json::from_value::<SlimEvent>(json!({
            "metadata": {"name": name, "namespace": "m8q3rx"},
            "type": type_, "reason": "BackOff", "message": message,
            "involvedObject": {"kind": "Pod", "name": "rest-prd-7c9d-x1"},
            "lastTimestamp": last
        }))
        .expect("decodes")
        .into_row()
    };
    let long = "Back-off restarting failed container rest in pod rest-prd-7c9d-x1_m8q3rx(0f1e)";
    listed(
        &mut s,
        ResourceKind::Event,
        vec![
            event("a.1", "Normal", "2025-01-01T11:00:00Z", "Pulled"),
            event("b.2", "Warning", "2025-01-01T11:59:50Z", long),
        ],
    );
    let screen = lines(&draw_buffer(&s, 80, 24));
    let header: Vec<&str> = screen[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "NAMESPACE",
            "LAST",
            "SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "MESSAGE"
        ]
    );
    // Newest first; the message is cut with an ellipsis at the screen's edge.
    assert!(screen[1].starts_with("! m8q3rx"), "{}", screen[1]);
    assert!(screen[1].contains("10s") && screen[1].contains("pod/rest-prd-7c9d-x1"));
    assert!(screen[1].trim_end().ends_with('…'), "{}", screen[1]);
    assert_eq!(screen[1].chars().count(), 80);
    assert!(screen[2].contains("60m") && screen[2].contains("Pulled"));
    assert!(
        screen[23].contains("2 events, 1 need a look"),
        "{}",
        screen[23]
    );
}

#[test]
fn an_empty_list_says_what_it_waits_for_and_help_shows_the_list_keys() {
    let mut s = connected();
    command(&mut s, "sts");
    let screen = lines(&draw_buffer(&s, 80, 24)).join("\n");
    assert!(screen.contains("Listing statefulsets…"), "{screen}");
    assert!(screen.contains("listing…"), "{screen}");
    listed(&mut s, ResourceKind::StatefulSet, vec![]);
    let screen = lines(&draw_buffer(&s, 80, 24)).join("\n");
    assert!(
        screen.contains("No statefulsets in the watched namespaces."),
        "{screen}"
    );

    update(&mut s, code(KeyCode::Char('?')));
    let screen = lines(&draw_buffer(&s, 120, 40)).join("\n");
    for text in [
        "Lists",
        "Open: a workload",
        "Filter by namespace/name",
        "! needs a look",
    ] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    assert!(
        !screen.contains("Sort by"),
        "pod keys are not listed: {screen}"
    );
}

#[test]
fn a_narrow_list_hides_age_before_cutting_the_name_in_the_middle_and_w_shows_it() {
    let mut s = connected();
    command(&mut s, "deploy");
    let row = serde_json::from_value::<SlimDeployment>(json!({
        "metadata": {"name": "smartclient-html-prd-canary-blue-x1", "namespace": "t4k9pz",
                     "creationTimestamp": "2024-12-31T12:00:00Z"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "smartclient"}}},
        "status": {"readyReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2}
    }))
    .expect("decodes")
    .into_row();
    listed(&mut s, ResourceKind::Deployment, vec![row]);
    let screen = lines(&draw_buffer(&s, 60, 12));
    assert!(screen[0].contains("+AGE"), "{screen:#?}");
    assert!(!screen[1].contains("24h"), "{screen:#?}");
    assert!(
        screen[1].contains("smartclient-html-…-x1") && screen[1].contains("2/2"),
        "{screen:#?}"
    );
    // Wide: AGE comes back and the name gives way further.
    update(&mut s, code(KeyCode::Char('W')));
    let wide = lines(&draw_buffer(&s, 60, 12));
    assert!(
        wide[0].contains("AGE") && !wide[0].contains('+'),
        "{wide:#?}"
    );
    assert!(
        wide[1].contains("24h") && wide[1].contains("…-x1"),
        "{wide:#?}"
    );
}

#[test]
fn one_row_is_counted_in_the_singular() {
    let s = deployments(1);
    let screen = lines(&draw_buffer(&s, 100, 10));
    assert!(
        screen[9].contains("│ 1 deployment "),
        "the status bar says 1 deployment: {:?}",
        screen[9]
    );
    let s = deployments(2);
    assert!(lines(&draw_buffer(&s, 100, 10))[9].contains("│ 2 deployments,"));
}
