//! End-to-end tests of `simile compare`: real files, both formats, every documented exit code,
//! and the bad inputs of the compare issue.

mod common;

use common::*;
use predicates::prelude::*;
use std::fs;

fn json_of(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).expect("valid JSON on stdout")
}

#[test]
fn real_example_text_report() {
    let (a, b) = example_pair();
    let out = simile()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    // header, scores, table, only-in lists, region bodies with line numbers
    assert!(text.starts_with("simile compare "), "{text}");
    assert!(text.contains("similarity  72.6%  derived"), "{text}");
    assert!(text.contains("coverage    A 84.4%  B 63.7%"), "{text}");
    assert!(text.contains("renamed") && text.contains("edited") && text.contains("moved"));
    assert!(text.contains("only in A:") && text.contains("only in B:"));
    assert!(
        text.contains("renames: ZSTD_fillDoubleHashTable -> ZSTD_fillDoubleHashTableForCCtx"),
        "{text}"
    );
    // piped output is never coloured
    assert!(!text.contains('\x1b'));
}

#[test]
fn real_example_json_report_matches_schema() {
    let (a, b) = example_pair();
    let out = simile()
        .args(["compare", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_valid_report(&json);
    assert_eq!(json["schema_version"], simile::report::SCHEMA_VERSION);
    assert_eq!(json["kind"], "comparison");
    let c = &json["comparison"];
    assert_eq!(c["a"]["language"], "c");
    assert_eq!(c["a"]["lines"], 521);
    assert_eq!(c["b"]["lines"], 778);
    let sim = c["scores"]["similarity"].as_f64().unwrap();
    assert!((0.70..0.75).contains(&sim), "{sim}");
    let regions = c["regions"].as_array().unwrap();
    assert!(regions.len() >= 10);
    assert!(c["summary"]["moved"].as_u64().unwrap() >= 1);
    assert!(c["summary"]["renamed"].as_u64().unwrap() >= 1);
    // every edited region carries its line diff, others none
    for r in regions {
        let edited = r["kind"] == "edited";
        assert_eq!(!r["diff"].as_array().unwrap().is_empty(), edited, "{r}");
    }
    // the renamed type shows up as a rename
    let renames: Vec<(String, String)> = regions
        .iter()
        .flat_map(|r| r["renames"].as_array().unwrap().iter())
        .map(|n| {
            (
                n["a"].as_str().unwrap().to_owned(),
                n["b"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        renames.contains(&("ZSTD_matchState_t".into(), "ZSTD_MatchState_t".into())),
        "{renames:?}"
    );
}

#[test]
fn mirrored_comparison_has_mirrored_scores() {
    let (a, b) = example_pair();
    let ab = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&a)
            .arg(&b)
            .output()
            .unwrap()
            .stdout,
    );
    let ba = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&b)
            .arg(&a)
            .output()
            .unwrap()
            .stdout,
    );
    let (sab, sba) = (&ab["comparison"]["scores"], &ba["comparison"]["scores"]);
    assert_eq!(sab["similarity"], sba["similarity"]);
    assert_eq!(sab["coverage_a"], sba["coverage_b"]);
    assert_eq!(sab["matched_tokens"], sba["matched_tokens"]);
}

#[test]
fn a_file_is_identical_to_itself_and_to_a_reformatted_copy() {
    let (a, _) = example_pair();
    let same = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&a)
            .arg(&a)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(same["comparison"]["verdict"], "identical");
    assert_eq!(same["comparison"]["scores"]["similarity"], 1.0);

    // Re-indent with tabs, add comments, join lines: still the same tokens.
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(&a).unwrap();
    // (A `/* */` note could close one of the file's own block comments early; a `//` note
    // cannot. After a backslash-continued macro line it would end the macro: keep those.)
    let reformatted: String = text
        .lines()
        .map(|l| match l.ends_with('\\') {
            true => format!("\t{}\r\n", l.trim_start()),
            false => format!("\t{}   // note\r\n", l.trim_start()),
        })
        .collect();
    let copy = dir.path().join("copy.c");
    fs::write(&copy, reformatted).unwrap();
    let json = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&a)
            .arg(&copy)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(
        json["comparison"]["scores"]["similarity"], 1.0,
        "{}",
        json["comparison"]["scores"]
    );
}

#[test]
fn standard_input_as_one_side() {
    let (a, b) = example_pair();
    let compare = |args: &[&str], stdin: &[u8]| {
        json_of(
            &simile()
                .args(["compare", "-f", "json"])
                .args(args)
                .write_stdin(stdin)
                .assert()
                .success()
                .get_output()
                .stdout,
        )
    };
    let similarity = |json: &serde_json::Value| json["comparison"]["scores"]["similarity"].clone();
    let (a_path, b_path) = (a.to_str().unwrap(), b.to_str().unwrap());
    let files = compare(&[a_path, b_path], b"");
    let text_a = fs::read(&a).unwrap();
    // `-` has no file name: it is read as the other side's language, on either side, and
    // compares as the file itself does.
    let json = compare(&["-", b_path], &text_a);
    assert_eq!(json["comparison"]["a"]["path"], "-");
    assert_eq!(json["comparison"]["a"]["language"], "c");
    assert_eq!(similarity(&json), similarity(&files));
    let json = compare(&[b_path, "-"], &text_a);
    assert_eq!(json["comparison"]["b"]["language"], "c");
    // `--lang` still decides: read as plain text, it matches less of the C file.
    let json = compare(&["--lang", "text", "-", b_path], &text_a);
    assert_eq!(json["comparison"]["a"]["language"], "text");
    assert!(json["comparison"]["b"]["language"] == "text");
    let as_text = similarity(&json).as_f64().unwrap();
    assert!(as_text > 0.5 && as_text < similarity(&files).as_f64().unwrap());
    // A shebang names the language of standard input itself.
    let script = b"#!/usr/bin/env python3\nimport sys\nprint(sys.argv[1:])\n";
    let json = compare(&["-", b_path], script);
    assert_eq!(json["comparison"]["a"]["language"], "python");
}

#[test]
fn each_side_names_the_licence_files_of_its_tree() {
    // The example files carry no licence of their own that simile can name (their header
    // points at "the BSD-style license found in the LICENSE file"); examples/LICENSE.zstd is
    // zstd's BSD-3-Clause licence, the nearest licence file above them.
    let (a, b) = example_pair();
    let report = |args: &[&str], stdin: Option<&std::path::Path>| {
        let mut cmd = simile();
        cmd.current_dir(repo())
            .args(["compare", "-f", "json"])
            .args(args);
        if let Some(path) = stdin {
            cmd.pipe_stdin(path).unwrap();
        }
        json_of(&cmd.assert().success().get_output().stdout)
    };
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let json = report(&[a, b], None);
    assert_valid_report(&json);
    let licenses = &json["comparison"]["licenses"];
    for side in ["a", "b"] {
        assert_eq!(
            licenses[side]["license"],
            serde_json::Value::Null,
            "{licenses}"
        );
        let files = licenses[side]["license_files"]
            .as_array()
            .expect("licence files");
        assert_eq!(files.len(), 1, "{licenses}");
        assert_eq!(
            files[0]["path"], "examples/LICENSE.zstd",
            "relative to the working directory"
        );
        assert_eq!(files[0]["license"], "BSD-3-Clause");
        assert!(files[0]["confidence"].as_f64().unwrap() > 0.9);
        // The header's "BSD-style license (found in the LICENSE file)" is that file's
        // licence, its "GPLv2" GPL-2.0-only, and it offers a choice between them.
        let detections = &licenses[side]["detections"];
        assert_eq!(detections[0]["see_file"], "LICENSE", "{licenses}");
        assert_eq!(detections[1]["see_file"], "COPYING", "{licenses}");
        assert_eq!(licenses[side]["offers_choice"], true);
        assert_eq!(
            licenses[side]["effective"],
            serde_json::json!({
                "expression": "BSD-3-Clause OR GPL-2.0-only",
                "basis": "header-and-license-files"
            })
        );
    }
    assert_eq!(licenses["change"], "same");
    // Standard input is no file of a tree: its side has none (and the key is left out), so
    // its vague name stays unresolved, and the licence is not "changed" for want of files.
    let json = report(&["-", b], Some(std::path::Path::new(a)));
    let licenses = &json["comparison"]["licenses"];
    assert!(licenses["a"].get("license_files").is_none(), "{licenses}");
    assert!(licenses["a"].get("effective").is_none(), "{licenses}");
    assert_eq!(licenses["b"]["license_files"][0]["license"], "BSD-3-Clause");
    assert_eq!(licenses["change"], "same", "{licenses}");
    // Without licences, no licence files either.
    let json = report(&["--no-license", a, b], None);
    assert!(json["comparison"]["licenses"].is_null());
    // The text report lists them under each side.
    let text = simile()
        .current_dir(repo())
        .args(["compare", a, b])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("licence file examples/LICENSE.zstd  BSD-3-Clause (0.9"),
        "{text}"
    );
    assert!(text.contains("; licence files same"), "{text}");
    assert!(
        text.contains("A  BSD-3-Clause OR GPL-2.0-only  (header, through its licence files)"),
        "{text}"
    );
    assert!(text.contains("line 5, see LICENSE"), "{text}");
    // So does the Markdown report, in its licence table.
    let markdown = simile()
        .current_dir(repo())
        .args(["compare", "-f", "markdown", a, b])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let markdown = String::from_utf8(markdown).unwrap();
    assert!(
        markdown.contains(
            "| A | `BSD-3-Clause OR GPL-2.0-only` (header, through its licence files) | \
             Copyright (c) 2016-2021, Yann Collet, Facebook, Inc. | \
             `examples/LICENSE.zstd` `BSD-3-Clause` |"
        ),
        "{markdown}"
    );
}

/// `simile compare` run in `dir` with `args`, its standard output.
fn compare_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = simile()
        .current_dir(dir)
        .arg("compare")
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_package_manifest_declares_the_licence_of_files_that_name_none() {
    // Django's layout: two licence files that disagree (the second, for code taken from
    // another project, is this repository's Apache-2.0 text here) and pyproject.toml
    // declaring BSD-3-Clause. The copy lives in a crate whose Cargo.toml says MIT.
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    let apache = fs::read_to_string(repo().join("LICENSE-APACHE")).unwrap();
    let mit = fs::read_to_string(repo().join("LICENSE-MIT")).unwrap();
    fs::create_dir_all(root.join("django/.git")).unwrap();
    write("django/LICENSE", "SPDX-License-Identifier: BSD-3-Clause\n");
    write("django/LICENSE.other", &apache);
    write(
        "django/pyproject.toml",
        "[project]\nname = \"Django\"\nlicense = {text = \"BSD-3-Clause\"}\n",
    );
    let code = "def escape(text):\n    return str(text).replace('&', '&amp;').replace('<', '&lt;')\n\n\ndef strip(value):\n    return value.strip().lower().replace(' ', '-')\n";
    write("django/django/utils/html.py", code);
    fs::create_dir_all(root.join("crate/.git")).unwrap();
    write("crate/LICENSE", &mit);
    write(
        "crate/Cargo.toml",
        "[package]\nname = \"x\"\nlicense = \"MIT\"\n",
    );
    write("crate/vendor/html.py", code);
    let (a, b) = ("django/django/utils/html.py", "crate/vendor/html.py");

    let json = json_of(compare_in(root, &["-f", "json", a, b]).as_bytes());
    assert_valid_report(&json);
    let licenses = &json["comparison"]["licenses"];
    assert_eq!(
        licenses["a"]["declared"],
        serde_json::json!({
            "manifest": "django/pyproject.toml",
            "written": "BSD-3-Clause",
            "expression": "BSD-3-Clause"
        }),
        "{licenses}"
    );
    assert_eq!(
        licenses["a"]["effective"],
        serde_json::json!({"expression": "BSD-3-Clause", "basis": "package-manifest"})
    );
    assert_eq!(
        licenses["b"]["effective"]["expression"], "MIT",
        "{licenses}"
    );
    assert_eq!(licenses["change"], "changed", "{licenses}");

    let text = compare_in(root, &[a, b]);
    assert!(
        text.contains(
            "A  BSD-3-Clause  (declared in its package's pyproject.toml; the file names none)"
        ),
        "{text}"
    );
    assert!(
        text.contains("declared in django/pyproject.toml  BSD-3-Clause"),
        "{text}"
    );
    let markdown = compare_in(root, &["-f", "markdown", a, b]);
    assert!(
        markdown.contains("`django/pyproject.toml` declares `BSD-3-Clause` |"),
        "{markdown}"
    );
    let html = compare_in(root, &["-f", "html", a, b]);
    assert!(
        // Paths are escaped whole, `/` included.
        html.contains("<code>crate&#x2F;Cargo.toml</code> declares <code>MIT</code>"),
        "{html}"
    );
    let scanoss = json_of(compare_in(root, &["-f", "scanoss", a, b]).as_bytes());
    let declared: Vec<&serde_json::Value> = scanoss
        .as_object()
        .unwrap()
        .values()
        .flat_map(|matches| matches.as_array().unwrap())
        .flat_map(|m| m["licenses"].as_array().into_iter().flatten())
        .filter(|l| l["source"] == "component_declared")
        .collect();
    assert!(!declared.is_empty(), "{scanoss}");
    let sarif = json_of(compare_in(root, &["-f", "sarif", a, b]).as_bytes());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "simile/license-changed"),
        "{sarif}"
    );
}

#[test]
fn debian_copyright_declares_each_files_licence() {
    // A Debian source tree: coreutils' real debian/copyright (Debian 12) over two files that
    // state nothing themselves. lib/fts.c has a paragraph of its own; the rest is `Files: *`.
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path().join("coreutils-9.1");
    fs::create_dir_all(root.join("debian")).unwrap();
    fs::create_dir_all(root.join("lib")).unwrap();
    fs::copy(
        repo().join("crates/simile/tests/data/debian/coreutils.copyright"),
        root.join("debian/copyright"),
    )
    .unwrap();
    let code = "int fts_open(char *const *argv, int options) {\n  int n = 0;\n  while (argv[n] != 0) n = n + 1;\n  return n + options;\n}\n";
    fs::write(root.join("lib/fts.c"), code).unwrap();
    fs::write(root.join("lib/fts-copy.c"), code).unwrap();
    let (a, b) = ("coreutils-9.1/lib/fts.c", "coreutils-9.1/lib/fts-copy.c");
    let json = json_of(compare_in(tree.path(), &["-f", "json", a, b]).as_bytes());
    assert_valid_report(&json);
    let licenses = &json["comparison"]["licenses"];
    assert_eq!(
        licenses["a"]["declared"],
        serde_json::json!({
            "manifest": "coreutils-9.1/debian/copyright",
            "written": "GPL-3+ and BSD-4-clause-UC",
            "expression": "GPL-3.0-or-later AND BSD-4-Clause-UC",
            "files": "lib/fts.c"
        }),
        "{licenses}"
    );
    assert_eq!(licenses["b"]["declared"]["files"], "*");
    assert_eq!(
        licenses["b"]["effective"],
        serde_json::json!({"expression": "GPL-3.0-or-later", "basis": "package-manifest"})
    );
    assert_eq!(licenses["change"], "changed", "{licenses}");
    let text = compare_in(tree.path(), &[a, b]);
    assert!(
        text.contains(
            "declared in coreutils-9.1/debian/copyright (Files: lib/fts.c)  \
             GPL-3.0-or-later AND BSD-4-Clause-UC"
        ),
        "{text}"
    );
    assert!(
        text.contains("(declared in its package's debian/copyright; the file names none)"),
        "{text}"
    );
    let markdown = compare_in(tree.path(), &["-f", "markdown", a, b]);
    assert!(
        markdown.contains(
            "`coreutils-9.1/debian/copyright` (`Files:` `*`) declares `GPL-3.0-or-later`"
        ),
        "{markdown}"
    );
}

#[test]
fn real_crates_declare_their_licence_change() {
    // zstd-sys's Rust bindings state no licence; its manifest went from `MIT/Apache-2.0`
    // (1.4.20) to `BSD-3-Clause AND BSD-2-Clause` (2.1.3). The vendored zstd sources beside
    // them keep their own licence files, whatever the crate declares.
    let Some(corpus) = std::env::var_os("SIMILE_CORPUS").map(std::path::PathBuf::from) else {
        eprintln!("SIMILE_CORPUS not set: skipped");
        return;
    };
    let (old, new) = ("zstd-sys-1.4.20+zstd.1.4.9", "zstd-sys-2.1.3+zstd.1.5.7");
    if !corpus.join(old).is_dir() || !corpus.join(new).is_dir() {
        eprintln!("zstd-sys corpus missing: skipped");
        return;
    }
    let licenses = |file: &str| {
        let (a, b) = (format!("{old}/{file}"), format!("{new}/{file}"));
        let json =
            json_of(compare_in(&corpus, &["-f", "json", "--no-structure", &a, &b]).as_bytes());
        json["comparison"]["licenses"].clone()
    };
    let bindings = licenses("src/lib.rs");
    assert_eq!(
        bindings["a"]["effective"],
        serde_json::json!({"expression": "MIT OR Apache-2.0", "basis": "package-manifest"}),
        "{bindings}"
    );
    assert_eq!(
        bindings["b"]["effective"]["expression"], "BSD-3-Clause AND BSD-2-Clause",
        "{bindings}"
    );
    assert_eq!(bindings["a"]["declared"]["written"], "MIT/Apache-2.0");
    assert_eq!(bindings["change"], "changed");
    let vendored = licenses("zstd/lib/compress/zstd_lazy.c");
    for side in ["a", "b"] {
        assert!(vendored[side].get("declared").is_none(), "{vendored}");
        assert_eq!(
            vendored[side]["effective"]["expression"], "BSD-3-Clause OR GPL-2.0-only",
            "{vendored}"
        );
    }
    assert_eq!(vendored["change"], "same");
}

#[test]
fn colour_follows_the_flag() {
    let (a, b) = example_pair();
    let coloured = simile()
        .args(["compare", "--color", "always"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap()
        .stdout;
    assert!(coloured.contains(&0x1b));
    let plain = simile()
        .args(["compare", "--color", "never"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap()
        .stdout;
    assert!(!plain.contains(&0x1b));
}

#[test]
fn output_to_a_file() {
    let (a, b) = example_pair();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    simile()
        .args(["compare", "-f", "json", "-o"])
        .arg(&path)
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .stdout("");
    assert_valid_report(&serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap());
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let out = simile()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let printed: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        printed,
        report_schema(),
        "schema/report.schema.json is stale: run `cargo run -p simile-cli -- schema > schema/report.schema.json`"
    );
}

// ----- bad input: each gets a clear message naming the file and a documented exit code ---------

#[test]
fn missing_file_exits_3_naming_it() {
    let (a, _) = example_pair();
    simile()
        .arg("compare")
        .arg(&a)
        .arg("no/such/file.c")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no/such/file.c: no such file"));
}

#[test]
fn unreadable_file_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = example_pair();
    let locked = dir.path().join("locked.c");
    fs::write(&locked, "int x;\n").unwrap();
    let public_a = dir.path().join("a.c");
    fs::copy(&a, &public_a).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    simile_unprivileged()
        .arg("compare")
        .arg(&public_a)
        .arg(&locked)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("locked.c: permission denied"));
}

#[test]
fn directory_instead_of_file_exits_3() {
    let (a, _) = example_pair();
    simile()
        .arg("compare")
        .arg(&a)
        .arg(repo().join("examples"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("is a directory, expected a file"));
}

#[test]
fn binary_file_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("prog.o");
    fs::write(&bin, b"\x7fELF\x02\x01\x01\0\0\0\0\0").unwrap();
    let (a, _) = example_pair();
    simile()
        .arg("compare")
        .arg(&a)
        .arg(&bin)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "prog.o: binary file (NUL byte at offset 7)",
        ));
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("latin1.c");
    let b = dir.path().join("utf8.c");
    let body =
        "int compute(int value) { return value * 42 + helper(value, 7) - other(1, 2, 3); }\n";
    fs::write(
        &a,
        [
            b"/* (c) J\xfcrgen M\xfcller */\n".as_slice(),
            body.as_bytes(),
        ]
        .concat(),
    )
    .unwrap();
    fs::write(&b, format!("/* (c) Jürgen Müller */\n{body}")).unwrap();
    let out = simile()
        .args(["compare", "-f", "json"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success();
    let out = out.get_output();
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("latin1.c: not valid UTF-8; 2 byte(s) read as Windows-1252")
    );
    let json = json_of(&out.stdout);
    assert_eq!(json["comparison"]["a"]["encoding"], "utf8-with-latin1");
    assert_eq!(json["comparison"]["scores"]["similarity"], 1.0);
    assert!(
        json["comparison"]["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Windows-1252")
    );
    // --quiet silences the warning on stderr (the report keeps it)
    simile()
        .args(["compare", "-q"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success()
        .stderr("");
}

#[test]
fn empty_files_are_compared_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.py");
    fs::write(&empty, "").unwrap();
    let (a, _) = example_pair();
    let json = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&empty)
            .arg(&a)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let c = &json["comparison"];
    assert_eq!(c["verdict"], "unrelated");
    assert_eq!(c["scores"]["similarity"], 0.0);
    assert_eq!(c["warnings"][0]["message"], "the file is empty");
    // two empty files: nothing differs
    let json = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&empty)
            .arg(&empty)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(json["comparison"]["verdict"], "identical");
}

#[test]
fn whitespace_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.c");
    fs::write(&blank, " \n\t\n\r\n").unwrap();
    let (a, _) = example_pair();
    let json = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&blank)
            .arg(&a)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert!(
        json["comparison"]["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no code tokens")
    );
}

#[test]
fn large_file_works_and_the_limit_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = example_pair();
    let example = fs::read_to_string(&a).unwrap();
    // ~50 MB: the example repeated
    let big = dir.path().join("big.c");
    let copies = 50 * 1024 * 1024 / example.len() + 1;
    fs::write(&big, example.repeat(copies)).unwrap();
    let json = json_of(
        &simile()
            .args(["compare", "-f", "json"])
            .arg(&a)
            .arg(&big)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let c = &json["comparison"];
    assert!(c["b"]["bytes"].as_u64().unwrap() >= 50 * 1024 * 1024);
    assert_eq!(c["scores"]["coverage_a"], 1.0, "A is contained in B");
    // over the limit: refused with the limit named
    simile()
        .args(["compare", "--max-size", "10M"])
        .arg(&a)
        .arg(&big)
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("big.c").and(predicate::str::contains(
                "over the size limit of 10485760 bytes",
            )),
        );
}

#[test]
fn hostile_content_cannot_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("evil\x1b[2J.c");
    let code = "int main(void) { puts(\"\x1b]0;pwned\x07\x1b[31m\"); return system(\"rm -rf / \u{202e}\"); }\n";
    fs::write(&a, code.repeat(3)).unwrap();
    let out = simile()
        .args(["compare", "--color", "never"])
        .arg(&a)
        .arg(&a)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        !out.contains(&0x1b),
        "an escape byte from the file reached stdout"
    );
    assert!(!out.contains(&0x07));
    assert!(String::from_utf8(out).unwrap().contains("evil␛[2J.c"));
}

#[test]
fn usage_errors_exit_2() {
    simile().args(["compare", "only-one.c"]).assert().code(2);
    simile()
        .args(["compare", "-", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "only one of the two files can be `-`",
        ));
    simile()
        .args(["compare", "--lang", "cobol", "a", "b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown language"));
    simile()
        .args(["compare", "-k", "0", "a", "b"])
        .assert()
        .code(2);
    simile().args(["frobnicate"]).assert().code(2);
}

#[test]
fn unwritable_output_exits_5() {
    let (a, b) = example_pair();
    simile()
        .args(["compare", "-o", "/no/such/dir/report.txt"])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "/no/such/dir/report.txt: cannot write the report",
        ));
}

#[test]
fn forced_language() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("script");
    fs::write(
        &a,
        "# a comment, not code\nx = compute(1, 2)\ny = other(x)\n",
    )
    .unwrap();
    let json = json_of(
        &simile()
            .args(["compare", "-f", "json", "--lang", "python"])
            .arg(&a)
            .arg(&a)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(json["comparison"]["a"]["language"], "python");
    assert_eq!(
        json["comparison"]["a"]["tokens"], 14,
        "the comment is not tokens"
    );
}
