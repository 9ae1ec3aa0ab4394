//! Target `template`: user templates (`--template FILE`) on arbitrary source, rendered over a
//! real report (the zstd pair under `examples/`, compared with everything on).
//!
//! Input: byte 0 picks the template's file name, hence its escaping (text, HTML, JSON,
//! Markdown); the rest is the template, read as UTF-8 (lossily, as `--template` reads it
//! strictly and fails on anything else).
//!
//! Invariants: compiling and rendering end with output or an error naming the template, never
//! a panic, a hang or unbounded memory. Fuel is lowered so a runaway template stops quickly.

use simile::report::Report;
use simile::{AlignConfig, SourceFile, compare};
use simile_render::template::Template;
use simile_render::{Document, SourceSet};
use std::path::Path;
use std::sync::OnceLock;

const A: &str = include_str!("../../examples/zstd-1.4.9/zstd_double_fast.c");
const B: &str = include_str!("../../examples/zstd-1.5.7/zstd_double_fast.c");

/// Fuel per render: enough for every shipped template over this report, little enough that a
/// loop of millions of steps ends in milliseconds.
pub const FUEL: u64 = 200_000;

fn report() -> &'static (Report, SourceSet) {
    static REPORT: OnceLock<(Report, SourceSet)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let a = SourceFile::from_text("zstd-1.4.9/zstd_double_fast.c", A, None);
        let b = SourceFile::from_text("zstd-1.5.7/zstd_double_fast.c", B, None);
        let report = Report::comparison(compare(&a, &b, &AlignConfig::default()));
        (report, SourceSet::from_files([a, b]))
    })
}

/// Run the target on one input.
pub fn run(data: &[u8]) {
    let Some((&pick, source)) = data.split_first() else {
        return;
    };
    let names = ["t.txt", "t.html", "t.json", "t.md.j2"];
    // Includes resolve next to the template: a directory with nothing in it.
    let path = Path::new("/nonexistent-simile-fuzz").join(names[pick as usize % names.len()]);
    let source = String::from_utf8_lossy(source).into_owned();
    let Ok(template) = Template::from_source(&path, source) else {
        return;
    };
    let template = template.with_fuel(Some(FUEL));
    let (report, sources) = report();
    let doc = Document { report, sources };
    let mut out = Vec::new();
    if let Err(e) = template.render(&doc, &mut out) {
        assert!(
            e.to_string().contains("t."),
            "the error does not name the template: {e}"
        );
    }
}
