//! The wire shapes shared by every listed kind: slim metadata (managedFields, annotations and
//! everything else never decoded) and the `slim!` macro that declares a kind's slim object.

use serde::Deserialize;

use super::{Owner, ResourceRow};
pub use crate::kube::meta::{WireMeta, WireOwner};

/// A slim object that carries the row it was turned into while decoding.
pub trait Listed {
    /// Gives up the row; the object is dropped with nothing else kept.
    fn into_row(self) -> ResourceRow;
}

/// A row with the identity of `meta` filled in; the kind's printer adds the cells.
pub fn identity(meta: &WireMeta) -> ResourceRow {
    let owners = meta.owner_references.as_deref().unwrap_or_default();
    let owner = owners
        .iter()
        .find(|o| o.controller == Some(true))
        .or_else(|| owners.first())
        .map(|o| Owner {
            kind: o.kind.clone(),
            name: o.name.clone(),
        });
    ResourceRow {
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
        owner,
        ..ResourceRow::default()
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
