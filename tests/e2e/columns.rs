//! Columns that keep the name (issue 7): the OOM-killed replicas of the demo's t4k9pz are
//! whole at 120 columns and told apart by their unique suffixes at 80.

use super::{kterm_then_status, Pane};

/// The OOM-killed rows on screen (flag `M`), and their names' last `-` segments.
fn oom_suffixes(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.starts_with('M') && l.contains("OOMKilled"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter_map(|name| name.rsplit('-').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn oom_killed_replicas_show_whole_at_120_and_apart_at_80() {
    let pane = Pane::new("columns").run(120, 40, &kterm_then_status("--demo -n t4k9pz"));
    pane.wait_for("t4k9pz listed and live", |s| {
        s.contains("NAME") && s.contains("OOMKilled") && s.contains("│ live")
    });
    // Sort by LAST TERM: the two OOM-killed replicas come together.
    pane.keys(&["L"]);
    let wide = pane.wait_text("LAST TERM↓");
    let names: Vec<String> = wide
        .lines()
        .filter(|l| l.starts_with('M') && l.contains("OOMKilled"))
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
        .collect();
    pane.check(
        names.len() == 2
            && names.iter().all(|n| {
                n.len() == "appserver-prd-4f6d28d5de-xxxxx".len()
                    && n.starts_with("appserver-prd-4f6d28d5de-")
            }),
        "both OOM-killed appserver-prd replicas should show their full names at 120 columns",
        &wide,
    );
    let suffixes: Vec<String> = names
        .iter()
        .filter_map(|n| n.rsplit('-').next().map(str::to_string))
        .collect();

    pane.tmux(&["resize-window", "-t", &pane.name, "-x", "80", "-y", "24"]);
    let narrow = pane.wait_for("the table redrawn at 80 columns", |s| {
        // At 80 columns IP, NODE and AGE give way and the header names them.
        s.lines().next().is_some_and(|l| l.contains("+IP,NODE,AGE")) && oom_suffixes(s).len() == 2
    });
    let mut shown = oom_suffixes(&narrow);
    shown.sort();
    let mut want = suffixes.clone();
    want.sort();
    pane.check(
        shown == want && want[0] != want[1],
        "both replicas' unique suffixes should show at 80 columns",
        &narrow,
    );
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}
