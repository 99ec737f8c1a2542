//! Reading a scenario file (format: `sim/SCENARIOS.md`). Errors are one sentence naming the line when
//! the YAML parser knows it, because people edit these files by hand.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::Value;

use super::{default_scenario, ts, SandboxFile, Scenario};

/// A document without `kind`: the scenario's own settings.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Header {
    include: Option<String>,
    #[serde(default)]
    tenants: Vec<String>,
    #[serde(default)]
    objects: Vec<Value>,
    #[serde(default)]
    files: Vec<FileSpec>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    namespace: Option<String>,
    selector: Option<String>,
    path: String,
    #[serde(default)]
    content: String,
    mode: Option<Mode>,
}

/// A file mode: an integer (YAML `0o755` or `493`) or an octal string (`"0755"`, `"755"`).
struct Mode(u32);

impl<'de> Deserialize<'de> for Mode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Mode;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a file mode such as \"0644\" or 0o755")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Mode, E> {
                match u32::try_from(v) {
                    Ok(m) if m <= 0o7777 => Ok(Mode(m)),
                    _ => Err(E::custom(format!("file mode {v} is larger than 0o7777"))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Mode, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("a file mode cannot be negative"))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Mode, E> {
                let digits = v.trim_start_matches("0o");
                u32::from_str_radix(digits, 8)
                    .map_err(|_| E::custom(format!("file mode \"{v}\" is not an octal number")))
                    .and_then(|m| self.visit_u64(u64::from(m)))
            }
        }
        d.deserialize_any(V)
    }
}

/// serde_yaml's message already ends with "at line L column C"; restate it as one sentence that
/// leads with the line, which is what the reader looks for first.
fn yaml_error(e: &serde_yaml::Error, doc: usize) -> String {
    let mut msg = e.to_string();
    if !msg.ends_with('.') {
        msg.push('.');
    }
    match e.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            let msg = msg.replacen(&suffix, "", 1);
            format!(
                "scenario YAML line {}, column {}: {msg}",
                loc.line(),
                loc.column()
            )
        }
        None => format!("scenario YAML document {}: {msg}", doc + 1),
    }
}

/// A YAML document parsed twice is cheaper than losing line numbers: the first pass finds what each
/// document is, the second reads header documents with a typed, located deserializer.
fn documents(text: &str) -> Result<Vec<serde_yaml::Value>, String> {
    serde_yaml::Deserializer::from_str(text)
        .enumerate()
        .map(|(i, d)| serde_yaml::Value::deserialize(d).map_err(|e| yaml_error(&e, i)))
        .collect()
}

fn is_manifest(doc: &serde_yaml::Value) -> bool {
    doc.get("kind").is_some()
}

/// Converts a manifest document, unrolling `kind: List` as kubectl does.
fn manifests(doc: serde_yaml::Value, index: usize) -> Result<Vec<Value>, String> {
    let v: Value = serde_json::to_value(doc)
        .map_err(|e| format!("scenario YAML document {}: {e}", index + 1))?;
    if v["kind"] == "List" {
        return Ok(v["items"].as_array().cloned().unwrap_or_default());
    }
    Ok(vec![v])
}

/// `-40d`, `-3h`, `-90m`, `-2d12h`: an age relative to load time, so scenario files never go stale.
fn relative_age(s: &str) -> Option<Duration> {
    let rest = s.strip_prefix('-')?;
    let (mut total, mut num) = (Duration::zero(), String::new());
    for ch in rest.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += match ch {
            'd' => Duration::days(n),
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            's' => Duration::seconds(n),
            _ => return None,
        };
    }
    num.is_empty().then_some(total)
}

fn check_object(obj: &mut Value, doc: usize, now: DateTime<Utc>) -> Result<(), String> {
    let kind = obj["kind"].as_str().unwrap_or("").to_string();
    let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
    let what = if name.is_empty() {
        format!("a {kind} object")
    } else {
        format!("{kind} \"{name}\"")
    };
    let missing = [
        ("apiVersion", obj["apiVersion"].is_string()),
        ("kind", !kind.is_empty()),
        ("metadata.name", !name.is_empty()),
    ]
    .iter()
    .find(|(_, ok)| !ok)
    .map(|(field, _)| *field);
    if let Some(field) = missing {
        return Err(format!(
            "scenario YAML document {}: {what} has no {field}.",
            doc + 1
        ));
    }
    let created = obj["metadata"]["creationTimestamp"]
        .as_str()
        .map(str::to_string);
    if let Some(c) = created.filter(|c| c.starts_with('-')) {
        let age = relative_age(&c).ok_or_else(|| {
            format!("scenario YAML document {}: {what} has creationTimestamp \"{c}\", expected an RFC 3339 time or an age like \"-40d\" or \"-2d12h\".", doc + 1)
        })?;
        super::set(
            obj,
            &["metadata", "creationTimestamp"],
            Value::String(ts(now - age)),
        );
    }
    Ok(())
}

fn to_file(f: FileSpec, i: usize) -> Result<SandboxFile, String> {
    if !f.path.starts_with('/') {
        return Err(format!(
            "scenario YAML files[{i}]: path \"{}\" must be absolute.",
            f.path
        ));
    }
    let is_dir = f.path.ends_with('/');
    if is_dir && !f.content.is_empty() {
        return Err(format!(
            "scenario YAML files[{i}]: \"{}\" is a directory (ends with '/') but has content.",
            f.path
        ));
    }
    let mode = f.mode.map_or(if is_dir { 0o755 } else { 0o644 }, |m| m.0);
    Ok(SandboxFile {
        namespace: f.namespace,
        selector: f.selector,
        path: f.path,
        content: f.content,
        mode,
    })
}

/// Identity of an object for "a later definition replaces an earlier one" (group, not version).
fn identity(v: &Value) -> (String, String, String, String) {
    let api = v["apiVersion"].as_str().unwrap_or("");
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    let s = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (
        group.to_string(),
        s("/kind"),
        s("/metadata/namespace"),
        s("/metadata/name"),
    )
}

fn merge_objects(base: &mut Vec<Value>, extra: Vec<Value>) {
    let mut at: HashMap<_, usize> = base
        .iter()
        .enumerate()
        .map(|(i, o)| (identity(o), i))
        .collect();
    for o in extra {
        let id = identity(&o);
        match at.get(&id) {
            Some(&i) => base[i] = o,
            None => {
                at.insert(id, base.len());
                base.push(o);
            }
        }
    }
}

fn merge_files(base: &mut Vec<SandboxFile>, extra: Vec<SandboxFile>) {
    for f in extra {
        let same = |b: &SandboxFile| {
            b.namespace == f.namespace && b.selector == f.selector && b.path == f.path
        };
        match base.iter_mut().find(|b| same(b)) {
            Some(b) => *b = f,
            None => base.push(f),
        }
    }
}

/// Namespaces before Nodes before everything else, each group in file order: objects must be
/// creatable in sequence.
fn creation_order(objects: &mut [Value]) {
    objects.sort_by_key(|o| match o["kind"].as_str() {
        Some("Namespace") => 0,
        Some("Node") => 1,
        _ => 2,
    });
}

/// The documented YAML scenario format (see the module docs).
pub fn from_yaml(text: &str) -> Result<Scenario, String> {
    from_yaml_at(text, Utc::now())
}

/// `from_yaml` with the load time given, so relative ages and `include: default` are testable.
pub(super) fn from_yaml_at(text: &str, now: DateTime<Utc>) -> Result<Scenario, String> {
    let docs = documents(text)?;
    let header_docs: Vec<bool> = docs
        .iter()
        .map(|d| d.is_mapping() && !is_manifest(d))
        .collect();
    let mut headers = Vec::new();
    for (i, d) in serde_yaml::Deserializer::from_str(text).enumerate() {
        if header_docs.get(i).copied().unwrap_or(false) {
            headers.push((i, Header::deserialize(d).map_err(|e| yaml_error(&e, i))?));
        }
    }
    let mut objects: Vec<(usize, Value)> = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        match doc {
            serde_yaml::Value::Null => {}
            d if is_manifest(&d) => objects.extend(manifests(d, i)?.into_iter().map(|o| (i, o))),
            d if d.is_mapping() => {}
            _ => {
                return Err(format!(
                "scenario YAML document {}: expected a mapping (a manifest or scenario settings).",
                i + 1
            ))
            }
        }
    }
    let mut scenario = Scenario::default();
    let mut includes = headers
        .iter()
        .filter_map(|(i, h)| h.include.as_deref().map(|inc| (*i, inc)));
    match includes.next() {
        None => {}
        Some((_, "default")) => scenario = default_scenario(now),
        Some((i, other)) => {
            return Err(format!(
                "scenario YAML document {}: unknown include \"{other}\" (expected \"default\").",
                i + 1
            ))
        }
    }
    if let Some((i, _)) = includes.next() {
        return Err(format!(
            "scenario YAML document {}: only one include is allowed per scenario.",
            i + 1
        ));
    }
    let mut tenants = scenario.tenants.clone();
    let mut files = Vec::new();
    for (i, h) in headers {
        tenants.extend(h.tenants);
        objects.extend(h.objects.into_iter().map(|o| (i, o)));
        for (n, f) in h.files.into_iter().enumerate() {
            files.push(to_file(f, n)?);
        }
    }
    let mut own = Vec::with_capacity(objects.len());
    for (doc, mut o) in objects {
        check_object(&mut o, doc, now)?;
        own.push(o);
    }
    // Labelled tenant namespaces count as tenants even when the header does not list them.
    let labelled = own.iter().filter(|o| {
        o["kind"] == "Namespace" && o["metadata"]["labels"]["kterm.io/tenant"] == "true"
    });
    tenants.extend(labelled.filter_map(|o| o["metadata"]["name"].as_str().map(str::to_string)));
    let mut seen = std::collections::HashSet::new();
    tenants.retain(|t| seen.insert(t.clone()));

    merge_objects(&mut scenario.objects, own);
    creation_order(&mut scenario.objects);
    merge_files(&mut scenario.files, files);
    scenario.tenants = tenants;
    Ok(scenario)
}
