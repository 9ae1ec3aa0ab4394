//! Replaying kept inputs: every file of `fuzz/regressions/<target>/` through the target's
//! harness, each failure reported with its file name. Used by the regression tests of the
//! product crates (not by the fuzz targets).

use std::path::{Path, PathBuf};

/// The kept inputs of `target`, sorted.
pub fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"));
    files.sort();
    files
}

/// Run `run` on every kept input of `target`; fail naming each input that fails.
pub fn replay(target: &str, run: fn(&[u8])) {
    let mut failed = Vec::new();
    let inputs = inputs(target);
    for path in &inputs {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::panic::catch_unwind(|| run(&bytes)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} kept `{target}` inputs fail: {}",
        failed.len(),
        inputs.len(),
        failed.join(", ")
    );
    eprintln!("replayed {} kept `{target}` inputs", inputs.len());
}
