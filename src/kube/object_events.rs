//! The core/v1 events about one object, decoded slim and ordered like `kubectl describe`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::age::human_duration;

/// One event about an object: what `kubectl describe` prints in its Events table.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ObjectEvent {
    /// `Normal` or `Warning`.
    pub type_: String,
    /// E.g. `BackOff`, `OOMKilling`, `Pulled`.
    pub reason: String,
    /// The event's message.
    pub message: String,
    /// The component that reported it (`kubelet`), kubectl's From column.
    pub source: String,
    /// How often it happened (1 when the server gives no count).
    pub count: u32,
    /// When it first happened.
    pub first_seen: Option<DateTime<Utc>>,
    /// When it last happened; events are ordered by it.
    pub last_seen: Option<DateTime<Utc>>,
    /// The uid of the object it is about, so events of an older object of the same name can be
    /// left out.
    pub involved_uid: Option<String>,
}

impl ObjectEvent {
    /// kubectl's Age column: `3m`, or `10s (x5 over 3m)` for a repeated event.
    pub fn age_cell(&self, now: DateTime<Utc>) -> String {
        let since = |at: Option<DateTime<Utc>>| {
            at.map_or_else(
                || "<unknown>".to_string(),
                |at| human_duration(now.signed_duration_since(at)),
            )
        };
        let first = since(self.first_seen);
        if self.count > 1 {
            format!("{} (x{} over {first})", since(self.last_seen), self.count)
        } else {
            first
        }
    }

    /// Whether this is a Warning event.
    pub fn is_warning(&self) -> bool {
        self.type_ == "Warning"
    }
}

/// An event as the API sends it; only the fields shown are decoded.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireEvent {
    #[serde(rename = "type")]
    type_: Option<String>,
    reason: Option<String>,
    message: Option<String>,
    source: WireSource,
    reporting_component: Option<String>,
    count: Option<u32>,
    first_timestamp: Option<DateTime<Utc>>,
    last_timestamp: Option<DateTime<Utc>>,
    event_time: Option<DateTime<Utc>>,
    series: Option<WireSeries>,
    involved_object: WireInvolved,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireSource {
    component: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireSeries {
    count: Option<u32>,
    last_observed_time: Option<DateTime<Utc>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireInvolved {
    uid: Option<String>,
}

/// An EventList as the API sends it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct WireList {
    items: Vec<WireEvent>,
}

impl From<WireEvent> for ObjectEvent {
    /// Follows kubectl's `DescribeEvents`: eventTime before firstTimestamp, a series before count.
    fn from(e: WireEvent) -> Self {
        let first_seen = e.event_time.or(e.first_timestamp);
        let (count, last_seen) = match &e.series {
            Some(s) => (s.count.unwrap_or(1), s.last_observed_time),
            None => (e.count.unwrap_or(1), e.last_timestamp.or(e.event_time)),
        };
        let source = e
            .source
            .component
            .filter(|c| !c.is_empty())
            .or(e.reporting_component)
            .unwrap_or_default();
        ObjectEvent {
            type_: e.type_.unwrap_or_default(),
            reason: e.reason.unwrap_or_default(),
            message: e.message.unwrap_or_default().trim().to_string(),
            source,
            count,
            first_seen,
            last_seen: last_seen.or(first_seen),
            involved_uid: e.involved_object.uid,
        }
    }
}

/// Decodes an EventList body, oldest first (kubectl's order).
pub fn decode_event_list(body: &str) -> Result<Vec<ObjectEvent>, serde_json::Error> {
    let list: WireList = serde_json::from_str(body)?;
    let mut events: Vec<ObjectEvent> = list.items.into_iter().map(ObjectEvent::from).collect();
    sort_events(&mut events);
    Ok(events)
}

/// Oldest first by when each event last happened; stable, so equal times keep the server's order.
pub fn sort_events(events: &mut [ObjectEvent]) {
    events.sort_by_key(|e| e.last_seen);
}

#[cfg(test)]
mod tests {
    use super::decode_event_list;
    use chrono::{TimeZone, Utc};

    #[test]
    fn decodes_and_orders_like_kubectl() {
        let body = r#"{"items": [
          {"type": "Warning", "reason": "BackOff", "message": " Back-off restarting failed container \n",
           "source": {"component": "kubelet"}, "count": 5,
           "firstTimestamp": "2025-01-01T11:50:00Z", "lastTimestamp": "2025-01-01T11:59:50Z"},
          {"type": "Normal", "reason": "Pulled", "reportingComponent": "kubelet",
           "eventTime": "2025-01-01T11:40:00.123456Z", "involvedObject": {"uid": "u1"}}
        ]}"#;
        let events = decode_event_list(body).expect("decodes");
        let now = Utc
            .with_ymd_and_hms(2025, 1, 1, 12, 0, 0)
            .single()
            .expect("date");
        assert_eq!(events[0].reason, "Pulled");
        assert_eq!(events[0].source, "kubelet");
        assert_eq!(events[0].age_cell(now), "19m");
        assert_eq!(events[0].involved_uid.as_deref(), Some("u1"));
        assert_eq!(events[1].message, "Back-off restarting failed container");
        assert_eq!(events[1].age_cell(now), "10s (x5 over 10m)");
    }
}
