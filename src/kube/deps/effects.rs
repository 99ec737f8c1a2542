//! What pods going away does to the rest of the namespace: the Services that lose endpoints,
//! the PodDisruptionBudgets that break, the volumes kept and the `emptyDir` data lost. Shared
//! by every change that removes pods.

use std::collections::BTreeSet;

use super::{DepPod, Impact, Inputs, Level, Warning};

/// The warnings and reasons gathered so far.
#[derive(Default)]
pub(super) struct Out {
    warnings: Vec<Warning>,
    high: Vec<String>,
    after: Vec<String>,
}

impl Out {
    fn push(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        if !self.warnings.iter().any(|w| w.text == text) {
            self.warnings.push(Warning { level, text });
        }
    }

    pub(super) fn danger(&mut self, text: impl Into<String>) {
        self.push(Level::Danger, text);
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.push(Level::Warn, text);
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text);
    }

    /// A reason typing the name is required.
    pub(super) fn high(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        if !self.high.contains(&reason) {
            self.high.push(reason);
        }
    }

    /// Something to do by hand once the change is made; also said again after it.
    pub(super) fn after(&mut self, todo: impl Into<String>) {
        self.after.push(todo.into());
    }

    /// Most serious first; within a level, in the order found.
    pub(super) fn finish(mut self) -> Impact {
        self.warnings.sort_by_key(|w| w.level);
        Impact {
            warnings: self.warnings,
            high: self.high,
            after: self.after,
        }
    }
}

/// The pods behind a Service now: from its EndpointSlices, or, when those could not be read,
/// from the live pods its selector matches. `(ready, not ready)`.
fn endpoints<'a>(
    inputs: &'a Inputs,
    service: &str,
    selected: impl Fn(&DepPod) -> bool,
) -> (BTreeSet<&'a str>, BTreeSet<&'a str>) {
    match &inputs.endpoints {
        Ok(all) => all
            .iter()
            .find(|e| e.service == service)
            .map(|e| {
                (
                    e.ready.iter().map(String::as_str).collect(),
                    e.not_ready.iter().map(String::as_str).collect(),
                )
            })
            .unwrap_or_default(),
        Err(_) => {
            let live = inputs
                .pods
                .as_deref()
                .unwrap_or_default()
                .iter()
                .filter(|p| p.deleted.is_none() && selected(p));
            let (ready, not): (Vec<&DepPod>, Vec<&DepPod>) = live.partition(|p| p.ready);
            (
                ready.iter().map(|p| p.name.as_str()).collect(),
                not.iter().map(|p| p.name.as_str()).collect(),
            )
        }
    }
}

/// `removed` pods go away; `comes_back`: a controller replaces them.
pub(super) fn pods_go(inputs: &Inputs, removed: &[&DepPod], comes_back: bool, out: &mut Out) {
    if removed.is_empty() {
        return;
    }
    let gone: BTreeSet<&str> = removed.iter().map(|p| p.name.as_str()).collect();
    services(inputs, removed, &gone, comes_back, out);
    budgets(inputs, removed, out);
    volumes(removed, out);
}

fn services(
    inputs: &Inputs,
    removed: &[&DepPod],
    gone: &BTreeSet<&str>,
    comes_back: bool,
    out: &mut Out,
) {
    for service in inputs.services.as_deref().unwrap_or_default() {
        let Some(selector) = &service.selector else {
            continue;
        };
        if !removed.iter().any(|p| selector.matches(&p.labels)) {
            continue;
        }
        let (ready, not_ready) = endpoints(inputs, &service.name, |p| selector.matches(&p.labels));
        let keeps = ready.iter().filter(|p| !gone.contains(*p)).count();
        let loses_ready = ready.iter().any(|p| gone.contains(*p));
        let others = not_ready.iter().filter(|p| !gone.contains(*p)).count();
        let name = &service.name;
        if keeps == 0 && (loses_ready || others == 0) {
            let until = if comes_back {
                " until the new pod is ready"
            } else {
                ""
            };
            out.danger(format!(
                "Service {name} will have 0 ready endpoints: requests through the proxy will fail{until}"
            ));
            if loses_ready {
                out.high(format!("the last ready endpoint of Service {name}"));
            } else {
                out.high(format!("the only endpoint of Service {name}"));
            }
        } else if keeps == 0 {
            out.warn(format!("Service {name} has no ready endpoint already"));
        } else {
            let n = if keeps == 1 { "endpoint" } else { "endpoints" };
            out.info(format!("Service {name} keeps {keeps} ready {n}"));
        }
    }
}

fn budgets(inputs: &Inputs, removed: &[&DepPod], out: &mut Out) {
    for pdb in inputs.pdbs.as_deref().unwrap_or_default() {
        let Some(selector) = &pdb.selector else {
            continue;
        };
        // Pods that are not ready already count as disrupted: removing them costs nothing.
        let healthy = removed
            .iter()
            .filter(|p| p.ready && selector.matches(&p.labels))
            .count();
        if healthy == 0 {
            continue;
        }
        let healthy = i64::try_from(healthy).unwrap_or(i64::MAX);
        let rule = match (&pdb.min_available, &pdb.max_unavailable) {
            (Some(min), _) => format!("minAvailable {min}"),
            (None, Some(max)) => format!("maxUnavailable {max}"),
            (None, None) => "no limit".to_string(),
        };
        let allowed = pdb.disruptions_allowed;
        if healthy > allowed {
            out.danger(format!(
                "PodDisruptionBudget {} ({rule}) allows {allowed} disruptions now and this removes {healthy} ready {}: it is violated",
                pdb.name,
                if healthy == 1 { "pod" } else { "pods" }
            ));
        } else {
            out.info(format!(
                "PodDisruptionBudget {} ({rule}) allows it ({allowed} disruptions allowed)",
                pdb.name
            ));
        }
    }
}

fn volumes(removed: &[&DepPod], out: &mut Out) {
    let claims: BTreeSet<&str> = removed
        .iter()
        .flat_map(|p| p.claims.iter().map(String::as_str))
        .collect();
    if !claims.is_empty() {
        let text = if claims.len() == 1 {
            "PersistentVolumeClaim {} is kept: the data on it stays"
        } else {
            "PersistentVolumeClaims {} are kept: the data on them stays"
        };
        let list = claims.into_iter().collect::<Vec<_>>().join(", ");
        out.info(text.replace("{}", &list));
    }
    let many = removed.len() > 1;
    for p in removed {
        for dir in &p.empty_dirs {
            let whose = if many {
                format!(" of pod {}", p.name)
            } else {
                String::new()
            };
            out.warn(format!(
                "the emptyDir data in volume {dir}{whose} will be lost"
            ));
        }
    }
}
