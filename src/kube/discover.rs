//! Which resource types the cluster serves (discovery: GET /api/v1, /apis and each group's
//! preferred version), so a kind word kterm does not list (`:edit cm/x`, `:edit pdb/x`) still
//! names a `Target`, and a namespace delete can count everything in the namespace.

use std::time::Duration;

use ::kube::Client;
use futures::future::join_all;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;

use super::errors::{self, Failure};
use super::kinds::ResourceKind;
use super::root_cause;
use super::target::Target;

/// Discovery that takes longer has failed: the user is waiting at the prompt.
const TIMEOUT: Duration = Duration::from_secs(20);

/// One served resource type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// API group, "" for core.
    pub group: String,
    /// The group's preferred version.
    pub version: String,
    /// Kind (`ConfigMap`).
    pub kind: String,
    /// Plural (`configmaps`).
    pub plural: String,
    /// Singular (`configmap`); empty when the server leaves it out.
    pub singular: String,
    /// Short names (`cm`).
    pub short_names: Vec<String>,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// The verbs it supports (`list`, `delete`…).
    pub verbs: Vec<String>,
}

impl Served {
    /// Whether a typed word names this type: plural, singular, a short name or the kind, in
    /// any case; `plural.group` (`deployments.apps`) too.
    pub fn named_by(&self, word: &str) -> bool {
        let word = word.to_ascii_lowercase();
        let (word, group) = match word.split_once('.') {
            Some((w, g)) => (w.to_string(), Some(g.to_string())),
            None => (word, None),
        };
        if group.is_some_and(|g| g != self.group) {
            return false;
        }
        word == self.plural
            || (!self.singular.is_empty() && word == self.singular)
            || word == self.kind.to_ascii_lowercase()
            || self.short_names.contains(&word)
    }

    /// The object `name` of this type.
    pub fn target(&self, namespace: Option<&str>, name: &str) -> Target {
        Target {
            group: self.group.clone(),
            version: self.version.clone(),
            kind: self.kind.clone(),
            plural: self.plural.clone(),
            namespaced: self.namespaced,
            namespace: namespace.filter(|_| self.namespaced).map(str::to_string),
            name: name.to_string(),
        }
    }
}

/// A failed request, in a few words (`forbidden`, `connection refused`).
pub fn reason(error: &::kube::Error) -> String {
    if let ::kube::Error::Api(status) = error {
        if status.code == 404 {
            return "not found".to_string();
        }
    }
    match errors::classify(error) {
        Failure::Forbidden => "forbidden".to_string(),
        Failure::Unauthorized => "unauthorized: log in again".to_string(),
        _ => root_cause(error),
    }
}

fn served(list: APIResourceList, group: &str, version: &str) -> Vec<Served> {
    list.resources
        .into_iter()
        // `pods/log`, `deployments/scale`: subresources are not types of their own.
        .filter(|r| !r.name.contains('/'))
        .map(|r| Served {
            group: group.to_string(),
            version: version.to_string(),
            kind: r.kind,
            plural: r.name,
            singular: r.singular_name,
            short_names: r.short_names.unwrap_or_default(),
            namespaced: r.namespaced,
            verbs: r.verbs,
        })
        .collect()
}

/// Every resource type the server serves, core first, then the groups in the server's order at
/// their preferred version. A group whose list fails (an aggregated API that is down) is left
/// out; only the core and group lists failing is an error.
pub async fn discover(client: Client) -> Result<Vec<Served>, String> {
    let timed = |what: &'static str| move |_| format!("{what} did not answer within 20 s");
    let core = tokio::time::timeout(TIMEOUT, client.list_core_api_resources("v1"));
    let groups = tokio::time::timeout(TIMEOUT, client.list_api_groups());
    let (core, groups) = futures::join!(core, groups);
    let core = core.map_err(timed("discovery"))?.map_err(|e| reason(&e))?;
    let groups = groups
        .map_err(timed("discovery"))?
        .map_err(|e| reason(&e))?;
    let mut out = served(core, "", "v1");
    let wanted: Vec<(String, String, String)> = groups
        .groups
        .into_iter()
        .filter_map(|g| {
            let preferred = g
                .preferred_version
                .or_else(|| g.versions.into_iter().next())?;
            Some((g.name, preferred.version, preferred.group_version))
        })
        .collect();
    let lists = join_all(
        wanted
            .iter()
            .map(|(_, _, gv)| tokio::time::timeout(TIMEOUT, client.list_api_group_resources(gv))),
    )
    .await;
    for ((group, version, _), list) in wanted.iter().zip(lists) {
        if let Ok(Ok(list)) = list {
            out.extend(served(list, group, version));
        }
    }
    Ok(out)
}

/// The target `word`/`name` means: a kind kterm lists at once, anything else through discovery.
pub async fn resolve(
    client: Client,
    word: String,
    namespace: Option<String>,
    name: String,
) -> Result<Target, String> {
    if let Some(kind) = ResourceKind::from_word(&word) {
        return Ok(Target::of(kind, namespace.as_deref(), &name));
    }
    let served = discover(client).await.map_err(|why| {
        format!("kterm could not ask the cluster which resource types it has ({why}); try again.")
    })?;
    served
        .iter()
        .find(|s| s.named_by(&word))
        .map(|s| s.target(namespace.as_deref(), &name))
        .ok_or_else(|| format!("kterm knows no resource type \"{word}\" on this cluster."))
}

#[cfg(test)]
mod tests {
    use super::Served;

    #[test]
    fn a_word_names_a_type_by_plural_singular_short_name_or_kind() {
        let pdb = Served {
            group: "policy".into(),
            version: "v1".into(),
            kind: "PodDisruptionBudget".into(),
            plural: "poddisruptionbudgets".into(),
            singular: "poddisruptionbudget".into(),
            short_names: vec!["pdb".into()],
            namespaced: true,
            verbs: vec!["list".into()],
        };
        for word in [
            "pdb",
            "PDB",
            "poddisruptionbudgets",
            "poddisruptionbudget",
            "PodDisruptionBudget",
            "pdb.policy",
        ] {
            assert!(pdb.named_by(word), "{word}");
        }
        for word in ["pd", "pdb.apps", "poddisruptionbudgets/status", ""] {
            assert!(!pdb.named_by(word), "{word}");
        }
        let t = pdb.target(Some("t4k9pz"), "x");
        assert_eq!(t.api_resource().api_version, "policy/v1");
        assert_eq!(t.namespace.as_deref(), Some("t4k9pz"));
    }
}
