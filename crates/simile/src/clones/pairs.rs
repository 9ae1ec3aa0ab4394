//! Candidate pairs: files that share enough fingerprints to be worth aligning.
//!
//! Each file is a query against the postings of all files, exactly as in `find`
//! ([`count_candidates`], with the same `max_df` cutoff for boilerplate), on the exact channel
//! and, with [`CloneOptions::renamed`], on the normalized one too (a copy whose identifiers were
//! all renamed shares no exact k-gram with its original). Pairs therefore come only from shared postings:
//! the work and the memory grow with the fingerprints and with the pairs that share code, never
//! with the number of all pairs of files (which is why Dolos and JPlag run out of memory).
//!
//! A pair is kept when it shares at least as many fingerprints as the smallest match it could
//! be reported for is guaranteed to leave (winnowing's guarantee: a run of `t` shared tokens
//! holds at least `(t - k + 1) / w` shared fingerprints), so the cutoff loses no reportable
//! single-run match and spares the aligner the files that share a line or two.

use super::corpus::Corpus;
use super::{CloneOptions, Progress, required_tokens};
use crate::search::candidates::{Scratch, count_candidates};
use crate::search::{FileId, MemoryIndex};
use rayon::prelude::*;

/// Two files worth aligning (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CandidatePair {
    /// The file walked first.
    pub a: FileId,
    /// The other file.
    pub b: FileId,
    /// Fingerprints they share (the larger count of the two channels).
    pub shared: u32,
}

/// Every candidate pair allowed by `allowed`, sorted by `(a, b)`.
pub(crate) fn candidate_pairs(
    corpus: &Corpus,
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    options: &CloneOptions,
    max_df: usize,
    progress: &dyn Progress,
) -> Vec<CandidatePair> {
    let n = corpus.len();
    progress.stage("pairing", n);
    let per_file: Vec<Vec<CandidatePair>> = (0..n as FileId)
        .into_par_iter()
        .map_init(
            || Scratch::new(n),
            |scratch, a| {
                let pairs = pairs_of(corpus, a, allowed, options, max_df, scratch);
                progress.tick();
                pairs
            },
        )
        .collect();
    per_file.into_iter().flatten().collect()
}

/// The candidate pairs `(a, b)` with `b > a`.
fn pairs_of(
    corpus: &Corpus,
    a: FileId,
    allowed: &(dyn Fn(FileId, FileId) -> bool + Sync),
    options: &CloneOptions,
    max_df: usize,
    scratch: &mut Scratch,
) -> Vec<CandidatePair> {
    let mut shared: Vec<(FileId, u32)> = Vec::new();
    let mut count = |index: &MemoryIndex, fingerprints: &[u64]| {
        if fingerprints.is_empty() {
            return;
        }
        let set = count_candidates(index, fingerprints, max_df, corpus.len(), scratch);
        shared.extend(
            set.candidates
                .iter()
                .filter(|c| c.id > a)
                .map(|c| (c.id, c.shared)),
        );
    };
    count(&corpus.exact, &corpus.exact_fingerprints[a as usize]);
    if let Some(normalized) = &corpus.normalized {
        count(normalized, &corpus.normalized_fingerprints[a as usize]);
    }
    shared.sort_unstable();
    let config = options.align.fingerprint;
    let tokens_a = corpus.file(a).tokens;
    let mut out: Vec<CandidatePair> = Vec::new();
    for (b, count) in shared {
        if let Some(last) = out.last_mut().filter(|p| p.b == b) {
            last.shared = last.shared.max(count);
            continue;
        }
        out.push(CandidatePair {
            a,
            b,
            shared: count,
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
