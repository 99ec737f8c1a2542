//! `metadata` as far as any list needs it, decoded without managedFields or annotations; shared
//! by the pod table and every other listed kind.

use chrono::{DateTime, Utc};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;

use crate::kube::selector::Labels;

/// `metadata` as far as any list needs it.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct WireMeta {
    /// Name.
    pub name: Option<String>,
    /// Namespace; absent for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// The object's uid.
    pub uid: Option<String>,
    /// The watcher resumes from it.
    pub resource_version: Option<String>,
    /// When it was created (AGE).
    pub creation_timestamp: Option<DateTime<Utc>>,
    /// Set while it is being deleted.
    pub deletion_timestamp: Option<DateTime<Utc>>,
    /// Labels (node roles are labels).
    pub labels: Labels,
    /// Owners; the controller among them ties a Job to its CronJob.
    pub owner_references: Option<Vec<WireOwner>>,
}

/// One `ownerReferences` entry.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WireOwner {
    /// Owner kind.
    pub kind: String,
    /// Owner name.
    pub name: String,
    /// Whether this owner is the managing controller.
    pub controller: Option<bool>,
}

impl WireMeta {
    /// The part of kube's `ObjectMeta` the watcher reads (resourceVersion) and nothing more.
    pub fn object_meta(&self) -> ObjectMeta {
        ObjectMeta {
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            uid: self.uid.clone(),
            resource_version: self.resource_version.clone(),
            ..ObjectMeta::default()
        }
    }
}
