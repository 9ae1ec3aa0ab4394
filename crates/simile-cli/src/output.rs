//! Where a report goes (stdout or `--output FILE`) and whether it is coloured.

use crate::exit::{CliError, Code};
use anstream::ColorChoice;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// When to colour the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// When writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Whether to colour output written to stdout (files are never coloured).
pub fn use_color(when: ColorWhen, to_file: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && ColorChoice::global() != ColorChoice::Never
        }
    }
}

/// Open the destination of a report.
pub fn open(path: Option<&Path>) -> Result<Box<dyn Write>, CliError> {
    match path {
        None => Ok(Box::new(io::BufWriter::new(io::stdout().lock()))),
        Some(p) => File::create(p)
            .map(|f| Box::new(io::BufWriter::new(f)) as Box<dyn Write>)
            .map_err(|e| {
                CliError::new(
                    Code::Output,
                    format!("{}: cannot write the report: {e}", p.display()),
                )
            }),
    }
}

/// Terminal width for the text report: `COLUMNS`, else 120.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(120)
}
