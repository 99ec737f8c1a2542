//! Metadata helpers shared by the store and the API handlers.

use rand::Rng;
use serde_json::Value;

/// (namespace, name) of an object; namespace is "" for cluster-scoped objects.
pub fn ns_name(obj: &Value) -> (String, String) {
    let m = &obj["metadata"];
    (
        m["namespace"].as_str().unwrap_or_default().to_string(),
        m["name"].as_str().unwrap_or_default().to_string(),
    )
}

/// Now as the API server writes timestamps (RFC 3339, seconds).
pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Five characters as the API server appends to generateName (no vowels, no look-alikes).
pub fn generate_suffix(len: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Drop `null` members, as the API server's omitempty encoding does (a client's or a
/// controller's `null` means "absent"); the few fields real servers print as null stay.
pub fn prune_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|k, x| {
                !x.is_null()
                    || matches!(
                        k.as_str(),
                        "lastProbeTime" | "eventTime" | "creationTimestamp"
                    )
            });
            m.values_mut().for_each(prune_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(prune_nulls),
        _ => {}
    }
}
