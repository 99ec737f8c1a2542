//! The log view end to end (issue 8): following, the previous container, search, a workload's
//! pods aggregated as one joins, escape sequences shown inert, the tenant RBAC profile, saving,
//! and the marker of an OOM kill — each against its own `kterm-sim`, judged by the pane.

use std::path::Path;

use super::{kterm_then_status, kubectl, kubectl_bin, quote, start_sim, Pane, Sim};

/// kterm in `pane` against `sim`, watching `namespace`, once its pods are listed and live.
fn kterm_on(pane: Pane, sim: &Sim, namespace: &str) -> Pane {
    let args = format!(
        "--kubeconfig {} -n {namespace}",
        quote(&sim.kubeconfig().to_string_lossy())
    );
    let pane = pane.run(120, 40, &kterm_then_status(&args));
    pane.wait_for("the pods listed and live", |s| {
        status(s).trim_end().ends_with("│ live")
    });
    pane
}

/// Narrows the list on screen with `/text`, then opens the logs of the first row with `l`;
/// returns the screen once the view follows and shows a line.
fn open_log(pane: &Pane, text: &str) -> String {
    pane.keys(&["/"]);
    pane.keys(&["-l", text]);
    pane.keys(&["Enter"]);
    pane.wait_for(&format!("rows filtered by {text}"), |s| {
        s.contains(&format!("/{text} ")) && !s.contains('▏') && body(s).any(|r| r.contains(text))
    });
    pane.keys(&["l"]);
    pane.wait_for("the log view following, with lines", |s| {
        header(s).starts_with(" Logs ")
            && header(s).contains("│ following")
            && received(s).is_some_and(|n| n > 0)
    })
}

/// The first row: the log view's header.
fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or_default()
}

/// The rows between the header and the status bar.
fn body(screen: &str) -> impl Iterator<Item = &str> {
    let rows: Vec<&str> = screen.lines().collect();
    let end = rows.len().saturating_sub(1);
    rows.into_iter().take(end).skip(1)
}

/// The status bar (the last row).
fn status(screen: &str) -> &str {
    screen.lines().last().unwrap_or_default()
}

/// `pod` of the header's ` Logs ns/pod [container] │ …`.
fn header_pod(screen: &str) -> String {
    let what = header(screen).trim_start().trim_start_matches("Logs ");
    let pod = what.split_whitespace().next().unwrap_or_default();
    pod.rsplit('/').next().unwrap_or_default().to_string()
}

/// N of the header's `│ N lines │` (lines received).
fn received(screen: &str) -> Option<u64> {
    header(screen)
        .split('│')
        .filter_map(|part| {
            let part = part.trim();
            part.strip_suffix(" lines")
                .or_else(|| part.strip_suffix(" line"))
        })
        .find_map(|n| n.replace(',', "").parse().ok())
}

/// A line's text as the view draws it: the two-column level glyph cut off.
fn text_of(row: &str) -> String {
    row.chars().skip(2).collect::<String>().trim().to_string()
}

/// Quits kterm and checks it exits cleanly.
fn quit(pane: &Pane) {
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn logs_follow_shows_new_lines_without_a_key() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = kterm_on(Pane::new("logs-follow"), &sim, "r2g5mu");
    let first = open_log(&pane, "lockserver-prd");
    let before: Vec<String> = body(&first).map(str::to_string).collect();
    // The simulator writes a line every 1–3 s on a running pod.
    let later = pane.wait_for("a line that was not on screen at first", |s| {
        body(s).any(|r| !r.trim().is_empty() && !before.iter().any(|b| b == r))
    });
    pane.check(
        header(&later).contains("│ following"),
        "still following after the new line",
        &later,
    );
    quit(&pane);
}

#[test]
fn logs_p_on_the_crash_looping_pod_shows_what_kubectl_logs_p_prints() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = kterm_on(Pane::new("logs-previous"), &sim, "m8q3rx");
    let pod = header_pod(&open_log(&pane, "rest-prd"));
    pane.keys(&["p"]);
    // Asked again on every poll: a restart in between changes what the previous container is.
    let screen = pane.wait_for(
        "the previous container's lines, as kubectl logs -p prints them",
        |s| {
            let expected = kubectl(kubectl_path, &sim, &["logs", "-p", "-n", "m8q3rx", &pod]);
            let want: Vec<&str> = expected.lines().map(str::trim).collect();
            let shown: Vec<String> = body(s)
                .filter(|r| !r.trim().is_empty())
                .map(text_of)
                .collect();
            header(s).contains("│ previous container")
                && !want.is_empty()
                && shown.len() >= want.len()
                && shown[shown.len() - want.len()..] == want[..]
        },
    );
    pane.check(
        body(&screen).any(|r| r.starts_with("✗ ") && r.contains("FATAL")),
        "the FATAL line carries the error glyph",
        &screen,
    );
    quit(&pane);
}

#[test]
fn logs_search_puts_an_error_line_far_back_at_the_top_highlighted() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = kterm_on(Pane::new("logs-search"), &sim, "t4k9pz");
    let pod = header_pod(&open_log(&pane, "appserver-hml"));
    // The whole log: thousands of lines, of which a screen shows the last few dozen.
    let log = kubectl(kubectl_path, &sim, &["logs", "-n", "t4k9pz", &pod]);
    let lines: Vec<&str> = log.lines().collect();
    // An ERROR line in the older half, found by its time to the millisecond, which no other
    // line carries: `[ERROR][2026-12-06 00:24:04.868] THREAD ERROR …`.
    let token = lines[..lines.len() / 2]
        .iter()
        .filter(|l| l.starts_with("[ERROR]"))
        .filter_map(|l| l.split(']').nth(1))
        .filter_map(|t| t.split(' ').nth(1))
        .find(|t| t.len() == 12 && log.matches(t).count() == 1)
        .unwrap_or_else(|| {
            panic!("no ERROR line with a unique time in the older half of {pod}'s log")
        })
        .to_string();
    pane.keys(&["5"]);
    let want = lines.len() as u64 * 9 / 10;
    pane.wait_for("the whole log read again", |s| {
        header(s).contains("│ all lines") && received(s).is_some_and(|n| n >= want)
    });
    pane.keys(&["/"]);
    pane.keys(&["-l", &token]);
    pane.keys(&["Enter"]);
    // A long pod name leaves the header's end cut off at 120 columns: the search may be too.
    let named = |s: &str| {
        header(s).split("│ /").nth(1).is_some_and(|shown| {
            let shown = shown.split(' ').next().unwrap_or_default();
            !shown.is_empty() && token.starts_with(shown.trim_end_matches('…'))
        })
    };
    let screen = pane.wait_for("the ERROR line at the top, paused, the search named", |s| {
        header(s).contains("│ paused")
            && named(s)
            && body(s).next().is_some_and(|r| r.contains(&token))
    });
    pane.check(
        body(&screen)
            .next()
            .is_some_and(|r| r.starts_with("✗ [ERROR]")),
        "the top line is the ERROR line, with its glyph",
        &screen,
    );
    // With attributes: the match has a style of its own, set just before it and reset after.
    let styled = pane.tmux(&["capture-pane", "-p", "-e", "-t", &pane.name]);
    let top = styled.lines().nth(1).unwrap_or_default();
    pane.check(
        top.contains(&format!("m{token}\u{1b}[")),
        &format!("the match is highlighted; top row with attributes: {top:?}"),
        &screen,
    );
    quit(&pane);
}

#[test]
fn logs_of_a_deployment_take_in_a_pod_scaled_up_with_kubectl() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = kterm_on(Pane::new("logs-aggregate"), &sim, "t4k9pz");
    let tag = |pod: &str| pod.rsplit('-').next().unwrap_or_default().to_string();
    let pods = kubectl(
        kubectl_path,
        &sim,
        &["get", "pods", "-n", "t4k9pz", "-o", "name"],
    );
    let before: Vec<String> = pods
        .lines()
        .filter(|p| p.contains("/appserver-prd-"))
        .map(tag)
        .collect();
    pane.keys(&[":"]);
    pane.keys(&["-l", "deploy"]);
    pane.keys(&["Enter"]);
    pane.wait_for("the deployment list, live", |s| {
        s.contains(" deployments") && s.contains("│ live")
    });
    let screen = open_log(&pane, "appserver-prd");
    pane.check(
        header(&screen).contains("t4k9pz/deploy/appserver-prd (all pods)"),
        "the header names the deployment",
        &screen,
    );
    pane.check(
        body(&screen).any(|r| {
            before
                .iter()
                .any(|t| r.contains(&format!(" {t}/appserver ")))
        }),
        &format!("lines carry the tag of one of the pods {before:?}"),
        &screen,
    );

    kubectl(
        kubectl_path,
        &sim,
        &[
            "scale",
            "deploy",
            "appserver-prd",
            "-n",
            "t4k9pz",
            "--replicas=3",
        ],
    );
    // The marker may scroll away before the new pod's lines come: remember it when seen.
    let joined = std::cell::RefCell::new(None::<String>);
    let screen = pane.wait_for("a new pod's join marker and lines tagged with it", |s| {
        for row in body(s) {
            let Some(t) = row.trim().strip_prefix("── ") else {
                continue;
            };
            if let Some(t) = t.strip_suffix(" pod joined ──") {
                joined.replace(Some(t.to_string()));
            }
        }
        joined
            .borrow()
            .as_ref()
            .is_some_and(|t| body(s).any(|r| r.contains(&format!(" {t}/appserver "))))
    });
    let joined = joined.into_inner().unwrap_or_default();
    pane.check(
        !before.contains(&joined),
        &format!("{joined} joined, which is none of the pods before ({before:?})"),
        &screen,
    );
    quit(&pane);
}

#[test]
fn logs_show_escape_sequences_as_inert_text() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = kterm_on(Pane::new("logs-escapes"), &sim, "r2g5mu");
    // tmux takes an application's OSC 52 into a paste buffer only with this on.
    pane.tmux(&["set-option", "-s", "set-clipboard", "on"]);
    open_log(&pane, "lockserver-hml");
    pane.keys(&["&"]);
    pane.keys(&["-l", "ESC-TEST"]);
    pane.keys(&["Enter"]);
    let shown = [
        "ESC-TEST title ^[]0;pwned-title^G end",
        "ESC-TEST clipboard ^[]52;c;cHduZWQ=^G end",
        "ESC-TEST bell ^G end",
        "ESC-TEST cursor ^[[2J^[[H^[[5;5H moved end",
        "ESC-TEST color ^[[31mred^[[0m end",
    ];
    let screen = pane.wait_for("each escape-test line shown as text", |s| {
        // The filter applies as it is typed; wait for enter to have closed its line too.
        header(s).contains("│ &ESC-TEST: ")
            && status(s).contains("kterm-sim │")
            && shown.iter().all(|l| body(s).any(|r| r.trim() == *l))
    });
    pane.check(
        header(&screen).starts_with(" Logs r2g5mu/lockserver-hml-")
            && status(&screen).contains("kterm-sim │"),
        "nothing cleared or moved: the header is on the first row, the status bar on the last",
        &screen,
    );
    let title = pane.tmux(&["display-message", "-p", "-t", &pane.name, "#{pane_title}"]);
    pane.check(
        !title.contains("pwned"),
        &format!("the pane title stays, got {title:?}"),
        &screen,
    );
    let bell = pane.tmux(&[
        "display-message",
        "-p",
        "-t",
        &pane.name,
        "#{window_bell_flag}",
    ]);
    pane.check(bell.trim() == "0", "no bell rang", &screen);
    let buffers = pane.tmux(&["list-buffers"]);
    pane.check(
        buffers.trim().is_empty(),
        &format!("nothing reached the clipboard, got {buffers:?}"),
        &screen,
    );
    quit(&pane);
}

#[test]
fn logs_open_under_the_tenant_rbac_profile() {
    let sim = start_sim(kterm_sim::SimOpts {
        rbac: kterm_sim::RbacProfile::Tenant,
        ..Default::default()
    });
    let pane = kterm_on(Pane::new("logs-tenant"), &sim, "t4k9pz");
    let screen = open_log(&pane, "appserver-hml");
    pane.check(
        body(&screen).any(|r| r.contains("[INFO ]")),
        "the appserver's lines are shown",
        &screen,
    );
    let bar = status(&screen);
    pane.check(
        bar.trim_end().ends_with("│ live"),
        "the status bar carries no error sentence",
        &screen,
    );
    for error in ["may not", "Cannot", "forbidden", "Forbidden"] {
        pane.check(
            !header(&screen).contains(error) && !bar.contains(error),
            &format!("unexpected error text {error:?}"),
            &screen,
        );
    }
    quit(&pane);
}

#[test]
fn logs_save_writes_the_lines_and_asks_before_replacing() {
    let sim = start_sim(kterm_sim::SimOpts::default());
    let pane = kterm_on(Pane::new("logs-save"), &sim, "m8q3rx");
    let pod = header_pod(&open_log(&pane, "rest-prd"));
    // The previous container's log: a few lines that no longer change.
    pane.keys(&["p"]);
    let screen = pane.wait_for("the previous container's lines", |s| {
        header(s).contains("│ previous container") && body(s).any(|r| r.contains("FATAL"))
    });
    let lines: Vec<String> = body(&screen)
        .filter(|r| !r.trim().is_empty())
        .map(text_of)
        .collect();
    let path = pane.dir().join("saved.log");
    let path_text = path.to_string_lossy().into_owned();
    let saved = format!("Saved {} lines to {path_text}.", lines.len());

    pane.keys(&["C-s"]);
    let default = format!("{pod}_rest_previous_");
    let line = pane.wait_for("the save line with the default name", |s| {
        s.contains(&default)
    });
    let typed = status(&line).trim().chars().count();
    pane.keys(&["-N", &(typed + 2).to_string(), "BSpace"]);
    pane.keys(&["-l", &path_text]);
    pane.keys(&["Enter"]);
    pane.wait_text(&saved);
    let written = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    let file: Vec<String> = written(&path)
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    pane.check(
        file == lines,
        &format!("the file holds the lines on screen, got {file:?}"),
        &screen,
    );

    std::fs::write(&path, "older\n").expect("replace the saved file");
    pane.keys(&["Escape"]);
    pane.wait_for("the message dismissed", |s| !s.contains("Saved "));
    pane.keys(&["C-s"]);
    pane.wait_text(&default);
    pane.keys(&["-N", &(typed + 2).to_string(), "BSpace"]);
    pane.keys(&["-l", &path_text]);
    pane.keys(&["Enter"]);
    pane.wait_text(&format!("{path_text} exists. Replace it? (y/n)"));
    pane.check(
        written(&path) == "older\n",
        "nothing is written before the answer",
        &screen,
    );
    pane.keys(&["y"]);
    pane.wait_text(&saved);
    let file: Vec<String> = written(&path)
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    pane.check(file == lines, "y replaced the file", &screen);
    quit(&pane);
}

/// A tenant whose appserver is OOM-killed 5 s after each start; no replica until scaled, so
/// the log is opened while its first container runs.
const OOM_SCENARIO: &str = r#"include: default
tenants: [o5k2aa]
objects:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: o5k2aa
      labels: {kterm.io/tenant: "true", tenant: o5k2aa}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: appserver-prd, namespace: o5k2aa, labels: {app: appserver}}
    spec:
      replicas: 0
      selector: {matchLabels: {app: appserver}}
      template:
        metadata:
          labels: {app: appserver}
          annotations: {sim.kterm.io/behavior: oom, sim.kterm.io/oom-seconds: "5"}
        spec:
          containers:
            - name: appserver
              image: totvs/appserver:12.1.2410
              resources: {limits: {memory: 2Gi}}
"#;

#[test]
fn logs_follow_the_new_container_through_an_oom_kill() {
    let Some(kubectl_path) = kubectl_bin() else {
        return;
    };
    let scratch = Pane::new("logs-oom");
    let scenario = scratch.dir().join("oom.yaml");
    std::fs::write(&scenario, OOM_SCENARIO).expect("write the scenario");
    let sim = start_sim(kterm_sim::SimOpts {
        scenario: kterm_sim::ScenarioChoice::File(scenario),
        ..Default::default()
    });
    let pane = kterm_on(scratch, &sim, "o5k2aa");
    kubectl(
        kubectl_path,
        &sim,
        &[
            "scale",
            "deploy",
            "appserver-prd",
            "-n",
            "o5k2aa",
            "--replicas=1",
        ],
    );
    pane.wait_for("the appserver pod running", |s| {
        body(s).any(|r| r.contains("appserver-prd-") && r.contains("Running"))
    });
    open_log(&pane, "appserver-prd");
    let marker = "── container appserver restarted: OOMKilled, exit 137 ──";
    let after = |s: &str| {
        body(s)
            .skip_while(|r| !r.contains(marker))
            .skip(1)
            .any(|r| !r.trim().is_empty() && !r.contains("──"))
    };
    pane.wait_text(marker);
    let screen = pane.wait_for("the new container's lines after the marker", after);
    pane.check(
        header(&screen).contains("│ following"),
        "still following the pod",
        &screen,
    );
    quit(&pane);
}
