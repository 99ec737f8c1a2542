//! `kterm audit`: the audit log as a table of actions (intent and outcome paired), or its raw
//! JSON lines for scripts.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::format::align;
use crate::audit::{Audit, Outcome, Phase, Record};
use crate::config::paths;
use crate::sanitize::sanitize_owned;

/// Corrupt lines named one by one on stderr; beyond this they are only counted.
const NAMED_CORRUPT: usize = 5;

/// `-o`: how `kterm audit` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AuditOutput {
    /// One row per action.
    #[default]
    Table,
    /// The log's JSON lines as written.
    Json,
}

/// Arguments of `kterm audit`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AuditArgs {
    /// Only what happened in the last DURATION: 30m, 1h, 2d, 1h30m (units s, m, h, d, w).
    #[arg(long, value_name = "DURATION", value_parser = parse_since)]
    pub since: Option<TimeDelta>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = AuditOutput::Table)]
    pub output: AuditOutput,
}

/// Why `kterm audit` failed; each message is one sentence for stderr.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The log exists but cannot be read.
    #[error("Cannot read the audit log {path} ({source}).")]
    Read {
        /// The log, as the user would type it.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Writing to stdout failed (other than a closed pipe).
    #[error("Cannot write the output ({0}).")]
    Write(#[source] std::io::Error),
}

/// `30m`, `1h`, `2d`, `1h30m`: a positive duration.
pub fn parse_since(text: &str) -> Result<TimeDelta, String> {
    let wrong = || format!("{text:?} is not a duration; use e.g. 30m, 1h or 2d");
    let mut total = TimeDelta::zero();
    let mut digits = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| wrong())?;
        digits.clear();
        let part = match c {
            's' => TimeDelta::try_seconds(n),
            'm' => TimeDelta::try_minutes(n),
            'h' => TimeDelta::try_hours(n),
            'd' => TimeDelta::try_days(n),
            'w' => TimeDelta::try_weeks(n),
            _ => None,
        };
        total = part.and_then(|p| total.checked_add(&p)).ok_or_else(wrong)?;
    }
    if !digits.is_empty() || total <= TimeDelta::zero() {
        return Err(wrong());
    }
    Ok(total)
}

/// The records of a log, in file order, each with its line as written.
#[derive(Debug, Default)]
pub struct Log {
    /// `(line as written, record)`, oldest first.
    pub entries: Vec<(String, Record)>,
    /// 1-based numbers of the lines that are not records.
    pub corrupt: Vec<usize>,
}

/// Reads a log, keeping the records written at or after `cutoff`; a line that is not a record
/// (a torn write, an edit) is noted and skipped.
pub fn read(reader: impl BufRead, cutoff: Option<DateTime<Utc>>) -> std::io::Result<Log> {
    let mut log = Log::default();
    let mut reader = reader;
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        number += 1;
        let Ok(line) = std::str::from_utf8(&buf) else {
            log.corrupt.push(number);
            continue;
        };
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(record) if cutoff.is_none_or(|c| record.time >= c) => {
                log.entries.push((line.to_string(), record));
            }
            Ok(_) => {}
            Err(_) => log.corrupt.push(number),
        }
    }
    Ok(log)
}

/// The raw lines, one per record, for `-o json`.
pub fn json(log: &Log) -> String {
    let mut out = String::new();
    for (line, _) in &log.entries {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One row per action: an intent with its outcome, or either alone.
pub fn table(log: &Log) -> String {
    let mut actions: Vec<(&Record, Option<&Record>)> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (_, record) in &log.entries {
        let known = by_id.get(record.id.as_str()).copied();
        match (record.phase, known) {
            (Phase::Outcome, Some(i)) => actions[i].1 = Some(record),
            (Phase::Outcome, None) => actions.push((record, Some(record))),
            (Phase::Intent, _) => {
                by_id.insert(&record.id, actions.len());
                actions.push((record, None));
            }
        }
    }
    let header = [
        "TIME",
        "USER",
        "CONTEXT",
        "NAMESPACE",
        "VERB",
        "TARGET",
        "OUTCOME",
        "DETAIL",
    ];
    let mut lines: Vec<Vec<String>> = vec![header.into_iter().map(String::from).collect()];
    for (start, end) in actions {
        let target = match &start.container {
            Some(c) => format!("{} ({c})", start.target),
            None => start.target.clone(),
        };
        let cells = [
            start.time.to_rfc3339_opts(SecondsFormat::Secs, true),
            start.os_user.clone(),
            start.context.clone(),
            start.namespace.clone().unwrap_or_else(|| "-".to_string()),
            start.verb.clone(),
            target,
            outcome_cell(end.and_then(|r| r.outcome.as_ref())),
            detail_cell(end.unwrap_or(start)),
        ];
        // The log holds what users typed and servers said; the table goes to a terminal.
        lines.push(cells.into_iter().map(sanitize_owned).collect());
    }
    align(&lines)
}

fn outcome_cell(outcome: Option<&Outcome>) -> String {
    match outcome {
        None => "started, no outcome recorded".to_string(),
        Some(Outcome::Ok) => "ok".to_string(),
        Some(Outcome::ExitCode(code)) => format!("exit {code}"),
        Some(Outcome::Error(sentence)) => format!("error: {sentence}"),
    }
}

/// The command run, or what a copy moved where.
fn detail_cell(record: &Record) -> String {
    if let Some(command) = &record.command {
        return command
            .iter()
            .map(|arg| {
                if arg.is_empty() || arg.contains(char::is_whitespace) {
                    format!("'{arg}'")
                } else {
                    arg.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut parts = Vec::new();
    if let Some(detail) = &record.detail {
        parts.push(detail.clone());
    }
    if let Some(changed) = &record.changed {
        parts.push(format!("changed {}", changed.join(", ")));
    }
    let (local, pod) = (record.local_path.as_deref(), record.pod_path.as_deref());
    let (from, to) = match record.direction.as_deref() {
        Some("out") => (pod, local),
        _ => (local, pod),
    };
    if from.is_some() || to.is_some() {
        parts.push(format!("{} -> {}", from.unwrap_or("?"), to.unwrap_or("?")));
    } else if let Some(direction) = &record.direction {
        parts.push(direction.clone());
    }
    if let Some(bytes) = record.bytes {
        parts.push(format!("{bytes} bytes"));
    }
    parts.join(", ")
}

/// `kterm audit`: reads the configured log and prints it.
pub fn run(args: &AuditArgs) -> Result<(), AuditError> {
    let config = crate::config::Config::load();
    for error in &config.errors {
        crate::term::say(&format!(
            "kterm: {} (ignored)",
            sanitize_owned(error.to_string())
        ));
    }
    let audit = Audit::from_settings(&config.settings.audit);
    let Some(path) = audit.path() else {
        crate::term::say("No audit log: neither $XDG_STATE_HOME nor $HOME is set, and config.yaml sets no audit.path.");
        return Ok(());
    };
    let shown = sanitize_owned(paths::display(path));
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::term::say(&format!(
                "No audit log at {shown} yet: kterm writes it when it runs a shell, a command or a copy, or changes an object."
            ));
            return Ok(());
        }
        Err(source) => {
            return Err(AuditError::Read {
                path: shown,
                source,
            })
        }
    };
    let cutoff = args
        .since
        .and_then(|since| Utc::now().checked_sub_signed(since));
    let log = read(BufReader::new(file), cutoff).map_err(|source| AuditError::Read {
        path: shown.clone(),
        source,
    })?;
    warn_corrupt(&log.corrupt, &shown);
    let text = match args.output {
        AuditOutput::Table => table(&log),
        AuditOutput::Json => json(&log),
    };
    write_stdout(&text)
}

fn warn_corrupt(corrupt: &[usize], shown: &str) {
    for number in corrupt.iter().take(NAMED_CORRUPT) {
        crate::term::say(&format!(
            "kterm: {shown}:{number} is not an audit record; skipped."
        ));
    }
    if corrupt.len() > NAMED_CORRUPT {
        crate::term::say(&format!(
            "kterm: {} more lines of {shown} are not audit records; skipped.",
            corrupt.len() - NAMED_CORRUPT
        ));
    }
}

fn write_stdout(text: &str) -> Result<(), AuditError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // `kterm audit | head` closes the pipe early; that is the reader's choice.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(AuditError::Write(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_units_and_sums() {
        assert_eq!(parse_since("30m"), Ok(TimeDelta::minutes(30)));
        assert_eq!(parse_since("2d"), Ok(TimeDelta::days(2)));
        assert_eq!(parse_since("1h30m"), Ok(TimeDelta::minutes(90)));
        for bad in ["", "1", "h", "0m", "1y", "-1h", "99999999999999999999d"] {
            assert!(parse_since(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn detail_shows_the_command_or_the_copy() {
        let mut run = Record::intent("c", "run", "pod/p");
        run.command = Some(vec!["sh".into(), "-c".into(), "echo hi".into()]);
        assert_eq!(detail_cell(&run), "sh -c 'echo hi'");
        let mut edit = Record::intent("ctx", "edit", "cronjob/protheus-updater");
        edit.changed = Some(vec!["spec.suspend".into(), "spec.schedule".into()]);
        assert_eq!(detail_cell(&edit), "changed spec.suspend, spec.schedule");
        edit.detail = Some("replicas 2 -> 0".into());
        edit.changed = None;
        assert_eq!(detail_cell(&edit), "replicas 2 -> 0");
        let mut copy = Record::intent("c", "cp-out", "pod/p");
        copy.direction = Some("out".into());
        copy.local_path = Some("./a.rpo".into());
        copy.pod_path = Some("/protheus/apo/a.rpo".into());
        copy.bytes = Some(5);
        assert_eq!(
            detail_cell(&copy),
            "/protheus/apo/a.rpo -> ./a.rpo, 5 bytes"
        );
    }

    #[test]
    fn corrupt_and_non_utf8_lines_are_counted_not_fatal() {
        let good = serde_json::to_vec(&Record::intent("c", "exec", "pod/p")).expect("json");
        let mut bytes = good.clone();
        bytes.extend_from_slice(b"\n{\"half\n");
        bytes.extend_from_slice(&[0xff, b'\n', b'\n']);
        bytes.extend_from_slice(&good);
        let log = read(&bytes[..], None).expect("read");
        assert_eq!(log.entries.len(), 2);
        assert_eq!(log.corrupt, vec![2, 3]);
    }
}
