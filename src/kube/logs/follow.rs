//! One pod's log, kept going: each chosen container is read on its own connection; when a
//! followed stream ends, the pod is asked why. A restart gets a marker line (how the old
//! instance ended) and the new instance's log from its first line; a lost connection is
//! resumed from the last line's second, skipping what was already shown; a pod that is gone
//! or a container that finished for good ends the stream with a marker.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;

use super::lines::{Resume, Splitter};
use super::pod::{self, ContainerState};
use super::{LogError, LogEvent, LogQuery, LogRequest};
use crate::kube::fetch::{FetchError, ObjectRef};
use crate::kube::watch::Sink;
use crate::kube::Cluster;

const NANOS: i64 = 1_000_000_000;
/// First wait before reconnecting; doubles up to `MAX_BACKOFF` while nothing arrives.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How often a container that is not running yet is looked at again.
const POLL: Duration = Duration::from_secs(1);

/// Reads `request` and sends what happens to `sink` until the log ends or nobody listens.
pub async fn follow_pod(cluster: Arc<dyn Cluster>, request: LogRequest, sink: Sink<LogEvent>) {
    let target = ObjectRef::pod(&request.namespace, &request.pod);
    let pod = match cluster.get_object(&target).await {
        Ok(pod) => pod,
        Err(error) => {
            sink.send(LogEvent::Failed(error.to_string())).await;
            return;
        }
    };
    let names = match pod::choose(&pod, &request.containers) {
        Ok(names) => names,
        Err(choices) => {
            sink.send(LogEvent::Choose(choices)).await;
            return;
        }
    };
    let streams = names.into_iter().map(|container| {
        let stream = Stream {
            cluster: cluster.clone(),
            request: &request,
            target: &target,
            container: container.as_str().into(),
            sink: sink.clone(),
        };
        let pod = &pod;
        async move { stream.run(pod).await }
    });
    futures::future::join_all(streams).await;
}

/// One container's stream.
struct Stream<'a> {
    cluster: Arc<dyn Cluster>,
    request: &'a LogRequest,
    target: &'a ObjectRef,
    container: Arc<str>,
    sink: Sink<LogEvent>,
}

/// Why a followed stream stopped, as the pod tells it.
enum Next {
    /// Read again from where it stopped.
    Resume,
    /// A new instance runs: read its log from the start.
    Restarted,
    /// Nothing more will come.
    Stop,
}

impl Stream<'_> {
    async fn run(&self, pod: &Value) {
        let follow = !self.request.previous;
        let mut known = pod::state(pod, &self.container).map_or(0, |s| s.restarts);
        let uid = pod["metadata"]["uid"].clone();
        let mut resume: Option<Resume> = None;
        let mut first = true;
        let mut backoff = FIRST_BACKOFF;
        let mut outage = false;
        let mut waiting_said = false;
        loop {
            let query = LogQuery {
                container: self.container.to_string(),
                follow,
                previous: self.request.previous,
                tail: self.request.tail.filter(|_| first),
                since_seconds: self.request.since_seconds.filter(|_| first),
                since_second: resume.map(|r| r.last.div_euclid(NANOS)),
            };
            let opened = self
                .cluster
                .pod_logs(&self.request.namespace, &self.request.pod, query)
                .await;
            let mut bytes = match opened {
                Ok(bytes) => bytes,
                Err(LogError::Status { code: 400, message })
                    if follow && message.contains("waiting to start") =>
                {
                    if !waiting_said {
                        waiting_said = true;
                        let text = format!("container {} is waiting to start", self.container);
                        if !self.marker(text).await {
                            return;
                        }
                    }
                    tokio::time::sleep(POLL).await;
                    continue;
                }
                Err(LogError::Unreachable(sentence)) if follow => {
                    if !outage {
                        outage = true;
                        let text = format!("log connection lost: {sentence} Retrying.");
                        if !self.marker(text).await {
                            return;
                        }
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
                Err(LogError::Status { code: 400, message })
                    if self.request.previous && message.contains("previous terminated") =>
                {
                    let sentence = format!(
                        "Container {} of pod {} has not restarted, so there is no previous log; p shows the current one.",
                        self.container, self.request.pod
                    );
                    self.sink.send(LogEvent::Failed(sentence)).await;
                    return;
                }
                Err(error) => {
                    let what = format!(
                        "{}/{} container {}",
                        self.request.namespace, self.request.pod, self.container
                    );
                    self.sink
                        .send(LogEvent::Failed(error.sentence(&what)))
                        .await;
                    return;
                }
            };
            if outage {
                outage = false;
                if !self
                    .marker("log connection back; no line missed".into())
                    .await
                {
                    return;
                }
            }
            let mut splitter = Splitter::new(self.container.clone(), resume);
            let mut broke = false;
            while let Some(chunk) = bytes.next().await {
                let Ok(chunk) = chunk else {
                    broke = true;
                    break;
                };
                let batch = splitter.feed(&chunk);
                if !batch.is_empty() {
                    backoff = FIRST_BACKOFF;
                    if !self.sink.send(LogEvent::Lines(batch)).await {
                        return;
                    }
                }
            }
            // A connection cut mid-line leaves half a line: the resumed stream sends it whole.
            if !broke {
                let last = splitter.finish();
                if !last.is_empty() && !self.sink.send(LogEvent::Lines(last)).await {
                    return;
                }
            }
            resume = splitter.resume;
            first = false;
            if !follow {
                return;
            }
            match self.why_ended(&mut known, &uid, &mut backoff).await {
                Next::Resume => {}
                Next::Restarted => resume = None,
                Next::Stop => return,
            }
        }
    }

    /// Asks the pod why the stream ended, waiting for a restarted container to run.
    async fn why_ended(&self, known: &mut i64, uid: &Value, backoff: &mut Duration) -> Next {
        let mut said_restart = false;
        loop {
            let pod = match self.cluster.get_object(self.target).await {
                Ok(pod) => pod,
                Err(FetchError::NotFound { .. }) => {
                    self.marker(format!("pod {} is gone", self.request.pod))
                        .await;
                    return Next::Stop;
                }
                Err(_) => {
                    // The stream will say what is wrong when it is opened again.
                    tokio::time::sleep(*backoff).await;
                    *backoff = (*backoff * 2).min(MAX_BACKOFF);
                    return Next::Resume;
                }
            };
            if pod["metadata"]["uid"] != *uid {
                self.marker(format!(
                    "pod {} was replaced by a new pod of the same name",
                    self.request.pod
                ))
                .await;
                return Next::Stop;
            }
            let state = pod::state(&pod, &self.container).unwrap_or_default();
            if state.restarts > *known && !said_restart {
                said_restart = true;
                let how = state
                    .last
                    .as_ref()
                    .map_or("".to_string(), |l| format!(": {}", l.describe()));
                if !self
                    .marker(format!("container {} restarted{how}", self.container))
                    .await
                {
                    return Next::Stop;
                }
            }
            if said_restart && state.running {
                *known = state.restarts;
                return Next::Restarted;
            }
            if let Some(ended) = finished(&pod, &state) {
                self.marker(format!("container {} exited: {ended}", self.container))
                    .await;
                return Next::Stop;
            }
            if state.running && state.restarts == *known {
                // Same instance still running: the connection ended, not the container.
                tokio::time::sleep(*backoff).await;
                *backoff = (*backoff * 2).min(MAX_BACKOFF);
                return Next::Resume;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Sends a marker line; false when nobody listens any more.
    async fn marker(&self, text: String) -> bool {
        self.sink
            .send(LogEvent::Marker {
                container: Some(self.container.clone()),
                text,
            })
            .await
    }
}

/// How the container ended, when it will not run again.
fn finished(pod: &Value, state: &ContainerState) -> Option<String> {
    let ended = state.terminated.as_ref()?;
    (!state.running && !pod::restarts_after(pod, ended)).then(|| ended.describe())
}
