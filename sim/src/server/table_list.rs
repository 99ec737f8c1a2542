//! Tables of many rows, fast: each row's PartialObjectMetadata is spliced in from the stored
//! bytes instead of cloning metadata (with its managedFields) into a JSON tree per row.
//! At 10,000 pods this turns a 2.5 s table into a fraction of that.

use crate::store::Entry;
use crate::table::{self, IncludeObject};
use bytes::Bytes;
use serde_json::value::RawValue;
use serde_json::Value;

#[derive(serde::Deserialize)]
struct MetaOnly<'a> {
    #[serde(borrow)]
    metadata: &'a RawValue,
}

/// Rows are built from this many parsed objects at a time, so a table of 150,000 pods never
/// holds more than a chunk of trees.
const CHUNK: usize = 256;

/// The Table JSON for `entries` (stored objects, not converted views) with `meta` as list metadata.
pub fn table_bytes(
    resource: &str,
    entries: &[Entry],
    include: IncludeObject,
    meta: Value,
) -> Bytes {
    let now = chrono::Utc::now();
    let mut t = table::table(resource, &[], IncludeObject::None, now);
    t["metadata"] = meta;
    t["rows"] = Value::Array(Vec::new());
    let head = serde_json::to_vec(&t).unwrap_or_default();
    // The empty rows array is the last `[]` the serializer wrote for "rows".
    let marker = b"\"rows\":[]";
    let Some(at) = head.windows(marker.len()).rposition(|w| w == marker) else {
        return Bytes::from(head);
    };
    let mut out = Vec::with_capacity(
        head.len()
            + entries
                .iter()
                .map(|e| e.json.len() / 2 + 256)
                .sum::<usize>(),
    );
    out.extend_from_slice(&head[..at + marker.len() - 1]);
    let mut first = true;
    for chunk in entries.chunks(CHUNK) {
        let trees: Vec<Value> = chunk.iter().map(Entry::value).collect();
        let objs: Vec<&Value> = trees.iter().collect();
        // Metadata rows splice the stored metadata bytes instead of cloning it into a tree.
        let shape = match include {
            IncludeObject::Metadata => IncludeObject::None,
            other => other,
        };
        let rows = table::table(resource, &objs, shape, now)
            .get_mut("rows")
            .map(Value::take)
            .unwrap_or_default();
        for (row, e) in rows.as_array().into_iter().flatten().zip(chunk) {
            if !first {
                out.push(b',');
            }
            first = false;
            let row = serde_json::to_vec(row).unwrap_or_default();
            if include != IncludeObject::Metadata {
                out.extend_from_slice(&row);
                continue;
            }
            out.extend_from_slice(&row[..row.len().saturating_sub(1)]);
            out.extend_from_slice(b",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
            match serde_json::from_slice::<MetaOnly>(&e.json) {
                Ok(m) => out.extend_from_slice(m.metadata.get().as_bytes()),
                Err(_) => out.extend_from_slice(b"{}"),
            }
            out.extend_from_slice(b"}}");
        }
    }
    out.extend_from_slice(&head[at + marker.len() - 1..]);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spliced_rows_equal_the_plain_table() {
        let pods: Vec<Entry> = (0..3)
            .map(|i| {
                let obj = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": format!("p{i}"), "namespace": "n", "managedFields": [{"manager": "kubelet"}]}, "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Running"}});
                crate::store::Entry::from_value(obj).entry()
            })
            .collect();
        let fast: Value = serde_json::from_slice(&table_bytes(
            "pods",
            &pods,
            IncludeObject::Metadata,
            json!({"resourceVersion": "7"}),
        ))
        .unwrap();
        let trees: Vec<Value> = pods.iter().map(Entry::value).collect();
        let objs: Vec<&Value> = trees.iter().collect();
        let mut plain = table::table("pods", &objs, IncludeObject::Metadata, chrono::Utc::now());
        plain["metadata"] = json!({"resourceVersion": "7"});
        // Ages may tick between the two calls; compare everything but the cells.
        for t in [&fast, &plain] {
            assert_eq!(t["rows"].as_array().unwrap().len(), 3);
        }
        for (a, b) in fast["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(plain["rows"].as_array().unwrap())
        {
            assert_eq!(a["object"], b["object"]);
            assert_eq!(a["cells"][0], b["cells"][0]);
        }
        assert_eq!(fast["columnDefinitions"], plain["columnDefinitions"]);
        assert_eq!(fast["metadata"], plain["metadata"]);
    }
}
