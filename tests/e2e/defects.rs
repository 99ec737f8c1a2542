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

/// A mistyped server is named at once, not after a slow credential plugin gives up: the plugin
/// here would hang past the test's deadline.
#[test]
fn a_server_without_a_scheme_is_named_before_a_hanging_plugin_runs() {
    let seconds = unique_seconds(9);
    let pane = Pane::new("noscheme-plugin");
    let user = plugin_user("sleep", &format!("[\"{seconds}\"]"));
    let kubeconfig = write_kubeconfig(pane.dir(), "noscheme", "127.0.0.1:6443", &user);
    let script = format!(
        "KTERM_EXEC_PLUGIN_TIMEOUT=600 {}",
        kterm_then_status(&format!(
            "--kubeconfig {}",
            quote(&kubeconfig.to_string_lossy())
        ))
    );
    let pane = pane.run(200, 30, &script);
    pane.wait_text("The server of context noscheme is 127.0.0.1:6443, which is not a URL");
    pane.check(
        !sleeping(&seconds),
        "the plugin must not have been run",
        &pane.screen(),
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
    // stty prints after the exit status: wait for its line (either answer) before judging.
    let screen = pane.wait_for("the exit status and stty's answer", |s| {
        s.contains("EXITED 101") && s.lines().any(|l| l.trim().ends_with("icanon"))
    });
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

/// A user whose exec credential plugin runs `command` with `args` (YAML flow list).
fn plugin_user(command: &str, args: &str) -> String {
    format!(
        "\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      \
         command: {command}\n      args: {args}\n      \
         env:\n      - name: KTERM_TEST_SECRET\n        value: hunter2\n"
    )
}

/// A `sleep` argument no other test or process uses, to find this test's plugin in /proc.
fn unique_seconds(test: u32) -> String {
    format!("{}{:06}", 7 + test, std::process::id() % 1_000_000)
}

/// Whether a live `sleep SECONDS` process exists.
fn sleeping(seconds: &str) -> bool {
    let want = format!("sleep\0{seconds}\0");
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            let dir = entry.path();
            let live = std::fs::read_to_string(dir.join("stat")).is_ok_and(|stat| {
                stat.rsplit(") ")
                    .next()
                    .is_some_and(|s| !s.starts_with('Z'))
            });
            live && std::fs::read(dir.join("cmdline")).is_ok_and(|c| c == want.as_bytes())
        })
}

/// Polls until no `sleep SECONDS` is left, failing after the deadline.
fn wait_plugin_gone(pane: &Pane, seconds: &str) {
    let start = Instant::now();
    while sleeping(seconds) {
        if start.elapsed() > DEADLINE {
            pane.fail(
                &format!("the plugin `sleep {seconds}` still runs"),
                &pane.screen(),
            );
        }
        std::thread::sleep(POLL);
    }
}

#[test]
fn a_hanging_credential_plugin_never_freezes_the_ui_and_q_stops_it() {
    let seconds = unique_seconds(1);
    let pane = Pane::new("plugin-q");
    let user = plugin_user("sleep", &format!("[\"{seconds}\"]"));
    let kubeconfig = write_kubeconfig(pane.dir(), "hung", "https://127.0.0.1:1", &user);
    let args = format!("--kubeconfig {}", quote(&kubeconfig.to_string_lossy()));
    let pane = pane.run(160, 30, &kterm_then_status(&args));
    pane.wait_text("Connecting to");
    let start = Instant::now();
    while !sleeping(&seconds) {
        assert!(start.elapsed() < DEADLINE, "the plugin never started");
        std::thread::sleep(POLL);
    }
    // Keys are answered while the plugin hangs: the help opens, then q quits.
    pane.keys(&["?"]);
    pane.wait_for("the help", |s| !s.contains("Connecting to"));
    pane.keys(&["Escape"]);
    pane.wait_text("Connecting to");
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    wait_plugin_gone(&pane, &seconds);
}

#[test]
fn a_hanging_credential_plugin_is_stopped_after_the_timeout_and_named() {
    let seconds = unique_seconds(2);
    let pane = Pane::new("plugin-timeout");
    let user = plugin_user("sleep", &format!("[\"{seconds}\"]"));
    let kubeconfig = write_kubeconfig(pane.dir(), "hung", "https://127.0.0.1:1", &user);
    let script = format!(
        "KTERM_EXEC_PLUGIN_TIMEOUT=2 {}",
        kterm_then_status(&format!(
            "--kubeconfig {}",
            quote(&kubeconfig.to_string_lossy())
        ))
    );
    let pane = pane.run(220, 30, &script);
    pane.wait_text(&format!(
        "The credential plugin `sleep {seconds}` of context hung did not answer within 2 s and was stopped"
    ));
    wait_plugin_gone(&pane, &seconds);
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn sighup_stops_a_hanging_credential_plugin() {
    let seconds = unique_seconds(3);
    let pane = Pane::new("plugin-hup");
    let user = plugin_user("sleep", &format!("[\"{seconds}\"]"));
    let kubeconfig = write_kubeconfig(pane.dir(), "hung", "https://127.0.0.1:1", &user);
    let script = format!(
        "exec {} --kubeconfig {}",
        quote(KTERM),
        quote(&kubeconfig.to_string_lossy())
    );
    let pane = pane.run(160, 30, &script);
    pane.wait_text("Connecting to");
    let start = Instant::now();
    while !sleeping(&seconds) {
        assert!(start.elapsed() < DEADLINE, "the plugin never started");
        std::thread::sleep(POLL);
    }
    kill("-HUP", pane.pid());
    wait_plugin_gone(&pane, &seconds);
}

#[test]
fn a_failing_credential_plugin_is_quoted_by_its_stderr_not_its_environment() {
    let pane = Pane::new("plugin-fails");
    let user = plugin_user(
        "sh",
        "[\"-c\", \"echo 'error: SSO session expired' >&2; exit 3\"]",
    );
    let kubeconfig = write_kubeconfig(pane.dir(), "sso", "https://127.0.0.1:1", &user);
    let args = format!("--kubeconfig {}", quote(&kubeconfig.to_string_lossy()));
    let pane = pane.run(220, 30, &kterm_then_status(&args));
    let screen = pane.wait_text("of context sso failed (error: SSO session expired)");
    pane.check(
        !screen.contains("hunter2") && !screen.contains("KTERM_TEST_SECRET"),
        "the sentence must not show the plugin's environment",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn a_binary_theme_says_using_the_presets_once() {
    let pane = Pane::new("binary-theme");
    let config = pane.dir().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(config.join("theme.yaml"), [0xff, 0xfe, 0x00, 0x9c]).expect("write");
    let script = format!(
        "KTERM_CONFIG_DIR={} {}",
        quote(&config.to_string_lossy()),
        kterm_then_status("--demo")
    );
    let pane = pane.run(200, 30, &script);
    let screen = pane.wait_text("is not a text file");
    pane.check(
        screen.matches("using the presets").count() == 1,
        "the fallback should be said once",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

/// A web server that answers every request with an HTML page and `status`; returns its URL.
/// Its thread ends with the test process.
fn serve_web_page(status: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\
                        <body><h1>It works</h1></body></html>\n";
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_web_page_instead_of_an_api_is_one_sentence() {
    let url = serve_web_page("404 Not Found");
    let pane = Pane::new("web-page");
    let kubeconfig = write_kubeconfig(pane.dir(), "web", &url, "{}");
    let args = format!("--kubeconfig {}", quote(&kubeconfig.to_string_lossy()));
    let pane = pane.run(220, 30, &kterm_then_status(&args));
    let screen = pane.wait_text(&format!(
        "The server at {url}/ answered with a web page, not a Kubernetes API; \
         check the server URL of context web."
    ));
    pane.check(
        !screen.contains("DOCTYPE") && !screen.contains("It works"),
        "the page itself should not be shown",
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn get_pods_against_a_web_page_is_one_sentence() {
    for status in ["404 Not Found", "200 OK"] {
        let url = serve_web_page(status);
        let pane = Pane::new("web-get");
        let kubeconfig = write_kubeconfig(pane.dir(), "web", &url, "{}");
        let out = Command::new(KTERM)
            .arg("--kubeconfig")
            .arg(&kubeconfig)
            .args(["get", "pods"])
            .env("XDG_STATE_HOME", pane.dir())
            .env("KTERM_CONFIG_DIR", pane.dir().join("no-config"))
            .output()
            .expect("kterm runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{status}: {stderr}");
        assert_eq!(
            stderr.trim(),
            format!(
                "kterm: The server at {url}/ answered with a web page, not a Kubernetes API; \
                 check the server URL of context web."
            ),
            "{status}"
        );
    }
}

/// The pids of live `sleep SECONDS` processes.
fn sleepers(seconds: &str) -> Vec<u32> {
    let want = format!("sleep\0{seconds}\0");
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c == want.as_bytes()))
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect()
}

#[test]
fn a_plugin_that_hangs_only_when_kube_runs_it_does_not_freeze_the_ui() {
    let seconds = unique_seconds(4);
    let pane = Pane::new("plugin-second-run");
    // Answers kterm's own run at once, then hangs when kube-rs runs it to build the client.
    let script = pane.dir().join("plugin.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ -e \"$0.ran\" ]; then exec sleep {seconds}; fi\ntouch \"$0.ran\"\n\
             echo '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\
             \"status\":{{\"token\":\"t\"}}}}'\n"
        ),
    )
    .expect("write the plugin");
    let chmod = Command::new("chmod").arg("+x").arg(&script).status();
    assert!(chmod.is_ok_and(|s| s.success()), "chmod the plugin");
    let user = plugin_user(&script.to_string_lossy(), "[]");
    let kubeconfig = write_kubeconfig(pane.dir(), "slow", "https://127.0.0.1:1", &user);
    let args = format!("--kubeconfig {}", quote(&kubeconfig.to_string_lossy()));
    let pane = pane.run(160, 30, &kterm_then_status(&args));
    let start = Instant::now();
    while sleepers(&seconds).is_empty() {
        assert!(start.elapsed() < DEADLINE, "kube-rs never ran the plugin");
        std::thread::sleep(POLL);
    }
    pane.keys(&["?"]);
    pane.wait_for("the help", |s| !s.contains("Connecting to"));
    pane.keys(&["Escape"]);
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    // kube-rs runs it with std::process and never kills it; this test started it, so ends it.
    for pid in sleepers(&seconds) {
        kill("-KILL", pid);
    }
}
