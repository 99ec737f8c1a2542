//! TEMPORARY placeholder: replaced by the real implementation from wip-table.
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IncludeObject { None, #[default] Metadata, Object }
impl IncludeObject { pub fn parse(_s: &str) -> Option<Self> { Some(IncludeObject::Metadata) } }
pub fn table(_resource: &str, items: &[&Value], _include: IncludeObject, _now: DateTime<Utc>) -> Value {
    let rows: Vec<Value> = items.iter().map(|i| json!({"cells": [i["metadata"]["name"]], "object": {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata": i["metadata"]}})).collect();
    json!({"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"","priority":0}],"rows":rows})
}
pub fn pod_status(pod: &Value) -> String { pod["status"]["phase"].as_str().unwrap_or("Unknown").to_string() }
pub fn human_age(since: DateTime<Utc>, now: DateTime<Utc>) -> String { format!("{}s", (now - since).num_seconds()) }
