//! Config files a careful user can get wrong: a keymap that leaves no way out, a binary theme.

use kterm::config::{ColourSupport, Config, Keymap};

#[test]
fn a_keymap_that_leaves_quit_without_a_key_is_refused_with_its_line() {
    let text = "global:\n  help: { keys: [h] }\n  quit: { keys: [] }\n";
    let error = Keymap::with_user("keymap.yaml", text).expect_err("quit has no key");
    assert_eq!(
        error.to_string(),
        "keymap.yaml:3: leaves quit without a key; give it one, e.g. quit: { keys: [q] }"
    );
}

#[test]
fn a_keymap_that_gives_quits_keys_away_is_refused_too() {
    let text = "global:\n  help: { keys: [q, ctrl-c] }\n";
    let error = Keymap::with_user("keymap.yaml", text).expect_err("quit lost its keys");
    assert_eq!(error.line, Some(1), "{error}");
    let kept = Keymap::with_user("keymap.yaml", "global:\n  help: { keys: [q] }\n");
    assert!(kept.is_ok(), "ctrl-c still quits: {kept:?}");
}

#[test]
fn a_refused_keymap_leaves_the_presets_quit_keys() {
    let dir = std::env::temp_dir().join(format!("kterm-noquit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::write(dir.join("keymap.yaml"), "global:\n  quit: { keys: [] }\n").expect("write");
    let config = Config::load_from(&dir, ColourSupport::Colour);
    assert_eq!(config.keymap, Keymap::presets_default());
    assert_eq!(config.errors.len(), 1, "{:?}", config.errors);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_binary_theme_is_one_sentence_that_leaves_the_fallback_to_the_caller() {
    let dir = std::env::temp_dir().join(format!("kterm-binary-theme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::write(dir.join("theme.yaml"), [0xff, 0xfe, 0x00, 0x9c, 0x01]).expect("write");
    let config = Config::load_from(&dir, ColourSupport::Colour);
    let sentence = config
        .errors
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        sentence.ends_with("theme.yaml: is not a text file (it is not UTF-8)"),
        "{sentence}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
