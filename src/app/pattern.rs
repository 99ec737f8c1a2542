//! The one pattern language of kterm's filters: the pod filter, the resource-list filter and
//! the log filter (plain lines, no columns) all parse and match through here.
//!
//! One term: `[!][column:]pattern`.
//! - `column` is `ns`, `name`, `status` or `node`; without it the term is tried against the
//!   namespace, the name and the status. Plain lines have no columns.
//! - `pattern` is a case-insensitive regex if it holds any of `^$*+?()[]{}|\` , otherwise a
//!   case-insensitive substring (`.` alone stays a substring so node names read literally).
//! - `!` keeps what does not match.
//!
//! A pattern is bounded: at most `MAX_CHARS` characters, and a regex whose compiled program or
//! lazy DFA would outgrow `COMPILED_LIMIT` is refused. The filter is re-applied on every
//! keystroke, so an unbounded one (a 10,000-character paste) cost seconds of CPU per key.

use regex::{Regex, RegexBuilder};

use crate::kube::pods::PodRow;
use crate::kube::text::clip;

/// The longest pattern accepted, in characters; longer is surely a paste gone wrong.
pub const MAX_CHARS: usize = 1000;

/// The most memory a regex may compile to (its program, and its lazy DFA's cache).
pub const COMPILED_LIMIT: usize = 1 << 20;

/// How much of a refused pattern a sentence quotes.
const QUOTED_CHARS: usize = 40;

const REGEX_CHARS: &[char] = &[
    '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\',
];

/// A case-insensitive substring or regex that matches one string.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// Lower-cased needle.
    Substring(String),
    /// A regex, compiled case-insensitive within the size limits.
    Regex(Regex),
}

impl Pattern {
    /// Parses `text` (a regex when it holds a regex character); `Err` is one sentence.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            return Err(format!(
                "That pattern is too long ({chars} characters; the most is {MAX_CHARS})."
            ));
        }
        if !text.contains(REGEX_CHARS) {
            return Ok(Pattern::Substring(text.to_lowercase()));
        }
        compile(text, text, true).map(Pattern::Regex)
    }

    /// Parses a pattern for log lines: always compiled (a substring is escaped), so matching a
    /// whole ring allocates nothing and matches can be highlighted; case-insensitive unless
    /// `case_sensitive`.
    pub fn parse_lines(text: &str, case_sensitive: bool) -> Result<Pattern, String> {
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            return Err(format!(
                "That pattern is too long ({chars} characters; the most is {MAX_CHARS})."
            ));
        }
        let source = if text.contains(REGEX_CHARS) {
            text.to_string()
        } else {
            regex::escape(text)
        };
        compile(&source, text, !case_sensitive).map(Pattern::Regex)
    }

    /// Byte ranges of the matches in `text`, for highlighting (none for a substring pattern).
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        match self {
            Pattern::Regex(re) => re
                .find_iter(text)
                .filter(|m| !m.is_empty())
                .map(|m| (m.start(), m.end()))
                .collect(),
            Pattern::Substring(_) => Vec::new(),
        }
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Substring(needle) => contains_ignore_case(text, needle),
            Pattern::Regex(re) => re.is_match(text),
        }
    }

    /// Whether everything `narrower` matches is also matched by this one (one more letter of a
    /// substring), so `narrower` only has to look at what this one kept.
    pub fn is_narrowed_by(&self, narrower: &Pattern) -> bool {
        match (self, narrower) {
            (Pattern::Substring(old), Pattern::Substring(new)) => new.contains(old.as_str()),
            _ => false,
        }
    }
}

/// Which cells a filter term looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterScope {
    /// Namespace, name and status (or the whole line of a plain filter).
    Any,
    /// Only the namespace.
    Namespace,
    /// Only the name.
    Name,
    /// Only the status.
    Status,
    /// Only the node.
    Node,
}

/// A substring filter term as a search of lower-cased cell text (`app::haystack`).
#[derive(Clone, Copy, Debug)]
pub struct CellQuery<'f> {
    /// The lower-cased needle.
    pub needle: &'f [u8],
    /// The cell it must be found in (0 namespace, 1 name, 2 status), or any of them.
    pub cell: Option<usize>,
    /// Whether the rows without it are kept.
    pub invert: bool,
}

/// A parsed filter term: a pattern, perhaps scoped to a column, perhaps inverted.
#[derive(Clone, Debug)]
pub struct Filter {
    /// What the user typed.
    pub text: String,
    scope: FilterScope,
    invert: bool,
    pattern: Pattern,
}

impl Filter {
    /// Parses a table filter `[!][column:]pattern`; `Ok(None)` for an empty filter, `Err` with
    /// one sentence for a pattern that cannot be used.
    pub fn parse(text: &str) -> Result<Option<Filter>, String> {
        let (invert, rest) = split_invert(text);
        let (scope, pattern) = match rest.split_once(':') {
            Some(("ns", p)) => (FilterScope::Namespace, p),
            Some(("name", p)) => (FilterScope::Name, p),
            Some(("status", p)) => (FilterScope::Status, p),
            Some(("node", p)) => (FilterScope::Node, p),
            _ => (FilterScope::Any, rest),
        };
        if pattern.is_empty() && !invert && scope == FilterScope::Any {
            return Ok(None);
        }
        Ok(Some(Filter {
            text: text.to_string(),
            scope,
            invert,
            pattern: Pattern::parse(pattern)?,
        }))
    }

    /// Parses a log filter `[!]pattern`, case-insensitive unless `case_sensitive`; plain lines
    /// have no columns, so a `word:` is part of the pattern.
    pub fn parse_log(text: &str, case_sensitive: bool) -> Result<Option<Filter>, String> {
        let (invert, pattern) = split_invert(text);
        if pattern.is_empty() && !invert {
            return Ok(None);
        }
        Ok(Some(Filter {
            text: text.to_string(),
            scope: FilterScope::Any,
            invert,
            pattern: Pattern::parse_lines(pattern, case_sensitive)?,
        }))
    }

    /// For log filters (`parse_log`): whether every line `narrower` keeps is kept by this one
    /// too — one more letter of a plain substring, compared as the case rule compares — so
    /// only this one's hits need testing.
    pub fn log_narrowed_by(&self, narrower: &Filter, case_sensitive: bool) -> bool {
        let plain = |f: &Filter| !f.invert && !f.text.contains(REGEX_CHARS);
        if !plain(self) || !plain(narrower) {
            return false;
        }
        if case_sensitive {
            narrower.text.contains(self.text.as_str())
        } else {
            narrower
                .text
                .to_lowercase()
                .contains(&self.text.to_lowercase())
        }
    }

    /// Whether a line made of several parts is shown: any part matching counts as a match
    /// (a log line's pod tag and its text), and `!` inverts the whole.
    pub fn matches_any(&self, parts: &[&str]) -> bool {
        parts.iter().any(|p| self.pattern.is_match(p)) != self.invert
    }

    /// Whether a plain line is shown.
    pub fn matches_line(&self, line: &str) -> bool {
        self.pattern.is_match(line) != self.invert
    }

    /// Whether `row` is shown.
    pub fn matches(&self, row: &PodRow) -> bool {
        let hit = |cell: &str| self.pattern.is_match(cell);
        let found = match self.scope {
            FilterScope::Any => hit(&row.namespace) || hit(&row.name) || hit(&row.status),
            FilterScope::Namespace => hit(&row.namespace),
            FilterScope::Name => hit(&row.name),
            FilterScope::Status => hit(&row.status),
            FilterScope::Node => hit(&row.node),
        };
        found != self.invert
    }

    /// The filter as a search of lower-cased namespace, name and status text; `None` for a
    /// regex or a `node:` term, which are tested on the rows.
    pub fn cell_query(&self) -> Option<CellQuery<'_>> {
        let Pattern::Substring(needle) = &self.pattern else {
            return None;
        };
        let cell = match self.scope {
            FilterScope::Any => None,
            FilterScope::Namespace => Some(0),
            FilterScope::Name => Some(1),
            FilterScope::Status => Some(2),
            FilterScope::Node => return None,
        };
        Some(CellQuery {
            needle: needle.as_bytes(),
            cell,
            invert: self.invert,
        })
    }

    /// Whether an object of another kind is shown, by its namespace and name; `status:` and
    /// `node:` terms name pod columns, so they find nothing there.
    pub fn matches_object(&self, namespace: &str, name: &str) -> bool {
        let hit = |cell: &str| self.pattern.is_match(cell);
        let found = match self.scope {
            FilterScope::Any => hit(namespace) || hit(name),
            FilterScope::Namespace => hit(namespace),
            FilterScope::Name => hit(name),
            FilterScope::Status | FilterScope::Node => false,
        };
        found != self.invert
    }

    /// Whether every row this filter shows is also shown by `narrower`, so `narrower` only has
    /// to look at the rows this one kept (typing one more letter of a substring).
    pub fn is_narrowed_by(&self, narrower: &Filter) -> bool {
        !self.invert
            && !narrower.invert
            && self.scope == narrower.scope
            && self.pattern.is_narrowed_by(&narrower.pattern)
    }
}

/// Compiles `source` within the size limits; `shown` is what the user typed, for the sentence.
fn compile(source: &str, shown: &str, ignore_case: bool) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .case_insensitive(ignore_case)
        .size_limit(COMPILED_LIMIT)
        .dfa_size_limit(COMPILED_LIMIT)
        .build()
        .map_err(|error| match error {
            regex::Error::CompiledTooBig(_) => format!(
                "That regex is too big to match quickly (over {} MB compiled); make it simpler.",
                COMPILED_LIMIT >> 20
            ),
            _ => format!(
                "\"{}\" is not a valid regex; the previous filter stays.",
                clip(shown, QUOTED_CHARS)
            ),
        })
}

fn split_invert(text: &str) -> (bool, &str) {
    match text.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

/// `needle` is lower-cased already. ASCII cells (names, namespaces, statuses) are searched in
/// place, either case of the needle's first byte found by memchr; only other cells are
/// lower-cased. A filter keystroke over 150,000 pods tests up to 450,000 cells: allocating
/// for every "Running" and the two-way searcher's setup per cell cost 30-80 ms (P11).
fn contains_ignore_case(cell: &str, needle: &str) -> bool {
    let (hay, pin) = (cell.as_bytes(), needle.as_bytes());
    if !(cell.is_ascii() && needle.is_ascii()) {
        return cell.to_lowercase().contains(needle);
    }
    let Some(&first) = pin.first() else {
        return true;
    };
    if pin.len() > hay.len() {
        return false;
    }
    let starts = &hay[..=hay.len() - pin.len()];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), starts)
        .any(|i| hay[i..i + pin.len()].eq_ignore_ascii_case(pin))
}

#[cfg(test)]
mod tests {
    use super::{contains_ignore_case, Filter, Pattern, MAX_CHARS};

    #[test]
    fn substrings_match_in_place_in_either_case() {
        assert!(contains_ignore_case("CrashLoopBackOff", "loopb"));
        assert!(contains_ignore_case("Running", "ing"), "at the very end");
        assert!(
            contains_ignore_case("lockserver-x", "lockserver-x"),
            "the whole cell"
        );
        assert!(
            !contains_ignore_case("Run", "running"),
            "longer than the cell"
        );
        assert!(!contains_ignore_case("Running", "ruin"));
        assert!(
            contains_ignore_case("ÉTÉ-pod", "été"),
            "non-ASCII is lower-cased"
        );
        assert!(contains_ignore_case("anything", ""));
    }
    use crate::kube::pods::PodRow;

    fn row(ns: &str, name: &str, status: &str, node: &str) -> PodRow {
        PodRow {
            namespace: ns.into(),
            name: name.into(),
            status: status.into(),
            node: node.into(),
            ..PodRow::default()
        }
    }

    fn filter(text: &str) -> Filter {
        match Filter::parse(text) {
            Ok(Some(f)) => f,
            other => panic!("{text:?} should parse, got {other:?}"),
        }
    }

    #[test]
    fn substrings_and_regexes_ignore_case() {
        let p = |t: &str| Pattern::parse(t).unwrap_or_else(|e| panic!("{e}"));
        assert!(p("App").is_match("appserver-0"));
        assert!(p("node.a").is_match("node.a") && !p("node.a").is_match("nodexa"));
        assert!(p("^app.*-0$").is_match("APPSERVER-0"));
        assert!(!p("^app$").is_match("appserver"));
    }

    #[test]
    fn columns_scope_and_bang_inverts() {
        let r = row("c2a7dv", "appserver-0", "CrashLoopBackOff", "node-a");
        assert!(filter("crash").matches(&r));
        assert!(!filter("name:crash").matches(&r));
        assert!(filter("status:^crash").matches(&r));
        assert!(filter("node:node-a").matches(&r) && !filter("!node:node-a").matches(&r));
        assert!(filter("ns:c2a").matches_object("c2a7dv", "web"));
        assert!(!filter("status:x").matches_object("c2a7dv", "x"));
        assert!(matches!(Filter::parse(""), Ok(None)));
    }

    #[test]
    fn plain_lines_have_no_columns() {
        let f = Filter::parse_log("name:foo", false).ok().flatten();
        assert!(f
            .as_ref()
            .is_some_and(|f| f.matches_line("the name:foo field")));
        let f = Filter::parse_log("!error", false).ok().flatten();
        assert!(f
            .as_ref()
            .is_some_and(|f| f.matches_line("all good") && !f.matches_line("ERROR")));
        let log = |t: &str| Filter::parse_log(t, false).ok().flatten();
        let (mem, memo) = (log("Mem"), log("memo"));
        assert!(mem
            .zip(memo)
            .is_some_and(|(a, b)| a.log_narrowed_by(&b, false)));
        let (mem, memo) = (log("Mem"), log("memo"));
        assert!(!mem
            .zip(memo)
            .is_some_and(|(a, b)| a.log_narrowed_by(&b, true)));
        let (a, b) = (log("mem"), log("me(m|o)"));
        assert!(!a.zip(b).is_some_and(|(a, b)| a.log_narrowed_by(&b, false)));
        let exact = Filter::parse_log("ERROR", true).ok().flatten();
        assert!(exact
            .as_ref()
            .is_some_and(|f| f.matches_line("[ERROR] x") && !f.matches_line("error x")));
        assert!(matches!(Filter::parse_log("", false), Ok(None)));
    }

    #[test]
    fn one_more_letter_narrows() {
        assert!(filter("app").is_narrowed_by(&filter("apps")));
        assert!(!filter("app").is_narrowed_by(&filter("ap")));
        assert!(!filter("!app").is_narrowed_by(&filter("!apps")));
        assert!(!filter("ns:app").is_narrowed_by(&filter("apps")));
    }

    #[test]
    fn a_pattern_too_long_is_refused_with_its_length() {
        let long = "a".repeat(10_000);
        let err = Filter::parse(&long).err();
        assert_eq!(
            err.as_deref(),
            Some("That pattern is too long (10000 characters; the most is 1000).")
        );
        assert!(Pattern::parse(&"a".repeat(MAX_CHARS)).is_ok());
    }

    #[test]
    fn a_regex_too_big_compiled_is_refused() {
        // Short, but each bounded repetition multiplies the program.
        let err = Pattern::parse("(\\w{100}){100}").err().unwrap_or_default();
        assert!(err.starts_with("That regex is too big"), "{err}");
    }

    #[test]
    fn an_invalid_regex_is_quoted_short() {
        let text = format!("({}", "x".repeat(500));
        let err = Pattern::parse(&text).err().unwrap_or_default();
        assert!(
            err.contains("is not a valid regex") && err.len() < 120,
            "{err}"
        );
    }
}
