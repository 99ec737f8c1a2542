//! Changing the cluster: replace (PUT, the edit's save), patch (scale, suspend, restart, the
//! resources form), create (a Job from a CronJob), delete with kubectl's options, and asking
//! whether a verb is allowed (SelfSubjectAccessReview). Each failure is a `MutateError` whose
//! variant says what the app does next: reopen the editor (`Invalid`), offer the conflict's
//! choices (`Conflict`), or say one sentence.

use ::kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use ::kube::Client;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use serde_json::Value;

use super::errors;
use super::target::Target;

/// Why a change was not made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MutateError {
    /// 409: the object changed since it was read.
    #[error("The {what} was changed by someone else since it was read (409 Conflict).")]
    Conflict {
        /// `cronjob t4k9pz/protheus-updater`.
        what: String,
    },
    /// 400/422, or YAML the server could not take: the server's own words.
    #[error("The server rejected the change to the {what}: {message}")]
    Invalid {
        /// `cronjob t4k9pz/protheus-updater`.
        what: String,
        /// The server's message (causes included).
        message: String,
    },
    /// 404.
    #[error("The {what} no longer exists (404 Not Found).")]
    NotFound {
        /// `pod t4k9pz/x`.
        what: String,
    },
    /// Anything else, one sentence (403 explained, unreachable, 401…).
    #[error("{0}")]
    Failed(String),
}

/// How a delete treats what the object owns (kubectl's `--cascade`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Propagation {
    /// The object goes now; the garbage collector removes its dependents after.
    #[default]
    Background,
    /// The dependents go first; the object stays (terminating) until they are gone.
    Foreground,
    /// The dependents stay, without an owner.
    Orphan,
}

impl Propagation {
    /// The API's word.
    pub fn word(self) -> &'static str {
        match self {
            Propagation::Background => "Background",
            Propagation::Foreground => "Foreground",
            Propagation::Orphan => "Orphan",
        }
    }

    /// The next policy, for a key that cycles them.
    pub fn next(self) -> Propagation {
        match self {
            Propagation::Background => Propagation::Foreground,
            Propagation::Foreground => Propagation::Orphan,
            Propagation::Orphan => Propagation::Background,
        }
    }
}

/// kubectl delete's options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DeleteOptions {
    /// What happens to the dependents.
    pub propagation: Propagation,
    /// Seconds the pods get to stop; `None`: the object's own.
    pub grace_seconds: Option<u32>,
    /// Grace 0: the object is removed from the API at once (the kubelet may still be stopping
    /// it), as `kubectl delete --force --grace-period=0`.
    pub force: bool,
}

/// How a patch body is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchKind {
    /// RFC 7386 JSON merge patch.
    Merge,
    /// Kubernetes strategic merge patch (lists of containers merge by name).
    Strategic,
}

/// One question for SelfSubjectAccessReview: may I `verb` this resource?
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Access {
    /// `delete`, `patch`, `update`, `create`.
    pub verb: String,
    /// API group ("" core).
    pub group: String,
    /// Plural resource (`pods`, `cronjobs`).
    pub resource: String,
    /// A subresource (`scale`), if any.
    pub subresource: Option<String>,
    /// Where; `None` for cluster-scoped or "any namespace".
    pub namespace: Option<String>,
}

impl Access {
    /// `verb` on objects like `target` (in its namespace).
    pub fn to(verb: &str, target: &Target) -> Access {
        Access {
            verb: verb.to_string(),
            group: target.group.clone(),
            resource: target.plural.clone(),
            subresource: None,
            namespace: target.namespace.clone(),
        }
    }

    /// `create jobs` in `target`'s namespace (the CronJob's trigger).
    pub fn create_in(group: &str, resource: &str, namespace: Option<&str>) -> Access {
        Access {
            verb: "create".to_string(),
            group: group.to_string(),
            resource: resource.to_string(),
            subresource: None,
            namespace: namespace.map(str::to_string),
        }
    }
}

fn api(client: Client, target: &Target) -> Api<DynamicObject> {
    let ar = target.api_resource();
    match &target.namespace {
        Some(ns) if target.namespaced => Api::namespaced_with(client, ns, &ar),
        _ => Api::all_with(client, &ar),
    }
}

/// Classifies a failed change to `target`, doing `doing` (`replace`, `delete`…).
fn failure(error: ::kube::Error, target: &Target, doing: &str) -> MutateError {
    let what = target.label();
    if let ::kube::Error::Api(status) = &error {
        match status.code {
            409 => return MutateError::Conflict { what },
            404 => return MutateError::NotFound { what },
            400 | 422 => {
                return MutateError::Invalid {
                    what,
                    message: crate::sanitize::sanitize_owned(status.message.clone()),
                }
            }
            _ => {}
        }
    }
    MutateError::Failed(errors::sentence(&error, &format!("{doing} the {what}"), ""))
}

fn to_json(object: DynamicObject, target: &Target) -> Result<Value, MutateError> {
    serde_json::to_value(object).map_err(|e| {
        MutateError::Failed(format!(
            "The server's answer for the {} could not be read ({e}).",
            target.label()
        ))
    })
}

fn from_json(object: Value, target: &Target) -> Result<DynamicObject, MutateError> {
    serde_json::from_value(object).map_err(|e| MutateError::Invalid {
        what: target.label(),
        message: e.to_string(),
    })
}

/// GETs the object as JSON.
pub async fn get(client: Client, target: Target) -> Result<Value, MutateError> {
    let object = api(client, &target)
        .get(&target.name)
        .await
        .map_err(|e| failure(e, &target, "read"))?;
    to_json(object, &target)
}

/// PUTs `object` (which carries the resourceVersion it was read at: a change since is a 409).
pub async fn replace(client: Client, target: Target, object: Value) -> Result<Value, MutateError> {
    let object = from_json(object, &target)?;
    let replaced = api(client, &target)
        .replace(&target.name, &PostParams::default(), &object)
        .await
        .map_err(|e| failure(e, &target, "replace"))?;
    to_json(replaced, &target)
}

/// PATCHes the object.
pub async fn patch(
    client: Client,
    target: Target,
    kind: PatchKind,
    body: Value,
) -> Result<Value, MutateError> {
    let params = PatchParams::default();
    let patch = match kind {
        PatchKind::Merge => Patch::Merge(body),
        PatchKind::Strategic => Patch::Strategic(body),
    };
    let patched = api(client, &target)
        .patch(&target.name, &params, &patch)
        .await
        .map_err(|e| failure(e, &target, "change"))?;
    to_json(patched, &target)
}

/// POSTs `object` into `target`'s namespace (`target.name` is the new object's name).
pub async fn create(client: Client, target: Target, object: Value) -> Result<Value, MutateError> {
    let object = from_json(object, &target)?;
    let created = api(client, &target)
        .create(&PostParams::default(), &object)
        .await
        .map_err(|e| failure(e, &target, "create"))?;
    to_json(created, &target)
}

/// DELETEs the object with kubectl's options.
pub async fn delete(
    client: Client,
    target: Target,
    options: DeleteOptions,
) -> Result<(), MutateError> {
    let mut params = match options.propagation {
        Propagation::Background => DeleteParams::background(),
        Propagation::Foreground => DeleteParams::foreground(),
        Propagation::Orphan => DeleteParams::orphan(),
    };
    if options.force {
        params = params.grace_period(0);
    } else if let Some(grace) = options.grace_seconds {
        params = params.grace_period(grace);
    }
    api(client, &target)
        .delete(&target.name, &params)
        .await
        .map(|_| ())
        .map_err(|e| failure(e, &target, "delete"))
}

/// Asks the server whether the user may do `access` (SelfSubjectAccessReview).
pub async fn allowed(client: Client, access: Access) -> Result<bool, String> {
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                namespace: access.namespace.clone(),
                verb: Some(access.verb.clone()),
                group: Some(access.group.clone()),
                resource: Some(access.resource.clone()),
                subresource: access.subresource.clone(),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    };
    let api: Api<SelfSubjectAccessReview> = Api::all(client);
    match api.create(&PostParams::default(), &review).await {
        Ok(answer) => Ok(answer.status.is_some_and(|s| s.allowed)),
        Err(error) => Err(errors::sentence(
            &error,
            &format!(
                "ask whether {} {}{} is allowed{}",
                access.verb,
                access.resource,
                access
                    .subresource
                    .as_deref()
                    .map_or(String::new(), |s| format!("/{s}")),
                access
                    .namespace
                    .as_deref()
                    .map_or(String::new(), |ns| format!(" in {ns}"))
            ),
            "",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn propagation_cycles_through_all_three() {
        let p = Propagation::default();
        assert_eq!(p.word(), "Background");
        assert_eq!(p.next().word(), "Foreground");
        assert_eq!(p.next().next().word(), "Orphan");
        assert_eq!(p.next().next().next(), p);
    }
}
