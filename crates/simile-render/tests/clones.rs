//! `simile clones` in every format, on the clones fixtures (`fixtures/clones/`, see the README
//! there): a tree with a vendored copy, a fork, a renamed copy, a copied function, a block
//! duplicated within a file and a binary file; and four submissions sharing a template.
//! Snapshots pin the text formats; the other tests check what each format promises.

mod common;

use common::{CLONES_SUBMISSIONS, CLONES_TEMPLATE, CLONES_TREE, ClonesRun, clones_report, render};
use simile::report::{Clones, Report, ReportBody};
use simile_render::{Format, RenderOptions, SourceSet};

fn options() -> RenderOptions {
    RenderOptions {
        width: 120,
        ..RenderOptions::default()
    }
}

/// The tree, with renamed copies and blocks looked for and a gate that fails.
fn tree() -> (Report, SourceSet) {
    clones_report(&ClonesRun {
        trees: &[CLONES_TREE],
        renamed: true,
        fragments: true,
        fail_over: Some(0.5),
        ..ClonesRun::default()
    })
}

/// The submissions, with the template as base code.
fn submissions() -> (Report, SourceSet) {
    clones_report(&ClonesRun {
        trees: &[CLONES_SUBMISSIONS],
        submissions: true,
        ignore: Some(CLONES_TEMPLATE),
        fragments: true,
        ..ClonesRun::default()
    })
}

/// zlib against the rest of the tree, as an upstream against a fork.
fn old_new() -> (Report, SourceSet) {
    clones_report(&ClonesRun {
        old_new: Some((
            "tests/fixtures/clones/tree/zlib",
            "tests/fixtures/clones/tree/tools",
        )),
        renamed: true,
        ..ClonesRun::default()
    })
}

fn clones_of(report: &Report) -> &Clones {
    match &report.body {
        ReportBody::Clones { clones } => clones,
        other => panic!("not a clones report: {other:?}"),
    }
}

/// Every fixture run, by name.
fn fixtures() -> Vec<(&'static str, Report, SourceSet)> {
    let (t, ts) = tree();
    let (s, ss) = submissions();
    let (o, os) = old_new();
    vec![("tree", t, ts), ("submissions", s, ss), ("old-new", o, os)]
}

fn snapshot_all(format: Format, ext: &str) {
    for (name, report, sources) in fixtures() {
        let out = render(&report, &sources, format, &options());
        insta::assert_snapshot!(format!("clones-{name}.{ext}"), out);
    }
}

#[test]
fn text() {
    snapshot_all(Format::Text, "txt");
}

#[test]
fn the_fixtures_hold_what_the_tests_need() {
    let (report, _) = tree();
    let c = clones_of(&report);
    let kinds: Vec<&str> = c
        .pairs
        .iter()
        .flat_map(|p| p.comparison.regions.iter())
        .map(|r| simile_render_kind(r.kind))
        .collect();
    for kind in ["identical", "renamed", "edited"] {
        assert!(kinds.contains(&kind), "a {kind} region: {kinds:?}");
    }
    let fragments = c.fragments.as_ref().expect("--fragments");
    assert!(fragments.within_file >= 1, "a block within a file");
    assert!(c.gate.as_ref().is_some_and(|g| g.failed), "the gate fails");
    assert_eq!(c.skipped.total, 1, "the binary file is skipped");
    let (report, _) = submissions();
    let c = clones_of(&report);
    assert!(c.submissions.as_ref().is_some_and(|s| !s.pairs.is_empty()));
}

fn simile_render_kind(kind: simile::align::RegionKind) -> &'static str {
    match kind {
        simile::align::RegionKind::Identical => "identical",
        simile::align::RegionKind::Renamed => "renamed",
        simile::align::RegionKind::Edited => "edited",
    }
}

#[test]
fn markdown() {
    snapshot_all(Format::Markdown, "md");
}

#[test]
fn json() {
    snapshot_all(Format::Json, "json");
}

#[test]
fn csv() {
    snapshot_all(Format::Csv, "csv");
}

#[test]
fn sarif() {
    snapshot_all(Format::Sarif, "sarif");
}

#[test]
fn scanoss() {
    snapshot_all(Format::Scanoss, "scanoss.json");
}

#[test]
fn diff() {
    let (report, sources) = tree();
    let out = render(&report, &sources, Format::Diff, &options());
    insta::assert_snapshot!("clones-tree.diff", out);
}
