//! kubectl's generic describer (the one it uses for kinds without their own): name, namespace,
//! labels and annotations, then every other field in sorted order with "smart" labels.

use serde_json::{Map, Value};

use super::{annotations, labels, one_line, scalar, text, Writer};

/// Fields printed above or never: kubectl's skip list for the generic describer.
const SKIPPED: [&str; 5] = [
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

/// Writes the generic describe text (without events).
pub(super) fn describe(w: &mut Writer, object: &Value) {
    w.field(0, "Name", text(object, "/metadata/name"));
    w.field(0, "Namespace", text(object, "/metadata/namespace"));
    let map = |p: &str| object.pointer(p).and_then(Value::as_object);
    labels(w, "Labels", map("/metadata/labels"));
    annotations(w, map("/metadata/annotations"));
    if let Some(content) = object.as_object() {
        content_of(w, 0, content, "");
    }
}

/// kubectl's `printUnstructuredContent`.
fn content_of(w: &mut Writer, level: usize, content: &Map<String, Value>, prefix: &str) {
    let mut fields: Vec<(&String, &Value)> = content.iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    for (field, value) in fields {
        let path = format!("{prefix}.{field}");
        if SKIPPED.contains(&path.as_str()) {
            continue;
        }
        match value {
            Value::Object(inner) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                content_of(w, level + 1, inner, &path);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(inner) => content_of(w, level + 1, inner, &path),
                        other => w.write(level + 1, &format!("{}\n", one_line(&scalar(other)))),
                    }
                }
            }
            other => w.field(level, &smart_label(field), &scalar(other)),
        }
    }
}

/// kubectl's `smartLabelFor`: `apiVersion` → `API Version`, `podIP` → `Pod IP`; keys with other
/// characters than letters and `-` stay as they are.
pub(super) fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    split_camel(field)
        .into_iter()
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits camelCase like Go's `camelcase.Split`: runs of one letter case, where the last upper
/// of an upper run starts the next lower run (`apiVersion` → api, Version; `podIPs` → pod, I,
/// Ps).
fn split_camel(field: &str) -> Vec<String> {
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in field.chars() {
        let upper = c.is_uppercase();
        match runs.last_mut() {
            Some((u, run)) if *u == upper => run.push(c),
            _ => runs.push((upper, c.to_string())),
        }
    }
    for i in 0..runs.len().saturating_sub(1) {
        let (upper, next_lower) = (runs[i].0, !runs[i + 1].0);
        if upper && next_lower {
            if let Some(last) = runs[i].1.pop() {
                runs[i + 1].1.insert(0, last);
            }
        }
    }
    runs.into_iter()
        .map(|(_, run)| run)
        .filter(|run| !run.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::smart_label;

    #[test]
    fn labels_like_kubectl() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("podIP"), "Pod IP");
        assert_eq!(smart_label("hostIPs"), "Host I Ps");
        assert_eq!(smart_label("replicas"), "Replicas");
        assert_eq!(
            smart_label("app.kubernetes.io/name"),
            "app.kubernetes.io/name"
        );
    }
}
