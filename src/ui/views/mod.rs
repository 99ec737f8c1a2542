//! One module per screen.

pub mod pods;
