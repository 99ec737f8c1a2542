//! The help screen: generated from the keymap's descriptions, so it can never disagree with the
//! keys actually bound (including the user's overlay).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::action::Action;
use crate::app::state::State;
use crate::config::keymap::{Binding, Section};
use crate::config::theme::Token;
use crate::kube::health::PodHealth;
use crate::kube::resources::Health;
use crate::ui::{centered, message_height};

/// Draws the help popup centred over `area`: the view's bindings, the global ones, the flags;
/// scrolled by `state.help_scroll` when taller than the screen.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let lines = lines(state);
    let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
    let height = lines.len() + 2;
    let popup = centered(
        area,
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(height).unwrap_or(u16::MAX),
    );
    let inner = usize::from(popup.height.saturating_sub(2));
    let scroll = state.help_scroll.min(lines.len().saturating_sub(inner));
    let more = if lines.len() > inner {
        format!(" — j/k scroll ({}/{}) ", scroll + inner, lines.len())
    } else {
        " ".to_string()
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(state.theme.style(Token::BorderFocused))
        .title(format!(" Help — {} closes{more}", close_keys(state)));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

/// The furthest the help can scroll on this screen: its length minus the lines that fit
/// between the borders (the popup covers the table area).
pub fn max_scroll(state: &State) -> usize {
    let area = state.size.1.saturating_sub(1 + message_height(state));
    let inner = usize::from(area.saturating_sub(2));
    lines(state).len().saturating_sub(inner)
}

/// The help's text: one block per keymap section, then the row flags.
fn lines(state: &State) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let key_style = theme.style(Token::HelpKey);
    let header = theme.style(Token::Header);
    let mut lines: Vec<Line> = Vec::new();
    // The help of the view on screen: the text view's or the list's keys while shown.
    let on_list = state.top_resources().is_some();
    let sections: &[(Section, &str)] = if state.detail.text.is_some() {
        &[
            (Section::Text, "YAML / describe view"),
            (Section::Global, "Everywhere"),
        ]
    } else if on_list {
        &[
            (Section::Resources, "Lists"),
            (Section::Global, "Everywhere"),
        ]
    } else {
        &[
            (Section::Pods, "Pods"),
            (Section::Picker, "Tenant and context pickers"),
            (
                Section::Line,
                "Input lines (/ filter, : command, picker query)",
            ),
            (Section::Global, "Everywhere"),
        ]
    };
    for &(section, title) in sections {
        let rows = rows(state.keymap.bindings(section));
        if rows.is_empty() {
            continue;
        }
        let key_width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        lines.push(Line::styled(title, header));
        for (keys, desc) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:<key_width$}  "), key_style),
                Span::raw(desc),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Row flags", header));
    let flags = [
        (PodHealth::Failing, "failing"),
        (PodHealth::Oom, "OOM-killed"),
        (PodHealth::Restarting, "restarted"),
        (PodHealth::Pending, "pending"),
        (PodHealth::Terminating, "terminating"),
        (PodHealth::Completed, "completed"),
    ];
    let mut legend: Vec<String> = flags
        .iter()
        .map(|(h, name)| format!("{} {name}", h.flag()))
        .collect();
    if on_list {
        legend = [
            (Health::Failed, "failed"),
            (Health::Warning, "needs a look"),
            (Health::Done, "done"),
        ]
        .iter()
        .map(|(h, name)| format!("{} {name}", h.flag()))
        .collect();
    }
    lines.push(Line::raw(format!(" {}", legend.join("  "))));
    lines
}

/// (keys, description) per binding; a run of numbered bindings ("… tenant 1", "… tenant 2")
/// becomes one row ("1…9", "… tenant 1–9") so the help stays short.
fn rows(bindings: &[Binding]) -> Vec<(String, String)> {
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
        rows.push((keys, b.desc.clone(), digit.map(|d| (d, d))));
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
fn close_keys(state: &State) -> String {
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
