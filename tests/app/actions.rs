//! Workload and CronJob actions through `update` (the prompts, the number line, the question,
//! the Mutation produced, the resources form's validation and warning), and the executor
//! (`mutate_task`) against a fake cluster with a real audit log.

use std::sync::{Arc, Mutex};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use futures::future::BoxFuture;
use kterm::app::effect::{Effect, Namespaces};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::mutation::{Mutation, Quantities};
use kterm::app::resources_form::{Loaded, TemplateContainer};
use kterm::app::screen::{ConfirmAction, LineKind, Modal};
use kterm::app::state::State;
use kterm::app::update::{scale_prompt, update};
use kterm::audit::Audit;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::metrics::ContainerUsage;
use kterm::kube::mutate::{DeleteOptions, MutateError, PatchKind, Propagation};
use kterm::kube::pods::PodRow;
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::workloads::{cronjob_next, SlimCronJob, SlimDeployment};
use kterm::kube::resources::{ResourceChange, ResourceEvent, ResourceRow};
use kterm::kube::selector::Labels;
use kterm::kube::target::Target;
use kterm::kube::watch::{PodEvent, Sink};
use kterm::kube::{Cluster, NamespaceAnswer, WatchHandle};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::commands::{code, command, connected, typed};
use super::fixtures::{draw, now, row};

fn decode<K: serde::de::DeserializeOwned + Listed>(value: Value) -> ResourceRow {
    serde_json::from_value::<K>(value)
        .expect("decodes")
        .into_row()
}

fn listed(s: &mut State, kind: ResourceKind, rows: Vec<ResourceRow>) {
    let keys = rows.iter().map(ResourceRow::key).collect();
    for change in [
        ResourceChange::Applied(rows),
        ResourceChange::Relisted(keys),
    ] {
        update(
            s,
            Msg::Resources(ResourceEvent {
                kind,
                scope: WatchScope::All,
                change,
            }),
        );
    }
}

fn deploy() -> Target {
    Target::of(ResourceKind::Deployment, Some("t4k9pz"), "appserver-prd")
}

/// `:deploy` with appserver-prd (2 replicas) and its two pods in the store.
fn deployments() -> State {
    let mut s = connected();
    let pods: Vec<PodRow> = ["appserver-prd-1", "appserver-prd-2"]
        .iter()
        .map(|n| PodRow {
            labels: Labels::from_pairs([("app", "appserver")]),
            ..row("t4k9pz", n)
        })
        .chain([row("t4k9pz", "rest-prd-1")])
        .collect();
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: pods,
        },
    );
    command(&mut s, "deploy");
    let d = decode::<SlimDeployment>(json!({
        "metadata": {"name": "appserver-prd", "namespace": "t4k9pz"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "appserver"}}},
        "status": {"readyReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2}
    }));
    listed(&mut s, ResourceKind::Deployment, vec![d]);
    s
}

fn cronjobs(suspend: bool) -> State {
    let mut s = connected();
    command(&mut s, "cj");
    let cj = decode::<SlimCronJob>(json!({
        "metadata": {"name": "protheus-updater", "namespace": "t4k9pz"},
        "spec": {"schedule": "0 3 * * *", "timeZone": "America/Sao_Paulo", "suspend": suspend},
    }));
    listed(&mut s, ResourceKind::CronJob, vec![cj]);
    s
}

fn question(s: &State) -> (String, ConfirmAction) {
    match &s.modal {
        Some(Modal::Confirm(c)) => (c.question.clone(), c.on_yes.clone()),
        other => panic!("expected a question, got {other:?}"),
    }
}

#[test]
fn scale_asks_for_digits_with_the_current_replicas_and_produces_the_mutation() {
    let mut s = deployments();
    typed(&mut s, "s");
    assert_eq!(s.line_of(LineKind::Scale), Some(""));
    assert_eq!(scale_prompt(&s), "scale appserver-prd (2 replicas) to: ");
    typed(&mut s, "3x");
    assert_eq!(
        s.line_of(LineKind::Scale),
        Some("3"),
        "only digits are typed"
    );
    assert_eq!(
        s.message.as_deref(),
        Some("Type the number of replicas (digits only).")
    );
    let effects = update(&mut s, code(KeyCode::Enter));
    let expected = Mutation::Scale {
        target: deploy(),
        from: 2,
        to: 3,
    };
    assert_eq!(effects, vec![Effect::Mutate(expected)]);
    assert_eq!(s.line, None);
    assert!(draw(&s, 100, 10).contains("Scale deployment t4k9pz/appserver-prd from 2 to 3…"));
}

#[test]
fn scale_to_zero_goes_through_the_guarded_dialog_and_no_changes_nothing() {
    let mut s = deployments();
    typed(&mut s, "s0");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::CheckImpact { .. })),
        "nothing is changed before the yes: {effects:?}"
    );
    match &s.modal {
        Some(Modal::Delete(d)) => {
            assert_eq!(d.change, kterm::kube::deps::Change::ScaleTo(0));
            assert_eq!(d.scale_from, Some(2));
            assert!(d
                .note
                .as_deref()
                .is_some_and(|n| n.contains("has 2 replicas")));
        }
        other => panic!("expected the guarded dialog, got {other:?}"),
    }
    let effects = update(&mut s, code(KeyCode::Char('n')));
    assert!(effects.is_empty());
    assert_eq!(s.message.as_deref(), Some("Nothing was changed."));
    typed(&mut s, "s0");
    update(&mut s, code(KeyCode::Enter));
    checked_low(&mut s);
    let effects = update(&mut s, code(KeyCode::Char('y')));
    assert_eq!(
        effects,
        vec![Effect::Mutate(Mutation::Scale {
            target: deploy(),
            from: 2,
            to: 0
        })]
    );
}

/// Every object of the open guarded dialog checked, with nothing high-impact found.
fn checked_low(s: &mut State) {
    if let Some(Modal::Delete(d)) = &mut s.modal {
        for item in &mut d.items {
            item.impact = Some(kterm::kube::deps::Impact::default());
        }
    }
}

#[test]
fn scale_esc_cancels_and_the_same_count_changes_nothing() {
    let mut s = deployments();
    typed(&mut s, "s4");
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert_eq!(s.line, None);
    typed(&mut s, "s2");
    assert!(update(&mut s, code(KeyCode::Enter)).is_empty());
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("already wants 2")));
}

#[test]
fn actions_are_offered_only_on_the_kinds_they_apply_to() {
    let mut s = cronjobs(false);
    typed(&mut s, "s");
    assert_eq!(s.line, None);
    assert_eq!(
        s.message.as_deref(),
        Some("Scale applies to deployments and statefulsets.")
    );
    let mut s = deployments();
    typed(&mut s, "S");
    assert_eq!(s.modal, None);
    assert_eq!(s.message.as_deref(), Some("Suspend applies to cronjobs."));
    typed(&mut s, "t");
    assert_eq!(s.message.as_deref(), Some("Trigger applies to cronjobs."));
}

#[test]
fn rollout_restart_asks_then_restarts() {
    let mut s = deployments();
    typed(&mut s, "r");
    let (q, on_yes) = question(&s);
    assert!(q.starts_with("Restart appserver-prd?"), "{q}");
    assert_eq!(
        on_yes,
        ConfirmAction::Mutate(Mutation::Restart { target: deploy() })
    );
    let effects = update(&mut s, code(KeyCode::Char('y')));
    assert_eq!(
        effects,
        vec![Effect::Mutate(Mutation::Restart { target: deploy() })]
    );
}

#[test]
fn suspend_shows_the_state_and_schedule_and_resume_is_its_inverse() {
    let cj = Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater");
    let mut s = cronjobs(false);
    typed(&mut s, "S");
    // Suspending stops the updater: the guarded dialog, with the state said.
    match &s.modal {
        Some(Modal::Delete(d)) => {
            assert_eq!(d.change, kterm::kube::deps::Change::Suspend);
            assert_eq!(
                d.note.as_deref(),
                Some("protheus-updater is active (schedule 0 3 * * *).")
            );
        }
        other => panic!("expected the guarded dialog, got {other:?}"),
    }
    checked_low(&mut s);
    assert_eq!(
        update(&mut s, code(KeyCode::Char('y'))),
        vec![Effect::Mutate(Mutation::Suspend {
            target: cj.clone(),
            suspend: true
        })]
    );
    let mut s = cronjobs(true);
    typed(&mut s, "S");
    let (q, on_yes) = question(&s);
    assert!(q.starts_with("protheus-updater is suspended"), "{q}");
    assert_eq!(
        on_yes,
        ConfirmAction::Mutate(Mutation::Suspend {
            target: cj.clone(),
            suspend: false
        })
    );
    typed(&mut s, "n");
    typed(&mut s, "t");
    let (q, on_yes) = question(&s);
    assert!(q.starts_with("Run protheus-updater now"), "{q}");
    assert_eq!(
        on_yes,
        ConfirmAction::Mutate(Mutation::Trigger { cronjob: cj })
    );
}

#[test]
fn the_cronjob_list_shows_next_in_its_time_zone() {
    let s = cronjobs(false);
    let screen = draw(&s, 160, 10);
    assert!(screen.contains("NEXT"), "{screen}");
    // now() is fixed; 03:00 São Paulo is 06:00 UTC.
    let view = s.top_resources().expect("the list");
    let row = view.rows.values().next().expect("a row");
    let next = cronjob_next(row, now());
    assert!(next.starts_with("in "), "{next}");
    assert!(screen.contains(&next), "{screen}");
    let suspended = cronjobs(true);
    let view = suspended.top_resources().expect("the list");
    let row = view.rows.values().next().expect("a row");
    assert_eq!(cronjob_next(row, now()), "<suspended>");
}

#[test]
fn the_help_of_a_list_names_the_actions() {
    let mut s = deployments();
    typed(&mut s, "?");
    let help = format!("{:?}", kterm::app::help::lines(&s));
    for desc in [
        "Scale a deployment or statefulset",
        "Rollout restart a deployment",
        "requests and limits of a workload's container",
        "Suspend or resume a cronjob",
        "Run a cronjob now",
    ] {
        assert!(help.contains(desc), "{desc:?} missing from {help}");
    }
}

fn loaded(usage_gi: f64) -> Loaded {
    Loaded {
        target: deploy(),
        containers: vec![
            TemplateContainer {
                name: "appserver".into(),
                requests: Quantities {
                    memory: Some("1Gi".into()),
                    cpu: Some("500m".into()),
                },
                limits: Quantities {
                    memory: Some("2Gi".into()),
                    cpu: Some("1".into()),
                },
            },
            TemplateContainer {
                name: "sidecar".into(),
                requests: Quantities::default(),
                limits: Quantities {
                    memory: Some("128Mi".into()),
                    cpu: None,
                },
            },
        ],
        usage: vec![ContainerUsage {
            pod: "appserver-prd-1".into(),
            container: "appserver".into(),
            memory: Some(usage_gi * 1024.0 * 1024.0 * 1024.0),
            cpu: Some(0.23),
        }],
        usage_problem: None,
    }
}

fn ctrl_u() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))
}

fn form_of(s: &State) -> &kterm::app::resources_form::ResourcesForm {
    match &s.modal {
        Some(Modal::Resources(form)) => form,
        other => panic!("expected the resources form, got {other:?}"),
    }
}

#[test]
fn the_resources_form_loads_the_workloads_pods_and_opens_prefilled() {
    let mut s = deployments();
    let effects = typed(&mut s, "M");
    assert_eq!(
        effects,
        vec![Effect::LoadResourcesForm {
            target: deploy(),
            pods: vec!["appserver-prd-1".into(), "appserver-prd-2".into()],
        }]
    );
    update(&mut s, Msg::FormLoaded(Ok(loaded(1.5))));
    let form = form_of(&s);
    assert_eq!(
        (form.limit_memory.as_str(), form.request_cpu.as_str()),
        ("2Gi", "500m")
    );
    let screen = draw(&s, 120, 30);
    assert!(screen.contains("uses 1.5Gi (75% of the limit)"), "{screen}");
    // The second container, picked with → from the container field, brings its own values.
    update(&mut s, code(KeyCode::BackTab));
    update(&mut s, code(KeyCode::BackTab));
    update(&mut s, code(KeyCode::Right));
    assert_eq!(form_of(&s).limit_memory, "128Mi");
    update(&mut s, code(KeyCode::Left));
    assert_eq!(form_of(&s).limit_memory, "2Gi");
}

#[test]
fn the_resources_form_warns_below_usage_validates_and_applies() {
    let mut s = deployments();
    typed(&mut s, "M");
    update(&mut s, Msg::FormLoaded(Ok(loaded(1.5))));
    // The cursor starts on the memory limit: lower it under the usage.
    update(&mut s, ctrl_u());
    typed(&mut s, "1Gi");
    let warning = form_of(&s).warning().expect("a warning");
    assert!(
        warning.contains("below what pod appserver-prd-1 uses now (1.5Gi)"),
        "{warning}"
    );
    assert!(draw(&s, 120, 30).contains("OOM-killed"));
    // The first enter only repeats the warning; the form stays.
    assert!(update(&mut s, code(KeyCode::Enter)).is_empty());
    assert!(matches!(s.modal, Some(Modal::Resources(_))));
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.ends_with("press enter again to apply it anyway.")));
    // Under the request: refused with the reason.
    update(&mut s, ctrl_u());
    typed(&mut s, "512Mi");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        s.message.as_deref(),
        Some("The memory request 1Gi is above its limit 512Mi; lower the request or raise the limit.")
    );
    // Not a quantity.
    update(&mut s, ctrl_u());
    typed(&mut s, "3GB");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        s.message.as_deref(),
        Some("The memory limit \"3GB\" is not a quantity; write it like 512Mi or 2Gi.")
    );
    update(&mut s, ctrl_u());
    typed(&mut s, "500m");
    update(&mut s, code(KeyCode::Enter));
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.contains("thousandths of a byte")));
    // Raise it: no warning, and enter gives the strategic merge patch's mutation.
    update(&mut s, ctrl_u());
    typed(&mut s, "3Gi");
    assert_eq!(form_of(&s).warning(), None);
    let effects = update(&mut s, code(KeyCode::Enter));
    let expected = Mutation::Resources {
        target: deploy(),
        container: "appserver".into(),
        requests: Quantities {
            memory: Some("1Gi".into()),
            cpu: Some("500m".into()),
        },
        limits: Quantities {
            memory: Some("3Gi".into()),
            cpu: Some("1".into()),
        },
    };
    assert_eq!(effects, vec![Effect::Mutate(expected)]);
    assert_eq!(s.modal, None);
}

#[test]
fn the_resources_form_refuses_a_cpu_in_bytes_and_an_unchanged_form() {
    let mut s = deployments();
    typed(&mut s, "M");
    update(&mut s, Msg::FormLoaded(Ok(loaded(0.5))));
    update(&mut s, code(KeyCode::Enter));
    assert!(s
        .message
        .as_deref()
        .is_some_and(|m| m.starts_with("Nothing changed")));
    update(&mut s, code(KeyCode::Tab)); // CPU request
    update(&mut s, code(KeyCode::Tab)); // CPU limit
    update(&mut s, ctrl_u());
    typed(&mut s, "1Gi");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        s.message.as_deref(),
        Some("The CPU limit 1Gi is in bytes; write CPU in cores (1) or millicores (500m).")
    );
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.modal, None);
    assert_eq!(s.message.as_deref(), Some("Resources unchanged."));
}

// ---- the executor ----

#[derive(Default)]
struct Calls(Mutex<Vec<String>>);

/// Records every change; the CronJob it serves has a template; `fail` makes patches 409.
struct FakeCluster {
    calls: Arc<Calls>,
    fail: bool,
}

impl Cluster for FakeCluster {
    fn context(&self) -> &str {
        "fake"
    }
    fn default_namespace(&self) -> &str {
        "t4k9pz"
    }
    fn watch_pods(&self, _namespaces: &Namespaces, _sink: Sink<PodEvent>) -> WatchHandle {
        WatchHandle::default()
    }
    fn list_namespaces(&self, _selector: &str, _sink: Sink<NamespaceAnswer>) -> WatchHandle {
        WatchHandle::default()
    }
    fn get_target(&self, target: &Target) -> BoxFuture<'static, Result<Value, MutateError>> {
        let object = json!({
            "metadata": {"name": target.name, "namespace": "t4k9pz", "uid": "cj-uid"},
            "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "u"}]}}}}}
        });
        Box::pin(async move { Ok(object) })
    }
    fn patch(
        &self,
        target: &Target,
        kind: PatchKind,
        body: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        self.calls
            .0
            .lock()
            .expect("lock")
            .push(format!("patch {} {kind:?} {body}", target.slash()));
        let fail = self.fail;
        let what = target.label();
        Box::pin(async move {
            if fail {
                Err(MutateError::Conflict { what })
            } else {
                Ok(json!({}))
            }
        })
    }
    fn delete(
        &self,
        target: &Target,
        options: DeleteOptions,
    ) -> BoxFuture<'static, Result<(), MutateError>> {
        self.calls.0.lock().expect("lock").push(format!(
            "delete {} {}",
            target.slash(),
            options.propagation.word()
        ));
        Box::pin(async { Ok(()) })
    }
    fn create(
        &self,
        target: &Target,
        object: Value,
    ) -> BoxFuture<'static, Result<Value, MutateError>> {
        self.calls.0.lock().expect("lock").push(format!(
            "create {} {}",
            target.slash(),
            object["metadata"]["ownerReferences"][0]["uid"]
        ));
        Box::pin(async move { Ok(object) })
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kterm-actions-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

async fn execute(fake: FakeCluster, audit: Audit, mutation: Mutation) -> Msg {
    let (tx, mut rx) = mpsc::channel(4);
    let cluster: Arc<dyn Cluster> = Arc::new(fake);
    kterm::app::mutate_task::run(Some(cluster), audit, mutation, tx).await;
    rx.recv().await.expect("one message")
}

#[tokio::test]
async fn the_executor_patches_and_writes_intent_and_outcome() {
    let dir = scratch("scale");
    let calls = Arc::new(Calls::default());
    let fake = FakeCluster {
        calls: calls.clone(),
        fail: false,
    };
    let audit = Audit::at(dir.join("audit.log"), true);
    let mutation = Mutation::Scale {
        target: deploy(),
        from: 2,
        to: 3,
    };
    let msg = execute(fake, audit, mutation).await;
    assert_eq!(
        msg,
        Msg::Mutated {
            sentence: "Scaled deployment t4k9pz/appserver-prd from 2 to 3.".into()
        }
    );
    assert_eq!(
        calls.0.lock().expect("lock").as_slice(),
        [r#"patch deployment/appserver-prd Merge {"spec":{"replicas":3}}"#]
    );
    let log = std::fs::read_to_string(dir.join("audit.log")).expect("the audit log");
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert_eq!(lines[0]["phase"], "intent");
    assert_eq!(lines[0]["verb"], "scale");
    assert_eq!(lines[0]["target"], "deployment/appserver-prd");
    assert_eq!(lines[0]["namespace"], "t4k9pz");
    assert_eq!(
        lines[0]["detail"],
        "scale deployment t4k9pz/appserver-prd from 2 to 3"
    );
    assert_eq!(lines[1]["phase"], "outcome");
    assert_eq!(lines[1]["outcome"], "ok");
}

#[tokio::test]
async fn a_failed_change_is_said_and_logged_as_an_error() {
    let dir = scratch("fail");
    let fake = FakeCluster {
        calls: Arc::default(),
        fail: true,
    };
    let audit = Audit::at(dir.join("audit.log"), false);
    let msg = execute(fake, audit, Mutation::Restart { target: deploy() }).await;
    let Msg::MutateFailed { sentence } = msg else {
        panic!("expected a failure, got {msg:?}");
    };
    assert!(sentence.contains("409 Conflict"), "{sentence}");
    let log = std::fs::read_to_string(dir.join("audit.log")).expect("the audit log");
    assert!(
        log.lines().nth(1).is_some_and(|l| l.contains("409")),
        "{log}"
    );
}

#[tokio::test]
async fn a_required_audit_log_that_cannot_be_written_stops_the_change() {
    let dir = scratch("required");
    // A directory where the file should be: the append fails.
    std::fs::create_dir_all(dir.join("audit.log")).expect("a directory");
    let calls = Arc::new(Calls::default());
    let fake = FakeCluster {
        calls: calls.clone(),
        fail: false,
    };
    let audit = Audit::at(dir.join("audit.log"), true);
    let mutation = Mutation::Suspend {
        target: Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater"),
        suspend: true,
    };
    let msg = execute(fake, audit, mutation).await;
    let Msg::MutateFailed { sentence } = msg else {
        panic!("expected a refusal, got {msg:?}");
    };
    assert!(sentence.contains("nothing was changed"), "{sentence}");
    assert!(calls.0.lock().expect("lock").is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_trigger_creates_an_owned_job_named_manual() {
    let dir = scratch("trigger");
    let calls = Arc::new(Calls::default());
    let fake = FakeCluster {
        calls: calls.clone(),
        fail: false,
    };
    let audit = Audit::at(dir.join("audit.log"), false);
    let cronjob = Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater");
    let msg = execute(fake, audit, Mutation::Trigger { cronjob }).await;
    let Msg::Mutated { sentence } = msg else {
        panic!("expected success, got {msg:?}");
    };
    assert!(
        sentence
            .starts_with("Triggered cronjob t4k9pz/protheus-updater: job protheus-updater-manual-"),
        "{sentence}"
    );
    let calls = calls.0.lock().expect("lock").clone();
    assert_eq!(calls.len(), 1);
    assert!(
        calls[0].starts_with("create job/protheus-updater-manual-")
            && calls[0].ends_with("\"cj-uid\""),
        "{calls:?}"
    );
    let log = std::fs::read_to_string(dir.join("audit.log")).expect("the audit log");
    assert!(
        log.contains("\"verb\":\"trigger\"") && log.contains(": job protheus-updater-manual-"),
        "{log}"
    );
}

#[tokio::test]
async fn a_delete_goes_through_the_same_executor() {
    let dir = scratch("delete");
    let calls = Arc::new(Calls::default());
    let fake = FakeCluster {
        calls: calls.clone(),
        fail: false,
    };
    let audit = Audit::at(dir.join("audit.log"), true);
    let target = Target::of(ResourceKind::Job, Some("t4k9pz"), "upddistr-1");
    let options = DeleteOptions {
        propagation: Propagation::Foreground,
        ..DeleteOptions::default()
    };
    let msg = execute(fake, audit, Mutation::Delete { target, options }).await;
    assert_eq!(
        msg,
        Msg::Mutated {
            sentence: "Deleted job t4k9pz/upddistr-1.".into()
        }
    );
    assert_eq!(
        calls.0.lock().expect("lock").as_slice(),
        ["delete job/upddistr-1 Foreground"]
    );
    let log = std::fs::read_to_string(dir.join("audit.log")).expect("the audit log");
    assert!(
        log.contains("\"verb\":\"delete\"")
            && log.contains("delete job t4k9pz/upddistr-1 (Foreground)"),
        "{log}"
    );
}

#[test]
fn enter_alone_says_no_to_a_change() {
    let mut s = deployments();
    typed(&mut s, "r");
    let (q, _) = question(&s);
    assert!(q.ends_with("(y/N)"), "{q}");
    assert!(update(&mut s, code(KeyCode::Enter)).is_empty());
    assert_eq!(s.modal, None);
    assert_eq!(s.message.as_deref(), Some("Nothing was changed."));
}
