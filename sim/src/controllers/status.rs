//! Pod status pieces shaped as a kubelet reports them.

use serde_json::{json, Value};

/// Timestamp format of status fields.
pub fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A stable fake hex digest of `seed` with `len` characters.
pub fn hex(seed: &str, len: usize) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut out = String::with_capacity(len);
    let mut i = 0u64;
    while out.len() < len {
        for b in seed.bytes().chain(i.to_le_bytes()) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.push_str(&format!("{h:016x}"));
        i += 1;
    }
    out.truncate(len);
    out
}

pub fn image_id(image: &str) -> String {
    let repo = image.split(':').next().unwrap_or(image);
    format!("{repo}@sha256:{}", hex(image, 64))
}

/// A container status in `state` with the given restarts.
pub fn container_status(
    c: &Value,
    state: Value,
    ready: bool,
    restarts: i64,
    last: Value,
    seed: &str,
) -> Value {
    let image = c["image"].as_str().unwrap_or_default();
    let running = state.get("running").is_some();
    let waiting = state.get("waiting").is_some();
    let mut s = json!({
        "name": c["name"],
        "image": image,
        "imageID": if waiting && restarts == 0 { String::new() } else { image_id(image) },
        "ready": ready,
        "restartCount": restarts,
        "started": running,
        "state": state,
        "lastState": last,
    });
    if !(waiting && restarts == 0) {
        s["containerID"] = json!(format!(
            "containerd://{}",
            hex(&format!("{seed}/{restarts}"), 64)
        ));
    }
    s
}

pub fn running(started: &str) -> Value {
    json!({"running": {"startedAt": started}})
}

pub fn waiting(reason: &str, message: Option<&str>) -> Value {
    match message {
        Some(m) => json!({"waiting": {"reason": reason, "message": m}}),
        None => json!({"waiting": {"reason": reason}}),
    }
}

pub fn terminated(code: i64, reason: &str, started: &str, finished: &str, seed: &str) -> Value {
    json!({"terminated": {"exitCode": code, "reason": reason, "startedAt": started, "finishedAt": finished, "containerID": format!("containerd://{}", hex(seed, 64))}})
}

/// Set a pod condition, keeping lastTransitionTime when the status does not change.
pub fn set_condition(
    pod: &mut Value,
    ty: &str,
    status: bool,
    reason: Option<&str>,
    message: Option<&str>,
    now: &str,
) {
    let st = if status { "True" } else { "False" };
    if !pod["status"]["conditions"].is_array() {
        pod["status"]["conditions"] = json!([]);
    }
    let Some(list) = pod["status"]["conditions"].as_array_mut() else {
        return;
    };
    let mut c = json!({"type": ty, "status": st, "lastProbeTime": null, "lastTransitionTime": now});
    if let Some(r) = reason {
        c["reason"] = json!(r);
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    match list.iter_mut().find(|x| x["type"] == ty) {
        Some(old) if old["status"] == st => {
            c["lastTransitionTime"] = old["lastTransitionTime"].clone();
            *old = c;
        }
        Some(old) => *old = c,
        None => list.push(c),
    }
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    list.sort_by_key(|x| order.iter().position(|o| x["type"] == *o).unwrap_or(9));
}

/// Memory in bytes of a quantity such as "2Gi", "512Mi", "1G", "1000".
pub fn parse_bytes(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let (num, unit) = q.split_at(split);
    let n: f64 = num.parse().ok()?;
    let m = match unit {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "m" => 1e-3,
        _ => return None,
    };
    Some(n * m)
}

/// CPU cores of a quantity such as "500m" or "2".
pub fn parse_cpu(q: &str) -> Option<f64> {
    match q.strip_suffix('m') {
        Some(m) => m.parse::<f64>().ok().map(|v| v / 1000.0),
        None => q.parse().ok(),
    }
}
