//! `find_clones` on zstd 1.4.9 + 1.5.7 `lib/` (173 C files, 5.5 MB, 827 candidate pairs): the
//! zstd corpus of `bench/clones-peers.sh`, where simile is measured against sim_c, jscpd, Dolos
//! and copydetect. The trees come from `$SIMILE_CORPUS` (default `/work/cache/corpus`; fetch
//! them with `scripts/fetch-corpus.sh`); without them, the real files of `tests/data`.
//!
//!     cargo bench -p simile --bench clones

use criterion::{Criterion, criterion_group, criterion_main};
use simile::clones::{CloneCorpus, CloneInput, CloneOptions, NoProgress, find_clones};
use simile::report::{ClonesMode, RootRole};
use simile::search::BaseCode;
use simile::source::walk::{WalkOptions, walk};
use std::path::PathBuf;

/// The `simile` binary's allocator (crates/simile-cli/src/main.rs), so the benchmark times what
/// users run.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The roots to look for clones in, and a label for them.
fn roots() -> (String, Vec<PathBuf>) {
    let corpus = PathBuf::from(
        std::env::var("SIMILE_CORPUS").unwrap_or_else(|_| "/work/cache/corpus".into()),
    );
    let zstd = [
        "zstd-sys-1.4.20+zstd.1.4.9/zstd/lib",
        "zstd-sys-2.1.3+zstd.1.5.7/zstd/lib",
    ]
    .map(|t| corpus.join(t));
    if zstd.iter().all(|r| r.is_dir()) {
        return ("zstd 1.4.9 + 1.5.7 lib/".into(), zstd.to_vec());
    }
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    ("tests/data (no corpus)".into(), vec![data])
}

fn bench(c: &mut Criterion) {
    let (label, roots) = roots();
    // Only .c and .h files of zstd, as the peers' benchmark has them.
    let walk_options = WalkOptions::default();
    let tree = walk(&roots, &walk_options).expect("the trees can be walked");
    let files: Vec<CloneInput> = tree
        .files
        .into_iter()
        .filter(|f| {
            let name = f.path.to_string_lossy();
            name.ends_with(".c") || name.ends_with(".h") || !label.starts_with("zstd")
        })
        .map(|file| CloneInput {
            file,
            root: 0,
            submission: None,
        })
        .collect();
    let corpus = CloneCorpus {
        mode: ClonesMode::All,
        roots: vec![("trees".into(), RootRole::Tree)],
        files,
        submissions: Vec::new(),
        walk: &walk_options,
        skipped: Vec::new(),
    };
    let options = CloneOptions::default();
    let mut group = c.benchmark_group("clones");
    group.sample_size(10);
    group.bench_function(format!("all pairs, 250 listed/{label}"), |b| {
        b.iter(|| find_clones(&corpus, &BaseCode::none(), &options, &NoProgress))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
