//! The index against the engine, on real source trees: the repository's own Rust sources, and
//! C and Python from the registry corpora (`$SIMILE_CORPUS`, default /work/cache/corpus; see
//! ../shared/corpus/fetch.sh) when present.

use simile::search::{PostingsSource, index_fingerprints};
use simile::source::{ReadOptions, read_source};
use simile_index::{
    BuildOptions, Index, IndexError, NoProgress, Phase, Progress, UpdateOptions, build, check,
    content_digest, update,
};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::atomic::{AtomicBool, AtomicU64};

fn repo_sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../simile/src")
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("SIMILE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/cache/corpus"));
    let found = dir.join("zstd-sys-2.1.3+zstd.1.5.7").is_dir();
    if !found {
        eprintln!(
            "note: registry corpus not found at {}; C and Python trees left out",
            dir.display()
        );
    }
    found.then_some(dir)
}

fn copy_tree(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A tree of several languages: the engine's Rust sources, plus zstd's C and part of
/// Django's Python when the corpus is present.
fn mixed_tree(dst: &Path) {
    copy_tree(&repo_sources(), &dst.join("rust"));
    if let Some(c) = corpus() {
        copy_tree(
            &c.join("zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/common"),
            &dst.join("zstd/common"),
        );
        copy_tree(
            &c.join("zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/decompress"),
            &dst.join("zstd/decompress"),
        );
        copy_tree(
            &c.join("django-5.1.15/django/db/models/sql"),
            &dst.join("django/sql"),
        );
    }
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        roots: vec![root.to_path_buf()],
        ..BuildOptions::default()
    }
}

fn digest_of(index: &Path) -> u64 {
    content_digest(&Index::open(index).unwrap()).unwrap()
}

/// Digest of a fresh build of `root` into a scratch directory.
fn fresh_digest(root: &Path) -> u64 {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("fresh.simile");
    build(&path, &options(root), &NoProgress).unwrap();
    digest_of(&path)
}

/// Every answer of `index` (count and files, for limits below, at and above each count) equals
/// what the engine computes from the files on disk.
fn assert_answers_match_files(index: &Index) {
    let config = index.fingerprint_config();
    let mut expected: HashMap<u64, Vec<PathBuf>> = HashMap::new();
    for id in 0..index.file_count() as u32 {
        let Some(file) = index.file(id) else { continue };
        let source = read_source(&file.path, &ReadOptions::default()).unwrap();
        for h in index_fingerprints(&simile::lex::tokenize(&source).tokens, &config) {
            expected.entry(h).or_default().push(file.path.clone());
        }
    }
    let mut ids = Vec::new();
    for (hash, paths) in &mut expected {
        paths.sort();
        let n = paths.len();
        for limit in [0, n - 1, n, usize::MAX] {
            ids.clear();
            ids.push(u32::MAX); // appended to, never cleared
            assert_eq!(index.postings(*hash, limit, &mut ids), n, "{hash:016x}");
            assert_eq!(ids.remove(0), u32::MAX);
            if limit < n {
                assert!(ids.is_empty());
            } else {
                let mut got: Vec<PathBuf> =
                    ids.iter().map(|&id| index.file(id).unwrap().path).collect();
                got.sort();
                assert_eq!(&got, paths, "{hash:016x}");
            }
        }
    }
    assert!(index.integrity_error().is_none());
}

fn live_paths(index: &Index) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = (0..index.file_count() as u32)
        .filter_map(|id| index.file(id).map(|f| f.path))
        .collect();
    v.sort();
    v
}

#[test]
fn stores_exactly_the_engines_fingerprints() {
    let tree = tempfile::tempdir().unwrap();
    mixed_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    let summary = build(&path, &options(tree.path()), &NoProgress).unwrap();
    assert!(summary.files >= 20, "{}", summary.files);
    let index = Index::open(&path).unwrap();
    let config = index.fingerprint_config();

    // The inverted index computed directly from the engine.
    let mut expected: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut languages = std::collections::BTreeSet::new();
    for id in 0..index.file_count() as u32 {
        let file = index.file(id).expect("a fresh build has no removed files");
        let source = read_source(&file.path, &ReadOptions::default()).unwrap();
        let hashes = index_fingerprints(&simile::lex::tokenize(&source).tokens, &config);
        assert_eq!(file.content_hash, source.content_hash);
        assert_eq!(file.size, source.size);
        assert_eq!(file.language, source.language);
        assert_eq!(file.fingerprints as usize, hashes.len());
        assert_eq!(file.name, simile::source::display_path(&file.path));
        assert_eq!(index.fingerprint_count(id), Some(file.fingerprints));
        languages.insert(file.language);
        for h in hashes {
            expected.entry(h).or_default().push(id);
        }
    }
    if corpus().is_some() {
        assert!(languages.len() >= 3, "{languages:?}");
    }
    let mut out_ids = Vec::new();
    let mut shared = 0;
    for (hash, ids) in &expected {
        out_ids.clear();
        assert_eq!(index.postings(*hash, usize::MAX, &mut out_ids), ids.len());
        assert_eq!(&out_ids, ids, "{hash:016x}");
        if ids.len() > 1 {
            shared += 1;
            // Above the limit: counted, not listed.
            out_ids.clear();
            assert_eq!(
                index.postings(*hash, ids.len() - 1, &mut out_ids),
                ids.len()
            );
            assert!(out_ids.is_empty());
        }
    }
    assert!(shared > 0, "the tree shares some code between files");
    // Absent fingerprints.
    for h in [0u64, 1, u64::MAX, 0x1234_5678_9abc_def0] {
        if !expected.contains_key(&h) {
            assert_eq!(index.postings(h, 10, &mut out_ids), 0);
        }
    }
    assert!(index.integrity_error().is_none());
    let report = check(&path).unwrap();
    assert_eq!(
        report.postings as usize,
        expected.values().map(Vec::len).sum::<usize>()
    );
    assert_eq!(report.fingerprints as usize, expected.len());
}

#[test]
fn a_small_memory_budget_gives_the_same_index() {
    let tree = tempfile::tempdir().unwrap();
    mixed_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let small = out.path().join("small.simile");
    let opts = BuildOptions {
        memory: 16 << 10,
        ..options(tree.path())
    };
    build(&small, &opts, &NoProgress).unwrap();
    let index = Index::open(&small).unwrap();
    assert_eq!(
        index.manifest().segments.len(),
        1,
        "runs are merged into one segment"
    );
    assert!(
        index.manifest().segments[0].id > 2,
        "several runs were spilled"
    );
    check(&small).unwrap();
    assert_eq!(content_digest(&index).unwrap(), fresh_digest(tree.path()));
    // Leftover runs are gone.
    let names: Vec<String> = fs::read_dir(&small)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
}

/// The files of an index named by id: `(segment and catalog file name, bytes)`, sorted.
fn index_files(index: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".sgm") || name.ends_with(".cat")
        })
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn chunks_finishing_out_of_order_give_the_same_index() {
    // Files are fingerprinted several chunks (2,048 files) at a time and pushed in order
    // however the chunks finish. 7,000 files make four chunks; a large file first makes the
    // first chunk the slowest, so later chunks finish before it.
    let tree = tempfile::tempdir().unwrap();
    let big: String = (0..20_000)
        .map(|i| format!("int big_{i}(int x) {{ return x * {i} + {}; }}\n", i % 7))
        .collect();
    fs::write(tree.path().join("a-big.c"), big).unwrap();
    for i in 0..7_000 {
        let dir = tree.path().join(format!("d{:02}", i / 500));
        fs::create_dir_all(&dir).unwrap();
        let shared = if i % 3 == 0 {
            "static int shared(int *v, int n) { int s = 0; for (int k = 0; k < n; k++) { s += v[k] * 3; } return s; }\n"
        } else {
            ""
        };
        let text = format!(
            "{shared}int own_{i}(int a, int b) {{ int c = a * {i} - b; while (c > {i}) {{ c -= b + {}; }} return c; }}\n",
            i % 11
        );
        fs::write(dir.join(format!("f{i:05}.c")), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    // A small run buffer: runs are spilled while later chunks are fingerprinted.
    let opts = BuildOptions {
        memory: 64 << 10,
        ..options(tree.path())
    };
    let build_on = |threads: Option<usize>| {
        let path = out.path().join(format!("{threads:?}.simile"));
        let run = || build(&path, &opts, &NoProgress).unwrap();
        let summary = match threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(run),
            // From outside any pool, as the command line calls it.
            None => run(),
        };
        assert_eq!(summary.files, 7_001);
        path
    };
    let reference = build_on(None);
    let index = Index::open(&reference).unwrap();
    assert!(
        index.manifest().segments[0].id > 4,
        "several runs were spilled"
    );
    // Ids follow the walk's order (by path): chunk after chunk, file after file.
    let paths: Vec<PathBuf> = (0..index.file_count() as u32)
        .map(|id| index.file(id).unwrap().path)
        .collect();
    assert!(paths.windows(2).all(|w| w[0] < w[1]));
    assert!(paths[0].ends_with("a-big.c"));
    assert_answers_match_files(&index);
    let expected = index_files(&reference);
    for threads in [1, 2, 4] {
        assert!(
            index_files(&build_on(Some(threads))) == expected,
            "{threads} threads"
        );
    }
}

/// Progress that asks the writer to stop once `phase_to_stop` has started and `after_files`
/// files are read, and counts the work done: files read, postings merged.
struct StopIn {
    phase_to_stop: fn(&Phase) -> bool,
    after_files: u64,
    stopping: AtomicBool,
    files_done: AtomicU64,
    postings_merged: AtomicU64,
    merging: AtomicBool,
}

impl StopIn {
    fn new(phase_to_stop: fn(&Phase) -> bool, after_files: u64) -> StopIn {
        StopIn {
            phase_to_stop,
            after_files,
            stopping: Default::default(),
            files_done: Default::default(),
            postings_merged: Default::default(),
            merging: Default::default(),
        }
    }
}

impl Progress for StopIn {
    fn phase(&self, phase: Phase) {
        self.merging
            .store(matches!(phase, Phase::Merging { .. }), SeqCst);
        if (self.phase_to_stop)(&phase) {
            self.stopping.store(true, SeqCst);
        }
    }

    fn advance(&self, amount: u64) {
        if self.merging.load(SeqCst) {
            self.postings_merged.fetch_add(amount, SeqCst);
        } else {
            self.files_done.fetch_add(1, SeqCst);
        }
    }

    fn cancelled(&self) -> bool {
        self.stopping.load(SeqCst) && self.files_done.load(SeqCst) >= self.after_files
    }
}

#[test]
fn a_writer_asked_to_stop_stops_between_chunks_and_batches_and_deletes_its_files() {
    // 10,000 files: five chunks of 2,048, three in flight, so a stop asked during the first
    // chunk leaves the last ones unread; a small run buffer spills runs, and the final merge
    // passes over 64K postings (more than one batch).
    let tree = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        let dir = tree.path().join(format!("d{:02}", i / 500));
        fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "int own_{i}(int a, int b) {{ int c = a * {i} - b; while (c > {i}) {{ c -= b + {}; }} if (c < b) {{ c = own_{i}(c, a - {i}); }} return c * {}; }}\n",
            i % 11,
            i % 13
        );
        fs::write(dir.join(format!("f{i:05}.c")), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        memory: 64 << 10,
        ..options(tree.path())
    };
    let only_lock = |index: &Path| {
        let names: Vec<_> = fs::read_dir(index)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["LOCK"], "what the writer wrote is deleted");
    };

    let index = out.path().join("indexing.simile");
    let progress = StopIn::new(|p| matches!(p, Phase::Indexing { .. }), 1);
    let err = build(&index, &opts, &progress).unwrap_err();
    assert!(matches!(err, IndexError::Interrupted), "{err}");
    let read = progress.files_done.load(SeqCst);
    assert!(read < 10_000, "stopped before reading every file: {read}");
    only_lock(&index);

    let index = out.path().join("merging.simile");
    let progress = StopIn::new(|p| matches!(p, Phase::Merging { .. }), 0);
    let err = build(&index, &opts, &progress).unwrap_err();
    assert!(matches!(err, IndexError::Interrupted), "{err}");
    assert_eq!(progress.files_done.load(SeqCst), 10_000);
    let merged = progress.postings_merged.load(SeqCst);
    assert_eq!(merged, 0, "stopped at the first batch of the merge");
    only_lock(&index);

    // Asked at the commit, it commits nothing either; not asked, the same build succeeds.
    let index = out.path().join("committing.simile");
    let progress = StopIn::new(|p| matches!(p, Phase::Committing), 0);
    let err = build(&index, &opts, &progress).unwrap_err();
    assert!(matches!(err, IndexError::Interrupted), "{err}");
    only_lock(&index);
    build(&index, &opts, &NoProgress).unwrap();
    assert_eq!(digest_of(&index), fresh_digest(tree.path()));
}

#[test]
fn update_picks_up_added_changed_touched_and_removed_files() {
    let tree = tempfile::tempdir().unwrap();
    mixed_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    let before = Index::open(&path).unwrap();
    let files_before = before.stats().files;

    let rust = tree.path().join("rust");
    // added: a new file with real code
    fs::copy(rust.join("lib.rs"), rust.join("lib_copy.rs")).unwrap();
    // changed: new content
    let compare = rust.join("compare.rs");
    let mut text = fs::read_to_string(&compare).unwrap();
    text.push_str("\npub fn added_later(x: u32) -> u32 { let y = x * 3 + 1; if y > 10 { y - 10 } else { y } }\n");
    fs::write(&compare, text).unwrap();
    // touched: same content, newer mtime
    let touched = rust.join("source/lines.rs");
    let f = fs::File::options().write(true).open(&touched).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    // removed: deleted, and turned binary (now skipped)
    fs::remove_file(rust.join("source/decode.rs")).unwrap();
    fs::write(rust.join("source/language.rs"), b"\x7fELF\0\0binary now").unwrap();

    let summary = update(&path, &UpdateOptions::default(), &NoProgress).unwrap();
    assert!(summary.committed);
    assert_eq!(
        (
            summary.added,
            summary.changed,
            summary.touched,
            summary.removed
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(
        summary.indexed, 2,
        "only the new and changed files are fingerprinted"
    );
    assert_eq!(summary.files, files_before + 1 - 2);
    assert_eq!(summary.skipped.len(), 1);
    check(&path).unwrap();
    assert_eq!(digest_of(&path), fresh_digest(tree.path()));

    // The snapshot opened before the update still answers as before.
    assert_eq!(before.stats().files, files_before);
    assert!(live_paths(&before).contains(&rust.join("source/decode.rs")));
    let after = Index::open(&path).unwrap();
    assert!(!live_paths(&after).contains(&rust.join("source/decode.rs")));
    assert!(live_paths(&after).contains(&rust.join("lib_copy.rs")));

    // Nothing changed: no new commit.
    let again = update(&path, &UpdateOptions::default(), &NoProgress).unwrap();
    assert!(!again.committed);
    assert_eq!(again.unchanged, summary.files);
    assert_eq!(
        Index::open(&path).unwrap().manifest().generation,
        summary.generation
    );
}

#[test]
fn many_updates_keep_few_segments_and_exact_answers() {
    let tree = tempfile::tempdir().unwrap();
    let src = repo_sources();
    let files: Vec<PathBuf> = walk_files(&src);
    assert!(files.len() >= 20);
    // Start with a third of the files, then add, change and remove a few at each update.
    let place = |i: usize, variant: usize| {
        let rel = files[i].strip_prefix(&src).unwrap();
        let target = tree.path().join(format!("{rel}", rel = rel.display()));
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut text = fs::read_to_string(&files[i]).unwrap();
        if variant > 0 {
            text.push_str(&format!(
                "\nfn variant_{variant}() -> usize {{ {variant} * 2 + {i} }}\n"
            ));
        }
        fs::write(&target, text).unwrap();
        target
    };
    let third = files.len() / 3;
    for i in 0..third {
        place(i, 0);
    }
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    let small = UpdateOptions {
        memory: 8 << 10,
        compact: false,
    };
    let mut max_segments = 0;
    let mut rounds_with_removed_postings = 0;
    for round in 1..=8 {
        for i in 0..3 {
            let n = third + (round - 1) * 3 + i;
            if n < files.len() {
                place(n, 0);
            }
        }
        place(round % third, round); // changed
        let victim = tree
            .path()
            .join(files[(round * 7) % third].strip_prefix(&src).unwrap());
        let _ = fs::remove_file(victim);
        update(&path, &small, &NoProgress).unwrap();
        let index = Index::open(&path).unwrap();
        max_segments = max_segments.max(index.manifest().segments.len());
        check(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_answers_match_files(&index);
        let stats = index.stats();
        rounds_with_removed_postings += usize::from(stats.stored_postings > stats.postings);
        assert_eq!(
            content_digest(&index).unwrap(),
            fresh_digest(tree.path()),
            "round {round}"
        );
    }
    assert!((2..=8).contains(&max_segments), "{max_segments}");
    assert!(
        rounds_with_removed_postings > 0,
        "counting around removed files was exercised"
    );

    // The rounds may end on one segment (their sizes follow this repository's sources): a
    // file changed once more makes a small new one, so the compaction has work to do.
    place(0, 99);
    update(&path, &small, &NoProgress).unwrap();
    let before = Index::open(&path).unwrap().manifest().segments.len();
    assert!(before >= 2, "{before} segments before compacting");
    let compact = UpdateOptions {
        compact: true,
        ..UpdateOptions::default()
    };
    let summary = update(&path, &compact, &NoProgress).unwrap();
    assert!(summary.committed);
    let index = Index::open(&path).unwrap();
    assert_eq!(index.manifest().segments.len(), 1);
    assert_eq!(
        index.file_count() as u64,
        index.stats().files,
        "ids renumbered densely"
    );
    assert_eq!(index.stats().postings, index.stats().stored_postings);
    check(&path).unwrap();
    assert_eq!(content_digest(&index).unwrap(), fresh_digest(tree.path()));
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn counts_skip_removed_files_until_merged() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo_sources(), tree.path());
    // Three identical copies of one file.
    let original = tree.path().join("compare.rs");
    for name in ["copy1.rs", "copy2.rs"] {
        fs::copy(&original, tree.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    let index = Index::open(&path).unwrap();
    let source = read_source(&original, &ReadOptions::default()).unwrap();
    let hashes = index_fingerprints(
        &simile::lex::tokenize(&source).tokens,
        &index.fingerprint_config(),
    );
    // A fingerprint only these three files hold.
    let mut ids = Vec::new();
    let unique = *hashes
        .iter()
        .find(|&&h| {
            ids.clear();
            index.postings(h, usize::MAX, &mut ids) == 3
        })
        .expect("a fingerprint of compare.rs alone");

    fs::remove_file(tree.path().join("copy1.rs")).unwrap();
    update(&path, &UpdateOptions::default(), &NoProgress).unwrap();
    let index = Index::open(&path).unwrap();
    assert_eq!(
        index.manifest().segments.len(),
        1,
        "a small removal does not merge"
    );
    assert_eq!(
        index.stats().stored_postings - index.stats().postings,
        hashes.len() as u64
    );
    let mut ids = Vec::new();
    assert_eq!(
        index.postings(unique, 1, &mut ids),
        2,
        "the removed copy is not counted"
    );
    assert!(ids.is_empty());
    assert_eq!(index.postings(unique, 2, &mut ids), 2);
    let names: Vec<String> = ids.iter().map(|&id| index.file(id).unwrap().name).collect();
    assert!(
        names[0].ends_with("compare.rs") && names[1].ends_with("copy2.rs"),
        "{names:?}"
    );
    check(&path).unwrap();
}

#[test]
fn a_second_writer_is_refused() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo_sources().join("source"), tree.path());
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    let held = simile_index::store::WriterLock::acquire(&path).unwrap();
    let err = update(&path, &UpdateOptions::default(), &NoProgress).unwrap_err();
    assert!(matches!(err, IndexError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("locked by another writer"));
    let err = build(&path, &options(tree.path()), &NoProgress).unwrap_err();
    assert!(matches!(err, IndexError::Locked { .. }), "{err}");
    // Readers are not writers.
    Index::open(&path).unwrap();
    check(&path).unwrap();
    drop(held);
    update(&path, &UpdateOptions::default(), &NoProgress).unwrap();
}

#[test]
fn an_index_inside_its_root_does_not_index_itself() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo_sources().join("fingerprint"), tree.path());
    let path = tree.path().join("self.simile");
    let first = build(&path, &options(tree.path()), &NoProgress).unwrap();
    let second = build(&path, &options(tree.path()), &NoProgress).unwrap();
    assert_eq!(first.files, second.files);
    assert!(second.skipped.is_empty(), "{:?}", second.skipped);
    let index = Index::open(&path).unwrap();
    assert!(live_paths(&index).iter().all(|p| !p.starts_with(&path)));
    assert!(
        !update(&path, &UpdateOptions::default(), &NoProgress)
            .unwrap()
            .committed
    );
}

/// A built index of the repository's `source/` module, for damage tests.
fn small_index() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo_sources().join("source"), tree.path());
    copy_tree(&repo_sources().join("align"), &tree.path().join("align"));
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    (tree, out, path)
}

fn file_named(dir: &Path, prefix: &str) -> PathBuf {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

#[test]
fn a_damaged_block_is_never_read_as_postings() {
    let (_tree, _out, path) = small_index();
    let index = Index::open(&path).unwrap();
    // Every (hash, ids) answer of the intact index.
    let mut answers = Vec::new();
    for id in index.live_ids().collect::<Vec<_>>() {
        let f = index.file(id).unwrap();
        let s = read_source(&f.path, &ReadOptions::default()).unwrap();
        for h in index_fingerprints(
            &simile::lex::tokenize(&s).tokens,
            &index.fingerprint_config(),
        ) {
            let mut ids = Vec::new();
            let n = index.postings(h, usize::MAX, &mut ids);
            answers.push((h, n, ids));
        }
    }
    drop(index);
    let seg = file_named(&path, "seg-");
    let good = fs::read(&seg).unwrap();
    // Flip a bit in the middle of the key blocks.
    let mut bad = good.clone();
    let at = good.len() / 3;
    bad[at] ^= 0x20;
    fs::write(&seg, &bad).unwrap();
    let index = Index::open(&path).expect("opening checks the frame, not every block");
    let mut wrong = 0;
    for (h, n, ids) in &answers {
        let mut got = Vec::new();
        let m = index.postings(*h, usize::MAX, &mut got);
        if (m, &got) != (*n, ids) {
            wrong += 1;
            // What differs is missing, never invented.
            assert!(got.iter().all(|d| ids.contains(d)));
        }
    }
    assert!(wrong > 0, "the damaged block was looked up");
    let err = index.integrity_error().expect("the damage is reported");
    assert_eq!(index.failure(), Some(err.to_string()));
    assert!(matches!(err, IndexError::Corrupt { .. }));
    assert!(err.to_string().contains("seg-"), "{err}");
    let err = check(&path).unwrap_err();
    assert!(matches!(err, IndexError::Corrupt { .. }), "{err}");
}

#[test]
fn damaged_truncated_foreign_and_other_version_files_are_refused() {
    let (tree, _out, path) = small_index();
    let seg = file_named(&path, "seg-");
    let cat = file_named(&path, "files-");
    let manifest = path.join("MANIFEST");
    let originals: Vec<(PathBuf, Vec<u8>)> = [&seg, &cat, &manifest]
        .iter()
        .map(|p| (p.to_path_buf(), fs::read(p).unwrap()))
        .collect();
    let restore = || {
        for (p, b) in &originals {
            fs::write(p, b).unwrap();
        }
    };
    let expect = |what: &str, check_only: bool, pred: &dyn Fn(&IndexError) -> bool| {
        let err = if check_only {
            check(&path).unwrap_err()
        } else {
            match Index::open(&path) {
                Ok(_) => panic!("{what}: opened"),
                Err(e) => e,
            }
        };
        assert!(pred(&err), "{what}: {err}");
        let msg = err.to_string();
        assert!(
            msg.contains("i.simile"),
            "{what}: the message names the index: {msg}"
        );
    };
    let corrupt = |e: &IndexError| matches!(e, IndexError::Corrupt { .. });

    // Truncated segment and catalog.
    for (p, b) in &originals[..2] {
        fs::write(p, &b[..b.len() - 100]).unwrap();
        expect("truncated", false, &corrupt);
        restore();
    }
    // A flipped bit in the catalog, the segment footer, the manifest.
    for (p, offset) in [(&cat, 100usize), (&seg, originals[0].1.len() - 20)] {
        let mut b = fs::read(p).unwrap();
        b[offset] ^= 1;
        fs::write(p, b).unwrap();
        expect("flipped", false, &corrupt);
        restore();
    }
    let mut b = originals[2].1.clone();
    let mid = b.len() / 2;
    b[mid] ^= 1;
    fs::write(&manifest, b).unwrap();
    expect("manifest flipped", false, &corrupt);
    restore();
    // A segment replaced by another file of the same size.
    fs::write(&seg, vec![b'x'; originals[0].1.len()]).unwrap();
    expect("foreign segment", false, &corrupt);
    restore();
    // Other versions.
    let mut b = originals[2].1.clone();
    b[8] = 99;
    fs::write(&manifest, b).unwrap();
    expect("manifest version", false, &|e| {
        matches!(e, IndexError::Version { found: 99, .. })
    });
    restore();
    let mut b = originals[0].1.clone();
    b[8] = 2;
    fs::write(&seg, b).unwrap();
    expect("segment version", false, &|e| {
        matches!(e, IndexError::Version { found: 2, .. })
    });
    restore();
    // A missing segment.
    fs::remove_file(&seg).unwrap();
    expect("missing", false, &corrupt);
    restore();
    // A bit flipped in a block: open succeeds, check finds it.
    let mut b = originals[0].1.clone();
    b[200] ^= 4;
    fs::write(&seg, b).unwrap();
    expect("block", true, &corrupt);
    restore();
    check(&path).unwrap();

    // Not an index at all.
    for target in [
        manifest.clone(),
        seg.clone(),
        path.parent().unwrap().to_path_buf(),
    ] {
        let err = Index::open(&target).err().unwrap();
        assert!(matches!(err, IndexError::NotAnIndex { .. }), "{err}");
    }
    let err = Index::open(path.join("nope")).err().unwrap();
    assert!(matches!(err, IndexError::NotFound { .. }));
    // Fingerprints of another simile: a well-formed manifest whose canary differs.
    let mut m = simile_index::format::manifest::decode(&originals[2].1, &manifest).unwrap();
    m.fingerprint_canary ^= 1;
    m.created_by = "simile 0.0.1".into();
    fs::write(&manifest, simile_index::format::manifest::encode(&m)).unwrap();
    expect("canary", false, &|e| matches!(e, IndexError::Stale { .. }));
    let err = update(&path, &UpdateOptions::default(), &NoProgress).unwrap_err();
    assert!(matches!(err, IndexError::Stale { .. }));
    assert!(err.to_string().contains("simile 0.0.1"), "{err}");
    restore();

    // A damaged index, or one of another version, is rebuilt in place, as the errors say.
    fs::write(&cat, b"garbage").unwrap();
    assert!(matches!(
        Index::open(&path),
        Err(IndexError::Corrupt { .. })
    ));
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    check(&path).unwrap();
    let mut b = fs::read(&manifest).unwrap();
    b[8] = 7;
    fs::write(&manifest, b).unwrap();
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    check(&path).unwrap();
}

#[test]
fn build_refuses_to_overwrite_what_is_not_an_index() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo_sources().join("fingerprint"), tree.path());
    // A source directory given as the output by mistake.
    let err = build(tree.path(), &options(tree.path()), &NoProgress).unwrap_err();
    assert!(matches!(err, IndexError::WouldOverwrite { .. }), "{err}");
    assert!(tree.path().join("mod.rs").exists());
    let file = tree.path().join("mod.rs");
    let err = build(&file, &options(tree.path()), &NoProgress).unwrap_err();
    assert!(matches!(err, IndexError::WouldOverwrite { .. }), "{err}");
    // A missing root.
    let out = tempfile::tempdir().unwrap();
    let err = build(
        &out.path().join("i.simile"),
        &options(&tree.path().join("missing")),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(err, IndexError::Root { .. }), "{err}");
    assert!(err.to_string().contains("missing"));
}

#[test]
fn removing_every_file_of_a_segment_drops_the_segment() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo_sources(), &tree.path().join("a"));
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("i.simile");
    build(&path, &options(tree.path()), &NoProgress).unwrap();
    let before = digest_of(&path);
    // Small next to the base: kept as its own segment.
    copy_tree(&repo_sources().join("fingerprint"), &tree.path().join("b"));
    update(&path, &UpdateOptions::default(), &NoProgress).unwrap();
    assert_eq!(Index::open(&path).unwrap().manifest().segments.len(), 2);
    fs::remove_dir_all(tree.path().join("b")).unwrap();
    let summary = update(&path, &UpdateOptions::default(), &NoProgress).unwrap();
    assert_eq!(summary.merged_segments, 1);
    let index = Index::open(&path).unwrap();
    assert_eq!(
        index.manifest().segments.len(),
        1,
        "no empty segment is kept"
    );
    check(&path).unwrap();
    assert_eq!(content_digest(&index).unwrap(), before);
}
