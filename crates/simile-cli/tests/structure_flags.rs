//! `simile compare` computes units, the rename map and licences by default; `--no-structure`
//! and `--no-license` turn them off.

use assert_cmd::Command;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../simile/tests/data")
        .join(name)
}

fn compare_json(flags: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("simile")
        .unwrap()
        .args(["compare", "--format", "json"])
        .args(flags)
        .arg(data("pairs/openssl_nseq/1.1.1w.c"))
        .arg(data("pairs/openssl_nseq/3.6.c"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn structure_and_licences_by_default() {
    let json = compare_json(&[]);
    let c = &json["comparison"];
    assert_eq!(c["units"]["a"]["parser"], "tree-sitter-c");
    assert!(c["units"]["units"].as_array().unwrap().len() >= 2);
    assert_eq!(c["licenses"]["a"]["license"], "OpenSSL");
    assert_eq!(c["licenses"]["b"]["license"], "Apache-2.0");
    assert_eq!(c["licenses"]["change"], "changed");
}

#[test]
fn flags_turn_them_off() {
    let json = compare_json(&["--no-structure", "--no-license"]);
    let c = &json["comparison"];
    assert!(c["units"].is_null());
    assert!(c["licenses"].is_null());
    // The token comparison is the same either way.
    let full = compare_json(&[]);
    assert_eq!(c["scores"], full["comparison"]["scores"]);
    let json = compare_json(&["--no-license"]);
    assert!(!json["comparison"]["units"].is_null());
    assert!(json["comparison"]["licenses"].is_null());
}
