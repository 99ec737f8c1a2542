//! Integration tests, in one binary so they link once.

mod app {
    mod actions;
    mod alerts;
    mod audit;
    mod check;
    mod clipboard;
    mod columns;
    pub mod commands;
    mod config;
    mod config_probe;
    mod delete;
    mod deps;
    mod deps_sim;
    mod detail;
    mod drill;
    mod edit;
    mod events;
    mod exec_sim;
    mod fetch_sim;
    pub mod fixtures;
    mod get;
    mod headless;
    mod install;
    mod kube_watch;
    mod logs;
    mod logs_sim;
    mod metrics;
    pub mod object_views;
    mod overview;
    mod overview_screen;
    mod pattern_bounds;
    mod pod_status;
    mod pod_status_table;
    mod printers;
    mod render;
    mod render_lists;
    mod rooms;
    mod sanitize;
    mod sim_lists;
    mod sort_filter;
    mod tenants;
    mod update;
}
