//! Seeds: pairs of token positions `(i in A, j in B)` whose k-grams have the same fingerprint.

use crate::fingerprint::Fingerprint;

/// Above this many `(A occurrence, B occurrence)` combinations for one hash, the hash is paired
/// only between occurrences at similar relative positions. Repeated code (the same 12 tokens in
/// 300 places of sqlite3.c) would otherwise cost `n * m` seeds for no gain: extension and tiling
/// find the long fragments from their rarer fingerprints anyway.
pub const MAX_CROSS_PAIRS: usize = 64;

/// With [`CommonHashes::SkipVeryCommon`], hashes with more occurrence combinations than this (64
/// occurrences a side) make no seed.
pub const MAX_RANKED_PAIRS: usize = 64 * 64;

/// All seeds, sorted by A position then B position.
pub fn shared_seeds(a: &[Fingerprint], b: &[Fingerprint]) -> Vec<(u32, u32)> {
    shared_seeds_by_hash(&by_hash(a.to_vec()), &by_hash(b.to_vec()))
}

/// Fingerprints sorted by hash (then position): what [`shared_seeds_by_hash`] merges. Sorting
/// is most of the cost of finding seeds, so a file aligned with many others sorts once.
///
/// The hashes are mixed (uniform in their top bits), so they are first dealt into buckets by
/// their top bits, about four fingerprints a bucket, and each bucket is then sorted on its own:
/// sorting by comparison alone was 2.6% of the instructions of `clones` on zstd (every file is
/// sorted on two channels), this is a little over half of that.
pub fn by_hash(fps: Vec<Fingerprint>) -> Vec<Fingerprint> {
    let key = |f: &Fingerprint| (f.hash, f.pos);
    if fps.len() < 256 {
        let mut fps = fps;
        fps.sort_unstable_by_key(key);
        return fps;
    }
    let bits = (usize::BITS - (fps.len() / 4).leading_zeros()).min(16);
    let (mut sorted, starts) = deal(fps, 1 << bits, |f| (f.hash >> (u64::BITS - bits)) as usize);
    for b in starts.windows(2) {
        let group = &mut sorted[b[0] as usize..b[1] as usize];
        if group.len() <= 16 {
            insertion_sort(group, key);
        } else {
            // Repeated code puts many equal hashes in one bucket.
            group.sort_unstable_by_key(key);
        }
    }
    sorted
}

/// `items` dealt into `buckets` buckets by `bucket` (a counting sort, stable: items of one
/// bucket keep their order), and where each bucket starts, with one past the last at the end.
pub(super) fn deal<T: Copy>(
    items: Vec<T>,
    buckets: usize,
    bucket: impl Fn(&T) -> usize,
) -> (Vec<T>, Vec<u32>) {
    let Some(&first) = items.first() else {
        return (items, vec![0; buckets + 1]);
    };
    let mut starts = vec![0u32; buckets + 1];
    for item in &items {
        starts[bucket(item) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut dealt = vec![first; items.len()];
    let mut next = starts.clone();
    for item in items {
        let slot = &mut next[bucket(&item)];
        dealt[*slot as usize] = item;
        *slot += 1;
    }
    (dealt, starts)
}

/// Sort a short slice in place (a bucket of [`by_hash`] holds a handful of fingerprints).
fn insertion_sort<K: Ord>(items: &mut [Fingerprint], key: impl Fn(&Fingerprint) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Every k-gram of `a` and of `b` (`w = 1`) whose hash the other side has too, each sorted by
/// [`by_hash`]: the same seeds as all of them, but a large file's k-grams are filtered before
/// they are sorted. The filter checks a bitmap of the smaller side's hashes before searching
/// them (a third of the cost of a binary search per k-gram of the larger file, measured).
pub fn every_shared_kgram(a: &[u64], b: &[u64]) -> (Vec<Fingerprint>, Vec<Fingerprint>) {
    let (small, large, swapped) = if a.len() <= b.len() {
        (a, b, false)
    } else {
        (b, a, true)
    };
    let mut hashes: Vec<u64> = small.to_vec();
    hashes.sort_unstable();
    hashes.dedup();
    const BITS: usize = 1 << 12;
    let mut bitmap = vec![0u64; BITS / 64];
    let slot = |h: u64| (h as usize) & (BITS - 1);
    for &h in &hashes {
        bitmap[slot(h) / 64] |= 1 << (slot(h) % 64);
    }
    let shared = |h: u64| {
        bitmap[slot(h) / 64] & (1 << (slot(h) % 64)) != 0 && hashes.binary_search(&h).is_ok()
    };
    let keep = |kgrams: &[u64], shared: &dyn Fn(u64) -> bool| {
        let kept = kgrams
            .iter()
            .enumerate()
            .filter(|&(_, &h)| shared(h))
            .map(|(pos, &hash)| Fingerprint {
                hash,
                pos: pos as u32,
            })
            .collect();
        by_hash(kept)
    };
    let large_kept = keep(large, &shared);
    let small_kept = keep(small, &|h| {
        large_kept
            .binary_search_by_key(&h, |f: &Fingerprint| f.hash)
            .is_ok()
    });
    if swapped {
        (large_kept, small_kept)
    } else {
        (small_kept, large_kept)
    }
}

/// What to do with a hash whose occurrences in A times those in B exceed [`MAX_CROSS_PAIRS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommonHashes {
    /// Pair each occurrence with those of the other side at the nearest relative rank: repeated
    /// identical code (the exact channel) tends to correspond in order.
    PairByRank,
    /// Pair by rank up to [`MAX_RANKED_PAIRS`] combinations, and make no seed of a hash more
    /// common than that. On the normalized channel a shape repeated hundreds of times in both
    /// files (a numeric table is `NUM , NUM , ...` throughout) says nothing about which renamed
    /// code corresponds, and tables are not renamed code anyway (the tiler rejects them): rank
    /// pairing OpenSSL's `bn_prime.h` (4,116 tokens) with `obj_dat.h` (50,625) made 945,379
    /// renamed pieces, none kept, in 0.5 s. Below the bound, repeated code still pairs in
    /// order: zstd's `switch` dispatching to renamed functions repeats its shape 16 times in
    /// each release of `zstd_double_fast.c`, and is matched.
    SkipVeryCommon,
}

/// [`shared_seeds`] of fingerprints already sorted by [`by_hash`].
pub fn shared_seeds_by_hash(sa: &[Fingerprint], sb: &[Fingerprint]) -> Vec<(u32, u32)> {
    shared_seeds_with(sa, sb, CommonHashes::PairByRank)
}

/// [`shared_seeds_by_hash`], treating very common hashes as `common` says.
pub fn shared_seeds_with(
    sa: &[Fingerprint],
    sb: &[Fingerprint],
    common: CommonHashes,
) -> Vec<(u32, u32)> {
    let mut seeds = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < sa.len() && j < sb.len() {
        let (ha, hb) = (sa[i].hash, sb[j].hash);
        if ha < hb {
            i += 1;
        } else if hb < ha {
            j += 1;
        } else {
            let ea = i + sa[i..].iter().take_while(|f| f.hash == ha).count();
            let eb = j + sb[j..].iter().take_while(|f| f.hash == ha).count();
            let very_common = (ea - i) * (eb - j) > MAX_RANKED_PAIRS;
            if !very_common || common == CommonHashes::PairByRank {
                pair_group(&sa[i..ea], &sb[j..eb], &mut seeds);
            }
            i = ea;
            j = eb;
        }
    }
    sort_by_a(&mut seeds);
    seeds
}

/// Sort seeds by A position, then B position.
///
/// Seeds come out of the merge in hash order, and each A position has one fingerprint, so all
/// seeds of one A position come from one hash group, in increasing B order: a stable sort by A
/// position alone gives the full order. That sort is a radix sort, 8 bits a pass (two passes up
/// to 65,536 tokens; 11-bit digits cleared 16 KB of counters a pass, for every pair): sorting
/// the pairs by comparison was a twentieth of the instructions of `clones` on zstd, where every
/// file pair sorts its seeds twice.
fn sort_by_a(seeds: &mut Vec<(u32, u32)>) {
    const BITS: u32 = 8;
    const BUCKETS: usize = 1 << BITS;
    if seeds.len() < 256 {
        seeds.sort_unstable();
        return;
    }
    let max = seeds.iter().map(|s| s.0).max().unwrap_or(0);
    let passes = (u32::BITS - max.leading_zeros()).div_ceil(BITS);
    let mut from = std::mem::take(seeds);
    // A copy rather than `vec![(0, 0); n]`: jemalloc zeroes a recycled allocation by giving
    // its pages back (madvise), and every page then faults in again. This buffer was 100 of the
    // 130 madvise calls of `clones` on zstd's `lib/`.
    let mut to = from.clone();
    for pass in 0..passes {
        let digit = |s: &(u32, u32)| ((s.0 >> (pass * BITS)) as usize) & (BUCKETS - 1);
        let mut starts = [0u32; BUCKETS];
        for s in &from {
            starts[digit(s)] += 1;
        }
        let mut sum = 0;
        for count in starts.iter_mut() {
            (*count, sum) = (sum, sum + *count);
        }
        for s in &from {
            let d = digit(s);
            to[starts[d] as usize] = *s;
            starts[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *seeds = from;
}

/// Pair every occurrence in `ga` with every one in `gb`, or, for very common hashes, each with
/// the two or three occurrences of the other side at the nearest relative rank.
fn pair_group(ga: &[Fingerprint], gb: &[Fingerprint], out: &mut Vec<(u32, u32)>) {
    let (na, nb) = (ga.len(), gb.len());
    if na * nb <= MAX_CROSS_PAIRS {
        for fa in ga {
            for fb in gb {
                out.push((fa.pos, fb.pos));
            }
        }
        return;
    }
    let mut pair_near = |r: usize, n_from: usize, n_to: usize, swap: bool| {
        let center = r * n_to / n_from;
        for c in center.saturating_sub(1)..=(center + 1).min(n_to - 1) {
            let (x, y) = if swap { (gb[r], ga[c]) } else { (ga[r], gb[c]) };
            out.push(if swap { (y.pos, x.pos) } else { (x.pos, y.pos) });
        }
    };
    // Walk the larger side so every occurrence of both sides gets a partner.
    if na >= nb {
        (0..na).for_each(|r| pair_near(r, na, nb, false));
    } else {
        (0..nb).for_each(|r| pair_near(r, nb, na, true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::numbers;

    fn fp(hash: u64, pos: u32) -> Fingerprint {
        Fingerprint { hash, pos }
    }

    #[test]
    fn pairs_equal_hashes_only() {
        let a = [fp(1, 0), fp(2, 5), fp(3, 9)];
        let b = [fp(3, 1), fp(1, 7), fp(4, 8)];
        assert_eq!(shared_seeds(&a, &b), vec![(0, 7), (9, 1)]);
    }

    #[test]
    fn every_shared_kgram_seeds_as_every_kgram_does() {
        // Hashes from a small alphabet, so that some repeat (common hashes pair by rank).
        let mut next = numbers(7);
        for (na, nb) in [(30, 3000), (3000, 30), (1, 500), (0, 40), (40, 40)] {
            let a: Vec<u64> = (0..na).map(|_| next(300)).collect();
            let b: Vec<u64> = (0..nb).map(|_| next(300)).collect();
            let all = |h: &[u64]| -> Vec<Fingerprint> {
                (0..h.len()).map(|i| fp(h[i], i as u32)).collect()
            };
            let expected = shared_seeds(&all(&a), &all(&b));
            let (sa, sb) = every_shared_kgram(&a, &b);
            assert_eq!(shared_seeds_by_hash(&sa, &sb), expected, "{na} x {nb}");
            assert!(sa.len() <= na && sb.len() <= nb);
        }
    }

    #[test]
    fn seeds_come_out_sorted_by_a_then_b_whatever_their_number() {
        // Hashes from a small alphabet so that groups repeat, at positions up to 2^23 so that
        // the radix sort takes three passes.
        let mut next = numbers(11);
        for (n, span) in [(10, 100), (300, 1 << 12), (5000, 1 << 23)] {
            let mut positions = |n: usize| -> Vec<Fingerprint> {
                let mut taken = std::collections::BTreeSet::new();
                while taken.len() < n {
                    taken.insert(next(span) as u32);
                }
                let fps = taken.into_iter().map(|pos| fp(next(n as u64 / 3 + 1), pos));
                by_hash(fps.collect())
            };
            let (a, b) = (positions(n), positions(n));
            let seeds = shared_seeds_by_hash(&a, &b);
            assert!(seeds.len() > n / 2, "{n}: {}", seeds.len());
            let mut expected = seeds.clone();
            expected.sort_unstable();
            assert_eq!(seeds, expected, "{n}");
        }
    }

    #[test]
    fn bucketed_sort_orders_as_comparison_does() {
        let mut next = numbers(5);
        let mut uniform = |n: usize| -> Vec<Fingerprint> {
            // Spread over all 64 bits, as mixed k-gram hashes are.
            let hash = |x: u64| x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (0..n as u32)
                .map(|pos| fp(hash(next(u64::MAX)), pos))
                .collect()
        };
        // Mixed hashes (spread over the buckets), one hash repeated 300 times among them (one
        // large bucket), small hashes only (all in the first bucket), and sizes on both sides of
        // the bucketing threshold.
        let mut repeated = uniform(2000);
        for (i, f) in repeated.iter_mut().enumerate().filter(|(i, _)| i % 7 == 0) {
            f.hash = 0xDEAD_BEEF_0000_0000 | (i as u64 % 2);
        }
        let small: Vec<_> = (0..3000).map(|pos| fp(u64::from(pos % 11), pos)).collect();
        let mut shuffled = uniform(4000);
        shuffled.reverse();
        for fps in [
            uniform(100),
            uniform(255),
            uniform(256),
            uniform(5000),
            repeated,
            small,
            shuffled,
        ] {
            let mut expected = fps.clone();
            expected.sort_unstable_by_key(|f| (f.hash, f.pos));
            let sorted = by_hash(fps);
            assert_eq!(
                sorted.iter().map(|f| (f.hash, f.pos)).collect::<Vec<_>>(),
                expected.iter().map(|f| (f.hash, f.pos)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn common_hashes_pair_by_rank() {
        let a: Vec<_> = (0..100).map(|i| fp(7, i * 10)).collect();
        let b: Vec<_> = (0..50).map(|i| fp(7, i * 10)).collect();
        let seeds = shared_seeds(&a, &b);
        assert!(seeds.len() <= 300, "bounded: {}", seeds.len());
        // every occurrence on both sides has at least one partner
        for f in &a {
            assert!(seeds.iter().any(|s| s.0 == f.pos));
        }
        for f in &b {
            assert!(seeds.iter().any(|s| s.1 == f.pos));
        }
        // partners are at similar relative positions
        assert!(
            seeds
                .iter()
                .all(|&(i, j)| (i as i64 / 2 - j as i64).abs() <= 20)
        );
    }
}
