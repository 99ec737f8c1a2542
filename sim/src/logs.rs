//! TEMPORARY placeholder: replaced by the real implementation from wip-logs.
use crate::error::ApiError;
use futures::stream::BoxStream;
use futures::StreamExt;
use std::sync::Arc;
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogOpts {
    pub container: Option<String>,
    pub follow: bool,
    pub previous: bool,
    pub tail_lines: Option<i64>,
    pub since_seconds: Option<i64>,
    pub since_time: Option<chrono::DateTime<chrono::Utc>>,
    pub timestamps: bool,
    pub limit_bytes: Option<i64>,
}
impl LogOpts {
    pub fn from_query(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        Ok(LogOpts {
            container: pairs
                .iter()
                .find(|(k, _)| k == "container")
                .map(|(_, v)| v.clone()),
            ..Default::default()
        })
    }
}
pub fn log_stream(
    _pod: &serde_json::Value,
    _opts: &LogOpts,
    _rate: u32,
    _now: chrono::DateTime<chrono::Utc>,
    _alive: Arc<dyn Fn() -> bool + Send + Sync>,
) -> Result<BoxStream<'static, bytes::Bytes>, ApiError> {
    Ok(futures::stream::iter(vec![bytes::Bytes::from_static(b"placeholder\n")]).boxed())
}
