//! Config: every shipped preset parses, overlays change only what they name, broken files give
//! one sentence with file:line and leave the presets in place.

use kterm::app::screen::LineKind;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kterm::app::action::Action;
use kterm::config::keymap::{self, Section};
use kterm::config::keys::KeyChord;
use kterm::config::paths::config_dir_from;
use kterm::config::theme::{self, Theme, Token};
use kterm::config::{ColourSupport, Config, Keymap};
use ratatui::style::{Color, Modifier};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

#[test]
fn every_shipped_theme_parses_and_names_every_token() {
    for (name, _) in theme::PRESETS {
        let theme = Theme::preset(name)
            .expect("listed preset exists")
            .unwrap_or_else(|e| panic!("{e}"));
        for (token, token_name) in Token::ALL {
            assert!(theme.has(token), "{name} lacks {token_name}");
        }
    }
}

#[test]
fn every_shipped_keymap_parses_with_keys_and_descriptions() {
    for (name, _) in keymap::PRESETS {
        let map = Keymap::preset(name)
            .expect("listed preset exists")
            .unwrap_or_else(|e| panic!("{e}"));
        for (section, _) in Section::ALL {
            assert!(!map.bindings(section).is_empty(), "{name}");
            for b in map.bindings(section) {
                assert!(!b.keys.is_empty(), "{name}: {:?} has no keys", b.action);
                assert!(!b.desc.is_empty(), "{name}: {:?} has no desc", b.action);
            }
        }
        // Every preset can quit and open the help screen.
        for action in [Action::Quit, Action::Help] {
            assert!(map
                .bindings(Section::Global)
                .iter()
                .any(|b| b.action == action));
        }
    }
}

#[test]
fn config_dir_lookup_order() {
    let s = |v: &str| Some(v.into());
    assert_eq!(
        config_dir_from(s("/k"), s("/x"), s("/h")),
        Some(PathBuf::from("/k"))
    );
    assert_eq!(
        config_dir_from(None, s("/x"), s("/h")),
        Some(PathBuf::from("/x/kterm"))
    );
    assert_eq!(
        config_dir_from(s(""), s(""), s("/h")),
        Some(PathBuf::from("/h/.config/kterm"))
    );
    assert_eq!(config_dir_from(None, None, None), None);
}

#[test]
fn key_strings_parse_and_match_terminal_events() {
    let parse = |s: &str| KeyChord::parse(s).unwrap_or_else(|e| panic!("{e}"));
    let event = |e: KeyEvent| KeyChord::from_event(&e).expect("press");
    assert_eq!(
        parse("ctrl-d"),
        event(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL))
    );
    // Some terminals send 'G' with SHIFT, some without.
    assert_eq!(
        parse("G"),
        event(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT))
    );
    assert_eq!(parse("G"), event(ch('G')));
    assert_eq!(parse("esc"), event(key(KeyCode::Esc)));
    assert_eq!(parse("up"), event(key(KeyCode::Up)));
    assert_eq!(parse("pgdn"), event(key(KeyCode::PageDown)));
    assert_eq!(parse("?"), event(ch('?')));
    assert_eq!(parse("-"), event(ch('-')));
    assert_eq!(parse("f1"), event(key(KeyCode::F(1))));
    assert_eq!(parse("ctrl-d").to_string(), "ctrl-d");
    assert_eq!(
        KeyChord::parse("ctrl-dd"),
        Err("unknown key \"ctrl-dd\"".to_string())
    );
    assert!(KeyChord::parse("f13").is_err());
}

#[test]
fn default_keymap_resolves_view_then_global() {
    let map = Keymap::presets_default();
    let pods = |e: KeyEvent| map.resolve(Section::Pods, &e);
    assert_eq!(pods(ch('j')), Some(Action::Down));
    assert_eq!(pods(key(KeyCode::Up)), Some(Action::Up));
    assert_eq!(pods(ch('G')), Some(Action::Bottom));
    assert_eq!(
        pods(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL)),
        Some(Action::PageDown)
    );
    assert_eq!(pods(ch('?')), Some(Action::Help));
    assert_eq!(pods(key(KeyCode::Esc)), Some(Action::Back));
    assert_eq!(
        pods(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Some(Action::Quit)
    );
    assert_eq!(pods(ch('l')), Some(Action::Logs));
    let logs = |e: KeyEvent| map.resolve(Section::Logs, &e);
    assert_eq!(logs(ch('p')), Some(Action::PreviousLogs));
    assert_eq!(logs(ch('&')), Some(Action::Filter));
    assert_eq!(logs(ch('G')), Some(Action::Bottom));
    assert_eq!(
        logs(ch('q')),
        Some(Action::Quit),
        "global keys work in the log view"
    );
    assert_eq!(
        pods(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
        Some(Action::Delete)
    );
}

#[test]
fn emacs_keymap_resolves_its_chords() {
    let map = Keymap::preset("emacs").expect("exists").expect("parses");
    let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT | KeyModifiers::SHIFT);
    assert_eq!(
        map.resolve(
            Section::Pods,
            &KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)
        ),
        Some(Action::Down)
    );
    assert_eq!(map.resolve(Section::Pods, &alt('>')), Some(Action::Bottom));
}

#[test]
fn user_overlays_change_only_what_they_name() {
    let config = Config::load_from(&fixture("overlay"), ColourSupport::Colour);
    assert_eq!(config.errors, vec![]);
    let light = Theme::preset("light").expect("exists").expect("parses");
    let failing = config.theme.style(Token::PodFailing);
    assert_eq!(failing.fg, Some(Color::Rgb(0xff, 0, 0)));
    assert!(failing.add_modifier.contains(Modifier::UNDERLINED));
    for (token, name) in Token::ALL {
        if token != Token::PodFailing {
            assert_eq!(config.theme.style(token), light.style(token), "{name}");
        }
    }

    let preset = Keymap::presets_default();
    let map = &config.keymap;
    assert_eq!(map.resolve(Section::Pods, &ch('x')), Some(Action::Down));
    assert_eq!(map.resolve(Section::Pods, &ch('j')), None);
    let up = |m: &Keymap| {
        m.bindings(Section::Pods)
            .iter()
            .find(|b| b.action == Action::Up)
            .cloned()
    };
    let (user_up, preset_up) = (up(map).expect("up"), up(&preset).expect("up"));
    assert_eq!(user_up.desc, "Go up one pod");
    assert_eq!(user_up.keys, preset_up.keys);
    assert_eq!(
        map.bindings(Section::Global),
        preset.bindings(Section::Global)
    );
}

#[test]
fn missing_files_mean_the_presets() {
    let config = Config::load_from(&fixture("does-not-exist"), ColourSupport::Colour);
    assert!(config.errors.is_empty());
    assert_eq!(config.theme, Theme::build(None, ColourSupport::Colour));
    assert_eq!(config.keymap, Keymap::presets_default());
}

/// Loads a broken fixture: one error, the presets in place; returns the error's sentence.
fn broken(name: &str, file: &str) -> String {
    let dir = fixture(name);
    let config = Config::load_from(&dir, ColourSupport::Colour);
    assert_eq!(
        config.theme,
        Theme::build(None, ColourSupport::Colour),
        "{name}"
    );
    assert_eq!(config.keymap, Keymap::presets_default(), "{name}");
    assert_eq!(config.errors.len(), 1, "{name}: {:?}", config.errors);
    let sentence = config.errors[0].to_string();
    let path = dir.join(file).display().to_string();
    sentence
        .strip_prefix(&path)
        .unwrap_or_else(|| panic!("{sentence} does not start with {path}"))
        .to_string()
}

#[test]
fn broken_files_give_one_sentence_with_file_and_line() {
    assert_eq!(
        broken("bad-colour", "theme.yaml"),
        ":3: unknown colour \"bleu\" for pod.oom"
    );
    assert_eq!(
        broken("bad-token", "theme.yaml"),
        ":2: unknown token \"pod.oomkilled\""
    );
    assert_eq!(
        broken("bad-key", "keymap.yaml"),
        ":3: unknown key \"ctrl-dd\""
    );
    assert_eq!(
        broken("bad-action", "keymap.yaml"),
        ":4: unknown action \"logz\""
    );
    let yaml = broken("bad-yaml", "theme.yaml");
    assert!(yaml.starts_with(":3: "), "{yaml}");
    assert!(!yaml.contains('\n'), "{yaml}");
}

#[test]
fn no_color_or_dumb_terminal_means_mono() {
    let mono = |nc: Option<&str>, term: Option<&str>| {
        ColourSupport::from_values(nc.map(std::ffi::OsStr::new), term.map(std::ffi::OsStr::new))
    };
    assert_eq!(mono(Some("1"), Some("xterm-256color")), ColourSupport::Mono);
    assert_eq!(mono(None, Some("dumb")), ColourSupport::Mono);
    // no-color.org: an empty NO_COLOR does not count.
    assert_eq!(mono(Some(""), Some("xterm")), ColourSupport::Colour);
    assert_eq!(mono(None, Some("xterm")), ColourSupport::Colour);

    // Even a user theme with colours loses them; the mono preset's modifiers stay.
    let config = Config::load_from(&fixture("overlay"), ColourSupport::Mono);
    let preset = Theme::preset("mono").expect("exists").expect("parses");
    for (token, name) in Token::ALL {
        let style = config.theme.style(token);
        assert_eq!((style.fg, style.bg), (None, None), "{name}");
        if token != Token::PodFailing {
            assert_eq!(style, preset.style(token), "{name}");
        }
    }
}

/// Input lines answer to the keymap's `line` section, so even typing keys can be remapped.
#[test]
fn input_line_keys_come_from_the_keymap() {
    use kterm::app::msg::Msg;
    use kterm::app::update::update;
    let keymap = Keymap::with_user(
        "keymap.yaml",
        "line:\n  delete_back: { keys: [ctrl-h] }\n  back: { keys: [ctrl-q] }\n",
    )
    .expect("valid overlay");
    let mut s = super::fixtures::state();
    s.keymap = std::sync::Arc::new(keymap);
    let press = |s: &mut kterm::app::state::State, k: KeyEvent| {
        update(s, Msg::Key(k));
    };
    press(&mut s, ch('/'));
    for c in "abc".chars() {
        press(&mut s, ch(c));
    }
    press(
        &mut s,
        KeyEvent::new(KeyCode::Char('h'), KeyModifiers::CONTROL),
    );
    assert_eq!(
        s.line_of(LineKind::Filter),
        Some("ab"),
        "ctrl-h deletes, not types"
    );
    // backspace was given away: it no longer deletes.
    press(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.line_of(LineKind::Filter), Some("ab"));
    press(
        &mut s,
        KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL),
    );
    assert_eq!(s.line_of(LineKind::Filter), None, "ctrl-q drops the line");
}

#[test]
fn an_action_bound_twice_in_a_section_is_reported_with_its_line() {
    let text = "global:\n  quit: { keys: [q] }\n  help: { keys: [h] }\n  quit: { keys: [x] }\n";
    let error = Keymap::with_user("keymap.yaml", text).expect_err("a repeated action");
    assert!(error.message.contains("\"quit\" is bound twice"), "{error}");
    assert_eq!(error.line, Some(4));
}
