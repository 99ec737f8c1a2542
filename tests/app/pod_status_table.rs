//! The pod-status table: every case of `tests/fixtures/pod-status/cases.yaml` through kterm's
//! row, and its STATUS through kterm-sim's separate port of kubectl's printer, so the two
//! implementations check each other against the written expectations.

use kterm::kube::pods::{pod_row, SlimPod};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Case {
    name: String,
    want: Want,
    spec: Value,
    status: Value,
    #[serde(default)]
    deleted: bool,
}

#[derive(Deserialize)]
struct Want {
    ready: String,
    status: String,
    restarts: u32,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pod-status/cases.yaml"
    );
    let text = std::fs::read_to_string(path).expect("read the cases");
    serde_yaml::from_str(&text).expect("the cases parse")
}

fn pod(case: &Case) -> Value {
    let mut metadata = json!({
        "name": "appserver-0",
        "namespace": "c2a7dv",
        "uid": "u1",
        "resourceVersion": "7",
        "creationTimestamp": "2025-01-01T11:00:00Z",
    });
    if case.deleted {
        metadata["deletionTimestamp"] = json!("2025-01-01T11:59:00Z");
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
           "spec": case.spec, "status": case.status})
}

#[test]
fn every_case_matches_kubectls_printer_in_kterm_and_in_the_simulator() {
    let cases = cases();
    assert!(cases.len() >= 40, "the table should keep at least 40 cases");
    let mut wrong = Vec::new();
    for case in &cases {
        let json = pod(case);
        let slim: SlimPod = serde_json::from_value(json.clone()).expect("decodes");
        let row = pod_row(&slim);
        let got = (row.ready_cell(), row.status.clone(), row.restarts);
        let want = (
            case.want.ready.clone(),
            case.want.status.clone(),
            case.want.restarts,
        );
        if got != want {
            wrong.push(format!("{}: kterm {got:?}, want {want:?}", case.name));
        }
        let printed = kterm_sim::table::pod_status(&json);
        if printed != case.want.status {
            wrong.push(format!(
                "{}: simulator printer {printed:?}, want {:?}",
                case.name, case.want.status
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
