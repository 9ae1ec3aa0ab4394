//! `cargo bench -p simile --bench compare`: the pairwise pipeline (tokenize both sides, align,
//! build the report) on real pairs. The example pair lives in the repository; the zstd and
//! sqlite3.c pairs come from the registry corpora (`scripts/fetch-corpus.sh`, found through
//! `$SIMILE_CORPUS` or `~/.cache/simile-corpus`) and are skipped with a note when absent.
//! Whole-command timings against GNU diff and git are in `bench/compare.sh`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use simile::source::{ReadOptions, SourceFile, read_source};
use simile::{AlignConfig, compare};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// The `simile` binary's allocator (crates/simile-cli/src/main.rs), so the benchmark times what
/// users run.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("SIMILE_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/simile-corpus")))?;
    dir.is_dir().then_some(dir)
}

fn load(path: &Path) -> SourceFile {
    read_source(path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn pairs() -> Vec<(&'static str, PathBuf, PathBuf)> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut out = vec![(
        "zstd_double_fast.c (examples)",
        examples.join("zstd-1.4.9/zstd_double_fast.c"),
        examples.join("zstd-1.5.7/zstd_double_fast.c"),
    )];
    match corpus() {
        Some(c) => {
            out.push((
                "zstd_compress.c 1.4.9 vs 1.5.7",
                c.join("zstd-sys-1.4.20+zstd.1.4.9/zstd/lib/compress/zstd_compress.c"),
                c.join("zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/compress/zstd_compress.c"),
            ));
            out.push((
                "sqlite3.c 3.38 vs 3.46",
                c.join("libsqlite3-sys-0.24.2/sqlite3/sqlite3.c"),
                c.join("libsqlite3-sys-0.30.1/sqlite3/sqlite3.c"),
            ));
        }
        None => eprintln!(
            "corpus not found: run scripts/fetch-corpus.sh for the zstd and sqlite3.c pairs"
        ),
    }
    out
}

fn bench_compare(c: &mut Criterion) {
    let config = AlignConfig::default();
    let mut group = c.benchmark_group("compare");
    for (name, a, b) in pairs() {
        let (a, b) = (load(&a), load(&b));
        group.throughput(Throughput::Bytes(a.size + b.size));
        if a.size > 1_000_000 {
            group.sample_size(10);
        }
        group.bench_function(name, |bench| {
            bench.iter(|| black_box(compare(&a, &b, &config)))
        });
    }
    group.finish();
}

fn bench_tokenize(c: &mut Criterion) {
    let Some(corpus) = corpus() else { return };
    let file = load(&corpus.join("libsqlite3-sys-0.30.1/sqlite3/sqlite3.c"));
    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(file.size));
    group.sample_size(20);
    group.bench_function("sqlite3.c", |b| {
        b.iter(|| black_box(simile::lex::tokenize(&file)))
    });
    group.finish();
}

criterion_group!(benches, bench_compare, bench_tokenize);
criterion_main!(benches);
