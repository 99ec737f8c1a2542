//! Labels kept compactly on every pod row, and the label selectors that drill-downs match them
//! with (a Deployment's `spec.selector`, a Service's `spec.selector`).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// An object's labels packed into one allocation of `key=value` lines: every watched pod keeps
/// them, so one shared str (~16 B plus the text) beats a map of strings (PERFORMANCE.md P1);
/// shared, because the pods of a ReplicaSet carry the same labels and the pod store keeps one
/// copy of each set (P11). Keys never hold `=` and neither keys nor values hold a newline, so
/// the packing is lossless.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Labels(std::sync::Arc<str>);

impl Labels {
    /// Labels from `(key, value)` pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Labels {
        let mut text = String::new();
        for (key, value) in pairs {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(key);
            text.push('=');
            text.push_str(value);
        }
        Labels(text.into())
    }

    /// The value of `key`, if the object has that label.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Every `(key, value)`, in the order the API sent them.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .split('\n')
            .filter(|line| !line.is_empty())
            .map(|line| line.split_once('=').unwrap_or((line, "")))
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether nothing else holds this copy of the text (an interned set no pod uses any more).
    pub fn unshared(&self) -> bool {
        std::sync::Arc::strong_count(&self.0) == 1
    }
}

/// Decodes a JSON map (or null) straight into the packed text, without a map or a `String`
/// per key on the way: this runs for every pod of every watch event.
impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(LabelsVisitor)
    }
}

struct LabelsVisitor;

impl<'de> Visitor<'de> for LabelsVisitor {
    type Value = Labels;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of label keys to values")
    }
    fn visit_none<E: de::Error>(self) -> Result<Labels, E> {
        Ok(Labels::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Labels, E> {
        Ok(Labels::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Labels, D::Error> {
        d.deserialize_map(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels, A::Error> {
        let mut text = String::new();
        loop {
            let start = text.len();
            if !text.is_empty() {
                text.push('\n');
            }
            if map.next_key_seed(Append(&mut text))?.is_none() {
                text.truncate(start);
                break;
            }
            text.push('=');
            map.next_value_seed(Append(&mut text))?;
        }
        Ok(Labels(text.into()))
    }
}

/// Appends a string from the decoder to the buffer.
struct Append<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Append<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
    // A null value reads as "", as Go's zero string would.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// How one requirement of a selector compares a label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operator {
    /// The label has one of the values (`matchLabels` entries are `In` one value).
    In,
    /// The label is absent or has none of the values.
    NotIn,
    /// The label is present.
    Exists,
    /// The label is absent.
    DoesNotExist,
    /// An operator the API does not define: matches nothing rather than everything.
    Unknown(String),
}

/// One requirement of a label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// How the label is compared.
    pub operator: Operator,
    /// The values for `In` and `NotIn`.
    pub values: Vec<String>,
}

/// A label selector: every requirement must hold. Empty selects every pod, as in the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// The requirements, sorted by key like the API's own string form.
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// A selector of exact `key=value` pairs (a Service's selector, a `matchLabels`).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> LabelSelector {
        let mut selector = LabelSelector::default();
        for (key, value) in pairs {
            selector.requirements.push(Requirement {
                key: key.to_string(),
                operator: Operator::In,
                values: vec![value.to_string()],
            });
        }
        selector.requirements.sort_by(|a, b| a.key.cmp(&b.key));
        selector
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.requirements.iter().all(|r| {
            let value = labels.get(&r.key);
            match &r.operator {
                Operator::In => value.is_some_and(|v| r.values.iter().any(|w| w == v)),
                Operator::NotIn => value.is_none_or(|v| r.values.iter().all(|w| w != v)),
                Operator::Exists => value.is_some(),
                Operator::DoesNotExist => value.is_none(),
                Operator::Unknown(_) => false,
            }
        })
    }
}

/// The API's string form (`app=x,env in (a,b),!gone`), as `kubectl get -o wide` shows it.
impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let values = r.values.join(",");
            match &r.operator {
                Operator::In if r.values.len() == 1 => write!(f, "{}={values}", r.key)?,
                Operator::In => write!(f, "{} in ({values})", r.key)?,
                Operator::NotIn => write!(f, "{} notin ({values})", r.key)?,
                Operator::Exists => f.write_str(&r.key)?,
                Operator::DoesNotExist => write!(f, "!{}", r.key)?,
                Operator::Unknown(op) => write!(f, "{} {op} ({values})", r.key)?,
            }
        }
        Ok(())
    }
}

/// `metav1.LabelSelector` as the API sends it.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireSelector {
    match_labels: Option<Labels>,
    match_expressions: Option<Vec<WireExpression>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireExpression {
    key: String,
    operator: String,
    values: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for LabelSelector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = Option::<WireSelector>::deserialize(d)?.unwrap_or_default();
        let labels = wire.match_labels.unwrap_or_default();
        let mut selector = LabelSelector::from_pairs(labels.iter());
        for e in wire.match_expressions.unwrap_or_default() {
            let operator = match e.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => Operator::Unknown(other.to_string()),
            };
            let mut values = e.values.unwrap_or_default();
            values.sort();
            selector.requirements.push(Requirement {
                key: e.key,
                operator,
                values,
            });
        }
        // Stable: matchLabels of a key stay before expressions of the same key, as in the API.
        selector.requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(selector)
    }
}

#[cfg(test)]
mod tests {
    use super::{LabelSelector, Labels};

    fn labels(json: &str) -> Labels {
        serde_json::from_str(json).expect("labels")
    }

    #[test]
    fn labels_pack_and_read_back() {
        let l = labels(r#"{"app":"appserver","env":"production","empty":""}"#);
        assert_eq!(l.get("app"), Some("appserver"));
        assert_eq!(l.get("empty"), Some(""));
        assert_eq!(l.get("ap"), None);
        assert_eq!(l.iter().count(), 3);
        assert!(labels("null").is_empty());
        assert!(labels("{}").is_empty());
        assert_eq!(labels("{}").iter().count(), 0);
    }

    #[test]
    fn selectors_match_like_the_api() {
        let sel: LabelSelector = serde_json::from_str(
            r#"{"matchLabels":{"env":"production","app":"appserver"},
                "matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},
                                    {"key":"gone","operator":"DoesNotExist"}]}"#,
        )
        .expect("selector");
        assert_eq!(
            sel.to_string(),
            "app=appserver,env=production,!gone,tier in (a,b)"
        );
        let pod = labels(r#"{"app":"appserver","env":"production","tier":"a","x":"y"}"#);
        assert!(sel.matches(&pod));
        let other_env = labels(r#"{"app":"appserver","env":"homologation","tier":"a"}"#);
        assert!(!sel.matches(&other_env));
        let has_gone = labels(r#"{"app":"appserver","env":"production","tier":"a","gone":"1"}"#);
        assert!(!sel.matches(&has_gone));
        let bad: LabelSelector =
            serde_json::from_str(r#"{"matchExpressions":[{"key":"a","operator":"Like"}]}"#)
                .expect("selector");
        assert!(!bad.matches(&labels(r#"{"a":"1"}"#)));
        assert!(LabelSelector::default().matches(&Labels::default()));
    }
}
