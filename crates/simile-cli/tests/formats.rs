//! `simile compare` and `simile find` with every `--format`, `--template` and `--side-by-side`,
//! through the real binary: exit codes, and output a consumer can read.

use assert_cmd::Command;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../simile-render/tests/fixtures")
}

fn simile() -> Command {
    let mut cmd = Command::cargo_bin("simile").unwrap();
    cmd.current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

fn compare(args: &[&str]) -> std::process::Output {
    simile()
        .args([
            "compare",
            "decorators/a/decorators.py",
            "decorators/b/decorators.py",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let out = compare(args);
    assert!(
        out.status.success(),
        "{args:?}: exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_format_writes_its_kind_of_output() {
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&["-f", "json"])).unwrap();
    assert_eq!(json["kind"], "comparison");
    let sarif: serde_json::Value = serde_json::from_str(&stdout_of(&["-f", "sarif"])).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let scanoss: serde_json::Value = serde_json::from_str(&stdout_of(&["-f", "scanoss"])).unwrap();
    assert_eq!(scanoss["decorators/a/decorators.py"][0]["id"], "snippet");
    assert!(stdout_of(&["-f", "markdown"]).starts_with("## simile: "));
    assert!(stdout_of(&["-f", "html"]).starts_with("<!DOCTYPE html>"));
    let csv = stdout_of(&["-f", "csv"]);
    assert_eq!(
        csv.lines().count(),
        1 + json["comparison"]["regions"].as_array().unwrap().len()
    );
    assert!(csv.contains("\r\n"), "RFC 4180 line ends");
    assert!(stdout_of(&["-f", "diff"]).starts_with("--- a/decorators/a/decorators.py\n+++ b/"));
}

#[test]
fn side_by_side_fits_the_terminal() {
    let out = stdout_of(&["--side-by-side"]);
    assert!(out.contains(" | "), "changed rows are marked");
    for line in out.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than COLUMNS=100: {line:?}"
        );
    }
}

#[test]
fn html_goes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let out = compare(&["-f", "html", "-o", path.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn a_template_renders_the_data_model() {
    let template = fixtures().join("../../../../templates/regions.txt.j2");
    let out = stdout_of(&["--template", template.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 5, "{out}");
}

#[test]
fn a_broken_template_is_a_usage_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt.j2");
    std::fs::write(&path, "ok\n{% for r in comparison.regions %}\n{{ r.id }\n").unwrap();
    let out = compare(&["--template", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt.j2:3:"), "{err}");
    assert!(err.contains("syntax error"), "{err}");

    std::fs::write(&path, "{{ comparison.scroes.similarity }}\n").unwrap();
    let out = compare(&["--template", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt.j2:1:14: undefined value"), "{err}");

    let out = compare(&["--template", "no/such.j2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such.j2: cannot read the template"));
}

#[test]
fn template_and_format_exclude_each_other() {
    let out = compare(&["--template", "x.j2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unwritable_output_is_an_output_error() {
    let out = compare(&["-f", "html", "-o", "/nonexistent-dir/report.html"]);
    assert_eq!(out.status.code(), Some(5));
}

/// `simile find` on the renderer fixtures: two queries with matches in `find/corpus`.
fn find(args: &[&str]) -> std::process::Output {
    simile()
        .args([
            "find",
            "uncompr/a/uncompr.c",
            "decorators/a/decorators.py",
            "--in",
            "find/corpus",
            "--quiet",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn find_stdout(args: &[&str]) -> String {
    let out = find(args);
    assert!(
        out.status.success(),
        "{args:?}: exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn find_writes_every_format() {
    let json: serde_json::Value =
        serde_json::from_str(&find_stdout(&["--compare", "-f", "json"])).unwrap();
    assert_eq!(json["kind"], "find");
    let queries = json["find"]["queries"].as_array().unwrap();
    let matches: usize = queries
        .iter()
        .map(|q| q["matches"].as_array().unwrap().len())
        .sum();
    let regions: usize = queries
        .iter()
        .map(|q| q["comparison"]["regions"].as_array().unwrap().len())
        .sum();

    let sarif: serde_json::Value =
        serde_json::from_str(&find_stdout(&["--compare", "-f", "sarif"])).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        matches + regions
    );
    let scanoss: serde_json::Value =
        serde_json::from_str(&find_stdout(&["--compare", "-f", "scanoss"])).unwrap();
    assert_eq!(scanoss["decorators/a/decorators.py"][0]["id"], "snippet");
    assert!(scanoss["decorators/a/decorators.py"][0]["lines"].is_string());
    let md = find_stdout(&["--compare", "-f", "markdown"]);
    assert!(
        md.starts_with("## simile find: `uncompr/a/uncompr.c`"),
        "{md}"
    );
    assert!(
        md.contains("### simile: `decorators/a/decorators.py` ↔ "),
        "{md}"
    );
    let html = find_stdout(&["--compare", "-f", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("id=\"cmp-2\""));
    let csv = find_stdout(&["--compare", "-f", "csv"]);
    assert_eq!(csv.lines().count(), 1 + matches + regions);
    assert!(csv.starts_with("row,query,rank,file,"));
    let diff = find_stdout(&["--compare", "-f", "diff"]);
    assert_eq!(diff.matches("\n+++ b/find/corpus/").count(), 2, "{diff}");
    let lines = find_stdout(&["--template", "../../../../templates/matches.txt.j2"]);
    assert_eq!(lines.lines().count(), matches, "{lines}");
}

#[test]
fn find_diff_without_compare_is_a_usage_error() {
    let out = find(&["-f", "diff"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--compare"), "{err}");
}

#[test]
fn find_with_a_query_without_match_still_writes_its_report() {
    let out = simile()
        .args([
            "find",
            "sqlite-lib/a/lib.rs",
            "--in",
            "find/corpus",
            "--compare",
            "--quiet",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing found");
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        csv.lines().nth(1),
        Some("none,sqlite-lib/a/lib.rs,,,,,,,,,,,,,,,,,,,,,,,,,,")
    );
}
