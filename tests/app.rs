//! Integration tests, in one binary so they link once.

mod app {
    mod config;
    mod detail;
    mod fetch_sim;
    pub mod fixtures;
    mod get;
    mod headless;
    mod kube_watch;
    pub mod object_views;
    mod pod_status;
    mod render;
    mod sort_filter;
    mod tenants;
    mod update;
}
