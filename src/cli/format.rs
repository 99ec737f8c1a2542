//! Rendering `PodRow`s for `kterm get pods`: a kubectl-like table, or a stable JSON/YAML document.
//!
//! Cells come from `PodRow`'s own cell methods, so the CLI and the TUI can never disagree on
//! STATUS, RESTARTS or LAST TERMINATION.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::kube::pods::PodRow;
use crate::sanitize::sanitize_owned;

/// `-o`: how `kterm get pods` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Output {
    /// kubectl-like columns.
    #[default]
    Table,
    /// The table plus IP and NODE.
    Wide,
    /// `{"items": [...]}`, see [`PodItem`].
    Json,
    /// The same document as `json`, in YAML.
    Yaml,
}

/// Why the document could not be encoded (it cannot really happen with these types, but the
/// encoders are fallible and the conventions forbid unwrap).
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// JSON encoding failed.
    #[error("Cannot encode the pods as JSON ({0}).")]
    Json(#[from] serde_json::Error),
    /// YAML encoding failed.
    #[error("Cannot encode the pods as YAML ({0}).")]
    Yaml(#[from] serde_yaml::Error),
}

/// The `-o json|yaml` document: `{"items": [...]}`, like a Kubernetes list, so `jq '.items[]'`
/// reads the same as on kubectl output.
#[derive(Serialize, Debug)]
pub struct PodList {
    /// One entry per pod, ordered by namespace, then name.
    pub items: Vec<PodItem>,
}

/// One pod in the `-o json|yaml` document. The field names are a stable interface for scripts
/// (documented in docs/get.md); add fields, never rename or retype them.
///
/// - `namespace`, `name`: strings.
/// - `ready`: `"n/m"` as in the READY column (native sidecars count in m).
/// - `status`: STATUS as kubectl prints it (`Running`, `CrashLoopBackOff`, `Init:0/2`, …).
/// - `restarts`: integer, counted as kubectl counts them.
/// - `lastRestart`: RFC 3339 time of the latest counted restart, or null.
/// - `lastTermination`: `{reason, exitCode, finishedAt}` for the most recent previous
///   termination across containers (`finishedAt` RFC 3339 or null), or null.
/// - `node`, `ip`: strings, or null while unscheduled / without an IP.
/// - `age`: kubectl's human duration (`5m`, `3d4h`) at the time of the command.
/// - `createdAt`: RFC 3339 creation time, or null.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PodItem {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// `n/m` ready containers.
    pub ready: String,
    /// STATUS.
    pub status: String,
    /// Restart count.
    pub restarts: u32,
    /// RFC 3339, or null.
    pub last_restart: Option<String>,
    /// How a container last ended, or null.
    pub last_termination: Option<TerminationItem>,
    /// Node name, or null.
    pub node: Option<String>,
    /// Pod IP, or null.
    pub ip: Option<String>,
    /// Human age, e.g. `5m`.
    pub age: String,
    /// RFC 3339, or null.
    pub created_at: Option<String>,
}

/// `lastTermination` of a [`PodItem`].
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct TerminationItem {
    /// `OOMKilled`, `Error`, `ExitCode:1`, …
    pub reason: String,
    /// Process exit code (137 for an OOM kill).
    pub exit_code: i32,
    /// RFC 3339, or null.
    pub finished_at: Option<String>,
}

/// Seconds and a `Z`: the shape the API server itself emits, so scripts can compare strings.
fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl PodItem {
    /// The document entry for a row, ages measured at `now`.
    pub fn from_row(row: &PodRow, now: DateTime<Utc>) -> Self {
        PodItem {
            namespace: row.namespace.to_string(),
            name: row.name.to_string(),
            ready: row.ready_cell(),
            status: row.status.clone(),
            restarts: row.restarts,
            last_restart: row.last_restart.map(rfc3339),
            last_termination: row.last_termination.as_ref().map(|t| TerminationItem {
                reason: t.reason.clone(),
                exit_code: t.exit_code,
                finished_at: t.finished_at.map(rfc3339),
            }),
            node: non_empty(&row.node),
            ip: non_empty(&row.ip),
            age: row.age_cell(now),
            created_at: row.created.map(rfc3339),
        }
    }
}

/// Renders `rows` (already sorted) as `output`; `with_namespace` adds the NAMESPACE column to
/// tables, as kubectl does when more than one namespace is shown.
pub fn render(
    rows: &[PodRow],
    output: Output,
    with_namespace: bool,
    now: DateTime<Utc>,
) -> Result<String, FormatError> {
    match output {
        Output::Table | Output::Wide => {
            Ok(table(rows, output == Output::Wide, with_namespace, now))
        }
        Output::Json => {
            let mut text = serde_json::to_string_pretty(&document(rows, now))?;
            text.push('\n');
            Ok(text)
        }
        Output::Yaml => Ok(serde_yaml::to_string(&document(rows, now))?),
    }
}

fn document(rows: &[PodRow], now: DateTime<Utc>) -> PodList {
    PodList {
        items: rows.iter().map(|r| PodItem::from_row(r, now)).collect(),
    }
}

/// kubectl fills empty wide cells with `<none>` so every row has the same number of words
/// there; LAST TERMINATION stays blank like in the TUI, where most pods have none.
fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

fn table(rows: &[PodRow], wide: bool, with_namespace: bool, now: DateTime<Utc>) -> String {
    let mut header = Vec::new();
    if with_namespace {
        header.push("NAMESPACE");
    }
    header.extend([
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "LAST TERMINATION",
        "AGE",
    ]);
    if wide {
        header.extend(["IP", "NODE"]);
    }
    let mut lines: Vec<Vec<String>> = vec![header.into_iter().map(String::from).collect()];
    for row in rows {
        let mut cells = Vec::new();
        if with_namespace {
            cells.push(row.namespace.to_string());
        }
        cells.extend([
            row.name.to_string(),
            row.ready_cell(),
            row.status.clone(),
            row.restarts_cell(now),
            row.last_termination_cell(now),
            row.age_cell(now),
        ]);
        if wide {
            cells.extend([or_none(&row.ip), or_none(&row.node)]);
        }
        // The rows are exact for JSON/YAML; the table goes to a terminal.
        lines.push(cells.into_iter().map(sanitize_owned).collect());
    }
    align(&lines)
}

/// kubectl's tabwriter settings: cells padded to the widest cell plus 3 spaces, at least 6
/// wide, the last cell unpadded so lines carry no trailing blanks.
const PADDING: usize = 3;
const MIN_WIDTH: usize = 6;

/// Aligns rows of cells into columns; widths count characters, not bytes, because tenant
/// names may carry accents.
pub fn align(lines: &[Vec<String>]) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            let widest = lines
                .iter()
                .filter_map(|l| l.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0);
            (widest + PADDING).max(MIN_WIDTH)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (c, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if c + 1 < line.len() {
                let pad = widths[c].saturating_sub(cell.chars().count());
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        // A blank last cell (no LAST TERMINATION) would otherwise leave trailing spaces.
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn pads_to_widest_plus_three() {
        let lines = vec![
            vec!["NAME".to_string(), "READY".to_string(), "AGE".to_string()],
            vec![
                "appserver-0".to_string(),
                "1/1".to_string(),
                "5m".to_string(),
            ],
        ];
        assert_eq!(
            align(&lines),
            "NAME          READY   AGE\nappserver-0   1/1     5m\n"
        );
    }
}
