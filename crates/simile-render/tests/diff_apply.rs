//! The unified diff must be accepted by `git apply` and GNU `patch`, and applying it to A must
//! give B byte for byte: on the fixture pairs, CRLF files, files without a final newline, and
//! a path with a space.

mod common;

use common::{PAIRS, fixtures_dir, render, report_of, source};
use simile_render::{Format, RenderOptions};
use std::path::Path;
use std::process::Command;

/// Write A as `old/<name>` and B as `new/<name>`, diff them, and apply the diff with git and
/// patch (`-p2`, the way one updates a tree holding A) to fresh copies of A.
fn check_applies(name: &str, a: &[u8], b: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (format!("old/{name}"), format!("new/{name}"));
    let (report, sources) = report_of(source(&a_path, a.to_vec()), source(&b_path, b.to_vec()));
    let diff = render(&report, &sources, Format::Diff, &RenderOptions::default());
    assert!(
        !diff.is_empty(),
        "{name}: the files differ, so the diff must not be empty"
    );
    let patch = dir.path().join("change.patch");
    std::fs::write(&patch, &diff).unwrap();

    for tool in ["git", "patch"] {
        let work = dir.path().join(format!("tree-{tool}"));
        std::fs::create_dir_all(&work).unwrap();
        let target = work.join(name);
        std::fs::write(&target, a).unwrap();
        apply(tool, &patch, &work, &diff);
        let result = std::fs::read(&target).unwrap();
        assert!(
            result == b,
            "{tool}: applying the diff of {name} did not give B"
        );
    }
}

fn fixture(pair: &str, side: &str, file: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(pair).join(side).join(file)).unwrap()
}

fn crlf(text: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(text)
        .replace('\n', "\r\n")
        .into_bytes()
}

fn without_final_newline(text: &[u8]) -> Vec<u8> {
    let mut t = text.to_vec();
    while t.last() == Some(&b'\n') {
        t.pop();
    }
    t
}

#[test]
fn fixture_pairs_apply() {
    for (pair, file) in PAIRS {
        check_applies(file, &fixture(pair, "a", file), &fixture(pair, "b", file));
    }
}

#[test]
fn crlf_files_apply() {
    let (a, b) = (
        fixture("uncompr", "a", "uncompr.c"),
        fixture("uncompr", "b", "uncompr.c"),
    );
    check_applies("uncompr.c", &crlf(&a), &crlf(&b));
}

#[test]
fn files_without_a_final_newline_apply() {
    let (a, b) = (
        fixture("decorators", "a", "decorators.py"),
        fixture("decorators", "b", "decorators.py"),
    );
    check_applies(
        "decorators.py",
        &without_final_newline(&a),
        &without_final_newline(&b),
    );
    // Only one side lacks it: the last line changes.
    check_applies("decorators.py", &without_final_newline(&a), &b);
    check_applies("decorators.py", &a, &without_final_newline(&b));
    // The same code, only the final newline differs.
    check_applies("decorators.py", &a, &without_final_newline(&a));
}

#[test]
fn a_path_with_a_space_applies() {
    let (a, b) = (
        fixture("sqlite-lib", "a", "lib.rs"),
        fixture("sqlite-lib", "b", "lib.rs"),
    );
    check_applies("my lib.rs", &a, &b);
}

#[test]
fn mixed_line_ends_and_an_added_tail_apply() {
    let a = b"first\r\nsecond\nthird\r\n".to_vec();
    let b = b"first\r\nsecond changed\nthird\r\nfourth".to_vec();
    check_applies("mixed.txt", &a, &b);
}

#[test]
fn git_and_patch_are_available() {
    // The tests above need both tools; say so plainly rather than fail obscurely.
    for tool in ["git", "patch"] {
        let ok = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "`{tool}` is needed by the diff tests (apt-get install {tool})"
        );
    }
    assert!(Path::new(&fixtures_dir()).is_dir());
}

/// `tool` applies `patch` in `work` with `-p2`, after checking it would.
fn apply(tool: &str, patch: &Path, work: &Path, diff: &str) {
    apply_stripping(tool, patch, work, diff, 2);
}

/// `tool` applies `patch` in `work` with `-p<strip>`, after checking it would.
fn apply_stripping(tool: &str, patch: &Path, work: &Path, diff: &str, strip: usize) {
    let p = format!("-p{strip}");
    let (check, apply): (Vec<&str>, Vec<&str>) = match tool {
        "git" => (vec!["apply", "--check", &p], vec!["apply", &p]),
        _ => (
            vec![&p, "--dry-run", "--batch", "-i"],
            vec![&p, "--batch", "-i"],
        ),
    };
    for args in [check, apply] {
        let out = Command::new(tool)
            .args(&args)
            .arg(patch)
            .current_dir(work)
            .output()
            .unwrap_or_else(|e| panic!("`{tool}` must be installed for this test: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} rejected the diff:\n{}{}\n--- diff ---\n{diff}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_find_diff_turns_every_query_into_its_best_match() {
    // Old versions as queries (and one file with no match among them), new versions and a
    // distractor as the corpus.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = [
        ("uncompr", "uncompr.c"),
        ("decorators", "decorators.py"),
        ("core-test", "core.test.js"),
    ];
    std::fs::create_dir_all(root.join("old")).unwrap();
    std::fs::create_dir_all(root.join("new")).unwrap();
    for (pair, file) in files {
        std::fs::write(root.join("old").join(file), fixture(pair, "a", file)).unwrap();
        std::fs::write(root.join("new").join(file), fixture(pair, "b", file)).unwrap();
    }
    std::fs::write(
        root.join("new/compress.c"),
        std::fs::read(fixtures_dir().join("find/corpus/zlib-ng/compress.c")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        root.join("old/lib.rs"),
        fixture("sqlite-lib", "a", "lib.rs"),
    )
    .unwrap();
    let queries = [
        "old/uncompr.c",
        "old/lib.rs",
        "old/decorators.py",
        "old/core.test.js",
    ];
    let (report, sources) = common::find_in(root, "new", &queries, true);
    let diff = render(&report, &sources, Format::Diff, &RenderOptions::default());
    let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("+++ ")).collect();
    assert_eq!(
        headers,
        [
            "+++ b/new/uncompr.c",
            "+++ b/new/decorators.py",
            "+++ b/new/core.test.js"
        ],
        "{diff}"
    );
    assert!(
        diff.contains(
            "\nsimile: old/lib.rs: no similar file, nothing to diff\n--- a/old/decorators.py\n"
        ),
        "the note sits between two file diffs, in query order:\n{diff}"
    );
    let patch = root.join("find.patch");
    std::fs::write(&patch, &diff).unwrap();
    for tool in ["git", "patch"] {
        let work = root.join(format!("tree-{tool}"));
        std::fs::create_dir_all(&work).unwrap();
        for q in queries {
            let name = Path::new(q).file_name().unwrap();
            std::fs::copy(root.join(q), work.join(name)).unwrap();
        }
        apply(tool, &patch, &work, &diff);
        for (pair, file) in files {
            assert!(
                std::fs::read(work.join(file)).unwrap() == fixture(pair, "b", file),
                "{tool}: {file} did not become its best match"
            );
        }
        assert!(
            std::fs::read(work.join("lib.rs")).unwrap() == fixture("sqlite-lib", "a", "lib.rs"),
            "{tool}: the query without a match is left alone"
        );
    }
}

#[test]
fn a_clones_diff_turns_every_old_file_into_its_new_one() {
    // Old and new versions of three files, and a file both trees hold unchanged.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = [
        ("uncompr", "uncompr.c"),
        ("decorators", "decorators.py"),
        ("core-test", "core.test.js"),
    ];
    std::fs::create_dir_all(root.join("old")).unwrap();
    std::fs::create_dir_all(root.join("new")).unwrap();
    for (pair, file) in files {
        std::fs::write(root.join("old").join(file), fixture(pair, "a", file)).unwrap();
        std::fs::write(root.join("new").join(file), fixture(pair, "b", file)).unwrap();
    }
    let same = fixture("sqlite-lib", "a", "lib.rs");
    std::fs::write(root.join("old/lib.rs"), &same).unwrap();
    std::fs::write(root.join("new/lib.rs"), &same).unwrap();
    let (old, new) = (root.join("old"), root.join("new"));
    let (report, sources) = common::clones_report(&common::ClonesRun {
        old_new: Some((old.to_str().unwrap(), new.to_str().unwrap())),
        ..common::ClonesRun::default()
    });
    let diff = render(&report, &sources, Format::Diff, &RenderOptions::default());
    let mut targets: Vec<&str> = diff
        .lines()
        .filter_map(|l| l.strip_prefix("+++ "))
        .map(|l| l.rsplit('/').next().unwrap())
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        ["core.test.js", "decorators.py", "uncompr.c"],
        "one diff per changed pair:\n{diff}"
    );
    assert!(
        diff.lines().any(|l| l.starts_with("simile: pair ")
            && l.ends_with("are byte-identical, nothing to diff")),
        "the identical pair is a note:\n{diff}"
    );
    // Paths are absolute: strip `a/`, the temporary directory's components and `old/`.
    let dirs = root
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .count();
    let strip = 1 + dirs + 1;
    let patch = root.join("clones.patch");
    std::fs::write(&patch, &diff).unwrap();
    for tool in ["git", "patch"] {
        let work = root.join(format!("tree-{tool}"));
        std::fs::create_dir_all(&work).unwrap();
        for (_, file) in files {
            std::fs::copy(root.join("old").join(file), work.join(file)).unwrap();
        }
        apply_stripping(tool, &patch, &work, &diff, strip);
        for (pair, file) in files {
            assert!(
                std::fs::read(work.join(file)).unwrap() == fixture(pair, "b", file),
                "{tool}: {file} did not become its new version"
            );
        }
    }
}
