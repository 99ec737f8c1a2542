//! One module per screen.

pub mod detail;
pub mod pods;
pub mod resources;
pub mod text;
