//! One module per subcommand.

mod clones;
mod compare;
mod completions;
mod find;
mod index;
mod man;

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
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// `simile schema`: the JSON Schema of the report, as committed in schema/report.schema.json.
fn schema() -> anyhow::Result<Code> {
    let mut schema = serde_json::to_vec_pretty(&simile::report::json_schema())?;
    schema.push(b'\n');
    crate::output::write_stdout(&schema, "the schema")?;
    Ok(Code::Success)
}
