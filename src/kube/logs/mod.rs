//! Pod logs: what to read (`LogRequest`), what comes back (`LogEvent`), and one pod's streams
//! kept going through restarts and lost connections (`follow`). The bytes are split into lines
//! by `lines`; the app keeps them in its ring.

mod follow;
pub mod lines;
pub mod pod;

use std::sync::Arc;

use ::kube::api::{Api, LogParams};
use ::kube::Client;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;

pub use follow::follow_pod;
pub use lines::LogBatch;
pub use pod::{ContainerInfo, ContainerRole};

use super::errors;

/// Which containers of a pod to read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Containers {
    /// The default one (the `kubectl.kubernetes.io/default-container` annotation, else the only
    /// one); when there are several and none is the default, ask (`LogEvent::Choose`).
    Default,
    /// The default one, else every regular container (aggregated views never ask).
    DefaultOrAll,
    /// This one (init and ephemeral containers too).
    Named(String),
    /// Every container, init containers first.
    All,
    /// Ask the user which one (`LogEvent::Choose` with every container).
    Ask,
}

/// One pod's log, as asked for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LogRequest {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub pod: String,
    /// Which containers.
    pub containers: Containers,
    /// Lines of history to start with (`None`: all).
    pub tail: Option<i64>,
    /// Only lines of the last this many seconds (`None`: no limit).
    pub since_seconds: Option<i64>,
    /// The previous (terminated) container instead of the running one; never followed.
    pub previous: bool,
}

/// What a pod's log stream reports.
#[derive(Clone, Debug, PartialEq)]
pub enum LogEvent {
    /// The pod has several containers and none is the default: pick one.
    Choose(Vec<ContainerInfo>),
    /// Lines arrived.
    Lines(LogBatch),
    /// Something happened between lines (a restart, a reconnection, the pod went).
    Marker {
        /// The container it concerns, if one.
        container: Option<Arc<str>>,
        /// The sentence shown in the marker line.
        text: String,
    },
    /// The stream cannot go on; one sentence.
    Failed(String),
}

/// Why a log could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogError {
    /// The server answered with an error status and message (400 "is waiting to start", 404…).
    Status {
        /// The HTTP status.
        code: u16,
        /// The server's message.
        message: String,
    },
    /// No answer, or an unreadable one; one sentence.
    Unreachable(String),
    /// The cluster implementation cannot read logs (a test fake).
    Unsupported,
}

impl LogError {
    /// The sentence for the user.
    pub fn sentence(&self, what: &str) -> String {
        match self {
            LogError::Status { code: 403, .. } => {
                format!("You may not read the log of {what} (403 Forbidden); ask for get rights on pods/log.")
            }
            LogError::Status { code: 401, .. } => {
                "The cluster rejected the credentials (401 Unauthorized); log in again and restart kterm.".to_string()
            }
            LogError::Status { message, .. } => {
                let message = crate::sanitize::sanitize_owned(message.clone());
                format!("The log of {what} cannot be read: {message}.")
            }
            LogError::Unreachable(sentence) => sentence.clone(),
            LogError::Unsupported => "This connection cannot read logs.".to_string(),
        }
    }
}

/// The byte chunks of one log request, as the server sends them.
pub type LogBytes = BoxStream<'static, Result<Vec<u8>, LogError>>;

/// The query of one container's log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogQuery {
    /// The container.
    pub container: String,
    /// Keep the stream open for new lines.
    pub follow: bool,
    /// The previous instance.
    pub previous: bool,
    /// Lines of history.
    pub tail: Option<i64>,
    /// Seconds of history.
    pub since_seconds: Option<i64>,
    /// From this second on (Unix seconds); wins over `since_seconds`.
    pub since_second: Option<i64>,
}

/// Starts a log request on a real cluster; timestamps are always asked for, to resume exactly.
pub fn stream(
    client: Client,
    namespace: String,
    pod: String,
    query: LogQuery,
) -> BoxFuture<'static, Result<LogBytes, LogError>> {
    Box::pin(async move {
        let since_time = query
            .since_second
            .and_then(|s| k8s_openapi::jiff::Timestamp::from_second(s).ok());
        let params = LogParams {
            container: Some(query.container.clone()),
            follow: query.follow,
            previous: query.previous,
            tail_lines: query.tail,
            since_seconds: query.since_seconds.filter(|_| since_time.is_none()),
            since_time,
            timestamps: true,
            ..LogParams::default()
        };
        let api: Api<Pod> = Api::namespaced(client, &namespace);
        let reader = api.log_stream(&pod, &params).await.map_err(|e| match e {
            ::kube::Error::Api(status) => LogError::Status {
                code: status.code,
                message: status.message,
            },
            other => LogError::Unreachable(errors::sentence(
                &other,
                &format!("read the log of pod {namespace}/{pod}"),
                "",
            )),
        })?;
        let chunks = futures::stream::unfold(Box::pin(reader), |mut reader| async move {
            let chunk = match reader.fill_buf().await {
                Ok([]) => return None,
                Ok(bytes) => Ok(bytes.to_vec()),
                Err(e) => Err(LogError::Unreachable(format!(
                    "The log connection broke ({}).",
                    super::root_cause(&e)
                ))),
            };
            if let Ok(bytes) = &chunk {
                reader.as_mut().consume_unpin(bytes.len());
            }
            Some((chunk, reader))
        });
        Ok(chunks.boxed())
    })
}
