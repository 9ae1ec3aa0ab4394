//! The last step of `clones`: from the verified pairs to the [`Clones`] report.
//!
//! - Pairs similar enough are ranked; only the first `top` keep their full comparison.
//! - A file's duplicated lines are the lines matched in any counted pair (one matching at
//!   least `min_tokens` tokens, similar enough to list or not: duplication is about the code,
//!   `min_similarity` about which pairs to show), plus, with `--fragments`, the lines of its
//!   blocks duplicated within itself.
//! - A submission pair's coverage counts each token of a submission once, however many file
//!   pairs match it.

use super::blocks::{count_lines, merge_ranges};
use super::clusters::{Link, clusters};
use super::corpus::Corpus;
use super::{CloneCorpus, CloneOptions, PairRecord, is_similar, rank_key};
use crate::align::RegionKind;
use crate::report::{
    BlockLocation, CloneBlock, CloneFile, ClonePair, CloneRoot, Clones, ClonesMode, ClonesSettings,
    ClonesSummary, Fragments, Gate, LineRange, SkippedSummary, Submission, SubmissionPair,
    Submissions, Warning,
};
use crate::search::verify::MatchedCode;
use crate::search::{BaseCode, FileId};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::sync::Arc;

/// Everything the report is made from.
pub(crate) struct Inputs<'a> {
    pub corpus: &'a CloneCorpus<'a>,
    pub read: Corpus,
    pub candidates: u64,
    pub verified: u64,
    pub records: Vec<PairRecord>,
    pub warnings: Vec<Warning>,
    pub base: &'a BaseCode,
    pub options: &'a CloneOptions,
    pub max_df: usize,
}

/// Assemble the report.
pub(crate) fn report(inputs: Inputs<'_>) -> Clones {
    let Inputs {
        corpus,
        read,
        candidates,
        verified,
        mut records,
        warnings,
        base,
        options,
        max_df,
    } = inputs;
    let name = |id: FileId| read.file(id).indexed.name.clone();
    let submission_of = |id: FileId| corpus.files[read.file(id).input].submission;
    let submission_name =
        |id: FileId| submission_of(id).map(|s| corpus.submissions[s as usize].clone());

    let duplicated = duplicated_lines(&read, &records, options.fragments);
    let blocks = options.fragments.then(|| blocks(&read, &records));
    let submissions = (corpus.mode == ClonesMode::Submissions)
        .then(|| submission_pairs(corpus, &read, &records, options));

    // Similar pairs, ranked; the first `top` have their comparison.
    records.retain(|r| is_similar(&r.scores, options));
    records.sort_by_cached_key(|r| rank_key(&read, r, options));
    let top = top_count(options.top, records.len());
    let mut pairs_per_file = vec![0u32; read.len()];
    for r in &records {
        pairs_per_file[r.a as usize] += 1;
        pairs_per_file[r.b as usize] += 1;
    }
    let clusters = match &submissions {
        Some((list, all_pairs)) => {
            let names: Vec<String> = list.iter().map(|s| s.name.clone()).collect();
            let index: HashMap<&str, usize> = names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect();
            let listed = top_count(options.top, all_pairs.len());
            let links: Vec<Link> = all_pairs
                .iter()
                .map(|p| Link {
                    a: index[p.a.as_str()],
                    b: index[p.b.as_str()],
                    similarity: p.similarity,
                    rank: (p.rank as usize <= listed).then_some(p.rank),
                })
                .collect();
            clusters(&names, &links, options.cluster_similarity)
        }
        None => {
            let names: Vec<String> = (0..read.len() as FileId).map(name).collect();
            let links: Vec<Link> = records
                .iter()
                .enumerate()
                .map(|(i, r)| Link {
                    a: r.a as usize,
                    b: r.b as usize,
                    similarity: r.scores.similarity,
                    rank: (i < top).then_some(i as u32 + 1),
                })
                .collect();
            clusters(&names, &links, options.cluster_similarity)
        }
    };
    let similar_pairs = records.len() as u64;
    let pairs: Vec<ClonePair> = records
        .iter_mut()
        .take(top)
        .enumerate()
        .filter_map(|(i, r)| {
            let comparison = r.comparison.take()?;
            let s = &r.scores;
            Some(ClonePair {
                rank: i as u32 + 1,
                a: name(r.a),
                b: name(r.b),
                submission_a: submission_name(r.a),
                submission_b: submission_name(r.b),
                similarity: s.similarity,
                coverage_a: s.coverage_query,
                coverage_b: s.coverage_match,
                matched_tokens: s.matched_tokens,
                renamed_tokens: s.renamed_tokens,
                matched_lines_a: s.matched_lines_query,
                matched_lines_b: s.matched_lines_match,
                longest_fragment: r.longest,
                verdict: s.verdict,
                best_match: r.best_match,
                shared_fingerprints: r.shared,
                comparison,
            })
        })
        .collect();
    let submissions = submissions.map(|(list, mut all)| {
        all.truncate(if options.top == 0 {
            all.len()
        } else {
            options.top
        });
        for p in &mut all {
            p.file_pairs = pairs
                .iter()
                .filter(|fp| {
                    let (sa, sb) = (fp.submission_a.as_deref(), fp.submission_b.as_deref());
                    (sa, sb) == (Some(p.a.as_str()), Some(p.b.as_str()))
                        || (sa, sb) == (Some(p.b.as_str()), Some(p.a.as_str()))
                })
                .map(|fp| fp.rank)
                .collect();
        }
        Submissions { list, pairs: all }
    });

    let files: Vec<CloneFile> = read
        .files
        .iter()
        .enumerate()
        .map(|(id, f)| {
            let ranges = &duplicated[id];
            let lines = count_lines(ranges).min(f.code_lines);
            CloneFile {
                path: f.indexed.name.clone(),
                language: f.indexed.language,
                root: corpus.files[f.input].root,
                submission: submission_name(id as FileId),
                lines: f.lines,
                code_lines: f.code_lines,
                tokens: f.tokens,
                duplicated_lines: lines,
                duplication: ratio(lines as u64, f.code_lines as u64),
                duplicated: ranges.clone(),
                pairs: pairs_per_file[id],
            }
        })
        .collect();
    let code_lines: u64 = files.iter().map(|f| f.code_lines as u64).sum();
    let duplicated_lines: u64 = files.iter().map(|f| f.duplicated_lines as u64).sum();
    let duplication = ratio(duplicated_lines, code_lines);
    let summary = ClonesSummary {
        files: files.len() as u64,
        searchable_files: read
            .exact_fingerprints
            .iter()
            .filter(|f| !f.is_empty())
            .count() as u64,
        lines: files.iter().map(|f| f.lines as u64).sum(),
        code_lines,
        tokens: files.iter().map(|f| f.tokens as u64).sum(),
        candidate_pairs: candidates,
        verified_pairs: verified,
        similar_pairs,
        duplicated_lines,
        duplication,
    };
    let roots = corpus
        .roots
        .iter()
        .enumerate()
        .map(|(i, (path, role))| CloneRoot {
            path: path.clone(),
            role: *role,
            files: files.iter().filter(|f| f.root as usize == i).count() as u64,
        })
        .collect();
    let mut skipped = corpus.skipped.clone();
    skipped.extend(read.skipped.iter().cloned());
    Clones {
        mode: corpus.mode,
        roots,
        settings: ClonesSettings {
            min_similarity: options.min_similarity,
            min_tokens: options.min_tokens as u32,
            top: options.top as u32,
            sort: options.sort,
            cluster_similarity: options.cluster_similarity,
            max_df: max_df as u64,
            fingerprint: options.align.fingerprint,
            align: options.align,
            renamed: options.renamed && options.align.renames,
            ignore: Vec::new(),
            base_kgrams: base.len() as u64,
            fragments: options.fragments,
            licenses: options.licenses,
            fail_over: options.fail_over,
        },
        summary,
        pairs,
        clusters,
        submissions,
        fragments: blocks,
        files,
        gate: options.fail_over.map(|limit| Gate {
            limit,
            duplication,
            failed: duplication > limit,
        }),
        skipped: SkippedSummary::new(skipped),
        warnings,
    }
}

/// How many of `n` ranked items are listed with `--top top` (0 lists all).
fn top_count(top: usize, n: usize) -> usize {
    if top == 0 { n } else { top.min(n) }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).min(1.0)
    }
}

/// Each file's duplicated lines, merged.
///
/// A file's lines from the twins of one pair are added once (they are the same lines), and a
/// file's list is merged whenever it has grown fourfold: a file in 1,999 pairs of copies gave
/// it every pair's lines before one merge at the end (2,000 copies of a 100 KB file peaked at
/// 17.6 GB).
fn duplicated_lines(read: &Corpus, records: &[PairRecord], fragments: bool) -> Vec<Vec<LineRange>> {
    let mut lines: Vec<Vec<LineRange>> = vec![Vec::new(); read.len()];
    let mut merged_len = vec![0usize; read.len()];
    let mut added: foldhash::HashSet<(FileId, *const MatchedCode)> = Default::default();
    for r in records {
        for (file, matched) in [(r.a, &r.matched_a), (r.b, &r.matched_b)] {
            if !added.insert((file, Arc::as_ptr(matched))) {
                continue;
            }
            let list = &mut lines[file as usize];
            list.extend(matched.lines.iter().copied());
            let merged = &mut merged_len[file as usize];
            if list.len() > 4 * (*merged).max(1024) {
                *list = merge_ranges(std::mem::take(list));
                *merged = list.len();
            }
        }
    }
    if fragments {
        for (id, blocks) in read.within.iter().enumerate() {
            for b in blocks {
                lines[id].extend(b.lines.iter().copied());
            }
        }
    }
    // One sort per file, in parallel: this runs after verification, when nothing else does.
    lines.into_par_iter().map(merge_ranges).collect()
}

/// Every duplicated block, across files (regions of counted pairs) and within files, longest
/// first.
fn blocks(read: &Corpus, records: &[PairRecord]) -> Fragments {
    let name = |id: FileId| read.file(id).indexed.name.clone();
    let mut blocks: Vec<CloneBlock> = Vec::new();
    for r in records {
        for &(kind, tokens, a, b) in &r.blocks {
            blocks.push(CloneBlock {
                id: 0,
                kind,
                tokens,
                a: BlockLocation {
                    path: name(r.a),
                    span: a,
                },
                b: BlockLocation {
                    path: name(r.b),
                    span: b,
                },
            });
        }
    }
    let across_files = blocks.len() as u32;
    for (id, within) in read.within.iter().enumerate() {
        for w in within {
            blocks.push(CloneBlock {
                id: 0,
                kind: RegionKind::Identical,
                tokens: w.tokens,
                a: BlockLocation {
                    path: name(id as FileId),
                    span: w.a,
                },
                b: BlockLocation {
                    path: name(id as FileId),
                    span: w.b,
                },
            });
        }
    }
    let within_file = blocks.len() as u32 - across_files;
    blocks.sort_by(|x, y| {
        y.tokens
            .cmp(&x.tokens)
            .then_with(|| x.a.path.cmp(&y.a.path))
            .then(x.a.span.start_byte.cmp(&y.a.span.start_byte))
            .then_with(|| x.b.path.cmp(&y.b.path))
            .then(x.b.span.start_byte.cmp(&y.b.span.start_byte))
    });
    for (i, b) in blocks.iter_mut().enumerate() {
        b.id = i as u32 + 1;
    }
    Fragments {
        blocks,
        within_file,
        across_files,
    }
}

/// Every submission, and every pair of submissions with a counted file pair between them, best
/// first (not cut to `top`; those below `min_similarity` left out).
fn submission_pairs(
    corpus: &CloneCorpus<'_>,
    read: &Corpus,
    records: &[PairRecord],
    options: &CloneOptions,
) -> (Vec<Submission>, Vec<SubmissionPair>) {
    let count = corpus.submissions.len();
    let mut list: Vec<Submission> = corpus
        .submissions
        .iter()
        .map(|name| Submission {
            name: name.clone(),
            files: 0,
            tokens: 0,
        })
        .collect();
    let submission = |id: FileId| corpus.files[read.file(id).input].submission;
    for (id, f) in read.files.iter().enumerate() {
        if let Some(s) = submission(id as FileId) {
            list[s as usize].files += 1;
            list[s as usize].tokens += f.tokens as u64;
        }
    }
    // (first submission, second) -> each side's files with the code a file pair matched in
    // them (shared, not copied: twin pairs share theirs), and the file pair count.
    type Matches = Vec<(FileId, Arc<MatchedCode>)>;
    let mut between: HashMap<(u32, u32), (Matches, Matches, u32)> = HashMap::new();
    for r in records {
        let (Some(sa), Some(sb)) = (submission(r.a), submission(r.b)) else {
            continue;
        };
        let ((sa, fa, ma), (sb, fb, mb)) = if sa < sb {
            ((sa, r.a, &r.matched_a), (sb, r.b, &r.matched_b))
        } else {
            ((sb, r.b, &r.matched_b), (sa, r.a, &r.matched_a))
        };
        let entry = between.entry((sa, sb)).or_default();
        entry.0.push((fa, Arc::clone(ma)));
        entry.1.push((fb, Arc::clone(mb)));
        entry.2 += 1;
    }
    let mut pairs: Vec<SubmissionPair> = between
        .into_iter()
        .map(|((sa, sb), (runs_a, runs_b, file_pairs))| {
            let (ma, mb) = (covered(runs_a), covered(runs_b));
            let (ta, tb) = (list[sa as usize].tokens, list[sb as usize].tokens);
            SubmissionPair {
                rank: 0,
                a: list[sa as usize].name.clone(),
                b: list[sb as usize].name.clone(),
                similarity: ratio(ma + mb, ta + tb),
                coverage_a: ratio(ma, ta),
                coverage_b: ratio(mb, tb),
                matched_tokens_a: ma,
                matched_tokens_b: mb,
                file_pairs: Vec::new(),
                file_pair_count: file_pairs,
            }
        })
        .filter(|p| p.similarity >= options.min_similarity && p.similarity > 0.0)
        .collect();
    debug_assert!(pairs.iter().all(|p| p.a != p.b) && count == list.len());
    pairs.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then(
                (y.matched_tokens_a + y.matched_tokens_b)
                    .cmp(&(x.matched_tokens_a + x.matched_tokens_b)),
            )
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    for (i, p) in pairs.iter_mut().enumerate() {
        p.rank = i as u32 + 1;
    }
    (list, pairs)
}

/// Tokens covered by the union of each file's runs.
fn covered(mut matches: Vec<(FileId, Arc<MatchedCode>)>) -> u64 {
    // The same shared code matched in one file (a pair and its twins) counts once.
    let key = |(file, code): &(FileId, Arc<MatchedCode>)| (*file, Arc::as_ptr(code));
    matches.sort_unstable_by_key(key);
    matches.dedup_by_key(|m| key(m));
    matches
        .chunk_by(|x, y| x.0 == y.0)
        .map(|one_file| {
            let mut r: Vec<(u32, u32)> = one_file
                .iter()
                .flat_map(|(_, code)| code.tokens.iter().copied())
                .collect();
            r.sort_unstable();
            let mut total = 0u64;
            let mut reach = 0u32;
            for (start, end) in r {
                let start = start.max(reach);
                if end > start {
                    total += (end - start) as u64;
                }
                reach = reach.max(end);
            }
            total
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_counts_each_token_once() {
        let code = |tokens: Vec<(u32, u32)>| {
            Arc::new(MatchedCode {
                tokens,
                lines: Vec::new(),
            })
        };
        let twins = code(vec![(15, 30)]);
        let matches = vec![
            (0, code(vec![(10, 20), (0, 5)])),
            (1, code(vec![(0, 3)])),
            (0, Arc::clone(&twins)),
            (0, twins),
            (1, code(vec![(1, 2)])),
        ];
        assert_eq!(covered(matches), 5 + 20 + 3);
    }
}
