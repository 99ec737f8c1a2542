//! One stored object: its serialized bytes (served as-is by list, get and watch) and the few
//! parsed fields that routing, the garbage collector and selectors ask for on every write. The
//! full tree is parsed only when someone needs more (a mutation, a table, a controller).

use bytes::Bytes;
use serde_json::Value;
use std::sync::Arc;

/// A stored object; cheap to clone (two reference counts).
#[derive(Clone, Debug)]
pub struct Entry {
    pub json: Bytes,
    pub meta: Arc<Meta>,
}

/// A stored object parsed for reading: made on demand, never kept by the store.
#[derive(Clone, Debug)]
pub struct Doc {
    pub obj: Arc<Value>,
    pub json: Bytes,
    pub meta: Arc<Meta>,
}

impl Doc {
    /// The stored form again (cheap: shares the bytes).
    pub fn entry(&self) -> Entry {
        Entry {
            json: self.json.clone(),
            meta: self.meta.clone(),
        }
    }
}

/// The parsed fields every write keeps beside the bytes.
#[derive(Debug, Default)]
pub struct Meta {
    pub name: Box<str>,
    pub uid: Box<str>,
    pub resource_version: u64,
    /// `metadata.deletionTimestamp` is set.
    pub deleting: bool,
    pub finalizers: Box<[Box<str>]>,
    /// The uids of `metadata.ownerReferences`.
    pub owners: Box<[Box<str>]>,
}

impl Entry {
    /// Serialize `obj` once and keep its routing fields.
    pub(super) fn new(obj: &Value, resource_version: u64) -> Entry {
        let json = Bytes::from(serde_json::to_vec(obj).unwrap_or_default());
        Entry {
            json,
            meta: Arc::new(Meta::of(obj, resource_version)),
        }
    }

    /// This entry with the tree it was made from (no parse).
    pub(super) fn with(self, obj: Value) -> Doc {
        Doc {
            obj: Arc::new(obj),
            json: self.json,
            meta: self.meta,
        }
    }

    /// A document for an object that is not stored (tests, and tables built from trees).
    pub fn from_value(obj: Value) -> Doc {
        let rv = obj["metadata"]["resourceVersion"]
            .as_str()
            .and_then(|r| r.parse().ok())
            .unwrap_or(0);
        Entry::new(&obj, rv).with(obj)
    }

    /// The empty entry of a non-object event.
    pub(super) fn empty() -> Entry {
        Entry {
            json: Bytes::new(),
            meta: Arc::new(Meta::default()),
        }
    }

    /// The object as an owned tree, to change and write back.
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.json).unwrap_or(Value::Null)
    }

    /// Bytes this entry holds beyond what is shared (for the history's byte budget).
    pub fn weight(&self) -> usize {
        self.json.len() + 64
    }
}

impl Meta {
    fn of(obj: &Value, resource_version: u64) -> Meta {
        let m = &obj["metadata"];
        let strs = |v: &Value, field: Option<&str>| -> Box<[Box<str>]> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| field.map_or(x, |f| &x[f]).as_str().map(Box::from))
                .collect()
        };
        Meta {
            name: m["name"].as_str().unwrap_or_default().into(),
            uid: m["uid"].as_str().unwrap_or_default().into(),
            resource_version,
            deleting: m["deletionTimestamp"].is_string(),
            finalizers: strs(&m["finalizers"], None),
            owners: strs(&m["ownerReferences"], Some("uid")),
        }
    }
}
