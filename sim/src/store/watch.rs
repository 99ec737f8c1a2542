//! Store events and the subscription a watch reads them from.

use super::Entry;
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
    /// Not a Kubernetes event: tells every watch to end (the `drop watches` fault).
    DropAll,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
            EventType::DropAll => "ERROR",
        }
    }
}

/// One write to the store.
#[derive(Debug)]
pub struct StoreEvent {
    pub ty: EventType,
    pub key: &'static str,
    pub ns: String,
    pub rv: u64,
    pub entry: Entry,
    /// The object before this write (None for Added), so selector watches can see objects leave.
    pub prev: Option<Entry>,
}

impl StoreEvent {
    pub(super) fn drop_all(rv: u64) -> StoreEvent {
        StoreEvent {
            ty: EventType::DropAll,
            key: "",
            ns: String::new(),
            rv,
            entry: Entry::empty(),
            prev: None,
        }
    }

    /// Bytes this event keeps alive (its object and, at worst, the version before it).
    pub fn weight(&self) -> usize {
        self.entry.weight() + self.prev.as_ref().map_or(0, Entry::weight)
    }
}

/// Events were lost: the subscriber fell too far behind the writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged;

/// Live events after a snapshot; events at or before the snapshot's resourceVersion are skipped.
pub struct Subscription {
    rx: broadcast::Receiver<Arc<StoreEvent>>,
    after: u64,
}

impl Subscription {
    pub(super) fn new(rx: broadcast::Receiver<Arc<StoreEvent>>, after: u64) -> Self {
        Subscription { rx, after }
    }

    /// The next event, or None when the watch must end (dropped, or too slow to keep up —
    /// a real server also closes a watch that falls behind; the client re-watches).
    pub async fn next(&mut self) -> Option<Arc<StoreEvent>> {
        loop {
            match self.rx.recv().await {
                Ok(ev) if ev.ty == EventType::DropAll => return None,
                Ok(ev) if ev.rv <= self.after => continue,
                Ok(ev) => return Some(ev),
                Err(_) => return None,
            }
        }
    }

    /// The next event if one is waiting: Ok(None) when none is, Err(Lagged) when events were lost
    /// (the reader fell behind) and everything must be looked at again.
    pub fn try_next(&mut self) -> Result<Option<Arc<StoreEvent>>, Lagged> {
        loop {
            match self.rx.try_recv() {
                Ok(ev) if ev.ty == EventType::DropAll || ev.rv <= self.after => continue,
                Ok(ev) => return Ok(Some(ev)),
                Err(broadcast::error::TryRecvError::Empty) => return Ok(None),
                Err(broadcast::error::TryRecvError::Lagged(_)) => return Err(Lagged),
                Err(broadcast::error::TryRecvError::Closed) => return Ok(None),
            }
        }
    }
}
