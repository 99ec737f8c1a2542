//! The object views in `update`: opening YAML/describe and the detail pane from the pod table,
//! keys of the text view, fetch replies (stale ones ignored), and the pane following the
//! selection.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::line::LineKey;
use crate::app::action::Action;
use crate::app::detail::{DetailPane, FetchPurpose, TextMode, TextView};
use crate::app::effect::Effect;
use crate::app::state::State;
use crate::config::keymap::Section;
use crate::kube::describe::{describe, reason_tone, toned_lines};
use crate::kube::detail::detail_lines;
use crate::kube::fetch::{FetchedObject, ObjectRef};
use crate::kube::text::{clip, TextLine};
use crate::kube::yaml::to_yaml;
use crate::ui;

/// Longest line kept in a text view: there is no horizontal scrolling, and a megabyte-long
/// annotation must not cost every frame.
const MAX_LINE: usize = 2000;

/// Opens the text view on the selected pod.
pub(super) fn open_text(state: &mut State, mode: TextMode, effects: &mut Vec<Effect>) -> bool {
    // On a list, the selected object of that kind; on the pod table, the selected pod.
    let target = match state.top_resources() {
        Some(view) => view
            .selected_row()
            .map(|row| ObjectRef::new(view.kind, Some(&row.namespace), &row.name)),
        None => state
            .selected_row()
            .map(|row| ObjectRef::pod(&row.namespace, &row.name)),
    };
    let Some(target) = target else {
        state.message = Some("Nothing is selected.".to_string());
        return true;
    };
    effects.push(state.detail.open_text(target, mode));
    true
}

/// Opens the detail pane on the selected pod, or closes it.
pub(super) fn toggle_pane(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    if close_pane(state) {
        return true;
    }
    state.detail.pane = Some(DetailPane::default());
    follow(state, effects);
    true
}

/// Closes the pane; `false` when it was not open.
pub(super) fn close_pane(state: &mut State) -> bool {
    state.detail.pane_request = None;
    state.detail.pane.take().is_some()
}

/// Keeps the open pane on the selected pod: another selection, or a change of the selected
/// pod's row from the watch, asks for the pod again; ticks never do.
pub(super) fn follow(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(pane) = &state.detail.pane else {
        return false;
    };
    let row = state.selected_row();
    if pane.row.as_ref() == row && pane.target.is_some() == row.is_some() {
        return false;
    }
    let row = row.cloned();
    let target = row.as_ref().map(|r| ObjectRef::pod(&r.namespace, &r.name));
    let effect = match &target {
        Some(t) => Some(state.detail.fetch_for_pane(t.clone())),
        None => {
            state.detail.pane_request = None;
            None
        }
    };
    if let Some(pane) = state.detail.pane.as_mut() {
        pane.target = target;
        pane.row = row;
    }
    effects.extend(effect);
    true
}

/// A fetch reply; `false` (nothing to draw) when it is stale.
pub(super) fn fetched(
    state: &mut State,
    id: u64,
    purpose: FetchPurpose,
    fetched: Arc<FetchedObject>,
) -> bool {
    if !state.detail.is_current(purpose, id) {
        return false;
    }
    let now = state.now;
    match purpose {
        FetchPurpose::Text => {
            state.detail.text_request = None;
            if let Some(view) = state.detail.text.as_mut() {
                view.fetched = Some(fetched);
                view.error = None;
                reformat(view, now);
            }
        }
        FetchPurpose::Pane => {
            state.detail.pane_request = None;
            if let Some(pane) = state.detail.pane.as_mut() {
                pane.shown = pane.target.clone();
                pane.fetched = Some(fetched);
                pane.error = None;
                rebuild_pane(pane, now);
            }
        }
    }
    true
}

/// A failed fetch; the sentence replaces the content, stale failures are ignored.
pub(super) fn failed(state: &mut State, id: u64, purpose: FetchPurpose, error: String) -> bool {
    if !state.detail.is_current(purpose, id) {
        return false;
    }
    match purpose {
        FetchPurpose::Text => {
            state.detail.text_request = None;
            if let Some(view) = state.detail.text.as_mut() {
                view.error = Some(error);
            }
        }
        FetchPurpose::Pane => {
            state.detail.pane_request = None;
            if let Some(pane) = state.detail.pane.as_mut() {
                pane.error = Some(error);
            }
        }
    }
    true
}

/// Ages in the pane move with the clock; rebuilt from the kept object, never re-fetched.
pub(super) fn tick(state: &mut State) -> bool {
    let now = state.now;
    match state.detail.pane.as_mut() {
        Some(pane) if pane.fetched.is_some() => {
            rebuild_pane(pane, now);
            true
        }
        _ => false,
    }
}

fn rebuild_pane(pane: &mut DetailPane, now: chrono::DateTime<chrono::Utc>) {
    if let (Some(f), Some(target)) = (&pane.fetched, &pane.shown) {
        pane.lines = detail_lines(target.kind, &f.object, &f.events, now);
    }
}

/// Formats the text view's object in its mode.
fn reformat(view: &mut TextView, now: chrono::DateTime<chrono::Utc>) {
    let Some(f) = &view.fetched else {
        return;
    };
    let lines = match view.mode {
        TextMode::Yaml => to_yaml(&f.object, view.managed_fields)
            .lines()
            .map(|line| {
                let value = line.trim_start().strip_prefix("reason: ").unwrap_or("");
                TextLine::new(clip(line, MAX_LINE), reason_tone(value))
            })
            .collect(),
        TextMode::Describe => {
            let mut lines = toned_lines(&describe(view.target.kind, &f.object, &f.events, now));
            for line in &mut lines {
                line.text = clip(&line.text, MAX_LINE).into_owned();
            }
            lines
        }
    };
    view.lines = lines;
    view.scroll = view.scroll.min(max_scroll(view, usize::MAX));
}

fn max_scroll(view: &TextView, height: usize) -> usize {
    view.lines.len().saturating_sub(height.max(1))
}

/// A key while the text view is open.
pub(super) fn text_key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    if state
        .detail
        .text
        .as_ref()
        .is_some_and(|v| v.search_input.is_some())
    {
        return search_key(state, key);
    }
    let Some(action) = state.keymap.resolve(Section::Text, &key) else {
        return false;
    };
    if state.help_open {
        return match action {
            Action::Help | Action::Back => {
                state.help_open = false;
                true
            }
            Action::Quit => {
                super::quit(state, effects);
                false
            }
            _ => false,
        };
    }
    let height = ui::views::text::body_height(state.size);
    let now = state.now;
    let Some(view) = state.detail.text.as_mut() else {
        return false;
    };
    let before = view.scroll;
    let page = height.max(1);
    match action {
        Action::Down => view.scroll = view.scroll.saturating_add(1),
        Action::Up => view.scroll = view.scroll.saturating_sub(1),
        Action::PageDown => view.scroll = view.scroll.saturating_add(page),
        Action::PageUp => view.scroll = view.scroll.saturating_sub(page),
        Action::Top => view.scroll = 0,
        Action::Bottom => view.scroll = usize::MAX,
        Action::Back => {
            // The table underneath kept its selection and scroll: nothing else to restore.
            state.detail.text = None;
            state.detail.text_request = None;
            return true;
        }
        Action::Help => {
            state.help_open = true;
            return true;
        }
        Action::Quit => {
            super::quit(state, effects);
            return false;
        }
        Action::Yaml | Action::Describe => {
            let mode = if action == Action::Yaml {
                TextMode::Yaml
            } else {
                TextMode::Describe
            };
            if view.mode == mode {
                return false;
            }
            view.mode = mode;
            view.scroll = 0;
            reformat(view, now);
            return true;
        }
        Action::ToggleManagedFields => {
            if view.mode != TextMode::Yaml {
                state.message = Some("managedFields are part of the YAML view (y).".to_string());
                return true;
            }
            view.managed_fields = !view.managed_fields;
            reformat(view, now);
            return true;
        }
        Action::Search => {
            view.search_input = Some(String::new());
            return true;
        }
        Action::SearchNext | Action::SearchPrev => {
            let found = jump(view, action == Action::SearchNext, false);
            if !found {
                state.message = no_match(view);
            }
            return true;
        }
        _ => return false,
    }
    view.scroll = view.scroll.min(max_scroll(view, height));
    view.scroll != before
}

/// A key while the search line is open: text; enter searches, esc cancels.
fn search_key(state: &mut State, key: KeyEvent) -> bool {
    let Some(view) = state.detail.text.as_mut() else {
        return false;
    };
    let Some(mut input) = view.search_input.take() else {
        return false;
    };
    match super::line::resolve(&state.keymap, &key) {
        LineKey::Cancel => return true,
        LineKey::Accept => {
            if input.is_empty() {
                return true;
            }
            view.search = Some(input.to_lowercase());
            // The first match at or after the top line, so a match on screen is found too.
            let found = jump(view, true, true);
            state.message = if found { None } else { no_match(view) };
            return true;
        }
        LineKey::DeleteBack => {
            input.pop();
        }
        LineKey::Char(c) => input.push(c),
        LineKey::Complete | LineKey::Other => {}
    }
    view.search_input = Some(input);
    true
}

fn no_match(view: &TextView) -> Option<String> {
    Some(match &view.search {
        Some(q) => format!("No match for \"{q}\"."),
        None => "Search first (/).".to_string(),
    })
}

/// Scrolls to the next (or previous) line matching the search, wrapping, starting at the top
/// line itself when `from_top_line`; `false` if none.
fn jump(view: &mut TextView, forward: bool, from_top_line: bool) -> bool {
    let Some(query) = view.search.clone() else {
        return false;
    };
    let len = view.lines.len();
    if len == 0 {
        return false;
    }
    let start = view.scroll.min(len - 1);
    let first = usize::from(!from_top_line);
    let found = (first..=len)
        .map(|step| {
            if forward {
                (start + step) % len
            } else {
                (start + len - step) % len
            }
        })
        .find(|&i| {
            view.lines
                .get(i)
                .is_some_and(|l| l.text.to_lowercase().contains(&query))
        });
    match found {
        Some(i) => {
            // The match goes to the top line, even past the usual end (like less), so that
            // the next search starts after it.
            view.scroll = i;
            true
        }
        None => false,
    }
}
