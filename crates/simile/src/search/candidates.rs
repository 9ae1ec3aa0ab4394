//! Candidate generation: which files share fingerprints with a query, and how much.
//!
//! For each fingerprint of the query the index is asked for its postings, but only when at most
//! `max_df` files hold it (MOSS's `-m`): a fingerprint found in more files is boilerplate (an
//! idiom, a generated table, a licence block written as code) and says nothing about which
//! file the query came from. Every remaining fingerprint adds one to each file holding it. The
//! counters live in a [`Scratch`] that is reused from query to query, so counting allocates
//! nothing per file: a dense counter per file id and the list of ids touched, reset in
//! `O(touched)` after the query.
//!
//! Candidates are then scored by containment both ways (shared fingerprints over the query's,
//! and over the candidate's) and by their Dice estimate `2 * shared / (query + candidate)`, an
//! estimate of the similarity the aligner will measure. The shortlist handed to verification is
//! the best by that estimate plus the best by containment of the query (a big file that holds
//! all of a small query is worth showing, though its similarity is low).
//!
//! `clones` (all similar pairs of a tree) reuses this unchanged: each file of the index is a
//! query, and pairs come only from shared postings, never from enumerating all pairs.

use super::{FileId, PostingsSource};

/// The default frequency cutoff for an index of `files` files: `max(10, sqrt(files))`.
///
/// MOSS uses a fixed 10 for a class of submissions. A corpus of source trees grows in breadth,
/// and a fragment shared by more than the square root of the files is common knowledge of the
/// corpus (a logging idiom, a test fixture pattern), while code vendored a few dozen times in
/// a million-file corpus still counts. It is 10 for 100 files, 83 for Django's 6,834, 224 for
/// 50,000 and 1,000 for a million.
pub fn default_max_df(files: usize) -> usize {
    ((files as f64).sqrt().round() as usize).max(10)
}

/// When fewer than this share of the query's fingerprints found in the corpus are rare
/// enough to count, the query is boilerplate through and through (a settings file, a
/// template, a table that many files repeat), and its common fingerprints are counted too:
/// they are all there is to find it by.
const BOILERPLATE_QUERY: f64 = 0.25;

/// For a boilerplate query, common fingerprints are read up to this many times `max_df` files.
const BOILERPLATE_DF_FACTOR: usize = 100;

/// Reusable counters for candidate generation (one per thread).
#[derive(Debug, Default)]
pub struct Scratch {
    counts: Vec<u32>,
    touched: Vec<FileId>,
    postings: Vec<FileId>,
    common: Vec<u64>,
}

impl Scratch {
    /// Counters for an index of `files` file ids.
    pub fn new(files: usize) -> Scratch {
        Scratch {
            counts: vec![0; files],
            touched: Vec::new(),
            postings: Vec::new(),
            common: Vec::new(),
        }
    }

    fn ensure(&mut self, files: usize) {
        if self.counts.len() < files {
            self.counts.resize(files, 0);
        }
    }
}

/// A file sharing fingerprints with the query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The file.
    pub id: FileId,
    /// Fingerprints shared with the query (counted ones only: not common, not base code).
    pub shared: u32,
    /// The candidate's number of fingerprints in the index.
    pub fingerprints: u32,
    /// `shared` over the query's counted fingerprints: how much of the query the file holds.
    pub containment_query: f64,
    /// `shared` over the candidate's fingerprints: how much of the file the query holds.
    pub containment_candidate: f64,
    /// Dice estimate of the similarity, `2 * shared / (query + candidate)`.
    pub estimate: f64,
}

/// The result of counting: candidates best first, and what the query's fingerprints were.
#[derive(Debug, Clone, Default)]
pub struct CandidateSet {
    /// Candidates by decreasing estimate (ties: more shared, then lower id): the files sharing
    /// most fingerprints with the query, at most `max(keep, 512)` of them.
    pub candidates: Vec<Candidate>,
    /// Files sharing at least one counted fingerprint with the query (all of them, including
    /// those not scored).
    pub sharing: u32,
    /// Fingerprints of the query that were counted.
    pub counted: u32,
    /// Fingerprints of the query held by more than `max_df` files and not counted.
    pub common: u32,
    /// Fingerprints held by more than `max_df` files that were counted all the same, because
    /// most of the query is boilerplate (see [`count_candidates`]).
    pub common_counted: u32,
    /// Fingerprints of the query found in no file of the index.
    pub absent: u32,
}

/// At most this many of the files sharing most fingerprints are scored (then sorted). A query
/// sharing a little with a hundred thousand files needs no score for all of them.
const SCORED_CANDIDATES_MIN: usize = 512;

/// Count the files sharing each of `fingerprints` (sorted, distinct, base code already removed)
/// through `source`. `keep` scores at least this many of the best candidates by shared count.
///
/// Fingerprints held by more than `max_df` files are not counted, unless fewer than a quarter
/// of the query's fingerprints found in the corpus are rarer than that: then the query is
/// boilerplate through and through (a settings module, a small template), and its common
/// fingerprints, read up to `100 * max_df` files each, are all there is to find it by.
pub fn count_candidates<S: PostingsSource + ?Sized>(
    source: &S,
    fingerprints: &[u64],
    max_df: usize,
    keep: usize,
    scratch: &mut Scratch,
) -> CandidateSet {
    count(source, fingerprints, max_df, keep, scratch, true)
}

/// [`count_candidates`] without the boilerplate fallback: fingerprints held by more than
/// `max_df` files are never counted. For `clones`' normalized channel, where a query made of
/// common statement shapes is not boilerplate to find its copies by, just common.
pub fn count_rare_candidates<S: PostingsSource + ?Sized>(
    source: &S,
    fingerprints: &[u64],
    max_df: usize,
    keep: usize,
    scratch: &mut Scratch,
) -> CandidateSet {
    count(source, fingerprints, max_df, keep, scratch, false)
}

fn count<S: PostingsSource + ?Sized>(
    source: &S,
    fingerprints: &[u64],
    max_df: usize,
    keep: usize,
    scratch: &mut Scratch,
    boilerplate_fallback: bool,
) -> CandidateSet {
    scratch.ensure(source.file_count());
    let Scratch {
        counts,
        touched,
        postings,
        common,
    } = scratch;
    let mut set = CandidateSet::default();
    let mut add = |ids: &[FileId]| {
        for &id in ids {
            let slot = &mut counts[id as usize];
            if *slot == 0 {
                touched.push(id);
            }
            *slot += 1;
        }
    };
    common.clear();
    for &hash in fingerprints {
        let df = source.visit_postings(hash, max_df, postings, &mut add);
        if df == 0 {
            set.absent += 1;
        } else if df > max_df {
            common.push(hash);
        } else {
            set.counted += 1;
        }
    }
    set.common = common.len() as u32;
    let found = (set.counted + set.common) as f64;
    if boilerplate_fallback && set.common > 0 && (set.counted as f64) < BOILERPLATE_QUERY * found {
        let limit = max_df.saturating_mul(BOILERPLATE_DF_FACTOR);
        for &hash in common.iter() {
            if source.visit_postings(hash, limit, postings, &mut add) <= limit {
                set.common_counted += 1;
            }
        }
        set.common -= set.common_counted;
        set.counted += set.common_counted;
    }

    set.sharing = touched.len() as u32;
    // Only the files sharing most are scored: select them without sorting everything.
    let keep = keep.max(SCORED_CANDIDATES_MIN);
    if touched.len() > keep {
        touched.select_nth_unstable_by(keep - 1, |&a, &b| {
            counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b))
        });
    }
    let query = set.counted.max(1) as f64;
    for &id in touched.iter().take(keep) {
        let shared = counts[id as usize];
        let fingerprints = source.fingerprint_count(id).unwrap_or(0).max(shared);
        set.candidates.push(Candidate {
            id,
            shared,
            fingerprints,
            containment_query: shared as f64 / query,
            containment_candidate: shared as f64 / fingerprints.max(1) as f64,
            estimate: 2.0 * shared as f64 / (query + fingerprints as f64),
        });
    }
    for &id in touched.iter() {
        counts[id as usize] = 0;
    }
    touched.clear();
    set.candidates.sort_by(|a, b| {
        b.estimate
            .total_cmp(&a.estimate)
            .then(b.shared.cmp(&a.shared))
            .then(a.id.cmp(&b.id))
    });
    set
}

/// The candidates worth verifying, best first: the `by_estimate` best by estimated similarity,
/// then up to `by_containment` more among those holding most of the query, all filtered by
/// `accept` (which drops the query itself when it is part of the corpus).
pub fn shortlist(
    set: &CandidateSet,
    by_estimate: usize,
    by_containment: usize,
    mut accept: impl FnMut(&Candidate) -> bool,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(by_estimate + by_containment);
    // Candidates tied with the last one taken are taken too (up to twice the count): ties are
    // ordered by file id, and ids depend on an index's history, so cutting inside a tie (copies
    // of one file) would make an updated index answer differently from a fresh one.
    let tie_limit = by_estimate.saturating_mul(2);
    for c in &set.candidates {
        if out.len() >= by_estimate {
            let tied = out
                .last()
                .is_some_and(|l| l.estimate == c.estimate && l.shared == c.shared);
            if !tied || out.len() >= tie_limit {
                break;
            }
        }
        if accept(c) {
            out.push(*c);
        }
    }
    if by_containment > 0 {
        let mut rest: Vec<&Candidate> = set
            .candidates
            .iter()
            .filter(|c| !out.iter().any(|o| o.id == c.id))
            // A file holding at least half of the query is a containment match worth a look.
            .filter(|c| c.containment_query >= 0.5)
            .collect();
        rest.sort_by(|a, b| {
            b.containment_query
                .total_cmp(&a.containment_query)
                .then(a.id.cmp(&b.id))
        });
        let mut added = 0;
        for c in rest {
            if added >= by_containment {
                break;
            }
            if accept(c) {
                out.push(*c);
                added += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::FingerprintConfig;
    use crate::search::IndexedFile;

    /// A toy index: file i holds fingerprints `files[i]`.
    struct Toy {
        files: Vec<Vec<u64>>,
    }

    impl PostingsSource for Toy {
        fn fingerprint_config(&self) -> FingerprintConfig {
            FingerprintConfig::default()
        }
        fn file_count(&self) -> usize {
            self.files.len()
        }
        fn file(&self, id: FileId) -> Option<IndexedFile> {
            let fps = self.files.get(id as usize)?;
            Some(IndexedFile {
                path: format!("f{id}").into(),
                name: format!("f{id}"),
                language: crate::source::Language::Text,
                size: 0,
                mtime_ns: 0,
                content_hash: 0,
                tokens: 0,
                fingerprints: fps.len() as u32,
            })
        }
        fn postings(&self, hash: u64, limit: usize, out: &mut Vec<FileId>) -> usize {
            let ids: Vec<FileId> = (0..self.files.len() as u32)
                .filter(|&i| self.files[i as usize].contains(&hash))
                .collect();
            if ids.len() <= limit {
                out.extend(&ids);
            }
            ids.len()
        }
    }

    #[test]
    fn counts_containment_both_ways_and_skips_common() {
        // 0 is a copy of the query; 1 holds half of it; 2 is big and holds all of it;
        // 100 is in every file (boilerplate).
        let query = [1, 2, 3, 4, 100];
        let toy = Toy {
            files: vec![
                vec![1, 2, 3, 4, 100],
                vec![1, 2, 50, 51, 100],
                (1..=4).chain(200..236).chain([100]).collect(),
                vec![100, 7],
            ],
        };
        let mut scratch = Scratch::new(toy.file_count());
        let set = count_candidates(&toy, &query, 3, 10, &mut scratch);
        assert_eq!((set.counted, set.common, set.absent), (4, 1, 0));
        let ids: Vec<FileId> = set.candidates.iter().map(|c| c.id).collect();
        assert_eq!(ids, [0, 1, 2], "file 3 shares only boilerplate");
        assert_eq!(set.sharing, 3);
        let c = &set.candidates;
        assert_eq!(c[0].containment_query, 1.0);
        assert_eq!(c[1].containment_query, 0.5);
        assert_eq!(c[2].containment_query, 1.0);
        assert!(c[2].containment_candidate < 0.15);
        assert!(c[1].estimate > c[2].estimate, "similar beats containing");

        // The scratch is clean for the next query.
        assert!(scratch.counts.iter().all(|&n| n == 0));
        let again = count_candidates(&toy, &query, 3, 10, &mut scratch);
        assert_eq!(again.candidates, set.candidates);

        // A shortlist of one by estimate still shows the containing file.
        let short = shortlist(&set, 1, 1, |_| true);
        let ids: Vec<FileId> = short.iter().map(|c| c.id).collect();
        assert_eq!(ids, [0, 2]);
        // The query itself can be dropped.
        let short = shortlist(&set, 1, 0, |c| c.id != 0);
        assert_eq!(short[0].id, 1);
    }

    #[test]
    fn a_shortlist_is_not_cut_inside_a_tie() {
        let candidate = |id, shared| Candidate {
            id,
            shared,
            fingerprints: 10,
            containment_query: 0.1,
            containment_candidate: shared as f64 / 10.0,
            estimate: shared as f64 / 10.0,
        };
        let set = CandidateSet {
            candidates: vec![
                candidate(7, 9),
                candidate(3, 8),
                candidate(5, 8),
                candidate(1, 8),
                candidate(2, 8),
                candidate(4, 2),
            ],
            ..CandidateSet::default()
        };
        let ids = |n| -> Vec<FileId> {
            shortlist(&set, n, 0, |_| true)
                .iter()
                .map(|c| c.id)
                .collect()
        };
        // Three copies tied after the cut at 2 are kept, up to twice the count.
        assert_eq!(ids(2), [7, 3, 5, 1]);
        assert_eq!(ids(3), [7, 3, 5, 1, 2]);
        assert_eq!(ids(1), [7]);
    }

    #[test]
    fn boilerplate_queries_count_common_fingerprints() {
        // The query is all boilerplate (1, 2, 3 are in every file); file 0 is its copy.
        let mut files = vec![vec![1, 2, 3, 4]];
        files.extend((0..20).map(|i| vec![1, 2, 3, 100 + i]));
        let toy = Toy { files };
        let mut scratch = Scratch::new(toy.file_count());
        let set = count_candidates(&toy, &[1, 2, 3, 4], 5, 10, &mut scratch);
        // With fingerprint 4 (file 0 only), a quarter of the query is rare: that is enough.
        assert_eq!((set.counted, set.common, set.common_counted), (1, 3, 0));
        assert_eq!(set.candidates.len(), 1);
        let set = count_candidates(&toy, &[1, 2, 3], 5, 10, &mut scratch);
        assert_eq!((set.counted, set.common, set.common_counted), (3, 0, 3));
        assert_eq!(set.candidates.len(), 21);
        assert!(set.candidates.iter().all(|c| c.shared == 3));
    }

    #[test]
    fn default_cutoff_grows_slowly() {
        assert_eq!(default_max_df(5), 10);
        assert_eq!(default_max_df(6834), 83);
        assert_eq!(default_max_df(1_000_000), 1000);
    }
}
