//! Machine-readable outputs against their schemas: the JSON report against the committed
//! `schema/report.schema.json` (kept equal to the Rust types by the CLI's `simile schema`
//! test), SARIF against the official OASIS SARIF 2.1.0 schema, SCANOSS output for its shape.

mod common;

use common::{PAIRS, pair, render, repo_root, report_of, source};
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
        assert_eq!(results.len(), regions, "{name}: one result per region");
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
