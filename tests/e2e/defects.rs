//! What a probe of bad input found (issue 7, item 8), end to end: each defect's regression test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::{kterm_then_status, quote, rows_of, Pane, DEADLINE, KTERM, POLL};

/// A kubeconfig with one context `name` on `server`, its user given as YAML (`{}` for none).
fn write_kubeconfig(dir: &Path, name: &str, server: &str, user: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\n\
             clusters:\n- name: {name}\n  cluster:\n    server: {server}\n\
             users:\n- name: {name}\n  user: {user}\n\
             contexts:\n- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n    namespace: default\n\
             current-context: {name}\n"
        ),
    )
    .expect("write the kubeconfig");
    path
}

/// The pid of the one child of the pane's shell (kterm, when the script runs it).
fn child_of(pane: &Pane) -> Option<u32> {
    let pid = pane.pid();
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
    children.split_whitespace().next()?.parse().ok()
}

/// Sends `signal` to `pid`.
fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill {signal} {pid} failed");
}

#[test]
fn a_server_without_a_scheme_is_named_in_one_sentence() {
    let pane = Pane::new("noscheme");
    let kubeconfig = write_kubeconfig(pane.dir(), "noscheme", "127.0.0.1:6443", "{}");
    let args = format!("--kubeconfig {}", quote(&kubeconfig.to_string_lossy()));
    let pane = pane.run(200, 30, &kterm_then_status(&args));
    pane.wait_text(
        "The server of context noscheme is 127.0.0.1:6443, which is not a URL; \
         write it as https://127.0.0.1:6443.",
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn a_panic_in_a_task_ends_kterm_with_the_terminal_restored() {
    // After kterm: the exit status, then whether the tty is back in cooked mode (`icanon`).
    let script = format!(
        "KTERM_DEBUG_PANIC=1 {} --demo; echo \"EXITED $?\"; \
         stty -a | tr ' ;' '\\n\\n' | grep -x -- '-*icanon'",
        quote(KTERM),
    );
    let pane = Pane::new("panic").run(160, 40, &script);
    let screen = pane.wait_text("EXITED 101");
    pane.check(
        screen.contains(
            "kterm: an internal error stopped kterm (KTERM_DEBUG_PANIC asked for a panic",
        ),
        "stderr should carry one sentence naming the panic",
        &screen,
    );
    pane.check(
        screen.lines().any(|l| l.trim() == "icanon"),
        "the terminal should be back in cooked mode (icanon, not -icanon)",
        &screen,
    );
    pane.check(
        !screen.contains("NAMESPACE NAME") && !screen.contains("kterm-sim │"),
        "the alternate screen should be gone",
        &screen,
    );
}

#[test]
fn signals_exit_with_128_plus_their_number() {
    let script = format!(
        "for sig in TERM INT HUP; do {} --demo; echo \"EXITED $?\"; done",
        quote(KTERM)
    );
    let pane = Pane::new("signals").run(120, 40, &script);
    for (signal, status) in [("-TERM", 143), ("-INT", 130), ("-HUP", 129)] {
        pane.wait_for("pod rows", |s| rows_of(s, "c2a7dv").next().is_some());
        let start = Instant::now();
        let pid = loop {
            if let Some(pid) = child_of(&pane) {
                break pid;
            }
            assert!(start.elapsed() < DEADLINE, "kterm's pid never showed");
            std::thread::sleep(POLL);
        };
        kill(signal, pid);
        pane.wait_text(&format!("EXITED {status}"));
    }
}
