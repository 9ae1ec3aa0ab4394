//! Verification: the full alignment of the query with one candidate, and the scores the ranking
//! shows (never the fingerprint estimate that selected the candidate).
//!
//! The alignment is the one `simile compare` runs, so a match's `similarity` is the number
//! `simile compare QUERY MATCH` prints, except that import statements and base code
//! (`--ignore`) are left out of both the matched and the total tokens on both sides: shared
//! include lists and templates are not similarity. The ranking score (documented on
//! [`crate::report::FindMatch::score`]) additionally weighs renamed tokens half and unchanged
//! lines in: renaming is real similarity, but the file with the same names is the closer one.

use super::base::BaseCode;
use crate::align::{AlignConfig, Alignment, Prepared, Side, align, align_prepared};
use crate::lex::{Token, TokenFlags, TokenizedFile};
use crate::report::{Comparison, LineRange, Verdict, alignment_verdict, build_comparison};
use crate::source::SourceFile;

/// Scores of one verified match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchScores {
    /// Ranking score (renamed tokens count half).
    pub score: f64,
    /// Matched tokens of both sides over all tokens of both sides.
    pub similarity: f64,
    /// Share of the query's tokens matched.
    pub coverage_query: f64,
    /// Share of the match's tokens matched.
    pub coverage_match: f64,
    /// Matched tokens.
    pub matched_tokens: u32,
    /// Matched tokens whose text differs.
    pub renamed_tokens: u32,
    /// Query lines with a matched token.
    pub matched_lines_query: u32,
    /// Match lines with a matched token.
    pub matched_lines_match: u32,
    /// Query lines of code whose every token is matched with the same text.
    pub unchanged_lines_query: u32,
    /// Match lines of code whose every token is matched with the same text.
    pub unchanged_lines_match: u32,
    /// The verdict from these scores.
    pub verdict: Verdict,
}

/// A verified candidate: its scores and the full comparison (query = A, candidate = B).
#[derive(Debug, Clone)]
pub struct Verified {
    /// The scores shown and ranked by.
    pub scores: MatchScores,
    /// The comparison, as `simile compare` would build it.
    pub comparison: Comparison,
    /// What of the query the counted matches cover.
    pub matched_query: MatchedCode,
    /// What of the candidate the counted matches cover.
    pub matched_candidate: MatchedCode,
    /// For each region of the comparison (same order), its matched tokens that count (imports
    /// and base code left out): a region made of an include list counts for nothing.
    pub region_tokens: Vec<u32>,
}

/// The code of one side that the counted matches cover (imports and base code left out): what
/// `clones` needs to add up coverage over several pairs without counting a token twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchedCode {
    /// Matched token indices, as half-open runs `start..end`, in order.
    pub tokens: Vec<(u32, u32)>,
    /// Lines holding a matched token, as inclusive runs, in order.
    pub lines: Vec<LineRange>,
}

impl MatchedCode {
    /// Add matched token `i`, on `line` (tokens come in order).
    fn add(&mut self, i: u32, line: u32) {
        match self.tokens.last_mut() {
            Some(run) if run.1 == i => run.1 = i + 1,
            _ => self.tokens.push((i, i + 1)),
        }
        match self.lines.last_mut() {
            Some(r) if r.end + 1 >= line => r.end = r.end.max(line),
            _ => self.lines.push(LineRange {
                start: line,
                end: line,
            }),
        }
    }
}

/// Align `query` with `candidate` and score the result, leaving imports and base code out.
pub fn verify(
    query: (&SourceFile, &TokenizedFile),
    candidate: (&SourceFile, &TokenizedFile),
    config: &AlignConfig,
    base: &BaseCode,
) -> Verified {
    let alignment = align(side(query).0, side(candidate).0, config);
    score(query, candidate, &alignment, config, base)
}

/// [`verify`] of files whose alignment data is prepared already ([`LoadedFile::prepared`]).
///
/// [`LoadedFile::prepared`]: super::LoadedFile::prepared
pub fn verify_loaded(
    query: &super::LoadedFile,
    candidate: &super::LoadedFile,
    config: &AlignConfig,
    base: &BaseCode,
) -> Verified {
    let alignment = align_loaded(query, candidate, config);
    score(
        (&query.source, &query.tokens),
        (&candidate.source, &candidate.tokens),
        &alignment,
        config,
        base,
    )
}

/// A query's verification of one candidate, as a search needs it: the scores, and the
/// alignment when `keep_alignment` (for the comparison with the best match, built once the
/// matches are ranked). The query's alignment data and code size are computed once for all
/// its candidates (`query_prepared`, `query_size`: [`code_size`] with the same `base`) and the
/// candidate's data comes from its [`LoadedFile`] (kept with it in the cache): [`verify`]
/// prepared both again for every candidate, and built a full comparison, line diffs included,
/// for each. A search of zstd 1.4.9's `lib/` in 1.5.7's took 358 ms with
/// it, 137 ms with this (bench/RESULTS.md).
///
/// [`LoadedFile`]: super::LoadedFile
pub(crate) fn verify_for_search(
    (query, query_prepared, query_size): ((&SourceFile, &TokenizedFile), &Prepared, CodeSize),
    candidate: &super::LoadedFile,
    config: &AlignConfig,
    base: &BaseCode,
    keep_alignment: bool,
) -> (MatchScores, Option<Alignment>) {
    let c = (&candidate.source, &candidate.tokens);
    let alignment = align_prepared(
        (side(query).0, query_prepared),
        (side(c).0, &candidate.prepared(config)),
        config,
    );
    let sizes = (query_size, code_size(&candidate.tokens.tokens, base));
    let scores = assess_sized(query, c, &alignment, config, base, sizes).scores;
    (scores, keep_alignment.then_some(alignment))
}

/// The alignment [`verify_loaded`] scores, for a caller that builds the comparison later (or
/// never): `clones` assesses every pair and builds comparisons only for the pairs it lists.
pub fn align_loaded(
    query: &super::LoadedFile,
    candidate: &super::LoadedFile,
    config: &AlignConfig,
) -> Alignment {
    let q = (&query.source, &query.tokens);
    let c = (&candidate.source, &candidate.tokens);
    align_prepared(
        (side(q).0, &query.prepared(config)),
        (side(c).0, &candidate.prepared(config)),
        config,
    )
}

/// The scores of an alignment, with the comparison.
fn score(
    query: (&SourceFile, &TokenizedFile),
    candidate: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    config: &AlignConfig,
    base: &BaseCode,
) -> Verified {
    let comparison = build_comparison(query, candidate, alignment, config);
    let a = assess(query, candidate, alignment, config, base);
    Verified {
        scores: a.scores,
        comparison,
        matched_query: a.matched_query,
        matched_candidate: a.matched_candidate,
        region_tokens: a.region_tokens,
    }
}

/// What an alignment says about a pair, without the comparison a report shows: the scores, what
/// each side's counted matches cover, and the counted tokens of each region.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The scores.
    pub scores: MatchScores,
    /// What of the query the counted matches cover.
    pub matched_query: MatchedCode,
    /// What of the candidate the counted matches cover.
    pub matched_candidate: MatchedCode,
    /// For each region of the alignment (in order), its matched tokens that count.
    pub region_tokens: Vec<u32>,
    /// The longest matched fragment, in counted tokens (imports and base code left out, as in
    /// `scores`; the comparison's `longest_fragment` counts them).
    pub longest_fragment: u32,
}

/// Score an alignment of `query` with `candidate`, leaving imports and base code out.
pub fn assess(
    query: (&SourceFile, &TokenizedFile),
    candidate: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    config: &AlignConfig,
    base: &BaseCode,
) -> Assessment {
    let sizes = (
        code_size(&query.1.tokens, base),
        code_size(&candidate.1.tokens, base),
    );
    assess_sized(query, candidate, alignment, config, base, sizes)
}

/// [`assess`] of files whose [`code_size`]s are known already (with the same `base`): the work
/// is then in proportion to the matched code and the lines it is on, not to the files. Most
/// candidate pairs of `clones` match a small part of at least one file: on zstd's `lib/`, 24%
/// of the tokens of the counted pairs are matched, and going over every token of both files
/// made this a fifth of the instructions of the run.
pub(crate) fn assess_sized(
    query: (&SourceFile, &TokenizedFile),
    candidate: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    config: &AlignConfig,
    base: &BaseCode,
    (size_q, size_c): (CodeSize, CodeSize),
) -> Assessment {
    let tq: &[Token] = &query.1.tokens;
    let tc: &[Token] = &candidate.1.tokens;
    let unmasked_verdict = alignment_verdict(tq.len() as u32, tc.len() as u32, alignment);

    let left_q = left_out(tq, base);
    let left_c = left_out(tc, base);
    let min_run = (!base.is_empty()).then_some(config.min_fragment_tokens);
    let kept = KeptPairs::new((tq, &left_q), (tc, &left_c), alignment, min_run);
    let (q, matched_query) = tally_kept(tq, &left_q, size_q, kept.in_a_order());
    let (c, matched_candidate) = tally_kept(tc, &left_c, size_c, kept.in_b_order());
    let (matched, renamed) = (q.matched, q.renamed);
    let (nq, nc) = (q.tokens, c.tokens);
    // Two files without code are the same code, as `simile compare` says; two files of
    // nothing but base code have nothing of their own in common.
    let none = tq.is_empty() && tc.is_empty();
    let ratio = |part: f64, whole: u32| {
        if none {
            1.0
        } else if whole == 0 {
            0.0
        } else {
            part / whole as f64
        }
    };
    let similarity = ratio(2.0 * matched as f64, nq + nc);
    let token_score = ratio(2.0 * matched as f64 - renamed as f64, nq + nc);
    let line_score = ratio(
        (q.unchanged_lines + c.unchanged_lines) as f64,
        q.code_lines + c.code_lines,
    );
    let similar = (token_score + line_score) / 2.0;
    let held = (ratio(matched as f64 - renamed as f64 / 2.0, nq)
        + ratio(q.unchanged_lines as f64, q.code_lines))
        / 2.0;
    let score = similar.max(CONTAINMENT_WEIGHT * held);
    let coverage_query = ratio(matched as f64, nq);
    let coverage_match = ratio(matched as f64, nc);
    let verdict = if left_q.is_empty() && left_c.is_empty() {
        unmasked_verdict
    } else {
        Verdict::from_scores(
            similarity,
            coverage_query,
            coverage_match,
            matched,
            unmasked_verdict == Verdict::Identical,
        )
    };
    Assessment {
        scores: MatchScores {
            score,
            similarity,
            coverage_query,
            coverage_match,
            matched_tokens: matched,
            renamed_tokens: renamed,
            matched_lines_query: q.matched_lines,
            matched_lines_match: c.matched_lines,
            unchanged_lines_query: q.unchanged_lines,
            unchanged_lines_match: c.unchanged_lines,
            verdict,
        },
        matched_query,
        matched_candidate,
        region_tokens: kept.region_tokens,
        longest_fragment: kept.longest_fragment,
    }
}

/// The matched token pairs that count: all of them outside the left-out tokens; with base code
/// (`min_run` set), only those that still form runs of at least `min_run` consecutive pairs (a
/// match the aligner would have found on its own), so the few tokens a fragment reaches past
/// the end of the template do not count.
///
/// They are read from the regions' fragments, which hold every matched pair, each fragment a
/// maximal run of consecutive pairs ([`crate::align::regions`]), in A order.
struct KeptPairs {
    /// `(A token, B token, same text)`, in A order.
    pairs: Vec<(u32, u32, bool)>,
    /// Per fragment with a kept pair: its first B token and its pairs' range in `pairs`.
    fragments: Vec<(u32, std::ops::Range<usize>)>,
    /// Per region, its kept pairs.
    region_tokens: Vec<u32>,
    /// The most kept pairs of one fragment: a fragment's tokens that are imports or base code
    /// do not make it longer.
    longest_fragment: u32,
}

impl KeptPairs {
    fn new(
        (tq, left_q): (&[Token], &LeftOut<'_>),
        (tc, left_c): (&[Token], &LeftOut<'_>),
        alignment: &Alignment,
        min_run: Option<usize>,
    ) -> KeptPairs {
        let mut kept = KeptPairs {
            pairs: Vec::with_capacity(alignment.matched_tokens() as usize),
            fragments: Vec::new(),
            region_tokens: Vec::with_capacity(alignment.regions.len()),
            longest_fragment: 0,
        };
        let counts = |i: u32, j: u32| !left_q.contains(i as usize) && !left_c.contains(j as usize);
        for region in &alignment.regions {
            let mut region_tokens = 0;
            for f in &region.fragments {
                let from = kept.pairs.len();
                let mut t = 0;
                while t < f.len {
                    if !counts(f.a + t, f.b + t) {
                        t += 1;
                        continue;
                    }
                    let run = t;
                    while t < f.len && counts(f.a + t, f.b + t) {
                        t += 1;
                    }
                    if min_run.is_none_or(|min| (t - run) as usize >= min) {
                        kept.pairs.extend((run..t).map(|t| {
                            let (i, j) = (f.a + t, f.b + t);
                            (i, j, tq[i as usize].exact == tc[j as usize].exact)
                        }));
                    }
                }
                let n = kept.pairs.len() - from;
                if n > 0 {
                    kept.fragments.push((f.b, from..kept.pairs.len()));
                }
                region_tokens += n as u32;
                kept.longest_fragment = kept.longest_fragment.max(n as u32);
            }
            kept.region_tokens.push(region_tokens);
        }
        kept
    }

    /// `(A token, same text)` of each kept pair, in A order.
    fn in_a_order(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.pairs.iter().map(|&(i, _, exact)| (i, exact))
    }

    /// `(B token, same text)` of each kept pair, in B order (fragments are disjoint in B, and
    /// increasing in B within themselves).
    fn in_b_order(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        let mut by_b: Vec<&(u32, std::ops::Range<usize>)> = self.fragments.iter().collect();
        by_b.sort_unstable_by_key(|(b, _)| *b);
        by_b.into_iter()
            .flat_map(|(_, range)| &self.pairs[range.clone()])
            .map(|&(_, j, exact)| (j, exact))
    }
}

/// The counts of one side from its kept tokens `(token, same text)` in order, and what they
/// cover; the code tokens and lines are `size`. Only the lines holding a kept token are looked
/// at: a line is unchanged when its code tokens are all kept with the same text, and a line
/// without a kept token has a code token that is not, or none.
fn tally_kept(
    tokens: &[Token],
    left: &LeftOut<'_>,
    size: CodeSize,
    kept: impl Iterator<Item = (u32, bool)>,
) -> (SideCounts, MatchedCode) {
    let mut c = SideCounts {
        tokens: size.tokens,
        code_lines: size.lines,
        ..SideCounts::default()
    };
    let mut matched_code = MatchedCode::default();
    // The line being counted: a kept token on it, and its kept tokens with the same text.
    let mut line: Option<(u32, u32)> = None;
    let close = |(at, exact): (u32, u32), c: &mut SideCounts| {
        c.matched_lines += 1;
        c.unchanged_lines += (code_tokens_on_line(tokens, left, at as usize) == exact) as u32;
    };
    for (i, exact) in kept {
        c.matched += 1;
        c.renamed += !exact as u32;
        let on = tokens[i as usize].line;
        line = match line {
            Some((at, n)) if tokens[at as usize].line == on => Some((at, n + exact as u32)),
            done => {
                if let Some(done) = done {
                    close(done, &mut c);
                }
                Some((i, exact as u32))
            }
        };
        matched_code.add(i, on);
    }
    if let Some(done) = line {
        close(done, &mut c);
    }
    (c, matched_code)
}

/// The tokens on the line of token `at` that are not left out.
fn code_tokens_on_line(tokens: &[Token], left: &LeftOut<'_>, at: usize) -> u32 {
    let line = tokens[at].line;
    let first = (0..at)
        .rev()
        .take_while(|&k| tokens[k].line == line)
        .last()
        .unwrap_or(at);
    (first..tokens.len())
        .take_while(|&k| tokens[k].line == line)
        .filter(|&k| !left.contains(k))
        .count() as u32
}

/// The code of one file as verification counts it (imports and base code left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeSize {
    /// Tokens that count.
    pub tokens: u32,
    /// Lines with such a token.
    pub lines: u32,
}

/// The code tokens and code lines of one file as verification counts them (imports and base
/// code left out): the denominators of its coverage, whatever it is paired with.
pub(crate) fn code_size(tokens: &[Token], base: &BaseCode) -> CodeSize {
    let left = left_out(tokens, base);
    let (counts, _) = SideCounts::tally(tokens, |i| TokenState::unmatched_or_base(&left, i));
    CodeSize {
        tokens: counts.tokens,
        lines: counts.code_lines,
    }
}

/// A file holding all of the query is worth this much of an identical one in the ranking.
const CONTAINMENT_WEIGHT: f64 = 0.5;

/// What became of one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenState {
    /// Base code: left out of every count.
    Base,
    Unmatched,
    /// Matched with a token of the same text.
    Exact,
    /// Matched with a token of another text (a renamed identifier, a changed literal).
    Renamed,
}

impl TokenState {
    fn unmatched_or_base(left_out: &LeftOut<'_>, i: usize) -> TokenState {
        if left_out.contains(i) {
            TokenState::Base
        } else {
            TokenState::Unmatched
        }
    }
}

/// Counts over one side's tokens and lines (base code left out).
#[derive(Debug, Default)]
struct SideCounts {
    tokens: u32,
    matched: u32,
    renamed: u32,
    /// Lines with a token that is not base code.
    code_lines: u32,
    /// Lines with a matched token.
    matched_lines: u32,
    /// Code lines whose tokens are all matched exactly.
    unchanged_lines: u32,
}

impl SideCounts {
    /// The counts of one side whose token `i` became `state(i)`, and what its matches cover.
    ///
    /// One pass, with the line's facts kept as it goes and a line closed when the next begins.
    /// It runs once per file ([`code_size`]); scoring a pair counts from its fragments instead
    /// ([`tally_kept`]).
    fn tally(tokens: &[Token], state: impl Fn(usize) -> TokenState) -> (SideCounts, MatchedCode) {
        let mut c = SideCounts::default();
        let mut matched_code = MatchedCode::default();
        let Some(first) = tokens.first() else {
            return (c, matched_code);
        };
        let mut line = LineFacts::new(first.line);
        // The current run of matched tokens, `start..end`, and of lines with one.
        let mut run: Option<(u32, u32)> = None;
        let mut lines: Option<LineRange> = None;
        for (i, t) in tokens.iter().enumerate() {
            if t.line != line.line {
                line.close(&mut c);
                line = LineFacts::new(t.line);
            }
            let state = state(i);
            if state == TokenState::Base {
                continue;
            }
            let matched = state != TokenState::Unmatched;
            line.code = true;
            line.any_matched |= matched;
            line.all_exact &= state == TokenState::Exact;
            c.tokens += 1;
            if !matched {
                continue;
            }
            c.matched += 1;
            c.renamed += (state == TokenState::Renamed) as u32;
            let i = i as u32;
            run = match run {
                Some((start, end)) if end == i => Some((start, i + 1)),
                Some(done) => {
                    matched_code.tokens.push(done);
                    Some((i, i + 1))
                }
                None => Some((i, i + 1)),
            };
            lines = match lines {
                Some(r) if r.end + 1 >= t.line => Some(LineRange {
                    start: r.start,
                    end: r.end.max(t.line),
                }),
                Some(done) => {
                    matched_code.lines.push(done);
                    Some(LineRange {
                        start: t.line,
                        end: t.line,
                    })
                }
                None => Some(LineRange {
                    start: t.line,
                    end: t.line,
                }),
            };
        }
        line.close(&mut c);
        matched_code.tokens.extend(run);
        matched_code.lines.extend(lines);
        (c, matched_code)
    }
}

/// What [`SideCounts::tally`] learns of the line it is in.
struct LineFacts {
    line: u32,
    /// A token that is not base code.
    code: bool,
    any_matched: bool,
    /// Every such token matched exactly.
    all_exact: bool,
}

impl LineFacts {
    fn new(line: u32) -> LineFacts {
        LineFacts {
            line,
            code: false,
            any_matched: false,
            all_exact: true,
        }
    }

    fn close(&self, c: &mut SideCounts) {
        c.code_lines += self.code as u32;
        c.matched_lines += self.any_matched as u32;
        c.unchanged_lines += (self.code && self.all_exact) as u32;
    }
}

/// The tokens of one side that no score counts: base code, and import statements (every file
/// of a project shares its include list). A file made only of imports keeps them: they are its
/// code. When nothing is left out, scores are exactly those of `simile compare`.
///
/// Imports are read from the tokens' flags, not copied into a mask: `clones` asks this for
/// both files of every candidate pair, and building the mask was 3% of its time on zstd.
pub(crate) struct LeftOut<'t> {
    tokens: &'t [Token],
    /// Whether import tokens are left out.
    imports: bool,
    /// Base code, token by token (`None`: no base code in this file).
    base: Option<Vec<bool>>,
}

impl LeftOut<'_> {
    /// Whether token `i` is left out.
    pub(crate) fn contains(&self, i: usize) -> bool {
        (self.imports && self.tokens[i].flags.has(TokenFlags::IMPORT))
            || self.base.as_ref().is_some_and(|m| m[i])
    }

    /// Whether nothing is left out.
    pub(crate) fn is_empty(&self) -> bool {
        !self.imports && self.base.is_none()
    }
}

/// What of `tokens` no score counts ([`LeftOut`]).
pub(crate) fn left_out<'t>(tokens: &'t [Token], base: &BaseCode) -> LeftOut<'t> {
    let import = |t: &Token| t.flags.has(TokenFlags::IMPORT);
    let imports = tokens.iter().any(import) && !tokens.iter().all(import);
    LeftOut {
        tokens,
        imports,
        base: base.mask(tokens),
    }
}

fn side<'a>((f, t): (&'a SourceFile, &'a TokenizedFile)) -> (Side<'a>, &'a [Token]) {
    (
        Side {
            tokens: &t.tokens,
            text: &f.text,
            lines: &f.lines,
        },
        &t.tokens,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::UNMATCHED;
    use crate::fingerprint::FingerprintConfig;
    use crate::lex::tokenize;

    fn file(name: &str, text: &str) -> (SourceFile, TokenizedFile) {
        let f = SourceFile::from_text(name, text, None);
        let t = tokenize(&f);
        (f, t)
    }

    const SUM: &str = "int sum(int *values, int count) {\n    int total = 0;\n    for (int i = 0; i < count; i++) {\n        total += values[i];\n    }\n    return total;\n}\n";

    /// A search's verification (the query prepared once, the comparison built from the kept
    /// alignment) scores and compares every real pair of `tests/data/pairs`, both ways, as
    /// [`verify`] does.
    #[test]
    fn search_verification_is_verify_with_less_work() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        let config = AlignConfig::default();
        let mut pairs = 0;
        for pair in std::fs::read_dir(&data).unwrap() {
            let mut versions: Vec<_> = std::fs::read_dir(pair.unwrap().path())
                .unwrap()
                .map(|v| v.unwrap().path())
                .collect();
            versions.sort();
            let loaded: Vec<super::super::LoadedFile> = versions
                .iter()
                .map(|p| {
                    let source = crate::source::read_source(p, &Default::default()).unwrap();
                    super::super::LoadedFile::new(source)
                })
                .collect();
            for (q, c) in [(&loaded[0], &loaded[1]), (&loaded[1], &loaded[0])] {
                let query = (&q.source, &q.tokens);
                let expected = verify(query, (&c.source, &c.tokens), &config, &BaseCode::none());
                let prepared = Prepared::new(&q.tokens.tokens, &config);
                let base = BaseCode::none();
                let size = code_size(&q.tokens.tokens, &base);
                let (scores, alignment) =
                    verify_for_search((query, &prepared, size), c, &config, &base, true);
                assert_eq!(scores, expected.scores, "{}", q.source.name);
                let c_pair = (&c.source, &c.tokens);
                let comparison = build_comparison(query, c_pair, &alignment.unwrap(), &config);
                assert_eq!(comparison, expected.comparison, "{}", q.source.name);
                let (_, none) =
                    verify_for_search((query, &prepared, size), c, &config, &base, false);
                assert!(none.is_none());
                pairs += 1;
            }
        }
        assert!(pairs >= 20, "{pairs}");
    }

    #[test]
    fn scores_agree_with_compare_without_base_code() {
        let a = file("a.c", SUM);
        let b = file("b.c", &SUM.replace("total", "acc"));
        let v = verify(
            (&a.0, &a.1),
            (&b.0, &b.1),
            &AlignConfig::default(),
            &BaseCode::none(),
        );
        let c = &v.comparison;
        assert_eq!(v.scores.similarity, c.scores.similarity);
        assert_eq!(v.scores.coverage_query, c.scores.coverage_a);
        assert_eq!(v.scores.matched_lines_query, c.scores.matched_lines_a);
        assert_eq!(v.scores.matched_lines_match, c.scores.matched_lines_b);
        assert_eq!(v.scores.verdict, c.verdict);
        assert_eq!(v.scores.similarity, 1.0);
        // `total` occurs three times, on three of the seven lines: the renamed tokens count
        // half in the token score, and their lines are not unchanged.
        assert_eq!(v.scores.renamed_tokens, 3);
        assert_eq!(
            (
                v.scores.unchanged_lines_query,
                v.scores.unchanged_lines_match
            ),
            (4, 4)
        );
        let n = a.1.tokens.len() as f64;
        let expected = ((2.0 * n - 3.0) / (2.0 * n) + 8.0 / 14.0) / 2.0;
        assert!((v.scores.score - expected).abs() < 1e-12, "{:?}", v.scores);
    }

    #[test]
    fn a_file_holding_the_whole_query_scores_half() {
        let q = file("q.c", SUM);
        let others: String = (0..30)
            .map(|i| format!("int f{i}(int x) {{ return x * {i} + {i} - (x >> {i}); }}\n"))
            .collect();
        let big = file("big.c", &format!("{others}{SUM}{others}"));
        let v = verify(
            (&q.0, &q.1),
            (&big.0, &big.1),
            &AlignConfig::default(),
            &BaseCode::none(),
        );
        assert_eq!(v.scores.coverage_query, 1.0);
        assert!(v.scores.similarity < 0.2, "{:?}", v.scores);
        assert_eq!(v.scores.score, CONTAINMENT_WEIGHT);
    }

    #[test]
    fn import_lists_count_for_nothing_unless_they_are_all_there_is() {
        let imports: String = ["os", "sys", "json", "re", "typing", "pathlib", "logging"]
            .iter()
            .map(|m| format!("import {m}\nfrom {m} import path, loads, Any\n"))
            .collect();
        let a = file("a.py", &format!("{imports}\ndef f(x):\n    return x * 2\n"));
        let b = file("b.py", &format!("{imports}\nclass C:\n    pass\n"));
        let cfg = AlignConfig::default();
        let v = verify((&a.0, &a.1), (&b.0, &b.1), &cfg, &BaseCode::none());
        assert!(v.comparison.scores.similarity > 0.8, "compare counts them");
        assert_eq!(v.scores.matched_tokens, 0, "{:?}", v.scores);
        assert_eq!(v.scores.verdict, Verdict::Unrelated);

        // Two files made only of the same imports are the same file.
        let a = file("a/__init__.py", &imports);
        let b = file("b/__init__.py", &format!("# re-exports\n{imports}"));
        let v = verify((&a.0, &a.1), (&b.0, &b.1), &cfg, &BaseCode::none());
        assert_eq!(v.scores.similarity, 1.0);
        assert_eq!(v.scores.verdict, Verdict::Identical);
    }

    #[test]
    fn base_code_counts_for_nothing() {
        let template = "int read_all(int fd, char *buf, int n) {\n    int got = 0;\n    while (got < n) {\n        int r = read(fd, buf + got, n - got);\n        if (r <= 0) return -1;\n        got += r;\n    }\n    return got;\n}\n";
        let a = file("a.c", &format!("{template}{SUM}"));
        let b = file(
            "b.c",
            &format!("{template}int twice(int x) {{ return x * 2 + 1 - 1 + x * 0 + 7 - 7; }}\n"),
        );
        let cfg = AlignConfig::default();
        let plain = verify((&a.0, &a.1), (&b.0, &b.1), &cfg, &BaseCode::none());
        assert!(plain.scores.similarity > 0.4, "{:?}", plain.scores);
        let mut base = BaseCode::new(&FingerprintConfig::default());
        base.add(&file("t.c", template).1.tokens);
        let v = verify((&a.0, &a.1), (&b.0, &b.1), &cfg, &base);
        assert_eq!(v.scores.matched_tokens, 0, "{:?}", v.scores);
        assert_eq!(v.scores.similarity, 0.0);
        assert_eq!(v.scores.verdict, Verdict::Unrelated);
        // Two files of nothing but the template share nothing of their own.
        let t = file("t.c", template);
        let only = verify((&t.0, &t.1), (&t.0, &t.1), &cfg, &base);
        assert_eq!(
            (only.scores.similarity, only.scores.verdict),
            (0.0, Verdict::Unrelated)
        );
        // The comparison itself still shows what matches.
        assert_eq!(v.comparison.scores.similarity, plain.scores.similarity);
    }

    /// What `assess` used to compute by going over every token of both files, kept as the
    /// reference the faster `assess_sized` must agree with.
    fn assess_by_every_token(
        (tq, tc): (&[Token], &[Token]),
        alignment: &Alignment,
        config: &AlignConfig,
        base: &BaseCode,
    ) -> (
        (SideCounts, MatchedCode),
        (SideCounts, MatchedCode),
        Vec<u32>,
        u32,
    ) {
        let (left_q, left_c) = (left_out(tq, base), left_out(tc, base));
        let kept = kept_pairs(
            &alignment.matching.a_to_b,
            &left_q,
            &left_c,
            (!base.is_empty()).then_some(config.min_fragment_tokens),
        );
        let (a_to_b, b_to_a) = (&alignment.matching.a_to_b, &alignment.matching.b_to_a);
        let pair_state = |i: usize, j: usize| {
            if tq[i].exact == tc[j].exact {
                TokenState::Exact
            } else {
                TokenState::Renamed
            }
        };
        let q = SideCounts::tally(tq, |i| {
            if kept[i] {
                pair_state(i, a_to_b[i] as usize)
            } else {
                TokenState::unmatched_or_base(&left_q, i)
            }
        });
        let c = SideCounts::tally(tc, |j| {
            let i = b_to_a[j];
            if i != UNMATCHED && kept[i as usize] {
                pair_state(i as usize, j)
            } else {
                TokenState::unmatched_or_base(&left_c, j)
            }
        });
        let count = |from: u32, to: u32| {
            kept[from as usize..to as usize]
                .iter()
                .filter(|&&k| k)
                .count() as u32
        };
        let regions = alignment
            .regions
            .iter()
            .map(|r| count(r.a_start(), r.a_end()))
            .collect();
        let longest = alignment
            .regions
            .iter()
            .flat_map(|r| &r.fragments)
            .map(|f| count(f.a, f.a_end()))
            .max()
            .unwrap_or(0);
        (q, c, regions, longest)
    }

    /// Which matched query tokens count: all of them outside the left-out tokens; with base code
    /// (`min_run` set), only those that still form runs of at least `min_run` consecutive pairs (a
    /// match the aligner would have found on its own), so the few tokens a fragment reaches past
    /// the end of the template do not count.
    fn kept_pairs(
        a_to_b: &[u32],
        left_q: &LeftOut<'_>,
        left_c: &LeftOut<'_>,
        min_run: Option<usize>,
    ) -> Vec<bool> {
        let (none_q, none_c) = (left_q.is_empty(), left_c.is_empty());
        let left_out = |i: usize, j: u32| {
            (!none_q && left_q.contains(i)) || (!none_c && left_c.contains(j as usize))
        };
        let mut kept: Vec<bool> = a_to_b
            .iter()
            .enumerate()
            .map(|(i, &j)| j != UNMATCHED && !left_out(i, j))
            .collect();
        let Some(min_run) = min_run else {
            return kept;
        };
        // Runs of consecutive kept pairs on one diagonal.
        let mut start = 0;
        while start < kept.len() {
            if !kept[start] {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while end < kept.len() && kept[end] && a_to_b[end] == a_to_b[end - 1] + 1 {
                end += 1;
            }
            if end - start < min_run {
                kept[start..end].fill(false);
            }
            start = end;
        }
        kept
    }

    /// Every real pair of `tests/data/pairs`, both ways, with and without base code (the older
    /// file's first function-sized block as the template): the scores counted from the
    /// fragments equal those counted over every token.
    #[test]
    fn scores_from_the_fragments_equal_scores_over_every_token() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        let config = AlignConfig::default();
        let mut pairs = 0;
        let mut with_base_matches = 0;
        for entry in std::fs::read_dir(&data).unwrap() {
            let mut versions: Vec<_> = std::fs::read_dir(entry.unwrap().path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e != "md"))
                .collect();
            versions.sort();
            let [old, new] = &versions[..] else { continue };
            let read = |p: &std::path::Path| {
                file(&p.to_string_lossy(), &std::fs::read_to_string(p).unwrap())
            };
            let (a, b) = (read(old), read(new));
            let template: Vec<Token> = a.1.tokens.iter().take(120).copied().collect();
            let mut base = BaseCode::new(&config.fingerprint);
            base.add(&template);
            for (x, y) in [(&a, &b), (&b, &a)] {
                let alignment = align(side((&x.0, &x.1)).0, side((&y.0, &y.1)).0, &config);
                for base in [&BaseCode::none(), &base] {
                    let fast = assess((&x.0, &x.1), (&y.0, &y.1), &alignment, &config, base);
                    let ((q, mq), (c, mc), regions, longest) = assess_by_every_token(
                        (&x.1.tokens, &y.1.tokens),
                        &alignment,
                        &config,
                        base,
                    );
                    let name = x.0.path.display();
                    assert_eq!(fast.matched_query, mq, "{name}");
                    assert_eq!(fast.matched_candidate, mc, "{name}");
                    assert_eq!(fast.region_tokens, regions, "{name}");
                    assert_eq!(fast.longest_fragment, longest, "{name}");
                    let s = fast.scores;
                    assert_eq!(
                        (s.matched_tokens, s.renamed_tokens),
                        (q.matched, q.renamed),
                        "{name}"
                    );
                    assert_eq!(
                        (s.matched_lines_query, s.matched_lines_match),
                        (q.matched_lines, c.matched_lines),
                        "{name}"
                    );
                    assert_eq!(
                        (s.unchanged_lines_query, s.unchanged_lines_match),
                        (q.unchanged_lines, c.unchanged_lines),
                        "{name}"
                    );
                    let size = |t: &[Token]| code_size(t, base);
                    assert_eq!(size(&x.1.tokens).tokens, q.tokens, "{name}");
                    assert_eq!(size(&y.1.tokens).lines, c.code_lines, "{name}");
                    if !base.is_empty() && s.matched_tokens > 0 {
                        with_base_matches += 1;
                    }
                }
                pairs += 1;
            }
        }
        assert!(pairs >= 20, "{pairs}");
        assert!(
            with_base_matches >= 10,
            "base code leaves matches to count: {with_base_matches}"
        );
    }
}
