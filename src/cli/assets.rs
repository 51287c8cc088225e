//! Shell completions and man pages, generated from the clap definitions. The generated files
//! are committed under completions/ and man/; a test fails when they are out of date, and
//! `cargo run -- generate-assets` regenerates them. `pamctl man --dir DIR` writes the man
//! pages for users who installed with `cargo install`, which installs no man pages.

use std::path::Path;

use clap_complete::Shell;

use super::error::CliError;

const BIN: &str = "pamctl";

pub fn print_completions(shell: Shell) {
    clap_complete::generate(shell, &mut super::command(), BIN, &mut std::io::stdout());
}

pub fn generate(dir: &Path) -> Result<(), CliError> {
    let completions = dir.join("completions");
    std::fs::create_dir_all(&completions)?;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        clap_complete::generate_to(shell, &mut super::command(), BIN, &completions)?;
    }
    let man = dir.join("man");
    std::fs::create_dir_all(&man)?;
    let mut command = super::command();
    command.build();
    write_man_pages(&command, BIN, &man)
}

/// `pamctl man`: the pages into `dir` (created if missing), or pamctl.1 on stdout.
pub fn man(dir: Option<&Path>) -> Result<(), CliError> {
    let mut command = super::command();
    command.build();
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::failure(format!("cannot create {}: {e}", dir.display())))?;
            write_man_pages(&command, BIN, dir)?;
            eprintln!(
                "Wrote the man pages to {}; `man pamctl` finds them when that directory is \
                 on your MANPATH (~/.local/share/man/man1 usually is).",
                dir.display()
            );
            Ok(())
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            clap_mangen::Man::new(command.name(BIN)).render(&mut stdout)?;
            Ok(())
        }
    }
}

fn write_man_pages(command: &clap::Command, name: &str, dir: &Path) -> Result<(), CliError> {
    let page = command
        .clone()
        .name(name.to_owned())
        .bin_name(name.replace('-', " "));
    let mut buffer = Vec::new();
    clap_mangen::Man::new(page).render(&mut buffer)?;
    std::fs::write(dir.join(format!("{name}.1")), buffer)?;
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write_man_pages(sub, &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(())
}
