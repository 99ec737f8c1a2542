//! Any object the API serves, by group/version/kind and name: what edit, delete and the
//! workload actions act on. A listed kind converts from `ResourceKind`; a word typed in command
//! mode (`:edit cm/x`) is resolved through the server's discovery (`Cluster::resolve`).

use ::kube::api::ApiResource;

use super::fetch::{api_resource, ObjectRef};
use super::kinds::ResourceKind;

/// One object of any kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// API group, "" for core.
    pub group: String,
    /// API version (`v1`).
    pub version: String,
    /// Kind (`CronJob`).
    pub kind: String,
    /// Plural resource name in URLs (`cronjobs`).
    pub plural: String,
    /// Whether objects of this kind live in a namespace.
    pub namespaced: bool,
    /// The namespace, for a namespaced kind.
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl Target {
    /// An object of a kind kterm lists.
    pub fn of(kind: ResourceKind, namespace: Option<&str>, name: &str) -> Target {
        let ar = api_resource(kind);
        Target {
            group: ar.group,
            version: ar.version,
            kind: ar.kind,
            plural: ar.plural,
            namespaced: kind.namespaced(),
            namespace: namespace.filter(|_| kind.namespaced()).map(str::to_string),
            name: name.to_string(),
        }
    }

    /// The target an `ObjectRef` names.
    pub fn from_ref(r: &ObjectRef) -> Target {
        Target::of(r.kind, r.namespace.as_deref(), &r.name)
    }

    /// The listed kind this is, if kterm lists it.
    pub fn listed_kind(&self) -> Option<ResourceKind> {
        ResourceKind::ALL
            .iter()
            .map(|(k, _)| *k)
            .find(|k| k.api_kind() == self.kind && api_resource(*k).group == self.group)
    }

    /// kube's description of the resource, for requests.
    pub fn api_resource(&self) -> ApiResource {
        let api_version = if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        };
        ApiResource {
            group: self.group.clone(),
            version: self.version.clone(),
            api_version,
            kind: self.kind.clone(),
            plural: self.plural.clone(),
        }
    }

    /// `cronjob t4k9pz/protheus-updater` or `namespace t4k9pz`, for sentences.
    pub fn label(&self) -> String {
        let kind = self.kind.to_ascii_lowercase();
        match &self.namespace {
            Some(ns) => format!("{kind} {ns}/{}", self.name),
            None => format!("{kind} {}", self.name),
        }
    }

    /// `cronjob/protheus-updater`, as kubectl writes it.
    pub fn slash(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_kind_round_trips() {
        let t = Target::of(ResourceKind::CronJob, Some("t4k9pz"), "protheus-updater");
        assert_eq!(t.group, "batch");
        assert_eq!(t.plural, "cronjobs");
        assert_eq!(t.listed_kind(), Some(ResourceKind::CronJob));
        assert_eq!(t.label(), "cronjob t4k9pz/protheus-updater");
        assert_eq!(t.slash(), "cronjob/protheus-updater");
        let ns = Target::of(ResourceKind::Namespace, Some("x"), "t4k9pz");
        assert_eq!(ns.namespace, None);
        assert_eq!(ns.api_resource().api_version, "v1");
    }
}
