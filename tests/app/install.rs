//! What a bastion install relies on, through the real binary: `--version` names the commit,
//! completions and the man page come from the CLI definition, `kterm config check` judges files
//! as the app loads them, and README's config examples are the checked files.

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs kterm in the repository root, so `--dir` paths are relative and printed as given.
fn kterm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kterm"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("KTERM_CONFIG_DIR")
        .output()
        .expect("kterm runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = kterm(&["--version"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let git = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(ROOT)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let commit = git.unwrap_or_else(|| "unknown".to_string());
    assert_eq!(
        text.trim_end(),
        format!("kterm {} ({commit})", env!("CARGO_PKG_VERSION"))
    );
    if commit != "unknown" {
        assert!(commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit()));
    }
}

#[test]
fn completions_for_each_shell_name_the_subcommands_and_options() {
    for shell in ["bash", "zsh", "fish"] {
        let out = kterm(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = stdout(&out);
        for word in [
            "get",
            "audit",
            "cp",
            "check",
            "config",
            "completions",
            "manpage",
            "kubeconfig",
            "tenant-selector",
        ] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = kterm(&["completions", "powershell"]);
    assert_eq!(out.status.code(), Some(2), "only bash, zsh and fish");
}

#[test]
fn man_page_is_roff_with_the_options() {
    let out = kterm(&["manpage"]);
    assert!(out.status.success());
    let page = stdout(&out);
    assert!(page.contains(".TH KTERM 1"), "{page}");
    for option in [
        r"\-\-kubeconfig",
        r"\-\-context",
        r"\-\-readonly",
        r"\-\-demo",
        r"\-\-tenant\-selector",
    ] {
        assert!(page.contains(option), "man page lacks {option}");
    }
    assert!(page.contains("completions"), "the subcommands are listed");
}

#[test]
fn config_check_accepts_the_documented_examples() {
    let out = kterm(&["config", "check", "--dir", "docs/examples"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        stdout(&out),
        "ok: docs/examples/config.yaml\nok: docs/examples/theme.yaml\nok: docs/examples/keymap.yaml\n"
    );
    // Without --dir, the directory the app reads.
    let out = Command::new(env!("CARGO_BIN_EXE_kterm"))
        .args(["config", "check"])
        .current_dir(ROOT)
        .env("KTERM_CONFIG_DIR", "docs/examples")
        .output()
        .expect("kterm runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn config_check_prints_file_and_line_for_each_broken_file() {
    let cases = [
        // A YAML syntax error.
        ("bad-yaml", "theme.yaml:3: did not find expected key"),
        // An unknown key in config.yaml.
        ("check-mixed", "config.yaml:2: unknown field `tenant`"),
        // A colour no terminal knows.
        (
            "bad-colour",
            "theme.yaml:3: unknown colour \"bleu\" for pod.oom",
        ),
        // An action kterm does not have.
        ("bad-action", "keymap.yaml:4: unknown action \"logz\""),
    ];
    for (dir, expected) in cases {
        let dir = format!("tests/fixtures/config/{dir}");
        let out = kterm(&["config", "check", "--dir", &dir]);
        assert_eq!(out.status.code(), Some(1), "{dir}: {out:?}");
        let text = stdout(&out);
        let line = text
            .lines()
            .find(|l| !l.starts_with("ok: "))
            .unwrap_or_default();
        assert!(
            line.starts_with(&format!("{dir}/{expected}")),
            "{dir}: {text}"
        );
    }
    // The valid file beside a broken one is still judged on its own.
    let out = kterm(&[
        "config",
        "check",
        "--dir",
        "tests/fixtures/config/check-mixed",
    ]);
    assert!(stdout(&out).contains("ok: tests/fixtures/config/check-mixed/theme.yaml\n"));
}

#[test]
fn config_check_of_a_missing_directory_is_one_sentence_and_fails() {
    let out = kterm(&["config", "check", "--dir", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no/such/dir is not a directory"), "{err}");
}

/// README shows the examples verbatim, so what it teaches is what `config check` accepts.
#[test]
fn readme_config_examples_are_the_checked_files() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    for name in ["config.yaml", "theme.yaml", "keymap.yaml"] {
        let file = std::fs::read_to_string(Path::new(ROOT).join("docs/examples").join(name))
            .expect("example");
        assert!(
            readme.contains(&format!("```yaml\n{file}```\n")),
            "README's {name} block differs from docs/examples/{name}"
        );
    }
}
