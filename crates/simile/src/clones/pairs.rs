//! Candidate pairs: files that share enough fingerprints to be worth aligning.
//!
//! Each file is a query against the postings of all files, exactly as in `find`
//! ([`count_candidates`], with the same `max_df` cutoff for boilerplate), on two channels:
//! - exact: shared code as written;
//! - normalized (identifiers and literals abstracted): a copy whose identifiers were renamed
//!   shares no exact k-gram with its original. zstd 1.5.7 renamed the type `ZSTD_matchState_t`
//!   to `ZSTD_MatchState_t` in every prototype of `zstd_fast.h`: the two releases of the header
//!   share no exact fingerprint, and half of the normalized ones. By default a normalized match
//!   makes a candidate only when it covers at least half of the smaller file's normalized
//!   fingerprints (a renamed copy of a file), because 50-token statement shapes are shared by
//!   unrelated files everywhere (measured on OpenSSL's `crypto/`: candidates from any normalized
//!   match were 11 times as many, and 90% of the pairs they added were one such shape). With
//!   [`CloneOptions::renamed`] (`--renamed`, and `--submissions`) any renamed block will do.
//!
//! Pairs therefore come only from shared postings: the work and the memory grow with the
//! fingerprints and with the pairs that share code, never with the number of all pairs of files
//! (which is why Dolos and JPlag run out of memory).
//!
//! A pair is kept when it shares at least as many fingerprints as the smallest match it could
//! be reported for is guaranteed to leave (winnowing's guarantee: a run of `t` shared tokens
//! holds at least `(t - k + 1) / w` shared fingerprints), so the cutoff loses no reportable
//! single-run match and spares the aligner the files that share a line or two.

use super::corpus::Corpus;
use super::twins::content_key;
use super::{CloneOptions, Progress, required_tokens};
use crate::search::FileId;
use crate::search::candidates::{Candidate, Scratch, count_candidates, count_rare_candidates};
use crate::source::ContentKey;
use rayon::prelude::*;

/// Without `renamed`, the share of the smaller file's normalized fingerprints that a renamed
/// pair must share (see the module documentation).
const RENAMED_FILE_CONTAINMENT: f64 = 0.5;

/// The frequency cutoff of the normalized channel, as a multiple of the exact channel's: a
/// normalized k-gram (`ID ( ID * ID , ID * ID , ID ID [ ID ] , ...`) is shared by more files
/// than its exact text, and the prototypes of zstd's `compress/*.h` headers are shared by the
/// 14 headers of the two releases, above the cutoff of 13 for the 173 files of `lib/`.
/// Measured on zstd's `lib/`: the ground-truth pairs found go from 76 to 78 of 81 at twice the
/// cutoff (1,074 candidate pairs instead of 836), and no further with more.
const NORMALIZED_DF_FACTOR: usize = 2;

/// Two files worth aligning (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CandidatePair {
    /// The file walked first.
    pub a: FileId,
    /// The other file.
    pub b: FileId,
    /// Fingerprints they share (the larger count of the two channels).
    pub shared: u32,
    /// Namesakes of a name held by at most `max_df` files (see [`super::namesakes`]).
    pub namesakes: bool,
}

/// Every candidate pair allowed by `allowed`, sorted by `(a, b)`.
pub(crate) fn candidate_pairs(
    corpus: &Corpus,
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    options: &CloneOptions,
    (max_df, namesakes): (usize, bool),
    progress: &dyn Progress,
) -> Vec<CandidatePair> {
    let n = corpus.len();
    progress.stage("pairing", n);
    let per_file: Vec<Vec<CandidatePair>> = copies(corpus)
        .into_par_iter()
        .map_init(
            || Scratch::new(n),
            |scratch, group| {
                // Copies hold the same fingerprints, so the postings give them the same counts.
                let counts = shared_counts(corpus, group[0], options, max_df, scratch);
                let pairs: Vec<CandidatePair> = group
                    .iter()
                    .flat_map(|&a| {
                        progress.tick();
                        pairs_of(corpus, a, &counts, allowed, options)
                    })
                    .collect();
                pairs
            },
        )
        .collect();
    let mut pairs: Vec<CandidatePair> = per_file.into_iter().flatten().collect();
    pairs.extend(identical_code_pairs(corpus, allowed, max_df));
    if namesakes {
        pairs.extend(namesake_pairs(corpus, allowed, max_df));
    }
    pairs.sort_unstable_by_key(|p| (p.a, p.b));
    pairs.dedup_by(|later, kept| {
        let same = (later.a, later.b) == (kept.a, kept.b);
        if same {
            kept.shared = kept.shared.max(later.shared);
            kept.namesakes |= later.namesakes;
        }
        same
    });
    pairs
}

/// Pairs of files whose code is identical, however short (see
/// [`MIN_IDENTICAL_TOKENS`](super::corpus::MIN_IDENTICAL_TOKENS)).
fn identical_code_pairs(
    corpus: &Corpus,
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    max_df: usize,
) -> Vec<CandidatePair> {
    // Identical code: every fingerprint is shared.
    let shared = |a: FileId, _| corpus.file(a).indexed.fingerprints;
    let key = |id| corpus.file(id).code_key;
    pairs_by_key(corpus, allowed, max_df, key, shared, false)
}

/// Pairs of namesakes (files of the same name in different directories; see
/// [`super::namesakes`]), whatever fingerprints they share: a version of a file may share too
/// little code for a guaranteed fingerprint (OpenSSL's `async/arch/async_null.c` kept one
/// 16-token block from 1.1.1 to 3.6), and aligning them is what decides.
fn namesake_pairs(
    corpus: &Corpus,
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    max_df: usize,
) -> Vec<CandidatePair> {
    let name = |id| Some(super::file_name(&corpus.file(id).indexed.name));
    let shared = |a: FileId, b: FileId| {
        shared_count(
            &corpus.exact_fingerprints[a as usize],
            &corpus.exact_fingerprints[b as usize],
        )
    };
    pairs_by_key(corpus, allowed, max_df, name, shared, true)
}

/// The number of hashes two sorted lists have in common.
fn shared_count(a: &[u64], b: &[u64]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Every allowed pair of files with the same `key`, with the fingerprints they share (marked
/// `namesakes` if the key is their name); a key held by more than `max_df` files is boilerplate, as a fingerprint is (400 generated stubs make no
/// 80,000 pairs, nor do the `__init__.py` of a large Python tree).
fn pairs_by_key<K: std::hash::Hash + Eq>(
    corpus: &Corpus,
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    max_df: usize,
    key: impl Fn(FileId) -> Option<K>,
    shared: impl Fn(FileId, FileId) -> u32,
    namesakes: bool,
) -> Vec<CandidatePair> {
    let mut by_key: std::collections::HashMap<K, Vec<FileId>> = Default::default();
    for id in 0..corpus.len() as FileId {
        if let Some(key) = key(id) {
            by_key.entry(key).or_default().push(id);
        }
    }
    let mut out = Vec::new();
    for ids in by_key
        .values()
        .filter(|ids| ids.len() >= 2 && ids.len() <= max_df)
    {
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                if allowed(a, b) {
                    let shared = shared(a, b);
                    out.push(CandidatePair {
                        a,
                        b,
                        shared,
                        namesakes,
                    });
                }
            }
        }
    }
    out
}

/// The files grouped by their contents (bytes hash, size, language: what decides their
/// fingerprints), each group in id order. `/usr/include` holds 2,045 copies among its 7,911
/// files; each used to query the postings on its own: counted once, the whole run takes
/// 1.99 s instead of 2.34 (interleaved medians of 3).
fn copies(corpus: &Corpus) -> Vec<Vec<FileId>> {
    let mut by_content: foldhash::HashMap<ContentKey, usize> = Default::default();
    let mut groups: Vec<Vec<FileId>> = Vec::new();
    for id in 0..corpus.len() as FileId {
        let next = groups.len();
        let g = *by_content.entry(content_key(corpus, id)).or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        groups[g].push(id);
    }
    groups
}

/// The files sharing fingerprints with file `a` (itself included), and how many, on both
/// channels: on the normalized one only files sharing enough of it (see the module
/// documentation).
fn shared_counts(
    corpus: &Corpus,
    a: FileId,
    options: &CloneOptions,
    max_df: usize,
    scratch: &mut Scratch,
) -> Vec<(FileId, u32)> {
    let mut shared: Vec<(FileId, u32)> = Vec::new();
    let exact = count_candidates(
        &corpus.exact,
        &corpus.exact_fingerprints[a as usize],
        max_df,
        corpus.len(),
        scratch,
    );
    shared.extend(exact.candidates.iter().map(|c| (c.id, c.shared)));
    let normalized = &corpus.normalized_fingerprints[a as usize];
    if !normalized.is_empty() {
        let max_df = max_df.saturating_mul(NORMALIZED_DF_FACTOR);
        let set = count_rare_candidates(
            &corpus.normalized,
            normalized,
            max_df,
            corpus.len(),
            scratch,
        );
        // Without `renamed`, a renamed pair must share most of the smaller file (see the
        // module documentation); with it, any block will do.
        let enough = |c: &Candidate| {
            options.renamed
                || c.containment_query.max(c.containment_candidate) >= RENAMED_FILE_CONTAINMENT
        };
        shared.extend(
            set.candidates
                .iter()
                .filter(|c| enough(c))
                .map(|c| (c.id, c.shared)),
        );
    }
    shared.sort_unstable();
    shared
}

/// The candidate pairs `(a, b)` with `b > a`, from the counts of `a`'s fingerprints
/// ([`shared_counts`], sorted).
fn pairs_of(
    corpus: &Corpus,
    a: FileId,
    counts: &[(FileId, u32)],
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    options: &CloneOptions,
) -> Vec<CandidatePair> {
    let config = options.align.fingerprint;
    let tokens_a = corpus.file(a).tokens;
    let mut out: Vec<CandidatePair> = Vec::new();
    for &(b, count) in counts.iter().filter(|&&(b, _)| b > a) {
        if let Some(last) = out.last_mut().filter(|p| p.b == b) {
            last.shared = last.shared.max(count);
            continue;
        }
        out.push(CandidatePair {
            a,
            b,
            shared: count,
            namesakes: false,
        });
    }
    out.retain(|p| {
        let smaller = tokens_a.min(corpus.file(p.b).tokens);
        let Some(needed) = required_tokens(options.min_tokens as u32, smaller, config.k as u32)
        else {
            return false;
        };
        let guaranteed = (needed as usize + 1).saturating_sub(config.k) / config.w.max(1);
        p.shared as usize >= guaranteed.max(1) && allowed(p.a, p.b)
    });
    out
}
