//! Pod usage from metrics.k8s.io (what `kubectl top pod` reads), and the resource quantities
//! it and the resources form deal in (`2Gi`, `512Mi`, `500m`, `1`).

use ::kube::core::Request;
use ::kube::Client;
use serde::Deserialize;
use serde_json::Value;

use super::target::Target;

/// What metrics.k8s.io says one pod uses now, summed over its containers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodUsage {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// CPU, millicores.
    pub cpu: u32,
    /// Working-set memory, bytes.
    pub mem: u64,
}

/// What metrics.k8s.io says one node uses now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeUsage {
    /// Node name.
    pub name: String,
    /// CPU, millicores.
    pub cpu: u32,
    /// Memory, bytes.
    pub mem: u64,
}

/// Why usage could not be read; each is one sentence for the status bar.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MetricsError {
    /// 404: the API group is not served (no metrics-server).
    #[error("metrics unavailable: metrics-server not installed (no metrics.k8s.io API)")]
    Absent,
    /// 403: RBAC does not allow reading it.
    #[error("metrics unavailable: not allowed to read metrics.k8s.io ({0})")]
    Forbidden(String),
    /// Anything else: the sentence of `errors::sentence`.
    #[error("metrics unavailable: {0}")]
    Failed(String),
    /// The cluster implementation cannot read metrics (a test fake).
    #[error("metrics unavailable: this connection cannot read metrics")]
    Unsupported,
}

/// Lists the PodMetrics of one namespace (one request, whatever its pod count).
pub async fn list_pods(client: Client, namespace: String) -> Result<Vec<PodUsage>, MetricsError> {
    let url = format!("/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods");
    let list: WireList<WirePodMetrics> = request(client, url, "list pod metrics").await?;
    Ok(list
        .items
        .into_iter()
        .map(|p| PodUsage {
            cpu: millicores(p.containers.iter().map(|c| c.usage.cpu.as_str())),
            mem: sum_bytes(p.containers.iter().map(|c| c.usage.memory.as_str())),
            namespace: p.metadata.namespace,
            name: p.metadata.name,
        })
        .collect())
}

/// Lists the NodeMetrics of every node.
pub async fn list_nodes(client: Client) -> Result<Vec<NodeUsage>, MetricsError> {
    let url = "/apis/metrics.k8s.io/v1beta1/nodes".to_string();
    let list: WireList<WireNodeMetrics> = request(client, url, "list node metrics").await?;
    Ok(list
        .items
        .into_iter()
        .map(|n| NodeUsage {
            cpu: millicores([n.usage.cpu.as_str()].into_iter()),
            mem: sum_bytes([n.usage.memory.as_str()].into_iter()),
            name: n.metadata.name,
        })
        .collect())
}

async fn request<T: serde::de::DeserializeOwned>(
    client: Client,
    url: String,
    what: &str,
) -> Result<T, MetricsError> {
    let request = Request::new(url)
        .list(&::kube::api::ListParams::default())
        .map_err(|e| MetricsError::Failed(e.to_string()))?;
    client.request(request).await.map_err(|e| match &e {
        ::kube::Error::Api(status) if status.code == 404 => MetricsError::Absent,
        ::kube::Error::Api(status) if status.code == 403 => {
            MetricsError::Forbidden(crate::sanitize::sanitize_owned(status.message.clone()))
        }
        _ => MetricsError::Failed(super::errors::sentence(&e, what, "")),
    })
}

fn millicores<'a>(values: impl Iterator<Item = &'a str>) -> u32 {
    let cores: f64 = values.filter_map(quantity).sum();
    (cores * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

fn sum_bytes<'a>(values: impl Iterator<Item = &'a str>) -> u64 {
    let bytes: f64 = values.filter_map(quantity).sum();
    bytes.round().clamp(0.0, u64::MAX as f64) as u64
}

#[derive(Deserialize)]
struct WireList<T> {
    #[serde(default = "Vec::new")]
    items: Vec<T>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireMeta {
    name: String,
    namespace: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireUsage {
    cpu: String,
    memory: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireContainer {
    usage: WireUsage,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WirePodMetrics {
    metadata: WireMeta,
    containers: Vec<WireContainer>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireNodeMetrics {
    metadata: WireMeta,
    usage: WireUsage,
}

/// The PodMetrics object of one pod.
pub fn pod_metrics(namespace: &str, pod: &str) -> Target {
    Target {
        group: "metrics.k8s.io".to_string(),
        version: "v1beta1".to_string(),
        kind: "PodMetrics".to_string(),
        plural: "pods".to_string(),
        namespaced: true,
        namespace: Some(namespace.to_string()),
        name: pod.to_string(),
    }
}

/// What one container of one pod uses now.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerUsage {
    /// The pod.
    pub pod: String,
    /// The container.
    pub container: String,
    /// Working-set memory, bytes.
    pub memory: Option<f64>,
    /// CPU, cores.
    pub cpu: Option<f64>,
}

/// The containers' usage in a PodMetrics object.
pub fn usage(object: &Value) -> Vec<ContainerUsage> {
    let pod = object["metadata"]["name"].as_str().unwrap_or_default();
    object["containers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| ContainerUsage {
            pod: pod.to_string(),
            container: c["name"].as_str().unwrap_or_default().to_string(),
            memory: c["usage"]["memory"].as_str().and_then(quantity),
            cpu: c["usage"]["cpu"].as_str().and_then(quantity),
        })
        .collect()
}

/// A Kubernetes quantity's value (`2Gi` → 2147483648, `500m` → 0.5, `1e3` → 1000); `None`
/// when it is not one.
pub fn quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    if number.is_empty() || number.starts_with('.') && number.len() == 1 {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exp if exp.starts_with(['e', 'E']) => 10f64.powi(exp.get(1..)?.parse().ok()?),
        _ => return None,
    };
    Some(value * factor)
}

/// Bytes the way the form shows them: `1.5Gi`, `700Mi`, `12Ki`.
pub fn bytes(value: f64) -> String {
    const UNITS: [(&str, f64); 3] = [
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Ki", 1024.0),
    ];
    for (unit, size) in UNITS {
        if value >= size {
            let n = value / size;
            return if n >= 10.0 || (n - n.round()).abs() < 0.05 {
                format!("{:.0}{unit}", n)
            } else {
                format!("{:.1}{unit}", n)
            };
        }
    }
    format!("{value:.0}")
}

/// Cores the way the form shows them: `230m`, `1.5`.
pub fn cores(value: f64) -> String {
    if value < 1.0 {
        format!("{:.0}m", value * 1000.0)
    } else if (value - value.round()).abs() < 0.005 {
        format!("{:.0}", value)
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_read_as_kubernetes_reads_them() {
        assert_eq!(quantity("2Gi"), Some(2147483648.0));
        assert_eq!(quantity("512Mi"), Some(536870912.0));
        assert_eq!(quantity("500m"), Some(0.5));
        assert_eq!(quantity("1"), Some(1.0));
        assert_eq!(quantity("1.5"), Some(1.5));
        assert_eq!(quantity("250000n"), Some(0.00025));
        assert_eq!(quantity("1e3"), Some(1000.0));
        assert_eq!(quantity("2G"), Some(2e9));
        for bad in ["", "Gi", "2 Gi", "2gb", "two", "2Gi2", "."] {
            assert_eq!(quantity(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn usage_reads_each_container_of_a_pod_metrics_object() {
        let m = json!({"metadata": {"name": "p"}, "containers": [
            {"name": "a", "usage": {"cpu": "230000000n", "memory": "1048576Ki"}}]});
        let u = usage(&m);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].memory, Some(1073741824.0));
        assert_eq!(bytes(u[0].memory.unwrap_or_default()), "1Gi");
        assert_eq!(cores(u[0].cpu.unwrap_or_default()), "230m");
        assert_eq!(bytes(1.5 * 1073741824.0), "1.5Gi");
    }
}
