//! The help screen: generated from the keymap's descriptions, so it can never disagree with the
//! keys actually bound (including the user's overlay).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::action::Action;
use crate::app::state::State;
use crate::config::keymap::Section;
use crate::config::theme::Token;
use crate::kube::health::PodHealth;
use crate::kube::resources::Health;
use crate::ui::centered;

/// Draws the help popup centred over `area`: the view's bindings, the global ones, the flags.
pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let theme = &state.theme;
    let key_style = theme.style(Token::HelpKey);
    let header = theme.style(Token::Header);
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    // The bindings of the screen shown, then the global ones.
    let view = match state.screen().map(|s| s.section()) {
        Some(Section::Resources) => (Section::Resources, "Lists"),
        _ => (Section::Pods, "Pods"),
    };
    for (section, title) in [view, (Section::Global, "Everywhere")] {
        let bindings = state.keymap.bindings(section);
        if bindings.is_empty() {
            continue;
        }
        rows.clear();
        for b in bindings.iter().filter(|b| !b.keys.is_empty()) {
            let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
            rows.push((keys.join(" "), b.desc.clone()));
        }
        let key_width = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        lines.push(Line::styled(title, header));
        for (keys, desc) in &rows {
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:<key_width$}  "), key_style),
                Span::raw(desc.clone()),
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
    if view.0 == Section::Resources {
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

    let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
    let height = lines.len() + 2;
    let popup = centered(
        area,
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(height).unwrap_or(u16::MAX),
    );
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.style(Token::BorderFocused))
        .title(format!(" Help — {} closes ", close_keys(state)));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
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
