//! Strategic merge patch, with merge keys known by field name (the simulator has no schemas).

use super::*;

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

pub(super) fn strategic_merge(obj: &Value, patch: Map<String, Value>) -> Result<Value, ApiError> {
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
