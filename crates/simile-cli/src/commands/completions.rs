//! `simile completions SHELL`: the shell's completion script, generated from the command-line
//! definition itself (`clap_complete`), so it knows every command, flag and flag value
//! (`--format <Tab>` offers `text json markdown ...`) and cannot fall behind them.

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Code;
use clap::CommandFactory;

pub fn run(args: &CompletionsArgs) -> anyhow::Result<Code> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "simile", &mut script);
    crate::output::write_stdout(&script, "the completion script")?;
    Ok(Code::Success)
}
