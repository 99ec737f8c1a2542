//! RBAC profiles, enforced on every request and answered consistently by the access reviews.
//!
//! - `admin`: everything.
//! - `tenant`: full rights inside the scenario's tenant namespaces (and `get` of those Namespace
//!   objects); nothing cluster-wide: no list/watch across namespaces, no namespace list, no nodes.
//! - `readonly`: get/list/watch (and pods/log) everywhere; no writes, no exec.

use crate::error::{qualified, ApiError};
use crate::RbacProfile;
use serde_json::{json, Value};

pub struct Rbac {
    pub profile: RbacProfile,
    pub tenants: Vec<String>,
}

/// One request as RBAC sees it.
pub struct Attrs<'a> {
    pub verb: &'a str,
    pub group: &'a str,
    pub resource: &'a str,
    pub subresource: Option<&'a str>,
    pub namespace: Option<&'a str>,
    pub name: Option<&'a str>,
}

const READ: &[&str] = &["get", "list", "watch"];

impl Rbac {
    pub fn user(&self) -> &'static str {
        match self.profile {
            RbacProfile::Admin => "kterm-sim-admin",
            RbacProfile::Tenant => "kterm-sim-tenant",
            RbacProfile::Readonly => "kterm-sim-readonly",
        }
    }

    pub fn allowed(&self, a: &Attrs) -> bool {
        // Every authenticated user may ask what it may do, as on a real cluster.
        if a.group == "authorization.k8s.io" && a.resource.starts_with("selfsubject") {
            return true;
        }
        match self.profile {
            RbacProfile::Admin => true,
            RbacProfile::Readonly => {
                READ.contains(&a.verb)
                    && matches!(a.subresource, None | Some("log") | Some("status"))
            }
            RbacProfile::Tenant => match a.namespace {
                Some(ns) => self.tenants.iter().any(|t| t == ns),
                None => {
                    a.resource == "namespaces"
                        && a.verb == "get"
                        && a.name.is_some_and(|n| self.tenants.iter().any(|t| t == n))
                }
            },
        }
    }

    /// Forbidden with the API server's wording, or Ok.
    pub fn check(&self, a: &Attrs) -> Result<(), ApiError> {
        if self.allowed(a) {
            return Ok(());
        }
        let res = match a.subresource {
            Some(s) => format!("{}/{s}", a.resource),
            None => a.resource.to_string(),
        };
        let subject = match a.name {
            Some(n) => format!("{} \"{n}\"", qualified(a.group, &res)),
            None => qualified(a.group, &res),
        };
        let scope = match a.namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".to_string(),
        };
        let msg = format!(
            "{subject} is forbidden: User \"{}\" cannot {} resource \"{res}\" in API group \"{}\" {scope}",
            self.user(),
            a.verb,
            a.group
        );
        let mut details = json!({"group": a.group, "kind": a.resource});
        if let Some(n) = a.name {
            details["name"] = json!(n);
        }
        Err(ApiError::new(403, "Forbidden", msg).with_details(details))
    }

    /// Answer a SelfSubjectAccessReview or SelfSubjectRulesReview (the `status` filled in).
    pub fn review(&self, kind: &str, mut body: Value) -> Value {
        if kind == "SelfSubjectRulesReview" {
            let ns = body["spec"]["namespace"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            body["status"] = self.rules(&ns);
        } else {
            let ra = &body["spec"]["resourceAttributes"];
            let allowed = if ra.is_object() {
                self.allowed(&Attrs {
                    verb: ra["verb"].as_str().unwrap_or_default(),
                    group: ra["group"].as_str().unwrap_or_default(),
                    resource: ra["resource"].as_str().unwrap_or_default(),
                    subresource: ra["subresource"].as_str().filter(|s| !s.is_empty()),
                    namespace: ra["namespace"].as_str().filter(|s| !s.is_empty()),
                    name: ra["name"].as_str().filter(|s| !s.is_empty()),
                })
            } else {
                // Non-resource URLs (/healthz, /version) are open to every user.
                true
            };
            body["status"] = json!({"allowed": allowed});
        }
        body["apiVersion"] = json!("authorization.k8s.io/v1");
        body["kind"] = json!(kind);
        body
    }

    fn rules(&self, ns: &str) -> Value {
        let review = json!({"verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]});
        let mut rules = vec![review];
        match self.profile {
            RbacProfile::Admin => {
                rules.push(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}))
            }
            RbacProfile::Readonly => {
                rules.push(json!({"verbs": READ, "apiGroups": ["*"], "resources": ["*"]}))
            }
            RbacProfile::Tenant if self.tenants.iter().any(|t| t == ns) => {
                rules.push(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}))
            }
            RbacProfile::Tenant => {}
        }
        json!({"resourceRules": rules, "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/"]}], "incomplete": false})
    }
}
