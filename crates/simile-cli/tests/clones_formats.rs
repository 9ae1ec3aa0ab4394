//! `simile clones` in every `--format` and with `--template`, through the real binary, on the
//! clones fixtures of simile-render: each format writes its kind of output, the gate's exit
//! code holds whatever the format, the text fits the terminal, and files read for the formats
//! that show code are the listed pairs' own.

use assert_cmd::Command;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../simile-render/tests/fixtures")
}

fn simile() -> Command {
    let mut cmd = Command::cargo_bin("simile").unwrap();
    cmd.current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// `simile clones clones/tree --renamed --fragments ARGS`: its exit code and stdout.
fn tree(args: &[&str]) -> (i32, String) {
    let out = simile()
        .args([
            "clones",
            "clones/tree",
            "--renamed",
            "--fragments",
            "--quiet",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty() || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out) = tree(args);
    assert_eq!(code, 0, "{args:?}: {out}");
    out
}

#[test]
fn every_format_writes_its_kind_of_output() {
    let json: serde_json::Value = serde_json::from_str(&ok(&["-f", "json"])).unwrap();
    assert_eq!(json["kind"], "clones");
    let pairs = json["clones"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 7);
    let regions: usize = pairs
        .iter()
        .map(|p| p["comparison"]["regions"].as_array().unwrap().len())
        .sum();
    let blocks = json["clones"]["fragments"]["blocks"]
        .as_array()
        .unwrap()
        .len();

    let text = ok(&[]);
    assert!(text.starts_with("simile clones clones/tree\n"), "{text}");
    assert!(text.contains("regions of each pair"));

    assert!(ok(&["-f", "markdown"]).starts_with("## simile clones: `clones/tree`"));

    let html = ok(&["-f", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg class=\"cluster-graph\""));

    let sarif: serde_json::Value = serde_json::from_str(&ok(&["-f", "sarif"])).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        regions + blocks
    );

    let csv = ok(&["-f", "csv"]);
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(rows[0].starts_with("row,rank,a,b,"));
    let count = |kind: &str| rows.iter().filter(|r| r.starts_with(kind)).count();
    assert_eq!(count("pair,"), pairs.len());
    assert_eq!(count("region,"), regions);
    assert_eq!(count("block,"), blocks);
    assert_eq!(count("file,"), 7);

    let diff = ok(&["-f", "diff"]);
    assert!(diff.starts_with("simile: pair 1: "), "{diff}");
    assert_eq!(diff.matches("\n+++ b/").count(), pairs.len() - 1);

    let scanoss: serde_json::Value = serde_json::from_str(&ok(&["-f", "scanoss"])).unwrap();
    assert_eq!(
        scanoss["clones/tree/vendor/minizip/uncompr.c"][0]["id"],
        "file"
    );
}

#[test]
fn the_shipped_template_writes_one_line_per_pair() {
    let template = fixtures().join("../../../../templates/clones.txt.j2");
    let out = ok(&["--template", template.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 7, "{out}");
    assert!(out.starts_with("clones/tree/vendor/minizip/uncompr.c:8: #1 100.0% similar to clones/tree/zlib/uncompr.c:8 (identical)"), "{out}");
}

#[test]
fn the_gate_fails_in_every_format() {
    for format in [
        "text", "json", "markdown", "html", "sarif", "csv", "diff", "scanoss",
    ] {
        let (code, out) = tree(&["-f", format, "--fail-over", "50"]);
        assert_eq!(code, 1, "{format}: 72.6% is over 50%");
        assert!(
            !out.is_empty(),
            "{format}: the report is written all the same"
        );
        let (code, _) = tree(&["-f", format, "--fail-over", "90"]);
        assert_eq!(code, 0, "{format}: 72.6% is under 90%");
    }
    let (_, md) = tree(&["-f", "markdown", "--fail-over", "50"]);
    assert!(md.contains("**Duplication gate failed:** 72.6%"), "{md}");
    let (_, sarif) = tree(&["-f", "sarif", "--fail-over", "50"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["runs"][0]["invocations"][0]["exitCode"], 1);
}

#[test]
fn text_fits_the_terminal_and_colours_only_when_asked() {
    let text = ok(&[]);
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than COLUMNS=100: {line:?}"
        );
    }
    assert!(!text.contains('\x1b'), "NO_COLOR: no colours");
    let out = simile()
        .args(["clones", "clones/tree", "--quiet", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("\x1b["));
}

#[test]
fn submissions_pages_and_tables_name_the_submissions() {
    let out = simile()
        .args([
            "clones",
            "clones/submissions",
            "--submissions",
            "--ignore",
            "clones/template",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("submission pairs"), "{text}");
    assert!(text.contains("alice <-> bob"), "{text}");
}

#[test]
fn html_goes_to_a_file_with_the_pairs_texts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clones.html");
    let (code, out) = tree(&["-f", "html", "-o", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.is_empty());
    let html = std::fs::read_to_string(&path).unwrap();
    // The texts of every listed pair's files, and of no other file.
    for embedded in [
        "\"clones/tree/zlib/uncompr.c\":[",
        "\"clones/tree/tools/unpack.c\":[",
    ] {
        assert!(html.contains(embedded), "{embedded}");
    }
    assert!(
        !html.contains("\"clones/tree/dup/crc.c\":["),
        "crc.c is in no pair"
    );
}

/// The text report shown on a terminal fits that terminal's width when `COLUMNS` is not in the
/// environment (shells keep it to themselves unless exported): on 60 columns each pair's paths
/// go on lines of their own, on 200 the table spreads out.
#[cfg(target_os = "linux")]
#[test]
fn text_on_a_terminal_takes_its_width() {
    for (columns, widest_at_least) in [(60u16, 40), (200, 101)] {
        let text = on_terminal(columns, &["clones", "clones/tree", "--quiet"]);
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            widest <= columns as usize && widest >= widest_at_least,
            "{columns} columns, widest line {widest}:\n{text}"
        );
        let stacked = text
            .lines()
            .any(|l| l.trim() == "A  vendor/minizip/uncompr.c");
        assert_eq!(stacked, columns < 100, "{columns} columns:\n{text}");
    }
}

/// `simile ARGS` on the fixtures with standard output a terminal of `columns` columns: what
/// it printed, line ends as written.
#[cfg(target_os = "linux")]
fn on_terminal(columns: u16, args: &[&str]) -> String {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let size = libc::winsize {
        ws_row: 50,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the two integers and reads `size`; the null
    // pointers ask for no name and default terminal settings.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and nothing else owns them.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = {
        // The command, holding this process's copy of the terminal's slave side, is dropped
        // once spawned: reading the master ends when the child's copy closes.
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("simile"));
        cmd.current_dir(fixtures())
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .args(args)
            .stdout(std::process::Stdio::from(slave))
            .spawn()
            .unwrap()
    };
    let mut out = Vec::new();
    let mut master = std::fs::File::from(master);
    let mut buf = [0u8; 4096];
    // Linux answers EIO once no process holds the slave side: the end of the output.
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    assert!(child.wait().unwrap().success());
    String::from_utf8(out).unwrap().replace("\r\n", "\n")
}
