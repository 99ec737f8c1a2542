//! The application core: state, messages, actions, the pure `update`, effects and the runtime loop.

pub mod action;
mod background;
mod cursor;
pub mod effect;
pub mod help;
pub mod layout;
pub mod logs;
pub mod msg;
pub mod objects;
pub mod order;
pub mod pager;
pub mod passthrough;
pub mod pattern;
pub mod picker;
pub mod pod_table;
pub mod resource_list;
pub mod run_task;
pub mod runtime;
pub mod scope;
pub mod screen;
pub mod shell;
pub mod sinks;
pub mod state;
pub mod store;
pub mod tasks;
pub mod terminal;
pub mod update;
