//! Where a log view's lines come from: the pods and containers (each a short tag and colour in
//! aggregated views) and the streams running for them.

use std::sync::Arc;

use super::{LineMeta, LogView};
use crate::kube::logs::{LogBatch, LogEvent};

/// One pod/container whose lines are in the ring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The pod.
    pub pod: Arc<str>,
    /// The container.
    pub container: Arc<str>,
    /// What lines are prefixed with: the pod's distinguishing suffix, and the container.
    pub tag: String,
}

/// A stream task running for the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamEntry {
    /// The stream's id (its task key).
    pub id: u64,
    /// The pod it reads.
    pub pod: Arc<str>,
}

/// The short tag of a pod: the random five-character suffix of a Deployment's or Job's pods
/// (`appserver-prd-7d9f8b6c5-x2k4p` → `x2k4p`), else the whole name (`dbaccess-prd-0`).
pub fn pod_tag(pod: &str) -> &str {
    match pod.rsplit_once('-') {
        Some((head, suffix)) if suffix.len() == 5 && head.contains('-') => suffix,
        _ => pod,
    }
}

impl LogView {
    /// The source index of `pod`/`container`, added if new.
    pub fn source(&mut self, pod: &Arc<str>, container: &Arc<str>) -> u16 {
        if let Some(i) = self
            .sources
            .iter()
            .position(|s| s.pod == *pod && s.container == *container)
        {
            return u16::try_from(i).unwrap_or(u16::MAX);
        }
        let tag = format!("{}/{}", pod_tag(pod), container);
        self.sources.push(Source {
            pod: pod.clone(),
            container: container.clone(),
            tag,
        });
        u16::try_from(self.sources.len() - 1).unwrap_or(u16::MAX)
    }

    /// Appends a stream's batch of lines.
    pub fn push_batch(&mut self, pod: &Arc<str>, batch: &LogBatch) {
        let source = self.source(pod, &batch.container);
        for (ts, text) in batch.lines() {
            self.push(
                LineMeta {
                    ts,
                    source,
                    marker: false,
                },
                text,
            );
        }
    }

    /// Appends a marker line (`── container appserver restarted: OOMKilled, exit 137 ──`).
    pub fn push_marker(&mut self, pod: &Arc<str>, container: Option<&Arc<str>>, text: &str) {
        let source = match container {
            Some(c) => self.source(pod, c),
            None => self.source(pod, &Arc::from("")),
        };
        let who = if self.tagged() {
            format!("{} ", pod_tag(pod))
        } else {
            String::new()
        };
        let line = format!("── {who}{text} ──");
        self.push(
            LineMeta {
                ts: 0,
                source,
                marker: true,
            },
            &line,
        );
    }

    /// Applies a stream's event other than a container choice; returns the sentence of a
    /// failure for the message line.
    pub fn apply(&mut self, stream: u64, event: &LogEvent) -> Option<String> {
        let pod = self.streams.iter().find(|s| s.id == stream)?.pod.clone();
        match event {
            LogEvent::Lines(batch) => self.push_batch(&pod, batch),
            LogEvent::Marker { container, text } => {
                self.push_marker(&pod, container.as_ref(), text)
            }
            LogEvent::Failed(sentence) => {
                self.streams.retain(|s| s.id != stream);
                if self.tagged() {
                    self.push_marker(&pod, None, sentence.trim_end_matches('.'));
                    return None;
                }
                return Some(sentence.clone());
            }
            LogEvent::Choose(_) => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::pod_tag;

    #[test]
    fn tags_keep_what_tells_pods_apart() {
        assert_eq!(pod_tag("appserver-prd-7d9f8b6c5-x2k4p"), "x2k4p");
        assert_eq!(pod_tag("dbaccess-prd-0"), "dbaccess-prd-0");
        assert_eq!(pod_tag("web"), "web");
    }
}
