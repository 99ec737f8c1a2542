//! Decoding of Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`).
//!
//! client-go's typed clients, and therefore kubectl's `create ns|job|deployment|secret|...` and
//! `auth can-i`, send bodies only as protobuf and never fall back to JSON, so the simulator must
//! read them. It stores objects as JSON, so we turn the protobuf into exactly the JSON the same
//! client would have sent: Kubernetes' JSON names, `apiVersion`/`kind` from the envelope, and the
//! Go `omitempty` rules (see `schema.rs`), so stored objects do not grow spurious `""`/`0` keys.

mod schema;
mod table;
mod table_core;
#[cfg(test)]
mod tests;
mod wire;

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::ApiError;
use schema::{Card, Field, Ty};
use wire::{Reader, WireValue};

/// The 4 bytes every Kubernetes protobuf body starts with, before the `runtime.Unknown` envelope.
pub const MAGIC: &[u8; 4] = b"k8s\0";

/// `(apiVersion, kind)` of every kind whose protobuf we decode; the message is named like the
/// kind. DeleteOptions is matched by kind alone, because client-go labels it with whichever group
/// version it is sent to.
const KINDS: &[(&str, &str)] = &[
    ("v1", "Namespace"),
    ("v1", "Pod"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
    ("v1", "ResourceQuota"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "ReplicaSet"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
    ("authorization.k8s.io/v1", "SubjectAccessReview"),
    ("authorization.k8s.io/v1", "LocalSubjectAccessReview"),
    ("authentication.k8s.io/v1", "TokenRequest"),
    // `kubectl auth whoami` tries v1, then v1beta1, then v1alpha1: the message is the same.
    ("authentication.k8s.io/v1", "SelfSubjectReview"),
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview"),
    ("authentication.k8s.io/v1alpha1", "SelfSubjectReview"),
    ("policy/v1", "Eviction"),
    ("policy/v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("networking.k8s.io/v1", "Ingress"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("*", "DeleteOptions"),
];

/// Nesting deeper than this is not a real object; it bounds recursion on hostile input.
const MAX_DEPTH: usize = 64;

/// Decode a Kubernetes protobuf request body (magic `k8s\0` + `runtime.Unknown` envelope:
/// 1 typeMeta{1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType) into the JSON the
/// same client would have sent. Malformed bytes → 400; a kind or encoding we cannot read → 415.
pub fn decode(body: &[u8]) -> Result<Value, ApiError> {
    let (obj, unknown) = decode_reporting_unknown(body)?;
    if !unknown.is_empty() {
        // Dropped silently these would be invisible gaps in the schema table; say which they are.
        tracing::warn!(kind = %obj["kind"], fields = ?unknown, "protobuf fields unknown to kterm-sim were dropped");
    }
    Ok(obj)
}

/// [`decode`], also returning the `Message.number` of every field the schema does not know.
fn decode_reporting_unknown(body: &[u8]) -> Result<(Value, Vec<String>), ApiError> {
    let rest = body.strip_prefix(MAGIC.as_slice()).ok_or_else(|| {
        ApiError::bad_request("protobuf body does not start with the Kubernetes magic \"k8s\\0\"")
    })?;
    let env = envelope(rest)
        .map_err(|e| ApiError::bad_request(format!("malformed protobuf envelope: {e}")))?;
    let unsupported = |why: &str| {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "kterm-sim cannot decode protobuf for {} {}{why}; send JSON",
                env.api_version, env.kind
            ),
        )
    };
    if !env.content_encoding.is_empty() {
        return Err(unsupported(&format!(
            " with content encoding {:?}",
            env.content_encoding
        )));
    }
    let Some(&(_, message)) = KINDS
        .iter()
        .find(|(v, k)| *k == env.kind && (*v == "*" || *v == env.api_version))
    else {
        return Err(unsupported(""));
    };
    let mut unknown = Vec::new();
    let mut obj = decode_message(message, env.raw, &mut unknown, 0).map_err(|e| {
        ApiError::bad_request(format!(
            "malformed protobuf {} {}: {e}",
            env.api_version, env.kind
        ))
    })?;
    obj.insert("apiVersion".into(), Value::String(env.api_version));
    obj.insert("kind".into(), Value::String(env.kind));
    Ok((Value::Object(obj), unknown))
}

struct Envelope<'a> {
    api_version: String,
    kind: String,
    raw: &'a [u8],
    content_encoding: String,
}

fn envelope(buf: &[u8]) -> Result<Envelope<'_>, String> {
    let mut env = Envelope {
        api_version: String::new(),
        kind: String::new(),
        raw: &[],
        content_encoding: String::new(),
    };
    let mut r = Reader::new(buf);
    while let Some((n, v)) = r.next_field()? {
        match (n, v) {
            (1, WireValue::Bytes(type_meta)) => {
                let mut t = Reader::new(type_meta);
                while let Some((n, v)) = t.next_field()? {
                    match (n, v) {
                        (1, WireValue::Bytes(b)) => env.api_version = lossy(b),
                        (2, WireValue::Bytes(b)) => env.kind = lossy(b),
                        _ => {}
                    }
                }
            }
            (2, WireValue::Bytes(b)) => env.raw = b,
            (3, WireValue::Bytes(b)) => env.content_encoding = lossy(b),
            // contentType (4) names the encoding of raw, which is protobuf for every client we know.
            _ => {}
        }
    }
    Ok(env)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One message as a JSON object. Errors are malformed wire data; schema gaps go to `unknown`.
fn decode_message(
    name: &str,
    buf: &[u8],
    unknown: &mut Vec<String>,
    depth: usize,
) -> Result<Map<String, Value>, String> {
    if depth > MAX_DEPTH {
        return Err("messages nested too deeply".into());
    }
    let fields = schema::schema().fields(name).unwrap_or(&[]);
    let mut obj = Map::new();
    let mut r = Reader::new(buf);
    while let Some((number, wire)) = r.next_field()? {
        let Some(field) = fields.iter().find(|f| f.number == number) else {
            unknown.push(format!("{name}.{number}"));
            continue;
        };
        if !apply_field(field, wire, &mut obj, unknown, depth)? {
            unknown.push(format!("{name}.{number} (unexpected wire type)"));
        }
    }
    Ok(obj)
}

/// Adds one wire record to `obj`; `Ok(false)` when its wire type does not fit the schema.
fn apply_field(
    field: &Field,
    wire: WireValue<'_>,
    obj: &mut Map<String, Value>,
    unknown: &mut Vec<String>,
    depth: usize,
) -> Result<bool, String> {
    match field.card {
        Card::One => {
            let Some(value) = single(&field.ty, wire, unknown, depth)? else {
                return Ok(false);
            };
            match value {
                // An embedded Go struct (`json:",inline"`) contributes its keys to the parent.
                Value::Object(inner) if field.json.is_empty() => obj.extend(inner),
                v if field.omit_zero && is_zero(&v) => {}
                v => {
                    obj.insert(field.json.to_string(), v);
                }
            }
        }
        Card::Repeated => {
            let items = match (&field.ty, wire) {
                // Numeric lists may arrive packed into one length-delimited record.
                (Ty::I32 | Ty::I64 | Ty::Bool, WireValue::Bytes(b)) => wire::packed_varints(b)?
                    .into_iter()
                    .filter_map(|n| scalar(&field.ty, WireValue::Varint(n)))
                    .collect(),
                _ => match single(&field.ty, wire, unknown, depth)? {
                    Some(v) => vec![v],
                    None => return Ok(false),
                },
            };
            let slot = obj
                .entry(field.json)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = slot {
                list.extend(items);
            }
        }
        Card::Map => {
            let WireValue::Bytes(entry) = wire else {
                return Ok(false);
            };
            let (mut key, mut value) = (String::new(), None);
            let mut r = Reader::new(entry);
            while let Some((n, v)) = r.next_field()? {
                match (n, v) {
                    (1, WireValue::Bytes(b)) => key = lossy(b),
                    (2, v) => value = single(&field.ty, v, unknown, depth)?,
                    _ => {}
                }
            }
            // An entry without a value is the value type's zero, as Go decodes it.
            let value = match value {
                Some(v) => v,
                None => {
                    single(&field.ty, WireValue::Bytes(&[]), unknown, depth)?.unwrap_or(Value::Null)
                }
            };
            let slot = obj
                .entry(field.json)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = slot {
                map.insert(key, value);
            }
        }
    }
    Ok(true)
}

/// One value of type `ty`; `None` when the wire type does not match it.
fn single(
    ty: &Ty,
    wire: WireValue<'_>,
    unknown: &mut Vec<String>,
    depth: usize,
) -> Result<Option<Value>, String> {
    let WireValue::Bytes(b) = wire else {
        return Ok(scalar(ty, wire));
    };
    Ok(Some(match ty {
        Ty::Str => Value::String(lossy(b)),
        Ty::Bytes => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Ty::Msg(name) => Value::Object(decode_message(name, b, unknown, depth + 1)?),
        Ty::Time | Ty::MicroTime => time(b, matches!(ty, Ty::MicroTime))?,
        // Quantity is `{1: string}`; the zero Quantity serializes as "0" in JSON.
        Ty::Quantity => Value::String(string_field(b)?.unwrap_or_else(|| "0".into())),
        Ty::IntOrString => int_or_string(b)?,
        // FieldsV1 is `{1: raw JSON bytes}`, shown in JSON as that JSON itself.
        Ty::FieldsV1 => match bytes_field(b)? {
            Some(raw) => {
                serde_json::from_slice(raw).map_err(|e| format!("FieldsV1 is not JSON: {e}"))?
            }
            None => Value::Null,
        },
        Ty::List(inner) => {
            let mut items = Vec::new();
            let mut r = Reader::new(b);
            while let Some((n, v)) = r.next_field()? {
                match single(inner, v, unknown, depth + 1)? {
                    Some(item) if n == 1 => items.push(item),
                    _ => unknown.push(format!("list item field {n}")),
                }
            }
            Value::Array(items)
        }
        // Alpha-API messages outside the table: empty is the common case and unambiguous.
        Ty::Opaque if b.is_empty() => Value::Object(Map::new()),
        Ty::Opaque => {
            unknown.push("unmodelled alpha-API message".into());
            return Ok(None);
        }
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => return Ok(None),
    }))
}

fn scalar(ty: &Ty, wire: WireValue<'_>) -> Option<Value> {
    match (ty, wire) {
        (Ty::Bool, WireValue::Varint(n)) => Some(Value::Bool(n != 0)),
        // Negative int32s are sign-extended to 64 bits on the wire; truncating restores them.
        (Ty::I32, WireValue::Varint(n)) => Some(Value::from(n as i64 as i32)),
        (Ty::I64, WireValue::Varint(n)) => Some(Value::from(n as i64)),
        (Ty::F64, WireValue::Fixed64(n)) => {
            serde_json::Number::from_f64(f64::from_bits(n)).map(Value::Number)
        }
        (Ty::F64, WireValue::Fixed32(n)) => {
            serde_json::Number::from_f64(f64::from(f32::from_bits(n))).map(Value::Number)
        }
        _ => None,
    }
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

fn bytes_field(b: &[u8]) -> Result<Option<&[u8]>, String> {
    let mut out = None;
    let mut r = Reader::new(b);
    while let Some((n, v)) = r.next_field()? {
        if let (1, WireValue::Bytes(s)) = (n, v) {
            out = Some(s);
        }
    }
    Ok(out)
}

fn string_field(b: &[u8]) -> Result<Option<String>, String> {
    Ok(bytes_field(b)?.map(lossy))
}

/// meta/v1 Time `{1: seconds, 2: nanos}` → RFC3339 in UTC, as its JSON form; the zero (empty)
/// Time is `null`. MicroTime has the same wire shape and a 6-digit fraction in JSON.
fn time(b: &[u8], micro: bool) -> Result<Value, String> {
    let (mut secs, mut nanos) = (0i64, 0u32);
    let mut r = Reader::new(b);
    while let Some((n, v)) = r.next_field()? {
        match (n, v) {
            (1, WireValue::Varint(s)) => secs = s as i64,
            (2, WireValue::Varint(ns)) => nanos = u32::try_from(ns as i64 as i32).unwrap_or(0),
            _ => {}
        }
    }
    if secs == 0 && nanos == 0 {
        return Ok(Value::Null);
    }
    let t = chrono::DateTime::from_timestamp(secs, nanos)
        .ok_or_else(|| format!("time {secs}s out of range"))?;
    let fmt = if micro {
        "%Y-%m-%dT%H:%M:%S%.6fZ"
    } else {
        "%Y-%m-%dT%H:%M:%SZ"
    };
    Ok(Value::String(t.format(fmt).to_string()))
}

/// IntOrString `{1: type, 2: intVal, 3: strVal}` → a JSON number (type 0) or string (type 1).
fn int_or_string(b: &[u8]) -> Result<Value, String> {
    let (mut kind, mut int_val, mut str_val) = (0u64, 0i32, String::new());
    let mut r = Reader::new(b);
    while let Some((n, v)) = r.next_field()? {
        match (n, v) {
            (1, WireValue::Varint(t)) => kind = t,
            (2, WireValue::Varint(i)) => int_val = i as i64 as i32,
            (3, WireValue::Bytes(s)) => str_val = lossy(s),
            _ => {}
        }
    }
    Ok(if kind == 1 {
        Value::String(str_val)
    } else {
        Value::from(int_val)
    })
}
