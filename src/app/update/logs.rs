//! The log view's keys and messages: opening it (a pod, or a workload's pods), its streams
//! started and stopped, lines arriving, pods joining and leaving an aggregated view, and the
//! switches that read the log again (previous container, since, container).

use std::sync::Arc;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::layout;
use crate::app::logs::{LogOptions, LogTarget, LogView, Since, StreamEntry};
use crate::app::pager::PagerMove;
use crate::app::pattern::{Filter, Pattern};
use crate::app::picker::{Picker, PickerItem, PickerKind};
use crate::app::scope::PodScope;
use crate::app::screen::{InputLine, LineKind, Modal, Screen};
use crate::app::state::State;
use crate::kube::logs::{ContainerInfo, Containers, LogEvent, LogRequest};
use crate::kube::resources::Drill;

/// `l`: the logs of the selected pod, or of every pod of the selected workload.
pub(super) fn open(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let target = match state.screen() {
        Some(Screen::Pods(table)) => match state.selected_row() {
            Some(row) => LogTarget::Pod {
                namespace: row.namespace.to_string(),
                pod: row.name.to_string(),
                // A container focused in the detail pane (tab) is the one.
                containers: table
                    .pane
                    .as_ref()
                    .and_then(|p| p.focused())
                    .map_or(Containers::Default, |c| Containers::Named(c.to_string())),
            },
            None => return false,
        },
        Some(Screen::Resources(view)) => {
            let Some(row) = view.selected_row() else {
                return false;
            };
            let label = format!("{}/{}", view.kind.short(), row.name);
            match &row.drill {
                Drill::Pods(selector) => LogTarget::Pods {
                    label: label.clone(),
                    scope: PodScope {
                        namespace: Some(row.namespace.clone()),
                        selector: Some(selector.clone()),
                        title: format!("pods of {label}"),
                    },
                },
                _ => {
                    state.message = Some(format!(
                        "{label} has no pods to read logs from; l works on pods, workloads (deploy, sts, job) and services."
                    ));
                    return true;
                }
            }
        }
        _ => return false,
    };
    show(state, target, effects);
    true
}

/// `a` on a drill-down's pod table: every pod of it, aggregated.
pub(super) fn open_all(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let scope = state
        .top_pods()
        .and_then(|t| t.scope.clone())
        .filter(|s| s.selector.is_some());
    let Some(scope) = scope else {
        state.message = Some(
            "a follows the pods of one workload: open a workload's pods first (:deploy, enter), or press l for one pod."
                .to_string(),
        );
        return true;
    };
    let label = scope
        .title
        .strip_prefix("pods of ")
        .unwrap_or(&scope.title)
        .to_string();
    show(state, LogTarget::Pods { label, scope }, effects);
    true
}

fn show(state: &mut State, target: LogTarget, effects: &mut Vec<Effect>) {
    let options = LogOptions {
        tail: state.log_settings.tail,
        ..LogOptions::default()
    };
    let view = LogView::new(target, options, state.log_settings.buffer);
    super::screens::push(state, Screen::Logs(Box::new(view)), effects);
    start(state, effects);
}

fn top_view(state: &mut State) -> Option<&mut LogView> {
    match state.stack.last_mut() {
        Some(Screen::Logs(view)) => Some(view),
        _ => None,
    }
}

/// The pods a view reads now, with the containers to read.
fn members(state: &State, target: &LogTarget) -> Vec<(String, String, Containers)> {
    match target {
        LogTarget::Pod {
            namespace,
            pod,
            containers,
        } => vec![(namespace.clone(), pod.clone(), containers.clone())],
        // A command's output comes from the one run `update::run` started.
        LogTarget::Command { .. } => Vec::new(),
        LogTarget::Pods { scope, .. } => scope
            .rows(state.store.rows())
            .map(|row| {
                (
                    row.namespace.to_string(),
                    row.name.to_string(),
                    Containers::DefaultOrAll,
                )
            })
            .collect(),
    }
}

fn request(options: &LogOptions, namespace: String, pod: String, c: Containers) -> LogRequest {
    LogRequest {
        namespace,
        pod,
        containers: c,
        tail: (options.since == Since::Tail).then_some(i64::from(options.tail)),
        since_seconds: options.since.seconds(),
        previous: options.previous,
    }
}

/// Starts the top view's streams from scratch.
fn start(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(Screen::Logs(view)) = state.stack.last() else {
        return;
    };
    let pods = members(state, &view.target);
    let options = view.options;
    let empty = pods.is_empty().then(|| view.title());
    let mut entries = Vec::new();
    for (namespace, pod, containers) in pods {
        let id = state.next_request();
        entries.push(StreamEntry {
            id,
            pod: Arc::from(pod.as_str()),
        });
        let request = request(&options, namespace, pod, containers);
        effects.push(Effect::StartLogs { id, request });
    }
    if let Some(title) = empty {
        state.message = Some(format!(
            "No pods of {title} yet; they join the view when they start."
        ));
    }
    if let Some(view) = top_view(state) {
        if matches!(view.target, LogTarget::Pods { .. }) {
            view.members = entries.iter().map(|e| e.pod.clone()).collect();
        }
        view.streams = entries;
    }
}

/// Reads the log again with the view's new switches: the lines so far go.
fn restart(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(view) = top_view(state) else {
        return;
    };
    // Reading a log again is harmless; running a command again is not.
    if matches!(view.target, LogTarget::Command { .. }) {
        state.message = Some(
            "This view shows a command's output; esc, then x runs a command again.".to_string(),
        );
        return;
    }
    let ids = view.streams.drain(..).map(|s| s.id).collect::<Vec<_>>();
    view.reset();
    if !ids.is_empty() {
        effects.push(Effect::StopLogs { ids });
    }
    start(state, effects);
}

/// A key's action on the log view.
pub(super) fn action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    let (height, width) = layout::logs_body(state);
    let step = match action {
        Action::Down => Some(PagerMove::Down),
        Action::Up => Some(PagerMove::Up),
        Action::PageDown => Some(PagerMove::PageDown),
        Action::PageUp => Some(PagerMove::PageUp),
        Action::Top => Some(PagerMove::Top),
        Action::Bottom => Some(PagerMove::Bottom),
        _ => None,
    };
    if let Some(step) = step {
        return top_view(state).is_some_and(|v| v.scroll(step, height, width));
    }
    match action {
        Action::Back => {
            state.message.take().is_some()
                || super::filter::clear(state)
                || super::screens::back(state, effects)
        }
        Action::Search => {
            state.line = Some(InputLine {
                kind: LineKind::Search,
                text: String::new(),
            });
            true
        }
        Action::SearchNext | Action::SearchPrev => {
            jump(state, action == Action::SearchNext, false);
            true
        }
        Action::Filter => super::filter::open(state),
        Action::ToggleCase => toggle_case(state),
        Action::ToggleTimestamps | Action::ToggleWrap => {
            if let Some(view) = top_view(state) {
                let o = &mut view.options;
                if action == Action::ToggleWrap {
                    o.wrap = !o.wrap;
                } else {
                    o.timestamps = !o.timestamps;
                }
            }
            true
        }
        Action::PreviousLogs => {
            if let Some(view) = top_view(state) {
                view.options.previous = !view.options.previous;
            }
            restart(state, effects);
            true
        }
        Action::SinceTail
        | Action::Since1m
        | Action::Since5m
        | Action::Since15m
        | Action::Since1h
        | Action::SinceAll => {
            let since = match action {
                Action::Since1m => Since::Minute,
                Action::Since5m => Since::FiveMinutes,
                Action::Since15m => Since::FifteenMinutes,
                Action::Since1h => Since::Hour,
                Action::SinceAll => Since::All,
                _ => Since::Tail,
            };
            if let Some(view) = top_view(state) {
                view.options.since = since;
            }
            restart(state, effects);
            true
        }
        Action::PickContainer => pick_container(state, effects),
        Action::StopCommand => super::run::stop(state, effects),
        Action::SaveLogs => super::save::open(state),
        _ => false,
    }
}

/// `C`: read the pod again, asking which container.
fn pick_container(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(view) = top_view(state) else {
        return false;
    };
    let LogTarget::Pod { containers, .. } = &mut view.target else {
        state.message = Some(
            "This view follows every container of a workload's pods; open one pod (l) to pick its container."
                .to_string(),
        );
        return true;
    };
    *containers = Containers::Ask;
    restart(state, effects);
    true
}

/// The container picked (`*`: all of them).
pub(super) fn choose_container(state: &mut State, value: &str, effects: &mut Vec<Effect>) {
    let Some(view) = top_view(state) else {
        return;
    };
    if let LogTarget::Pod { containers, .. } = &mut view.target {
        *containers = if value == "*" {
            Containers::All
        } else {
            Containers::Named(value.to_string())
        };
    }
    restart(state, effects);
}

/// `i`: the search and the filter compiled again with the other case rule.
fn toggle_case(state: &mut State) -> bool {
    let Some(view) = top_view(state) else {
        return false;
    };
    view.options.case_sensitive = !view.options.case_sensitive;
    let exact = view.options.case_sensitive;
    if view.search.is_some() {
        view.search = Pattern::parse_lines(&view.search_text, exact).ok();
    }
    // Taken, so the filter is matched afresh: the other case rule is no narrowing.
    let text = view.filter.take().map(|f| f.filter.text);
    if let Some(text) = text {
        if let Ok(filter) = Filter::parse_log(&text, exact) {
            view.set_filter(filter);
        }
    }
    state.message = Some(if exact {
        "Search and filter now match case exactly (i to ignore case).".to_string()
    } else {
        "Search and filter now ignore case (i to match it exactly).".to_string()
    });
    true
}

/// Enter on the search line of a log view: the first match from the top line on screen.
pub(super) fn search(state: &mut State, text: &str) {
    if text.is_empty() {
        return;
    }
    let Some(view) = top_view(state) else {
        return;
    };
    match Pattern::parse_lines(text, view.options.case_sensitive) {
        Ok(pattern) => {
            view.search = Some(pattern);
            view.search_text = text.to_string();
            jump(state, true, true);
        }
        Err(sentence) => state.message = Some(sentence),
    }
}

/// Moves to the next (previous) match and pauses there; says so when nothing matches.
fn jump(state: &mut State, forward: bool, include_top: bool) {
    let (height, width) = layout::logs_body(state);
    let Some(view) = top_view(state) else {
        return;
    };
    if view.search.is_none() {
        state.message = Some("Search first (/).".to_string());
        return;
    }
    let from = view.first_on_screen(height, width).unwrap_or(0);
    let found = view.find(from, forward, include_top);
    let text = view.search_text.clone();
    match found {
        Some(n) => {
            view.show_at_top(n);
            state.message = None;
        }
        None => state.message = Some(format!("No line matches \"{text}\".")),
    }
}

/// A stream's event; `true` when the view shown changed.
pub(super) fn event(state: &mut State, id: u64, event: LogEvent) -> bool {
    let Some(index) = state
        .stack
        .iter()
        .position(|s| matches!(s, Screen::Logs(v) if v.streams.iter().any(|e| e.id == id)))
    else {
        return false;
    };
    let shown = index + 1 == state.stack.len();
    let Some(Screen::Logs(view)) = state.stack.get_mut(index) else {
        return false;
    };
    if let LogEvent::Choose(choices) = event {
        view.streams.retain(|s| s.id != id);
        if shown {
            open_picker(state, &choices);
        }
        return shown;
    }
    if let Some(sentence) = view.apply(id, &event) {
        state.message = Some(sentence);
    }
    shown
}

fn open_picker(state: &mut State, choices: &[ContainerInfo]) {
    let mut items: Vec<PickerItem> = choices
        .iter()
        .map(|c| PickerItem {
            value: c.name.clone(),
            label: c.label(),
            ..PickerItem::default()
        })
        .collect();
    items.push(PickerItem {
        value: "*".to_string(),
        label: "all containers".to_string(),
        ..PickerItem::default()
    });
    state.modal = Some(Modal::Picker(Picker::new(
        PickerKind::Containers,
        items,
        "",
    )));
}

/// Keeps aggregated views in step with the pod store: pods that appeared join (their whole
/// log), pods that went get a marker line and their stream stops.
pub(super) fn sync(state: &mut State, effects: &mut Vec<Effect>) {
    for index in 0..state.stack.len() {
        let Some(Screen::Logs(view)) = state.stack.get(index) else {
            continue;
        };
        let LogTarget::Pods { scope, .. } = &view.target else {
            continue;
        };
        let now: Vec<(String, String)> = scope
            .rows(state.store.rows())
            .map(|r| (r.namespace.to_string(), r.name.to_string()))
            .collect();
        let options = view.options;
        let new: Vec<(String, String)> = now
            .iter()
            .filter(|(_, pod)| !view.members.contains(pod.as_str()))
            .cloned()
            .collect();
        let joined: Vec<(String, String, u64)> = new
            .into_iter()
            .map(|(namespace, pod)| (namespace, pod, state.next_request()))
            .collect();
        let Some(Screen::Logs(view)) = state.stack.get_mut(index) else {
            continue;
        };
        let left: Vec<Arc<str>> = view
            .members
            .iter()
            .filter(|m| !now.iter().any(|(_, p)| p == &***m))
            .cloned()
            .collect();
        for pod in left {
            view.members.remove(&pod);
            let ids: Vec<u64> = view
                .streams
                .iter()
                .filter(|s| s.pod == pod)
                .map(|s| s.id)
                .collect();
            if !ids.is_empty() {
                view.streams.retain(|s| s.pod != pod);
                view.push_marker(&pod, None, "pod left: deleted");
                effects.push(Effect::StopLogs { ids });
            }
        }
        for (namespace, pod, id) in joined {
            let name: Arc<str> = Arc::from(pod.as_str());
            view.members.insert(name.clone());
            view.streams.push(StreamEntry {
                id,
                pod: name.clone(),
            });
            view.push_marker(&name, None, "pod joined");
            // A new pod's log is short and all of it is new.
            let mut request = request(&options, namespace, pod, Containers::DefaultOrAll);
            request.tail = None;
            request.since_seconds = None;
            effects.push(Effect::StartLogs { id, request });
        }
    }
}
