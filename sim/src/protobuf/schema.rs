//! The message schemas, parsed once from the compact text in `table.rs`.
//!
//! Grammar of one message: `Name: <field> <field> ...;` where a field is
//! `<number><jsonName>:<type>[?]`. An empty jsonName means the Go struct embeds the message
//! inline (its keys merge into the parent). A trailing `?` marks a non-pointer Go field tagged
//! `omitempty`: the wire always carries it, but JSON drops its zero value, so we must too.
//! Types: `s` string, `y` bytes (base64 in JSON), `b` bool, `i` int32, `l` int64, `d` double,
//! `T` meta/v1 Time, `M` MicroTime, `Q` Quantity, `I` IntOrString, `F` FieldsV1, `~` an alpha-API
//! message we do not model (`{}` when empty, else dropped and reported), any other name a message; prefixes `[` repeated,
//! `{` map<string, X>, `<` a named-list message (field 1 repeated X) that JSON shows as an array.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::table;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ty {
    Str,
    Bytes,
    Bool,
    I32,
    I64,
    F64,
    Time,
    MicroTime,
    Quantity,
    IntOrString,
    FieldsV1,
    Opaque,
    Msg(&'static str),
    List(Box<Ty>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Card {
    One,
    Repeated,
    Map,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Field {
    pub number: u32,
    pub json: &'static str,
    pub ty: Ty,
    pub card: Card,
    pub omit_zero: bool,
}

pub(super) struct Schema {
    pub messages: HashMap<&'static str, Vec<Field>>,
    /// Entries of the table that failed to parse; a unit test keeps this empty.
    pub errors: Vec<String>,
}

impl Schema {
    pub(super) fn fields(&self, message: &str) -> Option<&[Field]> {
        self.messages.get(message).map(Vec::as_slice)
    }
}

/// The parsed table, built on first use: parsing ~200 short lines costs microseconds.
pub(super) fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = Schema {
            messages: HashMap::new(),
            errors: Vec::new(),
        };
        for text in table::ALL {
            for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
                match parse_message(entry) {
                    Ok((name, fields)) => {
                        schema.messages.insert(name, fields);
                    }
                    Err(e) => {
                        tracing::error!(entry, error = %e, "bad protobuf schema entry");
                        schema.errors.push(format!("{entry}: {e}"));
                    }
                }
            }
        }
        schema
    })
}

fn parse_message(entry: &'static str) -> Result<(&'static str, Vec<Field>), String> {
    let (name, rest) = entry
        .split_once(':')
        .ok_or("missing ':' after the message name")?;
    let fields = rest
        .split_whitespace()
        .map(parse_field)
        .collect::<Result<_, _>>()?;
    Ok((name.trim(), fields))
}

fn parse_field(tok: &'static str) -> Result<Field, String> {
    let digits = tok.find(|c: char| !c.is_ascii_digit()).unwrap_or(tok.len());
    let number = tok[..digits]
        .parse()
        .map_err(|_| format!("field {tok:?} has no number"))?;
    let (json, ty) = tok[digits..]
        .split_once(':')
        .ok_or_else(|| format!("field {tok:?} has no type"))?;
    let (ty, omit_zero) = match ty.strip_suffix('?') {
        Some(t) => (t, true),
        None => (ty, false),
    };
    let (card, ty) = if let Some(t) = ty.strip_prefix('[') {
        (Card::Repeated, t)
    } else if let Some(t) = ty.strip_prefix('{') {
        (Card::Map, t)
    } else {
        (Card::One, ty)
    };
    Ok(Field {
        number,
        json,
        ty: parse_ty(ty)?,
        card,
        omit_zero,
    })
}

fn parse_ty(t: &'static str) -> Result<Ty, String> {
    Ok(match t {
        "s" => Ty::Str,
        "y" => Ty::Bytes,
        "b" => Ty::Bool,
        "i" => Ty::I32,
        "l" => Ty::I64,
        "d" => Ty::F64,
        "T" => Ty::Time,
        "M" => Ty::MicroTime,
        "Q" => Ty::Quantity,
        "I" => Ty::IntOrString,
        "F" => Ty::FieldsV1,
        "~" => Ty::Opaque,
        _ if t.starts_with('<') => Ty::List(Box::new(parse_ty(&t[1..])?)),
        _ if t.len() > 1 && t.chars().all(|c| c.is_ascii_alphanumeric()) => Ty::Msg(t),
        _ => return Err(format!("unknown type {t:?}")),
    })
}
