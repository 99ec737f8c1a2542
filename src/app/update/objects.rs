//! The object views in `update`: opening YAML/describe screens and the detail pane, keys of the
//! text screen (a pager), fetch replies (stale ones ignored), and the pane following the
//! selection.

use std::sync::Arc;

use crate::app::action::Action;
use crate::app::effect::{Effect, FetchPurpose};
use crate::app::layout;
use crate::app::objects::{DetailPane, TextMode, TextScreen};
use crate::app::pager::PagerMove;
use crate::app::screen::{InputLine, LineKind, Screen};
use crate::app::state::State;
use crate::kube::describe::{describe, reason_tone, toned_lines};
use crate::kube::fetch::{FetchedObject, ObjectRef};
use crate::kube::pane::detail_lines;
use crate::kube::text::{clip, TextLine};
use crate::kube::yaml::to_yaml;

/// Longest line kept in a text view: there is no horizontal scrolling, and a megabyte-long
/// annotation must not cost every frame.
const MAX_LINE: usize = 2000;

/// Pushes a text screen on the selected object (a pod, or a row of the list shown) and asks
/// for it.
pub(super) fn open_text(state: &mut State, mode: TextMode, effects: &mut Vec<Effect>) -> bool {
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
    let id = state.next_request();
    state.stack.push(Screen::Text(Box::new(TextScreen::new(
        target.clone(),
        mode,
        id,
    ))));
    effects.push(Effect::FetchObject {
        id,
        purpose: FetchPurpose::Text,
        target,
    });
    true
}

/// Opens the detail pane on the selected pod, or closes it.
pub(super) fn toggle_pane(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    if close_pane(state) {
        return true;
    }
    if let Some(table) = state.top_pods_mut() {
        table.pane = Some(DetailPane::default());
    }
    follow(state, effects);
    true
}

/// Closes the shown table's pane; `false` when it was not open.
pub(super) fn close_pane(state: &mut State) -> bool {
    state
        .top_pods_mut()
        .is_some_and(|table| table.pane.take().is_some())
}

/// Keeps the open pane on the selected pod: another selection, or a change of the selected
/// pod's row from the watch, asks for the pod again; ticks never do.
pub(super) fn follow(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(pane) = state.top_pods().and_then(|t| t.pane.as_ref()) else {
        return false;
    };
    let row = state.selected_row();
    if pane.row.as_ref() == row && pane.target.is_some() == row.is_some() {
        return false;
    }
    let row = row.cloned();
    let target = row.as_ref().map(|r| ObjectRef::pod(&r.namespace, &r.name));
    let request = target.as_ref().map(|_| state.next_request());
    if let (Some(id), Some(target)) = (request, &target) {
        effects.push(Effect::FetchObject {
            id,
            purpose: FetchPurpose::Pane,
            target: target.clone(),
        });
    }
    if let Some(pane) = state.top_pods_mut().and_then(|t| t.pane.as_mut()) {
        pane.target = target;
        pane.row = row;
        pane.request = request;
    }
    true
}

/// The text screen or pane waiting for fetch `id`, if any still is.
fn waiting(state: &mut State, purpose: FetchPurpose, id: u64) -> Option<Waiting<'_>> {
    state
        .stack
        .iter_mut()
        .rev()
        .find_map(move |screen| match screen {
            Screen::Text(view) if purpose == FetchPurpose::Text && view.request == Some(id) => {
                Some(Waiting::Text(view))
            }
            Screen::Pods(table) if purpose == FetchPurpose::Pane => table
                .pane
                .as_mut()
                .filter(|pane| pane.request == Some(id))
                .map(Waiting::Pane),
            _ => None,
        })
}

enum Waiting<'a> {
    Text(&'a mut TextScreen),
    Pane(&'a mut DetailPane),
}

/// A fetch reply; `false` (nothing to draw) when it is stale.
pub(super) fn fetched(
    state: &mut State,
    id: u64,
    purpose: FetchPurpose,
    fetched: Arc<FetchedObject>,
) -> bool {
    if purpose == FetchPurpose::Namespace {
        // It exists: nothing to say.
        state
            .cluster
            .namespace_check
            .take_if(|(asked, _)| *asked == id);
        return false;
    }
    let now = state.now;
    match waiting(state, purpose, id) {
        Some(Waiting::Text(view)) => {
            view.request = None;
            view.fetched = Some(fetched);
            view.error = None;
            reformat(view, now);
        }
        Some(Waiting::Pane(pane)) => {
            pane.request = None;
            pane.shown = pane.target.clone();
            pane.fetched = Some(fetched);
            pane.error = None;
            rebuild_pane(pane, now);
        }
        None => return false,
    }
    true
}

/// A failed fetch; the sentence replaces the content, stale failures are ignored.
pub(super) fn failed(
    state: &mut State,
    id: u64,
    purpose: FetchPurpose,
    error: String,
    not_found: bool,
) -> bool {
    if purpose == FetchPurpose::Namespace {
        return namespace_missing(state, id, not_found);
    }
    match waiting(state, purpose, id) {
        Some(Waiting::Text(view)) => {
            view.request = None;
            view.error = Some(error);
        }
        Some(Waiting::Pane(pane)) => {
            pane.request = None;
            pane.error = Some(error);
        }
        None => return false,
    }
    true
}

/// The check of a typed namespace failed: a 404 means it does not exist (any other answer,
/// say a 403 for a tenant account that may not read namespaces, proves nothing).
fn namespace_missing(state: &mut State, id: u64, not_found: bool) -> bool {
    let Some((_, name)) = state
        .cluster
        .namespace_check
        .take_if(|(asked, _)| *asked == id)
    else {
        return false;
    };
    // Only while that namespace is still the one focused: a late answer about another is moot.
    if !not_found || state.namespace_focus.as_deref() != Some(name.as_str()) {
        return false;
    }
    state.message = Some(format!(
        "Namespace {name} does not exist; check the name (t lists the tenants kterm knows)."
    ));
    true
}

/// Ages in the pane move with the clock; rebuilt from the kept object, never re-fetched.
pub(super) fn tick(state: &mut State) -> bool {
    let now = state.now;
    match state.top_pods_mut().and_then(|t| t.pane.as_mut()) {
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

/// Formats the text screen's object in its mode.
fn reformat(view: &mut TextScreen, now: chrono::DateTime<chrono::Utc>) {
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
    view.pager.set_lines(lines);
}

/// An action on the text screen on top.
pub(super) fn text_action(state: &mut State, action: Action) -> bool {
    let height = layout::text_body_height(state);
    let now = state.now;
    let Some(Screen::Text(view)) = state.stack.last_mut() else {
        return false;
    };
    let step = match action {
        Action::Down => PagerMove::Down,
        Action::Up => PagerMove::Up,
        Action::PageDown => PagerMove::PageDown,
        Action::PageUp => PagerMove::PageUp,
        Action::Top => PagerMove::Top,
        Action::Bottom => PagerMove::Bottom,
        Action::Back => {
            // The screen underneath kept its selection and scroll; a pod table that pods changed
            // under is rebuilt.
            super::screens::pop(state);
            return true;
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
            view.pager.scroll = 0;
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
            state.line = Some(InputLine {
                kind: LineKind::Search,
                text: String::new(),
            });
            return true;
        }
        Action::SearchNext | Action::SearchPrev => {
            if !view.pager.jump(action == Action::SearchNext, false) {
                state.message = Some(view.pager.no_match());
            }
            return true;
        }
        _ => return false,
    };
    view.pager.step(step, height)
}

/// Enter on the search line of a text screen: the first match at or after the top line, so a
/// match on screen is found too.
pub(super) fn search(state: &mut State, text: &str) {
    if let Some(Screen::Text(view)) = state.stack.last_mut() {
        let found = view.pager.search_for(text);
        state.message = (!found).then(|| view.pager.no_match());
    }
}

/// Whether a watched event is about the pod in the detail pane; if so the pane is marked to be
/// fetched again (`follow` does it at the end of this update).
pub(super) fn pane_news(state: &mut State, event: &crate::kube::resources::ResourceEvent) -> bool {
    use crate::kube::resources::{Cell, ResourceChange};
    if event.kind != crate::kube::kinds::ResourceKind::Event {
        return false;
    }
    let ResourceChange::Applied(rows) = &event.change else {
        return false;
    };
    let Some(pane) = state.top_pods_mut().and_then(|t| t.pane.as_mut()) else {
        return false;
    };
    let Some(pod) = pane.target.as_ref() else {
        return false;
    };
    let object = format!("pod/{}", pod.name);
    // OBJECT is an event row's fourth cell (`kube::resources::columns`).
    let about = rows.iter().any(|r| {
        Some(r.namespace.as_str()) == pod.namespace.as_deref()
            && matches!(r.cells.get(3), Some(Cell::Text(o)) if *o == object)
    });
    if about {
        pane.row = None;
    }
    about
}
