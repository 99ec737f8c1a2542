//! A build without the `demo` feature: `--demo` is one sentence saying how to get the
//! simulator, exit code 2, and the terminal is never touched. Compiled only for that build;
//! `.ci/run` runs it with `cargo test --no-default-features --test no_demo`.
#![cfg(not(feature = "demo"))]

use std::process::{Command, Stdio};

#[test]
fn demo_flag_without_the_simulator_says_how_to_get_it() {
    for args in [&["--demo"][..], &["--demo", "get", "pods"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_kterm"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("kterm runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        // Nothing on stdout: no escape sequence, no alternate screen.
        assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "one sentence: {err}");
        assert!(err.contains("no demo simulator"), "{err}");
        assert!(
            err.contains(".deb") && err.contains("default features"),
            "{err}"
        );
    }
}
