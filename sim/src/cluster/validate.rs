//! What the API server refuses before it stores a workload: a body its typed decoder cannot read
//! (400 BadRequest, Go's words) and a spec that breaks a rule (422 Invalid, field paths). Only the
//! fields an editor or kterm's actions are likely to break are checked.

use crate::controllers::Schedule;
use crate::error::ApiError;
use crate::resources::ResourceDef;
use serde_json::Value;

/// JSON types of the checked fields, named as Go names the field's type.
#[derive(Clone, Copy)]
enum Ty {
    Int32,
    Int64,
    Str,
    Bool,
}

impl Ty {
    fn fits(self, v: &Value) -> bool {
        match self {
            Ty::Int32 | Ty::Int64 => v.is_i64() || v.is_u64(),
            Ty::Str => v.is_string(),
            Ty::Bool => v.is_boolean(),
        }
    }

    fn go(self) -> &'static str {
        match self {
            Ty::Int32 => "int32",
            Ty::Int64 => "int64",
            Ty::Str => "string",
            Ty::Bool => "bool",
        }
    }
}

/// (kind, Go struct, field) of typed spec fields.
const TYPED: &[(&str, &str, &str, Ty)] = &[
    ("Deployment", "DeploymentSpec", "replicas", Ty::Int32),
    ("ReplicaSet", "ReplicaSetSpec", "replicas", Ty::Int32),
    ("StatefulSet", "StatefulSetSpec", "replicas", Ty::Int32),
    ("Job", "JobSpec", "backoffLimit", Ty::Int32),
    ("Job", "JobSpec", "parallelism", Ty::Int32),
    ("Job", "JobSpec", "completions", Ty::Int32),
    ("Job", "JobSpec", "activeDeadlineSeconds", Ty::Int64),
    ("Job", "JobSpec", "suspend", Ty::Bool),
    ("CronJob", "CronJobSpec", "schedule", Ty::Str),
    ("CronJob", "CronJobSpec", "suspend", Ty::Bool),
    (
        "CronJob",
        "CronJobSpec",
        "successfulJobsHistoryLimit",
        Ty::Int32,
    ),
    (
        "CronJob",
        "CronJobSpec",
        "failedJobsHistoryLimit",
        Ty::Int32,
    ),
];

/// Where the pod spec of each kind lives, as a JSON pointer and as the API's field path.
fn pod_spec_path(kind: &str) -> Option<(&'static str, &'static str)> {
    match kind {
        "Pod" => Some(("/spec", "spec")),
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" => {
            Some(("/spec/template/spec", "spec.template.spec"))
        }
        "CronJob" => Some((
            "/spec/jobTemplate/spec/template/spec",
            "spec.jobTemplate.spec.template.spec",
        )),
        _ => None,
    }
}

/// Refuse `obj` (about to be stored) as the API server would.
pub fn check(def: &ResourceDef, obj: &Value) -> Result<(), ApiError> {
    decodable(def, obj)?;
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let invalid =
        |field: &str, msg: &str| Err(ApiError::invalid(def.kind, def.group, name, field, msg));
    if let Some(n) = obj["spec"]["replicas"].as_i64().filter(|n| *n < 0) {
        return invalid(
            "spec.replicas",
            &format!("Invalid value: {n}: must be greater than or equal to 0"),
        );
    }
    if def.kind == "CronJob" {
        match obj["spec"]["schedule"].as_str() {
            None | Some("") => return invalid("spec.schedule", "Required value"),
            Some(s) => {
                if let Err(e) = Schedule::parse(s) {
                    // The simulator's parser knows no month or day names: refuse only what is
                    // surely wrong.
                    if e.starts_with("expected exactly")
                        || !s.chars().any(|c| c.is_ascii_alphabetic())
                    {
                        return invalid("spec.schedule", &format!("Invalid value: \"{s}\": {e}"));
                    }
                }
            }
        }
    }
    let Some((pointer, path)) = pod_spec_path(def.kind) else {
        return Ok(());
    };
    let Some(spec) = obj.pointer(pointer) else {
        return invalid(&format!("{path}.containers"), "Required value");
    };
    let containers = spec["containers"].as_array().map_or(&[][..], Vec::as_slice);
    if containers.is_empty() {
        return invalid(&format!("{path}.containers"), "Required value");
    }
    for list in ["initContainers", "containers"] {
        for (i, c) in spec[list].as_array().into_iter().flatten().enumerate() {
            for field in ["name", "image"] {
                if c[field].as_str().is_none_or(str::is_empty) {
                    return invalid(&format!("{path}.{list}[{i}].{field}"), "Required value");
                }
            }
        }
    }
    Ok(())
}

/// 400 for what Go's JSON decoder would not take into the kind's struct.
fn decodable(def: &ResourceDef, obj: &Value) -> Result<(), ApiError> {
    let cannot = |detail: String| {
        Err(ApiError::bad_request(format!(
            "{kind} in version \"{v}\" cannot be handled as a {kind}: {detail}",
            kind = def.kind,
            v = def.version,
        )))
    };
    for (kind, strukt, field, ty) in TYPED {
        let v = &obj["spec"][*field];
        if *kind == def.kind && !v.is_null() && !ty.fits(v) {
            return cannot(format!(
                "json: cannot unmarshal {} into Go struct field {strukt}.spec.{field} of type {}",
                json_type(v),
                ty.go()
            ));
        }
    }
    let Some((pointer, path)) = pod_spec_path(def.kind) else {
        return Ok(());
    };
    let Some(spec) = obj.pointer(pointer) else {
        return Ok(());
    };
    for list in ["initContainers", "containers"] {
        let v = &spec[list];
        if !v.is_null() && !v.is_array() {
            return cannot(format!(
                "json: cannot unmarshal {} into Go struct field PodSpec.{path}.{list} of type []v1.Container",
                json_type(v)
            ));
        }
        for c in v.as_array().into_iter().flatten() {
            for field in ["name", "image"] {
                if !c[field].is_null() && !c[field].is_string() {
                    return cannot(format!(
                        "json: cannot unmarshal {} into Go struct field Container.{path}.{list}.{field} of type string",
                        json_type(&c[field])
                    ));
                }
            }
            for part in ["limits", "requests"] {
                for q in c["resources"][part]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(_, q)| q)
                {
                    if !quantity(q) {
                        return cannot(format!(
                            "quantities must match the regular expression '{QUANTITY}'"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

const QUANTITY: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// A resource quantity (`500m`, `2Gi`, `1.5`, `1e3`), as a string or a number.
fn quantity(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => {
            let digits = s.trim_start_matches(['+', '-']);
            let num_end = digits
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(digits.len());
            let (num, suffix) = digits.split_at(num_end);
            let known = [
                "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E",
            ];
            let exponent = suffix.strip_prefix(['e', 'E']).is_some_and(|e| {
                let e = e.trim_start_matches(['+', '-']);
                !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
            });
            num.chars().any(|c| c.is_ascii_digit()) && (known.contains(&suffix) || exponent)
        }
        _ => false,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources;
    use serde_json::json;

    fn deployment(spec: Value) -> Value {
        json!({"metadata": {"name": "d"}, "spec": spec})
    }

    #[test]
    fn refuses_what_a_real_server_refuses() {
        let def = resources::find("apps", "v1", "deployments").unwrap();
        let pod = |c: Value| json!({"template": {"spec": {"containers": [c]}}});
        let ok = deployment(pod(
            json!({"name": "a", "image": "i", "resources": {"limits": {"memory": "3Gi", "cpu": "500m"}}}),
        ));
        assert_eq!(check(def, &ok), Ok(()));
        let mut abc = ok.clone();
        abc["spec"]["replicas"] = json!("abc");
        let e = check(def, &abc).unwrap_err();
        assert_eq!((e.code, e.reason), (400, "BadRequest"));
        assert_eq!(e.message, "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
        let e = check(def, &deployment(pod(json!({"name": "a"})))).unwrap_err();
        assert_eq!((e.code, e.reason), (422, "Invalid"));
        assert_eq!(e.message, "Deployment.apps \"d\" is invalid: spec.template.spec.containers[0].image: Required value");
        let bad_limit = deployment(pod(
            json!({"name": "a", "image": "i", "resources": {"limits": {"memory": "3 GB"}}}),
        ));
        assert_eq!(check(def, &bad_limit).unwrap_err().code, 400);
        let mut negative = ok.clone();
        negative["spec"]["replicas"] = json!(-1);
        assert_eq!(check(def, &negative).unwrap_err().code, 422);
        for q in ["1", "1.5", "500m", "2Gi", "1e3", "+1Ki"] {
            assert!(quantity(&json!(q)), "{q}");
        }
        for q in ["abc", "3 GB", "Gi", "1Gb", "1e"] {
            assert!(!quantity(&json!(q)), "{q}");
        }
    }
}
