//! One module per screen.

pub mod logs;
pub mod overview;
pub mod pane;
pub mod pods;
pub mod resources;
pub mod text;
