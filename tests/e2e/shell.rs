//! Shells, commands and copies in process (issue 9) against `kterm-sim`, with nothing on
//! kterm's PATH (no kubectl): the shell answers, sees the pane's size and a resize, runs `less`
//! and gives the terminal back on `exit 3` with the code said and the table as it was; keys
//! typed in the shell never reach kterm; ctrl-] q; RBAC refusal; `x init-upddistr`; a 5 MB copy
//! in and out; the audit log of each.

use super::{kterm_then_status, quote, start_sim, Pane, Sim};

/// kterm watching `namespace`, the pod table filtered to `pod`, once live.
fn on_pod(pane: Pane, sim: &Sim, namespace: &str, pod: &str, extra: &str) -> Pane {
    let args = format!(
        "--kubeconfig {} -n {namespace} {extra}",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    // No kubectl (nor anything else) on kterm's PATH: everything here runs in process.
    let script = format!("PATH=/nonexistent {}", kterm_then_status(&args));
    let pane = pane.run(120, 40, &script);
    pane.wait_for("the pods listed", |s| s.contains(pod));
    pane.keys(&["/"]);
    pane.keys(&["-l", pod]);
    pane.keys(&["Enter"]);
    pane.wait_for("the table filtered to the pod", |s| {
        s.contains(&format!("/{pod} ")) && !s.contains('▏')
    });
    pane
}

/// The last non-empty line on screen.
fn last_line(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
}

#[test]
fn a_shell_answers_follows_a_resize_and_gives_the_table_back_with_its_code() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_pod(Pane::new("shell"), &sim, "r2g5mu", "appserver-prd", "");
    let table = pane.screen();
    pane.keys(&["s"]);
    pane.wait_for("the shell's prompt instead of the table", |s| {
        !s.contains("NAME") && (last_line(s).ends_with('#') || last_line(s).ends_with('$'))
    });
    pane.keys(&["-l", "echo READY-$((6*7))"]);
    pane.keys(&["Enter"]);
    pane.wait_text("READY-42");
    pane.keys(&["-l", "stty size"]);
    pane.keys(&["Enter"]);
    pane.wait_text("40 120");
    pane.tmux(&["resize-window", "-t", &pane.name, "-x", "100", "-y", "30"]);
    pane.keys(&["-l", "stty size"]);
    pane.keys(&["Enter"]);
    pane.wait_text("30 100");
    // A full-screen program inside the pod, left with its own key.
    pane.keys(&["-l", "less /volume/logs/UPDDISTR.LOG"]);
    pane.keys(&["Enter"]);
    // less's own prompt on the last row (the typed command line names the file too).
    pane.wait_for("less showing the log", |s| {
        let last = last_line(s);
        last.starts_with(':') || last.starts_with("/volume/logs/UPDDISTR.LOG")
    });
    pane.keys(&["q"]);
    pane.wait_for("the shell's prompt after less", |s| {
        last_line(s).ends_with('#') || last_line(s).ends_with('$')
    });
    // Keys typed in the shell are the shell's: that `q` quit nothing of kterm.
    pane.keys(&["-l", "exit 3"]);
    pane.keys(&["Enter"]);
    let back = pane.wait_text("exited with code 3");
    pane.check(
        back.contains("appserver-prd") && back.contains("NAME"),
        "the pod table is back, with the pod",
        &back,
    );
    pane.check(
        !back.contains("READY-42") && !back.contains("30 100"),
        "nothing of the shell's output is left on kterm's screen",
        &back,
    );
    let selected = |s: &str| {
        s.lines()
            .find(|l| l.contains("appserver-prd"))
            .map(str::to_string)
    };
    pane.check(
        selected(&back).is_some() && table.lines().count() >= 30,
        "the table and its selection are as they were",
        &back,
    );
    // The audit log holds the shell's intent and its outcome.
    let audit = std::fs::read_to_string(pane.dir().join("kterm/audit.log")).unwrap_or_default();
    let lines: Vec<&str> = audit.lines().collect();
    pane.check(
        lines.len() == 2
            && lines[0].contains("\"phase\":\"intent\"")
            && lines[0].contains("\"verb\":\"exec\"")
            && lines[0].contains("\"namespace\":\"r2g5mu\"")
            && lines[0].contains("\"server\":\"http")
            && lines[0].contains("\"kube_user\":\"")
            && lines[1].contains("\"exit_code\":3"),
        &format!("the audit log records the shell and its exit code:\n{audit}"),
        &back,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn a_shell_is_refused_under_the_readonly_profile_with_the_reason() {
    let sim = start_sim(kterm_sim::SimOpts {
        rbac: kterm_sim::RbacProfile::Readonly,
        ..kterm_sim::SimOpts::default()
    });
    let pane = on_pod(
        Pane::new("shell-readonly"),
        &sim,
        "r2g5mu",
        "appserver-prd",
        "",
    );
    pane.keys(&["s"]);
    let screen = pane.wait_text("pods/exec");
    pane.check(
        screen.contains("You may not open a shell in namespace r2g5mu"),
        "the refusal names the namespace and the right",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn ctrl_close_bracket_then_q_leaves_a_hung_shell() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_pod(
        Pane::new("shell-escape"),
        &sim,
        "r2g5mu",
        "appserver-prd",
        "",
    );
    pane.keys(&["s"]);
    pane.wait_for("the shell's prompt", |s| {
        !s.contains("NAME") && (last_line(s).ends_with('#') || last_line(s).ends_with('$'))
    });
    // ctrl-c is the shell's: it interrupts the sleep, kterm stays in the shell. The job prints
    // a word first (typed split, so only its output matches): once it shows, the job holds the
    // terminal and ctrl-c reaches it, not the shell still starting it (a race under load).
    pane.keys(&["-l", "(echo SLEEP\"\"ING; sleep 1000)"]);
    pane.keys(&["Enter"]);
    pane.wait_for("the job running", |s| {
        s.lines().any(|l| l.trim() == "SLEEPING")
    });
    pane.keys(&["C-c"]);
    pane.keys(&["-l", "echo STILL-$((1+1))"]);
    pane.keys(&["Enter"]);
    pane.wait_text("STILL-2");
    // A hung command: the escape leaves it.
    pane.keys(&["-l", "sleep 1000"]);
    pane.keys(&["Enter"]);
    pane.keys(&["C-]"]);
    pane.keys(&["q"]);
    let back = pane.wait_text("ctrl-] q");
    pane.check(
        back.contains("NAME") && back.contains("appserver-prd"),
        "the table is back",
        &back,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

/// Runs `command` with `x` on the selected pod and returns the screen once its exit code shows;
/// esc then goes back to the table.
fn run_command(pane: &Pane, command: &str) -> String {
    pane.keys(&["x"]);
    pane.wait_text("run in the pod: ");
    pane.keys(&["-l", command]);
    pane.keys(&["Enter"]);
    let screen = pane.wait_for(&format!("{command} to end"), |s| {
        s.contains("── exit code ")
    });
    pane.keys(&["Escape"]);
    pane.wait_for("the table again", |s| {
        s.contains("NAME") && !s.contains("── exit code ")
    });
    screen
}

#[test]
fn init_upddistr_runs_without_a_shell_and_sets_its_flag() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_pod(
        Pane::new("run-command"),
        &sim,
        "r2g5mu",
        "protheus-updater",
        "",
    );
    let removed = run_command(&pane, "rm -f /volume/flags/upddistr.producao.ok");
    pane.check(removed.contains("── exit code 0 ──"), "rm ran", &removed);
    let ran = run_command(&pane, "init-upddistr");
    pane.check(
        ran.contains("$ init-upddistr")
            && ran.contains("UPDDISTR")
            && ran.contains("── exit code 0 ──"),
        "the migration's output and its exit code are shown",
        &ran,
    );
    let listed = run_command(&pane, "ls /volume/flags");
    pane.check(
        listed.contains("upddistr.producao.ok"),
        "init-upddistr created the flag file",
        &listed,
    );
    let failed = run_command(&pane, "sh -c 'exit 4'");
    pane.check(
        failed.contains("── exit code 4 ──"),
        "a failing command's code is shown",
        &failed,
    );
    let audit = std::fs::read_to_string(pane.dir().join("kterm/audit.log")).unwrap_or_default();
    pane.check(
        audit.lines().count() == 8
            && audit.contains("\"verb\":\"run\"")
            && audit.contains("\"init-upddistr\"")
            && audit.contains("\"exit_code\":4"),
        &format!("each run is in the audit log with its outcome:\n{audit}"),
        &listed,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

/// Fills the copy form (`C`) and sends it; returns the screen once `done` shows.
fn copy(pane: &Pane, inward: bool, local: &str, remote: &str, done: &str) -> String {
    pane.keys(&["C"]);
    pane.wait_text("Copy files");
    if !inward {
        pane.keys(&["BTab", "Space", "Tab"]);
    }
    pane.keys(&["-l", local]);
    pane.keys(&["Tab"]);
    pane.keys(&["-l", remote]);
    pane.keys(&["Enter"]);
    pane.wait_text(done)
}

#[test]
fn a_five_megabyte_file_goes_in_and_comes_back_identical() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_pod(Pane::new("copy"), &sim, "r2g5mu", "appserver-prd", "");
    let original = pane.dir().join("tttm120.rpo");
    let mut bytes = Vec::with_capacity(5 << 20);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while bytes.len() < 5 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(&original, &bytes).expect("write the file");
    let back = pane.dir().join("back.rpo");
    let local = original.to_string_lossy().to_string();
    let out = back.to_string_lossy().to_string();
    // Each wait names its own copy: the message of the one before is still on screen.
    copy(&pane, true, &local, "/protheus/apo/", ":/protheus/apo/ (");
    copy(
        &pane,
        false,
        &out,
        "/protheus/apo/tttm120.rpo",
        &format!("→ {out} ("),
    );
    let got = std::fs::read(&back).unwrap_or_default();
    let screen = pane.screen();
    pane.check(got == bytes, "the copy back is byte-identical", &screen);
    // Out again over the file: asked first; no leaves it alone.
    std::fs::write(&back, b"mine").expect("write");
    copy(
        &pane,
        false,
        &out,
        "/protheus/apo/tttm120.rpo",
        "Replace it",
    );
    pane.keys(&["n"]);
    pane.wait_text("the local file is as it was");
    pane.check(
        std::fs::read(&back).unwrap_or_default() == b"mine",
        "no kept the file",
        &pane.screen(),
    );
    // A missing pod path and a read-only target: one sentence each.
    let fresh = pane.dir().join("missing.rpo").to_string_lossy().to_string();
    let missing = copy(
        &pane,
        false,
        &fresh,
        "/protheus/apo/nope.rpo",
        "does not exist",
    );
    pane.check(
        missing.contains("nope.rpo"),
        "the missing path is named",
        &missing,
    );
    let readonly = copy(&pane, true, &local, "/usr/", "Copy");
    let refused = pane.wait_for("the read-only sentence", |s| {
        s.contains("read-only") || s.contains("ermission")
    });
    pane.check(
        !refused.contains("Copied "),
        "nothing claims success",
        &readonly,
    );
    let audit = std::fs::read_to_string(pane.dir().join("kterm/audit.log")).unwrap_or_default();
    pane.check(
        audit.contains("\"verb\":\"cp-in\"")
            && audit.contains("\"verb\":\"cp-out\"")
            && audit.contains(&format!("\"bytes\":{}", 5 << 20)),
        &format!("the copies are in the audit log with their bytes:\n{audit}"),
        &refused,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn tab_focuses_a_container_in_the_detail_pane_and_s_opens_its_shell() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_pod(
        Pane::new("shell-pane"),
        &sim,
        "r2g5mu",
        "protheus-updater",
        "",
    );
    pane.keys(&["Enter"]);
    pane.wait_text("Containers");
    pane.keys(&["Tab"]);
    pane.wait_text("▶ container updater: s opens a shell in it");
    pane.keys(&["s"]);
    pane.wait_for("the shell's prompt", |s| {
        !s.contains("NAME") && (last_line(s).ends_with('#') || last_line(s).ends_with('$'))
    });
    pane.keys(&["-l", "exit"]);
    pane.keys(&["Enter"]);
    pane.wait_text("▶ container updater");
    let audit = std::fs::read_to_string(pane.dir().join("kterm/audit.log")).unwrap_or_default();
    pane.check(
        audit.contains("\"container\":\"updater\""),
        &format!("the shell ran in the focused container:\n{audit}"),
        &pane.screen(),
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn ctrl_c_stops_a_command_run_with_x() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = on_pod(
        Pane::new("run-stop"),
        &sim,
        "r2g5mu",
        "protheus-updater",
        "",
    );
    pane.keys(&["x"]);
    pane.wait_text("run in the pod: ");
    pane.keys(&["-l", "sh -c 'echo STARTED; sleep 1000'"]);
    pane.keys(&["Enter"]);
    // The command's own line, not the title (which shows the command, STARTED included).
    pane.wait_for("the command's first line", |s| s.contains("│ 1 line"));
    pane.keys(&["C-c"]);
    let stopped = pane.wait_text("stopped with ctrl-c");
    pane.check(
        stopped.contains("Logs "),
        "kterm is still up, on the output",
        &stopped,
    );
    // The outcome line is written as the run ends, just after the marker is drawn.
    let path = pane.dir().join("kterm/audit.log");
    let start = std::time::Instant::now();
    let audit = loop {
        let audit = std::fs::read_to_string(&path).unwrap_or_default();
        if audit.contains("stopped before it ended") || start.elapsed() > super::DEADLINE {
            break audit;
        }
        std::thread::sleep(super::POLL);
    };
    pane.check(
        audit.contains("stopped before it ended"),
        &format!("the stopped run's outcome is in the audit log:\n{audit}"),
        &stopped,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}
