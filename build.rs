//! Puts the commit into `kterm --version` (`KTERM_COMMIT`): `$KTERM_COMMIT` when a packager sets
//! it, else `git rev-parse --short HEAD`, else `unknown` (a crates tarball has no `.git`).

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KTERM_COMMIT");
    let commit = std::env::var("KTERM_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            ours()
                .then(|| git(&["rev-parse", "--short", "HEAD"]))
                .flatten()
        })
        .unwrap_or_else(|| "unknown".to_string());
    watch_head();
    println!("cargo:rustc-env=KTERM_COMMIT={commit}");
}

/// Whether the git repository around the crate is kterm's own: a crates tarball unpacked inside
/// some other repository (a home directory kept in git) must not take that one's commit.
fn ours() -> bool {
    git(&["ls-files", "--", "Cargo.toml"]).is_some()
}

/// Reruns this script when HEAD moves: HEAD itself (a checkout, a detached commit), the branch's
/// ref (a commit) and packed-refs (a gc). In a worktree `.git` is a file and the refs live in the
/// common dir, so both are asked of git. Only files that exist are named: cargo treats a missing
/// one as always changed.
fn watch_head() {
    if !ours() {
        return;
    }
    let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) else {
        return;
    };
    let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"])
        .unwrap_or_else(|| git_dir.clone());
    let mut files = vec![Path::new(&git_dir).join("HEAD")];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        files.push(Path::new(&common).join(branch));
    }
    files.push(Path::new(&common).join("packed-refs"));
    for file in files.iter().filter(|f| f.exists()) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
}

/// git's answer in the crate's directory, trimmed; `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
