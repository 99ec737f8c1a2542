//! The kubeconfig a simulated cluster writes for its clients (context `kterm-sim`).

use base64::Engine;
use serde_json::json;
use std::path::Path;

pub fn write(
    path: &Path,
    url: &str,
    ca_pem: Option<&str>,
    token: Option<&str>,
) -> std::io::Result<()> {
    let mut cluster = json!({"server": url});
    if let Some(ca) = ca_pem {
        cluster["certificate-authority-data"] =
            json!(base64::engine::general_purpose::STANDARD.encode(ca));
    }
    let user = match token {
        Some(t) => json!({"token": t}),
        None => json!({}),
    };
    let doc = json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "kterm-sim", "cluster": cluster}],
        "users": [{"name": "kterm-sim", "user": user}],
        "contexts": [{"name": "kterm-sim", "context": {"cluster": "kterm-sim", "user": "kterm-sim"}}],
        "current-context": "kterm-sim",
        "preferences": {}
    });
    let text = serde_yaml::to_string(&doc).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}
