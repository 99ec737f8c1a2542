//! The app's middle end to end: a paste into the filter line stays text (bracketed paste), and
//! a typed namespace that does not exist is named.

use super::{kterm_then_status, Pane};

#[test]
fn a_paste_into_the_filter_line_stays_text() {
    let pane = Pane::new("paste").run(120, 40, &kterm_then_status("--demo"));
    pane.wait_for("the demo listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&["/"]);
    pane.wait_text("/▏");
    // A newline and a `q` in the pasted text must neither commit the line nor quit.
    pane.tmux(&["set-buffer", "appserver\nq"]);
    pane.tmux(&["paste-buffer", "-p", "-t", &pane.name]);
    let screen = pane.wait_for("the pasted text on the filter line", |s| {
        s.contains("/appserver q▏")
    });
    pane.check(
        !screen.contains("EXITED"),
        "the paste must not quit kterm",
        &screen,
    );
    // esc alone (sent with `q` it would read as alt-q): the filter goes, the rows come back.
    pane.keys(&["Escape"]);
    pane.wait_for("the filter cleared", |s| {
        !s.contains("appserver q") && s.contains("Running")
    });
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}

#[test]
fn a_namespace_that_does_not_exist_is_named() {
    let pane = Pane::new("nsmissing").run(120, 40, &kterm_then_status("--demo"));
    pane.wait_for("the demo listed and live", |s| {
        s.contains("NAMESPACE NAME") && s.contains("│ live")
    });
    pane.keys(&[":"]);
    pane.keys(&["-l", "ns t4k9qz"]);
    pane.keys(&["Enter"]);
    pane.wait_text("Namespace t4k9qz does not exist");
    pane.keys(&["Escape"]);
    pane.wait_for("the sentence dismissed", |s| !s.contains("does not exist"));
    pane.keys(&["q"]);
    pane.wait_text("EXITED 0");
}
