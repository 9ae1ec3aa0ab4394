//! Snapshot tests: every text format of every fixture pair, pinned with insta. Review changes
//! with `cargo insta review` (or `INSTA_UPDATE=always` and `git diff`).

mod common;

use common::{FIND_QUERIES, PAIRS, find_report, pair, render, report_of};
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

/// No line of a text report ends in spaces (an empty line of code was its gutter and two
/// spaces, which editors flag and `git diff` shows in red), in either layout and for `find`.
#[test]
fn text_lines_never_end_in_spaces() {
    let side_by_side = RenderOptions {
        side_by_side: true,
        ..options()
    };
    let mut outputs = Vec::new();
    for (name, file) in PAIRS {
        let (a, b) = pair(name, file);
        let (report, sources) = report_of(a, b);
        for options in [&options(), &side_by_side] {
            outputs.push((name, render(&report, &sources, Format::Text, options)));
        }
    }
    let (report, sources) = find_report(&FIND_QUERIES, true);
    outputs.push(("find", render(&report, &sources, Format::Text, &options())));
    // Unchanged empty lines of code are their line numbers alone.
    let numbers_alone =
        |l: &str| !l.trim().is_empty() && l.chars().all(|c| c.is_ascii_digit() || c == ' ');
    assert!(
        outputs
            .iter()
            .any(|(_, out)| out.lines().any(numbers_alone)),
        "the fixtures have empty lines of code"
    );
    for (name, out) in outputs {
        for line in out.lines() {
            assert!(!line.ends_with(' '), "{name}: {line:?}");
        }
    }
}

/// On a narrow terminal the lines only one side has wrap between ranges, under the first: none
/// is cut, the total stays at the end (cut to the width, the list hid both).
#[test]
fn text_wraps_what_only_one_side_has_on_a_narrow_terminal() {
    let (a, b) = pair("decorators", "decorators.py");
    let (report, sources) = report_of(a, b);
    let wide = render(&report, &sources, Format::Text, &options());
    let narrow = RenderOptions {
        width: 40,
        ..options()
    };
    let narrow = render(&report, &sources, Format::Text, &narrow);
    let only_b = |text: &str| -> String {
        let start = text.find("  only in B: ").expect("an only-in-B line");
        let block = &text[start..];
        let end = block.find("lines)").expect("the total") + "lines)".len();
        block[..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(only_b(&narrow), only_b(&wide), "{narrow}");
    assert!(only_b(&wide).ends_with("(44 lines)"), "{wide}");
    let start = narrow.find("  only in B: ").unwrap();
    let lines: Vec<&str> = narrow[start..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 1, "wrapped: {lines:?}");
    assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
    assert!(lines[1..].iter().all(|l| l.starts_with("             ")));
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

/// The find fixture (three queries, one without a match, against `find/corpus`) in every
/// format that writes text, with `--compare` (`find.*`) and without (`find-ranking.*`).
fn snapshot_find(format: Format, ext: &str) {
    for (name, compare) in [("find", true), ("find-ranking", false)] {
        let (report, sources) = find_report(&FIND_QUERIES, compare);
        let out = render(&report, &sources, format, &options());
        insta::assert_snapshot!(format!("{name}.{ext}"), out);
    }
}

#[test]
fn find_text() {
    snapshot_find(Format::Text, "txt");
}

#[test]
fn find_markdown() {
    snapshot_find(Format::Markdown, "md");
}

#[test]
fn find_csv() {
    snapshot_find(Format::Csv, "csv");
}

#[test]
fn find_sarif() {
    snapshot_find(Format::Sarif, "sarif");
}

#[test]
fn find_scanoss() {
    snapshot_find(Format::Scanoss, "scanoss.json");
}

#[test]
fn find_diff() {
    let (report, sources) = find_report(&FIND_QUERIES, true);
    let out = render(&report, &sources, Format::Diff, &options());
    insta::assert_snapshot!("find.diff", out);
}

#[test]
fn find_diff_without_the_comparison_is_an_error() {
    let (report, sources) = find_report(&FIND_QUERIES, false);
    let doc = simile_render::Document {
        report: &report,
        sources: &sources,
    };
    let err = simile_render::render(Format::Diff, &doc, &options(), &mut Vec::new())
        .expect_err("no comparison to diff");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("--compare"), "{err}");
}
