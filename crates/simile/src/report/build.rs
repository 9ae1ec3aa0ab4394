//! From an alignment in token indices to the report's lines, columns, renames and diffs.

use super::comparison::*;
use crate::align::linediff::region_line_diff;
use crate::align::{AlignConfig, AlignedRegion, Alignment, Side, UNMATCHED};
use crate::lex::{Token, TokenKind, TokenizedFile};
use crate::source::{Encoding, SourceFile};
use foldhash::{HashMap, HashMapExt};

/// Assemble the [`Comparison`] of two files from their alignment.
pub fn build_comparison(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    settings: &AlignConfig,
) -> Comparison {
    build_comparison_with(a, b, alignment, settings, LineDiffs::Built)
}

/// Whether edited regions get their line diff ([`Region::diff`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineDiffs {
    Built,
    /// Left empty, for a report that does not show them.
    Skipped,
}

/// [`build_comparison`], with or without the line diffs of edited regions.
pub(crate) fn build_comparison_with(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    settings: &AlignConfig,
    line_diffs: LineDiffs,
) -> Comparison {
    let side_a = side(a);
    let side_b = side(b);
    let (na, nb) = (a.1.tokens.len() as u32, b.1.tokens.len() as u32);
    let matched = alignment.matched_tokens();
    let scores = scores(side_a, side_b, alignment, matched);
    let regions: Vec<Region> = alignment
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| region(i as u32 + 1, r, (side_a, side_b), line_diffs))
        .collect();
    let verdict = alignment_verdict(na, nb, alignment);
    Comparison {
        a: file_info(a),
        b: file_info(b),
        verdict,
        summary: summary(&regions),
        only_in_a: only_in(
            side_a.tokens,
            alignment.regions.iter().map(|r| (r.a_start(), r.a_end())),
        ),
        only_in_b: only_in(
            side_b.tokens,
            alignment.regions.iter().map(|r| (r.b_start(), r.b_end())),
        ),
        regions,
        scores,
        settings: *settings,
        warnings: [warnings(a), warnings(b)].concat(),
        units: None,
        renames: Vec::new(),
        licenses: None,
    }
}

/// The verdict of a comparison of files of `na` and `nb` tokens, from their alignment alone (the
/// one [`build_comparison`] reports).
pub(crate) fn alignment_verdict(na: u32, nb: u32, alignment: &Alignment) -> Verdict {
    let matched = alignment.matched_tokens();
    let identical_in_order = na == nb
        && matched == na
        && alignment.regions.len() <= 1
        && alignment
            .regions
            .iter()
            .all(|r| r.kind == crate::align::RegionKind::Identical);
    // Two files without any code tokens are the same code: nothing differs.
    let (similarity, coverage_a, coverage_b) = if na + nb == 0 {
        (1.0, 1.0, 1.0)
    } else {
        (
            ratio(2 * matched, na + nb),
            ratio(matched, na),
            ratio(matched, nb),
        )
    };
    Verdict::from_scores(
        similarity,
        coverage_a,
        coverage_b,
        matched,
        identical_in_order,
    )
}

fn side<'a>((file, tokens): (&'a SourceFile, &'a TokenizedFile)) -> Side<'a> {
    Side {
        tokens: &tokens.tokens,
        text: &file.text,
        lines: &file.lines,
    }
}

/// Facts about one file for a report.
pub(crate) fn file_info((file, tokens): (&SourceFile, &TokenizedFile)) -> FileInfo {
    FileInfo {
        path: file.name.clone(),
        language: file.language,
        bytes: file.size,
        lines: file.line_count(),
        tokens: tokens.tokens.len() as u32,
        encoding: file.encoding,
        content_hash: format!("{:016x}", file.content_hash),
    }
}

fn warnings((file, tokens): (&SourceFile, &TokenizedFile)) -> Vec<Warning> {
    let mut out = Vec::new();
    let warn = |message: String| Warning {
        path: Some(file.name.clone()),
        message,
    };
    if file.encoding == Encoding::Utf8WithLatin1 {
        out.push(warn(format!(
            "not valid UTF-8: {} byte(s) were read as Windows-1252 characters",
            file.invalid_bytes
        )));
    }
    if file.size == 0 {
        out.push(warn("the file is empty".into()));
    } else if tokens.tokens.is_empty() {
        out.push(warn(
            "the file has no code tokens (only whitespace or comments)".into(),
        ));
    }
    out
}

fn ratio(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn scores(a: Side<'_>, b: Side<'_>, alignment: &Alignment, matched: u32) -> Scores {
    let (na, nb) = (a.tokens.len() as u32, b.tokens.len() as u32);
    // Two files without any code tokens are the same code: nothing differs.
    let (similarity, coverage_a, coverage_b) = if na + nb == 0 {
        (1.0, 1.0, 1.0)
    } else {
        (
            ratio(2 * matched, na + nb),
            ratio(matched, na),
            ratio(matched, nb),
        )
    };
    let longest = alignment
        .regions
        .iter()
        .flat_map(|r| r.fragments.iter())
        .max_by_key(|f| (f.len, std::cmp::Reverse(f.a)))
        .map(|f| LongestFragment {
            tokens: f.len,
            a: token_lines(a, f.a, f.a_end()),
            b: token_lines(b, f.b, f.b_end()),
        });
    Scores {
        similarity,
        coverage_a,
        coverage_b,
        matched_tokens: matched,
        matched_lines_a: matched_lines(a, &alignment.matching.a_to_b),
        matched_lines_b: matched_lines(b, &alignment.matching.b_to_a),
        longest_fragment: longest,
    }
}

fn matched_lines(side: Side<'_>, map: &[u32]) -> u32 {
    let mut count = 0;
    let mut last = 0;
    for (t, &m) in side.tokens.iter().zip(map) {
        if m != UNMATCHED && t.line != last {
            count += 1;
            last = t.line;
        }
    }
    count
}

/// Lines from the first token of `start..end` to the last line of its last token.
fn token_lines(side: Side<'_>, start: u32, end: u32) -> LineRange {
    let first = &side.tokens[start as usize];
    let last = &side.tokens[end as usize - 1];
    LineRange {
        start: first.line,
        end: side
            .lines
            .line_of(last.end.saturating_sub(1).max(last.start)),
    }
}

fn column(side: Side<'_>, line: u32, byte: u32) -> u32 {
    let start = side.lines.line_start(line) as usize;
    let byte = (byte as usize).clamp(start, side.text.len());
    side.text[start..byte].chars().count() as u32 + 1
}

pub(crate) fn span(side: Side<'_>, start: u32, end: u32) -> Span {
    let lines = token_lines(side, start, end);
    let first = side.tokens[start as usize];
    let last = side.tokens[end as usize - 1];
    Span {
        start_line: lines.start,
        end_line: lines.end,
        start_column: column(side, lines.start, first.start),
        end_column: column(side, lines.end, last.end),
        start_byte: first.start,
        end_byte: last.end,
        tokens: end - start,
    }
}

fn region(
    id: u32,
    r: &AlignedRegion,
    (a, b): (Side<'_>, Side<'_>),
    line_diffs: LineDiffs,
) -> Region {
    let diff = if r.kind == crate::align::RegionKind::Edited && line_diffs == LineDiffs::Built {
        region_line_diff(a, b, r)
            .into_iter()
            .map(|op| DiffHunk {
                op: op.kind,
                a: op.a.map(|(start, end)| LineRange { start, end }),
                b: op.b.map(|(start, end)| LineRange { start, end }),
            })
            .collect()
    } else {
        Vec::new()
    };
    Region {
        id,
        kind: r.kind,
        moved: r.moved,
        a: span(a, r.a_start(), r.a_end()),
        b: span(b, r.b_start(), r.b_end()),
        matched_tokens: r.matched,
        renames: renames(r, a, b),
        diff,
    }
}

/// Distinct `(A text, B text)` pairs of aligned identifiers and literals that differ.
fn renames(r: &AlignedRegion, a: Side<'_>, b: Side<'_>) -> Vec<Rename> {
    let mut counts: HashMap<(u64, u64), (Token, Token, u32)> = HashMap::new();
    for f in &r.fragments {
        for t in 0..f.len {
            let (ta, tb) = (a.tokens[(f.a + t) as usize], b.tokens[(f.b + t) as usize]);
            if ta.exact != tb.exact && ta.kind.is_abstractable() {
                counts.entry((ta.exact, tb.exact)).or_insert((ta, tb, 0)).2 += 1;
            }
        }
    }
    let mut out: Vec<Rename> = counts
        .into_values()
        .map(|(ta, tb, count)| Rename {
            a: ta.text(a.text).to_owned(),
            b: tb.text(b.text).to_owned(),
            kind: if ta.kind == TokenKind::Identifier {
                RenameKind::Identifier
            } else {
                RenameKind::Literal
            },
            count,
        })
        .collect();
    out.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    out
}

fn summary(regions: &[Region]) -> RegionSummary {
    use crate::align::RegionKind::*;
    let mut s = RegionSummary::default();
    for r in regions {
        match r.kind {
            Identical => s.identical += 1,
            Renamed => s.renamed += 1,
            Edited => s.edited += 1,
        }
        s.moved += r.moved as u32;
    }
    s
}

/// Line ranges of code outside every region: lines whose tokens all lie outside the regions'
/// token ranges, grouped across lines that hold no tokens (blank lines, comments).
///
/// Each gap between regions gives at most one range (a region's token between two gaps puts
/// its line inside), so the work is in proportion to the regions, not to the tokens: going
/// over every token of both files was a tenth of building `clones`' listed comparisons.
fn only_in(tokens: &[Token], regions: impl Iterator<Item = (u32, u32)>) -> Vec<LineRange> {
    let mut spans: Vec<(u32, u32)> = regions.filter(|(start, end)| start < end).collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut next = 0;
    for (start, end) in spans {
        if start > next {
            out.extend(gap_lines(tokens, next as usize..start as usize));
        }
        next = next.max(end);
    }
    if (next as usize) < tokens.len() {
        out.extend(gap_lines(tokens, next as usize..tokens.len()));
    }
    out
}

/// The lines of a gap of tokens outside the regions, without the lines it shares with the
/// region tokens just before and after it.
fn gap_lines(tokens: &[Token], gap: std::ops::Range<usize>) -> Option<LineRange> {
    let line_before = gap.start.checked_sub(1).map(|i| tokens[i].line);
    let line_after = tokens.get(gap.end).map(|t| t.line);
    let first = gap.clone().find(|&i| Some(tokens[i].line) != line_before)?;
    let last = (first..gap.end)
        .rev()
        .find(|&i| Some(tokens[i].line) != line_after)?;
    Some(LineRange {
        start: tokens[first].line,
        end: tokens[last].line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::TokenFlags;

    /// The definition: every token marked, then every line with tokens checked.
    fn only_in_by_every_token(tokens: &[Token], regions: &[(u32, u32)]) -> Vec<LineRange> {
        let mut in_region = vec![false; tokens.len()];
        for &(start, end) in regions {
            in_region[start as usize..end.max(start) as usize].fill(true);
        }
        let mut lines: Vec<(u32, bool)> = Vec::new();
        for (t, &inside) in tokens.iter().zip(&in_region) {
            match lines.last_mut() {
                Some((line, outside)) if *line == t.line => *outside &= !inside,
                _ => lines.push((t.line, !inside)),
            }
        }
        let mut out: Vec<LineRange> = Vec::new();
        let mut open: Option<LineRange> = None;
        for (line, outside) in lines {
            match (outside, open.as_mut()) {
                (true, Some(r)) => r.end = line,
                (true, None) => {
                    open = Some(LineRange {
                        start: line,
                        end: line,
                    })
                }
                (false, _) => out.extend(open.take()),
            }
        }
        out.extend(open);
        out
    }

    fn token_on(line: u32) -> Token {
        Token {
            start: 0,
            end: 0,
            line,
            kind: TokenKind::Identifier,
            flags: TokenFlags::default(),
            exact: 0,
        }
    }

    #[test]
    fn lines_outside_the_regions_are_found_from_the_gaps_between_them() {
        let mut next = crate::testing::numbers(7);
        for case in 0..2_000 {
            // Lines of 0-3 tokens (0: a blank or comment line), some with a long run of tokens.
            let mut tokens = Vec::new();
            for line in 1..=1 + next(40) as u32 {
                let on_line = if next(10) == 0 { 12 } else { next(4) };
                tokens.extend((0..on_line).map(|_| token_on(line)));
            }
            let n = tokens.len() as u64;
            // Regions apart, overlapping, out of order, empty, or the whole file.
            let regions: Vec<(u32, u32)> = (0..next(6))
                .map(|_| {
                    let start = next(n + 1);
                    let end = if next(8) == 0 {
                        start
                    } else {
                        start + next(n + 1 - start)
                    };
                    (start as u32, end as u32)
                })
                .collect();
            assert_eq!(
                only_in(&tokens, regions.iter().copied()),
                only_in_by_every_token(&tokens, &regions),
                "case {case}: {regions:?} over {:?}",
                tokens.iter().map(|t| t.line).collect::<Vec<_>>()
            );
        }
    }
}
