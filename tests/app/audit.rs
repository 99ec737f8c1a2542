//! The audit log: the writer's file and lines, its config block, and `kterm audit` run as a
//! script would run it.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, Utc};
use kterm::audit::{Audit, Outcome, Phase, Record};
use kterm::config::settings::parse_file;
use serde_json::Value;

/// A fresh directory per test, under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kterm-audit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn exec_intent() -> Record {
    let mut record = Record::intent("kterm-sim", "exec", "pod/protheus-updater-29391840-x2k4p");
    record.namespace = Some("c2a7dv".into());
    record.container = Some("updater".into());
    record.command = Some(vec!["bash".into()]);
    record.kube_user = Some("support".into());
    record.server = Some("https://127.0.0.1:6443".into());
    record
}

/// `kterm audit ARGS` with the state directory (the default log's home) and an empty or given
/// config directory under `dir`, so the user's own files never change a test.
fn kterm_audit(dir: &Path, args: &[&str], config: Option<&str>) -> Output {
    let config_dir = dir.join("config");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    if let Some(text) = config {
        std::fs::write(config_dir.join("config.yaml"), text).expect("write config.yaml");
    }
    Command::new(env!("CARGO_BIN_EXE_kterm"))
        .arg("audit")
        .args(args)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("KTERM_CONFIG_DIR", &config_dir)
        .output()
        .expect("kterm runs")
}

/// The log `kterm audit` reads by default under `kterm_audit`'s environment.
fn default_log(dir: &Path) -> Audit {
    Audit::at(dir.join("state/kterm/audit.log"), false)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_log_and_its_directory_are_created_private() {
    let dir = scratch("mode");
    let path = dir.join("new/dir/audit.log");
    Audit::at(path.clone(), false)
        .append(&exec_intent())
        .expect("append");
    let mode = std::fs::metadata(&path)
        .expect("log exists")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "log mode {mode:o}");
    let dir_mode = std::fs::metadata(path.parent().expect("parent"))
        .expect("dir exists")
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700, "dir mode {dir_mode:o}");
}

#[test]
fn intent_and_outcome_are_two_json_lines_with_every_field() {
    let dir = scratch("lines");
    let audit = Audit::at(dir.join("audit.log"), false);
    let intent = exec_intent();
    audit.append(&intent).expect("intent");
    audit
        .append(&intent.outcome(Outcome::ExitCode(3)))
        .expect("outcome");
    let text = std::fs::read_to_string(dir.join("audit.log")).expect("read");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(text.ends_with('\n'));
    for line in &lines {
        let time = line["time"].as_str().expect("time");
        DateTime::parse_from_rfc3339(time).expect("RFC 3339 time");
        assert_eq!(line["id"], lines[0]["id"]);
        assert!(!line["os_user"].as_str().expect("os_user").is_empty());
        assert_eq!(line["kube_user"], "support");
        assert_eq!(line["context"], "kterm-sim");
        assert_eq!(line["server"], "https://127.0.0.1:6443");
        assert_eq!(line["namespace"], "c2a7dv");
        assert_eq!(line["verb"], "exec");
        assert_eq!(line["target"], "pod/protheus-updater-29391840-x2k4p");
        assert_eq!(line["container"], "updater");
        assert_eq!(line["command"], serde_json::json!(["bash"]));
    }
    assert_eq!(lines[0]["phase"], "intent");
    assert_eq!(lines[0]["outcome"], Value::Null);
    assert_eq!(lines[1]["phase"], "outcome");
    assert_eq!(lines[1]["outcome"], serde_json::json!({"exit_code": 3}));
}

#[test]
fn appends_from_many_threads_stay_whole_lines() {
    let dir = scratch("threads");
    let audit = Audit::at(dir.join("audit.log"), false);
    std::thread::scope(|s| {
        for t in 0..4 {
            let audit = &audit;
            s.spawn(move || {
                for i in 0..200 {
                    let mut record = exec_intent();
                    // Long enough that a split write would show.
                    record.command = Some(vec![format!("{t}-{i}-{}", "x".repeat(2000))]);
                    audit.append(&record).expect("append");
                }
            });
        }
    });
    let text = std::fs::read_to_string(dir.join("audit.log")).expect("read");
    let records: Vec<Record> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a whole record"))
        .collect();
    assert_eq!(records.len(), 800);
}

#[test]
fn an_unwritable_place_gives_one_sentence() {
    let dir = scratch("unwritable");
    // A file where the directory should be: refused even to root, unlike a read-only mode.
    std::fs::write(dir.join("blocker"), "").expect("blocker");
    let audit = Audit::at(dir.join("blocker/kterm/audit.log"), true);
    assert!(audit.required());
    let error = audit.append(&exec_intent()).expect_err("cannot write");
    assert!(error.starts_with("Cannot write the audit log "), "{error}");
    assert!(error.contains("blocker/kterm/audit.log"), "{error}");
    assert!(error.ends_with('.') && !error.contains('\n'), "{error}");
    assert_eq!(
        error.matches(". ").count(),
        0,
        "more than one sentence: {error}"
    );
}

#[test]
fn config_audit_block_parses_and_typos_name_file_and_line() {
    let settings = parse_file(
        "config.yaml",
        "tenants: [c2a7dv]\naudit:\n  path: ~/audit/kterm.log\n  required: true\n",
    )
    .expect("parses");
    assert!(settings.audit.required);
    assert_eq!(
        settings.audit.path.as_deref(),
        Some(Path::new("~/audit/kterm.log"))
    );
    assert!(
        parse_file("config.yaml", "audit: {required: true}\n")
            .expect("flow style")
            .audit
            .required
    );
    let default = parse_file("config.yaml", "tenants: [a]\n").expect("parses");
    assert!(!default.audit.required && default.audit.path.is_none());

    let error =
        parse_file("config.yaml", "tenants: [a]\naudit:\n  requird: true\n").expect_err("typo");
    assert_eq!(error.line, Some(3), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("config.yaml:3: unknown field `requird`"),
        "{error}"
    );
    let error =
        parse_file("config.yaml", "audit:\n  path: logs/audit.log\n").expect_err("relative path");
    assert_eq!(
        error.to_string(),
        "config.yaml:2: audit.path must be absolute or start with ~/"
    );
}

#[test]
fn a_missing_log_is_one_sentence_and_success() {
    let dir = scratch("missing");
    let out = kterm_audit(&dir, &[], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.starts_with("No audit log at "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn table_pairs_outcomes_and_marks_an_intent_without_one() {
    let dir = scratch("table");
    let log = default_log(&dir);
    let finished = exec_intent();
    log.append(&finished).expect("append");
    let mut crashed = Record::intent("kterm-sim", "run", "pod/protheus-updater-29391840-x2k4p");
    // What a user typed reaches the terminal as text, never as an escape sequence.
    crashed.command = Some(vec!["init-upddistr".into(), "\u{1b}]0;pwned\u{7}".into()]);
    log.append(&crashed).expect("append");
    log.append(&finished.outcome(Outcome::ExitCode(3)))
        .expect("append");

    let out = kterm_audit(&dir, &[], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one header and one row per action:\n{text}");
    for column in [
        "TIME",
        "USER",
        "CONTEXT",
        "NAMESPACE",
        "VERB",
        "TARGET",
        "OUTCOME",
    ] {
        assert!(lines[0].contains(column), "{text}");
    }
    assert!(
        lines[1].contains("exec") && lines[1].contains("exit 3"),
        "{text}"
    );
    assert!(
        lines[1].contains("pod/protheus-updater-29391840-x2k4p (updater)"),
        "{text}"
    );
    assert!(
        lines[2].contains("run") && lines[2].contains("started, no outcome recorded"),
        "{text}"
    );
    assert!(lines[2].contains("init-upddistr ^[]0;pwned^G"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn since_keeps_only_recent_records() {
    let dir = scratch("since");
    let log = default_log(&dir);
    let mut old = exec_intent();
    old.time = Utc::now() - TimeDelta::hours(3);
    old.verb = "cp-in".into();
    log.append(&old).expect("append");
    let recent = exec_intent();
    log.append(&recent).expect("append");

    let out = kterm_audit(&dir, &["--since", "1h", "-o", "json"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Record>(l).expect("record").id)
        .collect();
    assert_eq!(ids, vec![recent.id.clone()]);

    let table = stdout(&kterm_audit(&dir, &["--since", "4h"], None));
    assert!(table.contains("cp-in") && table.contains("exec"), "{table}");
    let table = stdout(&kterm_audit(&dir, &["--since", "30m"], None));
    assert!(
        !table.contains("cp-in") && table.contains("exec"),
        "{table}"
    );

    let out = kterm_audit(&dir, &["--since", "1y"], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a duration"), "{}", stderr(&out));
}

#[test]
fn json_output_round_trips_and_skips_a_corrupt_line_with_a_warning() {
    let dir = scratch("json");
    let path = dir.join("elsewhere/audit.log");
    let log = Audit::at(path.clone(), false);
    let mut copy = Record::intent("prod", "cp-in", "pod/p");
    copy.direction = Some("in".into());
    copy.bytes = Some(5_242_880);
    copy.local_path = Some("./tttm120.rpo".into());
    copy.pod_path = Some("/protheus/apo/tttm120.rpo".into());
    let done = copy.outcome(Outcome::Error("permission denied".into()));
    log.append(&copy).expect("append");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    std::io::Write::write_all(&mut file, b"{\"torn\": \n").expect("corrupt line");
    log.append(&done).expect("append");

    // The config's path, not the default, is the one read.
    let config = format!("audit:\n  path: {}\n", path.display());
    let out = kterm_audit(&dir, &["-o", "json"], Some(&config));
    assert!(out.status.success(), "{}", stderr(&out));
    let records: Vec<Record> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect();
    assert_eq!(records, vec![copy, done.clone()]);
    assert_eq!(records[1].phase, Phase::Outcome);
    let err = stderr(&out);
    assert!(
        err.contains("audit.log:2 is not an audit record; skipped."),
        "{err}"
    );

    let table = stdout(&kterm_audit(&dir, &[], Some(&config)));
    assert!(table.contains("error: permission denied"), "{table}");
    assert!(
        table.contains("./tttm120.rpo -> /protheus/apo/tttm120.rpo, 5242880 bytes"),
        "{table}"
    );
}
