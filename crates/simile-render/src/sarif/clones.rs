//! The SARIF run of a clone search.
//!
//! - Each region of each listed pair is one result of the region rules of `compare`
//!   (`simile/identical-code`, `simile/renamed-code`, `simile/edited-code`), located on the code
//!   in A with the code in B as related location ("Lines 10-40 are identical to lines 12-42 of
//!   b.c"), its message and `properties` naming the pair (rank, similarity, verdict).
//! - With `--fragments`, each duplicated block is one result of rule `simile/duplicated-block`,
//!   located on its first copy with the second as related location (in the same file for a
//!   block duplicated within a file).
//! - The `--fail-over` gate is a tool execution notification of the run's invocation: level
//!   `error` with `exitCode` 1 when it failed, `note` when it passed. Code-scanning services
//!   only accept results with a location, and a duplication over the limit belongs to no line.
//!   Skipped files are notes and reading problems warnings there too.
//! - The summary (roots, counts, duplication, clusters) is in `run.properties.simile`.

use super::{
    ArtifactLocation, Artifacts, Configuration, Invocation, Location, Message, Notification,
    PhysicalLocation, Rule, RuleProperties, Run, SarifRegion, SarifResult,
    comparison::region_results, comparison_rules, escape_link_text, path_uri, physical, tool,
};
use crate::util::{kind_word, line_range, percent, skip_detail};
use simile::report::{CloneBlock, Clones, Generator};

/// The rule of a duplicated block.
pub const DUPLICATED_BLOCK: &str = "simile/duplicated-block";

/// The run of a clone search.
pub(super) fn clones_run(clones: &Clones, generator: &Generator) -> Run {
    let mut rules = comparison_rules();
    let block_rule = rules.len();
    rules.push(duplicated_block_rule());
    let mut artifacts = Artifacts::default();
    let mut results = Vec::new();
    for pair in &clones.pairs {
        let context = format!(
            " Pair #{} of the clone search: {} similar ({}).",
            pair.rank,
            percent(pair.similarity),
            pair.verdict.as_str()
        );
        for mut result in region_results(&pair.comparison, &mut artifacts) {
            result.message.text.push_str(&context);
            if let serde_json::Value::Object(props) = &mut result.properties {
                props.insert("pair".into(), pair.rank.into());
                props.insert("pairSimilarity".into(), pair.similarity.into());
                props.insert("pairVerdict".into(), pair.verdict.as_str().into());
                props.insert("pairBestMatch".into(), pair.best_match.as_str().into());
            }
            results.push(result);
        }
    }
    if let Some(fragments) = &clones.fragments {
        for block in &fragments.blocks {
            results.push(block_result(clones, block, block_rule, &mut artifacts));
        }
    }
    let gate_failed = clones.gate.as_ref().is_some_and(|g| g.failed);
    Run {
        tool: tool(generator, rules),
        artifacts: artifacts.list,
        results,
        column_kind: "unicodeCodePoints",
        invocations: vec![Invocation {
            execution_successful: true,
            exit_code: clones.gate.as_ref().map(|_| i32::from(gate_failed)),
            tool_execution_notifications: notifications(clones),
        }],
        properties: serde_json::json!({ "simile": summary(clones) }),
    }
}

fn duplicated_block_rule() -> Rule {
    let full = "The same block of code appears twice, within one file or in two files: a copy \
                that has to be kept in step by hand.";
    let help = "The related location is the other copy. Share the code (a function, a module) \
                unless the copy is intended (vendored or generated code).";
    Rule {
        id: DUPLICATED_BLOCK,
        name: "DuplicatedBlock",
        short_description: Message::text("Duplicated block of code"),
        full_description: Message::text(full),
        help: Message {
            text: format!("{full} {help}"),
            markdown: Some(format!("{full}\n\n{help}")),
        },
        default_configuration: Configuration { level: "note" },
        properties: RuleProperties {
            tags: vec!["duplicate-code", "duplicated-block"],
        },
    }
}

fn block_result(
    clones: &Clones,
    block: &CloneBlock,
    rule_index: usize,
    artifacts: &mut Artifacts,
) -> SarifResult {
    let language = |path: &str| {
        clones
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.language.to_string())
    };
    let a_index = artifacts.add_path(&block.a.path, language(&block.a.path));
    let b_index = artifacts.add_path(&block.b.path, language(&block.b.path));
    let same_file = block.a.path == block.b.path;
    let text = format!(
        "Lines {} are duplicated at lines {} of [{}](1) ({} tokens, {}{}).",
        line_range(block.a.span.lines()),
        line_range(block.b.span.lines()),
        escape_link_text(&block.b.path),
        block.tokens,
        kind_word(block.kind),
        if same_file { ", in the same file" } else { "" },
    );
    SarifResult {
        rule_id: DUPLICATED_BLOCK,
        rule_index,
        level: "note",
        message: Message::text(text),
        locations: vec![Location {
            id: None,
            physical_location: physical(
                &block.a.path,
                a_index,
                Some(SarifRegion::span(&block.a.span)),
            ),
            message: None,
        }],
        related_locations: vec![Location {
            id: Some(1),
            physical_location: physical(
                &block.b.path,
                b_index,
                Some(SarifRegion::span(&block.b.span)),
            ),
            message: Some(Message::text(format!(
                "the other copy (block {})",
                block.id
            ))),
        }],
        properties: serde_json::json!({
            "block": block.id,
            "kind": kind_word(block.kind),
            "tokens": block.tokens,
            "withinFile": same_file,
        }),
    }
}

/// The gate's verdict, then warnings, then skipped files.
fn notifications(clones: &Clones) -> Vec<Notification> {
    let at = |path: &str| Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: path_uri(path),
                index: None,
            },
            region: None,
        },
        message: None,
    };
    let mut notes = Vec::new();
    if let Some(g) = &clones.gate {
        let (level, text) = if g.failed {
            (
                "error",
                format!(
                    "Duplication gate failed: {} of the lines of code are duplicated, over the --fail-over limit of {}.",
                    percent(g.duplication),
                    percent(g.limit)
                ),
            )
        } else {
            (
                "note",
                format!(
                    "Duplication gate passed: {} of the lines of code are duplicated; the --fail-over limit is {}.",
                    percent(g.duplication),
                    percent(g.limit)
                ),
            )
        };
        notes.push(Notification {
            level,
            message: Message::text(text),
            locations: Vec::new(),
        });
    }
    for w in &clones.warnings {
        notes.push(Notification {
            level: "warning",
            message: Message::text(match &w.path {
                Some(path) => format!("{path}: {}", w.message),
                None => w.message.clone(),
            }),
            locations: w.path.as_deref().map(at).into_iter().collect(),
        });
    }
    for s in &clones.skipped.files {
        notes.push(Notification {
            level: "note",
            message: Message::text(match skip_detail(s) {
                "" => format!("{} was skipped ({})", s.path, s.reason.as_str()),
                detail => format!("{} was skipped ({}): {detail}", s.path, s.reason.as_str()),
            }),
            locations: vec![at(&s.path)],
        });
    }
    notes
}

/// `run.properties.simile`: what was searched and the totals.
fn summary(c: &Clones) -> serde_json::Value {
    let s = &c.summary;
    serde_json::json!({
        "kind": "clones",
        "mode": c.mode,
        "roots": c.roots.iter().map(|r| serde_json::json!({
            "path": r.path, "role": r.role, "files": r.files,
        })).collect::<Vec<_>>(),
        "files": s.files,
        "codeLines": s.code_lines,
        "similarPairs": s.similar_pairs,
        "listedPairs": c.pairs.len(),
        "duplicatedLines": s.duplicated_lines,
        "duplication": s.duplication,
        "clusters": c.clusters.len(),
        "blocks": c.fragments.as_ref().map(|f| f.blocks.len()),
        "gate": c.gate.as_ref().map(|g| serde_json::json!({
            "limit": g.limit, "duplication": g.duplication, "failed": g.failed,
        })),
        "skipped": c.skipped.total,
    })
}
