//! One module per screen.

pub mod pods;
pub mod resources;
