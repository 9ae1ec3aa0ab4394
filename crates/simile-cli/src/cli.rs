//! Command-line flags (clap derive). Only definitions live here; `commands/` acts on them.

use crate::output::ColorWhen;
use clap::{Args, Parser, Subcommand, ValueEnum};
use simile::source::Language;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 nothing found / gate failed, 2 usage error, 3 unreadable input file,
4 index error, 5 output error, 70 internal error.";

/// Which file is this one similar to, and how exactly do they differ?
#[derive(Debug, Parser)]
#[command(name = "simile", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the text report.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// Print nothing on stderr but errors (no progress, no warnings).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two files: scores, matched regions (identical, renamed, edited, moved), what is
    /// only on one side, a diff of each edited region; functions and types mapped (identical,
    /// modified, renamed, moved, added, removed), renamed identifiers, licences and copyright.
    Compare(CompareArgs),
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// File A (the older version, or the query). `-` reads standard input.
    pub a: PathBuf,
    /// File B (the newer version, or the match). `-` reads standard input.
    pub b: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub align: AlignArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Analysis")]
pub struct AnalysisArgs {
    /// Do not parse the files into functions and types, nor map them (faster on very large
    /// files; the identifier rename map is then file-wide).
    #[arg(long)]
    pub no_structure: bool,
    /// Do not detect licences and copyright statements.
    #[arg(long)]
    pub no_license: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Terminal report.
    Text,
    /// JSON data model (see schema/report.schema.json).
    Json,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Text: show every line of every region instead of eliding long runs.
    #[arg(long)]
    pub full: bool,
    /// Text: lines of unchanged code shown around changes.
    #[arg(long, value_name = "LINES", default_value_t = 3)]
    pub context: usize,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Matching")]
pub struct AlignArgs {
    /// k-gram length in tokens: shorter matches are never seen.
    #[arg(short = 'k', long = "kgram", value_name = "TOKENS", default_value_t = 12,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub k: u16,
    /// Winnowing window: matches of k+w-1 tokens are always found.
    #[arg(short = 'w', long = "window", value_name = "KGRAMS", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub w: u16,
    /// A region must match at least this many tokens.
    #[arg(long = "min-tokens", value_name = "TOKENS", default_value_t = 20)]
    pub min_tokens: u32,
    /// Merge matched fragments across gaps of at most this many changed lines.
    #[arg(long = "max-gap", value_name = "LINES", default_value_t = 6)]
    pub max_gap: u32,
    /// Do not look for renamed code (identifiers and literals must match exactly).
    #[arg(long)]
    pub no_renames: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Read files as this language instead of detecting it (c, cpp, rust, python, java,
    /// javascript, typescript, go, csharp, kotlin, swift, scala, php, ruby, shell, perl, text).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<Language>,
    /// Refuse files larger than this (bytes, or with a K, M or G suffix).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_size: u64,
}

/// `123`, `64K`, `64M`, `1G` (binary multiples).
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, mult) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let mult = match c.to_ascii_uppercase() {
                'K' => 1u64 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("unknown size suffix `{c}` (use K, M or G)")),
            };
            (&s[..i], mult)
        }
        _ => (s, 1),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size"))?;
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))
}

impl AlignArgs {
    pub fn config(&self) -> simile::AlignConfig {
        let fingerprint = simile::fingerprint::FingerprintConfig {
            k: self.k as usize,
            w: self.w as usize,
        };
        simile::AlignConfig {
            fingerprint,
            min_fragment_tokens: fingerprint.k,
            min_region_tokens: self.min_tokens as usize,
            max_gap_lines: self.max_gap,
            renames: !self.no_renames,
        }
    }
}

impl AnalysisArgs {
    pub fn options(&self, align: simile::AlignConfig) -> simile::CompareOptions {
        simile::CompareOptions {
            align,
            structure: !self.no_structure,
            renames: align.renames,
            licenses: !self.no_license,
        }
    }
}

impl InputArgs {
    pub fn read_options(&self) -> simile::source::ReadOptions {
        simile::source::ReadOptions {
            language: self.lang,
            max_size: self.max_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn flags_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
