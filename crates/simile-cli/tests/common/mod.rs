//! Helpers shared by the end-to-end tests of the `simile` binary.
#![allow(dead_code)] // each test file uses a different subset

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The results of the first run of a SARIF log that are of rule `rule`.
pub fn sarif_results<'a>(sarif: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    sarif["runs"][0]["results"]
        .as_array()
        .expect("a SARIF run's results")
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect()
}

/// The `simile` binary under test.
pub fn simile() -> Command {
    let mut cmd = Command::cargo_bin("simile").expect("the simile binary is built");
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS");
    cmd
}

/// Runs `simile ARGS --cache-size SIZE` in `dir` for each of `sizes` and asserts each report is
/// `default`'s, byte for byte (the cache decides only how often a file is read), then that a
/// malformed size is a usage error naming the flag. Returns the default report, for the caller
/// to check it is worth comparing.
pub fn assert_cache_size_changes_no_answer(dir: &Path, args: &[&str], sizes: &[&str]) -> Vec<u8> {
    let run = |extra: &[&str]| {
        let out = simile()
            .current_dir(dir)
            .args(args)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?} {extra:?}");
        out.stdout
    };
    let default = run(&[]);
    for size in sizes {
        assert!(
            run(&["--cache-size", size]) == default,
            "--cache-size {size}"
        );
    }
    let out = simile()
        .current_dir(dir)
        .args(args)
        .args(["--cache-size", "12X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--cache-size") && stderr.contains("suffix"),
        "{stderr}"
    );
    default
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The real example pair kept in the repository (zstd 1.4.9 and 1.5.7).
pub fn example_pair() -> (PathBuf, PathBuf) {
    let root = repo().join("examples");
    (
        root.join("zstd-1.4.9/zstd_double_fast.c"),
        root.join("zstd-1.5.7/zstd_double_fast.c"),
    )
}

/// The committed JSON Schema of the report.
pub fn report_schema() -> serde_json::Value {
    let text =
        std::fs::read_to_string(repo().join("schema/report.schema.json")).expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Validate a JSON report against the committed schema, with readable errors.
pub fn assert_valid_report(report: &serde_json::Value) {
    let schema = report_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match schema/report.schema.json:\n{}",
        errors.join("\n")
    );
}

/// Whether the tests run as root (file permissions do not stop root from reading).
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false)
}

/// Run `simile` as an unprivileged user when the tests run as root, so permission checks
/// apply (setpriv is part of util-linux).
pub fn simile_unprivileged() -> Command {
    if is_root() {
        let bin = assert_cmd::cargo::cargo_bin("simile");
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(bin);
        cmd.env_remove("NO_COLOR");
        cmd
    } else {
        simile()
    }
}
