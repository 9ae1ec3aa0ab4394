//! The SARIF run of a search: a `simile/similar-file` result per ranked match, located on the
//! whole query, the whole match as related location; with `--compare`, the region results of
//! the comparison with the best match; with `--licenses`, a `simile/license-changed` warning on
//! the query for each match under another licence (or with one where the query states none);
//! skipped files and query warnings as notifications.

use super::{
    Artifacts, Configuration, Invocation, Location, Message, Notification, Rule, RuleProperties,
    Run, SarifRegion, SarifResult, comparison::region_results, comparison_rules, escape_link_text,
    path_uri, physical, tool,
};
use crate::util::{percent, skip_detail};
use simile::report::{Find, FindMatch, Generator, QueryResult};

/// The rule of a ranked match.
pub const SIMILAR_FILE: &str = "simile/similar-file";

/// The run of a search.
pub(super) fn find_run(find: &Find, generator: &Generator) -> Run {
    let mut rules = comparison_rules();
    let similar_index = rules.len();
    rules.push(similar_file_rule());
    let mut artifacts = Artifacts::default();
    let mut results = Vec::new();
    for q in &find.queries {
        let query_index = artifacts.add(&q.query);
        for m in &q.matches {
            let match_index = artifacts.add(&m.file);
            results.push(match_result(q, m, similar_index, query_index, match_index));
            results.extend(super::license::match_license_result(
                q,
                m,
                super::LICENSE_RULE_INDEX,
                &mut artifacts,
            ));
        }
        if let Some(c) = &q.comparison {
            results.extend(region_results(c, &mut artifacts));
        }
    }
    Run {
        tool: tool(generator, rules),
        artifacts: artifacts.list,
        results,
        column_kind: "unicodeCodePoints",
        invocations: vec![Invocation {
            execution_successful: true,
            exit_code: None,
            tool_execution_notifications: notifications(find),
        }],
        properties: serde_json::json!({
            "simile": {
                "kind": "find",
                "corpus": {
                    "roots": find.corpus.roots,
                    "files": find.corpus.files,
                    "searchableFiles": find.corpus.searchable_files,
                },
                "queries": find.queries.iter().map(|q| serde_json::json!({
                    "path": q.query.path,
                    "matches": q.matches.len(),
                    "candidates": q.candidates,
                    "verified": q.verified,
                })).collect::<Vec<_>>(),
                "skipped": find.skipped.total,
            }
        }),
    }
}

fn similar_file_rule() -> Rule {
    let full = "Much of this file's code is found in another file of the searched corpus: a copy, \
                another version or a fork of it, or a file that shares fragments with it. The \
                ranked matches of a query are results of this rule, best first.";
    let help = "The related location is the similar file. Decide whether the copy is intended \
                (vendored or generated code, a licence to respect) or should be shared; \
                `simile compare` shows how the two files differ, region by region.";
    Rule {
        id: SIMILAR_FILE,
        name: "SimilarFile",
        short_description: Message::text("File similar to another file"),
        full_description: Message::text(full),
        help: Message {
            text: format!("{full} {help}"),
            markdown: Some(format!("{full}\n\n{help}")),
        },
        default_configuration: Configuration { level: "note" },
        properties: RuleProperties {
            tags: vec!["duplicate-code", "provenance", "similar-file"],
        },
    }
}

fn match_result(
    q: &QueryResult,
    m: &FindMatch,
    rule_index: usize,
    query_index: usize,
    match_index: usize,
) -> SarifResult {
    let text = format!(
        "{} is {} similar to [{}](1) (rank {} of {}, {}): {} of its code is found there, \
         making up {} of that file; {} / {} lines matched.",
        escape_link_text(&q.query.path),
        percent(m.similarity),
        escape_link_text(&m.file.path),
        m.rank,
        q.matches.len(),
        m.verdict.as_str(),
        percent(m.coverage_query),
        percent(m.coverage_match),
        m.matched_lines_query,
        m.matched_lines_match,
    );
    SarifResult {
        rule_id: SIMILAR_FILE,
        rule_index,
        level: "note",
        message: Message::text(text),
        locations: vec![Location {
            id: None,
            physical_location: physical(
                &q.query.path,
                query_index,
                SarifRegion::whole_file(q.query.lines),
            ),
            message: None,
        }],
        related_locations: vec![Location {
            id: Some(1),
            physical_location: physical(
                &m.file.path,
                match_index,
                SarifRegion::whole_file(m.file.lines),
            ),
            message: Some(Message::text(format!("the similar file (rank {})", m.rank))),
        }],
        properties: serde_json::json!({
            "rank": m.rank,
            "score": m.score,
            "similarity": m.similarity,
            "coverageQuery": m.coverage_query,
            "coverageMatch": m.coverage_match,
            "matchedTokens": m.matched_tokens,
            "renamedTokens": m.renamed_tokens,
            "matchedLinesQuery": m.matched_lines_query,
            "matchedLinesMatch": m.matched_lines_match,
            "verdict": m.verdict.as_str(),
        }),
    }
}

/// Query warnings (level `warning`) and skipped files (level `note`), each located on its file.
fn notifications(find: &Find) -> Vec<Notification> {
    let at = |path: &str| Location {
        id: None,
        physical_location: super::PhysicalLocation {
            artifact_location: super::ArtifactLocation {
                uri: path_uri(path),
                index: None,
            },
            region: None,
        },
        message: None,
    };
    let warnings = find.queries.iter().flat_map(|q| {
        q.warnings.iter().map(|w| {
            let path = w.path.as_deref().unwrap_or(&q.query.path);
            Notification {
                level: "warning",
                message: Message::text(format!("{path}: {}", w.message)),
                locations: vec![at(path)],
            }
        })
    });
    let skipped = find.skipped.files.iter().map(|s| Notification {
        level: "note",
        message: Message::text(match skip_detail(s) {
            "" => format!("{} was skipped ({})", s.path, s.reason.as_str()),
            detail => format!("{} was skipped ({}): {detail}", s.path, s.reason.as_str()),
        }),
        locations: vec![at(&s.path)],
    });
    warnings.chain(skipped).collect()
}
