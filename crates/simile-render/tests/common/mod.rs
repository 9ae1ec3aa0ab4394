//! Loading the fixture pairs and rendering them, shared by the renderer tests.
#![allow(dead_code)] // each test file uses a part

use simile::report::Report;
use simile::source::{ReadOptions, SourceFile, source_from_bytes};
use simile::{AlignConfig, compare};
use simile_render::{Document, Format, RenderOptions, SourceSet};
use std::path::{Path, PathBuf};

/// The fixture pairs: (name, file name inside `a/` and `b/`).
pub const PAIRS: [(&str, &str); 4] = [
    ("uncompr", "uncompr.c"),
    ("decorators", "decorators.py"),
    ("sqlite-lib", "lib.rs"),
    ("core-test", "core.test.js"),
];

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A source file from bytes, named `name` in reports.
pub fn source(name: &str, bytes: Vec<u8>) -> SourceFile {
    source_from_bytes(Path::new(name), bytes, &ReadOptions::default()).expect("readable")
}

/// The two files of a fixture pair, named `<pair>/a/<file>` and `<pair>/b/<file>`.
pub fn pair(name: &str, file: &str) -> (SourceFile, SourceFile) {
    let load = |side: &str| {
        let rel = format!("{name}/{side}/{file}");
        let bytes = std::fs::read(fixtures_dir().join(&rel)).expect("fixture exists");
        source(&rel, bytes)
    };
    (load("a"), load("b"))
}

/// The comparison report of two files, with the files' texts.
pub fn report_of(a: SourceFile, b: SourceFile) -> (Report, SourceSet) {
    let report = Report::comparison(compare(&a, &b, &AlignConfig::default()));
    (report, SourceSet::from_files([a, b]))
}

/// Render in `format`; the simile version is replaced by `[version]` so snapshots survive
/// releases.
pub fn render(
    report: &Report,
    sources: &SourceSet,
    format: Format,
    options: &RenderOptions,
) -> String {
    let mut out = Vec::new();
    let doc = Document { report, sources };
    simile_render::render(format, &doc, options, &mut out).expect("renders");
    String::from_utf8(out)
        .expect("UTF-8 output")
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}
