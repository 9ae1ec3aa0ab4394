//! `simile index`: end-to-end runs of the binary on real source trees (the repository's own
//! sources), including writers killed with SIGKILL at random moments, readers in other
//! processes during an update, and a second writer.

use simile_index::{BuildOptions, Index, NoProgress, content_digest};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SIMILE: &str = env!("CARGO_BIN_EXE_simile");

fn simile(args: &[&str]) -> Output {
    Command::new(SIMILE)
        .args(args)
        .env_remove("SIMILE_INDEX_CRASH_AT")
        .env_remove("SIMILE_INDEX_FAIL_AT")
        .env_remove("SIMILE_INDEX_STALL_AT")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_tree(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The Rust sources of every crate of the workspace: real code, some of it shared.
fn source_tree(dst: &Path) {
    for krate in ["simile", "simile-render", "simile-cli", "simile-index"] {
        copy_tree(&crates_dir().join(krate).join("src"), &dst.join(krate));
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn digest(index: &Path) -> Option<u64> {
    Index::open(index).ok().map(|i| content_digest(&i).unwrap())
}

/// The digest of a fresh build of `tree`: what any completed build or update must produce.
fn fresh_digest(tree: &Path) -> u64 {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("fresh.simile");
    let options = BuildOptions {
        roots: vec![tree.to_path_buf()],
        ..BuildOptions::default()
    };
    simile_index::build(&path, &options, &NoProgress).unwrap();
    digest(&path).unwrap()
}

#[test]
fn build_stats_check_update() {
    let tree = tempfile::tempdir().unwrap();
    source_tree(tree.path());
    fs::write(tree.path().join("blob.bin"), b"\x00\x01binary").unwrap();
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("corpus.simile");

    let o = simile(&["index", "build", s(tree.path()), "-o", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("simile: indexed ") && err.contains(" files ("),
        "{err}"
    );
    assert!(err.contains("skipped 1 files: 1 binary"), "{err}");
    assert!(o.stdout.is_empty());

    let o = simile(&["index", "stats", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    let stats = text(&o.stdout);
    for label in [
        "files ",
        "source ",
        "fingerprints ",
        "on disk ",
        "segments ",
        "rust ",
        "skipped ",
    ] {
        assert!(stats.contains(label), "{label}: {stats}");
    }

    let o = simile(&["index", "stats", s(&index), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = json["files"].as_u64().unwrap();
    assert!(files > 50, "{json}");
    assert_eq!(json["k"], 12);
    assert_eq!(json["skipped"]["binary"], 1);
    assert!(json["disk_to_source"].as_f64().unwrap() < 1.0, "{json}");
    assert_eq!(json["segments"].as_array().unwrap().len(), 1);

    let o = simile(&["index", "check", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("ok: "), "{}", text(&o.stdout));
    let o = simile(&["index", "check", s(&index), "-f", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["files"].as_u64(), Some(files));
    assert_eq!(
        report["content_digest"].as_str().unwrap(),
        format!("{:016x}", fresh_digest(tree.path()))
    );

    // Up to date, then one added and one removed file.
    let o = simile(&["index", "update", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).contains("already up to date"),
        "{}",
        text(&o.stderr)
    );
    fs::copy(
        tree.path().join("simile/lib.rs"),
        tree.path().join("simile/lib2.rs"),
    )
    .unwrap();
    fs::remove_file(tree.path().join("simile/compare.rs")).unwrap();
    let o = simile(&["index", "update", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    let err = text(&o.stderr);
    assert!(
        err.contains("updated to generation 2") && err.contains("1 added, 0 changed, 1 removed"),
        "{err}"
    );
    assert_eq!(digest(&index), Some(fresh_digest(tree.path())));

    // --quiet: nothing on stderr.
    let o = simile(&["--quiet", "index", "update", s(&index), "--compact"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    assert_eq!(digest(&index), Some(fresh_digest(tree.path())));
}

#[test]
fn walk_flags_are_recorded_and_reused_by_update() {
    let tree = tempfile::tempdir().unwrap();
    source_tree(tree.path());
    fs::create_dir(tree.path().join(".hidden")).unwrap();
    fs::copy(
        tree.path().join("simile/lib.rs"),
        tree.path().join(".hidden/h.rs"),
    )
    .unwrap();
    fs::write(
        tree.path().join("notes.txt"),
        "plain text notes, not rust\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let o = simile(&[
        "index",
        "build",
        s(tree.path()),
        "-o",
        s(&index),
        "--lang",
        "rust",
        "--hidden",
        "-k",
        "10",
        "-w",
        "5",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let ix = Index::open(&index).unwrap();
    let cfg = simile::search::PostingsSource::fingerprint_config(&ix);
    assert_eq!((cfg.k, cfg.w), (10, 5));
    let names: Vec<String> = ix
        .live_ids()
        .map(|id| simile::search::PostingsSource::file(&ix, id).unwrap().name)
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".hidden/h.rs")));
    assert!(names.iter().all(|n| n.ends_with(".rs")), "{names:?}");
    // A new hidden Rust file is picked up; a new text file is not.
    fs::copy(
        tree.path().join("simile/lib.rs"),
        tree.path().join(".hidden/h2.rs"),
    )
    .unwrap();
    fs::write(tree.path().join("more.txt"), "more notes\n").unwrap();
    let o = simile(&["index", "update", s(&index)]);
    assert!(text(&o.stderr).contains("1 added"), "{}", text(&o.stderr));
}

#[test]
fn errors_have_clear_messages_and_exit_codes() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&crates_dir().join("simile/src/source"), tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");

    let o = simile(&["index", "stats", s(&index)]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o.stderr).contains("no such index"),
        "{}",
        text(&o.stderr)
    );

    let file = tree.path().join("mod.rs");
    let o = simile(&["index", "stats", s(&file)]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o.stderr).contains("not a simile index"),
        "{}",
        text(&o.stderr)
    );

    let o = simile(&[
        "index",
        "build",
        s(&tree.path().join("nope")),
        "-o",
        s(&index),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("nope"));

    let o = simile(&["index", "build", s(tree.path()), "-o", s(tree.path())]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o.stderr).contains("refusing to overwrite"),
        "{}",
        text(&o.stderr)
    );

    let o = simile(&["index", "build", s(tree.path())]);
    assert_eq!(o.status.code(), Some(2), "-o is required");
    let o = simile(&[
        "index",
        "build",
        s(tree.path()),
        "-o",
        s(&index),
        "--glob",
        "a/**/[z",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("invalid --glob"),
        "{}",
        text(&o.stderr)
    );
    assert!(!index.exists(), "a failed build creates nothing");

    let o = simile(&["index", "build", s(tree.path()), "-o", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    // Locked by another writer: this test process holds the lock.
    let held = simile_index::store::WriterLock::acquire(&index).unwrap();
    for args in [
        vec!["index", "update", s(&index)],
        vec!["index", "build", s(tree.path()), "-o", s(&index)],
    ] {
        let o = simile(&args);
        assert_eq!(o.status.code(), Some(4));
        let msg = text(&o.stderr);
        assert!(
            msg.contains(&format!(
                "index is locked by another writer (pid {})",
                std::process::id()
            )),
            "{msg}"
        );
    }
    // Readers do not need the lock.
    assert_eq!(
        simile(&["index", "check", s(&index)]).status.code(),
        Some(0)
    );
    drop(held);

    // Damage: check fails with exit 4 naming the file.
    let seg = fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "sgm"))
        .unwrap();
    let mut bytes = fs::read(&seg).unwrap();
    bytes[100] ^= 0x40;
    fs::write(&seg, &bytes).unwrap();
    let o = simile(&["index", "check", s(&index)]);
    assert_eq!(o.status.code(), Some(4));
    let msg = text(&o.stderr);
    assert!(
        msg.contains("corrupt index") && msg.contains(".sgm"),
        "{msg}"
    );
    assert!(msg.contains("rebuild it"), "{msg}");
    // Another format version.
    let manifest = index.join("MANIFEST");
    let mut bytes = fs::read(&manifest).unwrap();
    bytes[8] = 42;
    fs::write(&manifest, &bytes).unwrap();
    let o = simile(&["index", "stats", s(&index)]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o.stderr).contains("format version 42"),
        "{}",
        text(&o.stderr)
    );
    // ... which a build replaces.
    let o = simile(&["index", "build", s(tree.path()), "-o", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        simile(&["index", "check", s(&index)]).status.code(),
        Some(0)
    );
}

/// A small xorshift generator: tests need varied but reproducible kill times.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("SIMILE_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("kill times seeded with SIMILE_TEST_SEED={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn writer(args: &[&str]) -> Command {
    let mut c = Command::new(SIMILE);
    c.args(args)
        .env_remove("SIMILE_INDEX_CRASH_AT")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Change the tree so that the next build or update has something to commit: add a copy of
/// one crate under a new name, or remove one added earlier.
fn mutate(tree: &Path, round: usize, rng: &mut Rng) {
    let crates = ["simile", "simile-render", "simile-cli", "simile-index"];
    let name = format!("copy{round}");
    copy_tree(&tree.join(crates[rng.below(4) as usize]), &tree.join(&name));
    if round >= 2 && rng.below(2) == 0 {
        let _ = fs::remove_dir_all(tree.join(format!("copy{}", round - 2)));
    }
}

/// A small tree of real code (three source directories of this repository, ~400 KB): writers
/// over it take a fraction of a second, so a hundred kills stay cheap.
fn small_tree(dst: &Path) {
    for (name, dir) in [
        ("source", "simile/src/source"),
        ("lex", "simile/src/lex"),
        ("index", "simile-index/src"),
    ] {
        copy_tree(&crates_dir().join(dir), &dst.join(name));
    }
}

/// Change a small tree so the next writer has something to commit, keeping its size bounded:
/// a copy of one directory added, the copy made three rounds ago removed, and now and then
/// one file edited (an update then re-indexes a changed file).
fn mutate_small(tree: &Path, round: usize, rng: &mut Rng) {
    let dirs = ["source", "lex", "index"];
    copy_tree(
        &tree.join(dirs[rng.below(3) as usize]),
        &tree.join(format!("copy{round}")),
    );
    if round >= 3 {
        let _ = fs::remove_dir_all(tree.join(format!("copy{}", round - 3)));
    }
    if rng.below(3) == 0 {
        let file = tree.join("lex/token.rs");
        let mut text = fs::read_to_string(&file).unwrap();
        text.push_str(&format!(
            "\n// edited in round {round}\nconst ROUND_{round}: u32 = {round};\n"
        ));
        fs::write(&file, text).unwrap();
    }
}

/// What an index answers, read in this process: every live file (path, size, content hash),
/// and for every fingerprint of the query files, the paths of the files holding it. Two
/// indexes that answer alike hold the same commit of the same tree.
type Answers = (Vec<(PathBuf, u64, u64)>, Vec<(u64, Vec<PathBuf>)>);

fn answers(index: &Path, queries: &[String]) -> Answers {
    use simile::search::{PostingsSource, index_fingerprints};
    let ix = Index::open(index).expect("the index opens");
    let mut files: Vec<(PathBuf, u64, u64)> = ix
        .live_ids()
        .map(|id| {
            let f = ix.file(id).unwrap();
            (f.path, f.size, f.content_hash)
        })
        .collect();
    files.sort();
    let config = ix.fingerprint_config();
    let mut hashes: Vec<u64> = queries
        .iter()
        .flat_map(|q| {
            let file = simile::SourceFile::from_text("q.rs", q, None);
            index_fingerprints(&simile::lex::tokenize(&file).tokens, &config)
        })
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    let postings = hashes
        .into_iter()
        .map(|h| {
            let mut ids = Vec::new();
            ix.postings(h, usize::MAX, &mut ids);
            let mut paths: Vec<PathBuf> = ids.iter().map(|&id| ix.file(id).unwrap().path).collect();
            paths.sort();
            (h, paths)
        })
        .collect();
    assert!(ix.integrity_error().is_none(), "damage met while answering");
    (files, postings)
}

/// Kill `simile index build` and `simile index update` with SIGKILL at random moments, 100
/// times in all (half each): after every kill the index must open, pass `simile index check`,
/// and answer exactly as the last committed state did: its files and the postings of the
/// queries' fingerprints equal those of a fresh index of the tree before the writer started
/// (nothing committed) or after (committed), and `simile find` over it ranks exactly as over
/// that fresh index. Some kills land before the commit, some after, some miss (the writer
/// finished); a tiny `--memory` makes writers spill runs and merge segments, so kills land in
/// every phase.
///
/// `SIMILE_KILL_ROUNDS` sets the number of kills (100 by default); `SIMILE_TEST_SEED` replays
/// one sequence of kill times.
#[test]
fn killed_writers_leave_the_last_commit() {
    let rounds: usize = std::env::var("SIMILE_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    let mut rng = Rng::seeded();
    let tree = tempfile::tempdir().unwrap();
    small_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let index_s = index.to_str().unwrap().to_string();
    let tree_s = tree.path().to_str().unwrap().to_string();
    let build_args = ["index", "build", &tree_s, "-o", &index_s, "--memory", "64K"];
    let update_args = ["index", "update", &index_s, "--memory", "64K"];
    // The queries: two files of the tree, as they were at the start.
    let queries: Vec<String> = ["lex/scanner.rs", "index/format/segment.rs"]
        .iter()
        .map(|q| fs::read_to_string(tree.path().join(q)).unwrap())
        .collect();
    let query_file = out.path().join("query.rs");
    fs::write(&query_file, &queries[0]).unwrap();
    let query_s = query_file.to_str().unwrap().to_string();

    // How long an uninterrupted build takes here.
    let started = Instant::now();
    assert!(writer(&build_args).status().unwrap().success());
    let full = started.elapsed();
    // The fresh index of the tree as it is: what any completed writer must have committed.
    let fresh = |round: usize| -> PathBuf {
        let path = out.path().join(format!("fresh{round}.simile"));
        let options = BuildOptions {
            roots: vec![tree.path().to_path_buf()],
            ..BuildOptions::default()
        };
        simile_index::build(&path, &options, &NoProgress).unwrap();
        path
    };
    let mut committed = fresh(0);
    assert_eq!(answers(&index, &queries), answers(&committed, &queries));
    let find = |index: &Path| -> String {
        let o = simile(&["find", &query_s, "--index", s(index), "-f", "json"]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}",
            text(&o.stderr)
        );
        // The report names the index it searched: compare the rankings only.
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        report["find"]["queries"].to_string()
    };

    let (mut kept_old, mut got_new, mut finished) = (0, 0, 0);
    let (mut builds, mut updates) = (0, 0);
    for round in 0..rounds {
        mutate_small(tree.path(), round, &mut rng);
        let next = fresh(round + 1);
        let (old_answers, new_answers) = (answers(&committed, &queries), answers(&next, &queries));
        let is_update = round % 2 == 0;
        let args: &[&str] = if is_update { &update_args } else { &build_args };
        if is_update {
            updates += 1;
        } else {
            builds += 1;
        }
        let mut child = writer(args).spawn().unwrap();
        // Up to 1.5 times a full build: some kills land after the commit, or miss entirely.
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 3 / 2));
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        finished += usize::from(status.success());

        let now = answers(&index, &queries);
        let what = format!(
            "round {round} ({}, killed after {delay:?}, {status})",
            args[1]
        );
        if status.success() {
            assert!(now == new_answers, "{what}: finished but not committed");
        }
        assert!(
            now == old_answers || now == new_answers,
            "{what}: the index answers as neither the last commit nor the new one"
        );
        let o = simile(&["index", "check", &index_s]);
        assert_eq!(o.status.code(), Some(0), "{what}: {}", text(&o.stderr));
        if now == new_answers {
            got_new += 1;
            // The binary's search over the recovered index ranks as over the fresh one.
            assert_eq!(find(&index), find(&next), "{what}: find differs");
            fs::remove_dir_all(&committed).unwrap();
            committed = next;
        } else {
            kept_old += 1;
            fs::remove_dir_all(&next).unwrap();
        }
    }
    eprintln!(
        "{rounds} kills ({builds} builds, {updates} updates): {kept_old} left the last commit, \
         {got_new} the new one ({finished} writers finished first); {:?}",
        started.elapsed()
    );
    assert!(
        kept_old > 0,
        "no kill landed before a commit: the test proves nothing"
    );

    // The next writer finishes the job and clears the leftovers of the killed ones.
    assert!(writer(&update_args).status().unwrap().success());
    let last = fresh(rounds + 1);
    assert_eq!(answers(&index, &queries), answers(&last, &queries));
    assert_eq!(digest(&index), digest(&last));
    let manifest = Index::open(&index).unwrap().manifest().clone();
    for entry in fs::read_dir(&index).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let named = name == "MANIFEST"
            || name == "LOCK"
            || name == manifest.catalog.name
            || manifest.segments.iter().any(|s| s.file.name == name);
        assert!(named, "leftover {name}");
    }
}

/// Crashes exactly around the commit point.
#[test]
fn crashes_around_the_commit_point() {
    let tree = tempfile::tempdir().unwrap();
    source_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let o = simile(&["index", "build", s(tree.path()), "-o", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    let mut rng = Rng(7);
    for (round, point) in ["before-publish", "before-rename", "after-publish"]
        .iter()
        .enumerate()
    {
        let before = digest(&index);
        mutate(tree.path(), round, &mut rng);
        let after = fresh_digest(tree.path());
        let status = Command::new(SIMILE)
            .args(["index", "update", s(&index)])
            .env("SIMILE_INDEX_CRASH_AT", point)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success(), "{point}: the writer crashed");
        let expected = if *point == "after-publish" {
            Some(after)
        } else {
            before
        };
        assert_eq!(digest(&index), expected, "{point}");
        assert_eq!(
            simile(&["index", "check", s(&index)]).status.code(),
            Some(0)
        );
    }
    // A fresh build killed before its first commit leaves no index, and says so.
    let fresh = out.path().join("new.simile");
    let status = Command::new(SIMILE)
        .args(["index", "build", s(tree.path()), "-o", s(&fresh)])
        .env("SIMILE_INDEX_CRASH_AT", "before-rename")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success());
    let o = simile(&["index", "stats", s(&fresh)]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o.stderr).contains("no committed index"),
        "{}",
        text(&o.stderr)
    );
    let o = simile(&["index", "build", s(tree.path()), "-o", s(&fresh)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(digest(&fresh), Some(fresh_digest(tree.path())));
}

/// Every file of the index directory `dir` by name, with its size and a hash of its bytes; the
/// lock file's bytes (the last writer's pid) are left out.
fn index_files(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let bytes = if name == "LOCK" {
                Vec::new()
            } else {
                fs::read(entry.path()).unwrap()
            };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            (name, (bytes.len(), hasher.finish()))
        })
        .collect()
}

/// `simile index build TREE -o INDEX` with 64 KB of postings in memory, so that it spills runs.
fn spilling_build<'a>(tree: &'a Path, index: &'a Path) -> [&'a str; 7] {
    ["index", "build", s(tree), "--memory", "64K", "-o", s(index)]
}

/// Only the lock file is left of a first build that failed or was stopped: its runs are gone.
fn assert_only_the_lock(index: &Path) {
    let left: Vec<String> = index_files(index).into_keys().collect();
    assert_eq!(left, ["LOCK"], "the runs are deleted");
}

/// A writer that fails (an I/O error injected where a full disk would give one) exits 4 with
/// the error, deletes the files it wrote before letting go of the lock (the runs a build
/// spilled, the segment and catalog it was about to commit), and leaves the last commit as it
/// was, byte for byte.
#[test]
fn a_failed_writer_deletes_what_it_wrote_and_keeps_the_last_commit() {
    let tree = tempfile::tempdir().unwrap();
    small_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let failing = |args: &[&str], point: &str| {
        let o = Command::new(SIMILE)
            .args(args)
            .env_remove("SIMILE_INDEX_CRASH_AT")
            .env("SIMILE_INDEX_FAIL_AT", point)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(4), "{args:?} failing at {point}");
        let err = text(&o.stderr);
        assert!(
            err.contains(&format!("failure injected at {point}")),
            "{err}"
        );
    };
    // A first build that spilled runs (64 KB of postings in memory) fails before merging them.
    let index = out.path().join("i.simile");
    let build = spilling_build(tree.path(), &index);
    failing(&build, "before-final-merge");
    assert_only_the_lock(&index);

    let o = simile(&build);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let committed = index_files(&index);
    let digest_before = digest(&index);
    assert!(committed.keys().any(|name| name.starts_with("seg-")));
    // A build and an update over the index fail before and after writing their segment.
    failing(&build, "before-final-merge");
    assert_eq!(index_files(&index), committed, "build, before its merge");
    failing(&build, "before-publish");
    assert_eq!(index_files(&index), committed, "build, before its commit");
    mutate_small(tree.path(), 0, &mut Rng(3));
    failing(&["index", "update", s(&index)], "before-publish");
    assert_eq!(index_files(&index), committed, "update, before its commit");
    assert_eq!(digest(&index), digest_before);
    let o = simile(&["index", "check", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // The next writer starts from the last commit as if nothing had failed.
    let o = simile(&["index", "update", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(digest(&index), Some(fresh_digest(tree.path())));
}

/// Ctrl-C (SIGINT) or SIGTERM while a writer writes asks it to stop: it deletes what it wrote,
/// exits 130 or 143 with a message, and the last commit stays byte for byte. The writers
/// wait at a point (`SIMILE_INDEX_STALL_AT`) until they are asked to stop, so the signal lands
/// while their files are on disk: a build's runs, an update's segment and catalog.
#[cfg(unix)]
#[test]
fn an_interrupted_writer_deletes_what_it_wrote_and_keeps_the_last_commit() {
    let tree = tempfile::tempdir().unwrap();
    small_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    // Start a writer stalled at `point`, wait until it has written a file that `before` does
    // not hold, send `signal`, and return its exit code and stderr.
    let interrupt =
        |args: &[&str], point: &str, before: &BTreeMap<String, (usize, u64)>, signal| {
            let child = Command::new(SIMILE)
                .args(args)
                .env_remove("SIMILE_INDEX_CRASH_AT")
                .env("SIMILE_INDEX_STALL_AT", point)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(60);
            let wrote = || {
                index.is_dir()
                    && index_files(&index)
                        .keys()
                        .any(|name| name != "LOCK" && !before.contains_key(name))
            };
            while !wrote() {
                assert!(Instant::now() < deadline, "{point}: nothing written");
                std::thread::sleep(Duration::from_millis(5));
            }
            unsafe { libc::kill(child.id() as i32, signal) };
            let o = child.wait_with_output().unwrap();
            (o.status.code(), text(&o.stderr))
        };
    let build = spilling_build(tree.path(), &index);
    let (code, err) = interrupt(&build, "before-final-merge", &BTreeMap::new(), libc::SIGINT);
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("interrupted; nothing was committed"), "{err}");
    assert_only_the_lock(&index);

    let o = simile(&build);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let committed = index_files(&index);
    mutate_small(tree.path(), 0, &mut Rng(5));
    let update = ["index", "update", s(&index)];
    let (code, err) = interrupt(&update, "before-publish", &committed, libc::SIGTERM);
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(
        index_files(&index),
        committed,
        "the update's files are deleted"
    );
    let o = simile(&["index", "check", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// Readers in other processes, and in this one, keep working during an update and see the old
/// state or the new one: `simile find` queries (three at a time) rank exactly as over the
/// index before the update or as over a fresh index of the updated tree, and `simile index
/// check` reports one of the two digests. A second writer started meanwhile is refused, naming
/// the first one's pid, and the first one's commit is not disturbed.
#[test]
fn readers_work_during_an_update_and_a_second_writer_is_refused() {
    let tree = tempfile::tempdir().unwrap();
    source_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let o = simile(&["index", "build", s(tree.path()), "-o", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    let before = digest(&index).unwrap();
    let held = Index::open(&index).unwrap();
    // The index as it is, kept aside: what readers see before the commit.
    let old = out.path().join("old.simile");
    copy_tree(&index, &old);
    // A large update: two crates copied twice, small runs, merges.
    for i in 0..2 {
        for krate in ["simile", "simile-index"] {
            copy_tree(
                &tree.path().join(krate),
                &tree.path().join(format!("more{i}/{krate}")),
            );
        }
    }
    let fresh = out.path().join("fresh.simile");
    let options = BuildOptions {
        roots: vec![tree.path().to_path_buf()],
        ..BuildOptions::default()
    };
    simile_index::build(&fresh, &options, &NoProgress).unwrap();
    let after = digest(&fresh).unwrap();
    let query = tree.path().join("simile/source/walk.rs");
    let ranking = |o: &Output| -> String {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        report["find"]["queries"].to_string()
    };
    let find = |index: &Path| simile(&["find", s(&query), "--index", s(index), "-f", "json"]);
    let (old_ranking, new_ranking) = (ranking(&find(&old)), ranking(&find(&fresh)));
    assert_ne!(old_ranking, new_ranking, "the update changes the answer");

    let mut update = writer(&["index", "update", s(&index), "--memory", "64K"])
        .spawn()
        .unwrap();
    // The writer holds the lock once its pid is in LOCK (the build before wrote its own).
    let waiting = Instant::now();
    while fs::read_to_string(index.join("LOCK"))
        .unwrap_or_default()
        .trim()
        != update.id().to_string()
    {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "the update never took the lock"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let (mut reads, mut saw_old, mut saw_new, mut refused) = (0, false, false, false);
    let status = loop {
        let spawn = |args: &[&str]| {
            Command::new(SIMILE)
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let queries: Vec<_> = (0..3)
            .map(|_| spawn(&["find", s(&query), "--index", s(&index), "-f", "json"]))
            .collect();
        let check = spawn(&["index", "check", s(&index), "-f", "json"]);
        let second = (!refused).then(|| spawn(&["index", "update", s(&index)]));
        let d = digest(&index).expect("opens during the update");
        assert!(d == before || d == after);
        for q in queries {
            let r = ranking(&q.wait_with_output().unwrap());
            assert!(
                r == old_ranking || r == new_ranking,
                "a query saw neither state: {r}"
            );
            saw_old |= r == old_ranking;
            saw_new |= r == new_ranking;
            reads += 1;
        }
        let o = check.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let d = u64::from_str_radix(report["content_digest"].as_str().unwrap(), 16).unwrap();
        assert!(d == before || d == after);
        if let Some(second) = second {
            let o = second.wait_with_output().unwrap();
            let running = update.try_wait().unwrap().is_none();
            if running {
                // Only conclusive while the first writer still runs.
                assert_eq!(o.status.code(), Some(4), "{}", text(&o.stderr));
                assert!(
                    text(&o.stderr).contains(&format!(
                        "index is locked by another writer (pid {})",
                        update.id()
                    )),
                    "{}",
                    text(&o.stderr)
                );
                refused = true;
            }
        }
        if let Some(status) = update.try_wait().unwrap() {
            break status;
        }
    };
    assert!(status.success());
    assert!(reads >= 3);
    assert!(
        saw_old,
        "no query ran before the commit: the test proves nothing"
    );
    assert!(
        refused,
        "the update ended before a second writer could be refused"
    );
    assert_eq!(digest(&index), Some(after));
    assert_eq!(ranking(&find(&index)), new_ranking);
    eprintln!("{reads} queries during the update; saw the new state: {saw_new}");
    // The snapshot opened before the update still reads the old commit, whose files are gone.
    assert_eq!(content_digest(&held).unwrap(), before);
}

/// Every file of an index (manifest, catalog, segments) truncated, emptied, deleted or with a
/// bit flipped at places across it: `simile index check` fails naming the file, exit 4, and a
/// search either fails the same way (exit 4, "corrupt index") or, when the damage lies where
/// the search did not read, answers exactly as the undamaged index. Never a wrong answer.
#[test]
fn a_damaged_index_file_gives_a_clear_error_never_a_wrong_answer() {
    let tree = tempfile::tempdir().unwrap();
    small_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let o = simile(&[
        "index",
        "build",
        s(tree.path()),
        "-o",
        s(&index),
        "--memory",
        "64K",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // An update, so there are two segments and a removed file.
    copy_tree(&tree.path().join("lex"), &tree.path().join("lex2"));
    fs::remove_file(tree.path().join("source/decode.rs")).unwrap();
    let o = simile(&["index", "update", s(&index)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let query = tree.path().join("lex/scanner.rs");
    let search = |index: &Path| simile(&["find", s(&query), "--index", s(index), "-f", "json"]);
    let ranking = |o: &Output| -> String {
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        report["find"]["queries"].to_string()
    };
    let good = search(&index);
    assert_eq!(good.status.code(), Some(0), "{}", text(&good.stderr));
    let good = ranking(&good);

    let mut files: Vec<PathBuf> = fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "LOCK"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let (mut refused, mut unaffected) = (0, 0);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let pristine = fs::read(file).unwrap();
        let n = pristine.len();
        let mut damages: Vec<(String, Option<Vec<u8>>)> = vec![
            ("deleted".into(), None),
            ("emptied".into(), Some(Vec::new())),
            ("cut in half".into(), Some(pristine[..n / 2].to_vec())),
            ("one byte short".into(), Some(pristine[..n - 1].to_vec())),
        ];
        for at in [0, 9, 30, n / 3, n / 2, 2 * n / 3, n - 20, n - 1] {
            let mut bytes = pristine.clone();
            bytes[at] ^= 0x10;
            damages.push((format!("bit flipped at {at}"), Some(bytes)));
        }
        for (damage, bytes) in damages {
            match &bytes {
                Some(b) => fs::write(file, b).unwrap(),
                None => fs::remove_file(file).unwrap(),
            }
            let what = format!("{name} {damage}");
            let o = simile(&["index", "check", s(&index)]);
            assert_eq!(o.status.code(), Some(4), "{what}: check passed");
            let msg = text(&o.stderr);
            assert!(
                msg.contains(s(&index))
                    && (msg.contains(&name) || damage == "deleted" || name == "MANIFEST"),
                "{what}: {msg}"
            );
            let o = search(&index);
            match o.status.code() {
                Some(4) => {
                    let msg = text(&o.stderr);
                    assert!(msg.contains(s(&index)), "{what}: {msg}");
                    refused += 1;
                }
                Some(0) => {
                    assert_eq!(ranking(&o), good, "{what}: a wrong answer");
                    unaffected += 1;
                }
                other => panic!("{what}: exit {other:?}: {}", text(&o.stderr)),
            }
            fs::write(file, &pristine).unwrap();
        }
    }
    eprintln!(
        "{} damaged index files: {refused} searches refused, {unaffected} answered exactly \
         (damage where the search did not read)",
        refused + unaffected
    );
    assert_eq!(
        simile(&["index", "check", s(&index)]).status.code(),
        Some(0)
    );
}
