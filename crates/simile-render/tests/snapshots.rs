//! Snapshot tests: every text format of every fixture pair, pinned with insta. Review changes
//! with `cargo insta review` (or `INSTA_UPDATE=always` and `git diff`).

mod common;

use common::{PAIRS, pair, render, report_of};
use simile_render::{Format, RenderOptions};

fn options() -> RenderOptions {
    RenderOptions {
        width: 100,
        ..RenderOptions::default()
    }
}

fn snapshot_all(format: Format, ext: &str, options: &RenderOptions) {
    for (name, file) in PAIRS {
        let (a, b) = pair(name, file);
        let (report, sources) = report_of(a, b);
        let out = render(&report, &sources, format, options);
        insta::assert_snapshot!(format!("{name}.{ext}"), out);
    }
}

#[test]
fn text() {
    snapshot_all(Format::Text, "txt", &options());
}

#[test]
fn text_side_by_side() {
    let options = RenderOptions {
        side_by_side: true,
        ..options()
    };
    snapshot_all(Format::Text, "side-by-side.txt", &options);
}

#[test]
fn markdown() {
    snapshot_all(Format::Markdown, "md", &options());
}

#[test]
fn json() {
    snapshot_all(Format::Json, "json", &options());
}

#[test]
fn csv() {
    snapshot_all(Format::Csv, "csv", &options());
}

#[test]
fn sarif() {
    snapshot_all(Format::Sarif, "sarif", &options());
}

#[test]
fn scanoss() {
    snapshot_all(Format::Scanoss, "scanoss.json", &options());
}

#[test]
fn diff() {
    snapshot_all(Format::Diff, "diff", &options());
}
