use serde_json::{json, Value};

use super::*;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/edit/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    serde_yaml::from_str(&text).unwrap_or(Value::Null)
}

#[test]
fn render_is_kubectls_text_without_status_or_managed_fields() {
    let text = render(&fixture("cronjob.yaml"));
    assert!(
        text.starts_with("# Please edit the object below."),
        "{text}"
    );
    assert!(
        text.contains("\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n"),
        "{text}"
    );
    assert!(!text.contains("managedFields"), "{text}");
    assert!(!text.contains("status:"), "{text}");
    assert!(!text.contains("lastScheduleTime"), "{text}");
    assert!(text.contains("  suspend: false\n"), "{text}");
}

#[test]
fn the_rendered_text_reads_back_unchanged() {
    let original = fixture("cronjob.yaml");
    assert_eq!(judge(&original, &render(&original)), Saved::Unchanged);
    // An emptied file (comments left) cancels, as kubectl's header says.
    assert_eq!(judge(&original, "# nothing\n\n"), Saved::Unchanged);
}

#[test]
fn a_changed_text_names_its_paths() {
    let original = fixture("cronjob.yaml");
    let text = render(&original).replace("suspend: false", "suspend: true");
    let Saved::Changed { object, changed } = judge(&original, &text) else {
        unreachable!("the text was changed");
    };
    assert_eq!(changed, vec!["spec.suspend"]);
    assert_eq!(object["spec"]["suspend"], json!(true));
    // Left out of the text, the status goes back as it was read.
    assert_eq!(object["status"], original["status"]);
}

#[test]
fn paths_go_into_named_lists_and_stop_at_other_lists() {
    let before = editable(&fixture("cronjob.yaml"));
    let after = fixture("cronjob-edited.yaml");
    assert_eq!(
        changed_paths(&before, &after),
        vec![
            "spec.jobTemplate.spec.template.spec.containers[name=updater].command",
            "spec.suspend",
        ]
    );
    let a = json!({"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "x"}}});
    let b = json!({"metadata": {"annotations": {}}, "spec": {"x": [1]}});
    assert_eq!(
        changed_paths(&a, &b),
        vec![
            "metadata.annotations[\"kubectl.kubernetes.io/restartedAt\"]",
            "spec"
        ]
    );
}

#[test]
fn a_secrets_paths_carry_no_values() {
    let before = fixture("secret.yaml");
    let mut after = before.clone();
    after["data"]["password"] = json!("bmV3LXNlY3JldA==");
    let paths = changed_paths(&before, &after);
    assert_eq!(paths, vec!["data.password"]);
    assert!(!paths.concat().contains("bmV3"), "{paths:?}");
}

#[test]
fn a_yaml_error_is_one_sentence_with_the_line_of_the_reopened_file() {
    let original = fixture("cronjob.yaml");
    let text = render(&original).replace("  suspend: false\n", "  suspend: [false\n");
    let Saved::Broken(error) = judge(&original, &text) else {
        unreachable!("the text is broken");
    };
    assert!(
        error.starts_with("The YAML is not valid at line "),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1);
    let reopened = with_error(&text, &error);
    // The line named is the reopened file's line, where the broken text is.
    let line: usize = error
        .trim_start_matches("The YAML is not valid at line ")
        .split(',')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let broken = reopened.lines().position(|l| l.contains("suspend: [false"));
    // The scanner notices the missing bracket on the line it opens on or the next (1-based).
    assert!(
        broken.is_some_and(|b| (b + 1..=b + 2).contains(&line)),
        "{error}\n{reopened}"
    );
}

#[test]
fn the_error_block_replaces_the_last_one_and_keeps_the_text_byte_for_byte() {
    let text = "apiVersion: v1\nkind: ConfigMap\r\n  odd:   spacing\t\n";
    let once = with_error(text, "first problem");
    assert!(once.starts_with("# kterm could not save this edit:\n# first problem\n"));
    assert!(once.ends_with(text));
    let twice = with_error(&once, "second problem\nwith a cause");
    assert!(!twice.contains("first problem"), "{twice}");
    assert!(
        twice.contains("# second problem\n# with a cause\n"),
        "{twice}"
    );
    assert!(twice.ends_with(text));
    assert_eq!(twice.matches("kterm could not save").count(), 1);
}

#[test]
fn three_way_reapplies_the_users_change_onto_the_fresh_object() {
    let original = fixture("cronjob.yaml");
    let edited = fixture("cronjob-edited.yaml");
    let current = fixture("cronjob-current.yaml");
    let merged = three_way(&original, &edited, &current);
    let Ok(merged) = merged else {
        unreachable!("no field changed on both sides: {merged:?}");
    };
    // The user's change…
    assert_eq!(merged["spec"]["suspend"], json!(true));
    let containers = &merged["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"];
    assert_eq!(
        containers[0]["command"][2],
        json!("sleep 3600\ninit-upddistr")
    );
    // …theirs, the sidecar's image and the new container, in the current order…
    assert_eq!(
        containers[1]["image"],
        json!("registry.example/log-shipper:2")
    );
    assert_eq!(containers[2]["name"], json!("metrics"));
    assert_eq!(merged["metadata"]["labels"]["owner"], json!("ops"));
    // …and what the server owns, from the fresh object.
    assert_eq!(merged["metadata"]["resourceVersion"], json!("1377"));
    assert_eq!(merged["metadata"]["generation"], json!(2));
    assert_eq!(merged["status"], current["status"]);
    assert_eq!(
        merged["metadata"]["managedFields"],
        current["metadata"]["managedFields"]
    );
}

#[test]
fn three_way_refuses_when_the_same_field_changed_on_both_sides() {
    let original = fixture("cronjob.yaml");
    let edited = fixture("cronjob-edited.yaml");
    let current = fixture("cronjob-current-clash.yaml");
    assert_eq!(
        three_way(&original, &edited, &current),
        Err(vec![
            "spec.jobTemplate.spec.template.spec.containers[name=updater].command".to_string()
        ])
    );
}

#[test]
fn three_way_removes_what_the_user_removed_and_keeps_other_lists_atomic() {
    let original = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"args": ["x"]}});
    let edited = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"args": ["x", "y"]}});
    let current =
        json!({"metadata": {"labels": {"a": "1", "b": "2", "c": "3"}}, "spec": {"args": ["z"]}});
    assert_eq!(
        three_way(&original, &edited, &current),
        Err(vec!["spec.args".to_string()])
    );
    let current =
        json!({"metadata": {"labels": {"a": "1", "b": "2", "c": "3"}}, "spec": {"args": ["x"]}});
    assert_eq!(
        three_way(&original, &edited, &current),
        Ok(json!({"metadata": {"labels": {"a": "1", "c": "3"}}, "spec": {"args": ["x", "y"]}}))
    );
}
