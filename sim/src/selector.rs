//! TEMPORARY placeholder: replaced by the real implementation from wip-patch.
use crate::error::ApiError;
use serde_json::{Map, Value};
pub struct LabelSelector;
impl LabelSelector {
    pub fn parse(_s: &str) -> Result<Self, ApiError> { Ok(LabelSelector) }
    pub fn from_object(_v: &Value) -> Result<Self, ApiError> { Ok(LabelSelector) }
    pub fn from_map(_m: &Map<String, Value>) -> Self { LabelSelector }
    pub fn matches(&self, _labels: Option<&Map<String, Value>>) -> bool { true }
    pub fn is_empty(&self) -> bool { true }
}
pub struct FieldSelector;
impl FieldSelector {
    pub fn parse(_s: &str, _resource: &str) -> Result<Self, ApiError> { Ok(FieldSelector) }
    pub fn matches(&self, _obj: &Value) -> bool { true }
    pub fn name(&self) -> Option<&str> { None }
    pub fn namespace(&self) -> Option<&str> { None }
}
