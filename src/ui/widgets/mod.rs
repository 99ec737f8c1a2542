//! Reusable pieces of screens.

pub mod status_bar;
