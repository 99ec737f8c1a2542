//! What needs rights: the actions that change the cluster, the RBAC question each asks about
//! the selected row, the sentence for a "no", and the help's mark. Pure queries over `State`;
//! the gate that acts on them is `app/update/rights.rs`.

use crate::app::action::Action;
use crate::app::screen::Screen;
use crate::app::state::State;
use crate::kube::kinds::ResourceKind;
use crate::kube::mutate::Access;
use crate::kube::target::Target;
/// The actions that change the cluster (or run something in it), with the verb they need on
/// the row's kind; `None` verb: read-only refuses it but RBAC is the action's own business
/// (shells ask for exec rights themselves).
pub fn mutation(action: Action) -> Option<(&'static str, Option<&'static str>)> {
    Some(match action {
        Action::Edit => ("edit", Some("update")),
        Action::Delete => ("delete", Some("delete")),
        Action::RestartPod => ("restart", Some("delete")),
        Action::Scale => ("scale", Some("patch")),
        Action::RolloutRestart => ("rollout restart", Some("patch")),
        Action::SetResources => ("changing resources", Some("patch")),
        Action::Suspend => ("suspend/resume", Some("patch")),
        Action::Trigger => ("trigger", None),
        Action::Shell => ("shell", None),
        Action::RunCommand => ("run a command", None),
        Action::CopyFiles => ("copy files", None),
        _ => return None,
    })
}

/// The object the action would act on first (the selected row).
fn selected_target(state: &State) -> Option<Target> {
    match state.screen()? {
        Screen::Pods(table) => table
            .selected_key
            .as_ref()
            .map(|k| Target::of(ResourceKind::Pod, Some(&k.namespace), &k.name)),
        Screen::Resources(view) => view
            .selected_key
            .as_ref()
            .map(|k| Target::of(view.kind, Some(&k.namespace), &k.name)),
        _ => None,
    }
}

/// The RBAC question an action on the selected row asks, if any.
pub fn question(state: &State, action: Action) -> Option<Access> {
    let (_, verb) = mutation(action)?;
    let target = selected_target(state)?;
    if action == Action::Trigger {
        return Some(Access::create_in(
            "batch",
            "jobs",
            target.namespace.as_deref(),
        ));
    }
    Some(Access::to(verb?, &target))
}

/// Sentence for a refused access: "You may not delete pods in f7h4js (RBAC); ask …".
pub fn refusal(access: &Access) -> String {
    let place = access
        .namespace
        .as_deref()
        .map_or_else(|| " cluster-wide".to_string(), |ns| format!(" in {ns}"));
    format!(
        "You may not {} {}{place} (the cluster's RBAC says no); ask your cluster admin for {} rights on {}.",
        access.verb, access.resource, access.verb, access.resource
    )
}

/// What the help appends to an action's description when it is unavailable, and why.
pub fn mark(state: &State, action: Action) -> Option<String> {
    let (words, _) = mutation(action)?;
    if let Some(why) = state.readonly.why(&state.cluster.context) {
        return Some(format!("[off: read-only, {why}]"));
    }
    let _ = words;
    let access = question(state, action)?;
    match state.rights.get(&access) {
        Some(Ok(false)) => Some(format!(
            "[not allowed: you may not {} {}{}]",
            access.verb,
            access.resource,
            access
                .namespace
                .as_deref()
                .map_or(String::new(), |ns| format!(" in {ns}"))
        )),
        _ => None,
    }
}
