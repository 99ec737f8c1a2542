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

mod strategic;
use strategic::strategic_merge;

#[cfg(test)]
mod tests;
