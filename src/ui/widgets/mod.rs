//! Reusable pieces of screens.

pub mod alerts;
pub mod columns;
pub mod confirm;
pub mod copy_form;
pub mod delete;
pub mod edit_conflict;
pub mod help;
pub mod pager;
pub mod picker;
pub mod resources_form;
pub mod status_bar;
pub mod table;
