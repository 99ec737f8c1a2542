//! A log view's state: what it reads (one pod, or every pod a workload selects as they come and
//! go), the ring of lines, where the user is (following the end, or paused on a line), and the
//! search and filter over the whole ring. The bytes come from `kube::logs`; drawing is
//! `ui::views::logs`; keys and messages are `update::logs`.

pub mod level;
mod position;
pub mod ring;
mod sources;

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use crate::app::pattern::{Filter, Pattern};
use crate::app::scope::PodScope;
use crate::kube::logs::Containers;

pub use position::{display, Window, GLYPH_WIDTH, STAMP_WIDTH};
pub use ring::{LineMeta, LogRing};
pub use sources::{Source, StreamEntry};

/// Lines kept by a log view unless the config says otherwise.
pub const DEFAULT_RING: usize = 200_000;
/// Lines of history a log view starts with unless the config says otherwise.
pub const DEFAULT_TAIL: u32 = 500;

/// What the view reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogTarget {
    /// One pod.
    Pod {
        /// Namespace.
        namespace: String,
        /// Pod name.
        pod: String,
        /// Which of its containers.
        containers: Containers,
    },
    /// The output of one command run in a pod's container (`x`), no shell involved.
    Command {
        /// Namespace.
        namespace: String,
        /// Pod name.
        pod: String,
        /// The program and its arguments.
        command: Vec<String>,
    },
    /// Every pod a workload selects, joining and leaving as the pod store sees them.
    Pods {
        /// `deploy/appserver-prd`.
        label: String,
        /// The workload's namespace and selector.
        scope: PodScope,
    },
}

/// How far back the history starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Since {
    /// The last `tail` lines.
    #[default]
    Tail,
    /// The last minute.
    Minute,
    /// The last 5 minutes.
    FiveMinutes,
    /// The last 15 minutes.
    FifteenMinutes,
    /// The last hour.
    Hour,
    /// Everything the container wrote (what the ring can hold).
    All,
}

impl Since {
    /// `sinceSeconds`, if any.
    pub fn seconds(self) -> Option<i64> {
        match self {
            Since::Minute => Some(60),
            Since::FiveMinutes => Some(300),
            Since::FifteenMinutes => Some(900),
            Since::Hour => Some(3600),
            Since::Tail | Since::All => None,
        }
    }

    /// For the header.
    pub fn label(self, tail: u32) -> String {
        match self {
            Since::Tail => format!("last {tail} lines"),
            Since::Minute => "since 1m".into(),
            Since::FiveMinutes => "since 5m".into(),
            Since::FifteenMinutes => "since 15m".into(),
            Since::Hour => "since 1h".into(),
            Since::All => "all lines".into(),
        }
    }
}

/// The view's switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogOptions {
    /// Showing the previous (terminated) container's log.
    pub previous: bool,
    /// Timestamps shown before each line.
    pub timestamps: bool,
    /// Long lines wrapped instead of cut at the edge.
    pub wrap: bool,
    /// Where the history starts.
    pub since: Since,
    /// Lines of history for `Since::Tail`.
    pub tail: u32,
    /// Search and filter match case exactly.
    pub case_sensitive: bool,
}

impl Default for LogOptions {
    fn default() -> Self {
        LogOptions {
            previous: false,
            timestamps: false,
            wrap: true,
            since: Since::Tail,
            tail: DEFAULT_TAIL,
            case_sensitive: false,
        }
    }
}

/// A filter over the ring and the lines it keeps.
#[derive(Clone, Debug)]
pub struct Filtered {
    /// The filter.
    pub filter: Filter,
    /// Numbers of the matching lines held, ascending.
    pub hits: VecDeque<u64>,
    /// Lines the last (re)filtering tested, so tests can count the work instead of timing it.
    pub examined: usize,
}

/// One log screen.
#[derive(Clone, Debug)]
pub struct LogView {
    /// What it reads.
    pub target: LogTarget,
    /// The pods and containers lines came from, by `LineMeta::source`.
    pub sources: Vec<Source>,
    /// The streams running for this view.
    pub streams: Vec<StreamEntry>,
    /// The pods an aggregated view has taken in, so a pod whose stream ended is not re-read.
    pub members: BTreeSet<Arc<str>>,
    /// The lines.
    pub ring: LogRing,
    /// Lines the containers wrote that arrived (marker lines not counted).
    pub received: u64,
    /// The first line shown when paused; `None` while following the end.
    pub top: Option<u64>,
    /// The switches.
    pub options: LogOptions,
    /// The search in force, highlighted and jumped to with n/N.
    pub search: Option<Pattern>,
    /// What the user typed for the search.
    pub search_text: String,
    /// The filter in force.
    pub filter: Option<Filtered>,
}

impl LogView {
    /// A view of `target` keeping `ring` lines.
    pub fn new(target: LogTarget, options: LogOptions, ring: usize) -> Self {
        LogView {
            target,
            sources: Vec::new(),
            streams: Vec::new(),
            members: BTreeSet::new(),
            ring: LogRing::new(ring),
            received: 0,
            top: None,
            options,
            search: None,
            search_text: String::new(),
            filter: None,
        }
    }

    /// Forgets every line and source, to read the log again; the search and filter stay.
    pub fn reset(&mut self) {
        self.ring = LogRing::new(self.ring.capacity());
        self.sources.clear();
        self.members.clear();
        self.received = 0;
        self.top = None;
        if let Some(f) = self.filter.as_mut() {
            f.hits.clear();
        }
    }

    /// `pod t4k9pz/appserver-prd-…` or `deploy/appserver-prd`, for the header.
    pub fn title(&self) -> String {
        match &self.target {
            LogTarget::Pod {
                namespace,
                pod,
                containers,
            } => match containers {
                Containers::Named(c) => format!("{namespace}/{pod} [{c}]"),
                Containers::All => format!("{namespace}/{pod} [all containers]"),
                _ => match self.sources.first() {
                    Some(s) => format!("{namespace}/{pod} [{}]", s.container),
                    None => format!("{namespace}/{pod}"),
                },
            },
            LogTarget::Command {
                namespace,
                pod,
                command,
            } => format!("{namespace}/{pod} $ {}", command.join(" ")),
            LogTarget::Pods { label, scope } => match &scope.namespace {
                Some(ns) => format!("{ns}/{label} (all pods)"),
                None => format!("{label} (all pods)"),
            },
        }
    }

    /// Whether lines carry a pod/container tag (more than one source can write).
    pub fn tagged(&self) -> bool {
        match &self.target {
            LogTarget::Pods { .. } => true,
            LogTarget::Command { .. } => false,
            LogTarget::Pod {
                containers: Containers::All | Containers::DefaultOrAll,
                ..
            } => true,
            // A marker about the pod (no container) is not a second writer.
            LogTarget::Pod { .. } => {
                self.sources
                    .iter()
                    .filter(|s| !s.container.is_empty())
                    .count()
                    > 1
            }
        }
    }

    /// The tag a line is shown with, in views that tag lines.
    pub fn tag_of(&self, meta: LineMeta) -> Option<&str> {
        if meta.marker || !self.tagged() {
            return None;
        }
        self.sources
            .get(usize::from(meta.source))
            .map(|s| s.tag.as_str())
    }

    /// Appends a line, keeping the filter's hits and the paused position in step.
    pub fn push(&mut self, meta: LineMeta, text: &str) {
        if !meta.marker {
            self.received += 1;
        }
        let pass = self
            .filter
            .as_ref()
            .is_some_and(|f| passes(&f.filter, self.tag_of(meta), meta, text));
        let number = self.ring.push(meta, text);
        let first = self.ring.first();
        if let Some(f) = self.filter.as_mut() {
            if pass {
                f.hits.push_back(number);
            }
            while f.hits.front().is_some_and(|&h| h < first) {
                f.hits.pop_front();
            }
        }
        if let Some(top) = self.top.as_mut() {
            *top = (*top).max(first);
        }
    }

    /// Sets (or with `None` clears) the filter, matching every line held — or, when the new
    /// filter narrows the old one (one more letter typed), only the old one's hits.
    pub fn set_filter(&mut self, filter: Option<Filter>) {
        let old = self.filter.take();
        let exact = self.options.case_sensitive;
        self.filter = filter.map(|filter| {
            let (hits, examined): (VecDeque<u64>, usize) = match old {
                Some(old) if old.filter.log_narrowed_by(&filter, exact) => {
                    let examined = old.hits.len();
                    let hits = old
                        .hits
                        .into_iter()
                        .filter(|&n| {
                            self.ring.get(n).is_some_and(|(meta, text)| {
                                passes(&filter, self.tag_of(meta), meta, text)
                            })
                        })
                        .collect();
                    (hits, examined)
                }
                _ => {
                    let hits = self
                        .ring
                        .iter_from(0)
                        .filter(|(_, meta, text)| passes(&filter, self.tag_of(*meta), *meta, text))
                        .map(|(n, _, _)| n)
                        .collect();
                    (hits, self.ring.len())
                }
            };
            Filtered {
                filter,
                hits,
                examined,
            }
        });
        if let Some(top) = self.top {
            self.top = Some(self.nearest_shown(top));
        }
    }

    /// The lines the view shows (all, or the filter's hits): how many.
    pub fn shown_len(&self) -> usize {
        match &self.filter {
            Some(f) => f.hits.len(),
            None => self.ring.len(),
        }
    }

    /// The number of the shown line at `pos` (0 = oldest shown).
    pub fn shown_at(&self, pos: usize) -> Option<u64> {
        match &self.filter {
            Some(f) => f.hits.get(pos).copied(),
            None => {
                let n = self.ring.first() + pos as u64;
                (n < self.ring.end()).then_some(n)
            }
        }
    }

    /// Position among the shown lines of the first shown line numbered `n` or later.
    pub fn shown_pos(&self, n: u64) -> usize {
        match &self.filter {
            Some(f) => f.hits.partition_point(|&h| h < n),
            None => n.saturating_sub(self.ring.first()) as usize,
        }
    }

    fn nearest_shown(&self, n: u64) -> u64 {
        let pos = self.shown_pos(n).min(self.shown_len().saturating_sub(1));
        self.shown_at(pos).unwrap_or(n)
    }

    /// The next (or previous) shown line matching the search, after (before) line `from` —
    /// or from `from` itself when `include` — wrapping; `None` when nothing matches.
    pub fn find(&self, from: u64, forward: bool, include: bool) -> Option<u64> {
        let search = self.search.as_ref()?;
        let len = self.shown_len();
        if len == 0 {
            return None;
        }
        let start = self.shown_pos(from).min(len - 1);
        let hit = |pos: usize| {
            self.shown_at(pos)
                .and_then(|n| self.ring.get(n).map(|(meta, text)| (n, meta, text)))
                .filter(|(_, meta, text)| {
                    search.is_match(text) || self.tag_of(*meta).is_some_and(|t| search.is_match(t))
                })
                .map(|(n, _, _)| n)
        };
        let steps = if include { 0..len } else { 1..len + 1 };
        steps.into_iter().find_map(|step| {
            let pos = if forward {
                (start + step) % len
            } else {
                (start + len - step % len) % len
            };
            hit(pos)
        })
    }
}

impl LogView {
    /// The default file to save to: pod (or workload), container and time.
    pub fn default_path(&self, now: chrono::DateTime<chrono::Utc>) -> std::path::PathBuf {
        let what = match &self.target {
            LogTarget::Pod {
                pod,
                containers: Containers::All,
                ..
            } => format!("{pod}_all"),
            LogTarget::Pod { pod, .. } => {
                match self
                    .sources
                    .iter()
                    .map(|s| &*s.container)
                    .find(|c| !c.is_empty())
                {
                    Some(c) => format!("{pod}_{c}"),
                    None => pod.clone(),
                }
            }
            LogTarget::Pods { label, .. } => label.replace('/', "-"),
            LogTarget::Command { pod, command, .. } => {
                let program = command
                    .first()
                    .map_or("command", |p| p.rsplit('/').next().unwrap_or(p));
                format!("{pod}_{program}")
            }
        };
        let previous = if self.options.previous {
            "_previous"
        } else {
            ""
        };
        std::path::PathBuf::from(format!(
            "{what}{previous}_{}.log",
            now.format("%Y%m%d-%H%M%S")
        ))
    }

    /// The shown lines (the filtered ones when filtering) as a file holds them: tags and
    /// timestamps when shown, the bytes as the container wrote them; and how many lines.
    pub fn saved_text(&self) -> (String, usize) {
        let mut out = String::with_capacity(self.ring.bytes() + self.shown_len() * 2);
        let mut count = 0;
        for pos in 0..self.shown_len() {
            let Some((meta, text)) = self.shown_at(pos).and_then(|n| self.ring.get(n)) else {
                continue;
            };
            if self.options.timestamps && meta.ts != 0 {
                out.push_str(&stamp(meta.ts));
                out.push(' ');
            }
            if self.tagged() && !meta.marker {
                if let Some(s) = self.sources.get(usize::from(meta.source)) {
                    out.push_str(&s.tag);
                    out.push(' ');
                }
            }
            out.push_str(text);
            out.push('\n');
            count += 1;
        }
        (out, count)
    }
}

/// Whether a line passes the filter: kterm's markers always do; in tagged views the tag counts
/// as part of the line, so `&x2k4p` keeps one pod's lines.
fn passes(filter: &Filter, tag: Option<&str>, meta: LineMeta, text: &str) -> bool {
    meta.marker
        || match tag {
            Some(tag) => filter.matches_any(&[tag, text]),
            None => filter.matches_line(text),
        }
}

/// A timestamp as shown: `2026-12-06T07:35:00.123Z`.
pub fn stamp(nanos: i64) -> String {
    chrono::DateTime::from_timestamp_nanos(nanos)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
