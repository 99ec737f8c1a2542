//! The application core: state, messages, actions, the pure `update`, effects and the runtime loop.

pub mod action;
mod cursor;
pub mod detail;
pub mod effect;
pub mod fetcher;
pub mod msg;
pub mod order;
pub mod picker;
pub mod resource_view;
pub mod runtime;
pub mod scope;
pub mod screen;
pub mod sinks;
pub mod state;
pub mod update;
