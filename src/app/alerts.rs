//! Alerts while kterm is open: a new OOM kill, a pod that starts crash-looping (seen as the pod
//! store changes) and a tenant going DOWN (from the overview). The latest is said in the status
//! bar until the list is opened (`!`); the list keeps the last `KEEP`.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use crate::kube::pods::PodRow;

/// Alerts kept for the list.
pub const KEEP: usize = 100;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertKind {
    /// A container was OOM-killed (a new kill, not one from before kterm looked).
    OomKill,
    /// A pod went into CrashLoopBackOff.
    CrashLoop,
    /// A watched tenant (environment) went DOWN.
    TenantDown,
}

impl AlertKind {
    /// The words before the object.
    pub fn words(self) -> &'static str {
        match self {
            AlertKind::OomKill => "OOM kill",
            AlertKind::CrashLoop => "crash loop",
            AlertKind::TenantDown => "DOWN",
        }
    }
}

/// One alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// When kterm saw it.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: AlertKind,
    /// About what, in words: `t4k9pz/appserver-prd-4f6d-x2k4p (container appserver, exit 137)`.
    pub text: String,
}

/// The alerts seen so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Alerts {
    /// Newest first.
    pub list: VecDeque<Alert>,
    /// Alerts not yet seen in the list.
    pub unseen: usize,
}

impl Alerts {
    /// Adds an alert (newest first, the oldest dropped past `KEEP`).
    pub fn push(&mut self, alert: Alert) {
        self.list.push_front(alert);
        self.list.truncate(KEEP);
        self.unseen = (self.unseen + 1).min(KEEP);
    }

    /// The newest alert not yet seen, for the status bar.
    pub fn latest_unseen(&self) -> Option<&Alert> {
        (self.unseen > 0).then(|| self.list.front()).flatten()
    }
}

/// The alert a pod's change raises, if any: compared with the row before, so pods as they were
/// when kterm first listed them never alert.
pub fn pod_alert(old: &PodRow, new: &PodRow) -> Option<(AlertKind, String)> {
    let who = format!("{}/{}", new.namespace, new.name);
    if let Some(term) = &new.last_termination {
        let newer = match &old.last_termination {
            None => true,
            Some(before) => before.finished_at != term.finished_at || new.restarts > old.restarts,
        };
        if newer && term.reason == "OOMKilled" {
            return Some((
                AlertKind::OomKill,
                format!("{who} (exit {})", term.exit_code),
            ));
        }
    }
    if new.status == "CrashLoopBackOff" && old.status != "CrashLoopBackOff" {
        return Some((
            AlertKind::CrashLoop,
            format!("{who} ({} restarts)", new.restarts),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::pods::LastTermination;

    fn row(status: &str, restarts: u32, term: Option<(&str, i64)>) -> PodRow {
        PodRow {
            namespace: "t4k9pz".into(),
            name: "appserver-prd-x".into(),
            status: status.into(),
            restarts,
            last_termination: term.map(|(reason, at)| LastTermination {
                reason: reason.into(),
                exit_code: 137,
                finished_at: DateTime::from_timestamp(at, 0),
            }),
            ..PodRow::default()
        }
    }

    #[test]
    fn a_new_oom_kill_alerts_an_old_one_does_not() {
        let before = row("Running", 3, Some(("OOMKilled", 100)));
        assert_eq!(pod_alert(&before, &before.clone()), None);
        let killed = row("OOMKilled", 4, Some(("OOMKilled", 200)));
        assert_eq!(
            pod_alert(&before, &killed),
            Some((
                AlertKind::OomKill,
                "t4k9pz/appserver-prd-x (exit 137)".into()
            ))
        );
        let first = row("Running", 0, None);
        assert!(pod_alert(&first, &killed).is_some());
        let error = row("Error", 4, Some(("Error", 200)));
        assert_eq!(pod_alert(&before, &error), None);
    }

    #[test]
    fn starting_to_crash_loop_alerts_once() {
        let running = row("Running", 4, None);
        let looping = row("CrashLoopBackOff", 5, None);
        assert_eq!(
            pod_alert(&running, &looping),
            Some((
                AlertKind::CrashLoop,
                "t4k9pz/appserver-prd-x (5 restarts)".into()
            ))
        );
        assert_eq!(pod_alert(&looping, &looping.clone()), None);
    }

    #[test]
    fn the_list_keeps_the_newest_and_counts_the_unseen() {
        let mut alerts = Alerts::default();
        for i in 0..(KEEP + 5) {
            alerts.push(Alert {
                at: Utc::now(),
                kind: AlertKind::OomKill,
                text: format!("pod {i}"),
            });
        }
        assert_eq!(alerts.list.len(), KEEP);
        assert_eq!(alerts.list[0].text, format!("pod {}", KEEP + 4));
        assert_eq!(
            alerts.latest_unseen().map(|a| a.text.clone()),
            Some(format!("pod {}", KEEP + 4))
        );
        alerts.unseen = 0;
        assert_eq!(alerts.latest_unseen(), None);
    }
}
