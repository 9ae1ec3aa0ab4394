//! The bad-input catalogue of issue 6, end to end: every input people point simile at that is
//! not a well-formed source file, through `compare`, `find` and `index`. Each gets a message
//! naming the path, a documented exit code (README, "Exit codes"), no panic, a bounded time
//! (every run here has a timeout), and the rest of the run goes on where that makes sense. The
//! README's "Bad input" table summarises the behaviour tested here.
//!
//! Some items are tested in the files of their command and not repeated here: a missing,
//! unreadable, directory or binary file given to `compare` (tests/compare.rs), an empty or
//! whitespace-only file, Latin-1 bytes in a file, hostile content and file names in every
//! format (tests/hostile.rs), many files and very large files (tests/scale.rs).

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

/// Every run of the binary here must end within this time: a hang fails the test.
const LIMIT: Duration = Duration::from_secs(120);

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `simile ARGS` in `dir`, with the time limit.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    simile()
        .current_dir(dir)
        .args(args)
        .timeout(LIMIT)
        .output()
        .unwrap()
}

/// A small tree of real code (the zstd example pair, cut into functions-sized files).
fn code_tree(dir: &Path) {
    let (a, b) = example_pair();
    for (side, path) in [("old", a), ("new", b)] {
        let text = fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, chunk) in lines.chunks(120).enumerate() {
            write(dir, &format!("{side}/part{i}.c"), chunk.join("\n") + "\n");
        }
    }
}

/// The skipped files of a `find` or `clones` JSON report: (path, reason).
fn skipped(report: &Value) -> Vec<(String, String)> {
    let body = if report["find"].is_null() {
        &report["clones"]
    } else {
        &report["find"]
    };
    body["skipped"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn example_code() -> String {
    fs::read_to_string(example_pair().0).unwrap()
}

// ----- missing paths, directories where files are expected ----------------------------------

#[test]
fn a_vanished_root_fails_the_update_and_keeps_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    let o = run(p, &["-q", "index", "build", "tree", "-o", "i.simile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fs::rename(p.join("tree"), p.join("moved")).unwrap();
    let o = run(p, &["index", "update", "i.simile"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot index") && stderr(&o).contains("tree: no such file"),
        "{}",
        stderr(&o)
    );
    // The last commit is intact.
    assert_eq!(
        run(p, &["index", "check", "i.simile"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(p, &["index", "stats", "i.simile"]).status.code(),
        Some(0)
    );
}

#[test]
fn missing_inputs_other_than_files_name_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    let q = "tree/old/part0.c";
    // --ignore naming nothing: exit 3.
    let o = run(p, &["find", q, "--in", "tree", "--ignore", "no/base"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("no/base: no such file"),
        "{}",
        stderr(&o)
    );
    // A missing template: a usage error, exit 2, before anything is compared.
    let o = run(p, &["compare", q, q, "--template", "no.j2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no.j2: cannot read the template"),
        "{}",
        stderr(&o)
    );
    // A directory as the template: exit 2; as the output: exit 5.
    let o = run(p, &["compare", q, q, "--template", "tree"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tree: cannot read the template"),
        "{}",
        stderr(&o)
    );
    let o = run(p, &["compare", q, q, "-o", "tree"]);
    assert_eq!(o.status.code(), Some(5));
    assert!(
        stderr(&o).contains("tree: cannot write the report"),
        "{}",
        stderr(&o)
    );
    let o = run(p, &["find", q, "--in", "tree", "-o", "tree"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    // An index path that is a file of source: exit 4.
    let o = run(p, &["find", q, "--index", q]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("not a simile index"), "{}", stderr(&o));
}

// ----- unreadable files and directories inside trees -----------------------------------------

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_in_a_tree_are_skipped_by_index_and_find() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    let secret = write(p, "tree/secret.c", example_code());
    fs::create_dir(p.join("tree/locked")).unwrap();
    write(p, "tree/locked/inside.c", example_code());
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(p.join("tree/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    for d in [p, &p.join("tree")] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o777)).unwrap();
    }
    fs::set_permissions(p.join("tree/old"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(p.join("tree/new"), fs::Permissions::from_mode(0o755)).unwrap();

    let o = simile_unprivileged()
        .current_dir(p)
        .args(["index", "build", "tree", "-o", "i.simile"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 unreadable"), "{}", stderr(&o));

    let o = simile_unprivileged()
        .current_dir(p)
        .args(["find", "tree/old/part1.c", "--in", "tree", "-f", "json"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let skips = skipped(&json(&o));
    for name in ["tree/secret.c", "tree/locked"] {
        assert!(
            skips
                .iter()
                .any(|(path, reason)| path == name && reason == "unreadable"),
            "{name}: {skips:?}"
        );
    }
    for mode in [0o644, 0o755] {
        let _ = fs::set_permissions(&secret, fs::Permissions::from_mode(mode));
    }
    let _ = fs::set_permissions(p.join("tree/locked"), fs::Permissions::from_mode(0o755));
}

// ----- binary files in trees ------------------------------------------------------------------

#[test]
fn binary_files_in_a_tree_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    write(p, "tree/a.out", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0");
    // A NUL byte late in a file of text: past the sniffed 8,000 bytes, it is text.
    let mut late = example_code().into_bytes();
    late[20_000] = 0;
    write(p, "tree/late-nul.c", late);
    let o = run(
        p,
        &["find", "tree/old/part1.c", "--in", "tree", "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        skipped(&json(&o)),
        [("tree/a.out".to_string(), "binary".to_string())]
    );
    let o = run(p, &["index", "build", "tree", "-o", "i.simile"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("skipped 1 files: 1 binary"),
        "{}",
        stderr(&o)
    );
    // The query itself binary: exit 3 with the offset (tests/find.rs has the message).
    let o = run(p, &["find", "tree/a.out", "--index", "i.simile"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("tree/a.out: binary file (NUL byte at offset 7)"),
        "{}",
        stderr(&o)
    );
}

// ----- encodings and line endings -------------------------------------------------------------

/// `text` as UTF-16 with a byte-order mark.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let bytes = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend_from_slice(&bytes);
    }
    out
}

#[test]
fn utf16_with_a_byte_order_mark_reads_as_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let code = format!("/* (c) Jürgen Müller, 2024 */\n{}", example_code());
    write(p, "utf8.c", &code);
    write(p, "le.c", utf16(&code, false));
    write(p, "be.c", utf16(&code, true));
    for (name, encoding) in [("le.c", "utf16le"), ("be.c", "utf16be")] {
        let o = run(p, &["compare", name, "utf8.c", "-f", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let c = &json(&o)["comparison"];
        assert_eq!(c["a"]["encoding"], encoding);
        assert_eq!(c["scores"]["similarity"], 1.0, "{name}");
        assert_eq!(c["a"]["lines"], c["b"]["lines"]);
        assert_eq!(c["verdict"], "identical");
    }
    // In a tree: indexed, and found as the UTF-8 file's identical twin.
    write(p, "tree/le.c", utf16(&code, false));
    write(p, "tree/other.py", "print('unrelated')\n");
    let o = run(p, &["find", "utf8.c", "--in", "tree", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = &json(&o)["find"]["queries"][0]["matches"][0];
    assert_eq!(m["file"]["path"], "tree/le.c");
    assert_eq!(m["similarity"], 1.0);
}

#[test]
fn mixed_utf8_and_latin1_in_a_tree_is_indexed_and_found() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let code = example_code();
    // Valid UTF-8 (€) and Latin-1 bytes (ü, é) in one file.
    let mixed = [
        "/* \u{20ac} price, (c) J".as_bytes(),
        b"\xfcrgen, caf\xe9 */\n",
        code.as_bytes(),
    ]
    .concat();
    write(p, "tree/mixed.c", &mixed);
    write(p, "query.c", format!("/* (c) Jürgen, café */\n{code}"));
    let o = run(p, &["index", "build", "tree", "-o", "i.simile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(p, &["find", "query.c", "--index", "i.simile", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = &json(&o)["find"]["queries"][0]["matches"][0];
    assert!(
        m["file"]["path"]
            .as_str()
            .unwrap()
            .ends_with("/tree/mixed.c"),
        "{m}"
    );
    assert_eq!(m["similarity"], 1.0);
    // compare says what happened, on stderr and in the report.
    let o = run(p, &["compare", "tree/mixed.c", "query.c", "-f", "json"]);
    assert!(
        stderr(&o).contains("tree/mixed.c: not valid UTF-8; 2 byte(s) read as Windows-1252"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["comparison"]["a"]["encoding"], "utf8-with-latin1");
}

#[test]
fn crlf_and_lone_cr_line_endings_number_lines_as_an_editor_does() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let code = example_code();
    write(p, "lf.c", &code);
    write(p, "crlf.c", code.replace('\n', "\r\n"));
    write(p, "cr.c", code.replace('\n', "\r"));
    let lf = run(p, &["compare", "lf.c", "lf.c", "-f", "json"]);
    let lf = json(&lf);
    for name in ["crlf.c", "cr.c"] {
        let o = run(p, &["compare", name, "lf.c", "-f", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let c = &json(&o)["comparison"];
        assert_eq!(c["scores"]["similarity"], 1.0, "{name}");
        assert_eq!(c["a"]["lines"], lf["comparison"]["a"]["lines"], "{name}");
        // The region spans the same lines on both sides.
        let r = &c["regions"][0];
        assert_eq!(r["a"]["start_line"], r["b"]["start_line"], "{name}");
        assert_eq!(r["a"]["end_line"], r["b"]["end_line"], "{name}");
    }
    // A diff against a CRLF file applies back to it (line endings kept).
    let o = run(p, &["compare", "crlf.c", "cr.c", "-f", "text"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("100.0%"));
}

#[test]
fn empty_and_blank_files_in_a_tree_are_indexed_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    write(p, "tree/empty.py", "");
    write(p, "tree/blank.c", " \n\t\n\r\n");
    let o = run(p, &["index", "build", "tree", "-o", "i.simile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(p, &["index", "check", "i.simile", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let files = json(&o)["files"].as_u64().unwrap();
    let code_files = fs::read_dir(p.join("tree/old")).unwrap().count()
        + fs::read_dir(p.join("tree/new")).unwrap().count();
    assert_eq!(files as usize, code_files + 2, "empty files are files too");
    // An empty query finds the empty file, byte-identical.
    write(p, "q.py", "");
    let o = run(p, &["find", "q.py", "--index", "i.simile", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = &json(&o)["find"]["queries"][0]["matches"];
    assert!(
        m[0]["file"]["path"]
            .as_str()
            .unwrap()
            .ends_with("/tree/empty.py"),
        "{m}"
    );
}

// ----- long lines, deep nesting ---------------------------------------------------------------

#[test]
fn a_single_ten_megabyte_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let line: String = (0..1_200_000)
        .map(|i| format!("v{}=f({});", i % 97, i % 13))
        .collect();
    assert!(line.len() > 10_000_000);
    write(p, "tree/min.js", &line);
    code_tree(&p.join("tree"));
    let started = Instant::now();
    let o = run(
        p,
        &["compare", "tree/min.js", "tree/min.js", "--color", "never"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("similarity  100.0%  identical"), "{text}");
    assert!(
        text.lines().all(|l| l.chars().count() < 400),
        "the line was not cut to the terminal width"
    );
    eprintln!("compare of a 10 MB line: {:?}", started.elapsed());
    // In a tree: minified, skipped and said (`--keep-minified` keeps it).
    let o = run(
        p,
        &["find", "tree/old/part1.c", "--in", "tree", "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        skipped(&json(&o)),
        [("tree/min.js".to_string(), "minified".to_string())]
    );
    let o = run(p, &["index", "build", "tree", "-o", "i.simile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped 1 files: 1 minified"),
        "{}",
        stderr(&o)
    );
}

/// 100,000 levels of nesting, in languages read by tree-sitter (C, Java, JavaScript,
/// Python), by the heuristic only (C#) and as plain text, one kind of bracket each: the
/// tokenizer, the structure parse, the alignment and every renderer must not overflow the
/// stack (a crash would be a signal, not an exit code) nor take long. B differs inside the
/// nesting, so regions, gaps and diffs are computed, not one whole-file match.
#[test]
fn brackets_nested_100000_levels_deep() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let n = 100_000;
    for (ext, open, close) in [
        ("c", "(", ")"),
        ("java", "{", "}"),
        ("js", "[", "]"),
        ("py", "(", ")"),
        ("cs", "{", "}"),
        ("txt", "(", ")"),
    ] {
        let nested = |inner: &str| open.repeat(n) + inner + &close.repeat(n);
        write(p, &format!("a.{ext}"), format!("x = {};\n", nested("1")));
        write(
            p,
            &format!("b.{ext}"),
            format!("y = {};\nint z = 2;\n", nested("2")),
        );
    }
    for ext in ["java", "cs"] {
        write(
            p,
            &format!("classes.{ext}"),
            "class A { ".repeat(n) + &"}".repeat(n),
        );
    }
    let started = Instant::now();
    // Every language once and every format once (each run compares anew: two runs of C).
    for (ext, format) in [
        ("c", "text"),
        ("c", "json"),
        ("java", "html"),
        ("js", "markdown"),
        ("py", "sarif"),
        ("cs", "diff"),
        ("txt", "csv"),
        ("py", "scanoss"),
    ] {
        let (a, b) = (format!("a.{ext}"), format!("b.{ext}"));
        let o = run(p, &["compare", &a, &b, "-f", format, "--full"]);
        assert_eq!(o.status.code(), Some(0), "{ext} {format}: {}", stderr(&o));
        assert!(!o.stdout.is_empty());
    }
    let o = run(
        p,
        &["compare", "a.java", "b.java", "--side-by-side", "--full"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in ["classes.java", "classes.cs"] {
        let o = run(p, &["compare", name, name, "-f", "json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(o.stdout.len() < 1_000_000, "{name}: the report stays small");
    }
    // The tree: indexed and searched (lines this long are minified unless kept).
    let o = run(
        p,
        &["index", "build", ".", "-o", "i.simile", "--keep-minified"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(
        p,
        &[
            "find",
            "a.c",
            "--index",
            "i.simile",
            "--compare",
            "-f",
            "html",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    eprintln!("100,000-level nesting: {:?}", started.elapsed());
}

// ----- symlinks, FIFOs, devices, sockets ------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loops_are_errors_for_files_and_skipped_in_trees() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    symlink("self.c", p.join("tree/self.c")).unwrap();
    symlink("..", p.join("tree/old/up")).unwrap();
    // A loop named on the command line: exit 3, said once.
    let o = run(p, &["compare", "tree/self.c", "tree/old/part1.c"]);
    assert_eq!(o.status.code(), Some(3));
    let msg = stderr(&o);
    assert!(
        msg.contains("tree/self.c: Too many levels of symbolic links"),
        "{msg}"
    );
    assert_eq!(msg.matches("Too many levels").count(), 1, "{msg}");
    // In a tree, links are not followed by default; with --follow, loops are reported.
    let o = run(
        p,
        &["find", "tree/old/part1.c", "--in", "tree", "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(skipped(&json(&o)).is_empty());
    let o = run(
        p,
        &[
            "find",
            "tree/old/part1.c",
            "--in",
            "tree",
            "--follow",
            "-f",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let skips = skipped(&json(&o));
    assert!(skips.iter().any(|(_, r)| r == "symlink-loop"), "{skips:?}");
    let o = run(p, &["index", "build", "tree", "-o", "i.simile", "--follow"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("symlink loop"), "{}", stderr(&o));
    assert_eq!(
        run(p, &["index", "update", "i.simile"]).status.code(),
        Some(0)
    );
}

#[cfg(unix)]
#[test]
fn fifos_sockets_and_devices_in_a_tree_never_hang() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    code_tree(&p.join("tree"));
    mkfifo(&p.join("tree/pipe.c"));
    let _socket = std::os::unix::net::UnixListener::bind(p.join("tree/sock.c")).unwrap();
    // Devices that never end (/dev/zero) or hold nothing, behind links (followed with -L).
    symlink("/dev/zero", p.join("tree/zero.c")).unwrap();
    symlink("/dev/null", p.join("tree/null.c")).unwrap();
    // An ignore file the walker would read: a FIFO (its directory is skipped).
    write(p, "tree/ign/x.c", example_code());
    mkfifo(&p.join("tree/ign/.gitignore"));
    let find: &[&str] = &["find", "tree/old/part1.c", "--in", "tree", "-f", "json"];
    let clones: &[&str] = &["clones", "tree", "-f", "json"];
    for (command, follow) in [(find, false), (find, true), (clones, false), (clones, true)] {
        let mut args = command.to_vec();
        if follow {
            args.push("--follow");
        }
        let o = run(p, &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let skips = skipped(&json(&o));
        let mut not_regular: Vec<&str> = skips
            .iter()
            .filter(|(_, r)| r == "not-regular")
            .map(|(path, _)| path.as_str())
            .collect();
        not_regular.sort();
        let mut expected = vec!["tree/ign/.gitignore", "tree/pipe.c", "tree/sock.c"];
        if follow {
            expected.extend(["tree/null.c", "tree/zero.c"]);
            expected.sort();
        }
        assert_eq!(not_regular, expected, "{args:?}: {skips:?}");
    }
    let o = run(p, &["index", "build", "tree", "-o", "i.simile", "--follow"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("5 not a regular file"),
        "{}",
        stderr(&o)
    );
    // Named on the command line: devices and sockets are refused, exit 3.
    let o = run(p, &["compare", "/dev/zero", "tree/old/part1.c"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("/dev/zero: not a regular file (a character device)"),
        "{}",
        stderr(&o)
    );
    let o = run(p, &["compare", "tree/sock.c", "tree/old/part1.c"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("tree/sock.c: not a regular file (a socket)"),
        "{}",
        stderr(&o)
    );
    // A root whose own ignore file is a FIFO: refused, exit 3, naming it.
    let o = run(p, &["find", "tree/old/part1.c", "--in", "tree/ign"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tree/ign/.gitignore: not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = StdCommand::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// Files deleted or truncated after the walk listed them and before they are read. The walk is
/// held at that point by its test hook: with `SIMILE_TEST_PAUSE_AFTER_WALK=FIFO`, a walk that
/// has listed its files reads FIFO to its end. The test opens the FIFO's other end (which
/// returns once the walk is there), changes the tree, and closes it to let the run go on.
#[cfg(unix)]
#[test]
fn files_deleted_or_truncated_between_walk_and_read_are_reported_and_the_run_goes_on() {
    for command in ["index", "find"] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        code_tree(&p.join("tree"));
        let code = example_code();
        write(p, "tree/doomed.c", &code);
        write(p, "tree/shrunk.c", &code);
        write(p, "query.c", &code);
        let gate = p.join("gate");
        mkfifo(&gate);

        let args: Vec<&str> = match command {
            "index" => vec!["index", "build", "tree", "-o", "i.simile"],
            _ => vec!["find", "query.c", "--in", "tree", "-f", "json"],
        };
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin!("simile"))
            .current_dir(p)
            .args(&args)
            .env("SIMILE_TEST_PAUSE_AFTER_WALK", &gate)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Succeeds once the walk has listed the tree and waits on the gate (a non-blocking
        // open fails while no reader is there, so a run that never gets there fails the test
        // instead of hanging it).
        let started = Instant::now();
        let writer = loop {
            use std::os::unix::fs::OpenOptionsExt;
            match fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&gate)
            {
                Ok(w) => break w,
                Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {}
                Err(e) => panic!("{e}"),
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("{command}: ended before its walk paused: {status}");
            }
            assert!(
                started.elapsed() < LIMIT,
                "{command}: the walk never paused"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        fs::remove_file(p.join("tree/doomed.c")).unwrap();
        fs::write(p.join("tree/shrunk.c"), "int shrunk;\n").unwrap();
        drop(writer);
        // A second pause (a second walk) would never be released: kill the run past the limit.
        let pid = child.id() as libc::pid_t;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watchdog = {
            let done = done.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if started.elapsed() > LIMIT {
                        // SAFETY: signalling our own child, not yet reaped.
                        unsafe { libc::kill(pid, libc::SIGKILL) };
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        let o = child.wait_with_output().unwrap();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        watchdog.join().unwrap();
        assert_eq!(o.status.code(), Some(0), "{command}: {}", stderr(&o));
        match command {
            "index" => {
                assert!(stderr(&o).contains("1 vanished"), "{}", stderr(&o));
                assert_eq!(
                    run(p, &["index", "check", "i.simile"]).status.code(),
                    Some(0)
                );
                // shrunk.c holds what was read: the query's copy is no longer in it.
                let o = run(p, &["find", "query.c", "--index", "i.simile", "-f", "json"]);
                let top = &json(&o)["find"]["queries"][0]["matches"][0];
                assert_ne!(top["similarity"], 1.0, "{top}");
                // The next update looks at shrunk.c again (its size and time were recorded as
                // the walk saw them), finds the content it read, and records the new ones.
                let o = run(p, &["index", "update", "i.simile"]);
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                assert!(
                    stderr(&o).contains("updated to generation 2"),
                    "{}",
                    stderr(&o)
                );
                assert_eq!(
                    run(p, &["index", "check", "i.simile"]).status.code(),
                    Some(0)
                );
            }
            _ => {
                let report = json(&o);
                assert!(
                    skipped(&report)
                        .iter()
                        .any(|(path, r)| path == "tree/doomed.c" && r == "vanished"),
                    "{:?}",
                    skipped(&report)
                );
                let matches = &report["find"]["queries"][0]["matches"];
                assert!(
                    matches
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|m| m["file"]["path"] != "tree/doomed.c"),
                    "{matches}"
                );
            }
        }
    }
}
