//! Comparisons of real version pairs from the registry corpora (`$SIMILE_CORPUS`, fetched by
//! scripts/fetch-corpus.sh; skipped with a note when absent). The pairs come from the ground
//! truth lists in bench/pairs/*.csv: a file and its counterpart in the next release, with the
//! GNU-diff line similarity. Every comparison must keep the report's invariants and mirror when
//! the sides swap; changed-but-close pairs must be found, and different files must not be.
//! bench/calibrate.py measures the same lists in full with the release binary.

mod common;

use common::*;
use rayon::prelude::*;
use simile::report::Comparison;
use simile::source::{ReadOptions, read_source};
use simile::{AlignConfig, compare};
use std::path::{Path, PathBuf};

struct TruePair {
    a: String,
    b: String,
    lines: usize,
    diff_similarity: f64,
}

fn corpus() -> Option<PathBuf> {
    let root = std::env::var_os("SIMILE_CORPUS").map(PathBuf::from)?;
    root.is_dir().then_some(root)
}

/// Every `step`-th row of one ground-truth list, small files only (the dev profile is slow).
fn sample(list: &str, step: usize, max_lines: usize) -> Vec<TruePair> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../bench/pairs")
        .join(list);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (qa, qb, la, lb, ds) = (
        col("query_path"),
        col("truth_path"),
        col("lines_A"),
        col("lines_B"),
        col("diff_similarity"),
    );
    lines
        .map(|l| l.split(',').collect::<Vec<&str>>())
        .map(|f| TruePair {
            a: f[qa].to_owned(),
            b: f[qb].to_owned(),
            lines: f[la].parse::<usize>().unwrap().max(f[lb].parse().unwrap()),
            diff_similarity: f[ds].parse().unwrap(),
        })
        .filter(|p| p.lines <= max_lines)
        .step_by(step)
        .collect()
}

fn compare_both(root: &Path, a: &str, b: &str) -> Option<(Comparison, Comparison)> {
    let read = |p: &str| read_source(&root.join(p), &ReadOptions::default()).ok();
    let (fa, fb) = (read(a)?, read(b)?);
    let config = AlignConfig::default();
    let (ab, ba) = (compare(&fa, &fb, &config), compare(&fb, &fa, &config));
    assert_none(&format!("{a} vs {b}"), report_violations(&ab, &fa, &fb));
    assert_none(&format!("{a} vs {b}: mirror"), mirror_violations(&ab, &ba));
    Some((ab, ba))
}

#[test]
fn true_version_pairs_keep_invariants_mirror_and_are_found() {
    let Some(root) = corpus() else {
        eprintln!("SIMILE_CORPUS not set: real version pairs skipped");
        return;
    };
    let pairs: Vec<TruePair> = [
        ("zstd149_zstd157.csv", 3),
        ("openssl111_openssl300.csv", 25),
        ("django42_django51.csv", 60),
        ("zlib_zlibng.csv", 2),
    ]
    .into_iter()
    .flat_map(|(list, step)| sample(list, step, 1500))
    .collect();
    assert!(pairs.len() > 100, "{} pairs", pairs.len());
    let scored: Vec<(f64, f64, String)> = pairs
        .par_iter()
        .filter_map(|p| {
            let (ab, _) = compare_both(&root, &p.a, &p.b)?;
            Some((p.diff_similarity, ab.scores.similarity, p.a.clone()))
        })
        .collect();
    // Close versions are found: a pair whose lines are at least 90% the same shares at least
    // half of its tokens (comments and blank lines count for diff, not for simile).
    for (diff, sim, path) in &scored {
        if *diff >= 0.9 {
            assert!(
                *sim >= 0.5,
                "{path}: diff similarity {diff:.2}, simile {sim:.3}"
            );
        }
    }
}

#[test]
fn different_files_of_one_release_are_rarely_similar() {
    let Some(root) = corpus() else {
        eprintln!("SIMILE_CORPUS not set: unrelated pairs skipped");
        return;
    };
    // Consecutive rows of the zstd list are different files of one project (lib/compress/*.c
    // next to each other, sharing headers, macros and style). lib/legacy/ is left out: its
    // zstd_v01..v07 decoders are copies of each other, and simile rightly says so (0.56-1.0).
    let files: Vec<String> = sample("zstd149_zstd157.csv", 1, 1500)
        .into_iter()
        .map(|p| p.b)
        .filter(|p| !p.contains("/lib/legacy/"))
        .collect();
    let similarities: Vec<(f64, String)> = files
        .par_windows(2)
        .filter_map(|w| {
            let (ab, _) = compare_both(&root, &w[0], &w[1])?;
            Some((ab.scores.similarity, format!("{} vs {}", w[0], w[1])))
        })
        .collect();
    assert!(similarities.len() > 40);
    let above: Vec<_> = similarities.iter().filter(|(s, _)| *s > 0.2).collect();
    assert!(
        above.len() * 20 <= similarities.len(),
        "{} of {} above 0.2: {above:?}",
        above.len(),
        similarities.len()
    );
}

#[test]
fn c_files_of_different_projects_score_low() {
    let Some(root) = corpus() else {
        eprintln!("SIMILE_CORPUS not set: cross-project pairs skipped");
        return;
    };
    // zstd 1.5.7 against OpenSSL 3 and zlib: C of the same era and style, no shared code.
    // Measured on 1000 random such pairs (bench/RESULTS.md): max 0.011.
    let c_files = |list: &str| -> Vec<String> {
        sample(list, 1, 1500)
            .into_iter()
            .map(|p| p.b)
            .filter(|p| p.ends_with(".c"))
            .collect()
    };
    let zstd = c_files("zstd149_zstd157.csv");
    let others: Vec<String> = [
        c_files("openssl111_openssl300.csv"),
        c_files("zlib_zlibng.csv"),
    ]
    .concat()
    .into_iter()
    .step_by(9)
    .collect();
    let pairs: Vec<(&String, &String)> = zstd.iter().cycle().zip(&others).collect();
    assert!(pairs.len() > 50, "{} pairs", pairs.len());
    let worst = pairs
        .par_iter()
        .filter_map(|(a, b)| {
            let (ab, _) = compare_both(&root, a, b)?;
            Some((ab.scores.similarity, format!("{a} vs {b}")))
        })
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .unwrap();
    assert!(worst.0 < 0.05, "{worst:?}");
}
