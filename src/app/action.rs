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
    /// Open the command line (`:deploy`, `:pod`…).
    Command,
    /// Open what the selected row leads to (a deployment's pods, a cronjob's jobs).
    Open,
}

impl Action {
    /// Every action with its name in keymap files.
    pub const ALL: [(Action, &'static str); 22] = [
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
        (Action::Command, "command"),
        (Action::Open, "open"),
    ];

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
