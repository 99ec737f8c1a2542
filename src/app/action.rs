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
    /// Close whatever is open on top (the help screen); nothing else to go back to yet.
    Back,
    /// Leave kterm.
    Quit,
}

impl Action {
    /// Every action with its name in keymap files.
    pub const ALL: [(Action, &'static str); 9] = [
        (Action::Up, "up"),
        (Action::Down, "down"),
        (Action::PageUp, "page_up"),
        (Action::PageDown, "page_down"),
        (Action::Top, "top"),
        (Action::Bottom, "bottom"),
        (Action::Help, "help"),
        (Action::Back, "back"),
        (Action::Quit, "quit"),
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
