//! `simile index`: end-to-end runs of the binary on real source trees (the repository's own
//! sources), including writers killed with SIGKILL at random moments, readers in other
//! processes during an update, and a second writer.

use simile_index::{BuildOptions, Index, NoProgress, content_digest};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SIMILE: &str = env!("CARGO_BIN_EXE_simile");

fn simile(args: &[&str]) -> Output {
    Command::new(SIMILE)
        .args(args)
        .env_remove("SIMILE_INDEX_CRASH_AT")
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

/// Kill `simile index build|update` with SIGKILL at random moments: after each kill the index
/// must open, pass `index check`, and hold exactly the last committed state (the one before the
/// writer started, or the one it committed).
///
/// `SIMILE_KILL_ROUNDS` sets the number of kills (20 by default); `SIMILE_TEST_SEED` replays one
/// sequence of kill times.
#[test]
fn killed_writers_leave_the_last_commit() {
    let rounds: usize = std::env::var("SIMILE_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let mut rng = Rng::seeded();
    let tree = tempfile::tempdir().unwrap();
    source_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let index_s = index.to_str().unwrap().to_string();
    let tree_s = tree.path().to_str().unwrap().to_string();
    // Small runs: builds spill several runs and merge them, updates merge segments, so kills
    // land in every phase.
    let build_args = ["index", "build", &tree_s, "-o", &index_s, "--memory", "64K"];
    let update_args = ["index", "update", &index_s, "--memory", "64K"];

    // How long an uninterrupted build takes here.
    let started = Instant::now();
    assert!(writer(&build_args).status().unwrap().success());
    let full = started.elapsed();
    let mut before = digest(&index);
    assert!(before.is_some());

    let (mut kept_old, mut got_new) = (0, 0);
    for round in 0..rounds {
        mutate(tree.path(), round, &mut rng);
        let after = fresh_digest(tree.path());
        let args: &[&str] = if round % 2 == 0 {
            &update_args
        } else {
            &build_args
        };
        let mut child = writer(args).spawn().unwrap();
        // Up to 1.5 times a full build: some kills land after the commit, or miss entirely.
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 3 / 2));
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();

        let now = digest(&index);
        if status.success() {
            assert_eq!(
                now,
                Some(after),
                "round {round}: finished but not committed"
            );
        }
        assert!(
            now == before || now == Some(after),
            "round {round} ({}, killed after {delay:?}, {status}): the index holds neither the old nor the new state",
            args[1]
        );
        let o = simile(&["index", "check", &index_s]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "round {round}: {}",
            text(&o.stderr)
        );
        if now == before {
            kept_old += 1;
        } else {
            got_new += 1;
        }
        before = now;
    }
    eprintln!("{kept_old} kills left the old state, {got_new} saw the new one");
    assert!(
        kept_old > 0,
        "no kill landed before a commit: the test proves nothing"
    );

    // The next writer finishes the job and clears the leftovers of the killed ones.
    assert!(writer(&update_args).status().unwrap().success());
    assert_eq!(digest(&index), Some(fresh_digest(tree.path())));
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

/// Readers in other processes, and in this one, keep working during an update and see the old
/// state or the new one.
#[test]
fn readers_work_during_an_update() {
    let tree = tempfile::tempdir().unwrap();
    source_tree(tree.path());
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("i.simile");
    let o = simile(&["index", "build", s(tree.path()), "-o", s(&index)]);
    assert_eq!(o.status.code(), Some(0));
    let before = digest(&index).unwrap();
    let held = Index::open(&index).unwrap();
    // A large update: every crate copied twice, small runs, merges.
    for i in 0..2 {
        for krate in ["simile", "simile-index"] {
            copy_tree(
                &tree.path().join(krate),
                &tree.path().join(format!("more{i}/{krate}")),
            );
        }
    }
    let after = fresh_digest(tree.path());
    let mut update = writer(&["index", "update", s(&index), "--memory", "64K"])
        .spawn()
        .unwrap();
    let (mut reads, mut saw_new) = (0, false);
    let status = loop {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                Command::new(SIMILE)
                    .args(["index", "check", s(&index), "-f", "json"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let d = digest(&index).expect("opens during the update");
        assert!(d == before || d == after);
        saw_new |= d == after;
        for r in readers {
            let o = r.wait_with_output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
            let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let d = u64::from_str_radix(report["content_digest"].as_str().unwrap(), 16).unwrap();
            assert!(d == before || d == after);
            reads += 1;
        }
        if let Some(status) = update.try_wait().unwrap() {
            break status;
        }
    };
    assert!(status.success());
    assert!(reads >= 2);
    assert_eq!(digest(&index), Some(after));
    // The snapshot opened before the update still reads the old commit, whose files are gone.
    assert_eq!(content_digest(&held).unwrap(), before);
    let _ = saw_new;
}
