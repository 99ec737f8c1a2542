//! Alerts through `update`: a new OOM kill or a crash loop starting shows in the status bar,
//! `!` lists them and marks them seen, a pod first listed never alerts, the bell is an effect.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::effect::Effect;
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::screen::Modal;
use kterm::app::update::update;
use kterm::kube::pods::{LastTermination, PodRow};

use super::fixtures::{apply_rows, draw, now, row, state};

fn oom_killed(mut r: PodRow) -> PodRow {
    r.restarts += 1;
    r.status = "OOMKilled".into();
    r.last_termination = Some(LastTermination {
        reason: "OOMKilled".into(),
        exit_code: 137,
        finished_at: Some(now()),
    });
    r
}

fn applied(s: &mut kterm::app::state::State, rows: Vec<PodRow>) -> Vec<Effect> {
    update(
        s,
        Msg::PodsApplied {
            scope: WatchScope::All,
            rows,
        },
    )
}

#[test]
fn a_new_oom_kill_is_said_in_the_status_bar_and_listed() {
    let mut s = state();
    // Already OOM-killed when first listed: no alert.
    apply_rows(
        &mut s,
        vec![oom_killed(row("t4k9pz", "appserver-a")), row("t4k9pz", "b")],
    );
    assert!(s.alerts.list.is_empty());
    assert!(!draw(&s, 120, 20).contains("OOM kill"));
    let mut again = oom_killed(oom_killed(row("t4k9pz", "appserver-a")));
    again.last_termination = Some(LastTermination {
        reason: "OOMKilled".into(),
        exit_code: 137,
        finished_at: Some(now() + chrono::TimeDelta::minutes(1)),
    });
    let effects = applied(&mut s, vec![again]);
    assert!(
        effects.iter().all(|e| *e != Effect::Bell),
        "no bell unless configured"
    );
    let screen = draw(&s, 140, 20);
    assert!(
        screen.contains("⚠ OOM kill t4k9pz/appserver-a (exit 137) (! lists)"),
        "{screen}"
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('!'), KeyModifiers::NONE)),
    );
    assert!(matches!(s.modal, Some(Modal::Alerts { .. })));
    let list = draw(&s, 140, 20);
    assert!(
        list.contains("OOM kill") && list.contains("t4k9pz/appserver-a"),
        "{list}"
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(s.modal.is_none());
    assert!(
        !draw(&s, 140, 20).contains("(! lists)"),
        "seen alerts leave the bar"
    );
}

#[test]
fn a_crash_loop_starting_rings_the_bell_when_configured() {
    let mut s = state();
    s.alert_bell = true;
    apply_rows(&mut s, vec![row("m8q3rx", "rest-prd-x")]);
    let mut looping = row("m8q3rx", "rest-prd-x");
    looping.status = "CrashLoopBackOff".into();
    looping.restarts = 5;
    let effects = applied(&mut s, vec![looping.clone()]);
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    assert_eq!(s.alerts.list.len(), 1);
    // Still looping: nothing new.
    let effects = applied(&mut s, vec![looping]);
    assert!(!effects.contains(&Effect::Bell));
    assert_eq!(s.alerts.list.len(), 1);
}
