//! `metadata.managedFields` as an API server stores them: a FieldsV1 set derived from the fields a
//! manager wrote. Benchmarks need them because they are ~45 % of a real pod's decoded size.

use serde_json::{json, Map, Value};

/// The associative-list keys of the Pod schema (`x-kubernetes-list-map-keys`); other lists are atomic.
fn list_keys(field: &str) -> Option<&'static [&'static str]> {
    Some(match field {
        "containers" | "initContainers" | "env" | "volumes" | "imagePullSecrets" => &["name"],
        "ports" => &["containerPort", "protocol"],
        "volumeMounts" => &["mountPath"],
        "conditions" => &["type"],
        "podIPs" => &["ip"],
        "ownerReferences" => &["uid"],
        _ => return None,
    })
}

/// `k:{"containerPort":1234,"protocol":"TCP"}`: the item's key fields as compact JSON, keys sorted.
fn item_key(item: &Value, keys: &[&str]) -> String {
    let mut m = Map::new();
    for k in keys {
        m.insert(
            (*k).to_string(),
            item.get(*k).cloned().unwrap_or(Value::Null),
        );
    }
    format!("k:{}", Value::Object(m))
}

fn convert(v: &Value, field: &str, owned_self: bool) -> Value {
    match v {
        Value::Object(o) if !o.is_empty() => {
            let mut m = Map::with_capacity(o.len() + 1);
            if owned_self {
                m.insert(".".into(), json!({}));
            }
            for (k, child) in o {
                m.insert(format!("f:{k}"), convert(child, k, true));
            }
            Value::Object(m)
        }
        Value::Array(items) => match list_keys(field) {
            Some(keys) => {
                let mut m = Map::with_capacity(items.len() + 1);
                if owned_self && field != "containers" && field != "conditions" {
                    m.insert(".".into(), json!({}));
                }
                for item in items {
                    // Owner references are owned whole, as the API server records them.
                    let inner = if field == "ownerReferences" {
                        json!({})
                    } else {
                        convert(item, "", true)
                    };
                    m.insert(item_key(item, keys), inner);
                }
                Value::Object(m)
            }
            None => json!({}),
        },
        _ => json!({}),
    }
}

/// The FieldsV1 set of `fields` (a partial object with the top-level fields the manager owns).
pub(super) fn fields_v1(fields: &Value) -> Value {
    // Top-level sections (`f:metadata`, `f:spec`, `f:status`) carry no "." of their own.
    let Some(top) = fields.as_object() else {
        return json!({});
    };
    let m = top
        .iter()
        .map(|(k, v)| (format!("f:{k}"), convert(v, k, false)))
        .collect();
    Value::Object(m)
}

/// The FieldsV1 key of a list item, for adding per-object items to a cached set.
pub(super) fn key_of(field: &str, item: &Value) -> String {
    item_key(item, list_keys(field).unwrap_or(&[]))
}

/// The owned-field tree of a list item (`{".":{}, "f:name":{}, ...}`).
pub(super) fn item_fields(item: &Value) -> Value {
    convert(item, "", true)
}

/// One managedFields entry of an `Update` operation, from a FieldsV1 set.
pub(super) fn entry(
    manager: &str,
    time: &str,
    subresource: Option<&str>,
    fields_v1: Value,
) -> Value {
    let mut e = json!({
        "manager": manager,
        "operation": "Update",
        "apiVersion": "v1",
        "time": time,
        "fieldsType": "FieldsV1",
    });
    if let Some(m) = e.as_object_mut() {
        // Inserted, not put in json!: the macro would deep-copy the tree through serde.
        m.insert("fieldsV1".into(), fields_v1);
        if let Some(sub) = subresource {
            m.insert("subresource".into(), json!(sub));
        }
    }
    e
}
