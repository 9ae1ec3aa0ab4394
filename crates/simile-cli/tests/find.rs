//! End-to-end tests of `simile find` on generated trees built from real source files of five
//! languages (tests/fixtures/find), on bad inputs, and on the registry corpora when present.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const FIXTURES: [&str; 5] = [
    "ringbuf.c",
    "lru.py",
    "debounce.js",
    "wordfreq.go",
    "intervals.rs",
];

fn simile() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("simile"))
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/find")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

/// A later version of a fixture: a statement inserted, a line of code deleted and a name
/// changed, as a maintainer would.
fn edited(name: &str) -> String {
    let text = fixture(name);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len();
    let code = |l: &String| l.trim().len() > 8 && !l.trim_start().starts_with(['/', '#', '*']);
    let gone = (n * 2 / 3..n).find(|&i| code(&lines[i])).unwrap();
    lines.remove(gone);
    lines.insert(n / 2, inserted_statement(name).to_string());
    // A name changed on one line: `count` -> `count2`.
    let changed = (n / 3..n).find(|&i| code(&lines[i])).unwrap();
    let line = &lines[changed];
    let end = line.rfind(|c: char| c.is_ascii_alphabetic()).unwrap() + 1;
    lines[changed] = format!("{}2{}", &line[..end], &line[end..]);
    lines.join("\n") + "\n"
}

fn inserted_statement(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("py") => "    reloads = reloads + 1",
        Some("go") => "\treloads := reloads + 1",
        _ => "    reloads = reloads + 1;",
    }
}

/// A structural sibling: every name of the file changed consistently, as OpenSSL's
/// `cmll_cbc.c` is `aes_cbc.c` with `AES` replaced by `Camellia`.
fn renamed(text: &str, renames: &[(&str, &str)]) -> String {
    renames
        .iter()
        .fold(text.to_string(), |t, (a, b)| t.replace(a, b))
}

fn json(output: &std::process::Output) -> Value {
    let value: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let schema = simile::report::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    if let Err(e) = validator.validate(&value) {
        panic!("the report does not match its schema: {e}");
    }
    assert_eq!(value["kind"], "find");
    assert_eq!(value["schema_version"], simile::report::SCHEMA_VERSION);
    value
}

fn find_json(args: &[&str], dir: &Path) -> (Value, i32) {
    let output = simile()
        .current_dir(dir)
        .arg("find")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = output.status.code().unwrap_or(-1);
    (json(&output), code)
}

fn match_paths(query: &Value) -> Vec<String> {
    query["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["file"]["path"].as_str().unwrap().to_string())
        .collect()
}

/// `report` holds `queries` queries, each with at least one match.
fn assert_every_query_matched(report: &Value, queries: usize) {
    let found = report["find"]["queries"].as_array().unwrap();
    assert_eq!(found.len(), queries);
    assert!(
        found.iter().all(|q| !match_paths(q).is_empty()),
        "{found:?}"
    );
}

/// old/ holds the fixtures; new/ their edited versions, renamed siblings of two of them, and
/// the other fixtures' siblings as distractors.
fn versions_tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for name in FIXTURES {
        write(p, &format!("old/{name}"), &fixture(name));
        write(p, &format!("new/src/{name}"), &edited(name));
    }
    write(
        p,
        "new/src/bytequeue.c",
        &renamed(
            &fixture("ringbuf.c"),
            &[("ringbuf", "bytequeue"), ("rb", "q"), ("data", "bytes")],
        ),
    );
    write(
        p,
        "new/src/mru.py",
        &renamed(
            &fixture("lru.py"),
            &[
                ("LRU", "MRU"),
                ("_items", "_entries"),
                ("capacity", "limit"),
            ],
        ),
    );
    dir
}

#[test]
fn finds_the_later_version_first_in_every_language() {
    let dir = versions_tree();
    let (report, code) = find_json(&["old", "--in", "new"], dir.path());
    assert_eq!(code, 0);
    let queries = report["find"]["queries"].as_array().unwrap();
    assert_eq!(queries.len(), FIXTURES.len());
    for q in queries {
        let query = q["query"]["path"].as_str().unwrap();
        let name = Path::new(query).file_name().unwrap().to_str().unwrap();
        let paths = match_paths(q);
        assert_eq!(paths[0], format!("new/src/{name}"), "{query}: {paths:?}");
        let best = &q["matches"][0];
        assert_eq!(best["rank"], 1);
        assert!(best["similarity"].as_f64().unwrap() > 0.9, "{best}");
        assert!(
            ["near-identical", "derived"].contains(&best["verdict"].as_str().unwrap()),
            "{best}"
        );
        assert!(best["shared_fingerprints"].as_u64().unwrap() > 0);
    }
    let corpus = &report["find"]["corpus"];
    assert_eq!(corpus["kind"], "directory");
    assert_eq!(corpus["files"], 7);
}

#[test]
fn a_renamed_sibling_ranks_below_the_file_that_kept_the_names() {
    let dir = versions_tree();
    for (query, truth, sibling) in [
        ("old/ringbuf.c", "new/src/ringbuf.c", "new/src/bytequeue.c"),
        ("old/lru.py", "new/src/lru.py", "new/src/mru.py"),
    ] {
        let (report, _) = find_json(&[query, "--in", "new"], dir.path());
        let q = &report["find"]["queries"][0];
        let paths = match_paths(q);
        assert_eq!(&paths[..2], [truth, sibling], "{query}");
        // The sibling is honestly near-identical in shape, with its renamings counted...
        let sib = &q["matches"][1];
        assert!(sib["similarity"].as_f64().unwrap() > 0.85, "{sib}");
        assert!(sib["renamed_tokens"].as_u64().unwrap() > 10, "{sib}");
        // ...and ranks lower because fewer of its tokens and lines are unchanged.
        assert!(sib["score"].as_f64().unwrap() < q["matches"][0]["score"].as_f64().unwrap());
        assert!(
            sib["unchanged_lines_query"].as_u64().unwrap()
                < q["matches"][0]["unchanged_lines_query"].as_u64().unwrap()
        );
    }
}

const HEADER: &str = "\
#ifndef RINGBUF_H
#define RINGBUF_H
#include <stddef.h>
struct ringbuf;
struct ringbuf *ringbuf_new(size_t capacity);
void ringbuf_free(struct ringbuf *rb);
size_t ringbuf_write(struct ringbuf *rb, const void *src, size_t len);
size_t ringbuf_read(struct ringbuf *rb, void *dst, size_t len);
size_t ringbuf_peek(const struct ringbuf *rb, size_t offset, unsigned char *out);
int ringbuf_is_full(const struct ringbuf *rb);
void ringbuf_clear(struct ringbuf *rb);
#endif
";

#[test]
fn a_header_finds_its_new_version_before_the_amalgamation_that_contains_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "old/ringbuf.h", HEADER);
    // The new header lost one declaration and gained another.
    let new_header = HEADER
        .replace(
            "int ringbuf_is_full(const struct ringbuf *rb);\n",
            "size_t ringbuf_used(const struct ringbuf *rb);\n",
        )
        .replace("void ringbuf_clear(struct ringbuf *rb);\n", "");
    write(p, "new/include/ringbuf.h", &new_header);
    // An amalgamation holding the old header verbatim, and much else.
    let amalgamation: String = [HEADER.to_string()]
        .into_iter()
        .chain(
            FIXTURES
                .iter()
                .map(|f| renamed(&fixture(f), &[("import", "# import")])),
        )
        .collect::<Vec<_>>()
        .join("\n");
    write(p, "new/amalgamation.c", &amalgamation);
    let (report, code) = find_json(&["old/ringbuf.h", "--in", "new"], p);
    assert_eq!(code, 0);
    let q = &report["find"]["queries"][0];
    assert_eq!(
        match_paths(q),
        ["new/include/ringbuf.h", "new/amalgamation.c"]
    );
    let amalg = &q["matches"][1];
    // The whole query is in the amalgamation, which is said, but it is not "the similar file".
    assert_eq!(amalg["coverage_query"], 1.0);
    assert_eq!(amalg["verdict"], "derived");
    assert!(amalg["similarity"].as_f64().unwrap() < 0.2);
}

/// The Apache licence text, which in a plain-text file is not a comment but words.
const LICENCE: &str = "\
Licensed to the Apache Software Foundation (ASF) under one or more contributor license
agreements. See the NOTICE file distributed with this work for additional information
regarding copyright ownership. The ASF licenses this file to you under the Apache License,
Version 2.0 (the \"License\"); you may not use this file except in compliance with the
License. You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
Unless required by applicable law or agreed to in writing, software distributed under the
License is distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
either express or implied. See the License for the specific language governing permissions
and limitations under the License.
";

#[test]
fn a_licence_made_of_tokens_shared_by_many_files_does_not_make_them_alike() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let notes = |i: usize| -> String {
        (0..12)
            .map(|l| {
                format!(
                    "Release {i}.{l}: fixed ticket {} in module m{} after review by team {}.\n",
                    i * 97 + l * 13,
                    (i * 7 + l) % 41,
                    (i + l * 3) % 17
                )
            })
            .collect()
    };
    for i in 0..40 {
        write(
            p,
            &format!("docs/notes{i:02}.txt"),
            &format!("{LICENCE}\n{}", notes(i)),
        );
    }
    write(p, "query/notes17.txt", &format!("{LICENCE}\n{}", notes(17)));
    let (report, code) = find_json(&["query/notes17.txt", "--in", "docs"], p);
    assert_eq!(code, 0);
    let q = &report["find"]["queries"][0];
    assert_eq!(
        match_paths(q),
        ["docs/notes17.txt"],
        "only the copy, not the 39 others"
    );
    assert!(
        q["fingerprints"]["common"].as_u64().unwrap() > 5,
        "{}",
        q["fingerprints"]
    );
    assert_eq!(report["find"]["settings"]["max_df"], 10);

    // With the cutoff raised, the licence counts again and brings the others in.
    let (report, _) = find_json(&["query/notes17.txt", "--in", "docs", "--max-df", "100"], p);
    assert!(match_paths(&report["find"]["queries"][0]).len() > 1);
}

#[test]
fn licence_comments_and_import_lists_never_count() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let cddl: String = (0..25)
        .map(|i| format!(" * CDDL HEADER line {i}: the contents of this file are subject to the terms of the Common Development and Distribution License.\n"))
        .collect();
    write(
        p,
        "a.c",
        &format!("/*\n{cddl} */\n{}", fixture("ringbuf.c")),
    );
    write(
        p,
        "tree/b.c",
        &format!("/*\n{cddl} */\nint unrelated(int x)\n{{\n    return x * 3 + 1;\n}}\n"),
    );
    let imports: String = [
        "os",
        "sys",
        "json",
        "re",
        "typing",
        "pathlib",
        "logging",
        "functools",
        "itertools",
        "collections",
        "dataclasses",
        "threading",
    ]
    .iter()
    .map(|m| format!("import {m}\nfrom {m} import *\n"))
    .collect();
    write(p, "a.py", &format!("{imports}\n{}", fixture("lru.py")));
    write(
        p,
        "tree/b.py",
        &format!("{imports}\n\ndef unrelated(values):\n    return sorted(set(values))[:3]\n"),
    );
    let (report, code) = find_json(&["a.c", "a.py", "--in", "tree", "--max-df", "1000"], p);
    assert_eq!(code, 1, "nothing similar: exit 1");
    for q in report["find"]["queries"].as_array().unwrap() {
        assert!(q["matches"].as_array().unwrap().is_empty(), "{q}");
    }
}

#[test]
fn base_code_given_with_ignore_never_counts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let template = fixture("lru.py");
    write(p, "template/skeleton.py", &template);
    let own_a = fixture("debounce.js").replace("export ", "");
    let own_b = fixture("wordfreq.go");
    // Two students who only share the template, and one who copied student A.
    write(p, "a.py", &format!("{template}\n{own_a}"));
    write(p, "class/b.py", &format!("{template}\n{own_b}"));
    write(p, "class/c.py", &format!("{template}\n{own_a}"));

    let (report, _) = find_json(&["a.py", "--in", "class"], p);
    let q = &report["find"]["queries"][0];
    assert_eq!(
        match_paths(q),
        ["class/c.py", "class/b.py"],
        "without --ignore"
    );

    let (report, code) = find_json(&["a.py", "--in", "class", "--ignore", "template"], p);
    assert_eq!(code, 0);
    let q = &report["find"]["queries"][0];
    assert_eq!(
        match_paths(q),
        ["class/c.py"],
        "the template alone is not similarity"
    );
    let c = &q["matches"][0];
    // The copied part is all that is left of both files: identical.
    assert!(c["similarity"].as_f64().unwrap() > 0.95, "{c}");
    assert!(q["fingerprints"]["base"].as_u64().unwrap() > 0);
    assert!(report["find"]["settings"]["base_kgrams"].as_u64().unwrap() > 100);
}

#[test]
fn the_query_is_never_its_own_match_but_its_copies_are() {
    let dir = versions_tree();
    let p = dir.path();
    fs::copy(p.join("new/src/lru.py"), p.join("new/copy_of_lru.py")).unwrap();
    let (report, _) = find_json(&["new/src/lru.py", "--in", "new"], p);
    let q = &report["find"]["queries"][0];
    let paths = match_paths(q);
    assert_eq!(paths[0], "new/copy_of_lru.py");
    assert_eq!(q["matches"][0]["verdict"], "identical");
    assert!(!paths.contains(&"new/src/lru.py".to_string()), "{paths:?}");
}

#[test]
fn compare_renders_the_full_comparison_with_the_best_match() {
    let dir = versions_tree();
    let output = simile()
        .current_dir(dir.path())
        .args([
            "find",
            "old/ringbuf.c",
            "--in",
            "new",
            "--compare",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("simile find old/ringbuf.c"), "{text}");
    assert!(text.contains("new/src/ringbuf.c"), "{text}");
    assert!(
        text.contains("simile compare old/ringbuf.c <-> new/src/ringbuf.c"),
        "{text}"
    );
    assert!(text.contains("region 1"), "{text}");
    assert!(text.contains("searched 7 file(s) in new"), "{text}");

    // new/ has a licence file; old/ and the temporary directory above both have none.
    write(
        dir.path(),
        "new/COPYING",
        "SPDX-License-Identifier: GPL-2.0-only\n",
    );
    let (report, _) = find_json(&["old/ringbuf.c", "--in", "new", "--compare"], dir.path());
    let q = &report["find"]["queries"][0];
    assert_eq!(q["comparison"]["b"]["path"], "new/src/ringbuf.c");
    // The comparison is the one `simile compare` makes: units and licences too.
    let units = &q["comparison"]["units"];
    assert!(!units["units"].as_array().unwrap().is_empty(), "{units}");
    let licenses = &q["comparison"]["licenses"];
    assert!(licenses["a"].get("license_files").is_none(), "{licenses}");
    assert_eq!(licenses["b"]["license_files"][0]["path"], "new/COPYING");
    assert_eq!(licenses["b"]["license_files"][0]["license"], "GPL-2.0-only");
    let compared = simile()
        .current_dir(dir.path())
        .args([
            "compare",
            "-f",
            "json",
            "old/ringbuf.c",
            "new/src/ringbuf.c",
        ])
        .output()
        .unwrap();
    let compared: Value = serde_json::from_slice(&compared.stdout).unwrap();
    let mut compared = compared["comparison"].clone();
    let mut found = q["comparison"].clone();
    // Timings aside, if a report carries any.
    for c in [&mut compared, &mut found] {
        c.as_object_mut().unwrap().remove("timing");
    }
    assert_eq!(found, compared, "find --compare shows what compare shows");
    let (plain, _) = find_json(
        &[
            "old/ringbuf.c",
            "--in",
            "new",
            "--compare",
            "--no-structure",
            "--no-license",
        ],
        dir.path(),
    );
    let c = &plain["find"]["queries"][0]["comparison"];
    assert!(c["units"].is_null() && c["licenses"].is_null(), "{c}");
    // The comparison counts the #include lines, which the ranking leaves out.
    let with_includes = q["comparison"]["scores"]["matched_tokens"]
        .as_u64()
        .unwrap();
    let without = q["matches"][0]["matched_tokens"].as_u64().unwrap();
    assert!(with_includes > without, "{with_includes} {without}");
    // Without imports, the numbers are those of `simile compare`.
    let (report, _) = find_json(&["old/debounce.js", "--in", "new", "--compare"], dir.path());
    let q = &report["find"]["queries"][0];
    assert_eq!(
        q["comparison"]["scores"]["similarity"],
        q["matches"][0]["similarity"]
    );
}

#[test]
fn top_and_min_similarity() {
    let dir = versions_tree();
    let (report, _) = find_json(&["old/lru.py", "--in", "new", "--top", "1"], dir.path());
    assert_eq!(match_paths(&report["find"]["queries"][0]).len(), 1);

    let output = simile()
        .current_dir(dir.path())
        .args([
            "find",
            "old/debounce.js",
            "--in",
            "new",
            "--min-similarity",
            "0.999",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "nothing that similar: exit 1"
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("no similar file"), "{text}");

    simile()
        .args(["find", "a.c", "--in", ".", "--min-similarity", "1.5"])
        .assert()
        .code(2);
}

#[test]
fn a_directory_of_queries_gives_one_ranking_per_file_in_path_order() {
    let dir = versions_tree();
    let (report, _) = find_json(&["old", "--in", "new", "--top", "2"], dir.path());
    let names: Vec<&str> = report["find"]["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["query"]["path"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 5);
}

/// Queries named one by one index the tree for their own fingerprints only; a directory of
/// queries this large beside the tree (more than an eighth of its bytes) indexes all of it.
/// The answers, and the corpus's figures, are the same.
#[test]
fn named_queries_get_the_answers_of_the_same_files_walked_as_a_directory() {
    let dir = versions_tree();
    let p = dir.path();
    fs::copy(p.join("new/src/lru.py"), p.join("new/copy_of_lru.py")).unwrap();
    let mut named: Vec<String> = FIXTURES.iter().map(|n| format!("old/{n}")).collect();
    named.sort();
    let mut args: Vec<&str> = named.iter().map(String::as_str).collect();
    args.extend(["--in", "new", "--compare"]);
    let (one_by_one, code) = find_json(&args, p);
    let (walked, walked_code) = find_json(&["old", "--in", "new", "--compare"], p);
    assert_eq!(code, walked_code);
    assert_eq!(one_by_one["find"], walked["find"]);
    let corpus = &walked["find"]["corpus"];
    assert!(
        corpus["distinct_fingerprints"].as_u64().unwrap() > 100,
        "{corpus}"
    );
    assert!(
        corpus["postings"].as_u64() > corpus["distinct_fingerprints"].as_u64(),
        "{corpus}"
    );
    assert_every_query_matched(&walked, 5);
}

/// Standard input has no file name: one `--lang` names its language, and the query then
/// ranks as the file does; without it, it is plain text, and a note says how to name it.
#[test]
fn standard_input_as_the_query_takes_its_language_from_one_lang() {
    let dir = versions_tree();
    let p = dir.path();
    let run = |args: &[&str]| {
        simile()
            .current_dir(p)
            .arg("find")
            .args(args)
            .args(["--in", "new", "--format", "json"])
            .write_stdin(fixture("ringbuf.c"))
            .output()
            .unwrap()
    };
    let (named, _) = find_json(&["old/ringbuf.c", "--in", "new", "--lang", "c"], p);
    let piped = run(&["-", "--lang", "c"]);
    let report = json(&piped);
    let query = &report["find"]["queries"][0];
    assert_eq!(query["query"]["language"], "c");
    assert_eq!(query["matches"], named["find"]["queries"][0]["matches"]);
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("plain text"));

    let as_text = run(&["-"]);
    let report = json(&as_text);
    assert_eq!(report["find"]["queries"][0]["query"]["language"], "text");
    let stderr = String::from_utf8_lossy(&as_text.stderr);
    assert!(
        stderr.contains("read as plain text; `--lang c`"),
        "{stderr}"
    );
}

/// The cache decides only how often a candidate is read again for the next query: with none,
/// room for one small file, or the default, a directory of queries gets the same report.
#[test]
fn the_cache_size_changes_no_answer() {
    let dir = versions_tree();
    let args = [
        "find",
        "old",
        "--in",
        "new",
        "--compare",
        "-f",
        "json",
        "--quiet",
    ];
    let default =
        common::assert_cache_size_changes_no_answer(dir.path(), &args, &["0", "4K", "1G"]);
    assert_every_query_matched(&serde_json::from_slice(&default).unwrap(), 5);
}

#[test]
fn skipped_files_are_reported_not_fatal() {
    let dir = versions_tree();
    let p = dir.path();
    fs::write(p.join("new/blob.bin"), b"\x7fELF\x02\x01\x01\0\0\0\0\0").unwrap();
    fs::write(p.join("new/app.min.js"), "var a=1,b=2;".repeat(400)).unwrap();
    fs::write(p.join("new/huge.c"), "int x;\n".repeat(200_000)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(p.join("new"), p.join("new/src/loop")).unwrap();
    let output = simile()
        .current_dir(p)
        .args([
            "find",
            "old/wordfreq.go",
            "--in",
            "new",
            "--follow",
            "--max-size",
            "1M",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    let skipped = &report["find"]["skipped"];
    let reasons: Vec<&str> = skipped["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    for reason in ["binary", "minified", "too-large"] {
        assert!(reasons.contains(&reason), "{reason} in {reasons:?}");
    }
    #[cfg(unix)]
    assert!(reasons.contains(&"symlink-loop"), "{reasons:?}");
    assert_eq!(skipped["total"].as_u64().unwrap() as usize, reasons.len());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("simile: skipped"), "{stderr}");
    assert!(stderr.contains("1 binary"), "{stderr}");
    assert_eq!(
        match_paths(&report["find"]["queries"][0])[0],
        "new/src/wordfreq.go"
    );

    // --quiet: nothing on stderr.
    let output = simile()
        .current_dir(p)
        .args(["find", "old/wordfreq.go", "--in", "new", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_in_the_tree_is_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = versions_tree();
    let p = dir.path();
    let secret = write(p, "new/secret.c", &fixture("ringbuf.c"));
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    // The tree must be reachable by the unprivileged user the command runs as.
    fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
    let output = common::simile_unprivileged()
        .current_dir(p)
        .args(["find", "old/ringbuf.c", "--in", "new", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    let files = report["find"]["skipped"]["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|s| s["reason"] == "unreadable"
                && s["path"].as_str().unwrap().ends_with("secret.c")),
        "{files:?}"
    );
}

#[test]
fn bad_inputs_get_clear_errors() {
    let dir = versions_tree();
    let p = dir.path();
    // A missing query names the path: exit 3.
    simile()
        .current_dir(p)
        .args(["find", "old/missing.c", "--in", "new"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("old/missing.c: no such file"));
    // A missing tree: exit 3.
    simile()
        .current_dir(p)
        .args(["find", "old/lru.py", "--in", "nowhere"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("nowhere"));
    // A binary query: exit 3.
    fs::write(p.join("a.out"), b"\x7fELF\x02\x01\x01\0\0\0\0\0").unwrap();
    simile()
        .current_dir(p)
        .args(["find", "a.out", "--in", "new"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("a.out: binary file"));
    // No corpus at all: usage, exit 2.
    simile()
        .current_dir(p)
        .args(["find", "old/lru.py"])
        .assert()
        .code(2);
    // No index at that path: an index error naming it and saying how to make one, exit 4.
    simile()
        .current_dir(p)
        .args(["find", "old/lru.py", "--index", "corpus.simile"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "corpus.simile: no such index (create one with `simile index build",
        ));
}

#[test]
fn an_empty_query_finds_only_empty_files() {
    let dir = versions_tree();
    let p = dir.path();
    write(p, "empty.py", "");
    let (report, code) = find_json(&["empty.py", "--in", "new"], p);
    assert_eq!(code, 1, "no code, no match");
    let q = &report["find"]["queries"][0];
    assert!(q["matches"].as_array().unwrap().is_empty());
    assert!(
        q["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("empty")
    );

    // With empty files in the tree, those are byte-identical to it.
    write(p, "new/pkg/__init__.py", "");
    let (report, code) = find_json(&["empty.py", "--in", "new"], p);
    assert_eq!(code, 0);
    let q = &report["find"]["queries"][0];
    assert_eq!(match_paths(q), ["new/pkg/__init__.py"]);
    assert_eq!(q["matches"][0]["verdict"], "identical");
}

#[test]
fn tiny_files_find_their_copies() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "q/version.py", "VERSION = (5, 1, 15)\n");
    write(p, "t/a/version.py", "# the release\nVERSION = (5, 1, 15)\n");
    write(p, "t/b/version.py", "VERSION = (4, 2, 30)\n");
    write(p, "t/c.py", &fixture("lru.py"));
    let (report, code) = find_json(&["q/version.py", "--in", "t"], p);
    assert_eq!(code, 0);
    let q = &report["find"]["queries"][0];
    assert_eq!(match_paths(q), ["t/a/version.py"]);
    assert_eq!(q["matches"][0]["similarity"], 1.0);

    // An edited tiny file is below the noise threshold: said, with the way to look closer.
    write(p, "q/edited.py", "VERSION = (5, 1, 16)\n");
    simile()
        .current_dir(p)
        .args(["find", "q/edited.py", "--in", "t"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("`-k 6 -w 4` looks closer"));
}

/// The registry corpora (bench/fetch-corpus.sh), when present.
fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(
        std::env::var("SIMILE_CORPUS").unwrap_or_else(|_| "/work/cache/corpus".into()),
    );
    root.join("openssl-src-300.6.1+3.6.3")
        .is_dir()
        .then_some(root)
}

#[test]
fn real_corpora_siblings_and_new_versions() {
    let Some(root) = corpus() else {
        eprintln!("no registry corpus: skipped");
        return;
    };
    let old = "openssl-src-111.28.2+1.1.1w/openssl/crypto";
    let (report, code) = find_json(
        &[
            &format!("{old}/aes/aes_cbc.c"),
            &format!("{old}/camellia/cmll_cbc.c"),
            "zstd-sys-1.4.20+zstd.1.4.9/zstd/lib/compress/zstd_compress.c",
            "--in",
            "openssl-src-300.6.1+3.6.3/openssl/crypto",
            "--in",
            "zstd-sys-2.1.3+zstd.1.5.7/zstd/lib",
        ],
        &root,
    );
    assert_eq!(code, 0);
    let q = report["find"]["queries"].as_array().unwrap();
    let new = "openssl-src-300.6.1+3.6.3/openssl/crypto";
    assert_eq!(
        &match_paths(&q[0])[..2],
        [
            format!("{new}/aes/aes_cbc.c"),
            format!("{new}/camellia/cmll_cbc.c")
        ]
    );
    assert_eq!(
        &match_paths(&q[1])[..2],
        [
            format!("{new}/camellia/cmll_cbc.c"),
            format!("{new}/aes/aes_cbc.c")
        ]
    );
    assert_eq!(
        match_paths(&q[2])[0],
        "zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/compress/zstd_compress.c"
    );
    assert!(q[2]["matches"][0]["coverage_query"].as_f64().unwrap() > 0.8);
}

/// Paths of each query's matches, by file name (an index stores absolute paths, `--in` the
/// paths as walked), with their verified similarity.
/// A directory of few queries beside a large tree is read before the tree is indexed, and the
/// tree indexed for their fingerprints only: the answers and the files skipped are those of an
/// index of the whole tree.
#[test]
fn a_few_walked_queries_get_the_answers_of_the_whole_index() {
    let dir = versions_tree();
    let p = dir.path();
    // Enough other code that the queries are under an eighth of the tree.
    for (i, name) in FIXTURES.iter().cycle().take(60).enumerate() {
        write(p, &format!("new/vendor/v{i}/{name}"), &edited(name));
    }
    write(p, "q/lru.py", &fixture("lru.py"));
    write(p, "q/sub/ringbuf.c", &fixture("ringbuf.c"));
    fs::write(p.join("q/blob.c"), b"\x00\x01\x02 not text").unwrap();
    let index = index_of_new(p);

    let (in_tree, code_tree) = find_json(&["q", "--in", "new"], p);
    let (in_index, code_index) = find_json(&["q", "--index", index.to_str().unwrap()], p);
    assert_eq!(code_tree, code_index);
    assert_eq!(ranked_names(&in_tree), ranked_names(&in_index));
    let fingerprints = |report: &Value| -> Vec<Value> {
        let queries = report["find"]["queries"].as_array().unwrap();
        queries.iter().map(|q| q["fingerprints"].clone()).collect()
    };
    assert_eq!(fingerprints(&in_tree), fingerprints(&in_index));
    let skipped = &in_tree["find"]["skipped"];
    assert_eq!(skipped, &in_index["find"]["skipped"]);
    assert!(skipped.to_string().contains("q/blob.c"), "{skipped}");
    let ranked = ranked_names(&in_tree);
    assert_eq!(ranked.len(), 2);
    assert!(ranked.iter().all(|q| q.len() > 5), "{ranked:?}");
}

/// `simile index build new` in `dir`: the index's path.
fn index_of_new(dir: &Path) -> PathBuf {
    let index = dir.join("corpus.simile");
    let out = simile()
        .current_dir(dir)
        .args(["index", "build", "new", "-o"])
        .arg(&index)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    index
}

fn ranked_names(report: &Value) -> Vec<Vec<(String, String)>> {
    report["find"]["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            q["matches"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    let path = m["file"]["path"].as_str().unwrap();
                    let name = path.rsplit('/').next().unwrap().to_string();
                    (name, format!("{:.4}", m["similarity"].as_f64().unwrap()))
                })
                .collect()
        })
        .collect()
}

#[test]
fn an_index_answers_exactly_as_the_tree_does() {
    let dir = versions_tree();
    let p = dir.path();
    let index = index_of_new(p);

    let (in_tree, code_tree) = find_json(&["old", "--in", "new"], p);
    let index_arg = index.to_str().unwrap();
    let (in_index, code_index) = find_json(&["old", "--index", index_arg], p);
    assert_eq!(code_tree, code_index);
    assert_eq!(in_index["find"]["corpus"]["kind"], "index");
    assert_eq!(ranked_names(&in_tree), ranked_names(&in_index));
    assert!(
        ranked_names(&in_index).iter().all(|q| !q.is_empty()),
        "every query finds its edited version"
    );

    // --compare works from an index too (the match is read back from disk)
    let (cmp, _) = find_json(&["old/lru.py", "--index", index_arg, "--compare"], p);
    let c = &cmp["find"]["queries"][0]["comparison"];
    assert!(c["scores"]["similarity"].as_f64().unwrap() > 0.8, "{c}");
}

#[test]
fn a_damaged_index_fails_the_search_instead_of_answering_partially() {
    let dir = versions_tree();
    let p = dir.path();
    let index = p.join("corpus.simile");
    simile()
        .current_dir(p)
        .args(["index", "build", "new", "-o"])
        .arg(&index)
        .assert()
        .success();
    for entry in fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "sgm") {
            let mut bytes = fs::read(&path).unwrap();
            // damage the data blocks, well past the header
            for i in (bytes.len() / 4..bytes.len() * 3 / 4).step_by(97) {
                bytes[i] ^= 0x5a;
            }
            fs::write(&path, bytes).unwrap();
        }
    }
    let out = simile()
        .current_dir(p)
        .args(["find", "old", "--index", index.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("corrupt index"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_missing_or_foreign_index_is_an_index_error() {
    let dir = versions_tree();
    let p = dir.path();
    let out = simile()
        .current_dir(p)
        .args(["find", "old", "--index", "nope.simile"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = simile()
        .current_dir(p)
        .args(["find", "old", "--index", "new"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("new"));
}

#[test]
fn licenses_tell_each_matchs_licence_against_the_querys() {
    // The query lives in a BSD-3-Clause crate; its copy under vendor/ in an MIT tree, an edited
    // version in a tree whose pyproject.toml declares the same BSD-3-Clause.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // Without its header comment: the file states no licence, its tree does.
    let code = fixture("ringbuf.c");
    let body = code.split_once("*/\n").unwrap().1.to_owned();
    write(p, "mine/.git/HEAD", "ref: refs/heads/main\n");
    write(
        p,
        "mine/Cargo.toml",
        "[package]\nlicense = \"BSD-3-Clause\"\n",
    );
    write(p, "mine/src/ringbuf.c", &body);
    write(p, "corpus/.git/HEAD", "ref: refs/heads/main\n");
    write(p, "corpus/app/LICENSE", "SPDX-License-Identifier: MIT\n");
    write(p, "corpus/app/vendor/ringbuf.c", &body);
    write(
        p,
        "corpus/lib/pyproject.toml",
        "[project]\nlicense = \"BSD-3-Clause\"\n",
    );
    let edited = body.replace("head", "first");
    write(p, "corpus/lib/ringbuf.c", &edited);

    let (report, code) = find_json(&["mine/src/ringbuf.c", "--in", "corpus", "--licenses"], p);
    assert_eq!(code, 0, "{report}");
    common::assert_valid_report(&report);
    assert_eq!(report["find"]["settings"]["licenses"], true);
    let q = &report["find"]["queries"][0];
    assert_eq!(
        q["license"]["effective"],
        serde_json::json!({"expression": "BSD-3-Clause", "basis": "package-manifest"}),
        "{q}"
    );
    let by_path = |path: &str| {
        q["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["file"]["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {q}"))
            .clone()
    };
    let vendored = by_path("corpus/app/vendor/ringbuf.c");
    assert_eq!(vendored["license"]["effective"]["expression"], "MIT");
    assert_eq!(vendored["license_change"], "changed");
    let library = by_path("corpus/lib/ringbuf.c");
    assert_eq!(library["license_change"], "same", "{library}");

    let run = |format: &str| {
        let out = simile()
            .current_dir(p)
            .args(["find", "mine/src/ringbuf.c", "--in", "corpus", "--licenses"])
            .args(["-f", format, "--color", "never"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    assert!(
        text.contains(
            "  licence  BSD-3-Clause (declared in its package's Cargo.toml; the file names none)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "licence  MIT (licence files; the file names none)  differs from the query\n"
        ),
        "{text}"
    );
    let csv = run("csv");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",license,license_change")
    );
    assert!(
        csv.lines()
            .any(|l| l.contains("corpus/app/vendor/ringbuf.c") && l.ends_with(",MIT,changed")),
        "{csv}"
    );
    let markdown = run("markdown");
    assert!(
        markdown
            .contains("`MIT` (licence files; the file names none)<br>**differs from the query** |"),
        "{markdown}"
    );
    let html = run("html");
    assert!(
        html.contains("<th>licence</th>"),
        "the ranking has a licence column"
    );
    // SARIF warns on the query, for the vendored copy only.
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let warnings = common::sarif_results(&sarif, "simile/license-changed");
    assert_eq!(warnings.len(), 1, "{sarif}");
    assert_eq!(
        warnings[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "mine/src/ringbuf.c"
    );
    assert_eq!(
        warnings[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "corpus/app/vendor/ringbuf.c"
    );
    assert_eq!(warnings[0]["properties"]["licenseMatch"], "MIT");
    let scanoss: Value = serde_json::from_str(&run("scanoss")).unwrap();
    let entries = scanoss["mine/src/ringbuf.c"].as_array().unwrap();
    let vendored = entries
        .iter()
        .find(|e| e["file"] == "corpus/app/vendor/ringbuf.c")
        .unwrap();
    assert_eq!(vendored["licenses"][0]["name"], "MIT", "{vendored}");
    // Without the flag nothing is read.
    let (report, _) = find_json(&["mine/src/ringbuf.c", "--in", "corpus"], p);
    let q = &report["find"]["queries"][0];
    assert!(q.get("license").is_none());
    assert!(q["matches"][0].get("license_change").is_none());
}
