//! The guarded-delete dialog (`Modal::Delete`): what is about to go, what each object's loss
//! breaks (the impact, computed by `kube::deps::impact` as the checks come back), kubectl's
//! options, and — for a high-impact delete — the name typed back. Scale to 0 and suspend open
//! the same dialog with their own `Change`.

use crate::kube::deps::{Change, Impact, Level};
use crate::kube::mutate::DeleteOptions;
use crate::kube::target::Target;

/// Grace periods `ctrl-g` cycles through (`None`: the object's own).
pub const GRACE_STEPS: [Option<u32>; 5] = [None, Some(0), Some(5), Some(30), Some(120)];

/// One object the dialog is about.
#[derive(Clone, Debug, PartialEq)]
pub struct DeleteItem {
    /// The object.
    pub target: Target,
    /// Its impact; `None` while the checks run.
    pub impact: Option<Impact>,
}

/// The dialog's state.
#[derive(Clone, Debug, PartialEq)]
pub struct DeleteDialog {
    /// Matches the checks' answers to this dialog.
    pub id: u64,
    /// What happens on yes.
    pub change: Change,
    /// For a scale, the replicas before (the sentence and the audit).
    pub scale_from: Option<u32>,
    /// The objects (the marked rows, else the selected one).
    pub items: Vec<DeleteItem>,
    /// kubectl's delete options (only for `Change::Delete`).
    pub options: DeleteOptions,
    /// The name typed back, for a high-impact change.
    pub typed: String,
    /// Marked rows the current filter hides (they are part of the delete too).
    pub hidden_marked: usize,
    /// A pod restart (ctrl-k): a delete, worded as the restart it is.
    pub restart: bool,
    /// First body line shown, when the warnings are taller than the box.
    pub scroll: usize,
    /// The object's state, said under the title ("protheus-updater is active (schedule …)").
    pub note: Option<String>,
}

impl DeleteDialog {
    /// A dialog about `targets`, every check still running.
    pub fn new(id: u64, change: Change, targets: Vec<Target>) -> DeleteDialog {
        DeleteDialog {
            id,
            change,
            scale_from: None,
            items: targets
                .into_iter()
                .map(|target| DeleteItem {
                    target,
                    impact: None,
                })
                .collect(),
            options: DeleteOptions::default(),
            typed: String::new(),
            hidden_marked: 0,
            restart: false,
            scroll: 0,
            note: None,
        }
    }

    /// Whether some check has not answered yet.
    pub fn checking(&self) -> bool {
        self.items.iter().any(|i| i.impact.is_none())
    }

    /// Why typing is required (every object's reasons), empty when `y` is enough.
    pub fn high_reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in &self.items {
            for reason in item.impact.iter().flat_map(|i| &i.high) {
                if !out.contains(reason) {
                    out.push(reason.clone());
                }
            }
        }
        out
    }

    /// What must be typed to confirm a high-impact change: the name, or for several objects
    /// their count.
    pub fn expected(&self) -> String {
        match self.items.as_slice() {
            [one] => one.target.name.clone(),
            many => many.len().to_string(),
        }
    }

    /// Whether the typed text confirms.
    pub fn typed_ok(&self) -> bool {
        self.typed == self.expected()
    }

    /// The verb of the title: "Delete", "Restart", "Scale to 0", "Suspend".
    pub fn verb(&self) -> String {
        match self.change {
            Change::Delete if self.restart => "Restart (delete)".to_string(),
            Change::Delete => "Delete".to_string(),
            Change::ScaleTo(n) => format!("Scale to {n}"),
            Change::Suspend => "Suspend".to_string(),
        }
    }

    /// The title line: "Delete pod t4k9pz/appserver-prd-…?" or "Delete 3 objects?".
    pub fn title(&self) -> String {
        match self.items.as_slice() {
            [one] => format!("{} {}?", self.verb(), one.target.label()),
            many => {
                let hidden = if self.hidden_marked > 0 {
                    format!(" ({} hidden by the filter)", self.hidden_marked)
                } else {
                    String::new()
                };
                format!("{} {} marked objects{hidden}?", self.verb(), many.len())
            }
        }
    }

    /// The body: per object its warnings (or "checking…"), most serious first.
    pub fn body(&self) -> Vec<(Level, String)> {
        let several = self.items.len() > 1;
        let mut lines = Vec::new();
        for item in &self.items {
            if several {
                lines.push((Level::Info, format!("{}:", item.target.label())));
            }
            let indent = if several { "  " } else { "" };
            match &item.impact {
                None => lines.push((Level::Info, format!("{indent}checking what depends on it…"))),
                Some(impact) if impact.warnings.is_empty() => {
                    lines.push((Level::Info, format!("{indent}nothing depends on it")))
                }
                Some(impact) => {
                    for w in &impact.warnings {
                        lines.push((w.level, format!("{indent}{} {}", glyph(w.level), w.text)));
                    }
                }
            }
        }
        // The checks assume the dependents go with the object; Orphan keeps them.
        if self.change == Change::Delete
            && self.options.propagation == crate::kube::mutate::Propagation::Orphan
        {
            lines.push((
                Level::Info,
                "· Orphan: what it owns (pods, Jobs, ReplicaSets) stays, without an owner"
                    .to_string(),
            ));
        }
        lines
    }

    /// The options line (deletes only): "propagation Background · grace default · force off".
    pub fn options_line(&self) -> Option<String> {
        if self.change != Change::Delete {
            return None;
        }
        let grace = match (self.options.force, self.options.grace_seconds) {
            (true, _) => "0 (force)".to_string(),
            (false, None) => "the object's own".to_string(),
            (false, Some(s)) => format!("{s}s"),
        };
        Some(format!(
            "propagation {} · grace {grace} · force {}",
            self.options.propagation.word(),
            if self.options.force { "on" } else { "off" }
        ))
    }

    /// The last line: what the keys do now.
    pub fn prompt(&self) -> String {
        let options = if self.change == Change::Delete {
            " · tab propagation · ctrl-g grace · ctrl-f force"
        } else {
            ""
        };
        if self.checking() {
            return format!("checking… · esc cancels{options}");
        }
        if self.high_reasons().is_empty() {
            format!("y yes · n no (default){options}")
        } else {
            format!(
                "type {} and enter to confirm · esc cancels{options}",
                self.expected()
            )
        }
    }

    /// Moves to the next grace period.
    pub fn cycle_grace(&mut self) {
        let at = GRACE_STEPS
            .iter()
            .position(|g| *g == self.options.grace_seconds)
            .unwrap_or(0);
        self.options.grace_seconds = GRACE_STEPS[(at + 1) % GRACE_STEPS.len()];
    }
}

/// The mark before a warning: the glyph carries the level in a monochrome terminal.
pub fn glyph(level: Level) -> &'static str {
    match level {
        Level::Danger => "✗",
        Level::Warn => "!",
        Level::Info => "·",
    }
}
