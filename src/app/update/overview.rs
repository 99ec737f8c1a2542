//! The overview screen's keys and upkeep: its rows are recomputed from the pod store and the
//! held Services, Jobs and Events whenever something changed while it is shown (one pass over
//! the pods, like a pod table's reorder); enter opens a tenant's pods, problems first.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::layout;
use crate::app::overview::screen::OverviewScreen;
use crate::app::overview::{HealthObjects, Inputs, Usage};
use crate::app::pod_table::PodTable;
use crate::app::scope::PodScope;
use crate::app::screen::Screen;
use crate::app::state::{NamespaceChoice, State};
use crate::kube::pods::PodKey;
use crate::kube::resources::ResourceEvent;

/// `H` or `:tenants`: the overview, over what is shown (esc comes back).
pub(super) fn open(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    if matches!(state.screen(), Some(Screen::Overview(_))) {
        return false;
    }
    super::screens::push(state, Screen::Overview(Box::new(stale())), effects);
    refresh(state, false);
    true
}

/// Whether the overview is the first screen: more than one tenant is watched.
pub fn lands_on_overview(state: &State) -> bool {
    match &state.namespace_choice {
        NamespaceChoice::All | NamespaceChoice::Selector(_) => true,
        NamespaceChoice::List(list) => list.len() > 1,
        NamespaceChoice::ContextDefault => state.tenants.len() > 1,
    }
}

/// Puts the overview over the pod table, for the start of a session watching several tenants.
pub fn land(state: &mut State) {
    if lands_on_overview(state) && !matches!(state.screen(), Some(Screen::Overview(_))) {
        state.stack.push(Screen::Overview(Box::new(stale())));
        refresh(state, false);
    }
}

/// A new overview, to be computed when first shown.
fn stale() -> OverviewScreen {
    OverviewScreen {
        stale: true,
        ..OverviewScreen::default()
    }
}

/// A Service, Job or Event watch saw something.
pub(super) fn health_event(state: &mut State, event: ResourceEvent) -> bool {
    state.health.apply(event) && matches!(state.screen(), Some(Screen::Overview(_)))
}

/// Marks every overview stale when `data_changed`, then recomputes the shown one if it is
/// stale: one pass over the pods per change of data, never per key.
pub(super) fn refresh(state: &mut State, data_changed: bool) {
    let below = state.stack.len().saturating_sub(1);
    for (i, screen) in state.stack.iter_mut().enumerate() {
        if let Screen::Overview(view) = screen {
            view.stale |= data_changed;
            view.covered |= i < below;
        }
    }
    let swept = match state.screen() {
        Some(Screen::Overview(view)) if view.stale => !view.covered && view.revision.is_some(),
        _ => return,
    };
    compute(state, swept);
    let revision = state.overview_cache.revision();
    let height = layout::overview_body_height(state);
    let rows = match state.stack.last() {
        // Nothing the rows read changed: the copy on screen is current.
        Some(Screen::Overview(view)) if view.revision == Some(revision) => None,
        _ => Some(state.overview_cache.rows()),
    };
    if let Some(Screen::Overview(view)) = state.stack.last_mut() {
        if let Some(rows) = rows {
            view.set_rows(rows);
            view.revision = Some(revision);
        }
        view.stale = false;
        view.covered = false;
        view.keep_visible(height);
    }
}

/// The namespaces the overview has a row for: the ones named (`-n`, config tenants, the
/// selector's answer); empty — every namespace with pods — when all are watched.
fn watched_tenants(state: &State) -> Vec<String> {
    if let Some(only) = state.store.only() {
        return only.iter().cloned().collect();
    }
    match &state.cluster.watching {
        Some(crate::app::effect::Namespaces::List(list)) => list.clone(),
        _ => Vec::new(),
    }
}

/// A key on the overview.
pub(super) fn action(state: &mut State, action: Action, effects: &mut Vec<Effect>) -> bool {
    let page = layout::overview_body_height(state).max(1) as isize;
    let height = layout::overview_body_height(state);
    let Some(Screen::Overview(view)) = state.stack.last_mut() else {
        return false;
    };
    let before = (view.cursor, view.top);
    match action {
        Action::Up => view.move_by(-1),
        Action::Down => view.move_by(1),
        Action::PageUp => view.move_by(-page),
        Action::PageDown => view.move_by(page),
        Action::Top => view.move_by(isize::MIN),
        Action::Bottom => view.move_by(isize::MAX),
        Action::Open => return drill(state, effects),
        Action::Back => {
            return state.message.take().is_some() || super::screens::back(state, effects)
        }
        Action::Filter | Action::Tenants => return super::picker::open_tenants(state),
        _ => return false,
    }
    view.keep_visible(height);
    before != (view.cursor, view.top)
}

/// Enter: the selected tenant's pods, problems first.
fn drill(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(Screen::Overview(view)) = state.screen() else {
        return false;
    };
    let Some(row) = view.selected() else {
        return false;
    };
    let mut scope = PodScope::namespace(row.namespace.clone());
    scope.title = format!("pods of ns/{}, problems first", row.namespace);
    let table = PodTable {
        problems_first: true,
        ..PodTable::scoped(scope)
    };
    super::screens::push(state, Screen::Pods(Box::new(table)), effects);
    true
}

impl OverviewScreen {
    /// Scrolls so the cursor is inside a body of `height` rows.
    fn keep_visible(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
    }
}

/// Brings the overview cache up to date with what is held now (only the namespaces that
/// changed, and the clock's share), usage joined from the metrics room. `swept`: the rows are
/// on screen and were last computed a tick ago, so the clock's sweep goes on; else only the
/// namespaces the clock may have changed meanwhile are computed again.
fn compute(state: &mut State, swept: bool) {
    state
        .overview_cache
        .mark(state.store.take_changed().iter().map(|ns| &**ns));
    state.overview_cache.mark(state.health.take_changed());
    if swept {
        state.overview_cache.clock(state.now);
    } else {
        state.overview_cache.catch_up(state.now);
    }
    // The usage map holds only polled pods: looked up first, it spares the store a lookup
    // for every other pod.
    let usage = |key: &PodKey| -> Option<Usage> {
        let used = state.metrics.usage(key)?;
        let row = state.store.get(key)?;
        let (mem, cpu) = crate::app::metrics::limit_shares(row, used);
        Some(Usage {
            mem_pct: mem.unwrap_or(0.0),
            cpu_pct: cpu.unwrap_or(0.0),
        })
    };
    let namespaces = watched_tenants(state);
    let services = HealthObjects::rows(&state.health.services);
    let jobs = HealthObjects::rows(&state.health.jobs);
    let events = HealthObjects::rows(&state.health.events);
    let inputs = Inputs {
        pods: state.store.rows(),
        namespaces: &namespaces,
        tenants: &state.tenants,
        services: &services,
        jobs: &jobs,
        events: &events,
        usage: &usage,
    };
    let mut cache = std::mem::take(&mut state.overview_cache);
    cache.refresh(&inputs, state.now);
    state.overview_cache = cache;
}

/// The usage of pods on the overview was polled: their namespaces are computed again.
pub(super) fn usage_polled(state: &mut State) {
    let height = layout::overview_body_height(state);
    let Some(Screen::Overview(view)) = state.stack.last_mut() else {
        return;
    };
    let shown = view.rows.iter().skip(view.top).take(height);
    state
        .overview_cache
        .mark(shown.map(|r| r.namespace.as_str()));
    view.stale = true;
}

/// Once a tick, when what the overview reads changed: a tenant environment that goes DOWN
/// raises an alert, whatever screen is shown. The first look after connecting only learns
/// what is already down.
pub(super) fn watch_for_down(state: &mut State, effects: &mut Vec<Effect>) {
    if !std::mem::take(&mut state.health_dirty)
        || state.cluster.connection != crate::app::state::Connection::Live
    {
        return;
    }
    let swept = matches!(state.screen(), Some(Screen::Overview(view))
        if !view.covered && view.revision.is_some());
    compute(state, swept);
    let down: std::collections::BTreeMap<(String, String), String> = state
        .overview_cache
        .down()
        .map(|r| {
            let why = r.reasons.first().cloned().unwrap_or_default();
            (
                (r.namespace.clone(), r.env.clone().unwrap_or_default()),
                format!("{}: {why}", r.title()),
            )
        })
        .collect();
    if let Some(before) = &state.down_tenants {
        let new: Vec<String> = down
            .iter()
            .filter(|(k, _)| !before.contains(*k))
            .map(|(_, text)| text.clone())
            .collect();
        for text in new {
            super::alerts::raise(
                state,
                crate::app::alerts::AlertKind::TenantDown,
                text,
                effects,
            );
        }
    }
    state.down_tenants = Some(down.into_keys().collect());
}
