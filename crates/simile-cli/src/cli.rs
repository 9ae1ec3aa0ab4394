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
    /// Find the files most similar to each query, in a source tree (--in) or an index
    /// (--index): ranked with verified scores, optionally compared in full with the best.
    Find(FindArgs),
    /// Find every similar pair of files across one or more trees (or between --old and --new
    /// trees, or between submissions): ranked pairs with verified scores and their matched
    /// regions, clusters, duplicated blocks (--fragments), a duplication gate (--fail-over).
    Clones(ClonesArgs),
    /// Print the JSON Schema of the JSON report (the file schema/report.schema.json).
    Schema,
    /// Build, update, inspect and verify a persistent corpus index (for `find --index`).
    #[command(subcommand)]
    Index(IndexCommand),
    /// Print the completion script of a shell (bash, zsh, fish, elvish, powershell): commands,
    /// flags and their values complete on Tab.
    Completions(CompletionsArgs),
    /// Write the manual pages (roff): with --dir, one page per command (simile.1,
    /// simile-compare.1, simile-index-build.1, ...); without, the page of simile on stdout.
    Man(ManArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples (installing):
  simile completions bash > ~/.local/share/bash-completion/completions/simile
  simile completions zsh > ~/.zfunc/_simile             # with fpath+=~/.zfunc before compinit
  simile completions fish > ~/.config/fish/completions/simile.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  simile man | man -l -                                 # read the page of simile now
  simile man --dir ~/.local/share/man/man1              # install; then: man simile-compare")]
pub struct ManArgs {
    /// Write every page into this directory (created if missing) instead of printing the page
    /// of simile itself.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Index source trees into a new index at FILE (an index already there is replaced).
    Build(IndexBuildArgs),
    /// Bring an index up to date with its roots: index added and changed files, drop removed
    /// ones. The roots, walk options, k and w recorded at build are used.
    Update(IndexUpdateArgs),
    /// Show what an index holds: files, bytes, fingerprints, segments, size on disk.
    Stats(IndexStatsArgs),
    /// Verify an index completely: every checksum, the order of every list, and the catalog
    /// against the postings. Exit code 4 if anything is wrong.
    Check(IndexCheckArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  simile index build ~/src -o ~/src.simile              # index every source file under ~/src
  simile index update ~/src.simile                      # later: only what changed
  simile find query.c --index ~/src.simile              # search it")]
pub struct IndexBuildArgs {
    /// Directories (or files) to index.
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The index to write (a directory, created if missing).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// k-gram length in tokens: shorter matches are never seen.
    #[arg(short = 'k', long = "kgram", value_name = "TOKENS", default_value_t = 12,
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub k: u16,
    /// Winnowing window: matches of k+w-1 tokens are always found.
    #[arg(short = 'w', long = "window", value_name = "KGRAMS", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub w: u16,
    #[command(flatten)]
    pub memory: MemoryArgs,
}

#[derive(Debug, Args)]
pub struct IndexUpdateArgs {
    /// The index to update.
    #[arg(value_name = "FILE")]
    pub index: PathBuf,
    /// Merge all segments into one and renumber files: the smallest and fastest index, at the
    /// cost of rewriting all of it.
    #[arg(long)]
    pub compact: bool,
    #[command(flatten)]
    pub memory: MemoryArgs,
}

#[derive(Debug, Args)]
pub struct IndexStatsArgs {
    /// The index.
    #[arg(value_name = "FILE")]
    pub index: PathBuf,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct IndexCheckArgs {
    /// The index.
    #[arg(value_name = "FILE")]
    pub index: PathBuf,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// Formats of the index's own summaries (`stats`, `check`): they are not similarity reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Human-readable lines.
    Text,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Resources")]
pub struct MemoryArgs {
    /// Memory for postings buffered before they are written to a run on disk (bytes, or with a
    /// K, M or G suffix). Peak memory is about this plus a few times the largest file.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub memory: u64,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  simile compare old/ptrace.c new/ptrace.c              # the terminal report
  simile compare a.c b.c -f html -o report.html         # a side-by-side page with pictures
  simile compare a.c b.c -f json -o report.json         # the data (schema: `simile schema`)
  simile compare a.c b.c --template my-format.j2        # any format, written as a template
  simile compare a.c b.c -f diff --context 5            # a unified diff to apply or review")]
pub struct CompareArgs {
    /// File A (the older version, or the query). `-` reads standard input (as the other
    /// file's language, unless --lang or a shebang says otherwise).
    pub a: PathBuf,
    /// File B (the newer version, or the match). `-` reads standard input (as the other
    /// file's language, unless --lang or a shebang says otherwise).
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
    /// Do not detect licences and copyright statements, nor read the trees' licence files.
    #[arg(long)]
    pub no_license: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  simile find ptrace.c --in ~/src/illumos               # the most similar files in a tree
  simile find ptrace.c --in ~/src --compare -f html -o best.html   # compared with the best
  simile find vendored/ --in upstream/ --licenses -f csv    # every file a query, with licences
  simile find ptrace.c --index corpus.simile            # a prebuilt index (`simile index build`)

Every file of a QUERY directory is a query. A query that is part of the searched tree is never
its own match. Exit codes: 0 every query found a match, 1 some query found none above
--min-similarity, 2 usage error, 3 a query or --in directory could not be read.")]
pub struct FindArgs {
    /// Files or directories to find similar files for (every file of a directory is a query).
    #[arg(required = true, value_name = "QUERY")]
    pub queries: Vec<PathBuf>,
    /// Search the files of these directories (walked and indexed in memory for this run).
    #[arg(
        long = "in",
        value_name = "DIR",
        required_unless_present = "index",
        conflicts_with = "index"
    )]
    pub in_dirs: Vec<PathBuf>,
    /// Search a prebuilt index (`simile index build`).
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,
    /// Also show the full comparison of each query with its best match.
    #[arg(long)]
    pub compare: bool,
    /// Also detect the licence and copyright of each query and each match, licence files and
    /// package manifests included, as `compare` does, and whether each match's licence
    /// differs from the query's.
    #[arg(long)]
    pub licenses: bool,
    /// Show at most N matches per query.
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub top: u32,
    /// Hide matches whose similarity is below this fraction (0 to 1).
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0, value_parser = parse_fraction)]
    pub min_similarity: f64,
    /// Base code (a template, a skeleton every file shares): its code never counts. A file or
    /// a directory; repeatable.
    #[arg(long = "ignore", value_name = "PATH")]
    pub ignore: Vec<PathBuf>,
    /// Fingerprints found in more than N files are boilerplate and select no candidates
    /// (MOSS's -m). Default: the square root of the number of files, at least 10.
    #[arg(long = "max-df", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_df: Option<u64>,
    /// Verify the N best candidates of each query with the full alignment (default: --top + 5).
    /// More is slower and rescues the rare match whose fingerprint estimate was poor.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub verify: Option<u32>,
    /// Memory for keeping candidate files between queries (bytes, or with a K, M or G suffix).
    /// The answers never depend on it: a file that does not fit is read again when another
    /// query needs it. Default: a sixteenth of the available memory, 256M to 1G.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub cache_size: Option<u64>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub align: AlignArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
    /// What `--compare` adds to each best match's regions (units, licences).
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  simile clones src/                                    # similar files within a tree
  simile clones --old upstream/ --new fork/             # only pairs across the two roots
  simile clones submissions/ --submissions --ignore template/   # one submission a directory
  simile clones src/ --fragments -f sarif --fail-over 20    # CI: fail over 20% duplicated
  simile clones src/ -f html -o clones.html             # ranked pairs, a heatmap, each pair

Pairs come from shared fingerprints (never from comparing every file with every other), and each
is aligned in full as `simile compare` would. Exit codes: 0 success (with or without clones),
1 the --fail-over gate failed, 2 usage error, 3 a tree could not be read.")]
pub struct ClonesArgs {
    /// Trees (or files) whose files are paired with each other.
    #[arg(value_name = "PATH", required_unless_present_all = ["old", "new"])]
    pub paths: Vec<PathBuf>,
    /// Older trees (upstream, last year's submissions): their files are paired only with --new
    /// files. Repeatable.
    #[arg(long, value_name = "DIR", requires = "new")]
    pub old: Vec<PathBuf>,
    /// Newer trees (a fork, this year's submissions): their files are paired only with --old
    /// files. Repeatable.
    #[arg(long, value_name = "DIR", requires = "old", conflicts_with = "paths")]
    pub new: Vec<PathBuf>,
    /// Each top-level directory (or file) of every tree is one submission: files of the same
    /// submission are never paired, and scores add up per pair of submissions.
    #[arg(long)]
    pub submissions: bool,
    /// Also find copies whose every identifier was renamed (candidates from normalized
    /// fingerprints too). On with --submissions; slower, and finds more shared idioms.
    #[arg(long)]
    pub renamed: bool,
    /// Also list duplicated blocks within and across files (like jscpd), with the duplication
    /// of each file; blocks within one file count toward duplication.
    #[arg(long)]
    pub fragments: bool,
    /// Also detect the licences and copyright of both files of every listed pair, licence
    /// files included, as `compare` does: a copy whose licence header was stripped or changed.
    #[arg(long)]
    pub licenses: bool,
    /// Base code (a template, a skeleton every file shares): its code never counts. A file or a
    /// directory; repeatable.
    #[arg(long = "ignore", value_name = "PATH")]
    pub ignore: Vec<PathBuf>,
    /// Hide pairs whose similarity is below this fraction (0 to 1).
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0, value_parser = parse_fraction)]
    pub min_similarity: f64,
    /// A pair needs a region (a block) of at least this many tokens, or 90% of a smaller file
    /// of at least k tokens (a small file copied whole). Imports and base code do not count.
    #[arg(long = "min-tokens", value_name = "TOKENS", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub min_tokens: u32,
    /// List at most N pairs (0: all). Clusters and duplication always count every pair.
    #[arg(long, value_name = "N", default_value_t = 250)]
    pub top: u32,
    /// Order of the pairs.
    #[arg(long, value_enum, default_value_t = SortArg::Similarity)]
    pub sort: SortArg,
    /// Files (submissions) linked by pairs at least this similar form a cluster.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.5, value_parser = parse_fraction)]
    pub cluster_similarity: f64,
    /// Exit with code 1 when more than PERCENT of the lines of code are duplicated (a CI gate).
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub fail_over: Option<f64>,
    /// Fingerprints found in more than N files are boilerplate and pair no files (MOSS's -m).
    /// Default: the square root of the number of files, at least 10.
    #[arg(long = "max-df", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_df: Option<u64>,
    /// Memory for keeping files read between comparisons (bytes, or with a K, M or G suffix).
    /// The answers never depend on it: a file that does not fit is read again when needed.
    /// Default: a sixteenth of the available memory, 128M to 1G.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub cache_size: Option<u64>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub matching: ClonesMatchingArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// Orders of `clones` pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Most similar first.
    Similarity,
    /// Longest single matched fragment first.
    Longest,
    /// Most matched tokens (total overlap) first.
    Overlap,
    /// Best matches first: pairs whose files are each other's most similar file, then the
    /// most similar file of one of them, then the rest, each by similarity. Maps the files of
    /// two releases, or of a fork and its upstream, one to one.
    BestMatch,
}

/// Matching settings of `clones` (as `compare`'s, but `--min-tokens` is the clone minimum).
#[derive(Debug, Args)]
#[command(next_help_heading = "Matching")]
pub struct ClonesMatchingArgs {
    /// k-gram length in tokens: shorter matches are never seen.
    #[arg(short = 'k', long = "kgram", value_name = "TOKENS", default_value_t = 12,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub k: u16,
    /// Winnowing window: matches of k+w-1 tokens are always found.
    #[arg(short = 'w', long = "window", value_name = "KGRAMS", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub w: u16,
    /// Merge matched fragments across gaps of at most this many changed lines.
    #[arg(long = "max-gap", value_name = "LINES", default_value_t = 6)]
    pub max_gap: u32,
    /// Do not look for renamed code (identifiers and literals must match exactly).
    #[arg(long)]
    pub no_renames: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Walking")]
pub struct WalkArgs {
    /// Include hidden files and directories.
    #[arg(long)]
    pub hidden: bool,
    /// Do not honour .gitignore, .ignore and git exclude files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Only walk files matching GLOB (gitignore syntax; `!GLOB` excludes). Repeatable.
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Only files of these languages (c, cpp, python, ...; comma-separated or repeated). One
    /// language is also that of a `find` query read from standard input (`-`).
    #[arg(long = "lang", value_name = "LANG", value_delimiter = ',')]
    pub languages: Vec<Language>,
    /// Skip files larger than this (bytes, or with a K, M or G suffix).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_size: u64,
    /// Read minified files too (by default lines averaging over 300 characters are skipped).
    #[arg(long)]
    pub keep_minified: bool,
    /// Skip files marked as generated (`@generated`, `DO NOT EDIT` near the top).
    #[arg(long)]
    pub skip_generated: bool,
    /// Follow symbolic links (loops are reported and skipped).
    #[arg(short = 'L', long)]
    pub follow: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Terminal report.
    Text,
    /// JSON data model (see schema/report.schema.json).
    Json,
    /// Markdown for a code review comment.
    Markdown,
    /// One self-contained HTML page: side by side, coloured regions, dotplot.
    Html,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// CSV, one row per region; for find, per ranked file (RFC 4180).
    Csv,
    /// Unified diff of A against B (for git apply / patch); for find, each query against its
    /// best match (needs --compare).
    Diff,
    /// JSON shaped like SCANOSS scan results.
    Scanoss,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Render this minijinja (Jinja2) template over the JSON data model instead of a built-in
    /// format (see docs/templates.md).
    #[arg(long, value_name = "FILE", conflicts_with = "format")]
    pub template: Option<PathBuf>,
    /// Text: show the two sides of each region in two columns.
    #[arg(long)]
    pub side_by_side: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Text: show every line of every region instead of eliding long runs; markdown: the diff
    /// of every edited region.
    #[arg(long)]
    pub full: bool,
    /// Text, markdown: lines of unchanged code shown around changes; diff: context lines.
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

impl FormatArg {
    /// The renderer's format.
    pub fn format(self) -> simile_render::Format {
        use simile_render::Format;
        match self {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Csv => Format::Csv,
            FormatArg::Diff => Format::Diff,
            FormatArg::Scanoss => Format::Scanoss,
        }
    }
}

/// A percentage in `[0, 100]`, as a fraction.
fn parse_percent(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&x) {
        Ok(x / 100.0)
    } else {
        Err(format!("`{s}` is not a percentage between 0 and 100"))
    }
}

/// A fraction in `[0, 1]`.
fn parse_fraction(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("`{s}` is not between 0 and 1"))
    }
}

impl WalkArgs {
    pub fn options(&self) -> simile::source::walk::WalkOptions {
        simile::source::walk::WalkOptions {
            hidden: self.hidden,
            no_ignore: self.no_ignore,
            follow_links: self.follow,
            globs: self.globs.clone(),
            languages: self.languages.clone(),
            force_language: None,
            max_size: self.max_size,
            keep_minified: self.keep_minified,
            skip_generated: self.skip_generated,
        }
    }
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

impl ClonesMatchingArgs {
    /// The aligner's settings: the region minimum stays `compare`'s, so a pair's comparison
    /// reads exactly as `simile compare` would show it.
    pub fn config(&self) -> simile::AlignConfig {
        let fingerprint = simile::fingerprint::FingerprintConfig {
            k: self.k as usize,
            w: self.w as usize,
        };
        simile::AlignConfig {
            fingerprint,
            min_fragment_tokens: fingerprint.k,
            max_gap_lines: self.max_gap,
            renames: !self.no_renames,
            ..simile::AlignConfig::default()
        }
    }
}

impl SortArg {
    pub fn order(self) -> simile::report::PairOrder {
        match self {
            SortArg::Similarity => simile::report::PairOrder::Similarity,
            SortArg::Longest => simile::report::PairOrder::Longest,
            SortArg::Overlap => simile::report::PairOrder::Overlap,
            SortArg::BestMatch => simile::report::PairOrder::BestMatch,
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
            line_diffs: true,
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
    fn fractions() {
        assert_eq!(parse_fraction("0.5"), Ok(0.5));
        assert_eq!(parse_fraction("1"), Ok(1.0));
        assert!(parse_fraction("1.5").is_err());
        assert!(parse_fraction("-0.1").is_err());
        assert!(parse_fraction("half").is_err());
        assert_eq!(parse_percent("20"), Ok(0.2));
        assert_eq!(parse_percent("12.5%"), Ok(0.125));
        assert!(parse_percent("101").is_err());
    }

    /// Every example of the help texts (`  simile ...  # what it does`) is a valid command line,
    /// so none falls behind a renamed or removed flag.
    #[test]
    fn every_example_parses() {
        use clap::CommandFactory;
        fn examples(command: &clap::Command, found: &mut Vec<String>) {
            let help = command.get_after_help().map(|h| h.to_string());
            for line in help.iter().flat_map(|h| h.lines()) {
                if let Some(example) = line.trim_start().strip_prefix("simile ") {
                    // The command line alone: before a comment, a redirection or a pipe.
                    let example = example.split(['#', '>', '|']).next().unwrap_or(example);
                    found.push(format!("simile {}", example.trim_end()));
                }
            }
            command.get_subcommands().for_each(|c| examples(c, found));
        }
        let mut found = Vec::new();
        examples(&Cli::command(), &mut found);
        assert!(found.len() >= 16, "{found:?}");
        for example in &found {
            if let Err(e) = Cli::try_parse_from(example.split_whitespace()) {
                panic!("{example}: {e}");
            }
        }
    }

    #[test]
    fn flags_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
