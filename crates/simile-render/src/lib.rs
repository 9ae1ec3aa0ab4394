//! # simile-render: a simile report, in the format the user asks for
//!
//! Renderers read a [`Document`]: the report data model of the `simile` engine plus the text of
//! the files it names (to show code). They never recompute similarity. One module per format:
//!
//! - [`text`]: the terminal report: scores, a table of regions, then each region's code with
//!   line numbers (coloured on a terminal unless `NO_COLOR` is set).
//! - [`json`]: the data model itself, versioned (`schema_version`), described by
//!   `schema/report.schema.json`.
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
//! let mut out = Vec::new();
//! render(Format::Json, &Document { report: &report, sources: &sources }, &RenderOptions::default(), &mut out).unwrap();
//! let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(json["kind"], "comparison");
//! assert_eq!(json["comparison"]["verdict"], "identical");
//! ```
#![deny(missing_docs)]

pub mod json;
mod sanitize;
pub mod text;

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
}

impl Format {
    /// Every format, with its command-line name.
    pub const ALL: [(&'static str, Format); 2] = [("text", Format::Text), ("json", Format::Json)];

    /// The format called `name` on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, f)| f)
    }
}

/// Options shared by renderers; each reads what applies to it.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Use colours (text).
    pub color: bool,
    /// Show every line of every region instead of a summary of long ones (text).
    pub full: bool,
    /// Lines of unchanged code shown around changes and at the ends of long regions (text).
    pub context: usize,
    /// Terminal width in columns (text); long lines are cut to fit.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            full: false,
            context: 3,
            width: 120,
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
    }
}
