//! Which namespaces are watched: the config's tenants, a tenant selector, and the fall-back to
//! one watch per tenant when RBAC forbids cluster-wide lists.

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
    assert_eq!(s.connection, Connection::Listing, "no error left showing");
    let message = s.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("You may not watch pods in all namespaces")
            && message.contains("the 2 configured tenants one by one"),
        "{message}"
    );
    // A forbidden namespace watch is an ordinary error: there is nothing narrower to try.
    let effects = update(
        &mut s,
        Msg::WatchFailed {
            scope: WatchScope::Namespace("b".into()),
            error: "You may not list pods in namespace b.".into(),
            forbidden: true,
        },
    );
    assert!(effects.is_empty());
    assert!(matches!(s.connection, Connection::Retrying(_)));
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
    let kept: Vec<String> = s.pods.keys().map(|k| k.namespace.clone()).collect();
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
    assert_eq!(s.connection, Connection::Failed(sentence.into()));

    let mut s = State::new("ctx", NamespaceChoice::Selector("t=1".into()), now());
    connect(&mut s);
    update(&mut s, Msg::NamespacesListed { names: vec![] });
    assert!(
        matches!(&s.connection, Connection::Failed(e) if e.contains("No namespace has the label t=1")),
        "{:?}",
        s.connection
    );
}
