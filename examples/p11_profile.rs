//! Where kterm's UI thread spends its time at 150,000 pods, without a simulator: pods are fed
//! through `update` in pages of 500 as the watch delivers them, then the keys of P11 are pressed
//! and each `update` (plus a frame at 200×50) is timed. A measurement aid for benches/p11.sh's
//! findings, not a test: nothing here asserts.
//!
//! `cargo run --release --example p11_profile -- [PODS] [overview|table]`

use std::time::Instant;

use chrono::{TimeDelta, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::msg::{Msg, WatchScope};
use kterm::app::state::{NamespaceChoice, State};
use kterm::kube::pods::{pod_row, PodRow, SlimPod};

const APPS: [&str; 5] = [
    "appserver",
    "dbaccess",
    "lockserver",
    "licenseserver",
    "rest",
];

/// A scale-scenario-like pod: 20 a namespace, a few restarted or OOM-killed.
fn pod(i: usize) -> Option<PodRow> {
    let ns = i / 20;
    let app = APPS[i % 5];
    let oom = i.is_multiple_of(97);
    let last = if oom {
        r#","lastState":{"terminated":{"reason":"OOMKilled","exitCode":137,"finishedAt":"2026-12-06T09:30:00Z"}}"#
    } else {
        ""
    };
    let json = format!(
        r#"{{"metadata":{{"name":"{app}-{h:010x}-{i:05x}","namespace":"tenant-{ns:04}",
        "creationTimestamp":"2026-11-20T10:00:00Z",
        "labels":{{"app":"{app}","env":"production","pod-template-hash":"{h:010x}"}}}},
        "spec":{{"nodeName":"ip-10-42-{n}-{m}.sa-east-1.compute.internal",
        "containers":[{{"name":"{app}","resources":{{"requests":{{"cpu":"250m","memory":"512Mi"}},
          "limits":{{"cpu":"1","memory":"1Gi"}}}}}}]}},
        "status":{{"phase":"Running","podIP":"10.64.{n}.{m}",
        "conditions":[{{"type":"Ready","status":"True"}}],
        "containerStatuses":[{{"name":"{app}","ready":true,"restartCount":{r},
          "state":{{"running":{{}}}}{last}}}]}}}}"#,
        h = ns * 5 + i % 5,
        n = i / 250 % 250,
        m = i % 250,
        r = if oom { 3 } else { 0 },
    );
    let slim: SlimPod = serde_json::from_str(&json).ok()?;
    Some(pod_row(&slim))
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs `update` on `msg` and draws a frame; returns milliseconds.
fn timed(
    state: &mut State,
    term: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    msg: Msg,
) -> f64 {
    let t = Instant::now();
    kterm::app::update::update(state, msg);
    let _ = term.draw(|f| kterm::ui::render(f, state));
    t.elapsed().as_secs_f64() * 1000.0
}

fn summary(what: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
    let sum: f64 = ms.iter().sum();
    println!(
        "{what}: n={} total {sum:.0} ms, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pods: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(150_000);
    let landing = args.get(2).map_or("overview", String::as_str);
    let now = Utc
        .with_ymd_and_hms(2026, 12, 6, 10, 0, 0)
        .single()
        .unwrap_or_default();
    let mut state = State::new("p11", NamespaceChoice::All, now);
    if landing == "overview" {
        kterm::app::update::overview::land(&mut state);
    }
    let mut term = match ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)) {
        Ok(t) => t,
        Err(_) => return,
    };
    let base = rss_mb();
    let t = Instant::now();
    let rows: Vec<PodRow> = (0..pods).filter_map(pod).collect();
    println!(
        "{pods} rows built in {:.0} ms ({landing} shown)",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut pages = Vec::new();
    let mut rows = rows.into_iter();
    loop {
        let page: Vec<PodRow> = rows.by_ref().take(500).collect();
        if page.is_empty() {
            break;
        }
        pages.push(timed(
            &mut state,
            &mut term,
            Msg::PodsApplied {
                scope: WatchScope::All,
                rows: page,
            },
        ));
    }
    summary("page of 500 applied + frame", pages);
    println!("RSS {:.1} MB (base {base:.1} MB)", rss_mb());
    let ticks = (1..=20)
        .map(|s| {
            timed(
                &mut state,
                &mut term,
                Msg::Tick(now + TimeDelta::seconds(s)),
            )
        })
        .collect();
    summary("tick + frame", ticks);
    let downs = (0..50)
        .map(|_| timed(&mut state, &mut term, key(KeyCode::Char('j'))))
        .collect();
    summary("j + frame", downs);
    if landing == "overview" {
        summary(
            "esc (overview → table)",
            vec![timed(&mut state, &mut term, key(KeyCode::Esc))],
        );
    }
    let downs = (0..50)
        .map(|_| timed(&mut state, &mut term, key(KeyCode::Char('j'))))
        .collect();
    summary("table: j + frame", downs);
    let mut filter = vec![];
    let (mut opens, mut closes) = (vec![], vec![]);
    let rounds = std::env::var("P11_FILTER_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    for _ in 0..rounds {
        opens.push(timed(&mut state, &mut term, key(KeyCode::Char('/'))));
        for c in "lockserver".chars() {
            filter.push(timed(&mut state, &mut term, key(KeyCode::Char(c))));
        }
        closes.push(timed(&mut state, &mut term, key(KeyCode::Esc)));
        timed(&mut state, &mut term, key(KeyCode::Esc));
    }
    println!(
        "first round, per keystroke: {:?}",
        filter
            .iter()
            .take(10)
            .map(|ms| ms.round())
            .collect::<Vec<_>>()
    );
    summary("filter keystroke + frame", filter);
    summary("filter open (/) + frame", opens);
    summary("filter esc (clears it) + frame", closes);
    let mut switch = vec![];
    for round in 0..5 {
        timed(&mut state, &mut term, key(KeyCode::Char('t')));
        for c in format!("tenant-{:04}", (round * 1_237) % (pods / 20)).chars() {
            timed(&mut state, &mut term, key(KeyCode::Char(c)));
        }
        switch.push(timed(&mut state, &mut term, key(KeyCode::Enter)));
        switch.push(timed(&mut state, &mut term, key(KeyCode::Char('0'))));
    }
    summary("tenant switch (enter, then 0) + frame", switch);
    let opened = timed(&mut state, &mut term, key(KeyCode::Char('H')));
    summary("H (table → overview)", vec![opened]);
    let ticks = (21..=40)
        .map(|s| {
            timed(
                &mut state,
                &mut term,
                Msg::Tick(now + TimeDelta::seconds(s)),
            )
        })
        .collect();
    summary("overview: tick + frame", ticks);
    // A minute of idle clock on the overview (the sweep comes round every namespace once): the
    // UI thread's share of a core, as benches/p11.sh's overview idle CPU measures it.
    let idle: Vec<f64> = (41..=100)
        .map(|s| {
            timed(
                &mut state,
                &mut term,
                Msg::Tick(now + TimeDelta::seconds(s)),
            )
        })
        .collect();
    let busy: f64 = idle.iter().sum();
    println!(
        "overview: idle over 60 s of clock: {busy:.0} ms busy, {:.3} % of a core",
        busy / 600.0
    );
    summary("overview: idle tick + frame", idle);
    let downs = (0..50)
        .map(|_| timed(&mut state, &mut term, key(KeyCode::Char('j'))))
        .collect();
    summary("overview: j + frame", downs);
    // Two minutes on the pod table, then `H`: the clock moved while the overview was hidden.
    timed(&mut state, &mut term, key(KeyCode::Esc));
    for s in (110..=220).step_by(10) {
        timed(
            &mut state,
            &mut term,
            Msg::Tick(now + TimeDelta::seconds(s)),
        );
    }
    let opened = timed(&mut state, &mut term, key(KeyCode::Char('H')));
    summary("H after 2 min on the table", vec![opened]);
    println!("RSS {:.1} MB", rss_mb());
}
