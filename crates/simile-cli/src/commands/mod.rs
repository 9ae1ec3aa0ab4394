//! One module per subcommand.

mod clones;
mod compare;
mod find;
mod index;

use crate::cli::{Cli, Command};
use crate::exit::Code;

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Code> {
    match &cli.command {
        Command::Compare(args) => compare::run(&cli, args),
        Command::Find(args) => find::run(&cli, args),
        Command::Clones(args) => clones::run(&cli, args),
        Command::Index(command) => index::run(&cli, command),
        Command::Schema => schema(),
    }
}

/// `simile schema`: the JSON Schema of the report, as committed in schema/report.schema.json.
fn schema() -> anyhow::Result<Code> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &simile::report::json_schema())?;
    writeln!(out)?;
    Ok(Code::Success)
}
