//! When the clock alone changes a namespace's rows: the end of a pod's restart, OOM or pending
//! window and the next step of an "ago" text. The cache computes a namespace again for the
//! clock only once that instant has passed, instead of every namespace after a while away.

use chrono::{DateTime, TimeDelta, Utc};

use super::{DAY, HOUR, PENDING_GRACE};
use crate::kube::health::PodHealth;
use crate::kube::pods::PodRow;

/// The earliest instant after `now` at which a clock-dependent part of a row may change. Erring
/// early is safe (a recompute that finds nothing new); late is not.
pub(super) struct Clock {
    now: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
}

impl Clock {
    /// Nothing found yet, as of `now`.
    pub(super) fn new(now: DateTime<Utc>) -> Self {
        Clock { now, next: None }
    }

    /// The earliest instant found, if any.
    pub(super) fn next(&self) -> Option<DateTime<Utc>> {
        self.next
    }

    fn at(&mut self, when: DateTime<Utc>) {
        if when > self.now {
            self.next = Some(self.next.map_or(when, |n| n.min(when)));
        }
    }

    /// `now - at <= span` turns false the nanosecond after `at + span`.
    fn window(&mut self, at: Option<DateTime<Utc>>, span: TimeDelta) {
        if let Some(at) = at {
            self.at(at + span + TimeDelta::nanoseconds(1));
        }
    }

    /// `human_duration(now - at)`: whole seconds below ten minutes, whole minutes above (it
    /// steps less often past three hours: a minute is early, so safe).
    pub(super) fn text(&mut self, at: DateTime<Utc>) {
        let d = self.now - at;
        let step = if d < TimeDelta::minutes(10) {
            TimeDelta::seconds(d.num_seconds() + 1)
        } else {
            TimeDelta::minutes(d.num_minutes() + 1)
        };
        let next = at + step;
        self.at(if next > self.now {
            next
        } else {
            self.now + TimeDelta::seconds(1)
        });
    }
}

/// Every instant at which the clock alone changes what `pod_counts` and `PodHealth::of` say of
/// this pod: its restart and OOM windows (`PodHealth`'s "recent" is the hour too), the pending
/// grace, and the "ago" and "for" texts (only an OOM-killed pod's and a pending one's are shown).
pub(super) fn pod_clock(clock: &mut Clock, pod: &PodRow, health: PodHealth) {
    let finished = pod.last_termination.as_ref().and_then(|t| t.finished_at);
    if pod.last_restart.is_some() || finished.is_some() {
        clock.window(pod.last_restart, HOUR);
        clock.window(finished, HOUR);
        clock.window(finished.or(pod.last_restart), DAY);
    }
    match (health, finished, pod.created) {
        (PodHealth::Oom, Some(at), _) => clock.text(at),
        // The grace and the "for" text matter only while the pod is pending.
        (PodHealth::Pending, _, Some(at)) => {
            clock.window(Some(at), PENDING_GRACE);
            clock.text(at);
        }
        _ => {}
    }
}
