//! The terminal hand-over end to end: a child process gets the terminal and every key typed
//! while it runs, then kterm takes the screen back and redraws it.

use std::time::Instant;

use super::{kterm_then_status, quote, rows_of, Pane, DEADLINE, POLL};

#[test]
fn a_child_owns_the_keys_while_suspended_and_kterm_redraws_after() {
    let pane = Pane::new("suspend");
    let file = pane.dir().join("child-read");
    // The child says when it reads, keeps the line it read, and fails so the status bar
    // shows the code it exited with.
    let child = format!(
        "printf 'child is reading> '; read line; echo \"got:$line\" > {}; exit 3",
        quote(&file.display().to_string())
    );
    let script = format!(
        "KTERM_DEBUG_SUSPEND={} {}",
        quote(&child),
        kterm_then_status("--demo")
    );
    let pane = pane.run(120, 40, &script);
    pane.wait_for("pod rows", |s| rows_of(s, "c2a7dv").next().is_some());

    pane.keys(&["C-t"]);
    let handed = pane.wait_text("child is reading>");
    pane.check(
        !handed.contains("NAMESPACE NAME"),
        "the child should have the main screen, not kterm's table",
        &handed,
    );
    // `?` would open kterm's help and `q` would quit it, were kterm still reading keys.
    pane.keys(&["-l", "?q /x"]);
    pane.keys(&["Enter"]);
    let start = Instant::now();
    let read = loop {
        match std::fs::read_to_string(&file) {
            Ok(text) if text.ends_with('\n') => break text,
            _ if start.elapsed() > DEADLINE => {
                pane.fail("the child never wrote the line it read", &pane.screen())
            }
            _ => std::thread::sleep(POLL),
        }
    };
    assert_eq!(
        read, "got:?q /x\n",
        "every key typed should reach the child"
    );

    let back = pane.wait_for("the pod table redrawn and the child's exit code", |s| {
        rows_of(s, "c2a7dv").next().is_some() && s.contains("sh exited with code 3.")
    });
    pane.check(
        !back.contains("child is reading>")
            && !back.contains(" Help — ")
            && !back.contains("EXITED"),
        "kterm should be back on a fully redrawn table: no child output, no help, not quit",
        &back,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn ctrl_c_in_a_child_ends_the_child_not_kterm() {
    let pane = Pane::new("suspend-int");
    let child = "printf 'child is reading> '; read line";
    // The pane's own shell would die of the ctrl-c too (a login shell puts kterm in a process
    // group of its own instead); it must live to print kterm's exit status.
    let script = format!(
        "trap '' INT; KTERM_DEBUG_SUSPEND={} {}",
        quote(child),
        kterm_then_status("--demo")
    );
    let pane = pane.run(120, 40, &script);
    pane.wait_for("pod rows", |s| rows_of(s, "c2a7dv").next().is_some());
    pane.keys(&["C-t"]);
    pane.wait_text("child is reading>");
    pane.keys(&["C-c"]);
    let back = pane.wait_for("the pod table back and the child's signal", |s| {
        rows_of(s, "c2a7dv").next().is_some() && s.contains("sh was ended by signal 2.")
    });
    pane.check(
        !back.contains("EXITED"),
        "ctrl-c typed to the child should not end kterm",
        &back,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

/// The pid of the `kterm` process the pane's shell started.
fn kterm_pid(pane: &Pane) -> u32 {
    let shell = pane.pid().to_string();
    let start = Instant::now();
    loop {
        let found = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|entry| {
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                // pid (comm) state ppid …
                let (head, tail) = stat.split_once(") ")?;
                let ppid = tail.split_whitespace().nth(1)?;
                (head.ends_with("(kterm") && ppid == shell)
                    .then(|| entry.file_name().to_str()?.parse().ok())
                    .flatten()
            });
        if let Some(pid) = found {
            return pid;
        }
        if start.elapsed() > DEADLINE {
            pane.fail("no kterm process under the pane's shell", &pane.screen());
        }
        std::thread::sleep(POLL);
    }
}

#[test]
fn sigterm_while_a_raw_mode_child_runs_leaves_a_usable_terminal() {
    let pane = Pane::new("suspend-term");
    // A child that puts the terminal in raw mode, as an editor or `kubectl exec -it` does.
    let child = "stty raw -echo; printf 'raw child> '; read line";
    // After kterm, a line read in cooked mode: with the terminal left raw, Enter would not end
    // it and nothing would be echoed.
    let script = format!(
        "KTERM_DEBUG_SUSPEND={} {}; read typed; echo \"typed:$typed\"",
        quote(child),
        kterm_then_status("--demo")
    );
    let pane = pane.run(120, 40, &script);
    pane.wait_for("pod rows", |s| rows_of(s, "c2a7dv").next().is_some());
    pane.keys(&["C-t"]);
    pane.wait_text("raw child>");
    let pid = kterm_pid(&pane);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -TERM {pid} failed");
    pane.wait_text("EXITED");
    pane.keys(&["-l", "abc"]);
    pane.keys(&["Enter"]);
    pane.wait_text("typed:abc");
}
