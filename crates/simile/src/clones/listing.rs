//! Which pairs are listed, and their comparisons.
//!
//! Every counted pair is assessed (scores, matched code), but only the first `top` are shown
//! with their full comparison, whose regions, spans, renames and line diffs cost more than the
//! assessment (measured on OpenSSL's `crypto/`: 3,338 similar pairs, 250 listed). So while pairs
//! are verified, a bounded heap keeps the alignments of the best `top` seen so far; a pair pushed
//! out drops its alignment, and the comparisons are built at the end for the pairs that stayed.
//! Memory for alignments is thus bounded by `top`, not by the number of similar pairs; and an
//! alignment is kept as its regions, its matching rebuilt when the comparison is built (the
//! matchings of zstd's 250 listed pairs were two token-sized arrays each, a fifth of the peak
//! memory of the run).

use super::{CloneOptions, ListedDetail};
use crate::align::{AlignedRegion, Alignment};
use crate::report::{Comparison, PairOrder};
use crate::search::{FileId, LoadedFile};
use crate::{CompareOptions, compare_aligned};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex};

/// Where a pair ranks: its order is the documented order of pairs ([`PairOrder`]), ties broken
/// by the paths. `Less` ranks first.
#[derive(Debug, Clone)]
pub(crate) struct RankKey {
    pub sort: PairOrder,
    pub similarity: f64,
    pub matched: u32,
    pub longest: u32,
    pub a: String,
    pub b: String,
}

impl Ord for RankKey {
    fn cmp(&self, other: &Self) -> Ordering {
        let (x, y) = (self, other);
        let by_similarity = y.similarity.total_cmp(&x.similarity);
        let by_overlap = y.matched.cmp(&x.matched);
        let by_longest = y.longest.cmp(&x.longest);
        let first = match x.sort {
            PairOrder::Similarity => by_similarity.then(by_overlap),
            PairOrder::Longest => by_longest.then(by_similarity),
            PairOrder::Overlap => by_overlap.then(by_similarity),
        };
        first.then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    }
}

impl PartialOrd for RankKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RankKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RankKey {}

/// A listed pair whose comparison is still to build.
struct Pending {
    key: RankKey,
    pair: (FileId, FileId),
    regions: Vec<AlignedRegion>,
    files: (Arc<LoadedFile>, Arc<LoadedFile>),
}

impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pending {}

/// The best `top` pairs seen so far, with their alignments (with `top` 0 every similar pair is
/// listed, and its comparison is built at once instead).
pub(crate) struct Keeper {
    top: usize,
    /// A max-heap by rank: its top is the worst pair kept, the first to go.
    kept: Mutex<BinaryHeap<Pending>>,
}

impl Keeper {
    pub fn new(top: usize) -> Keeper {
        Keeper {
            top,
            kept: Mutex::new(BinaryHeap::new()),
        }
    }

    /// Offer a similar pair for listing; its alignment is kept while it ranks among the best.
    pub fn offer(
        &self,
        key: RankKey,
        pair: (FileId, FileId),
        alignment: Alignment,
        files: (Arc<LoadedFile>, Arc<LoadedFile>),
    ) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if self.top > 0 && kept.len() >= self.top {
            match kept.peek() {
                Some(worst) if key < worst.key => {
                    kept.pop();
                }
                _ => return,
            }
        }
        kept.push(Pending {
            key,
            pair,
            regions: alignment.regions,
            files,
        });
    }

    /// The comparisons of the pairs kept, built in parallel.
    pub fn comparisons(self, options: &CloneOptions) -> Vec<((FileId, FileId), Box<Comparison>)> {
        let kept = self.kept.into_inner().unwrap_or_else(|p| p.into_inner());
        kept.into_vec()
            .into_par_iter()
            .map(|p| {
                let (fa, fb) = &p.files;
                let (na, nb) = (fa.tokens.tokens.len(), fb.tokens.tokens.len());
                let alignment = Alignment::from_regions(p.regions, na, nb);
                (p.pair, Box::new(compare(fa, fb, &alignment, options)))
            })
            .collect()
    }
}

/// The comparison of a listed pair: what `simile compare A B --no-structure --no-license`
/// shows, file-wide identifier rename map included, or less as [`ListedDetail`] says.
pub(crate) fn compare(
    fa: &LoadedFile,
    fb: &LoadedFile,
    alignment: &Alignment,
    options: &CloneOptions,
) -> Comparison {
    let full = options.listed == ListedDetail::Full;
    let compare_options = CompareOptions {
        renames: options.align.renames && full,
        line_diffs: full,
        ..CompareOptions::tokens_only(options.align)
    };
    compare_aligned(
        (&fa.source, &fa.tokens),
        (&fb.source, &fb.tokens),
        alignment,
        &compare_options,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(similarity: f64, matched: u32, a: &str) -> RankKey {
        RankKey {
            sort: PairOrder::Similarity,
            similarity,
            matched,
            longest: 0,
            a: a.into(),
            b: "z".into(),
        }
    }

    #[test]
    fn more_similar_ranks_first_then_more_matched_then_paths() {
        assert!(key(0.9, 10, "a") < key(0.5, 900, "a"));
        assert!(key(0.5, 90, "b") < key(0.5, 10, "a"));
        assert!(key(0.5, 10, "a") < key(0.5, 10, "b"));
        let mut longest = key(0.1, 10, "a");
        longest.sort = PairOrder::Longest;
        longest.longest = 500;
        let mut other = key(0.9, 10, "a");
        other.sort = PairOrder::Longest;
        other.longest = 20;
        assert!(longest < other, "--sort longest");
    }
}
