//! Re-applying the user's change onto an object that changed meanwhile: a three-way merge of
//! original → edited onto current, refused where both sides changed the same field.

use serde_json::{Map, Value};

use super::paths::{by_name, join, name_of};

/// Fields the server owns: they never conflict and always come from `current`.
const SERVER_OWNED: [&str; 5] = [
    "resourceVersion",
    "generation",
    "uid",
    "managedFields",
    "creationTimestamp",
];

/// The user's change (`original` → `edited`) applied onto `current`; `Err` names the paths
/// both sides changed differently. Lists of objects with a `name` merge by name; other lists
/// are replaced whole.
pub fn three_way(original: &Value, edited: &Value, current: &Value) -> Result<Value, Vec<String>> {
    let original = owned_from(original, current);
    let edited = owned_from(edited, current);
    let mut conflicts = Vec::new();
    let merged = merge(
        Some(&original),
        Some(&edited),
        Some(current),
        "",
        &mut conflicts,
    );
    if conflicts.is_empty() {
        Ok(merged.unwrap_or(Value::Null))
    } else {
        Err(conflicts)
    }
}

/// `side` with the server-owned fields and `status` as `current` has them.
fn owned_from(side: &Value, current: &Value) -> Value {
    let mut side = side.clone();
    let Some(map) = side.as_object_mut() else {
        return side;
    };
    set_as(map, "status", current.get("status"));
    if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
        let current_meta = current.get("metadata");
        for key in SERVER_OWNED {
            set_as(meta, key, current_meta.and_then(|m| m.get(key)));
        }
    }
    side
}

fn set_as(map: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
    match value {
        Some(v) => {
            map.insert(key.to_string(), v.clone());
        }
        None => {
            map.remove(key);
        }
    }
}

/// One node; `None` is "absent".
fn merge(
    original: Option<&Value>,
    edited: Option<&Value>,
    current: Option<&Value>,
    path: &str,
    conflicts: &mut Vec<String>,
) -> Option<Value> {
    if edited == original {
        return current.cloned();
    }
    if current == original || current == edited {
        return edited.cloned();
    }
    match (original, edited, current) {
        (o, Some(Value::Object(e)), Some(Value::Object(c))) if o.is_none_or(Value::is_object) => {
            let empty = Map::new();
            let o = o.and_then(Value::as_object).unwrap_or(&empty);
            let mut keys: Vec<&String> = o.keys().chain(e.keys()).chain(c.keys()).collect();
            keys.sort();
            keys.dedup();
            let mut out = Map::new();
            for key in keys {
                let child = join(path, key);
                if let Some(v) = merge(o.get(key), e.get(key), c.get(key), &child, conflicts) {
                    out.insert(key.clone(), v);
                }
            }
            Some(Value::Object(out))
        }
        (o, Some(Value::Array(e)), Some(Value::Array(c)))
            if by_name(e, c)
                && o.is_none_or(|o| {
                    o.as_array().is_some_and(|o| o.is_empty() || by_name(o, o))
                }) =>
        {
            let o: &[Value] = o.and_then(Value::as_array).map_or(&[], Vec::as_slice);
            let find = |list: &[Value], name: &str| {
                list.iter().find(|v| name_of(v) == Some(name)).cloned()
            };
            // The current order, then what the user added in the user's order.
            let mut names: Vec<&str> = Vec::new();
            for name in c.iter().chain(e.iter()).chain(o.iter()).filter_map(name_of) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let mut out = Vec::new();
            for name in names {
                let child = format!("{path}[name={name}]");
                let (oi, ei, ci) = (find(o, name), find(e, name), find(c, name));
                if let Some(v) = merge(oi.as_ref(), ei.as_ref(), ci.as_ref(), &child, conflicts) {
                    out.push(v);
                }
            }
            Some(Value::Array(out))
        }
        _ => {
            conflicts.push(if path.is_empty() {
                ".".to_string()
            } else {
                path.to_string()
            });
            current.cloned()
        }
    }
}
