//! Helpers shared by the integration tests: reading test data, and checking the invariants of
//! an alignment and of a comparison report.
#![allow(dead_code)] // each test crate uses a different subset

use simile::align::linediff::LineOpKind;
use simile::align::{Alignment, UNMATCHED};
use simile::lex::{TokenizedFile, tokenize};
use simile::report::{Comparison, DiffHunk, Region, Span};
use simile::source::{ReadOptions, SourceFile, read_source};
use std::path::{Path, PathBuf};

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// A file of tests/data, by its path relative to that directory.
pub fn data(rel: &str) -> SourceFile {
    read_source(&data_dir().join(rel), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("tests/data/{rel}: {e}"))
}

/// Every file of tests/data except the README, sorted.
pub fn data_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![data_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Number of proptest cases: `default`, or `$SIMILE_PROPTEST_CASES`.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("SIMILE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Token-level invariants of an alignment; returns the violations.
pub fn alignment_violations(
    al: &Alignment,
    na: usize,
    nb: usize,
    config: &simile::AlignConfig,
) -> Vec<String> {
    let min_region = config.min_region_tokens_for(na, nb);
    let mut errors = Vec::new();
    let m = &al.matching;
    if m.a_to_b.len() != na || m.b_to_a.len() != nb {
        errors.push(format!(
            "matching sized {}x{}, files {na}x{nb}",
            m.a_to_b.len(),
            m.b_to_a.len()
        ));
        return errors;
    }
    for (i, &j) in m.a_to_b.iter().enumerate() {
        if j != UNMATCHED && m.b_to_a[j as usize] != i as u32 {
            errors.push(format!(
                "a_to_b[{i}] = {j} but b_to_a[{j}] = {}",
                m.b_to_a[j as usize]
            ));
        }
    }
    for (j, &i) in m.b_to_a.iter().enumerate() {
        if i != UNMATCHED && m.a_to_b[i as usize] != j as u32 {
            errors.push(format!(
                "b_to_a[{j}] = {i} but a_to_b[{i}] = {}",
                m.a_to_b[i as usize]
            ));
        }
    }
    // Regions: sorted by A start, within bounds, disjoint on both sides, fragments increasing.
    let mut owner_a = vec![usize::MAX; na];
    let mut owner_b = vec![usize::MAX; nb];
    for (r, region) in al.regions.iter().enumerate() {
        if region.fragments.is_empty() {
            errors.push(format!("region {r} has no fragment"));
            continue;
        }
        if region.a_end() as usize > na || region.b_end() as usize > nb {
            errors.push(format!("region {r} past the end"));
            continue;
        }
        if r > 0 && al.regions[r - 1].a_start() >= region.a_start() {
            errors.push(format!("region {r} not in A order"));
        }
        let mut matched = 0;
        for pair in region.fragments.windows(2) {
            if pair[1].a < pair[0].a_end() || pair[1].b < pair[0].b_end() {
                errors.push(format!(
                    "region {r}: fragments {:?} {:?} not increasing",
                    pair[0], pair[1]
                ));
            }
        }
        for f in &region.fragments {
            matched += f.len;
            for t in 0..f.len {
                let (i, j) = ((f.a + t) as usize, (f.b + t) as usize);
                if m.a_to_b[i] != j as u32 {
                    errors.push(format!(
                        "region {r}: A token {i} should match B {j}, matches {}",
                        m.a_to_b[i]
                    ));
                }
            }
        }
        if matched != region.matched {
            errors.push(format!(
                "region {r}: matched {} but fragments hold {matched}",
                region.matched
            ));
        }
        let whole_files = al.regions.len() == 1 && region.matched as usize == na && na == nb;
        if (region.matched as usize) < min_region && !whole_files {
            errors.push(format!(
                "region {r}: {} tokens, below the minimum {min_region}",
                region.matched
            ));
        }
        for i in region.a_start()..region.a_end() {
            if owner_a[i as usize] != usize::MAX {
                errors.push(format!(
                    "A token {i} in regions {} and {r}",
                    owner_a[i as usize]
                ));
            }
            owner_a[i as usize] = r;
        }
        for j in region.b_start()..region.b_end() {
            if owner_b[j as usize] != usize::MAX {
                errors.push(format!(
                    "B token {j} in regions {} and {r}",
                    owner_b[j as usize]
                ));
            }
            owner_b[j as usize] = r;
        }
    }
    // Every matched token lies in exactly one region (the one holding its fragment).
    for (i, &j) in m.a_to_b.iter().enumerate() {
        if j != UNMATCHED && (owner_a[i] == usize::MAX || owner_a[i] != owner_b[j as usize]) {
            errors.push(format!("matched pair ({i}, {j}) is not inside one region"));
        }
    }
    // The fragments hold every matched pair (scores count them from the fragments), each
    // fragment a maximal run of consecutive pairs.
    if al.matched_tokens() as usize != m.matched() {
        errors.push(format!(
            "fragments hold {} pairs, the matching {}",
            al.matched_tokens(),
            m.matched()
        ));
    }
    let rebuilt = Alignment::from_regions(al.regions.clone(), na, nb);
    if rebuilt.matching != al.matching {
        errors.push("the matching rebuilt from the regions differs".into());
    }
    for f in al.regions.iter().flat_map(|r| &r.fragments) {
        let (before, after) = (f.a.checked_sub(1), f.a_end() as usize);
        let continues_before = before.is_some_and(|i| f.b > 0 && m.a_to_b[i as usize] == f.b - 1);
        let continues_after = after < na && m.a_to_b[after] == f.b_end();
        if continues_before || continues_after {
            errors.push(format!("fragment {f:?} is not a maximal run of pairs"));
        }
    }
    errors
}

fn span_violations(name: &str, s: &Span, file: &SourceFile, tokens: &TokenizedFile) -> Vec<String> {
    let mut errors = Vec::new();
    let len = file.text.len() as u32;
    if s.start_byte >= s.end_byte || s.end_byte > len {
        errors.push(format!(
            "{name}: bytes {}..{} outside 0..{len}",
            s.start_byte, s.end_byte
        ));
        return errors;
    }
    if s.start_line < 1 || s.end_line < s.start_line || s.end_line > file.line_count() {
        errors.push(format!(
            "{name}: lines {}..={} outside 1..={}",
            s.start_line,
            s.end_line,
            file.line_count()
        ));
    }
    if file.lines.line_of(s.start_byte) != s.start_line {
        errors.push(format!(
            "{name}: start line {} but byte {} is on {}",
            s.start_line,
            s.start_byte,
            file.lines.line_of(s.start_byte)
        ));
    }
    if file.lines.line_of(s.end_byte - 1) != s.end_line {
        errors.push(format!(
            "{name}: end line {} but byte {} is on {}",
            s.end_line,
            s.end_byte - 1,
            file.lines.line_of(s.end_byte - 1)
        ));
    }
    let first = tokens.tokens.iter().position(|t| t.start == s.start_byte);
    let last = tokens.tokens.iter().position(|t| t.end == s.end_byte);
    match (first, last) {
        (Some(f), Some(l)) if l + 1 - f == s.tokens as usize => {}
        _ => errors.push(format!(
            "{name}: bytes {}..{} do not hold {} whole tokens",
            s.start_byte, s.end_byte, s.tokens
        )),
    }
    let line_start = file.lines.line_start(s.start_line) as usize;
    let col = file.text[line_start..s.start_byte as usize].chars().count() as u32 + 1;
    if col != s.start_column {
        errors.push(format!("{name}: start column {} but {col}", s.start_column));
    }
    errors
}

/// Report-level invariants of a comparison of `a` and `b`; returns the violations.
pub fn report_violations(c: &Comparison, a: &SourceFile, b: &SourceFile) -> Vec<String> {
    let (ta, tb) = (tokenize(a), tokenize(b));
    let mut errors = Vec::new();
    let s = &c.scores;
    for (name, v) in [
        ("similarity", s.similarity),
        ("coverage_a", s.coverage_a),
        ("coverage_b", s.coverage_b),
    ] {
        if !(0.0..=1.0).contains(&v) {
            errors.push(format!("{name} = {v} outside [0, 1]"));
        }
    }
    let total: u32 = c.regions.iter().map(|r| r.matched_tokens).sum();
    if total != s.matched_tokens {
        errors.push(format!(
            "regions match {total} tokens, scores say {}",
            s.matched_tokens
        ));
    }
    if c.a.tokens as usize != ta.tokens.len() || c.b.tokens as usize != tb.tokens.len() {
        errors.push("token counts differ from the tokenizer's".into());
    }
    for r in &c.regions {
        errors.extend(span_violations(&format!("region {} A", r.id), &r.a, a, &ta));
        errors.extend(span_violations(&format!("region {} B", r.id), &r.b, b, &tb));
        if r.matched_tokens > r.a.tokens.min(r.b.tokens) {
            errors.push(format!(
                "region {} matches more tokens than its spans hold",
                r.id
            ));
        }
    }
    for side in [0, 1] {
        let mut spans: Vec<&Span> = c
            .regions
            .iter()
            .map(|r| if side == 0 { &r.a } else { &r.b })
            .collect();
        spans.sort_by_key(|s| s.start_byte);
        for w in spans.windows(2) {
            if w[1].start_byte < w[0].end_byte {
                errors.push(format!(
                    "regions overlap on side {}: {:?} and {:?}",
                    ["A", "B"][side],
                    w[0],
                    w[1]
                ));
            }
        }
    }
    errors
}

/// `ba` (B compared with A) must be `ab` with the sides swapped.
pub fn mirror_violations(ab: &Comparison, ba: &Comparison) -> Vec<String> {
    let mut errors = Vec::new();
    let (x, y) = (&ab.scores, &ba.scores);
    if x.similarity != y.similarity || x.matched_tokens != y.matched_tokens {
        errors.push(format!(
            "similarity {} / {} tokens vs {} / {}",
            x.similarity, x.matched_tokens, y.similarity, y.matched_tokens
        ));
    }
    if x.coverage_a != y.coverage_b || x.coverage_b != y.coverage_a {
        errors.push("coverages are not swapped".into());
    }
    let mut mirrored: Vec<&Region> = ba.regions.iter().collect();
    mirrored.sort_by_key(|r| r.b.start_byte);
    if mirrored.len() != ab.regions.len() {
        errors.push(format!(
            "{} regions vs {}",
            ab.regions.len(),
            ba.regions.len()
        ));
        return errors;
    }
    for (r, m) in ab.regions.iter().zip(mirrored) {
        let id = r.id;
        if r.a != m.b || r.b != m.a {
            errors.push(format!(
                "region {id}: spans not mirrored: {:?}/{:?} vs {:?}/{:?}",
                r.a, r.b, m.b, m.a
            ));
        }
        if r.kind != m.kind || r.moved != m.moved || r.matched_tokens != m.matched_tokens {
            errors.push(format!(
                "region {id}: {:?} moved={} {} vs {:?} moved={} {}",
                r.kind, r.moved, r.matched_tokens, m.kind, m.moved, m.matched_tokens
            ));
        }
        let mut renames: Vec<(&str, &str, u32)> = r
            .renames
            .iter()
            .map(|x| (x.a.as_str(), x.b.as_str(), x.count))
            .collect();
        let mut swapped: Vec<(&str, &str, u32)> = m
            .renames
            .iter()
            .map(|x| (x.b.as_str(), x.a.as_str(), x.count))
            .collect();
        renames.sort();
        swapped.sort();
        if renames != swapped {
            errors.push(format!("region {id}: renames not mirrored"));
        }
        let diff: Vec<DiffHunk> = m.diff.iter().map(mirror_hunk).collect();
        if r.diff != diff {
            errors.push(format!(
                "region {id}: diffs not mirrored:\n{:?}\n{:?}",
                r.diff, diff
            ));
        }
    }
    errors
}

fn mirror_hunk(h: &DiffHunk) -> DiffHunk {
    DiffHunk {
        op: match h.op {
            LineOpKind::Added => LineOpKind::Removed,
            LineOpKind::Removed => LineOpKind::Added,
            other => other,
        },
        a: h.b,
        b: h.a,
    }
}

#[track_caller]
pub fn assert_none(what: &str, errors: Vec<String>) {
    assert!(
        errors.is_empty(),
        "{what}: {} violation(s):\n{}",
        errors.len(),
        errors[..errors.len().min(8)].join("\n")
    );
}
