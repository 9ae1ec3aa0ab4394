//! # simile-render: a simile report, in the format the user asks for
//!
//! Renderers read a [`Document`]: the report data model of the `simile` engine plus the text of
//! the files it names (to show code). They never recompute similarity. One module per format;
//! adding a format adds a module and touches no other renderer:
//!
//! | format | module | for | `compare` | `find` | `clones` |
//! |---|---|---|---|---|---|
//! | `text` | [`text`] | the terminal | scores, a table of regions, each region's code (`--side-by-side`: two columns) | per query a ranked table, then the comparison with the best match (`--compare`) | roots, totals, duplication and the gate; ranked pairs fitted to the width; each pair's regions; clusters; submission pairs; blocks and the most duplicated files |
//! | `json` | [`json`] | scripts | the data model itself, versioned, described by `schema/report.schema.json` | the same | the same |
//! | `markdown` | [`markdown`] | a code review comment | summary, table of regions, diffs of edited regions | per query a ranked table and the comparison; what was searched and skipped | summary and gate; tables of pairs, regions (folded), clusters, submission pairs, blocks, duplicated files |
//! | `html` | [`html`] | sharing: one self-contained page | side by side, coloured regions, a dotplot | per query the ranking with score bars, linking to embedded comparisons; skipped files | summary, a cluster graph and a similarity heatmap (SVG, linked), ranked pairs with bars, tables, and each pair side by side, drawn when reached |
//! | `sarif` | [`sarif`] | code scanning: SARIF 2.1.0 | one result per region, the other side as related location | one result per ranked file, plus the comparison's regions | one result per region of each pair and per block; the gate as the invocation's verdict |
//! | `csv` | [`csv`] | spreadsheets, RFC 4180 | one row per region | one row per ranked file, plus the comparison's region rows (a `row` column tells them apart) | one row per pair, region, cluster, submission pair, block and file (told apart by `row`) |
//! | `diff` | [`diff`] | `git apply` / `patch` | a unified diff of A against B | each query against its best match (needs the comparison) | each listed pair, A against B |
//! | `scanoss` | [`scanoss`] | compliance tools: JSON shaped like SCANOSS scan results | one match | per query its list of matches | per file of a pair its list of matches (the other file of each pair) |
//! | `--template FILE` | [`template`] | anything else | a minijinja (Jinja2) template over the JSON data model | the same | the same (`templates/clones.txt.j2`: a line per pair) |
//!
//! Every renderer dispatches on the report kind ([`ReportBody`](simile::report::ReportBody)) in
//! its own module, with one function (or file) per kind, so a new kind slots in per format.
//!
//! ```
//! use simile::{compare, AlignConfig, SourceFile};
//! use simile::report::Report;
//! use simile_render::{render, Document, Format, RenderOptions, SourceSet};
//!
//! let a = SourceFile::from_text("a.py", "def f(x):\n    return x * 2 + 1\n", None);
//! let b = SourceFile::from_text("b.py", "def f(x):\n    return x * 2 + 1\n", None);
//! let report = Report::comparison(compare(&a, &b, &AlignConfig { min_region_tokens: 5, ..AlignConfig::default() }));
//! let sources = SourceSet::from_files([a, b]);
//! let doc = Document { report: &report, sources: &sources };
//!
//! let mut out = Vec::new();
//! render(Format::Json, &doc, &RenderOptions::default(), &mut out).unwrap();
//! let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(json["kind"], "comparison");
//! assert_eq!(json["comparison"]["verdict"], "identical");
//!
//! let mut csv = Vec::new();
//! render(Format::Csv, &doc, &RenderOptions::default(), &mut csv).unwrap();
//! let csv = String::from_utf8(csv).unwrap();
//! assert!(csv.starts_with("a_path,b_path,region,kind,"));
//! assert!(csv.lines().nth(1).unwrap().starts_with("a.py,b.py,1,identical,"));
//! ```
#![deny(missing_docs)]

pub mod csv;
pub mod diff;
pub mod html;
pub mod json;
pub mod markdown;
mod sanitize;
pub mod sarif;
pub mod scanoss;
pub mod template;
pub mod text;
mod util;

pub use sanitize::terminal_safe;

use simile::SourceFile;
use simile::report::Report;
use std::collections::HashMap;
use std::io;
use std::sync::Arc;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The terminal report.
    Text,
    /// The JSON data model.
    Json,
    /// Markdown for a code review comment.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// CSV, one row per region (for a search, per ranked file).
    Csv,
    /// A unified diff of A against B (for a search, of each query against its best match).
    Diff,
    /// JSON shaped like SCANOSS scan results.
    Scanoss,
}

impl Format {
    /// Every format, with its command-line name.
    pub const ALL: [(&'static str, Format); 8] = [
        ("text", Format::Text),
        ("json", Format::Json),
        ("markdown", Format::Markdown),
        ("html", Format::Html),
        ("sarif", Format::Sarif),
        ("csv", Format::Csv),
        ("diff", Format::Diff),
        ("scanoss", Format::Scanoss),
    ];

    /// The format called `name` on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, f)| f)
    }
}

/// Options shared by renderers; each reads what applies to it. Construct it with
/// `..RenderOptions::default()` so that new options do not break callers.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Use colours (text).
    pub color: bool,
    /// Show every line of every region instead of a summary of long ones (text), and every
    /// edited region's diff instead of the first ones (markdown).
    pub full: bool,
    /// Lines of unchanged code shown around changes and at the ends of long regions (text,
    /// markdown), and context lines of the unified diff (diff).
    pub context: usize,
    /// Terminal width in columns (text); long lines are cut to fit.
    pub width: usize,
    /// Two columns, A on the left and B on the right (text).
    pub side_by_side: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            full: false,
            context: 3,
            width: 120,
            side_by_side: false,
        }
    }
}

/// The texts of the files a report names, by the path written in the report.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    files: HashMap<String, Arc<SourceFile>>,
}

impl SourceSet {
    /// A set holding these files.
    pub fn from_files(files: impl IntoIterator<Item = SourceFile>) -> SourceSet {
        let mut set = SourceSet::default();
        for f in files {
            set.insert(Arc::new(f));
        }
        set
    }

    /// Add a file (replacing one with the same report path).
    pub fn insert(&mut self, file: Arc<SourceFile>) {
        self.files.insert(file.name.clone(), file);
    }

    /// The file with this report path.
    pub fn get(&self, path: &str) -> Option<&SourceFile> {
        self.files.get(path).map(|f| f.as_ref())
    }

    /// Line `line` (1-based) of the file at `path`, if both exist.
    pub fn line(&self, path: &str, line: u32) -> Option<&str> {
        let file = self.get(path)?;
        (line >= 1 && line <= file.line_count()).then(|| file.line_text(line))
    }
}

/// What a renderer renders: the report and the files' texts.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The report.
    pub report: &'a Report,
    /// Texts of the files the report names (a renderer shows what it finds; missing texts
    /// only mean less code is shown).
    pub sources: &'a SourceSet,
}

/// Render `doc` in `format` to `out`.
pub fn render(
    format: Format,
    doc: &Document<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(doc, options, out),
        Format::Json => json::render(doc, out),
        Format::Markdown => markdown::render(doc, options, out),
        Format::Html => html::render(doc, out),
        Format::Sarif => sarif::render(doc, out),
        Format::Csv => csv::render(doc, out),
        Format::Diff => diff::render(doc, options, out),
        Format::Scanoss => scanoss::render(doc, out),
    }
}
