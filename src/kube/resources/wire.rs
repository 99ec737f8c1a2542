//! The wire shapes shared by every listed kind: slim metadata (managedFields, annotations and
//! everything else never decoded) and the `slim!` macro that declares a kind's slim object.

use chrono::{DateTime, Utc};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;

use super::{Owner, ResourceRow};
use crate::kube::selector::Labels;

/// A slim object that carries the row it was turned into while decoding.
pub trait Listed {
    /// Gives up the row; the object is dropped with nothing else kept.
    fn into_row(self) -> ResourceRow;
}

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

    /// A row with the identity filled in; the kind's printer adds the cells.
    pub fn row(&self) -> ResourceRow {
        let owners = self.owner_references.as_deref().unwrap_or_default();
        let owner = owners
            .iter()
            .find(|o| o.controller == Some(true))
            .or_else(|| owners.first())
            .map(|o| Owner {
                kind: o.kind.clone(),
                name: o.name.clone(),
            });
        ResourceRow {
            namespace: self.namespace.clone().unwrap_or_default(),
            name: self.name.clone().unwrap_or_default(),
            owner,
            ..ResourceRow::default()
        }
    }
}

/// The usual `metadata`/`spec`/`status` object.
#[derive(Deserialize, Default)]
#[serde(
    default,
    bound(deserialize = "S: Deserialize<'de> + Default, T: Deserialize<'de> + Default")
)]
pub struct Wire<S, T> {
    /// Metadata.
    pub metadata: WireMeta,
    /// The slim spec.
    pub spec: S,
    /// The slim status.
    pub status: T,
}

/// A `{type, status}` condition (Job, Node).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Condition {
    /// `Complete`, `Ready`, …
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
}

/// Declares a kind's slim object: kube's `Resource` inherited from the typed kind (so `Api` and
/// `watcher` work with it), and a decoder that turns the wire shape into the row at once.
macro_rules! slim {
    ($(#[doc = $doc:literal])* $name:ident: $inherit:ident, $wire:ty, $row:path) => {
        $(#[doc = $doc])*
        #[derive(kube::Resource, Clone, Debug, Default)]
        #[resource(inherit = $inherit)]
        pub struct $name {
            /// Name, namespace, uid and resourceVersion: what the watcher needs.
            pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
            /// The row, built while decoding.
            pub row: $crate::kube::resources::ResourceRow,
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let wire = <$wire as serde::Deserialize>::deserialize(d)?;
                Ok($name {
                    metadata: wire.metadata.object_meta(),
                    row: $row(&wire).sanitized(),
                })
            }
        }

        impl $crate::kube::resources::wire::Listed for $name {
            fn into_row(self) -> $crate::kube::resources::ResourceRow {
                self.row
            }
        }
    };
}

pub(crate) use slim;
