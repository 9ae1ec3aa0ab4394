//! The `simile` command: flags (clap) -> library calls -> a renderer. It computes nothing
//! itself; see the `simile` crate for the engine and `simile-render` for the formats.

mod cli;
mod commands;
mod exit;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    // A panic is a bug: report it as one (exit 70), never as a wrong answer.
    let result = std::panic::catch_unwind(|| commands::run(args));
    match result {
        Ok(Ok(code)) => code.into(),
        Ok(Err(err)) => exit::report_error(&err),
        Err(_) => {
            eprintln!(
                "simile: internal error (a bug); please report it with the command that caused it"
            );
            exit::Code::Internal.into()
        }
    }
}
