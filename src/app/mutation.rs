//! PLACEHOLDER (the actions helper's branch replaces this file): the contract only.
use crate::kube::mutate::DeleteOptions;
use crate::kube::target::Target;

/// A change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// Scale.
    Scale {
        /// Target.
        target: Target,
        /// From.
        from: u32,
        /// To.
        to: u32,
    },
    /// Suspend.
    Suspend {
        /// Target.
        target: Target,
        /// Suspend.
        suspend: bool,
    },
    /// Delete.
    Delete {
        /// Target.
        target: Target,
        /// Options.
        options: DeleteOptions,
    },
}
