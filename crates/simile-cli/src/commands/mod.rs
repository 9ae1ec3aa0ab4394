//! One module per subcommand.

mod compare;
mod index;

use crate::cli::{Cli, Command};
use crate::exit::Code;

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Code> {
    match &cli.command {
        Command::Compare(args) => compare::run(&cli, args),
        Command::Index(command) => index::run(&cli, command),
    }
}
