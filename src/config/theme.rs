//! Themes: semantic tokens (`pod.oom`, `row.selected`) to ratatui styles, so views never name
//! a colour and a monochrome terminal still gets distinct modifiers.

use std::fmt;

use ratatui::style::{Color, Modifier, Style};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::config::yaml::parse;
use crate::config::{ColourSupport, ConfigError};

/// Something on screen a theme gives a style to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Token {
    /// Column headers.
    Header,
    /// The selected row (patched over the row's own style).
    RowSelected,
    /// A row marked with space (patched over the row's own style).
    RowMarked,
    /// A pod that is crash-looping, erroring or failed.
    PodFailing,
    /// A running pod that restarted recently.
    PodRestarting,
    /// A pod whose last container was OOM-killed recently.
    PodOom,
    /// A pod waiting to be scheduled or to start its containers.
    PodPending,
    /// A finished job pod.
    PodCompleted,
    /// A pod being deleted.
    PodTerminating,
    /// The READY cell of a pod with unready containers.
    PodNotReady,
    /// The status bar.
    StatusBar,
    /// Good news in the status bar ("live").
    StatusOk,
    /// Errors in the status bar.
    StatusError,
    /// The border of the focused popup.
    BorderFocused,
    /// Keys in the help screen.
    HelpKey,
    /// A log line at ERROR or FATAL level.
    LogError,
    /// A log line at WARN level.
    LogWarn,
    /// A line kterm wrote into a log (a restart, a pod that came or went).
    LogMarker,
    /// A search match in a log line.
    LogMatch,
    /// The pod/container tag of an aggregated log line; tags cycle through these six.
    LogTag1,
    /// The second tag colour.
    LogTag2,
    /// The third tag colour.
    LogTag3,
    /// The fourth tag colour.
    LogTag4,
    /// The fifth tag colour.
    LogTag5,
    /// The sixth tag colour.
    LogTag6,
    /// The MEM cell of a pod using ≥ 90 % of its memory limit (OOM risk).
    PodOomRisk,
}

impl Token {
    /// Every token with its name in theme files.
    pub const ALL: [(Token, &'static str); 26] = [
        (Token::Header, "header"),
        (Token::RowSelected, "row.selected"),
        (Token::RowMarked, "row.marked"),
        (Token::PodFailing, "pod.failing"),
        (Token::PodRestarting, "pod.restarting"),
        (Token::PodOom, "pod.oom"),
        (Token::PodPending, "pod.pending"),
        (Token::PodCompleted, "pod.completed"),
        (Token::PodTerminating, "pod.terminating"),
        (Token::PodNotReady, "pod.not_ready"),
        (Token::StatusBar, "status.bar"),
        (Token::StatusOk, "status.ok"),
        (Token::StatusError, "status.error"),
        (Token::BorderFocused, "border.focused"),
        (Token::HelpKey, "help.key"),
        (Token::LogError, "log.error"),
        (Token::LogWarn, "log.warn"),
        (Token::LogMarker, "log.marker"),
        (Token::LogMatch, "log.match"),
        (Token::LogTag1, "log.tag1"),
        (Token::LogTag2, "log.tag2"),
        (Token::LogTag3, "log.tag3"),
        (Token::LogTag4, "log.tag4"),
        (Token::LogTag5, "log.tag5"),
        (Token::LogTag6, "log.tag6"),
        (Token::PodOomRisk, "pod.oom_risk"),
    ];

    /// The token's name in theme files.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("", |(_, n)| n)
    }

    fn from_name(name: &str) -> Option<Token> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }
}

/// Names accepted after `base:`, each a file under `themes/` compiled in.
pub const PRESETS: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.yaml"),
    ),
    ("mono", include_str!("../../themes/mono.yaml")),
];

/// A parsed theme file: an optional base and the tokens it names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeFile {
    /// The preset this file builds on (`dark` when absent).
    pub base: Option<String>,
    /// Styles in file order; later ones win.
    pub tokens: Vec<(Token, Style)>,
}

/// Styles for every token; a token no file names is unstyled.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Theme {
    styles: Vec<(Token, Style)>,
}

impl Theme {
    /// The style for `token`.
    pub fn style(&self, token: Token) -> Style {
        self.styles
            .iter()
            .find(|(t, _)| *t == token)
            .map_or_else(Style::new, |(_, s)| *s)
    }

    /// Whether the theme names `token` (every preset names every token).
    pub fn has(&self, token: Token) -> bool {
        self.styles.iter().any(|(t, _)| *t == token)
    }

    /// A compiled-in preset by name; `None` if there is no such preset.
    pub fn preset(name: &str) -> Option<Result<Theme, ConfigError>> {
        let (_, text) = PRESETS.iter().find(|(n, _)| *n == name)?;
        let file = format!("themes/{name}.yaml");
        Some(parse_file(&file, text).map(|f| Theme::default().overlaid(&f)))
    }

    /// The user's file over its base preset (dark unless `base:` says otherwise).
    pub fn with_user(file: &str, text: &str) -> Result<Theme, ConfigError> {
        let user = parse_file(file, text)?;
        Ok(Theme::build(Some(&user), ColourSupport::Colour))
    }

    /// The theme in effect: the base preset (mono when colours are off), then the user's tokens,
    /// then without colours if the terminal should get none.
    pub fn build(user: Option<&ThemeFile>, colour: ColourSupport) -> Theme {
        let base = match (colour, user.and_then(|u| u.base.as_deref())) {
            (ColourSupport::Mono, _) => "mono",
            (_, Some(base)) => base,
            (_, None) => "dark",
        };
        let mut theme = preset_or_empty(base);
        if let Some(user) = user {
            theme = theme.overlaid(user);
        }
        theme.for_support(colour)
    }

    /// This theme with `file`'s tokens replacing ours.
    fn overlaid(mut self, file: &ThemeFile) -> Theme {
        for (token, style) in &file.tokens {
            self.styles.retain(|(t, _)| t != token);
            self.styles.push((*token, *style));
        }
        self
    }

    /// Drops every colour when the terminal must get none; modifiers carry the meaning then.
    pub fn for_support(mut self, colour: ColourSupport) -> Theme {
        if colour == ColourSupport::Mono {
            for (_, style) in &mut self.styles {
                style.fg = None;
                style.bg = None;
            }
        }
        self
    }
}

/// The dark preset: the default.
pub fn dark() -> Theme {
    preset_or_empty("dark")
}

/// A preset that tests guarantee parses; unstyled rather than a crash if it ever did not.
fn preset_or_empty(name: &str) -> Theme {
    match Theme::preset(name) {
        Some(Ok(theme)) => theme,
        _ => Theme::default(),
    }
}

/// Parses a theme file; the error carries the file and line.
pub fn parse_file(file: &str, text: &str) -> Result<ThemeFile, ConfigError> {
    // An empty file is a valid overlay that changes nothing.
    if text.trim().is_empty() {
        return Ok(ThemeFile::default());
    }
    let de = serde_yaml::Deserializer::from_str(text);
    de.deserialize_map(FileVisitor)
        .map_err(|e| ConfigError::from_yaml(file, &e))
}

struct FileVisitor;

enum Entry {
    Base,
    Token(Token),
}

impl<'de> Visitor<'de> for FileVisitor {
    type Value = ThemeFile;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping of tokens to styles")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ThemeFile, A::Error> {
        let mut out = ThemeFile::default();
        while let Some(entry) = map.next_key_seed(parse(|k: &str| match k {
            "base" => Ok(Entry::Base),
            _ => Token::from_name(k)
                .map(Entry::Token)
                .ok_or_else(|| format!("unknown token \"{k}\"")),
        }))? {
            match entry {
                Entry::Base => {
                    let base = map.next_value_seed(parse(|b: &str| {
                        if PRESETS.iter().any(|(n, _)| *n == b) {
                            Ok(b.to_string())
                        } else {
                            Err(format!(
                                "unknown base theme \"{b}\" (use dark, light, high-contrast or mono)"
                            ))
                        }
                    }))?;
                    out.base = Some(base);
                }
                Entry::Token(token) => {
                    let style = map.next_value_seed(StyleSeed(token))?;
                    out.tokens.push((token, style));
                }
            }
        }
        Ok(out)
    }
}

/// A style mapping (`fg`, `bg`, `mods`); carries its token so errors can name it.
struct StyleSeed(Token);

impl<'de> de::DeserializeSeed<'de> for StyleSeed {
    type Value = Style;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Style, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StyleSeed {
    type Value = Style;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a style for {} ({{ fg, bg, mods }})", self.0.name())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Style, A::Error> {
        let token = self.0.name();
        let mut style = Style::new();
        while let Some(field) = map.next_key_seed(parse(|k: &str| match k {
            "fg" | "bg" | "mods" => Ok(k.to_string()),
            _ => Err(format!(
                "unknown field \"{k}\" for {token} (use fg, bg or mods)"
            )),
        }))? {
            let colour = || {
                parse(move |c: &str| {
                    colour(c).ok_or_else(|| format!("unknown colour \"{c}\" for {token}"))
                })
            };
            match field.as_str() {
                "fg" => style.fg = Some(map.next_value_seed(colour())?),
                "bg" => style.bg = Some(map.next_value_seed(colour())?),
                _ => style = style.add_modifier(map.next_value_seed(ModsSeed(token))?),
            }
        }
        Ok(style)
    }
}

/// A list of modifier names.
struct ModsSeed(&'static str);

impl<'de> de::DeserializeSeed<'de> for ModsSeed {
    type Value = Modifier;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Modifier, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ModsSeed {
    type Value = Modifier;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of modifiers for {}", self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Modifier, A::Error> {
        let token = self.0;
        let mut mods = Modifier::empty();
        while let Some(m) = seq.next_element_seed(parse(|m: &str| {
            modifier(m).ok_or_else(|| {
                format!("unknown modifier \"{m}\" for {token} (use bold, dim, italic, underlined or reversed)")
            })
        }))? {
            mods |= m;
        }
        Ok(mods)
    }
}

/// A 16-colour name (`red`, `light-blue`, `dark-gray`), `default`, or `#rrggbb`.
pub fn colour(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        return Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?));
    }
    let name: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("grey", "gray");
    Some(match name.as_str() {
        "default" | "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

fn modifier(text: &str) -> Option<Modifier> {
    Some(match text {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        _ => return None,
    })
}
