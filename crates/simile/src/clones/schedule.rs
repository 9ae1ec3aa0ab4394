//! The order of verification: which candidate pairs are verified together, so that a file the
//! cache could not hold is read (and tokenized, and prepared) once for many pairs rather than
//! once per pair.
//!
//! The read step keeps files in memory up to a budget, and nearly every file has a candidate
//! pair (1,625 of OpenSSL's 1,714 `crypto/` files), so on a large tree a third of the files
//! are not cached. Verified in candidate order, each of their pairs read them again: 6,409
//! reads of 661 MB for OpenSSL's `crypto/` (1.1.1 and 3.6), with the default 128 MB budget.
//! Grouped by such a file, each is read once per group: the group's pairs are verified one
//! after the other while it is held. Memory stays bounded by the budget plus one held file per
//! thread. Measured there: 2,385 reads (765 held files, and the other side of the pairs of two
//! uncached files), wall 1.08-1.19 s -> 0.89-0.96 s, user CPU -21%, the report identical.

use super::pairs::CandidatePair;
use crate::search::FileId;

/// One unit of verification work: candidate pairs, by their index in the candidate list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Work {
    /// A pair of two cached files.
    Cached(usize),
    /// Pairs sharing one file that is not cached (`held`): it is read once for all of them.
    Held { held: FileId, pairs: Vec<usize> },
}

/// The work items for `candidates`, given which files are cached. A pair of two uncached files
/// is grouped under the one with more such pairs (the first on a tie), so the file read per
/// pair is the one needed least.
pub(crate) fn work(candidates: &[CandidatePair], cached: impl Fn(FileId) -> bool) -> Vec<Work> {
    let mut uncached_pairs: foldhash::HashMap<FileId, u32> = Default::default();
    for p in candidates {
        for id in [p.a, p.b].into_iter().filter(|&id| !cached(id)) {
            *uncached_pairs.entry(id).or_default() += 1;
        }
    }
    let mut items = Vec::new();
    let mut groups: std::collections::BTreeMap<FileId, Vec<usize>> = Default::default();
    for (i, p) in candidates.iter().enumerate() {
        let held = match (cached(p.a), cached(p.b)) {
            (true, true) => {
                items.push(Work::Cached(i));
                continue;
            }
            (false, true) => p.a,
            (true, false) => p.b,
            (false, false) => {
                let count = |id| uncached_pairs.get(&id).copied().unwrap_or(0);
                if count(p.b) > count(p.a) { p.b } else { p.a }
            }
        };
        groups.entry(held).or_default().push(i);
    }
    items.extend(
        groups
            .into_iter()
            .map(|(held, pairs)| Work::Held { held, pairs }),
    );
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: FileId, b: FileId) -> CandidatePair {
        CandidatePair {
            a,
            b,
            shared: 1,
            namesakes: false,
        }
    }

    #[test]
    fn an_uncached_file_is_read_once_for_all_its_pairs() {
        // Files 0-2 cached, 3-5 not.
        let candidates = [
            pair(0, 1),
            pair(0, 3),
            pair(1, 3),
            pair(2, 4),
            pair(3, 4),
            pair(4, 5),
            pair(2, 5),
            pair(1, 2),
        ];
        let items = work(&candidates, |id| id < 3);
        assert_eq!(
            items,
            vec![
                Work::Cached(0),
                Work::Cached(7),
                // 3 and 4 each have three pairs with an uncached file; 3 came first.
                Work::Held {
                    held: 3,
                    pairs: vec![1, 2, 4]
                },
                // 4 has more uncached pairs than 5.
                Work::Held {
                    held: 4,
                    pairs: vec![3, 5]
                },
                Work::Held {
                    held: 5,
                    pairs: vec![6]
                },
            ]
        );
        // Every pair is verified once.
        let mut seen: Vec<usize> = items
            .iter()
            .flat_map(|w| match w {
                Work::Cached(i) => vec![*i],
                Work::Held { pairs, .. } => pairs.clone(),
            })
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..candidates.len()).collect::<Vec<_>>());
    }

    #[test]
    fn with_everything_cached_every_pair_stands_alone() {
        let candidates = [pair(0, 1), pair(1, 2)];
        assert_eq!(
            work(&candidates, |_| true),
            vec![Work::Cached(0), Work::Cached(1)]
        );
    }
}
