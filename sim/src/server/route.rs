//! Parsing a resource path: `/api/v1/namespaces/NS/pods/NAME/log` and its group-version siblings.

/// The parts of a resource request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub group: String,
    pub version: String,
    pub namespace: Option<String>,
    pub resource: String,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

pub fn parse(path: &str) -> Option<Route> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return None,
    };
    let (namespace, rest) = match rest {
        // namespaces/NS/RESOURCE... is a namespaced request; namespaces/NS[/status|finalize] is the namespace itself.
        ["namespaces", ns, r, more @ ..] if !matches!(*r, "status" | "finalize") => {
            (Some(ns.to_string()), prepend(r, more))
        }
        _ => (None, rest.to_vec()),
    };
    let resource = rest.first()?.to_string();
    if resource.is_empty() {
        return None;
    }
    Some(Route {
        group: group.to_string(),
        version: version.to_string(),
        namespace,
        resource,
        name: rest.get(1).map(|s| s.to_string()),
        subresource: rest.get(2).map(|s| s.to_string()),
    })
}

fn prepend<'a>(first: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![first];
    v.extend_from_slice(more);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths() {
        let r = parse("/api/v1/namespaces/c2a7dv/pods/app-1/log").unwrap();
        assert_eq!(
            (
                r.namespace.as_deref(),
                r.resource.as_str(),
                r.name.as_deref(),
                r.subresource.as_deref()
            ),
            (Some("c2a7dv"), "pods", Some("app-1"), Some("log"))
        );
        let r = parse("/api/v1/namespaces/c2a7dv").unwrap();
        assert_eq!(
            (r.namespace, r.resource.as_str(), r.name.as_deref()),
            (None, "namespaces", Some("c2a7dv"))
        );
        let r = parse("/api/v1/namespaces/c2a7dv/status").unwrap();
        assert_eq!(
            (r.resource.as_str(), r.subresource.as_deref()),
            ("namespaces", Some("status"))
        );
        let r = parse("/apis/apps/v1/deployments").unwrap();
        assert_eq!(
            (r.group.as_str(), r.resource.as_str(), r.name),
            ("apps", "deployments", None)
        );
        assert!(parse("/foo").is_none());
    }
}
