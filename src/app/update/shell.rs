//! Shells: `s` asks the runtime to open one in the selected pod (it checks the rights, picks
//! the container or has the user pick, and hands the terminal over); what comes back is one
//! sentence on the message line, the table as it was.

use crate::app::effect::Effect;
use crate::app::passthrough::SessionEnd;
use crate::app::picker::{Picker, PickerItem, PickerKind};
use crate::app::screen::Modal;
use crate::app::state::State;
use crate::kube::logs::ContainerInfo;

/// `s` on the pod table.
pub(super) fn open(state: &mut State, effects: &mut Vec<Effect>) -> bool {
    let Some(row) = state.selected_row() else {
        return false;
    };
    let (namespace, pod) = (row.namespace.to_string(), row.name.to_string());
    // A container focused in the detail pane (tab) is the one.
    let container = state
        .top_pods()
        .and_then(|t| t.pane.as_ref())
        .and_then(|p| p.focused())
        .map(str::to_string);
    state.message = Some(match &container {
        Some(c) => format!("Opening a shell in {pod} [{c}]…"),
        None => format!("Opening a shell in {pod}…"),
    });
    effects.push(Effect::OpenShell {
        namespace,
        pod,
        container,
    });
    true
}

/// The container picked for a shell (`namespace/pod/container`).
pub(super) fn chosen(state: &mut State, value: &str, effects: &mut Vec<Effect>) {
    let mut parts = value.splitn(3, '/');
    if let (Some(namespace), Some(pod), Some(container)) =
        (parts.next(), parts.next(), parts.next())
    {
        state.message = Some(format!("Opening a shell in {pod} [{container}]…"));
        effects.push(Effect::OpenShell {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            container: Some(container.to_string()),
        });
    }
}

/// Several containers, none the default: the user picks.
pub(super) fn choose(state: &mut State, namespace: &str, pod: &str, choices: &[ContainerInfo]) {
    let items = choices
        .iter()
        .map(|c| PickerItem {
            value: format!("{namespace}/{pod}/{}", c.name),
            label: c.label(),
            ..PickerItem::default()
        })
        .collect();
    state.message = None;
    state.modal = Some(Modal::Picker(Picker::new(
        PickerKind::ShellContainers,
        items,
        "",
    )));
}

/// The shell gave the terminal back.
pub(super) fn ended(state: &mut State, target: &str, end: &SessionEnd) {
    state.message = match end {
        SessionEnd::Exited(0) => None,
        SessionEnd::Exited(code) => Some(format!("The shell in {target} exited with code {code}.")),
        SessionEnd::Lost(sentence) => Some(format!("The shell in {target} ended: {sentence}")),
        SessionEnd::Escaped => Some(format!(
            "Left the shell in {target} with ctrl-] q; what ran in it may still be running."
        )),
    };
}
