//! Query latency of corpus search against an in-memory index (warm: candidate files cached).
//!
//! The corpus is the newer trees of the registry corpora (OpenSSL 3.6, Django 5.1, zstd 1.5.7,
//! SQLite 3.46, zlib/zlib-ng) under `$SIMILE_CORPUS` (default `/work/cache/corpus`; fetch it
//! with `bench/fetch-corpus.sh`), about 8,000 files; without it, a generated corpus of 4,000
//! C files. Queries are files of the older versions: a 2,000-line C file, a 2,600-line Python
//! file and a 158-line C file.
//!
//!     cargo bench -p simile --bench find

use criterion::{Criterion, criterion_group, criterion_main};
use simile::fingerprint::FingerprintConfig;
use simile::lex::tokenize;
use simile::search::{
    BaseCode, MemoryIndex, PostingsSource, SearchOptions, Searcher, candidates, index_fingerprints,
};
use simile::source::walk::{WalkOptions, walk};
use simile::source::{ReadOptions, SourceFile, read_source};
use std::path::{Path, PathBuf};

/// The `simile` binary's allocator (crates/simile-cli/src/main.rs), so the benchmark times what
/// users run.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

struct Corpus {
    index: MemoryIndex,
    queries: Vec<(String, SourceFile)>,
    _generated: Option<tempfile::TempDir>,
}

fn corpus() -> Corpus {
    let root = PathBuf::from(
        std::env::var("SIMILE_CORPUS").unwrap_or_else(|_| "/work/cache/corpus".into()),
    );
    let trees = [
        "openssl-src-300.6.1+3.6.3/openssl",
        "django-5.1.15",
        "zstd-sys-2.1.3+zstd.1.5.7/zstd",
        "libsqlite3-sys-0.30.1",
        "libz-sys-1.1.31/src",
    ];
    let queries = [
        (
            "C, 2,027 lines",
            "openssl-src-111.28.2+1.1.1w/openssl/ssl/statem/extensions_clnt.c",
        ),
        (
            "Python, 2,600 lines",
            "django-4.2.30/django/db/models/query.py",
        ),
        (
            "C, 158 lines",
            "zstd-sys-1.4.20+zstd.1.4.9/zstd/lib/compress/zstd_compress_literals.c",
        ),
    ];
    let roots: Vec<PathBuf> = trees.iter().map(|t| root.join(t)).collect();
    if roots.iter().all(|r| r.is_dir()) && queries.iter().all(|(_, q)| root.join(q).is_file()) {
        let index = build(&roots);
        let queries = queries
            .iter()
            .map(|(label, q)| (label.to_string(), read(&root.join(q))))
            .collect();
        return Corpus {
            index,
            queries,
            _generated: None,
        };
    }
    eprintln!("no corpus at {}: using a generated one", root.display());
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for i in 0..4000 {
        std::fs::write(
            dir.path().join(format!("f{i}.c")),
            generated_file(&mut rng, 40),
        )
        .expect("write");
    }
    let query_path = dir.path().join("query.c");
    std::fs::write(&query_path, generated_file(&mut rng, 400)).expect("write");
    let small_path = dir.path().join("small.c");
    std::fs::write(&small_path, generated_file(&mut rng, 20)).expect("write");
    let index = build(&[dir.path().to_path_buf()]);
    Corpus {
        index,
        queries: vec![
            ("generated C, 2,000 lines".into(), read(&query_path)),
            ("generated C, 100 lines".into(), read(&small_path)),
        ],
        _generated: Some(dir),
    }
}

fn build(roots: &[PathBuf]) -> MemoryIndex {
    let options = WalkOptions::default();
    let found = walk(roots, &options).expect("walk");
    MemoryIndex::build(&found, &options, FingerprintConfig::default(), &|| {}).0
}

fn read(path: &Path) -> SourceFile {
    read_source(path, &ReadOptions::default()).expect("query")
}

/// A C file of `functions` small functions drawn from a few shapes and many names.
fn generated_file(rng: &mut u64, functions: usize) -> String {
    let mut next = || {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        *rng
    };
    let mut out = String::new();
    for _ in 0..functions {
        let (f, a, b) = (next() % 5000, next() % 300, next() % 300);
        out.push_str(&format!(
            "int fn_{f}(int v{a}, int w{b}) {{\n    int acc = v{a} * {a} + w{b};\n    for (int i = 0; i < {b}; i++) {{\n        acc ^= (acc << 3) + i * {f};\n    }}\n"
        ));
        out.push_str("    return acc;\n}\n\n");
    }
    out
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let stats = corpus.index.stats();
    eprintln!(
        "index: {} files, {} postings, {} distinct fingerprints",
        stats.files, stats.postings, stats.distinct_fingerprints
    );
    let base = BaseCode::none();
    let searcher = Searcher::new(&corpus.index, SearchOptions::default(), &base);
    let mut group = c.benchmark_group("find");
    group.sample_size(20);
    for (label, query) in &corpus.queries {
        let tokens = tokenize(query);
        let fps = index_fingerprints(&tokens.tokens, &corpus.index.fingerprint_config());
        let mut scratch = searcher.scratch();
        group.bench_function(format!("candidates/{label}"), |b| {
            b.iter(|| {
                candidates::count_candidates(
                    &corpus.index,
                    &fps,
                    searcher.max_df(),
                    searcher.verify_count(),
                    &mut scratch,
                )
            })
        });
        group.bench_function(format!("search top 10/{label}"), |b| {
            b.iter(|| searcher.search(query, &tokens, &mut scratch))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
