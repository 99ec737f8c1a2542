//! `kube::deps::impact` on the YAML fixtures of tests/fixtures/deps: each warning of issue 10's
//! guarded delete has a case, plus a delete with no warning at all and failed checks.

use kterm::kube::deps::{impact, is_production, Change, Impact, Inputs, Level};
use kterm::kube::kinds::ResourceKind;
use kterm::kube::selector::Labels;
use kterm::kube::target::Target;
use serde::Deserialize;
use serde_json::Value;

use super::fixtures::now;

fn objects(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/fixtures/deps/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_yaml::Deserializer::from_str(&text)
        .map(|doc| Value::deserialize(doc).expect("YAML document"))
        .collect()
}

fn inputs(kind: ResourceKind, name: &str) -> Inputs {
    Inputs::from_objects(
        Target::of(kind, Some("t4k9pz"), name),
        &objects("tenant.yaml"),
    )
}

fn of(kind: ResourceKind, name: &str, change: Change) -> Impact {
    impact(&inputs(kind, name), change, now())
}

fn texts(i: &Impact) -> Vec<&str> {
    i.warnings.iter().map(|w| w.text.as_str()).collect()
}

fn level_of(i: &Impact, text: &str) -> Level {
    i.warnings
        .iter()
        .find(|w| w.text == text)
        .unwrap_or_else(|| panic!("no warning {text:?} in {:#?}", texts(i)))
        .level
}

/// Most serious first.
fn assert_sorted(i: &Impact) {
    let levels: Vec<Level> = i.warnings.iter().map(|w| w.level).collect();
    let mut sorted = levels.clone();
    sorted.sort();
    assert_eq!(levels, sorted, "{:#?}", i.warnings);
}

#[test]
fn a_replicaset_pod_names_its_owner_and_comes_back() {
    let i = of(
        ResourceKind::Pod,
        "appserver-prd-4f6d28d5de-aaaaa",
        Change::Delete,
    );
    assert_eq!(
        level_of(
            &i,
            "ReplicaSet appserver-prd-4f6d28d5de will recreate it (Deployment appserver-prd)"
        ),
        Level::Info
    );
    assert_eq!(
        level_of(&i, "Service appserver-prd keeps 1 ready endpoint"),
        Level::Info
    );
    assert_eq!(
        level_of(
            &i,
            "PersistentVolumeClaim volume is kept: the data on it stays"
        ),
        Level::Info
    );
    assert_eq!(
        level_of(&i, "the emptyDir data in volume scratch will be lost"),
        Level::Warn
    );
    // Only its production label asks for the name: the Service keeps an endpoint.
    assert_eq!(i.high, vec!["labelled production".to_string()]);
    assert_sorted(&i);
}

#[test]
fn a_bare_pod_is_gone_for_good_and_high_impact() {
    let i = of(ResourceKind::Pod, "debug-shell", Change::Delete);
    assert_eq!(
        level_of(&i, "no controller: this pod is gone for good"),
        Level::Danger
    );
    assert_eq!(i.high, vec!["a bare pod".to_string()]);
}

#[test]
fn the_only_endpoint_of_a_service_is_named_and_high_impact() {
    let i = of(
        ResourceKind::Pod,
        "smartclient-html-hml-7c9b5d8f4-ccccc",
        Change::Delete,
    );
    assert_eq!(
        level_of(
            &i,
            "Service smartclient-html-hml will have 0 ready endpoints: requests through the proxy will fail until the new pod is ready"
        ),
        Level::Danger
    );
    assert_eq!(
        i.high,
        vec!["the only endpoint of Service smartclient-html-hml".to_string()]
    );
    assert!(texts(&i)[0].starts_with("Service smartclient-html-hml will have 0"));
}

#[test]
fn scaling_to_zero_takes_the_last_ready_endpoints_for_good() {
    let i = of(
        ResourceKind::Deployment,
        "appserver-prd",
        Change::ScaleTo(0),
    );
    assert_eq!(
        level_of(
            &i,
            "Service appserver-prd will have 0 ready endpoints: requests through the proxy will fail"
        ),
        Level::Danger
    );
    assert_eq!(
        level_of(&i, "scaling to 0 stops all its pods and none comes back until it is scaled up: appserver-prd-4f6d28d5de-aaaaa, appserver-prd-4f6d28d5de-bbbbb"),
        Level::Warn
    );
    assert!(i
        .high
        .contains(&"the last ready endpoint of Service appserver-prd".to_string()));
    assert!(i.high.contains(&"labelled production".to_string()));
    assert_sorted(&i);
}

#[test]
fn scaling_a_deployment_down_names_the_newest_pod() {
    let i = of(
        ResourceKind::Deployment,
        "appserver-prd",
        Change::ScaleTo(1),
    );
    assert!(
        texts(&i)
            .contains(&"scaling from 2 to 1 removes 1 pod, likely appserver-prd-4f6d28d5de-bbbbb"),
        "{:#?}",
        texts(&i)
    );
    assert!(texts(&i).contains(&"Service appserver-prd keeps 1 ready endpoint"));
    let up = of(
        ResourceKind::Deployment,
        "appserver-prd",
        Change::ScaleTo(3),
    );
    assert_eq!(texts(&up), vec!["scaling from 2 to 3 removes no pod"]);
    assert!(up.high.is_empty());
}

#[test]
fn scaling_a_statefulset_down_removes_the_highest_ordinals() {
    let i = of(
        ResourceKind::StatefulSet,
        "dbaccess-hml",
        Change::ScaleTo(1),
    );
    assert!(
        texts(&i).contains(
            &"scaling from 3 to 1 removes the highest ordinals: dbaccess-hml-2, dbaccess-hml-1"
        ),
        "{:#?}",
        texts(&i)
    );
    // dbaccess-hml-1 is ready, so the budget of 0 disruptions is broken.
    assert!(texts(&i).contains(&"PersistentVolumeClaims data-dbaccess-hml-1, data-dbaccess-hml-2 are kept: the data on them stays"), "{:#?}", texts(&i));
}

#[test]
fn a_budget_the_delete_would_break_is_a_danger() {
    let i = of(ResourceKind::Pod, "dbaccess-hml-1", Change::Delete);
    assert_eq!(
        level_of(&i, "PodDisruptionBudget dbaccess-hml (minAvailable 3) allows 0 disruptions now and this removes 1 ready pod: it is violated"),
        Level::Danger
    );
    assert!(texts(&i).contains(&"StatefulSet dbaccess-hml will recreate it under the same name"));
    // A pod that is not ready costs the budget nothing.
    let i = of(ResourceKind::Pod, "dbaccess-hml-2", Change::Delete);
    assert!(
        !texts(&i).iter().any(|t| t.contains("PodDisruptionBudget")),
        "{:#?}",
        texts(&i)
    );
}

#[test]
fn a_running_migration_job_names_its_pod_and_the_runbook_follow_up() {
    let i = of(ResourceKind::Job, "upddistr-prd", Change::Delete);
    assert_eq!(
        level_of(
            &i,
            "Job upddistr-prd has 1 running pod (upddistr-prd-x7k2p, up 35m): its work stops"
        ),
        Level::Danger
    );
    assert_eq!(
        level_of(&i, "upddistr-prd is the migration: after deleting it, create the control flag files (touch /volume/flags/<file>) and make sure the other steps ran"),
        Level::Warn
    );
    assert!(i.high.contains(&"a running Job".to_string()));
    assert!(i.high.contains(&"labelled production".to_string()));
    assert_eq!(
        i.after,
        vec!["upddistr-prd is gone: create the control flag files (touch /volume/flags/<file>) and make sure the other steps ran".to_string()],
        "the follow-up is said again once the delete is done"
    );
    assert_sorted(&i);
}

#[test]
fn a_finished_migration_job_needs_no_follow_up() {
    let i = of(ResourceKind::Job, "upddistr-hml", Change::Delete);
    assert_eq!(i, Impact::default());
}

#[test]
fn a_cronjob_delete_lists_its_running_jobs_first() {
    let i = of(ResourceKind::CronJob, "protheus-updater", Change::Delete);
    let t = texts(&i);
    assert!(t[0].starts_with("Job protheus-updater-28951440 has 1 running pod (protheus-updater-28951440-ddddd, up 6h"), "{t:#?}");
    assert!(
        t.contains(&"its 1 finished Job is deleted with it: protheus-updater-28950000"),
        "{t:#?}"
    );
    assert!(t.contains(&"no Job starts on its schedule any more"));
    assert_eq!(i.high, vec!["a running Job".to_string()]);
}

#[test]
fn suspending_a_cronjob_lets_running_jobs_go_on() {
    let i = of(ResourceKind::CronJob, "protheus-updater", Change::Suspend);
    assert_eq!(
        texts(&i),
        vec![
            "no new Jobs start until it is resumed; running Jobs go on",
            "Job protheus-updater-28951440 is running and goes on",
        ]
    );
    assert!(i.high.is_empty());
}

#[test]
fn a_deployment_delete_names_its_pods_and_services() {
    let i = of(ResourceKind::Deployment, "appserver-prd", Change::Delete);
    let t = texts(&i);
    assert!(t.contains(&"its 2 pods are deleted and not recreated: appserver-prd-4f6d28d5de-aaaaa, appserver-prd-4f6d28d5de-bbbbb"), "{t:#?}");
    assert_eq!(
        level_of(&i, "Service appserver-prd will have 0 ready endpoints: requests through the proxy will fail"),
        Level::Danger
    );
    assert!(t.contains(
        &"the emptyDir data in volume scratch of pod appserver-prd-4f6d28d5de-aaaaa will be lost"
    ));
}

#[test]
fn a_namespace_counts_everything_by_kind() {
    let target = Target::of(ResourceKind::Namespace, None, "t4k9pz");
    let i = impact(
        &Inputs::from_objects(target, &objects("tenant.yaml")),
        Change::Delete,
        now(),
    );
    assert_eq!(
        texts(&i),
        vec!["everything in namespace t4k9pz is deleted: 10 Pods, 4 Jobs, 3 EndpointSlices, 3 Services, 2 Deployments, 2 ReplicaSets, 1 ConfigMap, 1 CronJob, 1 PersistentVolumeClaim, 1 PodDisruptionBudget, 1 StatefulSet"]
    );
    assert_eq!(i.high, vec!["a namespace".to_string()]);
}

#[test]
fn a_delete_nothing_depends_on_has_no_warning() {
    let cm = Target {
        kind: "ConfigMap".into(),
        plural: "configmaps".into(),
        ..Target::of(ResourceKind::Pod, Some("t4k9pz"), "appserver-ini-hml")
    };
    let i = impact(
        &Inputs::from_objects(cm, &objects("tenant.yaml")),
        Change::Delete,
        now(),
    );
    assert_eq!(i, Impact::default());
    assert!(!i.is_high());
}

#[test]
fn a_failed_check_is_itself_a_warning() {
    let mut inputs = inputs(ResourceKind::Pod, "smartclient-html-hml-7c9b5d8f4-ccccc");
    inputs.endpoints = Err("forbidden".into());
    inputs.pdbs = Err("no answer within 20 s".into());
    let i = impact(&inputs, Change::Delete, now());
    assert_eq!(
        level_of(&i, "could not check endpoints: forbidden"),
        Level::Warn
    );
    assert_eq!(
        level_of(
            &i,
            "could not check PodDisruptionBudgets: no answer within 20 s"
        ),
        Level::Warn
    );
    // Without EndpointSlices the pods say who is ready: the Service still loses its only endpoint.
    assert!(i
        .high
        .contains(&"the only endpoint of Service smartclient-html-hml".to_string()));
    inputs.services = Err("forbidden".into());
    let i = impact(&inputs, Change::Delete, now());
    assert_eq!(
        level_of(&i, "could not check Services: forbidden"),
        Level::Warn
    );
    assert!(!texts(&i).iter().any(|t| t.starts_with("Service ")));
}

#[test]
fn a_connection_that_cannot_check_says_so_for_every_check() {
    let target = Target::of(ResourceKind::Namespace, None, "t4k9pz");
    let i = impact(&Inputs::unchecked(target, "no"), Change::Delete, now());
    assert_eq!(
        texts(&i),
        vec![
            "could not check the Namespace itself: no",
            "could not check pods: no",
            "could not check Services: no",
            "could not check endpoints: no",
            "could not check PodDisruptionBudgets: no",
            "could not check controllers: no",
            "could not check the objects in it: no",
        ]
    );
    assert!(i.warnings.iter().all(|w| w.level == Level::Warn));
    assert!(i.high.contains(&"a namespace".to_string()));
    // Even a kind that is low-impact when checked wants its name typed when nothing could be.
    let target = Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater");
    let i = impact(&Inputs::unchecked(target, "no"), Change::Delete, now());
    assert_eq!(
        i.high,
        vec!["nothing it affects could be checked".to_string()]
    );
}

#[test]
fn production_is_prd_prod_or_production_under_env_or_environment() {
    let l = |k: &str, v: &str| Labels::from_pairs([(k, v)]);
    assert!(is_production(&l("env", "production")));
    assert!(is_production(&l("env", "prd")));
    assert!(is_production(&l("environment", "PROD")));
    assert!(!is_production(&l("env", "homologation")));
    assert!(!is_production(&l("tier", "production")));
}
