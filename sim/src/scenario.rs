//! TEMPORARY placeholder: replaced by the real implementation from wip-scenario.
pub struct Scenario {
    pub objects: Vec<serde_json::Value>,
    pub tenants: Vec<String>,
    pub files: Vec<SandboxFile>,
}
pub struct SandboxFile {
    pub namespace: Option<String>,
    pub selector: Option<String>,
    pub path: String,
    pub content: String,
    pub mode: u32,
}
pub fn default_scenario(_now: chrono::DateTime<chrono::Utc>) -> Scenario {
    Scenario {
        objects: vec![],
        tenants: vec![],
        files: vec![],
    }
}
pub fn scale_scenario(
    _pods: usize,
    _namespaces: usize,
    _now: chrono::DateTime<chrono::Utc>,
) -> Scenario {
    default_scenario(_now)
}
pub fn from_yaml(_text: &str) -> Result<Scenario, String> {
    Err("placeholder".into())
}
