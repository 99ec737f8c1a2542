//! A pasted, huge filter is refused with its length instead of costing seconds per key.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::msg::Msg;
use kterm::app::update::update;

use super::fixtures::{apply_rows, row, state};

fn press(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn a_ten_thousand_character_regex_is_refused_after_a_thousand() {
    let mut s = state();
    let rows = (0..1_000)
        .map(|i| {
            row(
                &format!("t{:03}", i % 300),
                &format!("appserver-prd-{i:05}"),
            )
        })
        .collect();
    apply_rows(&mut s, rows);
    update(&mut s, press('/'));
    // A regex from its first character on, growing one key at a time, as a paste arrives.
    let pattern: String = "(app|x)"
        .chars()
        .chain("a|".chars().cycle())
        .take(10_000)
        .collect();
    let start = Instant::now();
    for c in pattern.chars() {
        update(&mut s, press(c));
    }
    let elapsed = start.elapsed();
    eprintln!("10,000 keys of a growing regex over 1,000 pods took {elapsed:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("That pattern is too long (10000 characters; the most is 1000).")
    );
    let kept = super::fixtures::pod_table(&s)
        .filter
        .as_ref()
        .map(|f| f.text.chars().count());
    assert_eq!(
        kept,
        Some(1000),
        "the last pattern within the bound stays applied"
    );
}
