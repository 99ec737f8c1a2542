//! An object as YAML, the way `kubectl get -o yaml` prints it: keys sorted, and
//! `metadata.managedFields` left out unless asked for (it is most of a pod's bytes and never what
//! a support engineer is looking for).

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The object as YAML text; `managed_fields` keeps `metadata.managedFields`.
pub fn to_yaml(object: &Value, managed_fields: bool) -> String {
    let root = Node {
        value: object,
        hide: if managed_fields {
            Hide::Nothing
        } else {
            Hide::InRoot
        },
    };
    match serde_yaml::to_string(&root) {
        Ok(text) => text,
        // serde_yaml fails only on values YAML cannot hold; JSON values are not among them.
        Err(e) => format!("# cannot show this object as YAML ({e})\n"),
    }
}

/// What to leave out below a node.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hide {
    Nothing,
    /// The root: its `metadata` hides `managedFields`.
    InRoot,
    /// The root's metadata.
    InMetadata,
}

/// A value serialized with sorted keys (whatever order serde_json keeps) and without the hidden
/// key, so the object is never copied to drop it.
struct Node<'a> {
    value: &'a Value,
    hide: Hide,
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map
                    .iter()
                    .filter(|(k, _)| !(self.hide == Hide::InMetadata && *k == "managedFields"))
                    .collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    let hide = match (self.hide, key.as_str()) {
                        (Hide::InRoot, "metadata") => Hide::InMetadata,
                        _ => Hide::Nothing,
                    };
                    out.serialize_entry(key, &Node { value, hide })?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = s.serialize_seq(Some(items.len()))?;
                for value in items {
                    out.serialize_element(&Node {
                        value,
                        hide: Hide::Nothing,
                    })?;
                }
                out.end()
            }
            other => other.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_yaml;
    use serde_json::json;

    #[test]
    fn sorted_keys_and_managed_fields_on_request() {
        let pod = json!({
            "kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": "p", "managedFields": [{"manager": "kubelet"}]},
            "spec": {"containers": [{"name": "c", "image": "i"}]}
        });
        let yaml = to_yaml(&pod, false);
        assert!(
            yaml.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains("  containers:\n  - image: i\n    name: c\n"),
            "{yaml}"
        );
        assert!(!yaml.contains("managedFields"), "{yaml}");
        let yaml = to_yaml(&pod, true);
        assert!(
            yaml.contains("  managedFields:\n  - manager: kubelet\n"),
            "{yaml}"
        );
    }

    #[test]
    fn managed_fields_elsewhere_are_data() {
        let cm = json!({"data": {"managedFields": "x"}});
        assert!(to_yaml(&cm, false).contains("managedFields: x"));
    }

    #[test]
    fn long_and_strange_strings_stay_one_value() {
        let long = "x".repeat(5000);
        let cm = json!({"data": {"long": long, "esc": "a\u{1b}[2Jb", "multi": "l1\nl2\n"}});
        let yaml = to_yaml(&cm, false);
        assert!(yaml.contains(&long), "a long value is not folded");
        assert!(!yaml.contains('\u{1b}'), "escapes are quoted: {yaml}");
        assert!(yaml.contains("multi: |\n    l1\n    l2\n"), "{yaml}");
    }
}
