//! Index benchmarks on real trees: build throughput, open, and postings lookups.
//!
//! The trees come from the registry corpora (`$SIMILE_CORPUS`, default /work/cache/corpus;
//! fetched by ../shared/corpus/fetch.sh): zstd 1.5.7's C sources for builds, zstd 1.4.9 and
//! 1.5.7 plus OpenSSL 3 for lookups. Without the corpus, the repository's own sources are used.
//! Whole-command numbers at scale (1 GB, 97,000 files) come from bench/index-bench.sh.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use simile::search::{PostingsSource, index_fingerprints};
use simile_index::{BuildOptions, Index, NoProgress, build};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("SIMILE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/cache/corpus"));
    dir.join("zstd-sys-2.1.3+zstd.1.5.7")
        .is_dir()
        .then_some(dir)
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tree_bytes(roots: &[PathBuf]) -> u64 {
    let walk = simile::source::walk::walk(roots, &Default::default()).expect("walk");
    walk.files.iter().map(|f| f.size).sum()
}

fn bench_build(c: &mut Criterion) {
    let roots = match corpus() {
        Some(c) => vec![c.join("zstd-sys-2.1.3+zstd.1.5.7/zstd/lib")],
        None => vec![repo()],
    };
    let bytes = tree_bytes(&roots);
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("b.simile");
    let options = BuildOptions {
        roots,
        ..BuildOptions::default()
    };
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("zstd-1.5.7-lib", |b| {
        b.iter(|| build(&path, &options, &NoProgress).expect("build"))
    });
    group.finish();
}

fn bench_lookups(c: &mut Criterion) {
    let (roots, query) = match corpus() {
        Some(c) => (
            vec![
                c.join("zstd-sys-1.4.20+zstd.1.4.9"),
                c.join("zstd-sys-2.1.3+zstd.1.5.7"),
                c.join("openssl-src-300.6.1+3.6.3"),
            ],
            c.join("zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/decompress/huf_decompress.c"),
        ),
        None => (vec![repo()], repo().join("simile/src/compare.rs")),
    };
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("l.simile");
    let options = BuildOptions {
        roots,
        ..BuildOptions::default()
    };
    build(&path, &options, &NoProgress).expect("build");
    let index = Index::open(&path).expect("open");
    let source = simile::source::read_source(&query, &Default::default()).expect("query");
    let hashes = index_fingerprints(
        &simile::lex::tokenize(&source).tokens,
        &index.fingerprint_config(),
    );
    let max_df = ((index.file_count() as f64).sqrt() as usize).max(10);

    let mut group = c.benchmark_group("lookup");
    group.throughput(Throughput::Elements(hashes.len() as u64));
    let mut out_ids = Vec::new();
    group.bench_function("query-fingerprints", |b| {
        b.iter(|| {
            let mut n = 0;
            for &h in &hashes {
                out_ids.clear();
                n += index.postings(h, max_df, &mut out_ids);
            }
            n
        })
    });
    group.bench_function("count-only", |b| {
        b.iter(|| {
            let mut n = 0;
            for &h in &hashes {
                out_ids.clear();
                n += index.postings(h, 0, &mut out_ids);
            }
            n
        })
    });
    group.finish();
    c.bench_function("open", |b| b.iter(|| Index::open(&path).expect("open")));
}

criterion_group!(benches, bench_build, bench_lookups);
criterion_main!(benches);
