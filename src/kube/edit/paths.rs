//! The paths one object differs from another in: `spec.suspend`,
//! `spec.jobTemplate.spec.template.spec.containers[name=updater].command`. Paths only, never
//! values, so a Secret's data stays out of the audit log.

use serde_json::Value;

/// Every path where `before` and `after` differ, in key order. A list whose items all carry a
/// `name` is compared item by item (`containers[name=x]`); any other list, and a key added or
/// removed, is one path.
pub fn changed_paths(before: &Value, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(before, after, "", &mut out);
    out
}

fn walk(before: &Value, after: &Value, path: &str, out: &mut Vec<String>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let child = join(path, key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk(x, y, &child, out),
                    _ => out.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if by_name(a, b) => {
            let mut names: Vec<&str> = a.iter().chain(b.iter()).filter_map(name_of).collect();
            names.dedup();
            let mut seen = Vec::new();
            for name in names {
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                let child = format!("{path}[name={name}]");
                let find =
                    |list: &'_ [Value]| list.iter().find(|v| name_of(v) == Some(name)).cloned();
                match (find(a), find(b)) {
                    (Some(x), Some(y)) => walk(&x, &y, &child, out),
                    _ => out.push(child),
                }
            }
        }
        _ => out.push(if path.is_empty() {
            ".".to_string()
        } else {
            path.to_string()
        }),
    }
}

/// Whether two lists are compared item by item: every item of both is an object with a string
/// `name` (containers, volumes, env), and at least one item exists.
pub(super) fn by_name(a: &[Value], b: &[Value]) -> bool {
    let named = |list: &[Value]| list.iter().all(|v| name_of(v).is_some());
    !(a.is_empty() && b.is_empty()) && named(a) && named(b)
}

/// An item's `name`.
pub(super) fn name_of(item: &Value) -> Option<&str> {
    item.get("name").and_then(Value::as_str)
}

/// `path.key`; a key with a dot or bracket is quoted (`annotations["kubectl.kubernetes.io/x"]`).
pub(super) fn join(path: &str, key: &str) -> String {
    if key.contains(['.', '[', ']']) {
        format!("{path}[\"{key}\"]")
    } else if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
