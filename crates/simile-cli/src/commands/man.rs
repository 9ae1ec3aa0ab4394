//! `simile man`: the manual pages in roff, generated from the command-line definition itself
//! (`clap_mangen`): the same texts as `--help`, so a page cannot describe a flag the program
//! does not have.

use crate::cli::{Cli, ManArgs};
use crate::exit::{CliError, Code};
use clap::CommandFactory;
use std::path::Path;

pub fn run(args: &ManArgs) -> anyhow::Result<Code> {
    match &args.dir {
        Some(dir) => write_pages(dir)?,
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command()).render(&mut page)?;
            crate::output::write_stdout(&page, "the manual page")?;
        }
    }
    Ok(Code::Success)
}

/// One page per command into `dir`: `simile.1`, `simile-compare.1`, ..., `simile-index-build.1`.
fn write_pages(dir: &Path) -> Result<(), CliError> {
    let failed = |e: std::io::Error| {
        CliError::new(
            Code::Output,
            format!("{}: cannot write the manual pages: {e}", dir.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    // As `clap_mangen::generate_to`, which would sign each page with its command's name
    // (`compare 0.1.0`) where the program's is meant.
    let mut root = command().disable_help_subcommand(true);
    root.build();
    let source = format!("simile {}", env!("CARGO_PKG_VERSION"));
    let mut pending = vec![root];
    while let Some(command) = pending.pop() {
        pending.extend(
            command
                .get_subcommands()
                .filter(|c| !c.is_hide_set())
                .cloned(),
        );
        clap_mangen::Man::new(command)
            .source(source.clone())
            .generate_to(dir)
            .map_err(failed)?;
    }
    Ok(())
}

/// The command line as the pages show it. A page's NAME line already starts with the name
/// (`simile \- ...`), so the description does not repeat it as `--help` does.
fn command() -> clap::Command {
    let command = Cli::command();
    let about = command
        .get_about()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let about = about.strip_prefix("simile: ").unwrap_or(&about).to_owned();
    command.about(about)
}
