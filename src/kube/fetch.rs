//! One whole object on demand: the tables keep slim rows only, so the YAML, describe and detail
//! views GET the object (and list its events) when asked, for any `ResourceKind`.

use std::future::Future;
use std::time::Duration;

use ::kube::api::{ApiResource, DynamicObject, GetParams, ListParams};
use ::kube::core::Request;
use ::kube::{Client, Resource};
use futures::{AsyncBufRead, AsyncReadExt};
use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};

use super::errors::{self, Failure};
use super::kinds::ResourceKind;
use super::object_events::{decode_event_list, ObjectEvent};
use super::root_cause;
use crate::kube::Cluster;

/// A fetch that takes longer has failed: the user is waiting for a view.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The API server caps objects at about 1.5 MB; anything far larger is not an object.
const MAX_BYTES: u64 = 16 * 1024 * 1024;
/// Events listed per object; kubectl lists them all, but a view shows the latest few.
const MAX_EVENTS: u32 = 500;

/// Which object: kind, namespace (ignored for cluster-scoped kinds) and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    /// The kind.
    pub kind: ResourceKind,
    /// The namespace of a namespaced kind.
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl ObjectRef {
    /// A reference to an object of `kind`.
    pub fn new(kind: ResourceKind, namespace: Option<&str>, name: &str) -> Self {
        ObjectRef {
            kind,
            namespace: namespace.filter(|_| kind.namespaced()).map(str::to_string),
            name: name.to_string(),
        }
    }

    /// A pod.
    pub fn pod(namespace: &str, name: &str) -> Self {
        Self::new(ResourceKind::Pod, Some(namespace), name)
    }

    /// `pod t4k9pz/appserver-0` or `node n1`, for titles and sentences.
    pub fn label(&self) -> String {
        let kind = self.kind.api_kind().to_ascii_lowercase();
        match &self.namespace {
            Some(ns) => format!("{kind} {ns}/{}", self.name),
            None => format!("{kind} {}", self.name),
        }
    }
}

/// A fetched object and the events about it.
#[derive(Clone, Debug, PartialEq)]
pub struct FetchedObject {
    /// The object as the server sent it.
    pub object: serde_json::Value,
    /// Its events, oldest first; a failure to list them is a sentence, not a failed fetch.
    pub events: Result<Vec<ObjectEvent>, String>,
}

/// Why an object could not be fetched; each is one sentence for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// 404.
    #[error("The {what} no longer exists (404 Not Found).")]
    NotFound {
        /// `pod t4k9pz/x`.
        what: String,
    },
    /// 403.
    #[error("You may not read the {what} (403 Forbidden); ask for get rights on it.")]
    Forbidden {
        /// `pod t4k9pz/x`.
        what: String,
    },
    /// 401.
    #[error(
        "The cluster rejected the credentials (401 Unauthorized); log in again and restart kterm."
    )]
    Unauthorized,
    /// Another error status.
    #[error("Reading the {what} failed ({message}).")]
    Api {
        /// `pod t4k9pz/x`.
        what: String,
        /// The server's message.
        message: String,
    },
    /// No answer.
    #[error("Cannot reach the cluster ({0}); try again.")]
    Unreachable(String),
    /// The answer was not what an API server sends.
    #[error("The server's answer for the {what} could not be read ({cause}).")]
    Invalid {
        /// `pod t4k9pz/x`.
        what: String,
        /// Why.
        cause: String,
    },
    /// The cluster implementation cannot fetch (a test fake).
    #[error("This connection cannot read whole objects.")]
    Unsupported,
}

/// The API resource of a kind, taken from its k8s-openapi type.
pub fn api_resource(kind: ResourceKind) -> ApiResource {
    match kind {
        ResourceKind::Pod => ApiResource::erase::<core::Pod>(&()),
        ResourceKind::Deployment => ApiResource::erase::<apps::Deployment>(&()),
        ResourceKind::StatefulSet => ApiResource::erase::<apps::StatefulSet>(&()),
        ResourceKind::Job => ApiResource::erase::<batch::Job>(&()),
        ResourceKind::CronJob => ApiResource::erase::<batch::CronJob>(&()),
        ResourceKind::Service => ApiResource::erase::<core::Service>(&()),
        ResourceKind::Event => ApiResource::erase::<core::Event>(&()),
        ResourceKind::Namespace => ApiResource::erase::<core::Namespace>(&()),
        ResourceKind::Node => ApiResource::erase::<core::Node>(&()),
    }
}

/// GETs the object as JSON.
pub async fn get_object(
    client: Client,
    target: ObjectRef,
) -> Result<serde_json::Value, FetchError> {
    let what = target.label();
    let ar = api_resource(target.kind);
    let path = DynamicObject::url_path(&ar, target.namespace.as_deref());
    let request = Request::new(path)
        .get(&target.name, &GetParams::default())
        .map_err(|e| invalid(&what, &e))?;
    let body = read_body(client.request_stream(request), &what).await?;
    serde_json::from_str(&body).map_err(|e| invalid(&what, &e))
}

/// Lists the core/v1 events about the object (by name, kind and namespace), oldest first.
pub async fn list_events(
    client: Client,
    target: ObjectRef,
) -> Result<Vec<ObjectEvent>, FetchError> {
    let what = format!("events of the {}", target.label());
    let mut fields = format!(
        "involvedObject.name={},involvedObject.kind={}",
        target.name,
        target.kind.api_kind()
    );
    if let Some(ns) = &target.namespace {
        fields.push_str(&format!(",involvedObject.namespace={ns}"));
    }
    let ar = api_resource(ResourceKind::Event);
    // A cluster-scoped object's events live in some namespace (usually default): list them all.
    let path = DynamicObject::url_path(&ar, target.namespace.as_deref());
    let params = ListParams::default().fields(&fields).limit(MAX_EVENTS);
    let request = Request::new(path)
        .list(&params)
        .map_err(|e| invalid(&what, &e))?;
    let body = read_body(client.request_stream(request), &what).await?;
    decode_event_list(&body).map_err(|e| invalid(&what, &e))
}

/// The object and its events, fetched at the same time. Events of an older object with the
/// same name (a recreated StatefulSet pod) are left out by uid, as kubectl's uid selector does.
pub async fn fetch_with_events(
    cluster: &dyn Cluster,
    target: &ObjectRef,
) -> Result<FetchedObject, FetchError> {
    let (object, events) =
        futures::join!(cluster.get_object(target), cluster.object_events(target));
    let object = object?;
    let uid = object
        .pointer("/metadata/uid")
        .and_then(|u| u.as_str())
        .map(str::to_string);
    let events = events
        .map(|mut events| {
            events.retain(|e| e.involved_uid.is_none() || e.involved_uid == uid);
            events
        })
        .map_err(|e| e.to_string());
    Ok(FetchedObject { object, events })
}

/// Sends the request and reads the body, lossily as UTF-8 so a stray byte cannot lose the view.
async fn read_body<S: AsyncBufRead>(
    send: impl Future<Output = Result<S, ::kube::Error>>,
    what: &str,
) -> Result<String, FetchError> {
    let read = async {
        let stream = send.await.map_err(|e| classify(e, what))?;
        let mut bytes = Vec::new();
        std::pin::pin!(stream)
            .take(MAX_BYTES)
            .read_to_end(&mut bytes)
            .await
            .map_err(|e| FetchError::Unreachable(e.to_string()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    tokio::time::timeout(TIMEOUT, read)
        .await
        .unwrap_or_else(|_| {
            Err(FetchError::Unreachable(format!(
                "no answer within {} s",
                TIMEOUT.as_secs()
            )))
        })
}

/// The fetch's own words for the failure `errors::classify` finds.
fn classify(error: ::kube::Error, what: &str) -> FetchError {
    let what = what.to_string();
    match (errors::classify(&error), error) {
        (Failure::Api, ::kube::Error::Api(status)) if status.code == 404 => {
            FetchError::NotFound { what }
        }
        (Failure::Forbidden, _) => FetchError::Forbidden { what },
        (Failure::Unauthorized, _) => FetchError::Unauthorized,
        (Failure::Api, ::kube::Error::Api(status)) => FetchError::Api {
            what,
            message: status.message,
        },
        (_, other) => FetchError::Unreachable(root_cause(&other)),
    }
}

fn invalid(what: &str, error: &dyn std::error::Error) -> FetchError {
    FetchError::Invalid {
        what: what.to_string(),
        cause: error.to_string(),
    }
}
