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

use super::corpus::Corpus;
use super::{CloneOptions, ListedDetail, PairRecord, is_similar, rank_key};
use crate::align::{AlignedRegion, Alignment};
use crate::report::{BestMatch, Comparison, PairOrder};
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
    /// Of how many of its files the pair is the best match ([`BestMatch::sides`]).
    pub best: u8,
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
            PairOrder::BestMatch => y.best.cmp(&x.best).then(by_similarity).then(by_overlap),
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

/// A listed pair's files and its comparison.
pub(crate) type PairComparison = ((FileId, FileId), Box<Comparison>);

/// A listed pair whose comparison is still to build: its alignment, as regions. Its files are
/// not kept: they are read again (or taken from the cache) when the comparisons are built, so
/// memory holds the cache and no more. Kept, they were up to 500 large files the cache had no
/// room for: on `/usr/include` with a 128 MiB cache (where the best pairs are the largest
/// identical headers) the peak was 0.59 GB, or 0.78 GB when the cache happened to hold other
/// files; 0.47 GB without them.
struct Pending {
    key: RankKey,
    pair: (FileId, FileId),
    regions: Vec<AlignedRegion>,
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
    pub fn offer(&self, key: RankKey, pair: (FileId, FileId), regions: Vec<AlignedRegion>) {
        if !self.would_keep(&key) {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if self.top > 0 && kept.len() >= self.top {
            match kept.peek() {
                Some(worst) if key < worst.key => {
                    kept.pop();
                }
                _ => return,
            }
        }
        kept.push(Pending { key, pair, regions });
    }

    /// Whether a pair of rank `key` would be kept now.
    fn would_keep(&self, key: &RankKey) -> bool {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        self.top == 0 || kept.len() < self.top || kept.peek().is_some_and(|worst| *key < worst.key)
    }

    /// The comparisons of the pairs kept, built in parallel from their files as `load` gives
    /// them; a pair whose file cannot be loaded again has no comparison (and is not listed),
    /// and why is in the warnings.
    pub fn comparisons<E: Send>(
        self,
        options: &CloneOptions,
        load: impl Fn(FileId) -> Result<Arc<LoadedFile>, E> + Sync,
    ) -> (Vec<PairComparison>, Vec<E>) {
        let kept = self.kept.into_inner().unwrap_or_else(|p| p.into_inner());
        let built: Vec<Result<_, E>> = kept
            .into_vec()
            .into_par_iter()
            .map(|p| {
                let (fa, fb) = (load(p.pair.0)?, load(p.pair.1)?);
                let (na, nb) = (fa.tokens.tokens.len(), fb.tokens.tokens.len());
                let alignment = Alignment::from_regions(p.regions, na, nb);
                Ok((p.pair, Box::new(compare(&fa, &fb, &alignment, options))))
            })
            .collect();
        let mut comparisons = Vec::with_capacity(built.len());
        let mut errors = Vec::new();
        for b in built {
            match b {
                Ok(c) => comparisons.push(c),
                Err(e) => errors.push(e),
            }
        }
        (comparisons, errors)
    }
}

/// Mark each similar pair with the files it is the best match of: for each file, the first of
/// its similar pairs by similarity (then matched tokens, then paths).
pub(crate) fn mark_best_matches(read: &Corpus, records: &mut [PairRecord], options: &CloneOptions) {
    let by_similarity = CloneOptions {
        sort: PairOrder::Similarity,
        ..options.clone()
    };
    let similar = ranked_similar(read, records, &by_similarity);
    let mut matched = vec![false; read.len()];
    let mut first_for = |file: u32| !std::mem::replace(&mut matched[file as usize], true);
    for i in similar {
        let r = &mut records[i];
        r.best_match = match (first_for(r.a), first_for(r.b)) {
            (true, true) => BestMatch::Both,
            (true, false) => BestMatch::A,
            (false, true) => BestMatch::B,
            (false, false) => BestMatch::Neither,
        };
    }
}

/// The indices of the similar pairs, in the order of `options.sort` (as the report ranks them).
fn ranked_similar(read: &Corpus, records: &[PairRecord], options: &CloneOptions) -> Vec<usize> {
    let mut similar: Vec<usize> = (0..records.len())
        .filter(|&i| is_similar(&records[i].scores, options))
        .collect();
    similar.sort_by_cached_key(|&i| rank_key(read, &records[i], options));
    similar
}

/// Give every listed pair its comparison, calling `compare` for those that have none yet.
///
/// While pairs are verified, the [`Keeper`] keeps the alignments of the best pairs by their rank
/// key. With [`PairOrder::BestMatch`] that key is not known until every pair is verified (a
/// pair's rank depends on the other pairs of its files), so the keeper keeps the most similar
/// pairs, and a listed best match below them is aligned again here: at most `top` pairs.
pub(crate) fn complete(
    read: &Corpus,
    records: &mut [PairRecord],
    options: &CloneOptions,
    compare: impl Fn(u32, u32) -> Option<Box<Comparison>> + Sync,
) {
    let mut listed = ranked_similar(read, records, options);
    if options.top > 0 {
        listed.truncate(options.top);
    }
    let missing: Vec<(usize, u32, u32)> = listed
        .into_iter()
        .filter(|&i| records[i].comparison.is_none())
        .map(|i| (i, records[i].a, records[i].b))
        .collect();
    let built: Vec<(usize, Option<Box<Comparison>>)> = missing
        .into_par_iter()
        .map(|(i, a, b)| (i, compare(a, b)))
        .collect();
    for (i, comparison) in built {
        records[i].comparison = comparison;
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
        licenses: options.licenses,
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
            best: 0,
            a: a.into(),
            b: "z".into(),
        }
    }

    #[test]
    fn best_matches_rank_first_then_by_similarity() {
        let best = |sides: u8, similarity: f64| RankKey {
            sort: PairOrder::BestMatch,
            best: sides,
            ..key(similarity, 10, "a")
        };
        assert!(best(2, 0.3) < best(1, 0.9), "the best of both files first");
        assert!(best(1, 0.3) < best(0, 0.9), "then the best of one");
        assert!(best(1, 0.9) < best(1, 0.3), "then by similarity");
        // Other orders ignore it.
        let mut low = best(2, 0.3);
        low.sort = PairOrder::Similarity;
        assert!(key(0.9, 10, "a") < low);
    }

    /// The keeper keeps the best `top` pairs without their files, and reads the files when
    /// it builds the comparisons: a pair whose file cannot be read then is left without one,
    /// and the error says why.
    #[test]
    fn kept_pairs_read_their_files_when_compared() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        let paths = [
            "zstd_fast/1.4.9.c",
            "zstd_fast/1.5.7.c",
            "openssl_evp_key/3.6.3.c",
        ];
        let files: Vec<Arc<LoadedFile>> = paths
            .iter()
            .map(|p| {
                let source = crate::source::read_source(&data.join(p), &Default::default());
                Arc::new(LoadedFile::new(source.unwrap()))
            })
            .collect();
        let keeper = Keeper::new(2);
        keeper.offer(key(0.9, 10, "a"), (0, 1), Vec::new());
        keeper.offer(key(0.2, 10, "a"), (1, 2), Vec::new());
        keeper.offer(key(0.5, 10, "a"), (0, 3), Vec::new());
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let load = |id: FileId| {
            reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            files
                .get(id as usize)
                .cloned()
                .ok_or(format!("file {id} is gone"))
        };
        let (comparisons, errors) = keeper.comparisons(&CloneOptions::default(), load);
        assert_eq!(errors, vec!["file 3 is gone".to_string()]);
        assert_eq!(comparisons.len(), 1, "the least similar pair was not kept");
        let ((a, b), comparison) = &comparisons[0];
        assert_eq!((*a, *b), (0, 1));
        assert!(comparison.a.path.ends_with("1.4.9.c"));
        assert!(comparison.b.path.ends_with("1.5.7.c"));
        assert_eq!(reads.into_inner(), 4, "each kept pair's files, read once");
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
