//! End-to-end tests: the real `kterm` binary in a tmux pane, driven with keys the way a person
//! uses it, and judged by what the pane shows. Needs `tmux` on PATH.
//!
//! Each test runs its own tmux server (socket in its scratch directory, no user config), so
//! tests never see each other's panes or the user's sessions; a guard kills that server even
//! when an assertion fails. Polls every 100 ms against a deadline; no fixed sleeps.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const KTERM: &str = env!("CARGO_BIN_EXE_kterm");
/// Generous: a loaded 2-core machine may take seconds to start the demo cluster.
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

/// One tmux server with one session running a command; killed (with its processes) on drop.
struct Pane {
    name: String,
    /// Scratch directory: kterm's log (XDG_STATE_HOME) and any files the test writes.
    dir: PathBuf,
}

impl Pane {
    /// A tmux server name and a scratch directory for `test`; nothing runs yet.
    fn new(test: &str) -> Pane {
        let name = format!("kterm-e2e-{}-{test}", std::process::id());
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("create the scratch directory");
        Pane { name, dir }
    }

    /// Starts `sh -c script` in a detached `width`×`height` session; the pane stays after the
    /// command exits so its last output can still be read.
    fn run(self, width: u16, height: u16, script: &str) -> Pane {
        let (w, h) = (width.to_string(), height.to_string());
        let state_home = format!("XDG_STATE_HOME={}", self.dir.display());
        // An empty config directory: the developer's own theme or tenants never change a test.
        let config_home = format!("KTERM_CONFIG_DIR={}", self.dir.join("no-config").display());
        // Tests written before the overview start on the pod table, as esc would leave them;
        // the overview's own tests unset it (`env -u KTERM_START_VIEW`).
        let start_view = "KTERM_START_VIEW=pods".to_string();
        let args = [
            ["new-session", "-d", "-s", &self.name, "-x", &w, "-y", &h].as_slice(),
            &[
                "-e",
                &state_home,
                "-e",
                &config_home,
                "-e",
                &start_view,
                "sh",
                "-c",
                script,
                ";",
            ],
            &["set-option", "-w", "-t", &self.name, "remain-on-exit", "on"],
        ]
        .concat();
        self.tmux(&args);
        self
    }

    /// Scratch directory of this test.
    fn dir(&self) -> &Path {
        &self.dir
    }

    /// `tmux` on this test's own server, without the user's configuration.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-S").arg(self.dir.join("tmux.sock"));
        cmd.args(["-f", "/dev/null"]).args(args).env_remove("TMUX");
        cmd
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out: Output = self
            .command(args)
            .output()
            .expect("tmux must be installed to run the end-to-end tests");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// What the pane shows now, after the lines scrolled off it: tmux's "Pane is dead" notice
    /// scrolls the screen by one line, which would hide an exit status printed on the top line.
    /// (The alternate screen has no scrollback, so while kterm runs this is just its screen.)
    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-S", "-", "-t", &self.name])
    }

    /// Sends keys in tmux's notation (`q`, `C-f`, `Enter`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.name.as_str()];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// The pid of the pane's process (the program itself when the script `exec`s it).
    fn pid(&self) -> u32 {
        let out = self.tmux(&["display-message", "-p", "-t", &self.name, "#{pane_pid}"]);
        out.trim().parse().expect("tmux prints the pane pid")
    }

    /// Polls the screen every 100 ms until `ready` holds; panics with the screen and the log.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                self.fail(
                    &format!("timed out after {DEADLINE:?} waiting for {what}"),
                    &screen,
                );
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    fn fail(&self, why: &str, screen: &str) -> ! {
        let log = std::fs::read_to_string(self.dir.join("kterm/kterm.log")).unwrap_or_default();
        let tail = log.lines().count().saturating_sub(15);
        let log: Vec<&str> = log.lines().skip(tail).collect();
        panic!(
            "{why}\n----- screen -----\n{screen}\n----- kterm.log (tail) -----\n{}",
            log.join("\n")
        );
    }

    /// Panics with the screen unless `cond` holds.
    fn check(&self, cond: bool, why: &str, screen: &str) {
        if !cond {
            self.fail(why, screen);
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        // Never panics: this also runs while a failed assertion unwinds.
        let _ = self.command(&["kill-server"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A simulated cluster for one test, served by its own runtime (dropped after the cluster).
struct Sim {
    handle: kterm_sim::SimHandle,
    runtime: tokio::runtime::Runtime,
}

impl std::ops::Deref for Sim {
    type Target = kterm_sim::SimHandle;
    fn deref(&self) -> &kterm_sim::SimHandle {
        &self.handle
    }
}

/// Starts a simulated cluster with `opts`.
fn start_sim(opts: kterm_sim::SimOpts) -> Sim {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("build a tokio runtime");
    let handle = runtime
        .block_on(kterm_sim::start(opts))
        .expect("start the simulated cluster");
    Sim { handle, runtime }
}

/// `text` as one single-quoted shell word.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A script running kterm with `args` and then printing its exit status.
fn kterm_then_status(args: &str) -> String {
    format!("{} {args}; echo \"EXITED $?\"", quote(KTERM))
}

/// Table rows (not the status bar) whose first column is `namespace`.
fn rows_of<'a>(screen: &'a str, namespace: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    screen
        .lines()
        // Rows may start with a health flag glyph (✖, M, ↻, …) before the namespace.
        .filter(move |l| {
            let mut words = l.split_whitespace();
            let first = words.next();
            first == Some(namespace)
                || (first.is_some_and(|w| w.chars().count() == 1)
                    && words.next() == Some(namespace))
        })
}

/// M of the status bar's "N pods, M not ready", if shown.
fn not_ready(screen: &str) -> Option<usize> {
    let before = screen.split(" not ready").next()?;
    if before.len() == screen.len() {
        return None;
    }
    before.rsplit(", ").next()?.trim().parse().ok()
}

#[test]
fn demo_shows_the_tenants_pods_and_quits_cleanly() {
    let pane = Pane::new("demo").run(120, 40, &kterm_then_status("--demo"));
    let screen = pane.wait_for("the demo's first page with c2a7dv and a Pending pod", |s| {
        s.contains("NAMESPACE NAME")
            && rows_of(s, "c2a7dv").next().is_some()
            && s.contains("Pending")
    });
    let unhealthy = not_ready(&screen);
    pane.check(
        unhealthy.is_some_and(|m| m > 0),
        "the status bar should count the demo's unhealthy pods (\"N pods, M not ready\", M > 0)",
        &screen,
    );

    // The crash-looping pod (m8q3rx/rest-prd-*) is pages further down: page until its row shows.
    let start = Instant::now();
    let mut last_key = Instant::now() - Duration::from_secs(10);
    let mut pages = 0;
    let crashloop = loop {
        let screen = pane.screen();
        let rest_prd: Vec<&str> = rows_of(&screen, "m8q3rx")
            .filter(|l| l.contains("rest-prd-"))
            .collect();
        if rest_prd.iter().any(|l| l.contains("CrashLoopBackOff")) {
            break screen;
        }
        if start.elapsed() > DEADLINE {
            pane.fail(
                "m8q3rx's rest-prd pod never showed CrashLoopBackOff",
                &screen,
            );
        }
        // Page down once a second while its row is not on screen; wrap to the top at the end.
        if rest_prd.is_empty() && last_key.elapsed() > Duration::from_secs(1) {
            if pages < 6 {
                pane.keys(&["C-f"]);
                pages += 1;
            } else {
                pane.keys(&["g"]);
                pages = 0;
            }
            last_key = Instant::now();
        }
        std::thread::sleep(POLL);
    };
    pane.check(
        crashloop.contains("│ live"),
        "the status bar should say the watch is live",
        &crashloop,
    );

    pane.keys(&["G"]);
    pane.wait_for("the last page (t4k9pz is the last tenant)", |s| {
        rows_of(s, "t4k9pz").next().is_some()
    });
    pane.keys(&["q"]);
    let after = pane.wait_text("EXITED 0");
    pane.check(
        !after.contains("NAMESPACE NAME") && !after.contains("kterm-sim │"),
        "after quitting, the alternate screen should be gone (no table, no status bar)",
        &after,
    );
}

#[test]
fn sighup_ends_kterm() {
    let pane = Pane::new("sighup").run(120, 40, &format!("exec {} --demo", quote(KTERM)));
    pane.wait_for("pod rows", |s| rows_of(s, "c2a7dv").next().is_some());
    let pid = pane.pid();
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let comm = std::fs::read_to_string(proc_dir.join("comm")).unwrap_or_default();
    assert_eq!(
        comm.trim(),
        "kterm",
        "the pane's process {pid} should be kterm itself"
    );

    let status = Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -HUP {pid} failed");
    let start = Instant::now();
    // Gone, or a zombie tmux has not reaped yet: either way kterm has exited.
    let alive = || {
        std::fs::read_to_string(proc_dir.join("stat")).is_ok_and(|stat| {
            stat.rsplit(") ")
                .next()
                .is_some_and(|s| !s.starts_with('Z'))
        })
    };
    while alive() {
        if start.elapsed() > Duration::from_secs(2) {
            let screen = pane.screen();
            pane.fail(
                &format!("kterm (pid {pid}) still runs 2 s after SIGHUP"),
                &screen,
            );
        }
        std::thread::sleep(POLL);
    }
    // Both ways out (the loop ending, or the 1 s fallback exit) must restore the terminal;
    // tmux keeps a dead pane's last screen, so a table left on it would stay there.
    pane.wait_for("kterm to have left the alternate screen", |s| {
        !s.contains("NAMESPACE NAME") && !s.contains("kterm-sim │")
    });
}

#[test]
fn dead_cluster_shows_the_error_and_keeps_the_ui_alive() {
    // A port nothing listens on: bound to learn a free one, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free port")
        .port();
    let pane = Pane::new("dead");
    let kubeconfig = pane.dir().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\n\
             clusters:\n- name: dead\n  cluster:\n    server: http://127.0.0.1:{port}\n\
             users:\n- name: dead\n  user: {{}}\n\
             contexts:\n- name: dead\n  context:\n    cluster: dead\n    user: dead\n    namespace: default\n\
             current-context: dead\n"
        ),
    )
    .expect("write the kubeconfig");
    let script = kterm_then_status(&format!(
        "--kubeconfig {}",
        quote(&kubeconfig.to_string_lossy())
    ));
    let pane = pane.run(120, 40, &script);

    let screen = pane.wait_text("The cluster refused the connection");
    pane.check(
        screen.contains("check the server address and port"),
        "the sentence should say what to check",
        &screen,
    );
    let bar = screen
        .lines()
        .rfind(|l| l.contains(" dead "))
        .unwrap_or_default();
    pane.check(
        bar.trim_end().ends_with("│ retrying"),
        "the status bar should name the context and say the watch is retrying",
        &screen,
    );
    pane.check(
        screen.contains("No pods to show."),
        "the empty table should say there is nothing to show",
        &screen,
    );
    pane.keys(&["j"]);
    pane.keys(&["k"]);
    pane.keys(&["q"]);
    let after = pane.wait_text("EXITED 0");
    pane.check(
        !after.contains("refused the connection"),
        "after quitting, the alternate screen should be gone",
        &after,
    );
}

#[test]
fn tiny_terminal_says_too_small() {
    let pane = Pane::new("tiny").run(30, 5, &kterm_then_status("--demo"));
    pane.wait_text("too small");
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn tenant_rbac_still_shows_tenant_pods() {
    let sim = start_sim(kterm_sim::SimOpts {
        rbac: kterm_sim::RbacProfile::Tenant,
        ..Default::default()
    });
    let args = format!(
        "--kubeconfig {} -n c2a7dv,t4k9pz",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = Pane::new("tenant").run(120, 40, &kterm_then_status(&args));

    let screen = pane.wait_for(
        "appserver-prd rows of c2a7dv and t4k9pz, and a live watch",
        |s| {
            let has = |ns| rows_of(s, ns).any(|l| l.contains("appserver-prd-"));
            has("c2a7dv") && has("t4k9pz") && s.contains("│ live")
        },
    );
    let bar = screen
        .lines()
        .rfind(|l| l.contains("kterm-sim"))
        .unwrap_or_default();
    pane.check(
        bar.contains("c2a7dv,t4k9pz") && bar.trim_end().ends_with("│ live"),
        "the status bar should show the two namespaces and a live watch, no error sentence",
        &screen,
    );
    for error in ["may not", "Cannot", "retrying", "failed", "forbidden"] {
        pane.check(
            !screen.contains(error),
            &format!("unexpected error text {error:?}"),
            &screen,
        );
    }
    let others: Vec<&String> = sim
        .tenants
        .iter()
        .filter(|t| !["c2a7dv", "t4k9pz"].contains(&t.as_str()))
        .collect();
    pane.check(
        others.iter().all(|t| rows_of(&screen, t).next().is_none()),
        &format!("only the two requested tenants should be listed, none of {others:?}"),
        &screen,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

#[test]
fn tenant_rbac_with_all_namespaces_falls_back_to_the_configured_tenants() {
    let sim = start_sim(kterm_sim::SimOpts {
        rbac: kterm_sim::RbacProfile::Tenant,
        ..Default::default()
    });
    let pane = Pane::new("fallback");
    let config = pane.dir().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.yaml"),
        "tenants:\n  - namespace: m8q3rx\n    name: Rest Co\n  - t4k9pz\n",
    )
    .expect("write config.yaml");
    let script = format!(
        "KTERM_CONFIG_DIR={} {}",
        quote(&config.to_string_lossy()),
        kterm_then_status(&format!(
            "--kubeconfig {} -A",
            quote(&sim.kubeconfig().to_string_lossy())
        ))
    );
    let pane = pane.run(120, 40, &script);
    let screen = pane.wait_for("both tenants' pods, live, after the fall-back", |s| {
        rows_of(s, "m8q3rx").next().is_some()
            && rows_of(s, "t4k9pz").next().is_some()
            && s.contains("│ live")
    });
    pane.check(
        screen.contains("You may not watch pods in all namespaces, so kterm watches the 2")
            && screen.contains("m8q3rx,t4k9pz"),
        "the status bar should say once why it watches the two tenants one by one",
        &screen,
    );
    pane.check(
        rows_of(&screen, "c2a7dv").next().is_none() && !screen.contains("retrying"),
        "only the configured tenants, and no error left",
        &screen,
    );
    // esc dismisses the sentence; the rows stay.
    pane.keys(&["Escape"]);
    pane.wait_for("the sentence dismissed", |s| {
        !s.contains("You may not") && rows_of(s, "t4k9pz").next().is_some()
    });
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

#[test]
fn filter_by_status_shows_the_crash_looping_pod_and_esc_clears_it() {
    let pane = Pane::new("filter").run(120, 40, &kterm_then_status("--demo"));
    let full = pane.wait_for("the demo listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    let rows = |s: &str| {
        s.lines()
            .filter(|l| l.contains("/1 ") || l.contains("/2 "))
            .count()
    };
    pane.keys(&["/"]);
    // -l: the text is typed literally, like a person at the keyboard.
    pane.keys(&["-l", "status:crash"]);
    pane.wait_text("/status:crash");
    pane.keys(&["Enter"]);
    let filtered = pane.wait_for("only crash-looping rows and the kept filter", |s| {
        s.contains("CrashLoopBackOff") && s.contains("of ") && rows(s) <= 5
    });
    pane.check(
        filtered
            .lines()
            .filter(|l| l.contains("/1 ") || l.contains("/2 "))
            .all(|l| l.contains("CrashLoopBackOff")),
        "every row left should be crash-looping",
        &filtered,
    );
    pane.keys(&["Escape"]);
    let cleared = pane.wait_for("the filter gone and the table full again", |s| {
        !s.contains("status:crash") && rows(s) >= rows(&full).min(10)
    });
    pane.check(
        rows(&cleared) > rows(&filtered),
        "esc should bring the rows back",
        &cleared,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

/// `kubectl` against `sim` with `args`: its stdout, or a panic naming the error.
fn kubectl(kubectl: &str, sim: &Sim, args: &[&str]) -> String {
    let out = Command::new(kubectl)
        .arg("--kubeconfig")
        .arg(sim.kubeconfig())
        .args(args)
        .output()
        .expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// kubectl, or None (the test is then skipped) unless KTERM_REQUIRE_KUBECTL=1, as in CI.
fn kubectl_bin() -> Option<&'static str> {
    let found = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if found.is_none() {
        assert!(
            std::env::var("KTERM_REQUIRE_KUBECTL").as_deref() != Ok("1"),
            "kubectl is required (KTERM_REQUIRE_KUBECTL=1) but not installed"
        );
        eprintln!("kubectl not found: test skipped");
    }
    found
}

#[test]
fn a_pod_deleted_with_kubectl_vanishes_and_its_replacement_appears() {
    let Some(kubectl) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let kubeconfig = sim.kubeconfig().to_string_lossy().into_owned();
    let args = format!("--kubeconfig {} -n r2g5mu", quote(&kubeconfig));
    let pane = Pane::new("delete").run(120, 40, &kterm_then_status(&args));
    let rest_pods = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|w| w.starts_with("rest-prd-"))
            .map(str::to_string)
            .collect()
    };
    let before = pane.wait_for("the rest-prd pod, live", |s| {
        rest_pods(s).len() == 1 && s.contains("│ live")
    });
    let victim = rest_pods(&before).remove(0);
    let out = Command::new(kubectl)
        .args([
            "--kubeconfig",
            &kubeconfig,
            "-n",
            "r2g5mu",
            "delete",
            "pod",
            &victim,
        ])
        .args(["--wait=false"])
        .output()
        .expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl delete failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = pane.wait_for("the old pod gone and a new rest-prd pod running", |s| {
        let pods = rest_pods(s);
        !s.contains(&victim)
            && pods.len() == 1
            && s.lines()
                .any(|l| l.contains(&pods[0]) && l.contains("Running"))
    });
    pane.check(
        after.contains("│ live"),
        "the watch stays live through the change",
        &after,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
    drop(pane);
    drop(sim);
}

#[test]
fn tenant_picker_focuses_a_tenant_and_favourites_come_back_with_digits() {
    let pane = Pane::new("picker").run(120, 40, &kterm_then_status("--demo"));
    pane.wait_for("the demo listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&["t"]);
    pane.wait_text("Tenants — type to narrow");
    pane.keys(&["-l", "t4k9"]);
    pane.wait_for("the picker narrowed to t4k9pz", |s| {
        s.contains("> t4k9▏") && s.contains("│   t4k9pz ") && !s.contains("│   c2a7dv ")
    });
    pane.keys(&["*"]);
    pane.wait_text("★1 t4k9pz");
    pane.keys(&["Enter"]);
    let focused = pane.wait_for("only t4k9pz's pods, without a NAMESPACE column", |s| {
        s.contains("tenant t4k9pz (0: all)") && !s.contains("NAMESPACE")
    });
    pane.check(
        focused.contains("appserver-prd-") && focused.contains("OOMKilled"),
        "the focused tenant's OOM-killed appserver is shown",
        &focused,
    );
    pane.keys(&["0"]);
    pane.wait_for("every tenant again", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ all namespaces")
    });
    pane.keys(&["1"]);
    pane.wait_text("tenant t4k9pz (0: all)");
    let saved = std::fs::read_to_string(pane.dir().join("kterm/favourites")).unwrap_or_default();
    pane.check(
        saved.trim() == "t4k9pz",
        &format!("the favourite should be saved for the next start, got {saved:?}"),
        &focused,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn describe_yaml_and_detail_pane_of_the_oom_killed_pod() {
    let pane = Pane::new("detail").run(120, 40, &kterm_then_status("--demo"));
    pane.wait_for("the demo listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&["/"]);
    pane.keys(&["-l", "appserver-prd"]);
    pane.keys(&["Enter"]);
    pane.wait_for("only appserver-prd rows, t4k9pz's among them", |s| {
        s.contains("/appserver-prd ") && rows_of(s, "t4k9pz").next().is_some()
    });
    // u selects the first pod that needs a look: t4k9pz's OOM-killed appserver.
    pane.keys(&["u"]);
    pane.keys(&["d"]);
    let described = pane.wait_for("the describe view with the OOM kill", |s| {
        s.contains("Describe  pod t4k9pz/appserver-prd-") && s.contains("Exit Code:    137")
    });
    for text in [
        "Namespace:        t4k9pz",
        "    Last State:     Terminated",
        "      Reason:       OOMKilled",
    ] {
        pane.check(
            described.contains(text),
            &format!("describe shows {text:?}"),
            &described,
        );
    }
    pane.keys(&["Escape"]);
    pane.wait_for("the table again, filter kept", |s| {
        s.contains("NAMESPACE NAME") && s.contains("/appserver-prd ")
    });

    pane.keys(&["y"]);
    let yaml = pane.wait_for("the YAML view", |s| {
        s.contains("YAML  pod t4k9pz/appserver-prd-") && s.contains("apiVersion: v1")
    });
    pane.check(
        !yaml.contains("managedFields:") && yaml.contains("managedFields hidden"),
        "managedFields are hidden by default",
        &yaml,
    );
    pane.keys(&["Escape"]);
    pane.wait_text("NAMESPACE NAME");

    pane.keys(&["Enter"]);
    let detail = pane.wait_for("the detail pane with the last termination", |s| {
        s.contains("Last State: Terminated, Reason: OOMKilled, Exit Code: 137")
    });
    pane.check(
        detail.contains("NAMESPACE NAME") && detail.contains("pod t4k9pz/appserver-prd-"),
        "the pane sits under the table and names the pod",
        &detail,
    );
    pane.keys(&["Escape"]);
    pane.wait_for("the pane closed", |s| !s.contains("Last State:"));
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}
// What a probe of bad input found (issue 7, item 8).
#[path = "e2e/alerts.rs"]
mod alerts;
#[path = "e2e/defects.rs"]
mod defects;
#[path = "e2e/delete.rs"]
mod delete;
// Command mode and drill-downs.
#[path = "e2e/lists.rs"]
mod lists;

#[path = "e2e/rooms.rs"]
mod rooms;

// Columns that give way by priority and keep the name.
#[path = "e2e/columns.rs"]
mod columns;

// Handing the terminal to a child process and back.
#[path = "e2e/terminal.rs"]
mod terminal;

// A list recovering from a server restart; RBAC refusing a namespace watch.
#[path = "e2e/watch.rs"]
mod watch;

// The log view: follow, previous container, search, aggregation, escapes, RBAC, save, OOM.
#[path = "e2e/logs.rs"]
mod logs;

// Shells in process: answers, resize, less, exit code, the table back; RBAC refusal.
#[path = "e2e/shell.rs"]
mod shell;

// Edit with kubectl edit's safety: the editor, broken YAML, the 409 and its re-apply.
#[path = "e2e/edit.rs"]
mod edit;

// Workload and CronJob actions: scale, restart, the resources form, trigger, suspend.
#[path = "e2e/actions.rs"]
mod actions;

// The clipboard over SSH: OSC 52 bytes captured through a pty, and through tmux's passthrough.
#[path = "e2e/clipboard.rs"]
mod clipboard;
// CPU and MEM against limits, the OOM-risk flag, the metrics key.
#[path = "e2e/metrics.rs"]
mod metrics;
// The tenant health overview: the landing view, its order, the drill-in and back.
#[path = "e2e/overview.rs"]
mod overview;
