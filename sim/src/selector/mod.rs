//! Label and field selectors, parsed and matched as the API server does
//! (k8s.io/apimachinery `labels` and `fields`), with the server's error messages since
//! kubectl prints them verbatim.

use serde_json::{Map, Value};

use crate::error::ApiError;

// ---------------------------------------------------------------------------------------------
// Label selectors.

/// A label selector: requirements that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
    /// Selects nothing at all (a missing metav1 selector, or a Service's empty selector).
    nothing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
    /// Sorted and deduplicated, as the server's string set keeps them (error indices use it).
    values: Vec<String>,
}

impl LabelSelector {
    /// Parse kubectl's syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`, also `==`, `a>1`, `a<1`.
    /// An empty string selects everything.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let requirements = Parser::new(s).parse().map_err(ApiError::bad_request)?;
        Ok(LabelSelector {
            requirements,
            nothing: false,
        })
    }

    /// From a metav1 LabelSelector object as Deployments, ReplicaSets and Jobs carry:
    /// `null` selects nothing, `{}` selects everything (the server's `LabelSelectorAsSelector`).
    pub fn from_object(v: &Value) -> Result<Self, ApiError> {
        let Some(obj) = v.as_object() else {
            return Ok(Self::nothing());
        };
        let mut requirements = Vec::new();
        if let Some(labels) = obj.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in labels {
                requirements.push(new_requirement(k, Op::Equals, vec![label_string(v)], "")?);
            }
        }
        let empty = Vec::new();
        let exprs = obj
            .get("matchExpressions")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        for e in exprs {
            requirements.push(expression_requirement(e)?);
        }
        Ok(LabelSelector {
            requirements,
            nothing: false,
        })
    }

    /// From a plain map, a Service's `.spec.selector`. An empty map selects nothing: the
    /// endpoints controllers leave selector-less Services alone, so no pod ever backs them.
    /// (Use `parse("")` for a selector that selects everything.)
    pub fn from_map(m: &Map<String, Value>) -> Self {
        if m.is_empty() {
            return Self::nothing();
        }
        let requirements = m
            .iter()
            .map(|(k, v)| Requirement {
                key: k.clone(),
                op: Op::Equals,
                values: vec![label_string(v)],
            })
            .collect();
        LabelSelector {
            requirements,
            nothing: false,
        }
    }

    /// Whether an object with these labels is selected (no labels = an empty label set).
    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        if self.nothing {
            return false;
        }
        let empty = Map::new();
        let labels = labels.unwrap_or(&empty);
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// True for the selector that selects everything (no requirements); the select-nothing
    /// selector is not empty, as in apimachinery.
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    fn nothing() -> Self {
        LabelSelector {
            requirements: Vec::new(),
            nothing: true,
        }
    }
}

/// Labels are strings; anything else is compared by its JSON text rather than rejected.
fn label_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn expression_requirement(e: &Value) -> Result<Requirement, ApiError> {
    let key = e.get("key").and_then(Value::as_str).unwrap_or("");
    let operator = e.get("operator").and_then(Value::as_str).unwrap_or("");
    let op = match operator {
        "In" => Op::In,
        "NotIn" => Op::NotIn,
        "Exists" => Op::Exists,
        "DoesNotExist" => Op::DoesNotExist,
        other => {
            return Err(ApiError::bad_request(format!(
                "{other:?} is not a valid label selector operator"
            )));
        }
    };
    let values = e
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(label_string).collect())
        .unwrap_or_default();
    new_requirement(key, op, values, "")
}

impl Requirement {
    fn matches(&self, labels: &Map<String, Value>) -> bool {
        let value = labels.get(&self.key).map(label_string);
        let has = |v: &String| self.values.contains(v);
        match self.op {
            Op::Equals | Op::In => value.as_ref().is_some_and(has),
            Op::NotEquals | Op::NotIn => !value.as_ref().is_some_and(has),
            Op::Exists => value.is_some(),
            Op::DoesNotExist => value.is_none(),
            Op::GreaterThan | Op::LessThan => self.compare(value.as_deref()),
        }
    }

    /// `gt`/`lt` compare as 64-bit integers; a label that is not one never matches.
    fn compare(&self, value: Option<&str>) -> bool {
        let (Some(actual), [wanted]) = (
            value.and_then(|v| v.parse::<i64>().ok()),
            self.values.as_slice(),
        ) else {
            return false;
        };
        let Ok(wanted) = wanted.parse::<i64>() else {
            return false;
        };
        match self.op {
            Op::GreaterThan => actual > wanted,
            _ => actual < wanted,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation, worded as k8s.io/apimachinery `validation` and `field.Error` word it.

const QNAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QNAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let shown: String = examples
        .iter()
        .map(|e| format!("'{e}', "))
        .collect::<Vec<_>>()
        .join("or ");
    format!("{msg} (e.g. {shown}regex used for validation is '{fmt}')")
}

/// Whole-string match of one of the validation patterns above, written out by hand since the
/// patterns are simple: `[first][middle]*[last]` with optional emptiness.
fn is_qualified_name_part(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    let inner = |c: char| alnum(c) || matches!(c, '-' | '_' | '.');
    !s.is_empty() && s.starts_with(alnum) && s.ends_with(alnum) && s.chars().all(inner)
}

fn is_dns1123_subdomain(s: &str) -> bool {
    let label_ok = |l: &str| {
        let lower_alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        !l.is_empty()
            && l.starts_with(lower_alnum)
            && l.ends_with(lower_alnum)
            && l.chars().all(|c| lower_alnum(c) || c == '-')
    };
    s.split('.').all(label_ok)
}

/// `validation.IsQualifiedName`: the errors for a label key.
fn qualified_name_errors(key: &str) -> Vec<String> {
    let parts: Vec<&str> = key.split('/').collect();
    let mut errs = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_errors(prefix)
                        .into_iter()
                        .map(|e| format!("prefix part {e}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QNAME_MSG, QNAME_FMT, &["MyName", "my.name", "123-abc"])
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(QNAME_MSG, QNAME_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

fn dns1123_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !is_dns1123_subdomain(s) {
        errs.push(regex_error(DNS1123_MSG, DNS1123_FMT, &["example.com"]));
    }
    errs
}

/// `validation.IsValidLabelValue`.
fn label_value_errors(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !v.is_empty() && !is_qualified_name_part(v) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// Go's `%q` of a string, close enough for label text (quotes and backslashes escaped).
fn go_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Go's `%#v` of a `[]string`, which `field.Invalid` prints for a whole values list.
fn go_string_slice(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// A `field.Error` of type Invalid: `<path>: Invalid value: <value>: <detail>`.
fn invalid(path: &str, shown_value: &str, detail: &str) -> String {
    format!("{path}: Invalid value: {shown_value}: {detail}")
}

/// `field.ErrorList.ToAggregate().Error()`: one error alone, several in brackets.
fn aggregate(errs: Vec<String>) -> Result<(), String> {
    match errs.len() {
        0 => Ok(()),
        1 => Err(errs.concat()),
        _ => Err(format!("[{}]", errs.join(", "))),
    }
}

/// `labels.NewRequirement`: validate and build. `path` prefixes field paths ("" = none, as
/// for `labels.Parse`, whose paths then start at `key`/`values`).
fn new_requirement(
    key: &str,
    op: Op,
    values: Vec<String>,
    path: &str,
) -> Result<Requirement, ApiError> {
    let mut values = values;
    values.sort();
    values.dedup();
    requirement_errors(key, op, &values, path).map_err(ApiError::bad_request)?;
    Ok(Requirement {
        key: key.to_string(),
        op,
        values,
    })
}

fn requirement_errors(key: &str, op: Op, values: &[String], path: &str) -> Result<(), String> {
    let at = |p: &str| {
        if path.is_empty() {
            p.to_string()
        } else {
            format!("{path}.{p}")
        }
    };
    let mut errs = Vec::new();
    let key_errs = qualified_name_errors(key);
    if !key_errs.is_empty() {
        errs.push(invalid(&at("key"), &go_quote(key), &key_errs.join("; ")));
    }
    let shown = go_string_slice(values);
    let count_error = match op {
        Op::In | Op::NotIn if values.is_empty() => {
            Some("for 'in', 'notin' operators, values set can't be empty")
        }
        Op::Equals | Op::NotEquals if values.len() != 1 => {
            Some("exact-match compatibility requires one single value")
        }
        Op::Exists | Op::DoesNotExist if !values.is_empty() => {
            Some("values set must be empty for exists and does not exist")
        }
        Op::GreaterThan | Op::LessThan if values.len() != 1 => {
            Some("for 'Gt', 'Lt' operators, exactly one value is required")
        }
        _ => None,
    };
    if let Some(detail) = count_error {
        errs.push(invalid(&at("values"), &shown, detail));
    }
    for (i, v) in values.iter().enumerate() {
        if matches!(op, Op::GreaterThan | Op::LessThan) && v.parse::<i64>().is_err() {
            errs.push(invalid(
                &at(&format!("values[{i}]")),
                &go_quote(v),
                "for 'Gt', 'Lt' operators, the value must be an integer",
            ));
        }
    }
    for (i, v) in values.iter().enumerate() {
        let v_errs = label_value_errors(v);
        if !v_errs.is_empty() {
            errs.push(invalid(
                &at(&format!("values[{i}][{key}]")),
                &go_quote(v),
                &v_errs.join("; "),
            ));
        }
    }
    aggregate(errs)
}

// ---------------------------------------------------------------------------------------------
// The label selector parser: same tokens, grammar and messages as apimachinery's.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    In,
    NotIn,
    Eq,
    DoubleEq,
    NotEq,
    Gt,
    Lt,
    Bang,
    Open,
    Close,
    Comma,
    End,
}

impl Tok {
    /// The literal shown in "found '...'" messages.
    fn literal(&self) -> &str {
        match self {
            Tok::Ident(s) => s,
            Tok::In => "in",
            Tok::NotIn => "notin",
            Tok::Eq => "=",
            Tok::DoubleEq => "==",
            Tok::NotEq => "!=",
            Tok::Gt => ">",
            Tok::Lt => "<",
            Tok::Bang => "!",
            Tok::Open => "(",
            Tok::Close => ")",
            Tok::Comma => ",",
            Tok::End => "",
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

/// The lexer's whitespace: exactly these four, as in apimachinery.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn lex(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_blank(c) {
            i += 1;
        } else if is_special(c) {
            let two = chars.get(i + 1).is_some_and(|&n| n == '=') && matches!(c, '!' | '=');
            toks.push(special_token(c, two));
            i += if two { 2 } else { 1 };
        } else {
            let start = i;
            while i < chars.len() && !is_special(chars[i]) && !is_blank(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            toks.push(match word.as_str() {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Ident(word),
            });
        }
    }
    toks.push(Tok::End);
    toks
}

fn special_token(c: char, followed_by_eq: bool) -> Tok {
    match (c, followed_by_eq) {
        ('!', true) => Tok::NotEq,
        ('=', true) => Tok::DoubleEq,
        ('!', false) => Tok::Bang,
        ('=', false) => Tok::Eq,
        ('(', _) => Tok::Open,
        (')', _) => Tok::Close,
        (',', _) => Tok::Comma,
        ('>', _) => Tok::Gt,
        _ => Tok::Lt,
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Where a token is read: `in`/`notin` are operators only after a key; elsewhere they are
/// plain words, so `in in (in)` is a valid selector.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    KeyAndOperator,
    Values,
}

impl Parser {
    fn new(s: &str) -> Self {
        Parser {
            toks: lex(s),
            pos: 0,
        }
    }

    fn peek(&self, ctx: Ctx) -> Tok {
        let t = self.toks.get(self.pos).cloned().unwrap_or(Tok::End);
        match (ctx, t) {
            (Ctx::Values, Tok::In) => Tok::Ident("in".to_string()),
            (Ctx::Values, Tok::NotIn) => Tok::Ident("notin".to_string()),
            (_, t) => t,
        }
    }

    fn next(&mut self, ctx: Ctx) -> Tok {
        let t = self.peek(ctx);
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn parse(mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            match self.peek(Ctx::Values) {
                Tok::Ident(_) | Tok::Bang => {}
                Tok::End => return Ok(reqs),
                t => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        t.literal()
                    ));
                }
            }
            reqs.push(
                self.requirement()
                    .map_err(|e| format!("unable to parse requirement: {e}"))?,
            );
            match self.next(Ctx::Values) {
                Tok::End => return Ok(reqs),
                Tok::Comma => {
                    let t = self.peek(Ctx::Values);
                    if !matches!(t, Tok::Ident(_) | Tok::Bang) {
                        return Err(format!(
                            "found '{}', expected: identifier after ','",
                            t.literal()
                        ));
                    }
                }
                t => {
                    return Err(format!(
                        "found '{}', expected: ',' or 'end of string'",
                        t.literal()
                    ));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (key, unary) = self.key_and_unary_operator()?;
        if let Some(op) = unary {
            return requirement_of(&key, op, Vec::new());
        }
        let op = self.operator()?;
        let values = match op {
            Op::In | Op::NotIn => self.value_set()?,
            _ => vec![self.exact_value()?],
        };
        requirement_of(&key, op, values)
    }

    /// The key, and `Exists`/`DoesNotExist` when no binary operator follows.
    fn key_and_unary_operator(&mut self) -> Result<(String, Option<Op>), String> {
        let mut tok = self.next(Ctx::Values);
        let negated = tok == Tok::Bang;
        if negated {
            tok = self.next(Ctx::Values);
        }
        let Tok::Ident(key) = tok else {
            return Err(format!("found '{}', expected: identifier", tok.literal()));
        };
        let key_errs = qualified_name_errors(&key);
        if !key_errs.is_empty() {
            // The parser validates keys with a nil field path, which Go prints as "<nil>".
            return Err(invalid("<nil>", &go_quote(&key), &key_errs.join("; ")));
        }
        if negated {
            return Ok((key, Some(Op::DoesNotExist)));
        }
        let ends = matches!(self.peek(Ctx::Values), Tok::End | Tok::Comma);
        Ok((key, ends.then_some(Op::Exists)))
    }

    fn operator(&mut self) -> Result<Op, String> {
        match self.next(Ctx::KeyAndOperator) {
            Tok::In => Ok(Op::In),
            Tok::NotIn => Ok(Op::NotIn),
            Tok::Eq | Tok::DoubleEq => Ok(Op::Equals),
            Tok::NotEq => Ok(Op::NotEquals),
            Tok::Gt => Ok(Op::GreaterThan),
            Tok::Lt => Ok(Op::LessThan),
            t => Err(format!(
                "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                t.literal()
            )),
        }
    }

    /// `(a,b,c)`; empty entries such as `(a,)` stand for the empty value.
    fn value_set(&mut self) -> Result<Vec<String>, String> {
        let open = self.next(Ctx::Values);
        if open != Tok::Open {
            return Err(format!("found '{}' expected: '('", open.literal()));
        }
        match self.peek(Ctx::Values) {
            Tok::Close => {
                self.next(Ctx::Values);
                Ok(vec![String::new()])
            }
            Tok::Ident(_) | Tok::Comma => {
                let set = self.identifier_list()?;
                let close = self.next(Ctx::Values);
                if close != Tok::Close {
                    return Err(format!("found '{}', expected: ')'", close.literal()));
                }
                Ok(set)
            }
            t => Err(format!(
                "found '{}', expected: ',', ')' or identifier",
                t.literal()
            )),
        }
    }

    fn identifier_list(&mut self) -> Result<Vec<String>, String> {
        let mut set = Vec::new();
        loop {
            match self.next(Ctx::Values) {
                Tok::Ident(v) => {
                    set.push(v);
                    match self.peek(Ctx::Values) {
                        Tok::Comma => continue,
                        Tok::Close => return Ok(set),
                        t => return Err(format!("found '{}', expected: ',' or ')'", t.literal())),
                    }
                }
                Tok::Comma => {
                    // A comma with nothing before or after it is an empty value.
                    if set.is_empty() {
                        set.push(String::new());
                    }
                    match self.peek(Ctx::Values) {
                        Tok::Close => {
                            set.push(String::new());
                            return Ok(set);
                        }
                        Tok::Comma => {
                            self.next(Ctx::Values);
                            set.push(String::new());
                        }
                        _ => {}
                    }
                }
                t => {
                    return Err(format!(
                        "found '{}', expected: ',', or identifier",
                        t.literal()
                    ));
                }
            }
        }
    }

    /// The value after `=`, `!=`, `>`, `<`; nothing before `,` or the end means "".
    fn exact_value(&mut self) -> Result<String, String> {
        if matches!(self.peek(Ctx::Values), Tok::End | Tok::Comma) {
            return Ok(String::new());
        }
        match self.next(Ctx::Values) {
            Tok::Ident(v) => Ok(v),
            t => Err(format!("found '{}', expected: identifier", t.literal())),
        }
    }
}

fn requirement_of(key: &str, op: Op, values: Vec<String>) -> Result<Requirement, String> {
    new_requirement(key, op, values, "").map_err(|e| e.message)
}

mod field;
pub use field::FieldSelector;

#[cfg(test)]
mod tests;
