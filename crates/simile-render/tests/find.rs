//! The find report in CSV and Markdown: every query appears, row kinds add up to the report,
//! and hostile file names cannot break a table or run as a spreadsheet formula. (Snapshots of
//! every format are in snapshots.rs, schemas in schemas.rs, HTML in html.rs, diffs in
//! diff_apply.rs.)

mod common;

use common::{FIND_QUERIES, find_in, find_report, render};
use simile::report::{Find, Report, ReportBody};
use simile_render::csv::find::FIND_COLUMNS;
use simile_render::{Format, RenderOptions};

fn find_of(report: &Report) -> &Find {
    match &report.body {
        ReportBody::Find { find } => find,
        other => panic!("not a find report: {other:?}"),
    }
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(FIND_COLUMNS.to_vec())
    );
    reader
        .records()
        .map(|r| r.expect("well-formed CSV"))
        .collect()
}

#[test]
fn csv_rows_add_up_to_the_report() {
    for compare in [true, false] {
        let (report, sources) = find_report(&FIND_QUERIES, compare);
        let find = find_of(&report);
        let text = render(&report, &sources, Format::Csv, &RenderOptions::default());
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
        let rows = csv_rows(&text);
        let count = |kind: &str| rows.iter().filter(|r| &r[0] == kind).count();
        let matches: usize = find.queries.iter().map(|q| q.matches.len()).sum();
        let regions: usize = find
            .queries
            .iter()
            .filter_map(|q| q.comparison.as_ref())
            .map(|c| c.regions.len())
            .sum();
        let unmatched = find.queries.iter().filter(|q| q.matches.is_empty()).count();
        assert_eq!(count("match"), matches);
        assert_eq!(count("region"), regions);
        assert_eq!(count("none"), unmatched);
        assert_eq!(rows.len(), matches + regions + unmatched);
        assert_eq!(regions > 0, compare);
        // Every query appears, in order; a match row carries its scores, a region row its lines.
        let mut queries: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
        queries.dedup();
        let expected: Vec<&str> = find.queries.iter().map(|q| q.query.path.as_str()).collect();
        assert_eq!(queries, expected);
        for r in &rows {
            let filled =
                |name: &str| !r[FIND_COLUMNS.iter().position(|c| *c == name).unwrap()].is_empty();
            match &r[0] {
                "match" => assert!(filled("similarity") && filled("verdict") && !filled("region")),
                "region" => {
                    assert!(filled("query_start_line") && filled("kind") && !filled("similarity"))
                }
                _ => assert!(!filled("file")),
            }
        }
        let best = &rows[0];
        let m = &find.queries[0].matches[0];
        assert_eq!(&best[3], m.file.path);
        assert_eq!(
            best[5].parse::<f64>().unwrap(),
            (m.similarity * 1e4).round() / 1e4
        );
    }
}

#[test]
fn hostile_names_stay_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let code = std::fs::read(common::fixtures_dir().join("uncompr/a/uncompr.c")).unwrap();
    let query = "=HYPERLINK(\"http:x\")|`q`.c";
    let matched = "-2+3 | ``x`` <b>.c";
    std::fs::create_dir_all(root.join("corpus")).unwrap();
    std::fs::write(root.join(query), &code).unwrap();
    std::fs::write(root.join("corpus").join(matched), &code).unwrap();
    let (report, sources) = find_in(root, "corpus", &[query], true);

    let text = render(&report, &sources, Format::Csv, &RenderOptions::default());
    let rows = csv_rows(&text);
    assert!(
        rows.iter().all(|r| r[1].starts_with('\'')),
        "formulas are defused: {text}"
    );
    assert_eq!(
        &rows[0][3], "corpus/-2+3 | ``x`` <b>.c",
        "only a leading sign is defused"
    );

    let md = render(
        &report,
        &sources,
        Format::Markdown,
        &RenderOptions::default(),
    );
    let row = md
        .lines()
        .find(|l| l.starts_with("| 1 |"))
        .expect("a ranked row");
    // The name's `|` is escaped and its backticks cannot close the code span.
    assert!(
        row.contains("| ```corpus/-2+3 \\| ``x`` <b>.c``` |"),
        "{row}"
    );
    let unescaped_pipes = row
        .char_indices()
        .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
        .count();
    assert_eq!(unescaped_pipes, 9, "eight cells: {row}");
    assert!(
        md.starts_with("## simile find: ``=HYPERLINK(\"http:x\")|`q`.c``\n"),
        "{md}"
    );
}
