use super::*;
use serde_json::json;

fn pod(name: &str, pad: usize) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "t", "uid": format!("uid-{name}")},
        "spec": {"containers": [{"name": "c", "image": "x".repeat(pad)}]}})
}

#[test]
fn the_history_is_bounded_in_bytes_and_old_versions_then_get_410() {
    let store = Store::with_history_limit(64 * 1024);
    store.insert("pods", "", pod("a", 4000)).unwrap();
    let first = store.rv();
    for i in 0..200 {
        store
            .modify("pods", "", "t", "a", |o| {
                let mut o = o.clone();
                o["metadata"]["labels"] = json!({"i": i.to_string()});
                Ok(o)
            })
            .unwrap();
        assert!(
            store.history_bytes() <= 64 * 1024,
            "{}",
            store.history_bytes()
        );
    }
    // 200 writes of ~8 KB (the object and the version before it) could not all be kept.
    assert!(store.history_bytes() > 32 * 1024);
    assert!(store.replay_and_subscribe(first).is_err(), "410 Gone");
    let (past, _) = store.replay_and_subscribe(store.rv() - 2).unwrap();
    assert_eq!(past.len(), 2);
}

#[test]
fn an_entry_keeps_bytes_and_routing_fields_not_a_tree() {
    let store = Store::new();
    let mut p = pod("b", 10);
    p["metadata"]["ownerReferences"] = json!([{"uid": "rs-1", "kind": "ReplicaSet", "name": "r"}]);
    p["metadata"]["finalizers"] = json!(["x/y"]);
    store.insert("pods", "", p).unwrap();
    let e = store.entry("pods", "t", "b").unwrap();
    assert_eq!(&*e.meta.name, "b");
    assert_eq!(&*e.meta.uid, "uid-b");
    assert_eq!(e.meta.owners.len(), 1);
    assert_eq!(&*e.meta.owners[0], "rs-1");
    assert_eq!(&*e.meta.finalizers[0], "x/y");
    assert!(!e.meta.deleting);
    assert_eq!(e.meta.resource_version, store.rv());
    let v: Value = serde_json::from_slice(&e.json).unwrap();
    assert_eq!(v["metadata"]["resourceVersion"], store.rv().to_string());
    assert_eq!(*store.doc(&e).obj, v);
}

#[test]
fn pages_cut_in_the_store_follow_namespace_and_name_order() {
    let store = Store::new();
    for (ns, name) in [("a", "1"), ("a", "2"), ("b", "1"), ("c", "9")] {
        let mut p = pod(name, 1);
        p["metadata"]["namespace"] = json!(ns);
        p["metadata"]["uid"] = json!(format!("{ns}{name}"));
        store.insert("pods", "", p).unwrap();
    }
    let names =
        |p: &Page| -> Vec<String> { p.items.iter().map(|(n, m, _)| format!("{n}/{m}")).collect() };
    let p = store.page("pods", None, None, Some(2));
    assert_eq!(names(&p), ["a/1", "a/2"]);
    assert_eq!(p.remaining, 2);
    let p = store.page("pods", None, Some(("a", "2")), Some(2));
    assert_eq!(names(&p), ["b/1", "c/9"]);
    assert_eq!(p.remaining, 0);
    let p = store.page("pods", Some("b"), None, None);
    assert_eq!(names(&p), ["b/1"]);
    let p = store.page("pods", Some("b"), Some(("a", "9")), None);
    assert_eq!(
        names(&p),
        ["b/1"],
        "a token from before the namespace starts it"
    );
}
