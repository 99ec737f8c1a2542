//! Field selectors (`metadata.name=x,status.phase!=Running`), per resource as the server allows them.

use super::*;

/// A field selector: `field=value` / `field!=value` terms that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
    /// The resource the labels were checked against; decides how values are read.
    resource: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldTerm {
    field: String,
    value: String,
    negated: bool,
}

/// How a resource words an unsupported field label.
#[derive(Clone, Copy)]
enum Wording {
    /// The generic conversion: `"foo" is not a known field selector: only ...`.
    Default,
    /// Core kinds with their own conversion: `field label not supported: foo`.
    NotSupported,
    /// Jobs: `field label "foo" not supported for batchv1.Job`.
    Job,
}

const META: &[&str] = &["metadata.name", "metadata.namespace"];
const POD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
];
const EVENT_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
];

/// The selectable fields of a resource (plural name, group suffix ignored).
fn selectable_fields(resource: &str) -> (&'static [&'static str], Wording) {
    let plural = resource
        .split('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match plural.as_str() {
        "pods" => (POD_FIELDS, Wording::NotSupported),
        "events" => (EVENT_FIELDS, Wording::NotSupported),
        "nodes" => (
            &["metadata.name", "spec.unschedulable"],
            Wording::NotSupported,
        ),
        "namespaces" => (&["metadata.name", "status.phase"], Wording::NotSupported),
        "secrets" => (
            &["metadata.name", "metadata.namespace", "type"],
            Wording::NotSupported,
        ),
        "replicationcontrollers" | "replicasets" => (
            &["metadata.name", "metadata.namespace", "status.replicas"],
            Wording::NotSupported,
        ),
        "jobs" => (
            &["metadata.name", "metadata.namespace", "status.successful"],
            Wording::Job,
        ),
        "certificatesigningrequests" => {
            (&["metadata.name", "spec.signerName"], Wording::NotSupported)
        }
        _ => (META, Wording::Default),
    }
}

/// Check a field label against the resource, translating legacy aliases.
fn convert_label(resource: &str, label: &str) -> Result<String, String> {
    let (fields, wording) = selectable_fields(resource);
    if fields.contains(&label) {
        return Ok(label.to_string());
    }
    // Old clients said spec.host for a pod's node.
    if label == "spec.host" && fields == POD_FIELDS {
        return Ok("spec.nodeName".to_string());
    }
    Err(match wording {
        Wording::Default => {
            format!(
                "{label:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            )
        }
        Wording::NotSupported => format!("field label not supported: {label}"),
        Wording::Job => format!("field label {label:?} not supported for batchv1.Job"),
    })
}

/// Split on commas not escaped by a backslash.
fn split_terms(s: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            terms.push(&s[start..i]);
            start = i + 1;
        }
    }
    terms.push(&s[start..]);
    terms
}

/// `lhs op rhs` at the first operator; `!=` and `==` win over `=` at the same spot.
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if let Some(rhs) = rest.strip_prefix(op) {
                return Some((&term[..i], op, rhs));
            }
        }
    }
    None
}

/// Undo `\\`, `\,`, `\=`; a bare `,` or `=` in a value is an error, as is any other escape.
fn unescape_value(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(format!(
                    "invalid field selector: invalid escape sequence: \\{c}"
                ));
            }
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if matches!(c, ',' | '=') {
            // Go prints the rune with %v, i.e. as its number.
            return Err(format!(
                "invalid field selector: unescaped character in value: {}",
                c as u32
            ));
        } else {
            out.push(c);
        }
    }
    if escaped {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

impl FieldSelector {
    /// Parse `metadata.name=x,metadata.namespace!=y,...` (also `==`) for `resource` (plural,
    /// e.g. "pods"). Syntax errors come first, then unsupported labels, as on the server; the
    /// terms are checked in sorted order, so the same term is reported.
    pub fn parse(s: &str, resource: &str) -> Result<Self, ApiError> {
        Self::parse_terms(s, resource).map_err(ApiError::bad_request)
    }

    fn parse_terms(s: &str, resource: &str) -> Result<Self, String> {
        let mut parts = if s.is_empty() {
            Vec::new()
        } else {
            split_terms(s)
        };
        parts.sort_unstable();
        let mut terms = Vec::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            terms.push(FieldTerm {
                field: lhs.to_string(),
                value: unescape_value(rhs)?,
                negated: op == "!=",
            });
        }
        for term in &mut terms {
            term.field = convert_label(resource, &term.field)?;
        }
        Ok(FieldSelector {
            terms,
            resource: resource.to_string(),
        })
    }

    /// Whether `obj` has every field value the selector asks for (a missing field reads as
    /// the Go zero value, so `spec.nodeName=` finds unscheduled pods).
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms
            .iter()
            .all(|t| (field_value(obj, &t.field) == t.value) != t.negated)
    }

    /// The name the selector pins with `metadata.name=`, letting the store narrow a list.
    pub fn name(&self) -> Option<&str> {
        self.pinned("metadata.name")
    }

    /// The namespace the selector pins with `metadata.namespace=`.
    pub fn namespace(&self) -> Option<&str> {
        self.pinned("metadata.namespace")
    }

    /// True when there are no terms (everything matches).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The resource this selector was parsed for.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    fn pinned(&self, field: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.field == field && !t.negated)
            .map(|t| t.value.as_str())
    }
}

/// The string the server's field set holds for `label` on `obj`.
fn field_value(obj: &Value, label: &str) -> String {
    match label {
        "source" => string_at(obj, &["source", "component"], ""),
        "status.podIPs" => pod_ips(obj),
        // Go bools and ints print their zero value when absent.
        "spec.hostNetwork" | "spec.unschedulable" => string_at(obj, &dotted(label), "false"),
        "status.replicas" | "status.successful" => string_at(obj, &dotted(label), "0"),
        _ => string_at(obj, &dotted(label), ""),
    }
}

fn dotted(label: &str) -> Vec<&str> {
    label.split('.').collect()
}

fn string_at(obj: &Value, path: &[&str], zero: &str) -> String {
    let found = path.iter().try_fold(obj, |v, k| v.get(k));
    match found {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => zero.to_string(),
    }
}

/// All pod IPs, comma-joined (the order the kubelet reported them).
fn pod_ips(obj: &Value) -> String {
    let ips = obj.pointer("/status/podIPs").and_then(Value::as_array);
    let ips: Vec<&str> = ips
        .into_iter()
        .flatten()
        .filter_map(|ip| ip.get("ip")?.as_str())
        .collect();
    ips.join(",")
}
