//! TEMPORARY placeholder: replaced by the real implementation from wip-patch.
use crate::error::ApiError;
use serde_json::Value;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind { Json, Merge, StrategicMerge, Apply }
impl PatchKind { pub fn from_content_type(_ct: &str) -> Option<Self> { Some(PatchKind::Merge) } }
pub fn apply_patch(obj: &Value, patch: &[u8], _kind: PatchKind) -> Result<Value, ApiError> {
    let p: Value = serde_json::from_slice(patch).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let mut o = obj.clone(); json_patch::merge(&mut o, &p); Ok(o)
}
