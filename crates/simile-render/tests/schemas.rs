//! Machine-readable outputs against their schemas: the JSON report against the committed
//! `schema/report.schema.json` (kept equal to the Rust types by the CLI's `simile schema`
//! test), SARIF against the official OASIS SARIF 2.1.0 schema, SCANOSS output for its shape.

mod common;

use common::{FIND_QUERIES, PAIRS, find_report, pair, render, repo_root, report_of, source};
use simile_render::{Format, RenderOptions};

fn load_schema(name: &str) -> serde_json::Value {
    let path = repo_root().join("schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

fn validator(name: &str) -> jsonschema::Validator {
    let mut schema = load_schema(name);
    fix_language_patterns(&mut schema);
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// The OASIS schema's `language` patterns have a lone `]`, which ECMA-262 Annex B reads as a
/// literal but the validator's regex check rejects; escaping it keeps the same meaning.
fn fix_language_patterns(v: &mut serde_json::Value) {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k == "pattern" && child == BROKEN {
                    *child = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
                } else {
                    fix_language_patterns(child);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
        _ => {}
    }
}

fn errors(v: &jsonschema::Validator, instance: &serde_json::Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every fixture pair, plus pairs with nothing in common and with awkward paths.
fn reports() -> Vec<(String, simile::report::Report, simile_render::SourceSet)> {
    let mut out = Vec::new();
    for (name, file) in PAIRS {
        let (a, b) = pair(name, file);
        let (report, sources) = report_of(a, b);
        out.push((name.to_string(), report, sources));
    }
    let a = source(
        "dir with space/a [1].c",
        b"int main(void) { return 0; }\n".to_vec(),
    );
    let b = source("/abs/b#2.py", b"print('unrelated')\n".to_vec());
    let (report, sources) = report_of(a, b);
    out.push(("unrelated".into(), report, sources));
    out
}

#[test]
fn json_reports_validate_against_the_report_schema() {
    let v = validator("report.schema.json");
    for (name, report, sources) in reports() {
        let out = render(&report, &sources, Format::Json, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        assert_eq!(json["schema_version"], simile::report::SCHEMA_VERSION);
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let v = validator("sarif-schema-2.1.0.json");
    for (name, report, sources) in reports() {
        let out = render(&report, &sources, Format::Sarif, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        let results = json["runs"][0]["results"].as_array().unwrap();
        let regions = match &report.body {
            simile::report::ReportBody::Comparison { comparison } => comparison.regions.len(),
            other => panic!("{name}: the fixtures are comparisons, not {other:?}"),
        };
        let licence_changed = match &report.body {
            simile::report::ReportBody::Comparison { comparison } => {
                comparison.licenses.as_ref().is_some_and(|l| {
                    matches!(
                        l.change,
                        simile::report::LicenseChange::Changed
                            | simile::report::LicenseChange::Removed
                    )
                })
            }
            _ => false,
        };
        assert_eq!(
            results.len(),
            regions + usize::from(licence_changed),
            "{name}: one result per region, and one for a changed licence"
        );
        for r in results {
            let loc = &r["locations"][0]["physicalLocation"];
            let rel = &r["relatedLocations"][0]["physicalLocation"];
            assert_ne!(
                loc["artifactLocation"]["uri"],
                rel["artifactLocation"]["uri"]
            );
            assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn a_changed_or_removed_licence_is_one_warning_on_bs_header() {
    let v = validator("sarif-schema-2.1.0.json");
    let code = "int area(int width, int height)\n{\n\tint result = width * height;\n\tif (result < 0)\n\t\treturn -1;\n\treturn result;\n}\n";
    let file = |name: &str, header: &str| {
        simile::SourceFile::from_text(name, &format!("{header}{code}"), None)
    };
    let mit = file("a.c", "/* SPDX-License-Identifier: MIT */\n");
    let cases = [
        (
            file("b.c", "/*\n * SPDX-License-Identifier: Apache-2.0\n */\n"),
            Some(("changed", 1, 3)),
        ),
        (file("b.c", ""), Some(("removed", 1, 7))),
        (file("b.c", "/* SPDX-License-Identifier: MIT */\n"), None),
    ];
    for (b, expected) in cases {
        let (report, sources) = report_of(mit.clone(), b);
        let out = render(&report, &sources, Format::Sarif, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{errs:#?}");
        let run = &json["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let licence: Vec<&serde_json::Value> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ruleId"] == "simile/license-changed")
            .collect();
        let Some((change, start, end)) = expected else {
            assert!(licence.is_empty(), "the same licence makes no result");
            continue;
        };
        assert_eq!(licence.len(), 1, "{change}");
        let r = licence[0];
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r["ruleId"]
        );
        assert_eq!(r["level"], "warning");
        assert_eq!(r["properties"]["change"], change);
        assert_eq!(r["properties"]["licenseA"], "MIT");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "b.c");
        // B's header, or all of B when it has none.
        assert_eq!(
            (
                loc["region"]["startLine"].as_u64(),
                loc["region"]["endLine"].as_u64()
            ),
            (Some(start), Some(end)),
            "{change}"
        );
        let related = &r["relatedLocations"][0]["physicalLocation"];
        assert_eq!(related["artifactLocation"]["uri"], "a.c");
    }
}

#[test]
fn the_sarif_schema_rejects_what_it_should() {
    // Guards the test above: a validator that accepts anything would prove nothing.
    let v = validator("sarif-schema-2.1.0.json");
    let (a, b) = pair("decorators", "decorators.py");
    let (report, sources) = report_of(a, b);
    let out = render(&report, &sources, Format::Sarif, &RenderOptions::default());
    let mut json: serde_json::Value = serde_json::from_str(&out).unwrap();
    json["runs"][0]["results"][0]["level"] = "loud".into();
    assert!(!errors(&v, &json).is_empty());
    json["runs"][0]["results"][0]["level"] = "note".into();
    json["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!errors(&v, &json).is_empty());
}

#[test]
fn scanoss_has_the_shape_compliance_tools_read() {
    for (name, report, sources) in reports() {
        let out = render(
            &report,
            &sources,
            Format::Scanoss,
            &RenderOptions::default(),
        );
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let map = json.as_object().unwrap();
        assert_eq!(map.len(), 1, "{name}: one scanned path");
        let (_, matches) = map.iter().next().unwrap();
        let m = &matches[0];
        match m["id"].as_str().unwrap() {
            "snippet" => {
                let lines = m["lines"].as_str().unwrap();
                let oss = m["oss_lines"].as_str().unwrap();
                assert_eq!(lines.split(',').count(), oss.split(',').count(), "{name}");
                assert!(m["matched"].as_str().unwrap().ends_with('%'));
                assert!(m["file"].is_string());
            }
            "none" => {
                assert_eq!(name, "unrelated");
                assert!(m.get("lines").is_none());
            }
            other => panic!("{name}: unexpected id {other}"),
        }
        assert_eq!(m["server"]["name"], "simile");
    }
}

#[test]
fn scanoss_calls_a_byte_identical_file_a_file_match() {
    let text = std::fs::read(common::fixtures_dir().join("uncompr/a/uncompr.c")).unwrap();
    let (report, sources) = report_of(
        source("x/uncompr.c", text.clone()),
        source("y/uncompr.c", text),
    );
    let out = render(
        &report,
        &sources,
        Format::Scanoss,
        &RenderOptions::default(),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = &json["x/uncompr.c"][0];
    assert_eq!(m["id"], "file");
    assert_eq!(m["lines"], "all");
    assert_eq!(m["matched"], "100%");
    assert_eq!(m["file"], "y/uncompr.c");
}

/// Find reports: the fixture with and without `--compare`, and a tree with awkward names, an
/// empty query that finds an empty file, and a query that finds nothing.
fn find_reports() -> Vec<(String, simile::report::Report, simile_render::SourceSet)> {
    let mut out = Vec::new();
    for compare in [true, false] {
        let (report, sources) = find_report(&FIND_QUERIES, compare);
        out.push((format!("find compare={compare}"), report, sources));
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    let fixture = |rel: &str| std::fs::read(common::fixtures_dir().join(rel)).unwrap();
    write(
        "corpus/dir with space/b [1].c",
        &fixture("uncompr/b/uncompr.c"),
    );
    write("corpus/x#y].py", &fixture("decorators/b/decorators.py"));
    write("corpus/empty.c", b"");
    write("q [1].c", &fixture("uncompr/a/uncompr.c"));
    write("empty.c", b"");
    write("alone.rs", &fixture("sqlite-lib/a/lib.rs"));
    let (report, sources) =
        common::find_in(root, "corpus", &["q [1].c", "empty.c", "alone.rs"], true);
    out.push(("find awkward".into(), report, sources));
    out
}

#[test]
fn find_json_validates_against_the_report_schema() {
    let v = validator("report.schema.json");
    for (name, report, sources) in find_reports() {
        let out = render(&report, &sources, Format::Json, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        assert_eq!(json["kind"], "find");
    }
}

#[test]
fn find_sarif_validates_and_has_a_result_per_match_and_region() {
    let v = validator("sarif-schema-2.1.0.json");
    for (name, report, sources) in find_reports() {
        let out = render(&report, &sources, Format::Sarif, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        let find = match &report.body {
            simile::report::ReportBody::Find { find } => find,
            other => panic!("{name}: not a find report: {other:?}"),
        };
        let run = &json["runs"][0];
        let results = run["results"].as_array().unwrap();
        let similar: Vec<&serde_json::Value> = results
            .iter()
            .filter(|r| r["ruleId"] == "simile/similar-file")
            .collect();
        let matches: Vec<_> = find
            .queries
            .iter()
            .flat_map(|q| q.matches.iter().map(move |m| (q, m)))
            .collect();
        assert_eq!(
            similar.len(),
            matches.len(),
            "{name}: one result per ranked match"
        );
        for (r, (q, m)) in similar.iter().zip(&matches) {
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
            let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], "simile/similar-file");
            let artifacts = run["artifacts"].as_array().unwrap();
            let loc = &r["locations"][0]["physicalLocation"];
            let rel = &r["relatedLocations"][0]["physicalLocation"];
            let uri = |l: &serde_json::Value| {
                let i = l["artifactLocation"]["index"].as_u64().unwrap() as usize;
                assert_eq!(
                    artifacts[i]["location"]["uri"],
                    l["artifactLocation"]["uri"]
                );
                l["artifactLocation"]["uri"].as_str().unwrap().to_string()
            };
            assert_eq!(uri(loc), simile_render::sarif::path_uri(&q.query.path));
            assert_eq!(uri(rel), simile_render::sarif::path_uri(&m.file.path));
            assert_eq!(r["properties"]["rank"], m.rank);
            assert_eq!(
                loc["region"].is_null(),
                q.query.lines == 0,
                "{name}: an empty file has no lines"
            );
            let text = r["message"]["text"].as_str().unwrap();
            assert!(
                text.contains(&format!("{:.1}% similar to [", m.similarity * 100.0)),
                "{text}"
            );
        }
        let regions: usize = find
            .queries
            .iter()
            .filter_map(|q| q.comparison.as_ref())
            .map(|c| c.regions.len())
            .sum();
        assert_eq!(
            results.len() - similar.len(),
            regions,
            "{name}: and one per region of each comparison"
        );
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        let warnings: usize = find.queries.iter().map(|q| q.warnings.len()).sum();
        assert_eq!(
            notes.len() as u64,
            find.skipped.total + warnings as u64,
            "{name}"
        );
    }
}

#[test]
fn find_scanoss_lists_every_query_with_its_matches() {
    for (name, report, sources) in find_reports() {
        let out = render(
            &report,
            &sources,
            Format::Scanoss,
            &RenderOptions::default(),
        );
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let find = match &report.body {
            simile::report::ReportBody::Find { find } => find,
            other => panic!("{name}: not a find report: {other:?}"),
        };
        let map = json.as_object().unwrap();
        assert_eq!(map.len(), find.queries.len(), "{name}: one key per query");
        for q in &find.queries {
            let list = map[&q.query.path].as_array().unwrap();
            let with_code: Vec<_> = q.matches.iter().filter(|m| m.matched_tokens > 0).collect();
            if with_code.is_empty() {
                assert_eq!(list.len(), 1, "{name}");
                assert_eq!(list[0]["id"], "none", "{name}: {}", q.query.path);
                continue;
            }
            assert_eq!(list.len(), with_code.len(), "{name}");
            for (entry, m) in list.iter().zip(&with_code) {
                assert_eq!(entry["id"], "snippet");
                assert_eq!(entry["file"], m.file.path.as_str());
                assert_eq!(
                    entry["matched"],
                    format!("{:.0}%", m.coverage_query * 100.0)
                );
                // Line ranges come from the comparison, which is with the best match only.
                let has_lines = m.rank == 1 && q.comparison.is_some();
                assert_eq!(entry.get("lines").is_some(), has_lines, "{name}");
                if has_lines {
                    let lines = entry["lines"].as_str().unwrap();
                    let oss = entry["oss_lines"].as_str().unwrap();
                    assert_eq!(lines.split(',').count(), oss.split(',').count());
                }
            }
        }
    }
}

/// Clone searches: the tree (renamed copies, blocks, a failing gate), the submissions, and an
/// old/new run with a gate that passes.
fn clones_reports() -> Vec<(String, simile::report::Report, simile_render::SourceSet)> {
    use common::{CLONES_SUBMISSIONS, CLONES_TEMPLATE, CLONES_TREE, ClonesRun, clones_report};
    let runs = [
        (
            "clones tree",
            ClonesRun {
                trees: &[CLONES_TREE],
                renamed: true,
                fragments: true,
                fail_over: Some(0.5),
                ..ClonesRun::default()
            },
        ),
        (
            "clones submissions",
            ClonesRun {
                trees: &[CLONES_SUBMISSIONS],
                submissions: true,
                ignore: Some(CLONES_TEMPLATE),
                fragments: true,
                ..ClonesRun::default()
            },
        ),
        (
            "clones old/new",
            ClonesRun {
                old_new: Some((
                    "tests/fixtures/clones/tree/zlib",
                    "tests/fixtures/clones/tree/zlib-ng",
                )),
                fail_over: Some(0.9),
                ..ClonesRun::default()
            },
        ),
    ];
    runs.into_iter()
        .map(|(name, run)| {
            let (report, sources) = clones_report(&run);
            (name.to_string(), report, sources)
        })
        .collect()
}

#[test]
fn clones_json_validates_against_the_report_schema() {
    let v = validator("report.schema.json");
    for (name, report, sources) in clones_reports() {
        let out = render(&report, &sources, Format::Json, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        assert_eq!(json["kind"], "clones");
    }
}

#[test]
fn clones_sarif_validates_and_has_a_result_per_region_and_block() {
    let v = validator("sarif-schema-2.1.0.json");
    for (name, report, sources) in clones_reports() {
        let out = render(&report, &sources, Format::Sarif, &RenderOptions::default());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errs = errors(&v, &json);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        let clones = match &report.body {
            simile::report::ReportBody::Clones { clones } => clones,
            other => panic!("{name}: not a clones report: {other:?}"),
        };
        let run = &json["runs"][0];
        let results = run["results"].as_array().unwrap();
        let blocks: Vec<&serde_json::Value> = results
            .iter()
            .filter(|r| r["ruleId"] == "simile/duplicated-block")
            .collect();
        let regions: usize = clones
            .pairs
            .iter()
            .map(|p| p.comparison.regions.len())
            .sum();
        assert_eq!(
            results.len() - blocks.len(),
            regions,
            "{name}: one result per region"
        );
        assert_eq!(
            blocks.len(),
            clones.fragments.as_ref().map_or(0, |f| f.blocks.len()),
            "{name}: one result per block"
        );
        // Region results are located in A, with B as related location, pair by pair.
        let mut region_results = results
            .iter()
            .filter(|r| r["ruleId"] != "simile/duplicated-block");
        for pair in &clones.pairs {
            for region in &pair.comparison.regions {
                let r = region_results.next().unwrap();
                let loc = &r["locations"][0]["physicalLocation"];
                let rel = &r["relatedLocations"][0]["physicalLocation"];
                assert_eq!(
                    loc["artifactLocation"]["uri"],
                    simile_render::sarif::path_uri(&pair.a)
                );
                assert_eq!(
                    rel["artifactLocation"]["uri"],
                    simile_render::sarif::path_uri(&pair.b)
                );
                assert_eq!(loc["region"]["startLine"], region.a.start_line);
                assert_eq!(rel["region"]["startLine"], region.b.start_line);
                assert_eq!(r["properties"]["pair"], pair.rank);
            }
        }
        // The gate is the invocation's verdict.
        let invocation = &run["invocations"][0];
        let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
        match &clones.gate {
            Some(gate) => {
                assert_eq!(invocation["exitCode"], i32::from(gate.failed), "{name}");
                let level = if gate.failed { "error" } else { "note" };
                assert_eq!(notes[0]["level"], level, "{name}");
                assert!(
                    notes[0]["message"]["text"]
                        .as_str()
                        .unwrap()
                        .starts_with("Duplication gate")
                );
            }
            None => assert!(invocation.get("exitCode").is_none()),
        }
        assert_eq!(run["properties"]["simile"]["kind"], "clones");
    }
}
