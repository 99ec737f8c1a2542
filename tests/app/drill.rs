//! Resource lists, the screen stack and drill-downs, through `update` (and one render).

use super::fixtures::{pod_table, text_view};
use crossterm::event::KeyCode;
use kterm::app::effect::{Effect, Namespaces, ResourceWatch};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::kinds::ResourceKind;
use kterm::kube::pods::PodRow;
use kterm::kube::resources::coreapi::{SlimNamespace, SlimService};
use kterm::kube::resources::wire::Listed;
use kterm::kube::resources::workloads::{SlimCronJob, SlimDeployment, SlimJob};
use kterm::kube::resources::{ResourceChange, ResourceEvent, ResourceRow};
use kterm::kube::selector::Labels;
use serde_json::{json, Value};

use super::commands::{code, command, connected, top_kind, typed};
use super::fixtures::row;

fn decode<K: serde::de::DeserializeOwned + Listed>(value: Value) -> ResourceRow {
    serde_json::from_value::<K>(value)
        .expect("decodes")
        .into_row()
}

fn deployment(ns: &str, name: &str, app: &str, env: &str) -> ResourceRow {
    decode::<SlimDeployment>(json!({
        "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": app, "env": env}}},
        "status": {"readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}
    }))
}

fn pod(ns: &str, name: &str, app: &str, env: &str) -> PodRow {
    PodRow {
        labels: Labels::from_pairs([("app", app), ("env", env)]),
        ..row(ns, name)
    }
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

/// Two tenants with appserver-prd and rest-prd each, and their pods.
fn tenants() -> State {
    let mut s = connected();
    let pods = vec![
        pod("c2a7dv", "appserver-prd-1", "appserver", "production"),
        pod("t4k9pz", "appserver-hml-1", "appserver", "homologation"),
        pod("t4k9pz", "appserver-prd-1", "appserver", "production"),
        pod("t4k9pz", "appserver-prd-2", "appserver", "production"),
        pod("t4k9pz", "rest-prd-1", "rest", "production"),
    ];
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: pods,
        },
    );
    s
}

fn shown_pods(s: &State) -> Vec<String> {
    pod_table(s)
        .visible_rows(&s.store, usize::MAX)
        .map(|r| format!("{}/{}", r.namespace, r.name))
        .collect()
}

fn shown_list(s: &State) -> Vec<String> {
    let view = s.top_resources().expect("a list on top");
    view.visible_rows(usize::MAX)
        .map(|r| format!("{}/{}", r.namespace, r.name))
        .collect()
}

fn selected_in_list(s: &State) -> Option<String> {
    let row = s.top_resources()?.selected_row()?;
    Some(format!("{}/{}", row.namespace, row.name))
}

#[test]
fn deployment_drills_into_its_pods_and_esc_restores_each_screen() {
    let mut s = tenants();
    // The pod table is left with a filter and a selection, to be found again at the end.
    update(&mut s, code(KeyCode::Char('/')));
    typed(&mut s, "prd");
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, code(KeyCode::Char('j')));
    let pod_selection = pod_table(&s).selected_key.clone();
    assert_eq!(
        pod_selection.as_ref().map(|k| &*k.name),
        Some("appserver-prd-1")
    );

    command(&mut s, "deploy");
    listed(
        &mut s,
        ResourceKind::Deployment,
        vec![
            deployment("c2a7dv", "appserver-prd", "appserver", "production"),
            deployment("t4k9pz", "appserver-hml", "appserver", "homologation"),
            deployment("t4k9pz", "appserver-prd", "appserver", "production"),
            deployment("t4k9pz", "rest-prd", "rest", "production"),
        ],
    );
    assert_eq!(
        shown_list(&s).len(),
        4,
        "the pod filter does not apply to lists"
    );
    update(&mut s, code(KeyCode::Char('G')));
    update(&mut s, code(KeyCode::Char('k')));
    assert_eq!(
        selected_in_list(&s).as_deref(),
        Some("t4k9pz/appserver-prd")
    );

    // Enter: only that deployment's pods (its namespace and selector), no new watch.
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(top_kind(&s), None);
    assert_eq!(
        shown_pods(&s),
        ["t4k9pz/appserver-prd-1", "t4k9pz/appserver-prd-2"]
    );
    assert_eq!(
        pod_table(&s).scope.as_ref().map(|p| p.title.as_str()),
        Some("pods of deploy/appserver-prd")
    );
    assert!(
        pod_table(&s).filter.is_none(),
        "a drill-down starts unfiltered"
    );
    assert_eq!(pod_table(&s).order_stats.unhealthy, 0);

    // Esc: back to the list, selection kept, the deployment watch never stopped.
    let effects = update(&mut s, code(KeyCode::Esc));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(
        selected_in_list(&s).as_deref(),
        Some("t4k9pz/appserver-prd")
    );
    assert!(pod_table(&s).scope.is_none());

    // Esc again: the pod table with its filter and selection; the resource watch stops.
    let effects = update(&mut s, code(KeyCode::Esc));
    assert_eq!(effects, vec![Effect::WatchResources(None)]);
    assert_eq!(s.stack.len(), 1);
    assert_eq!(
        pod_table(&s).filter.as_ref().map(|f| f.text.as_str()),
        Some("prd")
    );
    assert_eq!(pod_table(&s).selected_key, pod_selection);
    assert_eq!(shown_pods(&s).len(), 4);
    // On the bottom, esc clears the filter and then has nothing left to do.
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
    assert!(pod_table(&s).filter.is_none());
    let revision = s.revision;
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.revision, revision);
}

#[test]
fn cronjob_drills_into_the_jobs_it_owns_then_into_their_pods() {
    let mut s = tenants();
    command(&mut s, "cj");
    let cj = decode::<SlimCronJob>(
        json!({"metadata": {"name": "protheus-updater", "namespace": "c2a7dv"},
        "spec": {"schedule": "0 3 * * *"}}),
    );
    listed(&mut s, ResourceKind::CronJob, vec![cj]);
    let effects = update(&mut s, code(KeyCode::Enter));
    let jobs_watch = Effect::WatchResources(Some(ResourceWatch {
        kind: ResourceKind::Job,
        namespaces: Namespaces::All,
    }));
    assert_eq!(effects, vec![jobs_watch]);
    assert_eq!(top_kind(&s), Some(ResourceKind::Job));
    assert_eq!(
        s.top_resources().map(|v| v.title()).as_deref(),
        Some("jobs of cj/protheus-updater")
    );

    let job = |ns: &str, name: &str, owner: Option<&str>| {
        let owners: Vec<Value> = owner
            .map(|o| json!({"kind": "CronJob", "name": o, "controller": true}))
            .into_iter()
            .collect();
        decode::<SlimJob>(
            json!({"metadata": {"name": name, "namespace": ns, "ownerReferences": owners},
            "spec": {"selector": {"matchLabels": {"app": "appserver"}}}}),
        )
    };
    listed(
        &mut s,
        ResourceKind::Job,
        vec![
            job(
                "c2a7dv",
                "protheus-updater-29000000",
                Some("protheus-updater"),
            ),
            job("c2a7dv", "upddistr-prd", None),
            job(
                "t4k9pz",
                "protheus-updater-29000000",
                Some("protheus-updater"),
            ),
        ],
    );
    assert_eq!(shown_list(&s), ["c2a7dv/protheus-updater-29000000"]);

    // Enter on the job: its pods (here the selector picks c2a7dv's appserver pod).
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(shown_pods(&s), ["c2a7dv/appserver-prd-1"]);
    // Esc, esc: the jobs, then the cronjobs again, whose watch restarts (the jobs' replaced it).
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(top_kind(&s), Some(ResourceKind::Job));
    let effects = update(&mut s, code(KeyCode::Esc));
    assert_eq!(
        effects,
        vec![Effect::WatchResources(Some(ResourceWatch {
            kind: ResourceKind::CronJob,
            namespaces: Namespaces::All,
        }))]
    );
    assert_eq!(
        selected_in_list(&s).as_deref(),
        Some("c2a7dv/protheus-updater")
    );
    // A late message of the replaced jobs watch does not land in the cronjob list.
    listed(&mut s, ResourceKind::Job, vec![job("x", "late", None)]);
    assert_eq!(shown_list(&s), ["c2a7dv/protheus-updater"]);
}

#[test]
fn namespaces_and_services_drill_into_pods() {
    let mut s = tenants();
    command(&mut s, "ns");
    let ns = |name: &str| {
        decode::<SlimNamespace>(json!({"metadata": {"name": name}, "status": {"phase": "Active"}}))
    };
    listed(
        &mut s,
        ResourceKind::Namespace,
        vec![ns("c2a7dv"), ns("t4k9pz")],
    );
    update(&mut s, code(KeyCode::Char('j')));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(shown_pods(&s).len(), 4);
    assert!(shown_pods(&s).iter().all(|p| p.starts_with("t4k9pz/")));
    assert_eq!(
        pod_table(&s).scope.as_ref().map(|p| p.title.as_str()),
        Some("pods of ns/t4k9pz")
    );

    command(&mut s, "svc");
    let svc = |name: &str, selector: Value| {
        decode::<SlimService>(json!({"metadata": {"name": name, "namespace": "t4k9pz"},
            "spec": {"clusterIP": "10.0.0.1", "selector": selector}}))
    };
    listed(
        &mut s,
        ResourceKind::Service,
        vec![
            svc("manual", json!(null)),
            svc("rest-prd", json!({"app": "rest"})),
        ],
    );
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(top_kind(&s), Some(ResourceKind::Service), "nothing to open");
    assert_eq!(
        s.message.as_deref(),
        Some("svc/manual has no selector, so it selects no pods.")
    );
    update(&mut s, code(KeyCode::Down));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(shown_pods(&s), ["t4k9pz/rest-prd-1"]);
}

#[test]
fn lists_filter_by_namespace_and_name_and_esc_clears_before_going_back() {
    let mut s = tenants();
    command(&mut s, "deploy");
    listed(
        &mut s,
        ResourceKind::Deployment,
        vec![
            deployment("c2a7dv", "appserver-prd", "a", "p"),
            deployment("t4k9pz", "appserver-hml", "a", "h"),
            deployment("t4k9pz", "rest-prd", "r", "p"),
        ],
    );
    update(&mut s, code(KeyCode::Char('/')));
    typed(&mut s, "t4k9");
    assert_eq!(shown_list(&s), ["t4k9pz/appserver-hml", "t4k9pz/rest-prd"]);
    for _ in 0..4 {
        update(&mut s, code(KeyCode::Backspace));
    }
    typed(&mut s, "!^appserver");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(shown_list(&s), ["t4k9pz/rest-prd"]);
    assert!(
        pod_table(&s).filter.is_none(),
        "the pod table's filter is its own"
    );
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(
        shown_list(&s).len(),
        3,
        "esc clears the list's filter first"
    );
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(top_kind(&s), None);
}

#[test]
fn enter_on_the_pod_table_opens_the_detail_pane_not_a_drill_down() {
    let mut s = tenants();
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::FetchObject { .. }]),
        "{effects:?}"
    );
    assert!(pod_table(&s).pane.is_some());
    assert_eq!(s.stack.len(), 1);
}

#[test]
fn a_failing_list_watch_says_why_above_the_status_bar() {
    let mut s = tenants();
    command(&mut s, "node");
    let sentence = "You may not list nodes in the cluster; esc goes back to the pods.";
    update(
        &mut s,
        Msg::Resources(ResourceEvent {
            kind: ResourceKind::Node,
            scope: WatchScope::All,
            change: ResourceChange::Failed(sentence.into()),
        }),
    );
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 10)).expect("backend");
    terminal.draw(|f| kterm::ui::render(f, &s)).expect("draw");
    let buffer = terminal.backend().buffer();
    let line = |y: u16| -> String { (0..120).map(|x| buffer[(x, y)].symbol()).collect() };
    // The sentence is on the message line above the bar, which says it is retrying.
    assert!(line(8).contains(sentence), "{}", line(8));
    assert!(line(9).trim_end().ends_with("│ retrying"), "{}", line(9));
    assert!((0..8).any(|y| line(y).contains("No nodes to show.")));
}

#[test]
fn esc_restores_the_scroll_of_the_pod_table_and_of_the_list() {
    let mut s = connected();
    update(
        &mut s,
        Msg::Resize {
            width: 80,
            height: 12,
        },
    ); // 10 body rows
    let pods = (0..100)
        .map(|i| pod("ns", &format!("app-{i:03}-x"), &format!("app-{i:03}"), "p"))
        .collect();
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: pods,
        },
    );
    update(&mut s, code(KeyCode::Char('G')));
    update(&mut s, code(KeyCode::Char('k')));
    assert_eq!((pod_table(&s).selected, pod_table(&s).offset), (98, 90));

    command(&mut s, "deploy");
    let rows = (0..50)
        .map(|i| deployment("ns", &format!("app-{i:03}"), &format!("app-{i:03}"), "p"))
        .collect();
    listed(&mut s, ResourceKind::Deployment, rows);
    update(&mut s, code(KeyCode::Char('G')));
    let list = |s: &State| s.top_resources().map(|v| (v.selected, v.offset));
    assert_eq!(list(&s), Some((49, 40)));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(shown_pods(&s), ["ns/app-049-x"]);
    assert_eq!((pod_table(&s).selected, pod_table(&s).offset), (0, 0));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(list(&s), Some((49, 40)));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!((pod_table(&s).selected, pod_table(&s).offset), (98, 90));
    assert_eq!(s.selected_row().map(|r| &*r.name), Some("app-098-x"));
}

#[test]
fn yaml_and_describe_on_a_list_fetch_the_selected_object_of_that_kind() {
    use kterm::kube::fetch::ObjectRef;
    let mut s = tenants();
    command(&mut s, "deploy");
    listed(
        &mut s,
        ResourceKind::Deployment,
        vec![deployment(
            "t4k9pz",
            "appserver-prd",
            "appserver",
            "production",
        )],
    );
    let effects = update(&mut s, code(KeyCode::Char('d')));
    let want = ObjectRef::new(ResourceKind::Deployment, Some("t4k9pz"), "appserver-prd");
    assert!(
        matches!(effects.as_slice(), [Effect::FetchObject { target, .. }] if *target == want),
        "{effects:?}"
    );
    // esc closes the text view and the list is still there.
    update(&mut s, code(KeyCode::Esc));
    assert!(text_view(&s).is_none());
    assert_eq!(top_kind(&s), Some(ResourceKind::Deployment));
    let effects = update(&mut s, code(KeyCode::Char('y')));
    assert!(matches!(effects.as_slice(), [Effect::FetchObject { .. }]));
}
