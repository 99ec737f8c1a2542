use super::*;
use serde_json::json;

fn labels(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn sel(s: &str) -> LabelSelector {
    LabelSelector::parse(s).unwrap()
}

fn parse_err(s: &str) -> String {
    let e = LabelSelector::parse(s).unwrap_err();
    assert_eq!((e.code, e.reason), (400, "BadRequest"));
    e.message
}

#[test]
fn all_label_operators() {
    let l = labels(json!({"app": "web", "tier": "front", "n": "5"}));
    let cases = [
        ("", true),
        ("app=web", true),
        ("app==web", true),
        ("app!=web", false),
        ("missing!=x", true),
        ("tier in (front,back)", true),
        ("tier notin (front)", false),
        ("missing notin (front)", true),
        ("app", true),
        ("!app", false),
        ("!missing", true),
        ("n>4", true),
        ("n<5", false),
        ("app>1", false),
        ("app=web,tier=back", false),
        ("  app = web ,  tier  in  ( front , back )  ", true),
    ];
    for (s, want) in cases {
        assert_eq!(sel(s).matches(Some(&l)), want, "{s}");
    }
    assert!(sel("!app").matches(None));
    assert!(sel("").is_empty());
    assert!(!sel("a").is_empty());
}

#[test]
fn in_and_notin_are_words_where_values_go() {
    let l = labels(json!({"in": "notin"}));
    assert!(sel("in in (notin)").matches(Some(&l)));
    assert!(sel("in=notin").matches(Some(&l)));
}

#[test]
fn empty_values() {
    let l = labels(json!({"a": ""}));
    assert!(sel("a=").matches(Some(&l)));
    assert!(sel("a in (,x)").matches(Some(&l)));
    assert!(sel("a in ()").matches(Some(&l)));
}

#[test]
fn label_parse_errors() {
    assert_eq!(
        parse_err("a in b"),
        "unable to parse requirement: found 'b' expected: '('"
    );
    assert_eq!(
        parse_err("a in (b"),
        "unable to parse requirement: found '', expected: ',' or ')'"
    );
    assert_eq!(
        parse_err("a b"),
        "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
    );
    assert_eq!(
        parse_err("a=b c"),
        "found 'c', expected: ',' or 'end of string'"
    );
    assert_eq!(
        parse_err("!a=b"),
        "found '=', expected: ',' or 'end of string'"
    );
    assert_eq!(parse_err("a,"), "found '', expected: identifier after ','");
    assert_eq!(
        parse_err("=a"),
        "found '=', expected: !, identifier, or 'end of string'"
    );
    assert_eq!(
        parse_err("a=(b)"),
        "unable to parse requirement: found '(', expected: identifier"
    );
    assert_eq!(
        parse_err("a foo b"),
        "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt"
    );
    assert_eq!(
            parse_err("a>b"),
            "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"
        );
    assert_eq!(
            parse_err("a_=b"),
            "unable to parse requirement: <nil>: Invalid value: \"a_\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
    assert_eq!(
            parse_err("a=b_"),
            "unable to parse requirement: values[0][a]: Invalid value: \"b_\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
    assert!(parse_err("Example.com/x=y").contains("prefix part a lowercase RFC 1123 subdomain"));
    assert!(LabelSelector::parse("example.com/app=y,k8s.io/x notin (a)").is_ok());
}

#[test]
fn label_selector_from_object() {
    let s = LabelSelector::from_object(&json!({
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["front", "back"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "env", "operator": "NotIn", "values": ["prod"]},
            {"key": "team", "operator": "Exists"}
        ]
    }))
    .unwrap();
    assert!(s.matches(Some(&labels(
        json!({"app": "web", "tier": "back", "team": "a"})
    ))));
    assert!(!s.matches(Some(&labels(
        json!({"app": "web", "tier": "back", "team": "a", "canary": "1"})
    ))));
    assert!(!s.matches(Some(&labels(
        json!({"app": "web", "tier": "back", "team": "a", "env": "prod"})
    ))));
    assert!(!s.matches(Some(&labels(
        json!({"app": "web", "tier": "mid", "team": "a"})
    ))));

    assert!(LabelSelector::from_object(&json!({}))
        .unwrap()
        .matches(None));
    assert!(!LabelSelector::from_object(&Value::Null)
        .unwrap()
        .matches(None));
    let e = LabelSelector::from_object(
        &json!({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "\"Bogus\" is not a valid label selector operator"
    );
    let e = LabelSelector::from_object(
        &json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"
    );
}

#[test]
fn label_selector_from_map() {
    let s = LabelSelector::from_map(&labels(json!({"app": "web"})));
    assert!(s.matches(Some(&labels(json!({"app": "web", "x": "y"})))));
    assert!(!s.matches(Some(&labels(json!({"app": "db"})))));
    let none = LabelSelector::from_map(&Map::new());
    assert!(!none.matches(Some(&labels(json!({"app": "web"})))));
    assert!(!none.is_empty());
}

fn pod() -> Value {
    json!({"metadata": {"name": "web-1", "namespace": "shop"},
               "spec": {"nodeName": "node-a", "restartPolicy": "Always"},
               "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.1"}]}})
}

#[test]
fn field_selector_matching() {
    let fs = |s: &str| FieldSelector::parse(s, "pods").unwrap();
    assert!(fs("").matches(&pod()));
    assert!(fs("metadata.name=web-1").matches(&pod()));
    assert!(fs("metadata.name==web-1,metadata.namespace!=kube-system").matches(&pod()));
    assert!(fs("status.phase=Running,spec.nodeName=node-a").matches(&pod()));
    assert!(!fs("status.phase!=Running").matches(&pod()));
    assert!(fs("spec.hostNetwork=false").matches(&pod()));
    assert!(fs("spec.host=node-a").matches(&pod()));
    assert!(fs("status.podIPs=10.0.0.1").matches(&pod()));
    assert!(!fs("spec.schedulerName=x").matches(&pod()));
    assert!(fs("status.nominatedNodeName=").matches(&pod()));
    let named = fs("metadata.namespace=shop,metadata.name=web-1");
    assert_eq!(
        (named.name(), named.namespace()),
        (Some("web-1"), Some("shop"))
    );
    assert_eq!(fs("metadata.name!=x").name(), None);

    let ev = json!({"involvedObject": {"kind": "Pod", "name": "web-1"}, "reason": "Started",
                        "type": "Normal", "source": {"component": "kubelet"}});
    let fe = |s: &str| FieldSelector::parse(s, "events").unwrap().matches(&ev);
    assert!(fe(
        "involvedObject.kind=Pod,involvedObject.name=web-1,reason=Started"
    ));
    assert!(fe("type=Normal,source=kubelet"));
    assert!(!fe("type=Warning"));
    assert!(FieldSelector::parse("metadata.name=a\\,b", "configmaps")
        .unwrap()
        .matches(&json!({"metadata": {"name": "a,b"}})));
}

#[test]
fn field_selector_errors() {
    let err = |s: &str, r: &str| FieldSelector::parse(s, r).unwrap_err();
    let e = err("foo=bar", "pods");
    assert_eq!(
        (e.code, e.message.as_str()),
        (400, "field label not supported: foo")
    );
    assert_eq!(
        err("foo=bar", "configmaps").message,
        "\"foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
    );
    assert_eq!(
        err("spec.nodeName=x", "deployments.apps").message,
        err("spec.nodeName=x", "deployments").message
    );
    assert_eq!(
        err("status.phase=x", "jobs").message,
        "field label \"status.phase\" not supported for batchv1.Job"
    );
    assert_eq!(
        err("abc", "pods").message,
        "invalid selector: 'abc'; can't understand 'abc'"
    );
    assert_eq!(
        err("a=b=c", "pods").message,
        "invalid field selector: unescaped character in value: 61"
    );
    assert_eq!(
        err("a=b\\x", "pods").message,
        "invalid field selector: invalid escape sequence: \\x"
    );
    // Spaces are not trimmed by the server either.
    assert_eq!(
        err("metadata.name = x", "pods").message,
        "field label not supported: metadata.name "
    );
}
