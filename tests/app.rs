//! Integration tests, in one binary so they link once.

mod app {
    pub mod commands;
    mod config;
    mod drill;
    pub mod fixtures;
    mod get;
    mod headless;
    mod kube_watch;
    mod pod_status;
    mod printers;
    mod render;
    mod render_lists;
    mod sim_lists;
    mod sort_filter;
    mod update;
}
