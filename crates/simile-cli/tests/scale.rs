//! Scale limits of the bad-input catalogue: trees of very many tiny files, and very large
//! files. Each run is timed and its peak memory (the child's own high-water mark, sampled from
//! `/proc`) bounded, so a walk or a read that stops being linear fails here.
//!
//! The full-size cases are `#[ignore]`d (a million files take a minute to create and 4 GB of
//! disk; comparing 100 MB takes seconds and gigabytes even in a release build) and run by
//! `scripts/scale-tests.sh`, which builds in release mode; the figures it prints are recorded
//! in bench/RESULTS.md. The suite runs smaller versions of the same checks.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Run `simile ARGS` in `dir`; returns (exit code, stdout, stderr, wall time, peak RSS in MB).
/// The child is reaped by `wait4` itself, which clippy cannot see.
///
/// The peak is the child's `VmHWM`, read from `/proc` every 2 ms while it runs (it only grows,
/// so the last reading misses at most the growth of the last 2 ms), not `wait4`'s `ru_maxrss`:
/// a child spawned with `posix_spawn` shares this process's memory until it execs, and its
/// `ru_maxrss` is then at least this process's own peak. Once this test process had parsed
/// the 100,000 functions' JSON, every later run "peaked" at 857 MB (the 10 MB of repeated
/// code used 331). `ru_maxrss` stays the answer when no reading was taken (a child gone
/// within 2 ms): it is an upper bound.
#[allow(clippy::zombie_processes)]
fn measured(dir: &Path, args: &[&str]) -> (Option<i32>, String, String, Duration, u64) {
    let started = Instant::now();
    let child = Command::new(assert_cmd::cargo::cargo_bin!("simile"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    // Read the pipes on threads while this one waits for the child with wait4, which also
    // gives its resource usage (std's wait does not).
    let mut out = child.stdout.unwrap();
    let mut err = child.stderr.unwrap();
    let read_out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let read_err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    let sampler = std::thread::spawn(move || high_water_kb(pid));
    // Wait for the child to exit without reaping it, so that its pid still names it while the
    // sampler reads /proc (a zombie's status has no VmHWM, which ends the sampling).
    // SAFETY: an all-zero siginfo_t is valid; waitid fills it for our own child.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, info points to valid memory.
    let exited = unsafe {
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOWAIT,
        )
    };
    assert_eq!(exited, 0, "waitid failed");
    let sampled_kb = sampler.join().unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, status and usage point to valid memory.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let (out, err) = (read_out.join().unwrap(), read_err.join().unwrap());
    // ru_maxrss is in kilobytes on Linux.
    let peak_kb = match sampled_kb {
        0 => usage.ru_maxrss as u64,
        kb => kb,
    };
    (code, out, err, started.elapsed(), peak_kb / 1024)
}

/// The highest `VmHWM` (in kB) of process `pid` read while it runs: 0 if none was read.
fn high_water_kb(pid: libc::pid_t) -> u64 {
    let path = format!("/proc/{pid}/status");
    let mut peak = 0;
    while let Some(kb) = fs::read_to_string(&path).ok().and_then(|status| {
        let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
        line.trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
    }) {
        peak = peak.max(kb);
        std::thread::sleep(Duration::from_millis(2));
    }
    peak
}

/// `n` tiny C files, a thousand per directory.
fn tiny_files(root: &Path, n: usize) {
    for i in 0..n {
        let dir = root.join(format!("d{:04}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&dir).unwrap();
        }
        fs::write(
            dir.join(format!("f{:03}.c", i % 1000)),
            format!(
                "int f{i}(int a) {{ return a * {} + {}; }}\n",
                i % 97,
                i % 13
            ),
        )
        .unwrap();
    }
}

/// Index, update, check and search a tree of `n` tiny files; every step within `limit` and
/// `max_mb` of memory.
fn many_files(n: usize, limit: Duration, max_mb: u64) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let started = Instant::now();
    tiny_files(&p.join("tree"), n);
    eprintln!("created {n} files in {:?}", started.elapsed());
    fs::write(p.join("q.c"), "int f5(int a) { return a * 5 + 5; }\n").unwrap();
    let steps: [(&str, Vec<&str>); 5] = [
        (
            "index build",
            vec!["index", "build", "tree", "-o", "i.simile"],
        ),
        (
            "index update (nothing changed)",
            vec!["index", "update", "i.simile"],
        ),
        ("index check", vec!["index", "check", "i.simile"]),
        (
            "find --index",
            vec![
                "find", "q.c", "--index", "i.simile", "--top", "3", "-f", "json",
            ],
        ),
        (
            "find --in (in memory)",
            vec!["find", "q.c", "--in", "tree", "--top", "3", "-f", "json"],
        ),
    ];
    for (what, args) in steps {
        let (code, out, err, time, mb) = measured(p, &args);
        eprintln!("{n} files, {what}: {time:.1?}, peak {mb} MB");
        assert_eq!(code, Some(0), "{what}: {err}");
        assert!(time < limit, "{what}: {time:?} is over {limit:?}");
        assert!(mb < max_mb, "{what}: {mb} MB is over {max_mb} MB");
        if what == "index build" {
            let count = n.to_string();
            let shown = format!(
                "indexed {} files",
                count
                    .as_bytes()
                    .rchunks(3)
                    .rev()
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            assert!(err.contains(&shown), "{err}");
        }
        if what.starts_with("find") {
            let report: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(report["find"]["corpus"]["files"], n as u64);
            let top = &report["find"]["queries"][0]["matches"][0];
            assert!(
                top["file"]["path"]
                    .as_str()
                    .unwrap()
                    .ends_with("d0000/f005.c")
            );
            assert_eq!(top["similarity"], 1.0);
        }
    }
}

/// The suite's version: 50,000 files (in a debug build).
#[test]
fn a_tree_of_many_tiny_files_is_walked_indexed_and_searched_in_bounded_time_and_memory() {
    many_files(50_000, Duration::from_secs(120), 1_000);
}

/// A million files: `scripts/scale-tests.sh` (release build).
#[test]
#[ignore = "a million files: run by scripts/scale-tests.sh"]
fn a_million_tiny_files() {
    many_files(1_000_000, Duration::from_secs(600), 2_000);
}

/// A 100 MB file: refused by the default `--max-size` (64 MiB) with the limit named, skipped in
/// trees (the walk's default is 16 MiB) without being read. The file is sparse: no disk used.
#[test]
fn a_100_megabyte_file_is_refused_and_skipped_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("tree")).unwrap();
    let big = fs::File::create(p.join("tree/big.c")).unwrap();
    big.set_len(100 << 20).unwrap();
    fs::write(p.join("tree/small.c"), "int main(void) { return 0; }\n").unwrap();
    let (code, _, err, time, mb) = measured(p, &["compare", "tree/big.c", "tree/small.c"]);
    assert_eq!(code, Some(3));
    assert!(
        err.contains("tree/big.c: 104857600 bytes is over the size limit of 67108864 bytes (raise it with --max-size)"),
        "{err}"
    );
    assert!(
        time < Duration::from_secs(10) && mb < 100,
        "read anyway: {time:?}, {mb} MB"
    );
    let (code, out, err, _, mb) =
        measured(p, &["find", "tree/small.c", "--in", "tree", "-f", "json"]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let skipped = &report["find"]["skipped"]["files"][0];
    assert_eq!(skipped["reason"], "too-large");
    assert_eq!(
        skipped["detail"],
        "104857600 bytes, over the limit of 16777216"
    );
    assert!(mb < 100, "{mb} MB");
    let (code, _, err, _, _) = measured(p, &["index", "build", "tree", "-o", "i.simile"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("skipped 1 files: 1 too large"), "{err}");
}

/// A real 100 MB file of code (the zstd example repeated), compared with a raised limit:
/// `scripts/scale-tests.sh` (release build) records the time and memory.
#[test]
#[ignore = "100 MB of code: run by scripts/scale-tests.sh"]
fn a_100_megabyte_file_compared_with_a_raised_limit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (small, _) = common::example_pair();
    let code = fs::read_to_string(&small).unwrap();
    let big = code.repeat((100 << 20) / code.len() + 1);
    // An edited copy: a declaration added to every 97th line.
    let edited: Vec<String> = big
        .split('\n')
        .enumerate()
        .map(|(i, line)| match i % 97 {
            0 => format!("{line} /* x */ int v{i} = {i};"),
            _ => line.to_string(),
        })
        .collect();
    fs::write(p.join("big.c"), &big).unwrap();
    fs::write(p.join("edited.c"), edited.join("\n")).unwrap();
    let small = small.to_str().unwrap();
    for (what, args, max_mb) in [
        (
            "a 25 KB file against it",
            vec![
                "compare",
                small,
                "big.c",
                "--max-size",
                "128M",
                "-f",
                "json",
            ],
            3_000,
        ),
        (
            "it against itself",
            vec![
                "compare",
                "big.c",
                "big.c",
                "--max-size",
                "128M",
                "-f",
                "json",
            ],
            // 1.9 GB measured; 6.7 GB while crowded namesakes all paired with each other.
            3_000,
        ),
        (
            // Every line is repeated 4,000 times: the diff's Myers preprocessing was quadratic
            // on such input before vendor/imara-diff (hours; 125 s for 20 MB).
            "an edited copy, as a unified diff",
            vec![
                "compare",
                "big.c",
                "edited.c",
                "--max-size",
                "128M",
                "-f",
                "diff",
            ],
            4_000,
        ),
        (
            "indexed",
            vec![
                "index",
                "build",
                "big.c",
                "-o",
                "i.simile",
                "--max-size",
                "128M",
            ],
            2_000,
        ),
    ] {
        let (code, out, err, time, mb) = measured(p, &args);
        eprintln!("100 MB file, {what}: {time:.1?}, peak {mb} MB");
        assert_eq!(code, Some(0), "{what}: {err}");
        assert!(mb < max_mb, "{what}: {mb} MB");
        if what.starts_with("a 25 KB") {
            let report: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(report["comparison"]["b"]["bytes"].as_u64().unwrap() > 100 << 20);
        }
        if what.ends_with("unified diff") {
            // Each edited line is removed and added again, nothing else changes.
            let added = out
                .lines()
                .filter(|l| l.starts_with('+') && !l.starts_with("+++"));
            assert_eq!(added.count(), edited.len().div_ceil(97), "{what}");
        }
    }
}

/// Two 20 MB files whose diff was quadratic before `simile::align::linediff::diff_bounded`: a
/// table of unique rows with every 40th row edited (the histogram diff's worst case: 24 s) and
/// one statement repeated throughout with every 50th line edited (sliding hunks' worst case:
/// 12 s), each compared with its edit as JSON and as a unified diff.
#[test]
#[ignore = "40 MB of generated code: run by scripts/scale-tests.sh"]
fn large_files_edited_at_regular_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let rows = (20 << 20) / 24;
    let table: Vec<String> = (0..rows)
        .map(|i| format!("  {i}, {}, {}, {},", i * 7 % 1000, i * 13 % 1000, i % 97))
        .collect();
    let repeated = vec!["x = x + 1;".to_string(); (20 << 20) / 11];
    for (name, lines, every) in [("table", table, 40), ("repeated", repeated, 50)] {
        let mut edited = lines.clone();
        for line in edited.iter_mut().step_by(every) {
            *line = "  y = y * 2;".to_string();
        }
        fs::write(p.join(format!("{name}.c")), lines.join("\n") + "\n").unwrap();
        fs::write(p.join(format!("{name}-edited.c")), edited.join("\n") + "\n").unwrap();
        for format in ["json", "diff"] {
            let (a, b) = (format!("{name}.c"), format!("{name}-edited.c"));
            let args = ["compare", &a, &b, "--max-size", "128M", "-f", format];
            let (code, out, err, time, mb) = measured(p, &args);
            eprintln!(
                "20 MB {name} edited every {every} lines, {format}: {time:.1?}, peak {mb} MB"
            );
            assert_eq!(code, Some(0), "{err}");
            assert!(mb < 3_000, "{name} {format}: {mb} MB");
            if format == "diff" {
                let added = out
                    .lines()
                    .filter(|l| l.starts_with('+') && !l.starts_with("+++"));
                assert_eq!(added.count(), lines.len().div_ceil(every), "{name}");
            }
        }
    }
}

/// 100,000 small functions compared with the same functions in another order: a region and a
/// unit each. Finding each unit's regions by checking every region took 34 s before
/// `RegionSpans` (2.4 s since). Then the same with bodies that repeat every 1,261 functions:
/// each function still pairs with its namesake, not with a twin the alignment faced it with
/// (50,390 of 100,000 did before a namesake of identical tokens counted as the same unit).
#[test]
#[ignore = "two 7 MB files of 100,000 functions, twice: run by scripts/scale-tests.sh"]
fn many_functions_in_another_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let n = 100_000;
    for twins_every in [n, 1_261] {
        let function = |i: usize| {
            format!(
                "int fn_{i}(int a, int b) {{\n    int c = a * {} + b;\n    return c - {};\n}}\n",
                i % twins_every,
                i % 13
            )
        };
        // Another order: i * 7919 mod n visits every function once (7919 is prime, n is not
        // a multiple of it).
        let reordered: String = (0..n).map(|i| function(i * 7919 % n)).collect();
        fs::write(p.join("a.c"), (0..n).map(function).collect::<String>()).unwrap();
        fs::write(p.join("b.c"), reordered).unwrap();
        let (code, out, err, time, mb) = measured(p, &["compare", "a.c", "b.c", "-f", "json"]);
        eprintln!(
            "100,000 functions in another order (bodies repeat every {twins_every}), json: \
             {time:.1?}, peak {mb} MB"
        );
        assert_eq!(code, Some(0), "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let units = report["comparison"]["units"]["units"].as_array().unwrap();
        assert_eq!(units.len(), n, "every function paired");
        let with_its_namesake = units.iter().filter(|u| u["a"]["name"] == u["b"]["name"]);
        assert_eq!(
            with_its_namesake.count(),
            n,
            "bodies repeat every {twins_every}"
        );
        if twins_every == n {
            let in_regions = units
                .iter()
                .filter(|u| !u["regions"].as_array().unwrap().is_empty());
            assert_eq!(in_regions.count(), n, "each in the region that matched it");
        }
    }
}

/// Repeated code of different lengths on the two sides: 400,000 zero bytes written out in C
/// against 1,600,000 (10 MB), and 40,000 nested `if`s against 100,000. Every occurrence of the
/// repeated hash seeds its own diagonal through the whole stretch: extension and tiling were
/// quadratic in it (40,000 `if`s took 21 s; the zero bytes 8 s at a quarter of this size).
#[test]
#[ignore = "10 MB of repeated code: run by scripts/scale-tests.sh"]
fn repeated_code_of_different_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let zeros = |bytes: usize| {
        let row = "    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,\n";
        format!(
            "static const unsigned char blob[] = {{\n{}}};\n",
            row.repeat(bytes / 8)
        )
    };
    let nested = |n: usize| {
        format!(
            "void f(int a) {{\n{}{}}}\n",
            "if (a) {\n".repeat(n),
            "}\n".repeat(n)
        )
    };
    let cases = [
        (
            "zero bytes, 400,000 against 1,600,000",
            zeros(400_000),
            zeros(1_600_000),
        ),
        (
            "nested ifs, 40,000 against 100,000",
            nested(40_000),
            nested(100_000),
        ),
    ];
    for (name, a, b) in cases {
        fs::write(p.join("a.c"), a).unwrap();
        fs::write(p.join("b.c"), b).unwrap();
        let (code, out, err, time, mb) = measured(p, &["compare", "a.c", "b.c", "-f", "json"]);
        eprintln!("repeated code, {name}: {time:.1?}, peak {mb} MB");
        assert_eq!(code, Some(0), "{name}: {err}");
        assert!(time < Duration::from_secs(20), "{name}: {time:?}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let scores = &report["comparison"]["scores"];
        // All of the shorter file but its last lines, which face other code in the longer one.
        let coverage = scores["coverage_a"].as_f64().unwrap();
        assert!(coverage > 0.999, "{name}: {coverage}");
    }
}

/// 2,000 copies of one 100 KB file: 1,999,000 similar pairs, all twins of the first. Every
/// pair kept its own copy of the lines it covers, and the summary gathered them all before
/// merging: 53 s and 17.6 GB. Twins now share them, and each file's lines are merged as they
/// grow.
#[test]
#[ignore = "2,000 copies, two million pairs: run by scripts/scale-tests.sh"]
fn two_thousand_copies_of_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let file: String = (0..2_500)
        .map(|i| {
            format!(
                "int step_{i}(int a)\n{{\n\n    return a * {i} + {};\n}}\n\n",
                i % 7
            )
        })
        .collect();
    fs::create_dir(p.join("copies")).unwrap();
    for i in 0..2_000 {
        fs::write(p.join(format!("copies/c{i}.c")), &file).unwrap();
    }
    let (code, out, err, time, mb) = measured(p, &["clones", "copies", "-f", "json"]);
    eprintln!("2,000 copies of one file, clones: {time:.1?}, peak {mb} MB");
    assert_eq!(code, Some(0), "{err}");
    assert!(mb < 4_000, "{mb} MB");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let summary = &report["clones"]["summary"];
    assert_eq!(summary["similar_pairs"], 1_999_000, "{summary}");
}
