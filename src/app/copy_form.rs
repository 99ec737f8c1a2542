//! The copy form (`C` on a pod): direction, local path, pod path and container, filled in
//! before anything is copied; what a copy in flight has done so far.

/// Which field has the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Into or out of the pod.
    Direction,
    /// The path on this machine.
    Local,
    /// The path in the pod.
    Remote,
    /// The container (empty: the pod's default).
    Container,
}

const ORDER: [Field; 4] = [
    Field::Direction,
    Field::Local,
    Field::Remote,
    Field::Container,
];

/// The open form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyForm {
    /// Namespace of the pod.
    pub namespace: String,
    /// The pod.
    pub pod: String,
    /// Copy into the pod (else out of it).
    pub inward: bool,
    /// Local path.
    pub local: String,
    /// Pod path.
    pub remote: String,
    /// Container, empty for the default.
    pub container: String,
    /// The field being edited.
    pub field: Field,
}

impl CopyForm {
    /// A form for `pod`, copying in, the cursor on the local path.
    pub fn new(namespace: &str, pod: &str) -> Self {
        CopyForm {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            inward: true,
            local: String::new(),
            remote: String::new(),
            container: String::new(),
            field: Field::Local,
        }
    }

    /// Moves to the next (or previous) field, wrapping.
    pub fn step(&mut self, forward: bool) {
        let at = ORDER.iter().position(|f| *f == self.field).unwrap_or(0);
        let next = if forward {
            at + 1
        } else {
            at + ORDER.len() - 1
        };
        self.field = ORDER[next % ORDER.len()];
    }

    /// The text of the field being edited (none for the direction).
    pub fn text_mut(&mut self) -> Option<&mut String> {
        match self.field {
            Field::Direction => None,
            Field::Local => Some(&mut self.local),
            Field::Remote => Some(&mut self.remote),
            Field::Container => Some(&mut self.container),
        }
    }

    /// Why the form cannot be sent yet, if it cannot.
    pub fn problem(&self) -> Option<&'static str> {
        if self.local.trim().is_empty() {
            Some("Type the local path.")
        } else if self.remote.trim().is_empty() {
            Some("Type the path in the pod.")
        } else {
            None
        }
    }
}

/// A copy in flight, shown on the message line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyProgress {
    /// `tttm120.rpo → pod/x:/protheus/apo/`.
    pub what: String,
    /// Bytes done.
    pub done: u64,
    /// Bytes in all, when known.
    pub total: Option<u64>,
}

impl CopyProgress {
    /// `Copying a → b  3.2 MB of 5.0 MB ▕████░░░░░░▏`.
    pub fn sentence(&self) -> String {
        let mb = crate::units::bytes;
        match self.total.filter(|t| *t > 0) {
            Some(total) => {
                let filled = ((self.done.min(total) * 20) / total) as usize;
                format!(
                    "Copying {}  {} of {} ▕{}{}▏",
                    self.what,
                    mb(self.done),
                    mb(total),
                    "█".repeat(filled),
                    "░".repeat(20 - filled)
                )
            }
            None => format!("Copying {}  {}", self.what, mb(self.done)),
        }
    }
}

/// `a.rpo → pod/x:/protheus/apo/` or the other way.
pub fn label(job: &crate::kube::cluster::CopyJob, inward: bool) -> String {
    let local = job.local.display();
    let remote = format!("pod/{}:{}", job.pod, job.remote);
    if inward {
        format!("{local} → {remote}")
    } else {
        format!("{remote} → {local}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_walks_the_fields_and_the_form_says_what_is_missing() {
        let mut form = CopyForm::new("r2g5mu", "protheus-updater-1-abcde");
        assert_eq!(form.field, Field::Local);
        assert_eq!(form.problem(), Some("Type the local path."));
        form.step(true);
        form.step(true);
        assert_eq!(form.field, Field::Container);
        form.step(true);
        assert_eq!(form.field, Field::Direction, "wraps");
        assert!(form.text_mut().is_none(), "the direction is not typed into");
        form.local = "a.rpo".into();
        assert_eq!(form.problem(), Some("Type the path in the pod."));
    }

    #[test]
    fn progress_shows_a_bar_when_the_total_is_known() {
        let p = CopyProgress {
            what: "a → b".into(),
            done: 5 << 19,
            total: Some(5 << 20),
        };
        assert_eq!(
            p.sentence(),
            "Copying a → b  2.5 MB of 5.0 MB ▕██████████░░░░░░░░░░▏"
        );
        let unknown = CopyProgress { total: None, ..p };
        assert_eq!(unknown.sentence(), "Copying a → b  2.5 MB");
    }
}
