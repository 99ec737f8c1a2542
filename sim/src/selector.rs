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

// ---------------------------------------------------------------------------------------------
// Field selectors.

/// A field selector: `field=value` / `field!=value` terms that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
    /// The resource the labels were checked against; decides how values are read.
    resource: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldTerm {
    field: String,
    value: String,
    negated: bool,
}

/// How a resource words an unsupported field label.
#[derive(Clone, Copy)]
enum Wording {
    /// The generic conversion: `"foo" is not a known field selector: only ...`.
    Default,
    /// Core kinds with their own conversion: `field label not supported: foo`.
    NotSupported,
    /// Jobs: `field label "foo" not supported for batchv1.Job`.
    Job,
}

const META: &[&str] = &["metadata.name", "metadata.namespace"];
const POD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.podIPs",
    "status.nominatedNodeName",
];
const EVENT_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
];

/// The selectable fields of a resource (plural name, group suffix ignored).
fn selectable_fields(resource: &str) -> (&'static [&'static str], Wording) {
    let plural = resource
        .split('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match plural.as_str() {
        "pods" => (POD_FIELDS, Wording::NotSupported),
        "events" => (EVENT_FIELDS, Wording::NotSupported),
        "nodes" => (
            &["metadata.name", "spec.unschedulable"],
            Wording::NotSupported,
        ),
        "namespaces" => (&["metadata.name", "status.phase"], Wording::NotSupported),
        "secrets" => (
            &["metadata.name", "metadata.namespace", "type"],
            Wording::NotSupported,
        ),
        "replicationcontrollers" | "replicasets" => (
            &["metadata.name", "metadata.namespace", "status.replicas"],
            Wording::NotSupported,
        ),
        "jobs" => (
            &["metadata.name", "metadata.namespace", "status.successful"],
            Wording::Job,
        ),
        "certificatesigningrequests" => {
            (&["metadata.name", "spec.signerName"], Wording::NotSupported)
        }
        _ => (META, Wording::Default),
    }
}

/// Check a field label against the resource, translating legacy aliases.
fn convert_label(resource: &str, label: &str) -> Result<String, String> {
    let (fields, wording) = selectable_fields(resource);
    if fields.contains(&label) {
        return Ok(label.to_string());
    }
    // Old clients said spec.host for a pod's node.
    if label == "spec.host" && fields == POD_FIELDS {
        return Ok("spec.nodeName".to_string());
    }
    Err(match wording {
        Wording::Default => {
            format!(
                "{label:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            )
        }
        Wording::NotSupported => format!("field label not supported: {label}"),
        Wording::Job => format!("field label {label:?} not supported for batchv1.Job"),
    })
}

/// Split on commas not escaped by a backslash.
fn split_terms(s: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            terms.push(&s[start..i]);
            start = i + 1;
        }
    }
    terms.push(&s[start..]);
    terms
}

/// `lhs op rhs` at the first operator; `!=` and `==` win over `=` at the same spot.
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if let Some(rhs) = rest.strip_prefix(op) {
                return Some((&term[..i], op, rhs));
            }
        }
    }
    None
}

/// Undo `\\`, `\,`, `\=`; a bare `,` or `=` in a value is an error, as is any other escape.
fn unescape_value(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(format!(
                    "invalid field selector: invalid escape sequence: \\{c}"
                ));
            }
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if matches!(c, ',' | '=') {
            // Go prints the rune with %v, i.e. as its number.
            return Err(format!(
                "invalid field selector: unescaped character in value: {}",
                c as u32
            ));
        } else {
            out.push(c);
        }
    }
    if escaped {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

impl FieldSelector {
    /// Parse `metadata.name=x,metadata.namespace!=y,...` (also `==`) for `resource` (plural,
    /// e.g. "pods"). Syntax errors come first, then unsupported labels, as on the server; the
    /// terms are checked in sorted order, so the same term is reported.
    pub fn parse(s: &str, resource: &str) -> Result<Self, ApiError> {
        Self::parse_terms(s, resource).map_err(ApiError::bad_request)
    }

    fn parse_terms(s: &str, resource: &str) -> Result<Self, String> {
        let mut parts = if s.is_empty() {
            Vec::new()
        } else {
            split_terms(s)
        };
        parts.sort_unstable();
        let mut terms = Vec::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            terms.push(FieldTerm {
                field: lhs.to_string(),
                value: unescape_value(rhs)?,
                negated: op == "!=",
            });
        }
        for term in &mut terms {
            term.field = convert_label(resource, &term.field)?;
        }
        Ok(FieldSelector {
            terms,
            resource: resource.to_string(),
        })
    }

    /// Whether `obj` has every field value the selector asks for (a missing field reads as
    /// the Go zero value, so `spec.nodeName=` finds unscheduled pods).
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms
            .iter()
            .all(|t| (field_value(obj, &t.field) == t.value) != t.negated)
    }

    /// The name the selector pins with `metadata.name=`, letting the store narrow a list.
    pub fn name(&self) -> Option<&str> {
        self.pinned("metadata.name")
    }

    /// The namespace the selector pins with `metadata.namespace=`.
    pub fn namespace(&self) -> Option<&str> {
        self.pinned("metadata.namespace")
    }

    /// True when there are no terms (everything matches).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The resource this selector was parsed for.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    fn pinned(&self, field: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.field == field && !t.negated)
            .map(|t| t.value.as_str())
    }
}

/// The string the server's field set holds for `label` on `obj`.
fn field_value(obj: &Value, label: &str) -> String {
    match label {
        "source" => string_at(obj, &["source", "component"], ""),
        "status.podIPs" => pod_ips(obj),
        // Go bools and ints print their zero value when absent.
        "spec.hostNetwork" | "spec.unschedulable" => string_at(obj, &dotted(label), "false"),
        "status.replicas" | "status.successful" => string_at(obj, &dotted(label), "0"),
        _ => string_at(obj, &dotted(label), ""),
    }
}

fn dotted(label: &str) -> Vec<&str> {
    label.split('.').collect()
}

fn string_at(obj: &Value, path: &[&str], zero: &str) -> String {
    let found = path.iter().try_fold(obj, |v, k| v.get(k));
    match found {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => zero.to_string(),
    }
}

/// All pod IPs, comma-joined (the order the kubelet reported them).
fn pod_ips(obj: &Value) -> String {
    let ips = obj.pointer("/status/podIPs").and_then(Value::as_array);
    let ips: Vec<&str> = ips
        .into_iter()
        .flatten()
        .filter_map(|ip| ip.get("ip")?.as_str())
        .collect();
    ips.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn sel(s: &str) -> LabelSelector {
        LabelSelector::parse(s).unwrap()
    }

    fn parse_err(s: &str) -> String {
        let e = LabelSelector::parse(s).unwrap_err();
        assert_eq!((e.code, e.reason), (400, "BadRequest"));
        e.message
    }

    #[test]
    fn all_label_operators() {
        let l = labels(json!({"app": "web", "tier": "front", "n": "5"}));
        let cases = [
            ("", true),
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("missing!=x", true),
            ("tier in (front,back)", true),
            ("tier notin (front)", false),
            ("missing notin (front)", true),
            ("app", true),
            ("!app", false),
            ("!missing", true),
            ("n>4", true),
            ("n<5", false),
            ("app>1", false),
            ("app=web,tier=back", false),
            ("  app = web ,  tier  in  ( front , back )  ", true),
        ];
        for (s, want) in cases {
            assert_eq!(sel(s).matches(Some(&l)), want, "{s}");
        }
        assert!(sel("!app").matches(None));
        assert!(sel("").is_empty());
        assert!(!sel("a").is_empty());
    }

    #[test]
    fn in_and_notin_are_words_where_values_go() {
        let l = labels(json!({"in": "notin"}));
        assert!(sel("in in (notin)").matches(Some(&l)));
        assert!(sel("in=notin").matches(Some(&l)));
    }

    #[test]
    fn empty_values() {
        let l = labels(json!({"a": ""}));
        assert!(sel("a=").matches(Some(&l)));
        assert!(sel("a in (,x)").matches(Some(&l)));
        assert!(sel("a in ()").matches(Some(&l)));
    }

    #[test]
    fn label_parse_errors() {
        assert_eq!(
            parse_err("a in b"),
            "unable to parse requirement: found 'b' expected: '('"
        );
        assert_eq!(
            parse_err("a in (b"),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            parse_err("a b"),
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            parse_err("a=b c"),
            "found 'c', expected: ',' or 'end of string'"
        );
        assert_eq!(
            parse_err("!a=b"),
            "found '=', expected: ',' or 'end of string'"
        );
        assert_eq!(parse_err("a,"), "found '', expected: identifier after ','");
        assert_eq!(
            parse_err("=a"),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            parse_err("a=(b)"),
            "unable to parse requirement: found '(', expected: identifier"
        );
        assert_eq!(
            parse_err("a foo b"),
            "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            parse_err("a>b"),
            "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"
        );
        assert_eq!(
            parse_err("a_=b"),
            "unable to parse requirement: <nil>: Invalid value: \"a_\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
        assert_eq!(
            parse_err("a=b_"),
            "unable to parse requirement: values[0][a]: Invalid value: \"b_\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        assert!(parse_err("Example.com/x=y").contains("prefix part a lowercase RFC 1123 subdomain"));
        assert!(LabelSelector::parse("example.com/app=y,k8s.io/x notin (a)").is_ok());
    }

    #[test]
    fn label_selector_from_object() {
        let s = LabelSelector::from_object(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["front", "back"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "team", "operator": "Exists"}
            ]
        }))
        .unwrap();
        assert!(s.matches(Some(&labels(
            json!({"app": "web", "tier": "back", "team": "a"})
        ))));
        assert!(!s.matches(Some(&labels(
            json!({"app": "web", "tier": "back", "team": "a", "canary": "1"})
        ))));
        assert!(!s.matches(Some(&labels(
            json!({"app": "web", "tier": "back", "team": "a", "env": "prod"})
        ))));
        assert!(!s.matches(Some(&labels(
            json!({"app": "web", "tier": "mid", "team": "a"})
        ))));

        assert!(LabelSelector::from_object(&json!({}))
            .unwrap()
            .matches(None));
        assert!(!LabelSelector::from_object(&Value::Null)
            .unwrap()
            .matches(None));
        let e = LabelSelector::from_object(
            &json!({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "\"Bogus\" is not a valid label selector operator"
        );
        let e = LabelSelector::from_object(
            &json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"
        );
    }

    #[test]
    fn label_selector_from_map() {
        let s = LabelSelector::from_map(&labels(json!({"app": "web"})));
        assert!(s.matches(Some(&labels(json!({"app": "web", "x": "y"})))));
        assert!(!s.matches(Some(&labels(json!({"app": "db"})))));
        let none = LabelSelector::from_map(&Map::new());
        assert!(!none.matches(Some(&labels(json!({"app": "web"})))));
        assert!(!none.is_empty());
    }

    fn pod() -> Value {
        json!({"metadata": {"name": "web-1", "namespace": "shop"},
               "spec": {"nodeName": "node-a", "restartPolicy": "Always"},
               "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.1"}]}})
    }

    #[test]
    fn field_selector_matching() {
        let fs = |s: &str| FieldSelector::parse(s, "pods").unwrap();
        assert!(fs("").matches(&pod()));
        assert!(fs("metadata.name=web-1").matches(&pod()));
        assert!(fs("metadata.name==web-1,metadata.namespace!=kube-system").matches(&pod()));
        assert!(fs("status.phase=Running,spec.nodeName=node-a").matches(&pod()));
        assert!(!fs("status.phase!=Running").matches(&pod()));
        assert!(fs("spec.hostNetwork=false").matches(&pod()));
        assert!(fs("spec.host=node-a").matches(&pod()));
        assert!(fs("status.podIPs=10.0.0.1").matches(&pod()));
        assert!(!fs("spec.schedulerName=x").matches(&pod()));
        assert!(fs("status.nominatedNodeName=").matches(&pod()));
        let named = fs("metadata.namespace=shop,metadata.name=web-1");
        assert_eq!(
            (named.name(), named.namespace()),
            (Some("web-1"), Some("shop"))
        );
        assert_eq!(fs("metadata.name!=x").name(), None);

        let ev = json!({"involvedObject": {"kind": "Pod", "name": "web-1"}, "reason": "Started",
                        "type": "Normal", "source": {"component": "kubelet"}});
        let fe = |s: &str| FieldSelector::parse(s, "events").unwrap().matches(&ev);
        assert!(fe(
            "involvedObject.kind=Pod,involvedObject.name=web-1,reason=Started"
        ));
        assert!(fe("type=Normal,source=kubelet"));
        assert!(!fe("type=Warning"));
        assert!(FieldSelector::parse("metadata.name=a\\,b", "configmaps")
            .unwrap()
            .matches(&json!({"metadata": {"name": "a,b"}})));
    }

    #[test]
    fn field_selector_errors() {
        let err = |s: &str, r: &str| FieldSelector::parse(s, r).unwrap_err();
        let e = err("foo=bar", "pods");
        assert_eq!(
            (e.code, e.message.as_str()),
            (400, "field label not supported: foo")
        );
        assert_eq!(
            err("foo=bar", "configmaps").message,
            "\"foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        assert_eq!(
            err("spec.nodeName=x", "deployments.apps").message,
            err("spec.nodeName=x", "deployments").message
        );
        assert_eq!(
            err("status.phase=x", "jobs").message,
            "field label \"status.phase\" not supported for batchv1.Job"
        );
        assert_eq!(
            err("abc", "pods").message,
            "invalid selector: 'abc'; can't understand 'abc'"
        );
        assert_eq!(
            err("a=b=c", "pods").message,
            "invalid field selector: unescaped character in value: 61"
        );
        assert_eq!(
            err("a=b\\x", "pods").message,
            "invalid field selector: invalid escape sequence: \\x"
        );
        // Spaces are not trimmed by the server either.
        assert_eq!(
            err("metadata.name = x", "pods").message,
            "field label not supported: metadata.name "
        );
    }
}
