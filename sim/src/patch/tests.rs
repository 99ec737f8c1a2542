use super::*;

fn smp(obj: Value, patch: Value) -> Value {
    apply_patch(
        &obj,
        patch.to_string().as_bytes(),
        PatchKind::StrategicMerge,
    )
    .unwrap()
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

fn cronjob() -> Value {
    json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "nightly", "namespace": "default"},
        "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure",
            "containers": [
                {"name": "x", "image": "busybox", "command": ["sh", "-c", "echo old"],
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
                {"name": "sidecar", "image": "envoy"}
            ]
        }}}}}
    })
}

#[test]
fn content_types() {
    assert_eq!(
        PatchKind::from_content_type("application/json-patch+json"),
        Some(PatchKind::Json)
    );
    assert_eq!(
        PatchKind::from_content_type("application/merge-patch+json; charset=utf-8"),
        Some(PatchKind::Merge)
    );
    assert_eq!(
        PatchKind::from_content_type("application/strategic-merge-patch+json"),
        Some(PatchKind::StrategicMerge)
    );
    assert_eq!(
        PatchKind::from_content_type("application/apply-patch+yaml"),
        Some(PatchKind::Apply)
    );
    assert_eq!(
        PatchKind::from_content_type("application/apply-patch+cbor"),
        None
    );
    assert_eq!(PatchKind::from_content_type("application/json"), None);
}

#[test]
fn edit_flow_changes_cronjob_container_command() {
    // What kubectl edit sends after changing the command of container x.
    let patch = json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "x"}, {"name": "sidecar"}],
        "containers": [{"name": "x", "command": ["sh", "-c", "echo new"]}]
    }}}}}});
    let out = smp(cronjob(), patch);
    let containers = &out["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"];
    assert_eq!(names(containers), ["x", "sidecar"]);
    assert_eq!(containers[0]["command"], json!(["sh", "-c", "echo new"]));
    assert_eq!(containers[0]["image"], "busybox");
    assert_eq!(containers[0]["env"][1]["value"], "2");
    assert_eq!(containers[1], json!({"name": "sidecar", "image": "envoy"}));
    assert_eq!(out["spec"]["schedule"], "0 3 * * *");
}

#[test]
fn env_merges_by_name() {
    let patch = json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"name": "x", "env": [{"name": "B", "value": "20"}, {"name": "C", "value": "3"}]}]
    }}}}}});
    let out = smp(cronjob(), patch);
    let env = &out["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"];
    // New items go before untouched ones, as on a real server.
    assert_eq!(names(env), ["A", "B", "C"]);
    assert_eq!(env[1]["value"], "20");
    let added = smp(
        json!({"c": 1}),
        json!({"spec": {"containers": [{"name": "n"}]}}),
    );
    assert_eq!(names(&added["spec"]["containers"]), ["n"]);
}

#[test]
fn new_list_item_is_prepended() {
    let pod = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
    let out = smp(
        pod,
        json!({"spec": {"containers": [{"name": "new", "image": "i"}]}}),
    );
    assert_eq!(names(&out["spec"]["containers"]), ["new", "a", "b"]);
}

#[test]
fn patch_delete_removes_a_container() {
    let patch = json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {
        "containers": [{"name": "sidecar", "$patch": "delete"}]
    }}}}}});
    let out = smp(cronjob(), patch);
    assert_eq!(
        names(&out["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]),
        ["x"]
    );
}

#[test]
fn patch_replace_in_list_and_map() {
    let pod =
        json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}], "nodeSelector": {"x": "1"}}});
    let out = smp(
        pod,
        json!({"spec": {
            "containers": [{"$patch": "replace"}, {"name": "c"}],
            "nodeSelector": {"$patch": "replace", "y": "2"}
        }}),
    );
    assert_eq!(names(&out["spec"]["containers"]), ["c"]);
    assert_eq!(out["spec"]["nodeSelector"], json!({"y": "2"}));
    let emptied = smp(
        json!({"spec": {"a": 1}}),
        json!({"spec": {"$patch": "delete"}}),
    );
    assert_eq!(emptied["spec"], json!({}));
}

#[test]
fn set_element_order_reorders() {
    let pod = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}});
    let out = smp(
        pod,
        json!({"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}]}}),
    );
    assert_eq!(names(&out["spec"]["containers"]), ["c", "a", "b"]);
}

#[test]
fn null_deletes_keys() {
    let obj = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"x": 1}});
    let out = smp(
        obj,
        json!({"metadata": {"labels": {"a": null, "c": null}}, "spec": null}),
    );
    assert_eq!(out, json!({"metadata": {"labels": {"b": "2"}}}));
}

#[test]
fn unkeyed_lists_are_replaced_and_finalizers_merge() {
    let obj = json!({"metadata": {"finalizers": ["a", "b"]},
                         "spec": {"tolerations": [{"key": "k1"}], "containers": [{"name": "x", "args": ["1", "2"]}]}});
    let out = smp(
        obj,
        json!({"metadata": {"finalizers": ["c", "a"], "$deleteFromPrimitiveList/finalizers": ["b"]},
                   "spec": {"tolerations": [{"key": "k2"}], "containers": [{"name": "x", "args": ["3"]}]}}),
    );
    assert_eq!(out["metadata"]["finalizers"], json!(["c", "a"]));
    assert_eq!(out["spec"]["tolerations"], json!([{"key": "k2"}]));
    assert_eq!(out["spec"]["containers"][0]["args"], json!(["3"]));
}

#[test]
fn ports_merge_by_the_right_key() {
    let svc =
        json!({"spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]}});
    let out = smp(
        svc,
        json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}),
    );
    assert_eq!(
        out["spec"]["ports"][0],
        json!({"port": 80, "name": "http", "targetPort": 8080})
    );
    assert_eq!(out["spec"]["ports"].as_array().unwrap().len(), 2);
    let pod = json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]}});
    let out = smp(
        pod,
        json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80, "name": "web"}]}]}}),
    );
    assert_eq!(
        out["spec"]["containers"][0]["ports"],
        json!([{"containerPort": 80, "name": "web"}])
    );
}

#[test]
fn retain_keys_clears_other_fields() {
    let obj =
        json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
    let out = smp(
        obj.clone(),
        json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
    );
    assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
    let bad = json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}});
    let err = apply_patch(&obj, bad.to_string().as_bytes(), PatchKind::StrategicMerge).unwrap_err();
    assert_eq!(err.code, 422);
}

#[test]
fn strategic_errors() {
    let obj = json!({"spec": {"containers": [{"name": "a"}]}});
    let err = apply_patch(&obj, b"{\"spec\":", PatchKind::StrategicMerge).unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (400, "unexpected end of JSON input")
    );
    let err = apply_patch(&obj, b"[1]", PatchKind::StrategicMerge).unwrap_err();
    assert_eq!(
        err.message,
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    let err = apply_patch(&obj, b"{x}", PatchKind::StrategicMerge).unwrap_err();
    assert_eq!(
        err.message,
        "invalid character 'x' looking for beginning of object key string"
    );
    let no_key = json!({"spec": {"containers": [{"image": "i"}]}});
    let err = apply_patch(
        &obj,
        no_key.to_string().as_bytes(),
        PatchKind::StrategicMerge,
    )
    .unwrap_err();
    assert_eq!(err.code, 500);
    assert_eq!(
        err.message,
        "map: map[image:i] does not contain declared merge key: name"
    );
}

#[test]
fn merge_patch() {
    let obj = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
    let p = json!({"metadata": {"labels": {"a": null, "b": "2"}}, "spec": {"containers": [{"name": "c"}]}});
    let out = apply_patch(&obj, p.to_string().as_bytes(), PatchKind::Merge).unwrap();
    assert_eq!(out["metadata"]["labels"], json!({"b": "2"}));
    assert_eq!(out["spec"]["containers"], json!([{"name": "c"}]));
    let err = apply_patch(&obj, b"xyz", PatchKind::Merge).unwrap_err();
    assert_eq!(err.code, 400);
    assert_eq!(
        err.message,
        "error decoding patch: invalid character 'x' looking for beginning of value"
    );
}

#[test]
fn json_patch_ops() {
    let obj = json!({"metadata": {"name": "p", "labels": {"a": "1"}}, "spec": {"replicas": 1}});
    let p = json!([
        {"op": "add", "path": "/metadata/labels/b", "value": "2"},
        {"op": "replace", "path": "/spec/replicas", "value": 3},
        {"op": "remove", "path": "/metadata/labels/a"},
        {"op": "test", "path": "/metadata/name", "value": "p"}
    ]);
    let out = apply_patch(&obj, p.to_string().as_bytes(), PatchKind::Json).unwrap();
    assert_eq!(out["metadata"]["labels"], json!({"b": "2"}));
    assert_eq!(out["spec"]["replicas"], 3);
}

#[test]
fn json_patch_failures() {
    let obj = json!({"metadata": {"name": "p"}});
    for p in [
        json!([{"op": "test", "path": "/metadata/name", "value": "q"}]),
        json!([{"op": "remove", "path": "/spec/missing"}]),
        json!([{"op": "frobnicate", "path": "/a"}]),
    ] {
        let err = apply_patch(&obj, p.to_string().as_bytes(), PatchKind::Json).unwrap_err();
        assert_eq!((err.code, err.reason), (422, "Invalid"));
        assert_eq!(
            err.message,
            "the server rejected our request due to an error in our request"
        );
    }
    let err = apply_patch(&obj, b"{\"op\":\"add\"}", PatchKind::Json).unwrap_err();
    assert_eq!(err.code, 400);
    assert_eq!(
            err.message,
            "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp"
        );
}

#[test]
fn apply_is_a_strategic_merge_of_yaml() {
    let obj = json!({"metadata": {"name": "d", "labels": {"a": "1"}},
                         "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "web", "image": "v1"}]}}}});
    let body = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: v2\n";
    let out = apply_patch(&obj, body, PatchKind::Apply).unwrap();
    assert_eq!(out["spec"]["replicas"], 3);
    assert_eq!(
        out["spec"]["template"]["spec"]["containers"],
        json!([{"name": "web", "image": "v2"}])
    );
    assert_eq!(out["metadata"]["labels"]["a"], "1");
    let err = apply_patch(&obj, b"- a\n- b\n", PatchKind::Apply).unwrap_err();
    assert_eq!(err.code, 400);
    assert!(err.message.starts_with("error decoding YAML: "));
}
