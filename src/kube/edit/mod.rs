//! The pure parts of `kubectl edit`: the text the editor shows, reading it back, the error
//! block put on top when it is reopened, the paths a change touched, and re-applying a change
//! onto an object that changed meanwhile (`merge::three_way`). No IO here; the app's edit task
//! does the files, the editor and the requests.

mod merge;
mod paths;

pub use merge::three_way;
pub use paths::changed_paths;

use serde_json::Value;

/// kubectl's header, so the file reads the way a `kubectl edit` user expects.
const HEADER: &str = "\
# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
";

/// The first line of the error block kterm puts on top of a reopened file.
const ERROR_START: &str = "# kterm could not save this edit:";
/// The last line of that block.
const ERROR_END: &str =
    "# Fix the text below and save to try again; quit without saving to give up (the file is kept).";

/// The object as the user edits it: without `status` and `metadata.managedFields`.
pub fn editable(object: &Value) -> Value {
    let mut copy = object.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("managedFields");
        }
    }
    copy
}

/// The file the editor opens: kubectl's header, then the editable object as YAML, keys in
/// the order kubectl prints them (sorted, as `kubectl get -o yaml`).
pub fn render(object: &Value) -> String {
    render_with_note(object, None)
}

/// `render` with one more comment line in the header (the path of the user's side file).
pub fn render_with_note(object: &Value, note: Option<&str>) -> String {
    let mut text = String::from(HEADER);
    if let Some(note) = note {
        for line in note.lines() {
            text.push_str("# ");
            text.push_str(line);
            text.push('\n');
        }
        text.push_str("#\n");
    }
    text.push_str(&super::yaml::to_yaml(&editable(object), false));
    text
}

/// Reads the saved text back. Comment lines are ignored (YAML comments). A YAML error is one
/// sentence naming the line as it will stand once `with_error` has put its (one-message) block
/// on top, so the number matches the reopened file.
pub fn parse(text: &str) -> Result<Value, String> {
    let body = strip_error_block(text);
    let shift = error_block(&["x"]).lines().count();
    let value: Value = serde_yaml::from_str(body).map_err(|e| {
        let problem = one_line(&e.to_string());
        // serde_yaml repeats the position at the end of its message; the sentence says it once.
        let problem = problem
            .split(" at line ")
            .next()
            .unwrap_or(&problem)
            .to_string();
        match e.location() {
            Some(at) => format!(
                "The YAML is not valid at line {}, column {}: {problem}.",
                at.line() + shift,
                at.column()
            ),
            None => format!("The YAML is not valid: {problem}."),
        }
    })?;
    match value {
        Value::Object(_) => Ok(value),
        Value::Null => Ok(Value::Null),
        _ => {
            Err("The YAML is not an object; it must start with apiVersion, kind, metadata.".into())
        }
    }
}

/// What the saved text means.
#[derive(Clone, Debug, PartialEq)]
pub enum Saved {
    /// Nothing changed, or the file was emptied: the edit is cancelled.
    Unchanged,
    /// The text could not be read; one sentence.
    Broken(String),
    /// The object to save and the paths changed.
    Changed {
        /// The edited object.
        object: Value,
        /// The paths that differ from the object as opened.
        changed: Vec<String>,
    },
}

/// Judges the saved `text` against the object it was opened from.
pub fn judge(original: &Value, text: &str) -> Saved {
    match parse(text) {
        Err(sentence) => Saved::Broken(sentence),
        Ok(Value::Null) => Saved::Unchanged,
        Ok(mut edited) => {
            let changed = changed_paths(&editable(original), &edited);
            if changed.is_empty() {
                return Saved::Unchanged;
            }
            // The status was left out of the text, not removed: a kind without a status
            // subresource would lose it on the PUT.
            if let (Some(map), Some(status)) = (edited.as_object_mut(), original.get("status")) {
                map.entry("status").or_insert_with(|| status.clone());
            }
            Saved::Changed {
                object: edited,
                changed,
            }
        }
    }
}

/// The text with `error` as a `#` block on top; an earlier kterm error block is replaced and
/// the user's text below is kept byte for byte.
pub fn with_error(text: &str, error: &str) -> String {
    let lines: Vec<&str> = error.lines().collect();
    let mut out = error_block(&lines);
    out.push_str(strip_error_block(text));
    out
}

fn error_block(lines: &[&str]) -> String {
    let mut out = format!("{ERROR_START}\n");
    for line in lines {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(ERROR_END);
    out.push('\n');
    out
}

/// The text after kterm's error block, if it starts with one.
fn strip_error_block(text: &str) -> &str {
    if !text.starts_with(ERROR_START) {
        return text;
    }
    let mut rest = text;
    while let Some((line, after)) = rest.split_once('\n') {
        rest = after;
        if line.trim_end_matches('\r') == ERROR_END {
            return rest;
        }
        if !line.starts_with('#') {
            // Not our block after all (the user edited it): keep everything.
            return text;
        }
    }
    text
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
