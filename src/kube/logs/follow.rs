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
/// How often a container that is not running yet is looked at again: soon at first (a
/// restart after a short back-off), then every few seconds (a pod pending for hours must not
/// cost a request a second).
const POLL: Duration = Duration::from_secs(1);
const MAX_POLL: Duration = Duration::from_secs(5);

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
        let mut reading = pod::state(pod, &self.container).and_then(|s| s.instance);
        let uid = pod["metadata"]["uid"].clone();
        let mut resume: Option<Resume> = None;
        // Until a line arrives, each connection asks for the history the user chose (a stream
        // that ended empty must not turn `since 1m` into the whole log); after a restart, the
        // new instance is read whole.
        let mut as_asked = true;
        let mut backoff = FIRST_BACKOFF;
        let mut outage = false;
        let mut waiting_said = false;
        let mut poll = POLL;
        loop {
            let query = LogQuery {
                container: self.container.to_string(),
                follow,
                previous: self.request.previous,
                tail: self.request.tail.filter(|_| as_asked && resume.is_none()),
                since_seconds: self
                    .request
                    .since_seconds
                    .filter(|_| as_asked && resume.is_none()),
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
                        let text = crate::sanitize::sanitize_owned(message);
                        if !self.marker(text).await {
                            return;
                        }
                    }
                    tokio::time::sleep(poll).await;
                    poll = (poll * 2).min(MAX_POLL);
                    continue;
                }
                Err(LogError::Unreachable(sentence)) if follow => {
                    if !outage {
                        outage = true;
                        let text =
                            format!("log connection lost: {sentence} Retrying with backoff.");
                        if !self.marker(text).await {
                            return;
                        }
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
                Err(LogError::Status { code: 404, .. }) => {
                    let text = format!("pod {} is gone", self.request.pod);
                    self.marker(text).await;
                    return;
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
            let mut broke = None;
            while let Some(chunk) = bytes.next().await {
                let chunk = match chunk {
                    Ok(chunk) => chunk,
                    Err(error) => {
                        broke = Some(error);
                        break;
                    }
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
            match broke {
                None => {
                    let last = splitter.finish();
                    if !last.is_empty() && !self.sink.send(LogEvent::Lines(last)).await {
                        return;
                    }
                }
                Some(error) if follow => {
                    outage = true;
                    let sentence = error.sentence(&self.container);
                    let text = format!("{sentence} Resuming after the last line.");
                    if !self.marker(text).await {
                        return;
                    }
                }
                Some(error) => {
                    let what = format!("container {}", self.container);
                    self.sink
                        .send(LogEvent::Failed(error.sentence(&what)))
                        .await;
                    return;
                }
            }
            resume = splitter.resume;
            if !follow {
                return;
            }
            match self.why_ended(&mut reading, &uid, &mut backoff).await {
                Next::Resume => {}
                Next::Restarted => {
                    resume = None;
                    as_asked = false;
                }
                Next::Stop => return,
            }
        }
    }

    /// Asks the pod why the stream ended, waiting for a restarted container to run.
    /// `reading` is the run whose log was streamed (`None`: a dead run's log was shown, the
    /// container not running when it was read); it becomes the new run on `Restarted`.
    async fn why_ended(
        &self,
        reading: &mut Option<String>,
        uid: &Value,
        backoff: &mut Duration,
    ) -> Next {
        let mut said_end = false;
        let mut said_waiting: Option<String> = None;
        let mut poll = POLL;
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
            if reading.is_some() && state.instance == *reading {
                // Same run still running: the connection ended, not the container.
                tokio::time::sleep(*backoff).await;
                *backoff = (*backoff * 2).min(MAX_BACKOFF);
                return Next::Resume;
            }
            if let Some(ended) = finished(&pod, &state) {
                self.marker(format!("container {} exited: {ended}", self.container))
                    .await;
                return Next::Stop;
            }
            // The run shown has ended (a live one just now, or a dead one once the next runs).
            if !said_end && (reading.is_some() || state.running) {
                said_end = true;
                let how = state.terminated.as_ref().or(state.last.as_ref());
                let how = how.map_or(String::new(), |e| format!(": {}", e.describe()));
                if !self
                    .marker(format!("container {} restarted{how}", self.container))
                    .await
                {
                    return Next::Stop;
                }
            }
            if state.running {
                *reading = state.instance;
                return Next::Restarted;
            }
            // A crash loop's back-off can last minutes: say why nothing comes meanwhile.
            if let Some(why) = state
                .waiting
                .as_ref()
                .filter(|w| said_waiting.as_ref() != Some(w))
            {
                said_waiting = Some(why.clone());
                let text = format!(
                    "container {} is waiting to run again: {why}",
                    self.container
                );
                if !self.marker(text).await {
                    return Next::Stop;
                }
            }
            tokio::time::sleep(poll).await;
            poll = (poll * 2).min(MAX_POLL);
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
