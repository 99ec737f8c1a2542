//! The resources form (`M` on a Deployment or StatefulSet): the runbook's "raise the memory
//! limit". It picks a container (when there are several), holds its memory and CPU requests
//! and limits prefilled from the pod template, shows what the workload's pods use now
//! (metrics.k8s.io) against the old and new limit, warns when the new memory limit is below
//! that usage, and turns into a `Mutation::Resources` once the quantities are valid.

use std::sync::Arc;

use serde_json::Value;

use crate::app::mutation::{Mutation, Quantities};
use crate::kube::metrics::{self, quantity, ContainerUsage};
use crate::kube::target::Target;
use crate::kube::Cluster;

/// One container of the template with its resources as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateContainer {
    /// Its name.
    pub name: String,
    /// `resources.requests`.
    pub requests: Quantities,
    /// `resources.limits`.
    pub limits: Quantities,
}

/// What the form is opened with: the template's containers and the pods' usage.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The workload.
    pub target: Target,
    /// The pod template's containers.
    pub containers: Vec<TemplateContainer>,
    /// Usage of each container of each pod that has metrics.
    pub usage: Vec<ContainerUsage>,
    /// Why there is no usage, when metrics could not be read.
    pub usage_problem: Option<String>,
}

/// Which field has the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The container (←/→ or space pick another).
    Container,
    /// `requests.memory`.
    RequestMemory,
    /// `limits.memory`.
    LimitMemory,
    /// `requests.cpu`.
    RequestCpu,
    /// `limits.cpu`.
    LimitCpu,
}

const ORDER: [Field; 5] = [
    Field::Container,
    Field::RequestMemory,
    Field::LimitMemory,
    Field::RequestCpu,
    Field::LimitCpu,
];

/// The open form.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourcesForm {
    /// What it was opened with.
    pub loaded: Loaded,
    /// Index of the container being changed.
    pub container: usize,
    /// The field being edited.
    pub field: Field,
    /// Memory request typed.
    pub request_memory: String,
    /// Memory limit typed.
    pub limit_memory: String,
    /// CPU request typed.
    pub request_cpu: String,
    /// CPU limit typed.
    pub limit_cpu: String,
    /// The warning the user was shown on enter: a second enter with the same one applies.
    pub warned: Option<String>,
}

impl ResourcesForm {
    /// The form on the first container, its fields prefilled; the cursor on the memory limit
    /// (what the runbook raises).
    pub fn new(loaded: Loaded) -> ResourcesForm {
        let mut form = ResourcesForm {
            loaded,
            container: 0,
            field: Field::LimitMemory,
            request_memory: String::new(),
            limit_memory: String::new(),
            request_cpu: String::new(),
            limit_cpu: String::new(),
            warned: None,
        };
        form.prefill();
        form
    }

    fn prefill(&mut self) {
        let Some(c) = self.loaded.containers.get(self.container) else {
            return;
        };
        let text = |q: &Option<String>| q.clone().unwrap_or_default();
        self.request_memory = text(&c.requests.memory);
        self.limit_memory = text(&c.limits.memory);
        self.request_cpu = text(&c.requests.cpu);
        self.limit_cpu = text(&c.limits.cpu);
    }

    /// The container being changed.
    pub fn current(&self) -> Option<&TemplateContainer> {
        self.loaded.containers.get(self.container)
    }

    /// Picks the next (or previous) container, its values prefilled again.
    pub fn cycle_container(&mut self, forward: bool) {
        let n = self.loaded.containers.len();
        if n < 2 {
            return;
        }
        self.container = if forward {
            (self.container + 1) % n
        } else {
            (self.container + n - 1) % n
        };
        self.prefill();
    }

    /// Moves to the next (or previous) field, wrapping; the container field only when there
    /// is a choice.
    pub fn step(&mut self, forward: bool) {
        let fields: Vec<Field> = ORDER
            .into_iter()
            .filter(|f| *f != Field::Container || self.loaded.containers.len() > 1)
            .collect();
        let at = fields.iter().position(|f| *f == self.field).unwrap_or(0);
        let next = if forward {
            at + 1
        } else {
            at + fields.len() - 1
        };
        if let Some(f) = fields.get(next % fields.len()) {
            self.field = *f;
        }
    }

    /// The text of the field being edited (none for the container).
    pub fn text_mut(&mut self) -> Option<&mut String> {
        match self.field {
            Field::Container => None,
            Field::RequestMemory => Some(&mut self.request_memory),
            Field::LimitMemory => Some(&mut self.limit_memory),
            Field::RequestCpu => Some(&mut self.request_cpu),
            Field::LimitCpu => Some(&mut self.limit_cpu),
        }
    }

    /// The highest memory use of the container among the pods, and the pod using it.
    pub fn memory_peak(&self) -> Option<(f64, &str)> {
        let name = &self.current()?.name;
        self.loaded
            .usage
            .iter()
            .filter(|u| &u.container == name)
            .filter_map(|u| u.memory.map(|m| (m, u.pod.as_str())))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// The highest CPU use of the container among the pods.
    pub fn cpu_peak(&self) -> Option<f64> {
        let name = &self.current()?.name;
        self.loaded
            .usage
            .iter()
            .filter(|u| &u.container == name)
            .filter_map(|u| u.cpu)
            .max_by(f64::total_cmp)
    }

    /// Why the values cannot be applied, one sentence; `None` when they can.
    pub fn problem(&self) -> Option<String> {
        let fields = [
            ("memory request", &self.request_memory, true),
            ("memory limit", &self.limit_memory, true),
            ("CPU request", &self.request_cpu, false),
            ("CPU limit", &self.limit_cpu, false),
        ];
        for (what, text, memory) in fields {
            if let Some(problem) = invalid(what, text, memory) {
                return Some(problem);
            }
        }
        let pairs = [
            ("memory", &self.request_memory, &self.limit_memory),
            ("CPU", &self.request_cpu, &self.limit_cpu),
        ];
        for (what, request, limit) in pairs {
            if let (Some(r), Some(l)) = (quantity(request), quantity(limit)) {
                if r > l {
                    return Some(format!(
                        "The {what} request {} is above its limit {}; lower the request or raise the limit.",
                        request.trim(),
                        limit.trim()
                    ));
                }
            }
        }
        if self.changed().is_none() {
            return Some("Nothing changed; type new values, or esc to close.".to_string());
        }
        None
    }

    /// The warning line: the new memory limit is below what a pod uses now.
    pub fn warning(&self) -> Option<String> {
        let limit = quantity(&self.limit_memory)?;
        let (peak, pod) = self.memory_peak()?;
        (limit < peak).then(|| {
            format!(
                "The new memory limit {} is below what pod {pod} uses now ({}): it would be OOM-killed.",
                self.limit_memory.trim(),
                metrics::bytes(peak)
            )
        })
    }

    /// The mutation the form describes, when something changed.
    fn changed(&self) -> Option<Mutation> {
        let c = self.current()?;
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let requests = Quantities {
            memory: opt(&self.request_memory),
            cpu: opt(&self.request_cpu),
        };
        let limits = Quantities {
            memory: opt(&self.limit_memory),
            cpu: opt(&self.limit_cpu),
        };
        if requests == c.requests && limits == c.limits {
            return None;
        }
        Some(Mutation::Resources {
            target: self.loaded.target.clone(),
            container: c.name.clone(),
            requests,
            limits,
        })
    }

    /// The mutation to apply, or the sentence saying what is wrong.
    pub fn mutation(&self) -> Result<Mutation, String> {
        if let Some(problem) = self.problem() {
            return Err(problem);
        }
        self.changed()
            .ok_or_else(|| "Nothing changed; type new values, or esc to close.".to_string())
    }
}

/// What is wrong with a quantity typed for `what`, if anything (empty means "not set").
fn invalid(what: &str, text: &str, memory: bool) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let Some(value) = quantity(text) else {
        let example = if memory { "512Mi or 2Gi" } else { "500m or 1" };
        return Some(format!(
            "The {what} {text:?} is not a quantity; write it like {example}."
        ));
    };
    if value < 0.0 {
        return Some(format!("The {what} cannot be negative."));
    }
    if memory && text.ends_with('m') {
        return Some(format!(
            "The {what} {text} is in thousandths of a byte; write memory in Mi or Gi (512Mi, 2Gi)."
        ));
    }
    if !memory && text.ends_with('i') {
        return Some(format!(
            "The {what} {text} is in bytes; write CPU in cores (1) or millicores (500m)."
        ));
    }
    None
}

/// The template's containers of a Deployment or StatefulSet as JSON.
pub fn template_containers(object: &Value) -> Vec<TemplateContainer> {
    let q = |v: &Value| Quantities {
        memory: v["memory"].as_str().map(str::to_string),
        cpu: v["cpu"].as_str().map(str::to_string),
    };
    object["spec"]["template"]["spec"]["containers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| TemplateContainer {
            name: c["name"].as_str().unwrap_or_default().to_string(),
            requests: q(&c["resources"]["requests"]),
            limits: q(&c["resources"]["limits"]),
        })
        .collect()
}

/// Reads the workload and the usage of `pods` (its pods, from the pod store) for the form.
pub async fn load(
    cluster: Option<Arc<dyn Cluster>>,
    target: Target,
    pods: Vec<String>,
) -> Result<Loaded, String> {
    let Some(cluster) = cluster else {
        return Err("Not connected to the cluster yet; try again in a moment.".to_string());
    };
    let object = cluster
        .get_target(&target)
        .await
        .map_err(|e| e.to_string())?;
    let containers = template_containers(&object);
    if containers.is_empty() {
        return Err(format!(
            "The {} has no containers in its template.",
            target.label()
        ));
    }
    let namespace = target.namespace.clone().unwrap_or_default();
    let reads = pods.iter().map(|pod| {
        let metrics = metrics::pod_metrics(&namespace, pod);
        cluster.get_target(&metrics)
    });
    let mut usage = Vec::new();
    let mut usage_problem = None;
    for answer in futures::future::join_all(reads).await {
        match answer {
            Ok(object) => usage.extend(metrics::usage(&object)),
            Err(e) => {
                usage_problem.get_or_insert_with(|| format!("No usage shown: {e}"));
            }
        }
    }
    if pods.is_empty() {
        usage_problem = Some("No usage shown: the workload has no pods kterm watches.".into());
    } else if !usage.is_empty() {
        usage_problem = None;
    }
    Ok(Loaded {
        target,
        containers,
        usage,
        usage_problem,
    })
}
