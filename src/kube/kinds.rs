//! The kinds kterm lists, and the names the user types for them in command mode (`:deploy`).

/// A kind of object kterm can list and show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    /// core/v1 Pod.
    Pod,
    /// apps/v1 Deployment.
    Deployment,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// batch/v1 Job.
    Job,
    /// batch/v1 CronJob.
    CronJob,
    /// core/v1 Service.
    Service,
    /// core/v1 Event.
    Event,
    /// core/v1 Namespace.
    Namespace,
    /// core/v1 Node.
    Node,
}

impl ResourceKind {
    /// Every kind, with the names command mode accepts (kubectl's short name first).
    pub const ALL: [(ResourceKind, &'static [&'static str]); 9] = [
        (ResourceKind::Pod, &["po", "pod", "pods"]),
        (
            ResourceKind::Deployment,
            &["deploy", "deployment", "deployments"],
        ),
        (
            ResourceKind::StatefulSet,
            &["sts", "statefulset", "statefulsets"],
        ),
        (ResourceKind::Job, &["job", "jobs"]),
        (ResourceKind::CronJob, &["cj", "cronjob", "cronjobs"]),
        (ResourceKind::Service, &["svc", "service", "services"]),
        (ResourceKind::Event, &["ev", "event", "events"]),
        (ResourceKind::Namespace, &["ns", "namespace", "namespaces"]),
        (ResourceKind::Node, &["no", "node", "nodes"]),
    ];

    /// The kind a command-mode word names (`deploy`, `Deployments`…), if any.
    pub fn from_word(word: &str) -> Option<ResourceKind> {
        let word = word.to_ascii_lowercase();
        Self::ALL
            .iter()
            .find(|(_, names)| names.contains(&word.as_str()))
            .map(|(kind, _)| *kind)
    }

    /// The short name shown to the user (`deploy`).
    pub fn short(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, names)| names[0])
    }

    /// The API kind, as in `kind:` of the object.
    pub fn api_kind(self) -> &'static str {
        match self {
            ResourceKind::Pod => "Pod",
            ResourceKind::Deployment => "Deployment",
            ResourceKind::StatefulSet => "StatefulSet",
            ResourceKind::Job => "Job",
            ResourceKind::CronJob => "CronJob",
            ResourceKind::Service => "Service",
            ResourceKind::Event => "Event",
            ResourceKind::Namespace => "Namespace",
            ResourceKind::Node => "Node",
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, ResourceKind::Namespace | ResourceKind::Node)
    }
}

#[cfg(test)]
mod tests {
    use super::ResourceKind;

    #[test]
    fn command_words_name_kinds() {
        assert_eq!(
            ResourceKind::from_word("deploy"),
            Some(ResourceKind::Deployment)
        );
        assert_eq!(ResourceKind::from_word("CJ"), Some(ResourceKind::CronJob));
        assert_eq!(ResourceKind::from_word("nodes"), Some(ResourceKind::Node));
        assert_eq!(ResourceKind::from_word("deploys"), None);
        assert_eq!(ResourceKind::Service.short(), "svc");
        assert!(!ResourceKind::Namespace.namespaced());
    }
}
