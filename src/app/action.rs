//! The keymap vocabulary: what a key asks for, resolved by `config::keymap` before `update`
//! acts on it. Only actions kterm can carry out are listed, so no key ever promises more.

/// Something the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Select the previous row.
    Up,
    /// Select the next row.
    Down,
    /// Move the selection one page up.
    PageUp,
    /// Move the selection one page down.
    PageDown,
    /// Select the first row.
    Top,
    /// Select the last row.
    Bottom,
    /// Show or hide the help screen.
    Help,
    /// Close whatever is open on top (the help screen), else clear the filter.
    Back,
    /// Leave kterm.
    Quit,
    /// Open the filter line.
    Filter,
    /// Select the next pod that needs a look (failing, OOM, restarting, pending), wrapping.
    NextUnhealthy,
    /// Select the previous pod that needs a look, wrapping.
    PrevUnhealthy,
    /// Sort by NAMESPACE; again to reverse.
    SortNamespace,
    /// Sort by NAME; again to reverse.
    SortName,
    /// Sort by READY; again to reverse.
    SortReady,
    /// Sort by STATUS; again to reverse.
    SortStatus,
    /// Sort by RESTARTS; again to reverse.
    SortRestarts,
    /// Sort by LAST TERM; again to reverse.
    SortLastTermination,
    /// Sort by NODE; again to reverse.
    SortNode,
    /// Sort by AGE; again to reverse.
    SortAge,
    /// Open the tenant picker.
    Tenants,
    /// Show the tenant health overview.
    Overview,
    /// Show every watched tenant again (drop the focus on one).
    AllTenants,
    /// Focus on favourite tenant 1.
    Favourite1,
    /// Focus on favourite tenant 2.
    Favourite2,
    /// Focus on favourite tenant 3.
    Favourite3,
    /// Focus on favourite tenant 4.
    Favourite4,
    /// Focus on favourite tenant 5.
    Favourite5,
    /// Focus on favourite tenant 6.
    Favourite6,
    /// Focus on favourite tenant 7.
    Favourite7,
    /// Focus on favourite tenant 8.
    Favourite8,
    /// Focus on favourite tenant 9.
    Favourite9,
    /// Mark or unmark the tenant under the cursor as a favourite (in the tenant picker).
    ToggleFavourite,
    /// Show the selected object's YAML (in the text view: switch to YAML).
    Yaml,
    /// Describe the selected object (in the text view: switch to describe).
    Describe,
    /// Open or close the detail pane.
    Detail,
    /// Show or hide `metadata.managedFields` in the YAML view.
    ToggleManagedFields,
    /// Open the search line of the text view.
    Search,
    /// Jump to the next search match.
    SearchNext,
    /// Jump to the previous search match.
    SearchPrev,
    /// Open the command line (`:deploy`, `:pod`…).
    Command,
    /// Delete the character before the cursor (input lines).
    DeleteBack,
    /// Complete the word being typed (the command line).
    Complete,
    /// Open what the selected row leads to (a deployment's pods, a cronjob's jobs), or take
    /// the item under the cursor in a picker.
    Open,
    /// Show every column at full width, or let them give way to the name again.
    ToggleWide,
    /// Open the logs of the selected pod, or of every pod of the selected workload.
    Logs,
    /// Open the logs of every pod the pod table shows (a workload's drill-down).
    LogsAll,
    /// In the log view: the previous (terminated) container's log, or back to the current.
    PreviousLogs,
    /// In the log view: show or hide timestamps.
    ToggleTimestamps,
    /// In the log view: wrap long lines, or cut them at the edge.
    ToggleWrap,
    /// In the log view: search and filter match case exactly, or ignore it.
    ToggleCase,
    /// In the log view: start from the last N lines (the tail).
    SinceTail,
    /// In the log view: start from one minute ago.
    Since1m,
    /// In the log view: start from five minutes ago.
    Since5m,
    /// In the log view: start from fifteen minutes ago.
    Since15m,
    /// In the log view: start from an hour ago.
    Since1h,
    /// In the log view: everything the container wrote.
    SinceAll,
    /// In the log view: pick the container (or all containers).
    PickContainer,
    /// In the log view: save the lines (or the filtered lines) to a file.
    SaveLogs,
    /// In a confirmation: yes.
    Confirm,
    /// Open a shell in the selected pod.
    Shell,
    /// Run one command in the selected pod, its output in a view.
    RunCommand,
    /// In a command's output view: stop the command (elsewhere: quit).
    StopCommand,
    /// Copy files into or out of the selected pod (a form).
    CopyFiles,
    /// Focus the next container of the detail pane (`s` and `l` then use it).
    NextContainer,
    /// Delete the whole text of an input line.
    ClearLine,
    /// Delete the selected (or marked) objects, after the guarded-delete dialog.
    Delete,
    /// Restart the selected (or marked) pods: delete them, after the same dialog.
    RestartPod,
    /// Mark or unmark the selected row (marked rows are deleted together) and move down.
    Mark,
    /// In the delete dialog: the next propagation policy.
    CyclePropagation,
    /// In the delete dialog: force (grace 0) on or off.
    ToggleForce,
    /// In the delete dialog: the next grace period.
    CycleGrace,
    /// Edit the selected object in $EDITOR, with `kubectl edit`'s safety.
    Edit,
    /// Show the last alerts (OOM kills, crash loops, tenants going DOWN).
    Alerts,
    /// Events: one row per reason and object with counts, or every event.
    ToggleGrouped,
    /// Scale the selected Deployment or StatefulSet (a number line).
    Scale,
    /// Rollout-restart the selected Deployment or StatefulSet (asks first).
    RolloutRestart,
    /// Change a container's memory/CPU requests and limits of the selected workload (a form).
    SetResources,
    /// Suspend or resume the selected CronJob (asks first, showing its state).
    Suspend,
    /// Run the selected CronJob now: a Job from its template (asks first).
    Trigger,
    /// Copy the selected row's name to the clipboard (in the log view: the lines on screen,
    /// or the filtered lines).
    CopyName,
    /// Copy the selected row's `namespace/name` to the clipboard.
    CopyFullName,
    /// Copy the selected object's YAML to the clipboard (in the text view: the whole text).
    CopyYaml,
    /// Turn the CPU/MEM usage polling (metrics.k8s.io) off or on.
    ToggleMetrics,
}

impl Action {
    /// Every action with its name in keymap files.
    pub const ALL: [(Action, &'static str); 84] = [
        (Action::Up, "up"),
        (Action::Down, "down"),
        (Action::PageUp, "page_up"),
        (Action::PageDown, "page_down"),
        (Action::Top, "top"),
        (Action::Bottom, "bottom"),
        (Action::Help, "help"),
        (Action::Back, "back"),
        (Action::Quit, "quit"),
        (Action::Filter, "filter"),
        (Action::NextUnhealthy, "next_unhealthy"),
        (Action::PrevUnhealthy, "prev_unhealthy"),
        (Action::SortNamespace, "sort_namespace"),
        (Action::SortName, "sort_name"),
        (Action::SortReady, "sort_ready"),
        (Action::SortStatus, "sort_status"),
        (Action::SortRestarts, "sort_restarts"),
        (Action::SortLastTermination, "sort_last_termination"),
        (Action::SortNode, "sort_node"),
        (Action::SortAge, "sort_age"),
        (Action::Tenants, "tenants"),
        (Action::Overview, "overview"),
        (Action::AllTenants, "all_tenants"),
        (Action::Favourite1, "favourite_1"),
        (Action::Favourite2, "favourite_2"),
        (Action::Favourite3, "favourite_3"),
        (Action::Favourite4, "favourite_4"),
        (Action::Favourite5, "favourite_5"),
        (Action::Favourite6, "favourite_6"),
        (Action::Favourite7, "favourite_7"),
        (Action::Favourite8, "favourite_8"),
        (Action::Favourite9, "favourite_9"),
        (Action::ToggleFavourite, "toggle_favourite"),
        (Action::Yaml, "yaml"),
        (Action::Describe, "describe"),
        (Action::Detail, "detail"),
        (Action::ToggleManagedFields, "toggle_managed_fields"),
        (Action::Search, "search"),
        (Action::SearchNext, "search_next"),
        (Action::SearchPrev, "search_prev"),
        (Action::Command, "command"),
        (Action::Open, "open"),
        (Action::DeleteBack, "delete_back"),
        (Action::Complete, "complete"),
        (Action::ToggleWide, "toggle_wide"),
        (Action::Logs, "logs"),
        (Action::LogsAll, "logs_all"),
        (Action::PreviousLogs, "previous_logs"),
        (Action::ToggleTimestamps, "toggle_timestamps"),
        (Action::ToggleWrap, "toggle_wrap"),
        (Action::ToggleCase, "toggle_case"),
        (Action::SinceTail, "since_tail"),
        (Action::Since1m, "since_1m"),
        (Action::Since5m, "since_5m"),
        (Action::Since15m, "since_15m"),
        (Action::Since1h, "since_1h"),
        (Action::SinceAll, "since_all"),
        (Action::PickContainer, "pick_container"),
        (Action::SaveLogs, "save_logs"),
        (Action::Confirm, "confirm"),
        (Action::Shell, "shell"),
        (Action::RunCommand, "run_command"),
        (Action::StopCommand, "stop_command"),
        (Action::CopyFiles, "copy_files"),
        (Action::NextContainer, "next_container"),
        (Action::ClearLine, "clear_line"),
        (Action::Delete, "delete"),
        (Action::RestartPod, "restart_pod"),
        (Action::Mark, "mark"),
        (Action::CyclePropagation, "cycle_propagation"),
        (Action::ToggleForce, "toggle_force"),
        (Action::CycleGrace, "cycle_grace"),
        (Action::Edit, "edit"),
        (Action::Alerts, "alerts"),
        (Action::ToggleGrouped, "toggle_grouped"),
        (Action::Scale, "scale"),
        (Action::RolloutRestart, "rollout_restart"),
        (Action::SetResources, "set_resources"),
        (Action::Suspend, "suspend"),
        (Action::Trigger, "trigger"),
        (Action::CopyName, "copy_name"),
        (Action::CopyFullName, "copy_full_name"),
        (Action::CopyYaml, "copy_yaml"),
        (Action::ToggleMetrics, "toggle_metrics"),
    ];

    /// The favourite a `favourite_N` action reaches (1–9), or 0 for `all_tenants`.
    pub fn favourite_index(self) -> Option<usize> {
        const ORDER: [Action; 10] = [
            Action::AllTenants,
            Action::Favourite1,
            Action::Favourite2,
            Action::Favourite3,
            Action::Favourite4,
            Action::Favourite5,
            Action::Favourite6,
            Action::Favourite7,
            Action::Favourite8,
            Action::Favourite9,
        ];
        ORDER.iter().position(|a| *a == self)
    }

    /// The action's name in keymap files.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(a, _)| *a == self)
            .map_or("", |(_, n)| n)
    }

    /// The action named `name` in a keymap file.
    pub fn from_name(name: &str) -> Option<Action> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(a, _)| *a)
    }
}
