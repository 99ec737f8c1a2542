//! A string seed for serde_yaml: parsing inside `visit_str` is what makes serde_yaml attach the
//! scalar's own line to our error (an error raised after the value was read gets the line of
//! the enclosing mapping instead).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Parses a scalar with `F`, whose `Err` is the message the user sees.
pub(crate) struct Parse<T, F>(pub F, pub PhantomData<T>);

/// A seed that parses a string scalar with `f`.
pub(crate) fn parse<T, F: FnOnce(&str) -> Result<T, String>>(f: F) -> Parse<T, F> {
    Parse(f, PhantomData)
}

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> DeserializeSeed<'de> for Parse<T, F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for Parse<T, F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}
