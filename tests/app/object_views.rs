//! The object formatters on fixture JSON: describe, YAML and the detail pane's lines.

use chrono::TimeDelta;
use kterm::kube::describe::describe;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::object_events::ObjectEvent;
use kterm::kube::pane::detail_lines;
use kterm::kube::text::Tone;
use kterm::kube::yaml::to_yaml;
use serde_json::Value;

use super::fixtures::now;

/// A fixture object from tests/fixtures/objects.
pub fn object(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/objects/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `n` events, the last ones Warnings about the OOM kill.
pub fn events(n: usize) -> Vec<ObjectEvent> {
    (0..n)
        .map(|i| {
            let at = now() - TimeDelta::minutes(i64::try_from(n - i).unwrap_or(0));
            ObjectEvent {
                type_: if i + 2 >= n { "Warning" } else { "Normal" }.into(),
                reason: if i + 2 >= n {
                    "OOMKilling".to_string()
                } else {
                    format!("Step{i}")
                },
                message: format!("event number {i}"),
                source: "kubelet".into(),
                count: 1,
                first_seen: Some(at),
                last_seen: Some(at),
                involved_uid: None,
            }
        })
        .collect()
}

#[test]
fn describe_pod_shows_the_oom_kill_like_kubectl() {
    let text = describe(
        ResourceKind::Pod,
        &object("oom-pod.json"),
        &Ok(events(2)),
        now(),
    );
    // The alignment is kubectl's: one column block per run of tab-separated lines.
    for line in [
        "Name:             appserver-prd-4f6d28d5de-9fm8q",
        "Namespace:        t4k9pz",
        "Node:             ip-10-42-10-20/10.0.0.145",
        "Start Time:       Sun, 01 Dec 2024 12:00:05 +0000",
        "Labels:           app=appserver",
        "                  env=production",
        "Annotations:      sim.kterm.io/behavior: oom",
        "Status:           Running",
        "Controlled By:  ReplicaSet/appserver-prd-4f6d28d5de",
        "    State:          Running",
        "    Last State:     Terminated",
        "      Reason:       OOMKilled",
        "      Exit Code:    137",
        "      Finished:     Wed, 01 Jan 2025 11:48:00 +0000",
        "    Restart Count:  3",
        "      memory:  2Gi",
        "      cpu:     500m",
        "  PodScheduled      True ",
        "    ClaimName:   volume",
        "  Type     Reason      Age   From     Message",
        "  ----     ------      ----  ----     -------",
        "  Warning  OOMKilling  60s   kubelet  event number 1",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in:\n{text}"
        );
    }
    assert!(!text.contains("last-applied-configuration"), "{text}");
    let without = describe(
        ResourceKind::Pod,
        &object("oom-pod.json"),
        &Ok(vec![]),
        now(),
    );
    assert!(without.ends_with("Events:          <none>\n"), "{without}");
    let forbidden = Err("You may not read the events (403 Forbidden).".to_string());
    let denied = describe(
        ResourceKind::Pod,
        &object("oom-pod.json"),
        &forbidden,
        now(),
    );
    assert!(
        denied.contains("Events:") && denied.contains("403 Forbidden"),
        "{denied}"
    );
}

#[test]
fn yaml_hides_managed_fields_until_asked() {
    let pod = object("oom-pod.json");
    let yaml = to_yaml(&pod, false);
    assert!(
        yaml.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"),
        "{yaml}"
    );
    assert!(!yaml.contains("managedFields"), "{yaml}");
    assert!(yaml.contains("        reason: OOMKilled\n"), "{yaml}");
    let shown = to_yaml(&pod, true);
    assert!(
        shown.contains("  managedFields:\n  - apiVersion: v1\n"),
        "{shown}"
    );
    assert!(shown.contains("f:metadata"), "{shown}");
}

#[test]
fn generic_describe_prints_spec_and_status_fields() {
    let text = describe(
        ResourceKind::Deployment,
        &object("deployment.json"),
        &Ok(vec![]),
        now(),
    );
    for line in [
        "Name:         appserver-prd",
        "Labels:       app=appserver",
        "API Version:  apps/v1",
        "Kind:         Deployment",
        "Spec:",
        "  Replicas:  2",
        "      App:  appserver",
        "Status:",
        "  Available Replicas:  2",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in:\n{text}"
        );
    }
    assert!(
        !text.contains("managedFields") && !text.contains("kubectl\n"),
        "{text}"
    );
}

#[test]
fn pane_lines_show_containers_conditions_and_the_last_ten_events() {
    let lines = detail_lines(
        ResourceKind::Pod,
        &object("oom-pod.json"),
        &Ok(events(12)),
        now(),
    );
    let find = |text: &str| {
        lines
            .iter()
            .find(|l| l.text.contains(text))
            .unwrap_or_else(|| panic!("no line with {text:?} in {lines:#?}"))
    };
    let last = find("Last State: Terminated");
    assert!(
        last.text.contains("M ") && last.text.contains("Reason: OOMKilled"),
        "{last:?}"
    );
    assert!(
        last.text.contains("Exit Code: 137") && last.text.contains("12m ago"),
        "{last:?}"
    );
    assert_eq!(last.tone, Tone::Oom);
    let container = find("appserver  Running");
    assert!(container.text.contains("Restarts: 3"), "{container:?}");
    assert_eq!(container.tone, Tone::Warning, "restarted: worth a look");
    find("Requests: cpu=500m memory=1Gi  Limits: cpu=2 memory=2Gi");
    find("✓ Ready  ✓ ContainersReady  ✓ PodScheduled");
    find("Events (last 10 of 12)");
    assert!(!lines.iter().any(|l| l.text.contains("event number 1:")));
    assert!(!lines.iter().any(|l| l.text.ends_with("event number 1")));
    let warning = find("event number 11");
    assert_eq!(warning.tone, Tone::Warning);
    assert!(warning.text.contains("! Warning"), "{warning:?}");
}

#[test]
fn strange_and_huge_values_do_not_break_the_formatters() {
    let mut pod = object("oom-pod.json");
    let huge = "x".repeat(1 << 20);
    pod["metadata"]["annotations"]["huge"] = Value::String(huge.clone());
    pod["metadata"]["annotations"]["escape"] = Value::String("a\u{1b}[2J\tb\nc".into());
    pod["status"]["containerStatuses"] = Value::String("not a list".into());
    pod["spec"]["containers"][0]["ports"] = Value::Null;
    let text = describe(ResourceKind::Pod, &pod, &Ok(vec![]), now());
    assert!(
        text.contains(&format!("  {}...", &huge[..138])),
        "cut like kubectl"
    );
    assert!(text.len() < 10_000, "the megabyte stays out");
    let lines = kterm::kube::describe::toned_lines(&text);
    assert!(
        lines.iter().all(|l| !l.text.contains('\u{1b}')),
        "{lines:#?}"
    );
    let pane = detail_lines(ResourceKind::Pod, &pod, &Ok(vec![]), now());
    assert!(
        pane.iter().any(|l| l.text.contains("not started")),
        "{pane:#?}"
    );
    // Not an object at all: still some text, never a panic.
    for weird in [
        Value::Null,
        Value::String("x".into()),
        serde_json::json!([1, 2]),
    ] {
        describe(ResourceKind::Pod, &weird, &Ok(vec![]), now());
        describe(ResourceKind::Node, &weird, &Ok(vec![]), now());
        detail_lines(ResourceKind::Pod, &weird, &Err("no".into()), now());
        to_yaml(&weird, false);
    }
}
