//! Which namespaces are watched: the config's tenants, a tenant selector, and the fall-back to
//! one watch per tenant when RBAC forbids cluster-wide lists.

use super::fixtures::{picker, pod_table};
use std::path::PathBuf;

use kterm::app::effect::{Effect, Namespaces};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::{Connection, NamespaceChoice, State};
use kterm::app::update::update;
use kterm::config::settings::parse_file;
use kterm::config::{Settings, Tenant};

use super::fixtures::{now, row};

fn fixture(name: &str) -> (String, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config/settings")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    (name.to_string(), text)
}

fn tenant(ns: &str) -> Tenant {
    Tenant {
        namespace: ns.into(),
        ..Tenant::default()
    }
}

fn connect(s: &mut State) -> Vec<Effect> {
    update(
        s,
        Msg::Connected {
            context: "prod".into(),
            default_namespace: "home".into(),
        },
    )
}

fn watch(list: &[&str]) -> Effect {
    Effect::StartPodWatch {
        namespaces: Namespaces::List(list.iter().map(|s| s.to_string()).collect()),
    }
}

#[test]
fn config_lists_tenants_with_names_and_drops_repeats() {
    let (file, text) = fixture("good.yaml");
    let settings = parse_file(&file, &text).expect("valid");
    let names: Vec<String> = settings.tenants.iter().map(Tenant::label).collect();
    assert_eq!(names, ["t4k9pz", "c2a7dv (Acme Foods, prd)"]);
    assert_eq!(
        settings.tenant_selector.as_deref(),
        Some("kterm.io/tenant=true")
    );
    assert_eq!(
        parse_file("empty", "\n").expect("empty"),
        Settings::default()
    );
}

#[test]
fn broken_config_names_file_and_line() {
    let (file, text) = fixture("bad-namespace.yaml");
    let error = parse_file(&file, &text).expect_err("not a namespace");
    assert_eq!(error.line, Some(3));
    assert!(
        error.to_string().starts_with("bad-namespace.yaml:3: "),
        "{error}"
    );
    assert!(
        error
            .message
            .contains("\"Acme_Foods\" is not a namespace name"),
        "{error}"
    );

    let (file, text) = fixture("typo.yaml");
    let error = parse_file(&file, &text).expect_err("typo");
    assert_eq!(error.file, "typo.yaml");
    assert!(error.line.is_some(), "{error:?}");
}

#[test]
fn command_line_wins_over_config_tenants_then_selector() {
    let settings = Settings {
        tenants: vec![tenant("a"), tenant("b")],
        tenant_selector: Some("k=v".into()),
        ..Settings::default()
    };
    let choice = NamespaceChoice::ContextDefault.or_settings(&settings);
    assert_eq!(choice, NamespaceChoice::List(vec!["a".into(), "b".into()]));
    assert_eq!(
        NamespaceChoice::All.or_settings(&settings),
        NamespaceChoice::All
    );
    let only_selector = Settings {
        tenant_selector: Some("k=v".into()),
        ..Settings::default()
    };
    assert_eq!(
        NamespaceChoice::ContextDefault.or_settings(&only_selector),
        NamespaceChoice::Selector("k=v".into())
    );
    assert_eq!(
        NamespaceChoice::ContextDefault.or_settings(&Settings::default()),
        NamespaceChoice::ContextDefault
    );
}

#[test]
fn forbidden_cluster_wide_watch_falls_back_to_each_configured_tenant() {
    let mut s = State::new("ctx", NamespaceChoice::All, now());
    s.tenants = vec![tenant("a"), tenant("b")];
    assert_eq!(
        connect(&mut s),
        vec![Effect::StartPodWatch {
            namespaces: Namespaces::All
        }]
    );
    let effects = update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::All,
            error: "You may not list pods in all namespaces.".into(),
            forbidden: true,
        },
    );
    assert_eq!(effects, vec![watch(&["a", "b"])]);
    assert_eq!(
        s.cluster.connection,
        Connection::Listing,
        "no error left showing"
    );
    let message = s.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("You may not watch pods in all namespaces")
            && message.contains("the 2 configured tenants one by one"),
        "{message}"
    );
    // A forbidden namespace watch stops (retrying will not change RBAC); the others go on.
    let effects = update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::Namespace("b".into()),
            error: "You may not list pods in namespace b.".into(),
            forbidden: true,
        },
    );
    assert_eq!(effects, vec![watch(&["a"])]);
    assert!(!matches!(s.cluster.connection, Connection::Retrying(_)));
    let message = s.message.clone().unwrap_or_default();
    assert!(message.contains("namespace b"), "{message}");
}

/// `--rbac tenant`, `-A` and no config: the context's namespace is tried and refused too; that
/// watch stops instead of retrying for good, and the user reads which namespace and what to do.
#[test]
fn a_refused_namespace_watch_stops_and_says_so_once() {
    let mut s = State::new("ctx", NamespaceChoice::All, now());
    connect(&mut s);
    let refused = |s: &mut State, scope: WatchScope| {
        update(
            s,
            Msg::WatchFailed {
                scope,
                error: "You may not list pods.".into(),
                forbidden: true,
            },
        )
    };
    assert_eq!(refused(&mut s, WatchScope::All), vec![watch(&["home"])]);
    let effects = refused(&mut s, WatchScope::Namespace("home".into()));
    assert_eq!(effects, vec![watch(&[])], "the refused watch is stopped");
    assert_eq!(
        s.cluster.connection,
        Connection::Live,
        "nothing left retrying"
    );
    let message = s.message.clone().unwrap_or_default();
    assert!(
        message.contains("namespace home")
            && message.contains(":ns NAME adds a namespace you can read"),
        "{message}"
    );
    assert!(s.cluster.watch_errors.is_empty() && s.cluster.pending_lists.is_empty());
    // A late report of the stopped watch changes nothing.
    let effects = refused(&mut s, WatchScope::Namespace("home".into()));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(s.cluster.connection, Connection::Live);
}

#[test]
fn without_tenants_the_fall_back_is_the_context_namespace() {
    let mut s = State::new("ctx", NamespaceChoice::All, now());
    connect(&mut s);
    let effects = update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::All,
            error: String::new(),
            forbidden: true,
        },
    );
    assert_eq!(effects, vec![watch(&["home"])]);
    let message = s.message.clone().unwrap_or_default();
    assert!(
        message.contains("the context's namespace home"),
        "{message}"
    );
    assert!(message.contains(":ns NAME"), "{message}");
}

#[test]
fn selector_lists_namespaces_then_keeps_only_their_pods() {
    let mut s = State::new("ctx", NamespaceChoice::Selector("t=1".into()), now());
    assert_eq!(
        connect(&mut s),
        vec![Effect::ListNamespaces {
            selector: "t=1".into()
        }]
    );
    let effects = update(
        &mut s,
        Msg::NamespacesListed {
            names: vec!["a".into(), "b".into()],
        },
    );
    assert_eq!(
        effects,
        vec![Effect::StartPodWatch {
            namespaces: Namespaces::All
        }]
    );
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![row("a", "p"), row("kube-system", "dns"), row("b", "q")],
        },
    );
    let kept: Vec<String> = s
        .store
        .rows()
        .keys()
        .map(|k| k.namespace.to_string())
        .collect();
    assert_eq!(kept, ["a", "b"]);

    // If the cluster-wide watch is then forbidden, the labelled namespaces are watched one by one.
    let effects = update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::All,
            error: String::new(),
            forbidden: true,
        },
    );
    assert_eq!(effects, vec![watch(&["a", "b"])]);
    assert!(s.message.unwrap_or_default().contains("2 labelled tenants"));
}

#[test]
fn selector_forbidden_falls_back_and_other_errors_say_why() {
    let mut s = State::new("ctx", NamespaceChoice::Selector("t=1".into()), now());
    s.tenants = vec![tenant("a")];
    connect(&mut s);
    let effects = update(
        &mut s,
        Msg::NamespaceListFailed {
            error: "You may not list namespaces.".into(),
            forbidden: true,
        },
    );
    assert_eq!(effects, vec![watch(&["a"])]);
    assert!(s
        .message
        .clone()
        .unwrap_or_default()
        .contains("list namespaces"));

    let mut s = State::new("ctx", NamespaceChoice::Selector("t=1".into()), now());
    connect(&mut s);
    let sentence = "Cannot reach the cluster (refused); check the network and restart kterm.";
    let effects = update(
        &mut s,
        Msg::NamespaceListFailed {
            error: sentence.into(),
            forbidden: false,
        },
    );
    assert!(effects.is_empty());
    assert_eq!(s.cluster.connection, Connection::Failed(sentence.into()));

    let mut s = State::new("ctx", NamespaceChoice::Selector("t=1".into()), now());
    connect(&mut s);
    update(&mut s, Msg::NamespacesListed { names: vec![] });
    assert!(
        matches!(&s.cluster.connection, Connection::Failed(e) if e.contains("No namespace has the label t=1")),
        "{:?}",
        s.cluster.connection
    );
}

fn press(s: &mut State, code: crossterm::event::KeyCode) -> Vec<Effect> {
    use crossterm::event::{KeyEvent, KeyModifiers};
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        press(s, crossterm::event::KeyCode::Char(c));
    }
}

/// Three tenants listed and live, one of them named in the config.
fn live_tenants() -> State {
    let mut s = State::new(
        "ctx",
        NamespaceChoice::List(vec!["a".into(), "b".into(), "c".into()]),
        now(),
    );
    s.tenants = vec![Tenant {
        namespace: "b".into(),
        name: Some("Bee Corp".into()),
        environment: Some("prd".into()),
    }];
    connect(&mut s);
    let mut failing = row("b", "q2");
    failing.status = "CrashLoopBackOff".into();
    failing.ready = 0;
    for ns in ["a", "b", "c"] {
        update(
            &mut s,
            Msg::PodsApplied {
                scope: WatchScope::Namespace(ns.into()),
                rows: vec![row(ns, "p1")],
            },
        );
    }
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::Namespace("b".into()),
            rows: vec![failing],
        },
    );
    s
}

fn shown_namespaces(s: &State) -> Vec<String> {
    let mut names: Vec<String> = pod_table(s)
        .order
        .iter()
        .map(|k| k.namespace.to_string())
        .collect();
    names.dedup();
    names
}

#[test]
fn tenant_picker_focuses_one_tenant_without_refetching_and_zero_shows_all() {
    use crossterm::event::KeyCode;
    let mut s = live_tenants();
    assert!(press(&mut s, KeyCode::Char('t')).is_empty());
    let open = picker(&s).expect("picker open");
    let labels: Vec<(&str, &str)> = open
        .items
        .iter()
        .map(|i| (i.label.as_str(), i.detail.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("all tenants", "4 pods, 1 not ready"),
            ("a", "1 pods"),
            ("b (Bee Corp, prd)", "2 pods, 1 not ready"),
            ("c", "1 pods"),
        ]
    );
    // Typing narrows (by display name too); enter focuses; nothing is re-fetched.
    typed(&mut s, "bee");
    assert_eq!(picker(&s).map(|p| p.shown().len()), Some(1));
    let effects = press(&mut s, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(picker(&s).is_none());
    assert_eq!(s.namespace_focus.as_deref(), Some("b"));
    assert_eq!(shown_namespaces(&s), ["b"]);
    assert_eq!(pod_table(&s).order.len(), 2);
    assert_eq!(
        pod_table(&s).order_stats.unhealthy,
        1,
        "counts follow the focus"
    );
    // A watch event elsewhere does not leak into the focused view.
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::Namespace("a".into()),
            rows: vec![row("a", "p9")],
        },
    );
    assert_eq!(shown_namespaces(&s), ["b"]);
    press(&mut s, KeyCode::Char('0'));
    assert_eq!(s.namespace_focus, None);
    assert_eq!(pod_table(&s).order.len(), 5);
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "p1");
    assert_eq!(
        (
            pod_table(&s).order.len(),
            pod_table(&s).order_stats.unhealthy
        ),
        (3, 0),
        "counts follow the filter"
    );
}

#[test]
fn favourites_are_marked_saved_and_reached_with_digits() {
    use crossterm::event::KeyCode;
    let mut s = live_tenants();
    press(&mut s, KeyCode::Char('t'));
    typed(&mut s, "c");
    let effects = press(&mut s, KeyCode::Char('*'));
    assert_eq!(
        effects,
        vec![Effect::SaveFavourites {
            favourites: vec!["c".into()]
        }]
    );
    press(&mut s, KeyCode::Esc);
    assert!(picker(&s).is_none());
    assert_eq!(s.namespace_focus, None, "esc picks nothing");
    press(&mut s, KeyCode::Char('1'));
    assert_eq!(shown_namespaces(&s), ["c"]);
    // No favourite 2 yet: one sentence, focus unchanged.
    press(&mut s, KeyCode::Char('2'));
    assert_eq!(shown_namespaces(&s), ["c"]);
    assert!(s
        .message
        .clone()
        .unwrap_or_default()
        .contains("No favourite 2"));
    // Favourites come first in the picker, after "all tenants".
    press(&mut s, KeyCode::Char('t'));
    let values: Vec<String> = picker(&s)
        .map(|p| p.items.iter().map(|i| i.value.clone()).collect())
        .unwrap_or_default();
    assert_eq!(values, ["", "c", "a", "b"]);
    // Unmarking saves the shorter list.
    let effects = press(&mut s, KeyCode::Char('*'));
    assert_eq!(effects, vec![Effect::SaveFavourites { favourites: vec![] }]);
}

#[test]
fn a_typed_namespace_that_is_not_watched_is_added_to_the_watches() {
    use crossterm::event::KeyCode;
    let mut s = live_tenants();
    press(&mut s, KeyCode::Char('t'));
    typed(&mut s, "zz9");
    assert_eq!(picker(&s).map(|p| p.shown().len()), Some(0));
    let effects = press(&mut s, KeyCode::Enter);
    assert_eq!(effects.first(), Some(&watch(&["a", "b", "c", "zz9"])));
    assert_namespace_checked(&effects, "zz9");
    assert_eq!(s.namespace_focus.as_deref(), Some("zz9"));
    // Not a namespace name: one sentence, no watch.
    press(&mut s, KeyCode::Char('t'));
    typed(&mut s, "Bad_Name");
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(s
        .message
        .clone()
        .unwrap_or_default()
        .contains("is not a namespace name"));
}

#[test]
fn a_typed_namespace_replaces_a_watched_one_rbac_refused() {
    let mut s = State::new("ctx", NamespaceChoice::All, now());
    connect(&mut s);
    // -A forbidden, no tenants: the context's namespace is tried, and refused too.
    update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::All,
            error: String::new(),
            forbidden: true,
        },
    );
    update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::Namespace("home".into()),
            error: "You may not list pods in namespace home.".into(),
            forbidden: true,
        },
    );
    assert!(!matches!(s.cluster.connection, Connection::Retrying(_)));
    let effects = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char('t'),
        )),
    );
    assert!(effects.is_empty());
    typed(&mut s, "c2a7dv");
    let effects = press(&mut s, crossterm::event::KeyCode::Enter);
    assert_eq!(effects.first(), Some(&watch(&["c2a7dv"])));
    assert_namespace_checked(&effects, "c2a7dv");
    assert_eq!(
        s.cluster.connection,
        Connection::Listing,
        "the refused watch and its error are gone"
    );
}

/// Besides the watch, a typed namespace is asked for, so a typo is named (issue 7).
fn assert_namespace_checked(effects: &[Effect], name: &str) {
    assert_eq!(effects.len(), 2, "{effects:?}");
    assert!(
        matches!(
            &effects[1],
            Effect::FetchObject { purpose: kterm::app::effect::FetchPurpose::Namespace, target, .. }
                if target.name == name
        ),
        "{effects:?}"
    );
}
