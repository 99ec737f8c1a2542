//! Pod usage from metrics.k8s.io (what `kubectl top pod` reads), and the resource quantities
//! it and the resources form deal in (`2Gi`, `512Mi`, `500m`, `1`).

use serde_json::Value;

use super::target::Target;

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
