//! Hand-encoded messages for each decoding rule, and real kubectl 1.32 request bodies
//! (captured through a recording proxy) checked against kubectl's own `--dry-run=client -o json`.

use serde_json::{json, Value};

use super::{decode, decode_reporting_unknown, schema};

/// A minimal protobuf encoder, just enough to spell test messages field by field.
mod enc {
    pub fn varint(mut n: u64, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    pub fn int(field: u32, n: i64) -> Vec<u8> {
        let mut out = Vec::new();
        varint(u64::from(field) << 3, &mut out);
        varint(n as u64, &mut out);
        out
    }
    pub fn bytes(field: u32, b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        varint((u64::from(field) << 3) | 2, &mut out);
        varint(b.len() as u64, &mut out);
        out.extend_from_slice(b);
        out
    }
    pub fn s(field: u32, v: &str) -> Vec<u8> {
        bytes(field, v.as_bytes())
    }
    pub fn msg(field: u32, parts: &[Vec<u8>]) -> Vec<u8> {
        bytes(field, &parts.concat())
    }
    pub fn entry(field: u32, key: &str, value: &[u8]) -> Vec<u8> {
        msg(field, &[s(1, key), bytes(2, value)])
    }
    /// `k8s\0` + runtime.Unknown{typeMeta, raw}.
    pub fn envelope(api_version: &str, kind: &str, raw: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"k8s\0".to_vec();
        out.extend(msg(1, &[s(1, api_version), s(2, kind)]));
        out.extend(msg(2, raw));
        out.extend(s(4, "application/vnd.kubernetes.protobuf"));
        out
    }
}
use enc::{entry, envelope, int, msg, s};

#[test]
fn schema_table_parses_and_every_reference_resolves() {
    let schema = schema::schema();
    assert!(schema.errors.is_empty(), "{:?}", schema.errors);
    for (_, kind) in super::KINDS {
        assert!(schema.fields(kind).is_some(), "no message for {kind}");
    }
    fn refs(ty: &schema::Ty) -> Option<&'static str> {
        match ty {
            schema::Ty::Msg(name) => Some(name),
            schema::Ty::List(inner) => refs(inner),
            _ => None,
        }
    }
    for (name, fields) in &schema.messages {
        for f in fields {
            if let Some(target) = refs(&f.ty) {
                assert!(
                    schema.fields(target).is_some(),
                    "{name}.{} refers to missing {target}",
                    f.json
                );
            }
            assert!(
                fields.iter().filter(|g| g.number == f.number).count() == 1,
                "{name}.{} twice",
                f.number
            );
        }
    }
}

#[test]
fn namespace_with_labels_drops_empty_omitempty_strings() {
    let meta = [
        s(1, "team-a"),
        s(2, ""),
        s(5, ""),
        int(7, 0),
        msg(8, &[]),
        entry(11, "env", b"prod"),
    ];
    let body = envelope(
        "v1",
        "Namespace",
        &[msg(1, &meta), msg(2, &[]), msg(3, &[])],
    );
    assert_eq!(
        decode(&body).unwrap(),
        json!({"apiVersion": "v1", "kind": "Namespace",
               "metadata": {"name": "team-a", "creationTimestamp": null, "labels": {"env": "prod"}},
               "spec": {}, "status": {}})
    );
}

#[test]
fn self_subject_access_review() {
    let attrs = [s(1, "y"), s(2, "list"), s(5, "pods")];
    let body = envelope(
        "authorization.k8s.io/v1",
        "SelfSubjectAccessReview",
        &[msg(2, &[msg(1, &attrs)])],
    );
    assert_eq!(
        decode(&body).unwrap(),
        json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
               "spec": {"resourceAttributes": {"namespace": "y", "verb": "list", "resource": "pods"}}})
    );
}

#[test]
fn job_with_pod_template() {
    let owner = [
        s(5, "batch/v1"),
        s(1, "CronJob"),
        s(3, "nightly"),
        s(4, "u-1"),
        int(6, 1),
    ];
    let meta = [
        s(1, "j"),
        msg(13, &owner),
        entry(12, "cronjob.kubernetes.io/instantiate", b"manual"),
    ];
    let env_cm = msg(3, &[msg(3, &[msg(1, &[s(1, "cfg")]), s(2, "mode")])]);
    let container = [
        s(1, "run"),
        s(2, "busybox"),
        s(3, "sh"),
        s(3, "-c"),
        s(4, "echo hi"),
        msg(7, &[s(1, "A"), s(2, "1")]),
        msg(7, &[s(1, "B"), env_cm]),
        msg(8, &[msg(1, &[s(1, "memory"), msg(2, &[s(1, "2Gi")])])]),
        msg(9, &[s(1, "data"), int(2, 0), s(3, "/data")]),
        int(16, 0),
    ];
    let volume = [
        s(1, "data"),
        msg(2, &[msg(10, &[s(1, "data-pvc"), int(2, 0)])]),
    ];
    let pod_spec = [
        msg(1, &volume),
        msg(2, &container),
        s(3, "OnFailure"),
        int(9, 0),
    ];
    let spec = [int(7, 1), msg(6, &[msg(1, &[]), msg(2, &pod_spec)])];
    let body = envelope(
        "batch/v1",
        "Job",
        &[msg(1, &meta), msg(2, &spec), msg(3, &[])],
    );
    assert_eq!(
        decode(&body).unwrap(),
        json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "j",
                "annotations": {"cronjob.kubernetes.io/instantiate": "manual"},
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "nightly",
                                     "uid": "u-1", "controller": true}]},
            "spec": {"backoffLimit": 1, "template": {"metadata": {}, "spec": {
                "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data-pvc"}}],
                "containers": [{"name": "run", "image": "busybox", "command": ["sh", "-c"], "args": ["echo hi"],
                    "env": [{"name": "A", "value": "1"},
                            {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode"}}}],
                    "resources": {"limits": {"memory": "2Gi"}},
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                "restartPolicy": "OnFailure"}}},
            "status": {}})
    );
}

#[test]
fn secret_bytes_become_base64() {
    let body = envelope(
        "v1",
        "Secret",
        &[
            entry(2, "k", b"\x00\xffhi"),
            entry(4, "plain", b"text"),
            s(3, "Opaque"),
        ],
    );
    assert_eq!(
        decode(&body).unwrap(),
        json!({"apiVersion": "v1", "kind": "Secret", "data": {"k": "AP9oaQ=="}, "stringData": {"plain": "text"},
               "type": "Opaque"})
    );
}

#[test]
fn time_int_or_string_and_negative_ints() {
    let meta = [msg(9, &[int(1, 1_795_322_424), int(2, 5)]), int(10, -1)];
    let ports = [
        msg(1, &[int(3, 80), msg(4, &[int(1, 1), s(3, "http")])]),
        msg(1, &[int(3, 81), msg(4, &[int(2, 8081)])]),
    ];
    let body = envelope("v1", "Service", &[msg(1, &meta), msg(2, &ports)]);
    assert_eq!(
        decode(&body).unwrap(),
        json!({"apiVersion": "v1", "kind": "Service",
               "metadata": {"deletionTimestamp": "2026-11-22T04:40:24Z", "deletionGracePeriodSeconds": -1},
               "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081}]}})
    );
}

#[test]
fn errors_are_400_or_415_with_one_sentence() {
    let err = decode(&envelope("batch/v1", "Foo", &[])).unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            415,
            "kterm-sim cannot decode protobuf for batch/v1 Foo; send JSON"
        )
    );
    assert_eq!(decode(b"{}").unwrap_err().code, 400);
    let mut truncated = envelope("v1", "Namespace", &[msg(1, &[s(1, "x")])]);
    truncated.truncate(truncated.len() - 40);
    assert_eq!(decode(&truncated).unwrap_err().code, 400);
    // Unknown fields are dropped (and logged), not fatal: newer clients add fields.
    let body = envelope("v1", "Namespace", &[msg(1, &[s(1, "x"), s(99, "?")])]);
    let (got, unknown) = decode_reporting_unknown(&body).unwrap();
    assert_eq!(
        (&got["metadata"], unknown),
        (&json!({"name": "x"}), vec!["ObjectMeta.99".to_string()])
    );
}

/// Captured kubectl 1.32 bodies whose JSON twin is kubectl's own `--dry-run=client -o json`.
#[test]
fn captured_kubectl_bodies_match_kubectl_json() {
    macro_rules! fixture {
        ($name:literal) => {
            (
                $name,
                include_bytes!(concat!("../../tests/fixtures/protobuf/", $name, ".pb")).as_slice(),
                include_str!(concat!("../../tests/fixtures/protobuf/", $name, ".json")),
            )
        };
    }
    for (name, pb, expected) in [
        fixture!("create-ns"),
        fixture!("create-job"),
        fixture!("create-job-from-cronjob"),
        fixture!("create-deployment"),
        fixture!("create-configmap"),
        fixture!("create-secret-generic"),
        fixture!("create-secret-docker-registry"),
        fixture!("create-service-clusterip"),
        fixture!("create-serviceaccount"),
        fixture!("create-cronjob"),
    ] {
        let expected: Value = serde_json::from_str(expected).unwrap();
        let (got, unknown) = decode_reporting_unknown(pb).unwrap();
        assert_eq!(got, expected, "{name}");
        assert!(unknown.is_empty(), "{name}: {unknown:?}");
    }
}

/// Captured bodies of commands that have no dry-run; expected JSON written from their flags.
#[test]
fn captured_kubectl_bodies_without_dry_run() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/protobuf/");
    let read = |f: &str| std::fs::read(format!("{dir}{f}")).unwrap();
    assert_eq!(
        decode(&read("can-i.pb")).unwrap(),
        json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
               "metadata": {"creationTimestamp": null},
               "spec": {"resourceAttributes": {"namespace": "y", "verb": "list", "resource": "pods"}},
               "status": {"allowed": false}})
    );
    assert_eq!(
        decode(&read("can-i-list.pb")).unwrap(),
        json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
               "metadata": {"creationTimestamp": null}, "spec": {"namespace": "y"}, "status": {"incomplete": false}})
    );
    assert_eq!(
        decode(&read("create-token.pb")).unwrap(),
        json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
               "metadata": {"creationTimestamp": null}, "spec": {"expirationSeconds": 3600},
               "status": {"expirationTimestamp": null, "token": ""}})
    );
    assert_eq!(
        decode(&read("auth-whoami.pb")).unwrap(),
        json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview",
               "metadata": {"creationTimestamp": null}, "status": {"userInfo": {}}})
    );
}
