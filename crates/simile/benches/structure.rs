//! The cost of structure (units, their mapping, the rename map) and licences on top of the
//! token comparison, on the largest pair of the corpora: sqlite3.c from libsqlite3-sys 0.24.2
//! and 0.30.1 (SQLite 3.38 and 3.46, 9 MB and 250,000 lines per side).
//!
//! `cargo bench -p simile --bench structure`. The corpus is read from `$SIMILE_CORPUS`
//! (default `/work/cache/corpus`); without it the benchmark says so and measures nothing.
//! Reading the files is outside the measurement; tokenizing is inside (as in `compare`).

use criterion::{Criterion, criterion_group, criterion_main};
use simile::source::{ReadOptions, read_source};
use simile::{AlignConfig, CompareOptions, compare_with};
use std::path::PathBuf;
use std::time::Duration;

/// The `simile` binary's allocator (crates/simile-cli/src/main.rs), so the benchmark times what
/// users run.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn corpus() -> PathBuf {
    std::env::var_os("SIMILE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/cache/corpus"))
}

fn sqlite_pair(c: &mut Criterion) {
    let root = corpus();
    let paths = [
        root.join("libsqlite3-sys-0.24.2/sqlite3/sqlite3.c"),
        root.join("libsqlite3-sys-0.30.1/sqlite3/sqlite3.c"),
    ];
    if !paths.iter().all(|p| p.exists()) {
        eprintln!(
            "structure bench: sqlite3.c pair not found under {} (set SIMILE_CORPUS); skipped",
            root.display()
        );
        return;
    }
    let options = ReadOptions::default();
    let a = read_source(&paths[0], &options).expect("readable");
    let b = read_source(&paths[1], &options).expect("readable");
    let align = AlignConfig::default();
    let variants = [
        ("tokens-only", CompareOptions::tokens_only(align)),
        (
            "structure",
            CompareOptions {
                licenses: false,
                ..CompareOptions::full(align)
            },
        ),
        ("full", CompareOptions::full(align)),
    ];
    let mut group = c.benchmark_group("sqlite3.c 3.38 vs 3.46");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for (name, opts) in variants {
        group.bench_function(name, |bench| {
            bench.iter(|| compare_with(&a, &b, &opts));
        });
    }
    group.finish();
}

criterion_group!(benches, sqlite_pair);
criterion_main!(benches);
