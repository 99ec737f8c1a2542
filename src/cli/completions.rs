//! `kterm completions bash|zsh|fish` and `kterm manpage`: both generated from the one clap
//! definition in `main.rs`, so a new flag reaches the shells and the man page by itself.

use std::io::{self, Write};

use clap::ValueEnum;

/// The shells `kterm completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash (bash-completion).
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

impl Shell {
    fn generator(self) -> clap_complete::Shell {
        match self {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
        }
    }
}

/// Writes the completion script for `shell` of the command line `cmd` to `out`.
pub fn write_completions(
    shell: Shell,
    cmd: &mut clap::Command,
    out: &mut dyn Write,
) -> io::Result<()> {
    // The generator panics when its writer fails (`| head` closes the pipe): give it memory.
    let mut script = Vec::new();
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell.generator(), cmd, name, &mut script);
    out.write_all(&script)
}

/// Writes the man page (roff, section 1, titled `KTERM` as man pages are) of the command line
/// `cmd` to `out`.
pub fn write_manpage(cmd: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let title = cmd.get_name().to_uppercase();
    clap_mangen::Man::new(cmd).title(title).render(out)
}
