//! The SARIF run of one comparison: each matched region of A is a result, located in A, with
//! the code in B as its related location.

use super::{
    Artifacts, Location, Message, Run, SarifRegion, SarifResult, comparison_rules,
    escape_link_text, physical, tool,
};
use crate::util::{kind_word, line_range};
use simile::align::RegionKind;
use simile::report::{Comparison, Generator, Region};

/// The run of one comparison: A's regions as results, B as related locations.
pub(super) fn comparison_run(c: &Comparison, generator: &Generator) -> Run {
    let mut artifacts = Artifacts::default();
    let results = region_results(c, &mut artifacts);
    Run {
        tool: tool(generator, comparison_rules()),
        artifacts: artifacts.list,
        results,
        column_kind: "unicodeCodePoints",
        invocations: Vec::new(),
        properties: serde_json::json!({
            "simile": {
                "kind": "comparison",
                "a": c.a.path,
                "b": c.b.path,
                "similarity": c.scores.similarity,
                "coverageA": c.scores.coverage_a,
                "coverageB": c.scores.coverage_b,
                "verdict": c.verdict.as_str(),
            }
        }),
    }
}

/// One result per region of `c`, then its licence's if it changed (the run's rules must be
/// [`super::comparison_rules`]), adding A and B to the run's artifacts.
pub(super) fn region_results(c: &Comparison, artifacts: &mut Artifacts) -> Vec<SarifResult> {
    let a_index = artifacts.add(&c.a);
    let b_index = artifacts.add(&c.b);
    let mut results: Vec<SarifResult> = c
        .regions
        .iter()
        .map(|r| region_result(c, r, a_index, b_index))
        .collect();
    results.extend(super::license::license_result(
        c,
        super::LICENSE_RULE_INDEX,
        artifacts,
    ));
    results
}

fn region_result(c: &Comparison, r: &Region, a_index: usize, b_index: usize) -> SarifResult {
    let (rule_index, &(_, rule_id, _)) = super::RULES
        .iter()
        .enumerate()
        .find(|(_, rule)| rule.0 == r.kind)
        .expect("every region kind has a rule");
    let how = match r.kind {
        RegionKind::Identical => "are identical to",
        RegionKind::Renamed => "match, up to renaming,",
        RegionKind::Edited => "are an edited copy of",
    };
    let mut text = format!(
        "Lines {} {how} lines {} of [{}](1) ({} tokens",
        line_range(r.a.lines()),
        line_range(r.b.lines()),
        escape_link_text(&c.b.path),
        r.matched_tokens
    );
    if r.moved {
        text.push_str(", moved");
    }
    text.push_str(").");
    if !r.renames.is_empty() {
        let shown: Vec<String> = r
            .renames
            .iter()
            .take(5)
            .map(|n| format!("{} -> {}", n.a, n.b))
            .collect();
        let more = if r.renames.len() > 5 { ", ..." } else { "" };
        text.push_str(&format!(
            " Renamed: {}{more}.",
            escape_link_text(&shown.join(", "))
        ));
    }
    let renames: Vec<serde_json::Value> = r
        .renames
        .iter()
        .map(|n| serde_json::json!({ "a": n.a, "b": n.b, "count": n.count }))
        .collect();
    SarifResult {
        rule_id,
        rule_index,
        level: "note",
        message: Message::text(text),
        locations: vec![Location {
            id: None,
            physical_location: physical(&c.a.path, a_index, Some(SarifRegion::span(&r.a))),
            message: None,
        }],
        related_locations: vec![Location {
            id: Some(1),
            physical_location: physical(&c.b.path, b_index, Some(SarifRegion::span(&r.b))),
            message: Some(Message::text(format!(
                "the matching code (region {})",
                r.id
            ))),
        }],
        properties: serde_json::json!({
            "region": r.id,
            "kind": kind_word(r.kind),
            "moved": r.moved,
            "matchedTokens": r.matched_tokens,
            "renames": renames,
        }),
    }
}
