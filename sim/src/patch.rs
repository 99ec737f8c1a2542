//! PATCH semantics of the API server: JSON patch (RFC 6902), JSON merge patch (RFC 7386),
//! strategic merge patch, and server-side apply (approximated).
//!
//! Errors follow the real server (k8s.io/apiserver `handlers/patch.go`):
//! - a body that does not decode is `400 BadRequest`; JSON and merge patches say
//!   `error decoding patch: <Go json error>` (the server's default `fieldValidation=Warn`
//!   decodes them strictly first), a strategic merge patch says the bare Go json error, and
//!   apply says `error decoding YAML: ...`;
//! - a JSON patch that decodes but cannot be applied (failed `test`, missing path, unknown
//!   `op`) is `422 Invalid` with the server's fixed message "the server rejected our request
//!   due to an error in our request" — the real server drops the underlying reason too;
//! - strategic-merge format errors are 400 (`invalid patch format of ...`), a patch that
//!   contradicts its own `$retainKeys` is 422, and the remaining strategic merge errors (a list
//!   item without its merge key, an unknown `$patch` value) are plain errors the server answers
//!   as `500` with an empty reason, exactly as it does.
//!
//! Strategic merge needs the Go struct tags (`patchStrategy`, `patchMergeKey`) that the
//! simulator does not have, so the rules are keyed by field name, with the parent field name
//! where a name is ambiguous (see `list_rule`). Unknown lists are replaced, which is also the
//! real default.

use serde_json::{json, Map, Value};

use crate::error::ApiError;

/// The patch flavours a client can choose with the request's Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Json,
    Merge,
    StrategicMerge,
    Apply,
}

impl PatchKind {
    /// The patch kind of a Content-Type header (parameters such as `charset` ignored).
    /// `application/apply-patch+cbor` is not offered: the simulator speaks no CBOR.
    pub fn from_content_type(ct: &str) -> Option<Self> {
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "application/json-patch+json" => Some(PatchKind::Json),
            "application/merge-patch+json" => Some(PatchKind::Merge),
            "application/strategic-merge-patch+json" => Some(PatchKind::StrategicMerge),
            "application/apply-patch+yaml" => Some(PatchKind::Apply),
            _ => None,
        }
    }
}

/// Apply `patch` (the raw request body) to `obj` and return the patched object.
///
/// `Apply` (server-side apply) is approximated as a strategic merge of the YAML/JSON body:
/// the fields it names are set, lists with merge keys merge by key, others are replaced.
/// Field ownership, conflicts and the removal of fields a manager stopped applying are not
/// modelled; `managedFields` bookkeeping is left to the caller.
pub fn apply_patch(obj: &Value, patch: &[u8], kind: PatchKind) -> Result<Value, ApiError> {
    match kind {
        PatchKind::Json => apply_json_patch(obj, patch),
        PatchKind::Merge => apply_merge_patch(obj, patch),
        PatchKind::StrategicMerge => {
            let p = decode_object(patch).map_err(ApiError::bad_request)?;
            strategic_merge(obj, p)
        }
        PatchKind::Apply => strategic_merge(obj, decode_apply(patch)?),
    }
}

// ---------------------------------------------------------------------------------------------
// Errors shaped like the real server's.

/// The real server's `NewGenericServerResponse(422, ...)`: the detail is deliberately lost.
fn rejected() -> ApiError {
    ApiError::new(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
    )
    .with_details(json!({}))
}

/// An error the real server does not wrap in a Status: it answers 500 with an empty reason.
fn unwrapped(message: String) -> ApiError {
    ApiError::new(500, "", message)
}

/// The Go name of a JSON value's kind, as `encoding/json` uses in "cannot unmarshal X".
fn go_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Parse JSON, phrasing a syntax error the way Go's `encoding/json` does, since the message
/// reaches the user verbatim.
fn decode_json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| go_syntax_error(body, &e))
}

fn go_syntax_error(body: &[u8], err: &serde_json::Error) -> String {
    if err.is_eof() {
        return "unexpected end of JSON input".to_string();
    }
    let text = err.to_string();
    let context = if text.starts_with("expected `:`") {
        "after object key"
    } else if text.starts_with("expected `,` or `}`") {
        "after object key:value pair"
    } else if text.starts_with("expected `,` or `]`") {
        "after array element"
    } else if text.starts_with("trailing characters") {
        "after top-level value"
    } else if text.starts_with("key must be a string") {
        "looking for beginning of object key string"
    } else {
        "looking for beginning of value"
    };
    match char_at(body, err.line(), err.column()) {
        Some(c) => format!("invalid character '{c}' {context}"),
        None => format!("invalid character {context}"),
    }
}

/// The character at serde's 1-based line/column position.
fn char_at(body: &[u8], line: usize, column: usize) -> Option<char> {
    let text = String::from_utf8_lossy(body);
    let l = text.split('\n').nth(line.checked_sub(1)?)?;
    l.get(column.checked_sub(1)?..)?.chars().next()
}

/// A JSON object body. `null` decodes to an empty patch, as it does into a Go map.
fn decode_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match decode_json(body)? {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            go_kind(&other)
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON patch and merge patch.

/// Operations per JSON patch the real server accepts.
const MAX_JSON_PATCH_OPS: usize = 10_000;

fn apply_json_patch(obj: &Value, body: &[u8]) -> Result<Value, ApiError> {
    let raw_ops = decode_json_patch_ops(body)
        .map_err(|m| ApiError::bad_request(format!("error decoding patch: {m}")))?;
    if raw_ops.len() > MAX_JSON_PATCH_OPS {
        return Err(ApiError::new(
            413,
            "RequestEntityTooLarge",
            format!(
                "Request entity too large: The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPS}, got {}",
                raw_ops.len()
            ),
        ));
    }
    // The server decodes operations loosely and only fails when applying them, so an unknown
    // op or a missing field is an apply-time 422, not a 400.
    let ops: Vec<json_patch::PatchOperation> = raw_ops
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()
        .map_err(|_| rejected())?;
    let mut doc = obj.clone();
    json_patch::patch(&mut doc, &ops).map_err(|_| rejected())?;
    Ok(doc)
}

/// Decode the array of operations, checking what the server's strict decode into
/// `[]handlers.jsonPatchOp` would reject: non-objects and non-string `op`/`path`/`from`.
fn decode_json_patch_ops(body: &[u8]) -> Result<Vec<Value>, String> {
    let ops = match decode_json(body)? {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type []handlers.jsonPatchOp",
                go_kind(&other)
            ));
        }
    };
    for op in &ops {
        check_json_patch_op(op)?;
    }
    Ok(ops)
}

fn check_json_patch_op(op: &Value) -> Result<(), String> {
    let Some(m) = op.as_object() else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type handlers.jsonPatchOp",
            go_kind(op)
        ));
    };
    for field in ["op", "path", "from"] {
        match m.get(field) {
            None | Some(Value::String(_)) | Some(Value::Null) => {}
            Some(v) => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go struct field jsonPatchOp.{field} of type string",
                    go_kind(v)
                ));
            }
        }
    }
    Ok(())
}

fn apply_merge_patch(obj: &Value, body: &[u8]) -> Result<Value, ApiError> {
    let p = decode_object(body)
        .map_err(|m| ApiError::bad_request(format!("error decoding patch: {m}")))?;
    let mut doc = obj.clone();
    json_patch::merge(&mut doc, &Value::Object(p));
    Ok(doc)
}

/// The apply body is YAML (JSON being a subset of it) and must be a mapping.
fn decode_apply(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let fail = |m: String| ApiError::bad_request(format!("error decoding YAML: {m}"));
    let v: Value = serde_yaml::from_slice(body)
        .map_err(|e| fail(format!("error converting YAML to JSON: yaml: {e}")))?;
    match v {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(fail(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            go_kind(&other)
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch.

const PATCH_DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_PRIMITIVE_PREFIX: &str = "$deleteFromPrimitiveList/";
const SET_ORDER_PREFIX: &str = "$setElementOrder/";

/// How a list field merges, standing in for the Go struct tags the simulator lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListRule {
    /// No `patchStrategy:"merge"`: the patch list replaces the original.
    Replace,
    /// `patchStrategy:"merge"` with a `patchMergeKey`: items merge by that key.
    Key(&'static str),
    /// `patchStrategy:"merge"` on a list of scalars (finalizers): a set union.
    Set,
}

/// Lists a Container struct holds, so `ports`/`env` inside them are recognised.
fn is_container_list(field: &str) -> bool {
    matches!(
        field,
        "containers" | "initContainers" | "ephemeralContainers"
    )
}

/// The merge rule of the list at `path` (field names from the root, list indices left out),
/// mirroring the `patchMergeKey` tags of the built-in types kubectl edits.
fn list_rule(path: &[String]) -> ListRule {
    let Some(field) = path.last().map(String::as_str) else {
        return ListRule::Replace;
    };
    let parent = path
        .len()
        .checked_sub(2)
        .and_then(|i| path.get(i))
        .map_or("", String::as_str);
    match (parent, field) {
        (_, f) if is_container_list(f) => ListRule::Key("name"),
        (p, "ports") if is_container_list(p) => ListRule::Key("containerPort"),
        (p, "env") if is_container_list(p) => ListRule::Key("name"),
        (p, "volumeMounts") if is_container_list(p) => ListRule::Key("mountPath"),
        (p, "volumeDevices") if is_container_list(p) => ListRule::Key("devicePath"),
        // Only a Service has `ports` directly under the top-level `spec`.
        ("spec", "ports") if path.len() == 2 => ListRule::Key("port"),
        ("spec", "volumes" | "imagePullSecrets" | "resourceClaims" | "schedulingGates") => {
            ListRule::Key("name")
        }
        ("spec", "hostAliases") => ListRule::Key("ip"),
        ("spec", "topologySpreadConstraints") => ListRule::Key("topologyKey"),
        ("spec", "podCIDRs") => ListRule::Set,
        ("metadata", "ownerReferences") => ListRule::Key("uid"),
        ("metadata", "finalizers") => ListRule::Set,
        ("status", "conditions" | "addresses") => ListRule::Key("type"),
        ("status", "podIPs" | "hostIPs") => ListRule::Key("ip"),
        // A ServiceAccount's `secrets`, at the top level.
        ("", "secrets") => ListRule::Key("name"),
        _ => ListRule::Replace,
    }
}

fn child(path: &[String], field: &str) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(field.to_string());
    p
}

fn strategic_merge(obj: &Value, patch: Map<String, Value>) -> Result<Value, ApiError> {
    let original = obj.as_object().cloned().unwrap_or_default();
    Ok(Value::Object(merge_map(original, patch, &[])?))
}

/// Merge a patch map into an original map.
fn merge_map(
    mut original: Map<String, Value>,
    mut patch: Map<String, Value>,
    path: &[String],
) -> Result<Map<String, Value>, ApiError> {
    if let Some(directive) = patch.remove(PATCH_DIRECTIVE) {
        return map_directive(directive, patch, path);
    }
    apply_retain_keys(&mut original, &mut patch)?;
    apply_primitive_deletions(&mut original, &mut patch)?;
    apply_element_orders(&mut original, &mut patch, path)?;
    for (key, value) in patch {
        merge_field(&mut original, key, value, path)?;
    }
    Ok(original)
}

/// `$patch` on a map: `replace` swaps the map for the patch, `delete` empties it.
fn map_directive(
    directive: Value,
    patch: Map<String, Value>,
    path: &[String],
) -> Result<Map<String, Value>, ApiError> {
    match directive.as_str() {
        Some("replace") => merge_map(Map::new(), patch, path),
        Some("delete") => Ok(Map::new()),
        _ => {
            let mut shown = patch;
            shown.insert(PATCH_DIRECTIVE.to_string(), directive.clone());
            Err(unwrapped(format!(
                "unknown patch type: {} in map: {}",
                go_fmt(&directive),
                go_fmt(&Value::Object(shown))
            )))
        }
    }
}

/// `$retainKeys`: drop every original key the list does not name. A patch setting a key the
/// list does not name contradicts itself, which the server rejects with 422.
fn apply_retain_keys(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<(), ApiError> {
    let Some(keys) = patch.remove(RETAIN_KEYS) else {
        return Ok(());
    };
    let Value::Array(keys) = keys else {
        return Err(ApiError::bad_request("invalid patch format of retainKeys"));
    };
    let retained = |k: &str| keys.iter().any(|r| r.as_str() == Some(k));
    let contradicts = patch.iter().any(|(k, v)| {
        !v.is_null()
            && !k.starts_with(DELETE_PRIMITIVE_PREFIX)
            && !k.starts_with(SET_ORDER_PREFIX)
            && !retained(k)
    });
    if contradicts {
        return Err(rejected());
    }
    original.retain(|k, _| retained(k));
    Ok(())
}

/// `$deleteFromPrimitiveList/<field>: [values]` removes those values from a scalar list.
fn apply_primitive_deletions(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<(), ApiError> {
    let keys: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with(DELETE_PRIMITIVE_PREFIX))
        .cloned()
        .collect();
    for key in keys {
        let field = &key[DELETE_PRIMITIVE_PREFIX.len()..];
        let Some(Value::Array(doomed)) = patch.remove(&key) else {
            return Err(ApiError::bad_request(
                "invalid patch format of primitive list",
            ));
        };
        if let Some(Value::Array(list)) = original.get_mut(field) {
            list.retain(|v| !doomed.contains(v));
        }
    }
    Ok(())
}

/// `$setElementOrder/<field>`: merge the field's patch list (if any) now, then order the
/// result as the directive says. kubectl sends it with every list it changes.
fn apply_element_orders(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
    path: &[String],
) -> Result<(), ApiError> {
    let keys: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with(SET_ORDER_PREFIX))
        .cloned()
        .collect();
    for key in keys {
        let field = key[SET_ORDER_PREFIX.len()..].to_string();
        let Some(Value::Array(order)) = patch.remove(&key) else {
            return Err(ApiError::bad_request(
                "invalid patch format of setElementOrder list",
            ));
        };
        let list_path = child(path, &field);
        let rule = list_rule(&list_path);
        // A replaced list keeps the patch's own order, and a non-list patch value (null
        // deletes the field) is for the ordinary merge below: the directive has nothing to do.
        if rule == ListRule::Replace || patch.get(&field).is_some_and(|v| !v.is_array()) {
            continue;
        }
        let orig_list = take_list(original, &field);
        let had_field = orig_list.is_some() || patch.contains_key(&field);
        let patch_list = take_list(patch, &field).unwrap_or_default();
        let merged = merge_list(orig_list.unwrap_or_default(), patch_list, rule, &list_path)?;
        if had_field {
            original.insert(field, Value::Array(order_by(merged, &order, rule)));
        }
    }
    Ok(())
}

/// Remove and return `field` if it holds a list; anything else stays where it is.
fn take_list(m: &mut Map<String, Value>, field: &str) -> Option<Vec<Value>> {
    if !m.get(field).is_some_and(Value::is_array) {
        return None;
    }
    match m.remove(field) {
        Some(Value::Array(a)) => Some(a),
        _ => None,
    }
}

/// Stable-sort `list` by position in `order`. Items the order does not mention (added by
/// someone else since the client read the object) keep their relative order at the end.
fn order_by(mut list: Vec<Value>, order: &[Value], rule: ListRule) -> Vec<Value> {
    let key = match rule {
        ListRule::Key(k) => Some(k),
        _ => None,
    };
    list.sort_by_key(|item| position(order, item, key).unwrap_or(usize::MAX));
    list
}

/// Where `item` sits in `list`: by merge key for maps, by value for scalars.
fn position(list: &[Value], item: &Value, key: Option<&str>) -> Option<usize> {
    match key {
        Some(k) => {
            let wanted = item.get(k)?;
            list.iter().position(|e| e.get(k) == Some(wanted))
        }
        None => list.iter().position(|e| e == item),
    }
}

/// Merge one patch field into the original map.
fn merge_field(
    original: &mut Map<String, Value>,
    key: String,
    value: Value,
    path: &[String],
) -> Result<(), ApiError> {
    if value.is_null() {
        original.remove(&key);
        return Ok(());
    }
    let field_path = child(path, &key);
    let current = original.remove(&key);
    let merged = match (current, value) {
        (Some(Value::Object(o)), Value::Object(p)) => Value::Object(merge_map(o, p, &field_path)?),
        (Some(Value::Array(o)), Value::Array(p)) => {
            Value::Array(merge_list(o, p, list_rule(&field_path), &field_path)?)
        }
        // Absent, or of another type: the patch value wins, cleaned of directives and nulls.
        (_, v) => clean(v, &field_path)?,
    };
    original.insert(key, merged);
    Ok(())
}

/// A patch value taken as a whole, merged into nothing so that directives and nulls (which
/// the server's typed decoding would drop) do not reach the stored object.
fn clean(value: Value, path: &[String]) -> Result<Value, ApiError> {
    match value {
        Value::Object(p) => Ok(Value::Object(merge_map(Map::new(), p, path)?)),
        Value::Array(p) => Ok(Value::Array(merge_list(
            Vec::new(),
            p,
            list_rule(path),
            path,
        )?)),
        scalar => Ok(scalar),
    }
}

fn merge_list(
    original: Vec<Value>,
    patch: Vec<Value>,
    rule: ListRule,
    path: &[String],
) -> Result<Vec<Value>, ApiError> {
    if patch.iter().any(Value::is_array) && rule != ListRule::Replace {
        return Err(rejected()); // "lists of lists are not supported"
    }
    match rule {
        // A keyed list whose patch holds scalars cannot be merged by key: take it whole.
        ListRule::Key(key) if patch.iter().all(Value::is_object) => {
            merge_keyed(original, patch, key, path)
        }
        ListRule::Set => Ok(merge_set(original, patch)),
        _ => patch.into_iter().map(|v| clean_item(v, path)).collect(),
    }
}

/// A list item taken whole: maps are cleaned, anything else is kept as is.
fn clean_item(item: Value, path: &[String]) -> Result<Value, ApiError> {
    match item {
        Value::Object(m) => Ok(Value::Object(merge_map(Map::new(), m, path)?)),
        other => Ok(other),
    }
}

/// Union of two scalar lists, ordered as the server orders merged lists.
fn merge_set(original: Vec<Value>, patch: Vec<Value>) -> Vec<Value> {
    let mut merged: Vec<Value> = Vec::new();
    for v in original.iter().chain(patch.iter()) {
        if !merged.contains(v) {
            merged.push(v.clone());
        }
    }
    interleave(merged, &patch, &original, None)
}

/// What the `$patch` items of a keyed patch list ask for.
struct ListDirectives {
    replace: bool,
    deletions: Vec<Value>,
    items: Vec<Map<String, Value>>,
}

fn split_list_directives(patch: Vec<Value>, key: &str) -> Result<ListDirectives, ApiError> {
    let mut out = ListDirectives {
        replace: false,
        deletions: Vec::new(),
        items: Vec::new(),
    };
    for item in patch {
        let Value::Object(mut m) = item else { continue };
        let Some(directive) = m.remove(PATCH_DIRECTIVE) else {
            out.items.push(m);
            continue;
        };
        match directive.as_str() {
            Some("replace") => out.replace = true,
            Some("delete") => out.deletions.push(merge_key_value(&m, key)?),
            _ => {
                m.insert(PATCH_DIRECTIVE.to_string(), directive.clone());
                return Err(unwrapped(format!(
                    "unknown patch type: {} in map: {}",
                    go_fmt(&directive),
                    go_fmt(&Value::Object(m))
                )));
            }
        }
    }
    Ok(out)
}

fn merge_key_value(item: &Map<String, Value>, key: &str) -> Result<Value, ApiError> {
    item.get(key).cloned().ok_or_else(|| {
        unwrapped(format!(
            "map: {} does not contain declared merge key: {key}",
            go_fmt(&Value::Object(item.clone()))
        ))
    })
}

/// Merge a list of maps by `key`: `$patch: delete` items remove, `$patch: replace` drops the
/// original, matching items merge recursively, new items join.
fn merge_keyed(
    original: Vec<Value>,
    patch: Vec<Value>,
    key: &'static str,
    path: &[String],
) -> Result<Vec<Value>, ApiError> {
    let directives = split_list_directives(patch, key)?;
    let mut merged = if directives.replace {
        Vec::new()
    } else {
        original
    };
    merged.retain(|item| {
        !item
            .get(key)
            .is_some_and(|k| directives.deletions.contains(k))
    });
    let server_order = merged.clone();
    let mut patch_order = Vec::with_capacity(directives.items.len());
    for item in directives.items {
        let id = merge_key_value(&item, key)?;
        patch_order.push(Value::Object(item.clone()));
        match merged.iter().position(|e| e.get(key) == Some(&id)) {
            Some(i) => {
                if let Some(slot) = merged.get_mut(i) {
                    let base = slot.as_object().cloned().unwrap_or_default();
                    *slot = Value::Object(merge_map(base, item, path)?);
                }
            }
            None => merged.push(Value::Object(merge_map(Map::new(), item, path)?)),
        }
    }
    Ok(interleave(merged, &patch_order, &server_order, Some(key)))
}

/// Order a merged list as the real server does: items the patch named come in patch order,
/// the others in original order, and a server-only item goes first only while it preceded
/// the next patch item in the original. Hence new items land before untouched ones, which
/// is what kubectl users see on a real cluster.
fn interleave(
    merged: Vec<Value>,
    patch: &[Value],
    server: &[Value],
    key: Option<&str>,
) -> Vec<Value> {
    let (mut named, server_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|item| position(patch, item, key).is_some());
    named.sort_by_key(|item| position(patch, item, key));
    let mut out = Vec::with_capacity(named.len() + server_only.len());
    let mut named = named.into_iter().peekable();
    for item in server_only {
        let idx = position(server, &item, key);
        while let Some(next) = named.peek() {
            let precedes =
                matches!((idx, position(server, next, key)), (Some(a), Some(b)) if a < b);
            if precedes {
                break;
            }
            out.extend(named.next());
        }
        out.push(item);
    }
    out.extend(named);
    out
}

/// A value printed as Go's `%v` prints the decoded `interface{}` (maps with sorted keys).
fn go_fmt(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_fmt).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_fmt(v)))
                .collect();
            format!("map[{}]", body.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
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
        let pod = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}], "nodeSelector": {"x": "1"}}});
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
        let svc = json!({"spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]}});
        let out = smp(
            svc,
            json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}),
        );
        assert_eq!(
            out["spec"]["ports"][0],
            json!({"port": 80, "name": "http", "targetPort": 8080})
        );
        assert_eq!(out["spec"]["ports"].as_array().unwrap().len(), 2);
        let pod =
            json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]}});
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
        let obj = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
        let out = smp(
            obj.clone(),
            json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
        );
        assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
        let bad = json!({"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}});
        let err =
            apply_patch(&obj, bad.to_string().as_bytes(), PatchKind::StrategicMerge).unwrap_err();
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
}
