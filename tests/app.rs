//! Integration tests, in one binary so they link once.

mod app {
    mod config;
    pub mod fixtures;
    mod get;
    mod headless;
    mod kube_watch;
    mod pod_status;
    mod printers;
    mod render;
    mod sort_filter;
    mod update;
}
