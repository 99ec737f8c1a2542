//! Views on ratatui's TestBackend: what a person would see.

use super::fixtures::{help_scroll, pod_table};
use kterm::app::effect::Namespaces;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::State;
use kterm::app::update::update;
use kterm::kube::pods::LastTermination;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::fixtures::{apply_rows, draw, now, row, state};

fn sample() -> State {
    let mut s = state();
    update(
        &mut s,
        Msg::Connected {
            context: "prod-sp".into(),
            default_namespace: "default".into(),
        },
    );
    let mut oom = row("c2a7dv", "appserver-7d9f8-x2x1z");
    oom.restarts = 3;
    oom.last_restart = Some(now() - chrono::TimeDelta::minutes(12));
    oom.last_termination = Some(LastTermination {
        reason: "OOMKilled".into(),
        exit_code: 137,
        finished_at: Some(now() - chrono::TimeDelta::minutes(12)),
    });
    let mut crash = row("c2a7dv", "dbaccess-5b6c7-abcde");
    crash.status = "CrashLoopBackOff".into();
    crash.ready = 0;
    let rows = vec![
        oom,
        crash,
        row("c2a7dv", "license-0"),
        row("d9x1yz", "appserver-0"),
    ];
    apply_rows(&mut s, rows);
    let keys = s.store.rows().keys().cloned().collect();
    update(
        &mut s,
        Msg::PodsRelisted {
            scope: WatchScope::All,
            keys,
        },
    );
    s
}

#[test]
fn table_shows_the_rows_at_80x24() {
    let screen = draw(&sample(), 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].contains("NAMESPACE") && lines[0].contains("STATUS"),
        "{screen}"
    );
    assert!(
        lines[0].contains("LAST TERM") && lines[0].contains("AGE"),
        "{screen}"
    );
    // Issue 7: IP, NODE and AGE give way and RESTARTS compacts before a name is cut, and the
    // header names what is hidden.
    assert!(lines[0].contains("+IP,NODE,AGE"), "{screen}");
    assert!(
        lines[1].contains("c2a7dv") && lines[1].contains("appserver-7d9f8-x2x1z"),
        "{screen}"
    );
    assert!(
        lines[1].contains(" 3 ") && lines[1].contains("OOMKilled 12m"),
        "{screen}"
    );
    assert!(
        lines[2].contains("dbaccess-5b6c7-abcde") && lines[2].contains("0/1"),
        "{screen}"
    );
    assert!(lines[2].contains("CrashLoopBackOff"), "{screen}");
    assert!(lines[4].contains("d9x1yz"), "{screen}");
    assert!(
        lines[23].contains("prod-sp") && lines[23].contains("4 pods, 1 not ready"),
        "{screen}"
    );
    assert!(lines[23].contains("live"), "{screen}");
}

#[test]
fn one_namespace_hides_the_namespace_column() {
    let mut s = sample();
    s.cluster.watching = Some(Namespaces::List(vec!["c2a7dv".into()]));
    let screen = draw(&s, 80, 24);
    assert!(
        !screen
            .lines()
            .next()
            .unwrap_or_default()
            .contains("NAMESPACE"),
        "{screen}"
    );
    assert!(screen.contains("appserver-7d9f8-x2x1z"), "{screen}");
}

#[test]
fn wide_terminal_shows_the_node() {
    let screen = draw(&sample(), 120, 40);
    assert!(
        screen.lines().next().unwrap_or_default().contains("NODE"),
        "{screen}"
    );
    assert!(screen.contains("node-a"), "{screen}");
}

#[test]
fn a_long_node_name_gives_way_before_the_pod_name() {
    let mut s = state();
    let mut pod = row("t4k9pz", "smartclient-html-prd-1a11c2d552-578bp");
    pod.node = "ip-10-42-10-20.sa-east-1.compute.internal".into();
    pod.status = "CrashLoopBackOff".into();
    update(
        &mut s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows: vec![pod],
        },
    );
    let screen = draw(&s, 120, 40);
    let line = screen.lines().nth(1).unwrap_or_default();
    assert!(
        line.contains("smartclient-html-prd-1a11c2d552-578bp") && line.contains("CrashLoopBackOff"),
        "the name and STATUS stay whole: {screen}"
    );
    // Issue 7: the IP column (empty here) takes its room before NODE is cut.
    assert!(
        line.contains("ip-10-42-10-20.sa-e") && line.contains('…'),
        "{screen}"
    );
}

#[test]
fn only_the_visible_window_is_drawn() {
    let mut s = state();
    let rows = (0..500)
        .map(|i| row("ns", &format!("pod-{i:03}")))
        .collect();
    apply_rows(&mut s, rows);
    update(
        &mut s,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::End,
        )),
    );
    let screen = draw(&s, 80, 24);
    assert!(
        screen.contains("pod-499") && screen.contains("pod-478"),
        "{screen}"
    );
    assert!(!screen.contains("pod-477"), "{screen}");
}

#[test]
fn selected_row_is_reversed() {
    let s = sample();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal.draw(|f| kterm::ui::render(f, &s)).expect("draw");
    let buffer = terminal.backend().buffer();
    let reversed = ratatui::style::Modifier::REVERSED;
    assert!(buffer[(2, 1)].modifier.contains(reversed));
    assert!(!buffer[(2, 2)].modifier.contains(reversed));
}

#[test]
fn connection_failure_is_one_sentence_above_the_status_bar() {
    let mut s = state();
    update(
        &mut s,
        Msg::ConnectionFailed("Cannot use the kubeconfig (no file).".into()),
    );
    let screen = draw(&s, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[22].contains("Cannot use the kubeconfig (no file)."),
        "{screen}"
    );
    assert!(
        lines[23].trim_end().ends_with("│ not connected"),
        "{screen}"
    );
    assert!(screen.contains("No pods to show."), "{screen}");
}

#[test]
fn long_sentences_wrap_above_the_bar_and_the_bar_ends_in_an_ellipsis() {
    let mut s = state();
    s.size = (80, 24);
    let sentence = "The cluster refused the connection (Connection refused (os error 111)); \
        check the server address and port and that the API server is up; retrying.";
    update(&mut s, Msg::ConnectionFailed(sentence.into()));
    s.cluster.context = "a-very-long-context-name-".repeat(4);
    let screen = draw(&s, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    let wrapped = format!("{} {}", lines[21].trim(), lines[22].trim());
    assert_eq!(wrapped, sentence, "{screen}");
    assert!(lines[23].trim_end().ends_with('…'), "{screen}");
    // The table gives up the two lines the sentence takes.
    assert_eq!(kterm::app::layout::pods_body_height(&s), 20);
}

#[test]
fn connecting_shows_a_hint() {
    let screen = draw(&state(), 80, 24);
    assert!(screen.contains("Connecting to test"), "{screen}");
}

#[test]
fn tiny_terminal_says_so() {
    for (w, h) in [(39, 24), (80, 5), (20, 3)] {
        let screen = draw(&sample(), w, h);
        assert!(screen.contains("terminal too small"), "{w}x{h}: {screen}");
        assert!(!screen.contains("appserver"), "{w}x{h}: {screen}");
    }
    assert!(!draw(&sample(), 40, 6).contains("terminal too small"));
}

#[test]
fn crash_looping_row_has_the_failing_style_and_flag() {
    let s = sample();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal.draw(|f| kterm::ui::render(f, &s)).expect("draw");
    let buffer = terminal.backend().buffer();
    let failing = s.theme.style(kterm::config::theme::Token::PodFailing);
    assert!(failing.fg.is_some(), "the dark theme colours failing pods");
    // Row 2 is the crash-looping pod (row 1, selected, is the OOM-killed one).
    assert_eq!(buffer[(0, 2)].symbol(), "✖");
    let status_x = (0..80u16)
        .find(|&x| buffer[(x, 2)].symbol() == "C" && buffer[(x + 1, 2)].symbol() == "r")
        .expect("CrashLoopBackOff on row 2");
    let cell = &buffer[(status_x, 2)];
    assert_eq!(cell.fg, failing.fg.unwrap_or_default());
    assert!(cell.modifier.contains(failing.add_modifier));
    // The OOM-killed pod is flagged too, and healthy rows carry no flag.
    assert_eq!(buffer[(0, 1)].symbol(), "M");
    assert_eq!(buffer[(0, 3)].symbol(), " ");
}

#[test]
fn mono_theme_keeps_the_flags_and_drops_colours() {
    let mut s = sample();
    s.theme = std::sync::Arc::new(kterm::config::theme::Theme::build(
        None,
        kterm::config::ColourSupport::Mono,
    ));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal.draw(|f| kterm::ui::render(f, &s)).expect("draw");
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(0, 2)].symbol(), "✖");
    for y in 0..24 {
        for x in 0..80 {
            assert_eq!(buffer[(x, y)].fg, ratatui::style::Color::Reset, "({x},{y})");
        }
    }
    assert!(buffer[(2, 2)]
        .modifier
        .contains(ratatui::style::Modifier::BOLD));
}

#[test]
fn help_screen_lists_the_keymap_descriptions_and_closes() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut s = sample();
    let press = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    // Tall enough for every line of help (the wide key added one in issue 7).
    // Tall enough for the pods' keys (logs, shell, run, copy) and the row flags below them.
    // Three more for the clipboard keys (c, alt-c, Y) of issue 11, one for the metrics key and
    // one for the alerts (`!`, everywhere).
    s.size = (120, 69);
    update(&mut s, press(KeyCode::Char('?')));
    assert!(s.help_open());
    let screen = draw(&s, 120, 69);
    for text in [
        "Next pod",
        "Last pod",
        "Page down",
        "Quit kterm",
        "Show or hide this help",
        "ctrl-f pgdn",
        "Describe the pod",
        "✖ failing",
    ] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    // Modal: moving keys do not move the table while help is open (they scroll the help).
    let selected = pod_table(&s).selected;
    update(&mut s, press(KeyCode::Char('j')));
    assert_eq!(pod_table(&s).selected, selected);
    update(&mut s, press(KeyCode::Esc));
    assert!(!s.help_open());
    assert!(!draw(&s, 80, 24).contains("Next pod"));
    update(&mut s, press(KeyCode::Char('?')));
    update(&mut s, press(KeyCode::Char('?')));
    assert!(!s.help_open());
}

#[test]
fn help_scrolls_when_taller_than_the_screen() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut s = sample();
    s.size = (80, 24);
    let press = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    update(&mut s, press(KeyCode::Char('?')));
    let top = draw(&s, 80, 24);
    assert!(
        top.contains("Next pod") && top.contains("j/k scroll"),
        "{top}"
    );
    assert!(
        !top.contains("✖ failing"),
        "the flags are below the fold: {top}"
    );
    // Numbered favourites are one row.
    assert!(
        top.contains("1…9") && top.contains("Focus on favourite tenant 1–9"),
        "{top}"
    );
    update(&mut s, press(KeyCode::Char('G')));
    let bottom = draw(&s, 80, 24);
    assert!(bottom.contains("✖ failing"), "{bottom}");
    assert!(!bottom.contains("Next pod"), "{bottom}");
    // Scrolling stops at the end: one step up shows a new line at the top at once.
    let end = help_scroll(&s);
    update(&mut s, press(KeyCode::Char('j')));
    assert_eq!(help_scroll(&s), end);
    update(&mut s, press(KeyCode::Char('k')));
    assert_eq!(help_scroll(&s), end - 1);
    update(&mut s, press(KeyCode::Esc));
    update(&mut s, press(KeyCode::Char('?')));
    assert_eq!(help_scroll(&s), 0, "reopening starts at the top");
}
