//! The help screen's content, generated from the keymap's descriptions so it can never disagree
//! with the keys actually bound (including the user's overlay). Built here, in `app`, so the
//! help modal can scroll without asking the view how long it is; `ui::widgets::help` draws it.

use crate::app::action::Action;
use crate::app::logs::level::Level;
use crate::app::screen::Screen;
use crate::app::state::State;
use crate::config::keymap::{Binding, Section};
use crate::kube::health::PodHealth;
use crate::kube::resources::Health;

/// One line of the help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpLine {
    /// A section's title.
    Heading(String),
    /// A binding: its keys (padded to the section's widest) and what it does.
    Binding {
        /// The keys, padded.
        keys: String,
        /// The description.
        desc: String,
    },
    /// Plain text (the flag legend).
    Text(String),
    /// A blank line between sections.
    Blank,
}

/// The help of the screen shown: its keys, the global ones, then the row flags.
pub fn lines(state: &State) -> Vec<HelpLine> {
    let sections: &[(Section, &str)] = match state.screen() {
        Some(Screen::Text(_)) => &[
            (Section::Text, "YAML / describe view"),
            (Section::Global, "Everywhere"),
        ],
        Some(Screen::Logs(_)) => &[
            (Section::Logs, "Log view"),
            (Section::Line, "Input lines (/ search, & filter, save path)"),
            (Section::Global, "Everywhere"),
        ],
        Some(Screen::Overview(_)) => &[
            (Section::Overview, "Tenant overview"),
            (Section::Global, "Everywhere"),
        ],
        Some(Screen::Resources(_)) => &[
            (Section::Resources, "Lists"),
            (Section::Global, "Everywhere"),
        ],
        _ => &[
            (Section::Pods, "Pods"),
            (Section::Picker, "Tenant and context pickers"),
            (
                Section::Line,
                "Input lines (/ filter, : command, picker query)",
            ),
            (Section::Global, "Everywhere"),
        ],
    };
    let mut lines = Vec::new();
    for &(section, title) in sections {
        let rows = rows(state, state.keymap.bindings(section));
        if rows.is_empty() {
            continue;
        }
        let key_width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        lines.push(HelpLine::Heading(title.to_string()));
        for (keys, desc) in rows {
            lines.push(HelpLine::Binding {
                keys: format!(" {keys:<key_width$}  "),
                desc,
            });
        }
        lines.push(HelpLine::Blank);
    }
    if matches!(state.screen(), Some(Screen::Logs(_))) {
        lines.push(HelpLine::Heading("Line marks".to_string()));
        let legend = [
            (Level::Error.glyph(), "ERROR/FATAL"),
            (Level::Warn.glyph(), "WARN"),
            (
                "── … ──",
                "kterm's own note (a restart, a pod that joined or left, a lost connection)",
            ),
        ];
        for (mark, name) in legend {
            lines.push(HelpLine::Text(format!(" {} {name}", mark.trim_end())));
        }
        return lines;
    }
    lines.push(HelpLine::Heading("Row flags".to_string()));
    let legend: Vec<String> = if state.top_resources().is_some() {
        [
            (Health::Failed, "failed"),
            (Health::Warning, "needs a look"),
            (Health::Done, "done"),
        ]
        .iter()
        .map(|(h, name)| format!("{} {name}", h.flag()))
        .collect()
    } else {
        [
            (PodHealth::Failing, "failing"),
            (PodHealth::Oom, "OOM-killed"),
            (PodHealth::Restarting, "restarted"),
            (PodHealth::Pending, "pending"),
            (PodHealth::Terminating, "terminating"),
            (PodHealth::Completed, "completed"),
        ]
        .iter()
        .map(|(h, name)| format!("{} {name}", h.flag()))
        .chain(state.metrics.columns_shown().then(|| {
            format!(
                "{} MEM ≥ 90% of its limit (OOM risk; %L of limit, %R of request)",
                crate::app::metrics::OOM_RISK_GLYPH
            )
        }))
        .collect()
    };
    lines.push(HelpLine::Text(format!(" {}", legend.join("  "))));
    lines
}

/// The furthest the help can scroll on this screen.
pub fn max_scroll(state: &State) -> usize {
    lines(state)
        .len()
        .saturating_sub(crate::app::layout::help_inner_height(state))
}

/// (keys, description) per binding; a run of numbered bindings ("… tenant 1", "… tenant 2")
/// becomes one row ("1…9", "… tenant 1–9") so the help stays short.
fn rows(state: &State, bindings: &[Binding]) -> Vec<(String, String)> {
    // (keys, desc, the first and last number of a run of numbered bindings)
    type Row = (String, String, Option<(char, char)>);
    let mut rows: Vec<Row> = Vec::new();
    for b in bindings.iter().filter(|b| !b.keys.is_empty()) {
        let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
        let keys = keys.join(" ");
        let digit = b.desc.chars().last().filter(char::is_ascii_digit);
        let stem = b.desc.trim_end_matches(|c: char| c.is_ascii_digit());
        if let (Some(d), Some(last)) = (digit, rows.last_mut()) {
            if let Some((_, to)) = last.2.as_mut() {
                if last.1.trim_end_matches(|c: char| c.is_ascii_digit()) == stem {
                    *to = d;
                    let first = last.0.split('…').next().unwrap_or_default().to_string();
                    last.0 = format!("{first}…{keys}");
                    continue;
                }
            }
        }
        // An action the gate would refuse says so, and why (read-only, RBAC).
        let desc = match crate::app::rights::mark(state, b.action) {
            Some(mark) => format!("{mark} {}", b.desc),
            None => b.desc.clone(),
        };
        rows.push((keys, desc, digit.map(|d| (d, d))));
    }
    rows.into_iter()
        .map(|(keys, desc, digits)| match digits {
            Some((from, to)) if from != to => {
                let stem = desc.trim_end_matches(|c: char| c.is_ascii_digit());
                (keys, format!("{stem}{from}–{to}"))
            }
            _ => (keys, desc),
        })
        .collect()
}

/// The first key of `back` and of `help`, as bound: the title must not name keys that were
/// rebound away.
pub fn close_keys(state: &State) -> String {
    let first = |action| {
        state
            .keymap
            .bindings(Section::Global)
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(ToString::to_string)
    };
    let keys: Vec<String> = [Action::Back, Action::Help]
        .into_iter()
        .filter_map(first)
        .collect();
    keys.join(" or ")
}
