//! Usage from metrics.k8s.io against the pods' requests and limits: the state the pod table's
//! CPU and MEM columns, `:node` and the overview read, and the join (percent of request and of
//! limit, the OOM-risk flag). Polling is decided in `app/update/metrics.rs`; only what is on
//! screen is asked for, so 10,000 watched pods cost nothing until they are looked at.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::settings::MetricsSettings;
use crate::kube::metrics::{MetricsError, NodeUsage, PodUsage};
use crate::kube::pods::{PodKey, PodRow};

/// What a pod or node uses now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// CPU, millicores.
    pub cpu: u32,
    /// Working-set memory, bytes.
    pub mem: u64,
}

/// Whether usage can be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricsStatus {
    /// Turned off (config or the key).
    Off,
    /// On, and no answer has come yet.
    Waiting,
    /// Usage is coming in.
    Live,
    /// metrics.k8s.io cannot be read; the sentence says why (said once, polling backs off).
    Unavailable(String),
}

/// The memory share of the limit from which a pod is flagged as at risk of an OOM kill.
pub const OOM_RISK_PERCENT: u64 = 90;

/// Leads the MEM cell of a pod at OOM risk, so a monochrome terminal shows it too.
pub const OOM_RISK_GLYPH: &str = "▲";

/// The longest wait between polls while metrics stay unavailable.
const MAX_BACKOFF: TimeDelta = TimeDelta::minutes(5);

/// One poll's answers: per namespace asked, and the nodes when `:node` is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Polled {
    /// Each namespace asked and its answer.
    pub pods: Vec<(String, Result<Vec<PodUsage>, MetricsError>)>,
    /// The nodes' answer, when they were asked.
    pub nodes: Option<Result<Vec<NodeUsage>, MetricsError>>,
}

/// The usage known now, and when to ask again.
#[derive(Clone, Debug, Default)]
pub struct Metrics {
    /// Interval and whether polling is on (config.yaml's `metrics`).
    pub settings: MetricsSettings,
    pods: HashMap<PodKey, Usage>,
    nodes: HashMap<String, Usage>,
    status: Option<MetricsStatus>,
    next_poll: Option<DateTime<Utc>>,
    in_flight: bool,
    failures: u32,
    asked: BTreeSet<String>,
}

impl Metrics {
    /// A fresh state with these settings.
    pub fn new(settings: MetricsSettings) -> Self {
        Metrics {
            settings,
            ..Metrics::default()
        }
    }

    /// What the pod uses, when its namespace was polled and the pod was in the answer.
    pub fn usage(&self, key: &PodKey) -> Option<Usage> {
        self.pods.get(key).copied()
    }

    /// What the node uses, when nodes were polled.
    pub fn node_usage(&self, name: &str) -> Option<Usage> {
        self.nodes.get(name).copied()
    }

    /// Whether usage can be shown.
    pub fn status(&self) -> MetricsStatus {
        if !self.settings.enabled {
            return MetricsStatus::Off;
        }
        self.status.clone().unwrap_or(MetricsStatus::Waiting)
    }

    /// Whether the pod table shows its CPU and MEM columns: once there is something to say
    /// in them (usage, or `n/a`).
    pub fn columns_shown(&self) -> bool {
        matches!(
            self.status(),
            MetricsStatus::Live | MetricsStatus::Unavailable(_)
        )
    }

    /// The namespaces the last poll asked for.
    pub fn asked(&self) -> &BTreeSet<String> {
        &self.asked
    }

    /// Whether a poll should start now for `namespaces` (what is on screen): polling is on,
    /// none is running, and the interval (or the backoff) has passed — or the screen shows
    /// a namespace the last poll did not ask for and no failure asks to wait.
    pub fn due(&self, now: DateTime<Utc>, namespaces: &BTreeSet<String>, nodes: bool) -> bool {
        if !self.settings.enabled || self.in_flight || (namespaces.is_empty() && !nodes) {
            return false;
        }
        let time = self.next_poll.is_none_or(|at| now >= at);
        let new_on_screen = self.failures == 0
            && (!namespaces.is_subset(&self.asked) || nodes && self.nodes.is_empty());
        time || new_on_screen
    }

    /// Records that a poll of `namespaces` started.
    pub fn started(&mut self, namespaces: BTreeSet<String>) {
        self.in_flight = true;
        self.asked = namespaces;
    }

    /// Takes a poll's answers; returns the sentence to say when metrics just became
    /// unavailable (said once, not on every failed poll).
    pub fn answered(&mut self, now: DateTime<Utc>, polled: Polled) -> Option<String> {
        self.in_flight = false;
        if !self.settings.enabled {
            return None;
        }
        let mut first_error = None;
        let mut any_ok = false;
        // Usage of namespaces no longer on screen is dropped: only what is shown is kept.
        let asked = &self.asked;
        self.pods.retain(|k, _| asked.contains(&*k.namespace));
        for (namespace, answer) in polled.pods {
            match answer {
                Ok(list) => {
                    any_ok = true;
                    self.pods.retain(|k, _| *k.namespace != *namespace);
                    for p in list {
                        let usage = Usage {
                            cpu: p.cpu,
                            mem: p.mem,
                        };
                        self.pods.insert(PodKey::new(p.namespace, p.name), usage);
                    }
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match polled.nodes {
            Some(Ok(list)) => {
                any_ok = true;
                self.nodes = list
                    .into_iter()
                    .map(|n| {
                        let usage = Usage {
                            cpu: n.cpu,
                            mem: n.mem,
                        };
                        (n.name, usage)
                    })
                    .collect();
            }
            Some(Err(e)) => {
                first_error.get_or_insert(e);
            }
            None => {}
        }
        let interval =
            TimeDelta::from_std(self.settings.interval).unwrap_or(TimeDelta::seconds(15));
        match (any_ok, first_error) {
            (false, Some(e)) => {
                self.failures = self.failures.saturating_add(1);
                let backoff = interval * 2i32.pow(self.failures.min(6));
                self.next_poll = Some(now + backoff.min(MAX_BACKOFF).max(interval));
                let sentence = e.to_string();
                let new = !matches!(&self.status, Some(MetricsStatus::Unavailable(_)));
                self.pods.clear();
                self.nodes.clear();
                self.status = Some(MetricsStatus::Unavailable(sentence.clone()));
                new.then_some(sentence)
            }
            _ => {
                self.failures = 0;
                self.next_poll = Some(now + interval);
                self.status = Some(MetricsStatus::Live);
                None
            }
        }
    }

    /// Turns polling on or off (the key); off forgets every usage.
    pub fn set_enabled(&mut self, enabled: bool) {
        self.settings.enabled = enabled;
        self.pods.clear();
        self.nodes.clear();
        self.status = None;
        self.next_poll = None;
        self.failures = 0;
        self.asked.clear();
    }

    /// Forgets everything of the old cluster (a context switch); the settings stay.
    pub fn reset(&mut self) {
        *self = Metrics::new(self.settings.clone());
    }
}

/// `used` as a percentage of `of`, rounded down; `None` without a (non-zero) `of`.
pub fn percent(used: u64, of: Option<u64>) -> Option<u64> {
    of.filter(|&o| o > 0).map(|o| used.saturating_mul(100) / o)
}

/// Whether the pod uses at least 90 % of its memory limit: the kernel kills it at 100 %.
pub fn oom_risk(row: &PodRow, usage: Usage) -> bool {
    row.mem_limit.is_some_and(|limit| {
        limit > 0 && u128::from(usage.mem) * 100 >= u128::from(limit) * u128::from(OOM_RISK_PERCENT)
    })
}

/// Whether the pod uses at least 90 % of its CPU limit (throttled beyond it).
pub fn cpu_risk(row: &PodRow, usage: Usage) -> bool {
    percent(u64::from(usage.cpu), row.cpu_limit.map(u64::from)).is_some_and(|p| p >= 90)
}

/// A MEM or CPU cell: usage, then its share of the request and of the limit (`190%R 97%L`,
/// either alone when the other is not set); `compact` keeps the limit's share (else the
/// request's) alone. `n/a` when usage is unknown.
pub fn cell(
    usage: Option<&str>,
    request: Option<u64>,
    limit: Option<u64>,
    used: u64,
    compact: bool,
) -> String {
    let Some(usage) = usage else {
        return "n/a".to_string();
    };
    let (of_limit, of_request) = (percent(used, limit), percent(used, request));
    // Compact: the share that matters most (of the limit, else of the request); full: both.
    let share = match (compact, of_limit, of_request) {
        (true, Some(l), _) | (false, Some(l), None) => format!("{l}%L"),
        (false, Some(l), Some(r)) => format!("{r}%R {l}%L"),
        (_, None, Some(r)) => format!("{r}%R"),
        (_, None, None) => String::new(),
    };
    match (compact, share.is_empty()) {
        (_, true) => usage.to_string(),
        (true, false) => share,
        (false, false) => format!("{usage} {share}"),
    }
}

/// The MEM cell of a pod (`1.9Gi 97%L`), `n/a` without usage.
pub fn mem_cell(row: &PodRow, usage: Option<Usage>, compact: bool) -> String {
    let text = usage.map(|u| crate::kube::metrics::bytes(u.mem as f64));
    let used = usage.map_or(0, |u| u.mem);
    cell(
        text.as_deref(),
        row.mem_request,
        row.mem_limit,
        used,
        compact,
    )
}

/// The CPU cell of a pod (`230m 46%L`), `n/a` without usage.
pub fn cpu_cell(row: &PodRow, usage: Option<Usage>, compact: bool) -> String {
    let text = usage.map(|u| format!("{}m", u.cpu));
    let used = usage.map_or(0, |u| u64::from(u.cpu));
    cell(
        text.as_deref(),
        row.cpu_request.map(u64::from),
        row.cpu_limit.map(u64::from),
        used,
        compact,
    )
}

/// A pod's usage as shares of its limits (`None` for a limit not set), for the overview's
/// AT RISK rule.
pub fn limit_shares(row: &PodRow, usage: Usage) -> (Option<f32>, Option<f32>) {
    let share = |used: u64, limit: Option<u64>| {
        limit
            .filter(|&l| l > 0)
            .map(|l| (used as f64 * 100.0 / l as f64) as f32)
    };
    (
        share(usage.mem, row.mem_limit),
        share(u64::from(usage.cpu), row.cpu_limit.map(u64::from)),
    )
}

#[cfg(test)]
mod share_tests {
    use super::*;

    #[test]
    fn shares_of_the_limits_or_none_without_one() {
        let row = PodRow {
            mem_limit: Some(2 << 30),
            cpu_limit: Some(2000),
            ..PodRow::default()
        };
        let (mem, cpu) = limit_shares(
            &row,
            Usage {
                cpu: 500,
                mem: 1 << 30,
            },
        );
        assert_eq!((mem, cpu), (Some(50.0), Some(25.0)));
        let (mem, cpu) = limit_shares(&PodRow::default(), Usage { cpu: 500, mem: 1 });
        assert_eq!((mem, cpu), (None, None));
    }
}
