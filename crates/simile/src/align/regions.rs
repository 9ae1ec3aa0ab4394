//! Regions: matched fragments grouped into the units a person reads, each classified.
//!
//! Invariants of the result: regions are sorted by their A start; no two regions overlap on
//! either side (in tokens); every matched token belongs to exactly one region; every region
//! matches at least [`AlignConfig::min_region_tokens_for`] the two files (fewer than
//! `min_region_tokens` in small files).

use super::fragments::Fragment;
use super::{AlignConfig, Matching, Side, UNMATCHED, mersenne};
use serde::{Deserialize, Serialize};

/// How the two sides of a region relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    /// The same tokens (whitespace, comments and formatting may differ).
    Identical,
    /// The same shape; identifiers and/or literals differ consistently (a Type-2 clone).
    Renamed,
    /// Matched fragments separated by small gaps of changed lines (a Type-3 clone).
    Edited,
}

/// A region of the alignment, in token indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedRegion {
    /// The matched runs, increasing in both A and B; between consecutive runs lie the gaps.
    pub fragments: Vec<Fragment>,
    /// Identical, renamed or edited.
    pub kind: RegionKind,
    /// Out of order relative to the rest: not on the heaviest chain of regions that keeps the
    /// order of both files.
    pub moved: bool,
    /// Matched tokens (equal on both sides).
    pub matched: u32,
}

impl AlignedRegion {
    /// First A token.
    pub fn a_start(&self) -> u32 {
        self.fragments[0].a
    }
    /// One past the last A token.
    pub fn a_end(&self) -> u32 {
        self.fragments[self.fragments.len() - 1].a_end()
    }
    /// First B token.
    pub fn b_start(&self) -> u32 {
        self.fragments[0].b
    }
    /// One past the last B token.
    pub fn b_end(&self) -> u32 {
        self.fragments[self.fragments.len() - 1].b_end()
    }

    fn new(first: Fragment) -> AlignedRegion {
        AlignedRegion {
            fragments: vec![first],
            kind: RegionKind::Identical,
            moved: false,
            matched: first.len,
        }
    }
}

/// Group the matching, laid as `tiles` (fragments whose union is the matching, in any order),
/// into regions, drop the ones too small to mean anything (unmatching their tokens), flag
/// moved ones and classify all.
pub(crate) fn build(
    a: Side<'_>,
    b: Side<'_>,
    m: &mut Matching,
    tiles: Vec<Fragment>,
    config: &AlignConfig,
) -> Vec<AlignedRegion> {
    let mut regions = chain(runs(tiles), a, b, m, config);
    let min_region = config.min_region_tokens_for(a.tokens.len(), b.tokens.len());
    let small = |r: &AlignedRegion| (r.matched as usize) < min_region;
    if regions.iter().any(small) {
        for r in regions.iter().filter(|r| small(r)) {
            for f in &r.fragments {
                (f.a..f.a_end()).for_each(|i| m.unpair(i));
            }
        }
        // Freed tokens may now be gaps that neighbours can merge across; merging only grows
        // regions, so one more pass leaves none too small. The runs left are those of the
        // regions kept, still in A order.
        let left: Vec<Fragment> = regions
            .iter()
            .filter(|r| !small(r))
            .flat_map(|r| r.fragments.iter().copied())
            .collect();
        regions = chain(left, a, b, m, config);
    }
    mark_moved(&mut regions, a, b);
    for r in &mut regions {
        r.kind = classify(r, a, b);
    }
    regions
}

/// Maximal runs of consecutive pairs `(i, j), (i+1, j+1), ...` in A order, from tiles whose
/// union is the matching: tiles on one diagonal that overlap or touch are one run (a renamed
/// tile may run through exact ones on its diagonal), and a token is matched once, so no other
/// tile lies between them in A. Reading the runs off the matching instead went over every
/// token of A for each pair `clones` verifies (a thirtieth of its instructions on zstd, where
/// most pairs match a small part of a file).
fn runs(mut tiles: Vec<Fragment>) -> Vec<Fragment> {
    tiles.sort_unstable_by_key(|f| f.a);
    let mut out: Vec<Fragment> = Vec::with_capacity(tiles.len());
    for f in tiles {
        match out.last_mut() {
            Some(run) if run.diagonal() == f.diagonal() && f.a <= run.a_end() => {
                run.len = run.len.max(f.a_end() - run.a);
            }
            _ => out.push(f),
        }
    }
    out
}

fn chain(
    fragments: Vec<Fragment>,
    a: Side<'_>,
    b: Side<'_>,
    m: &Matching,
    config: &AlignConfig,
) -> Vec<AlignedRegion> {
    let mut regions: Vec<AlignedRegion> = Vec::new();
    for f in fragments {
        match regions.last_mut() {
            Some(r) if joinable(r.fragments[r.fragments.len() - 1], f, a, b, m, config) => {
                r.fragments.push(f);
                r.matched += f.len;
            }
            _ => regions.push(AlignedRegion::new(f)),
        }
    }
    regions
}

/// `next` continues the region ending with `prev` if it follows it in B too, and the gaps
/// between them on both sides are small and hold no token matched elsewhere. (The A gap holds
/// none by construction: `next` is the next matched run in A order.)
fn joinable(
    prev: Fragment,
    next: Fragment,
    a: Side<'_>,
    b: Side<'_>,
    m: &Matching,
    config: &AlignConfig,
) -> bool {
    if next.b < prev.b_end() {
        return false;
    }
    let max_tokens = max_gap_tokens(config);
    let (gap_a, gap_b) = (prev.a_end()..next.a, prev.b_end()..next.b);
    if gap_a.len() > max_tokens || gap_b.len() > max_tokens {
        return false;
    }
    if gap_b.clone().any(|j| m.b_to_a[j as usize] != UNMATCHED) {
        return false;
    }
    gap_lines(a, gap_a) <= config.max_gap_lines && gap_lines(b, gap_b) <= config.max_gap_lines
}

/// The most tokens a gap inside a region may hold (besides at most `max_gap_lines` lines).
pub(crate) fn max_gap_tokens(config: &AlignConfig) -> usize {
    16 * config.max_gap_lines.max(1) as usize
}

/// Number of distinct lines holding the tokens of `range`.
fn gap_lines(side: Side<'_>, range: std::ops::Range<u32>) -> u32 {
    let tokens = &side.tokens[range.start as usize..range.end as usize];
    let mut lines = 0;
    let mut last = 0;
    for t in tokens {
        if t.line != last {
            lines += 1;
            last = t.line;
        }
    }
    lines
}

/// Flag regions that are not on the heaviest chain increasing in both A and B. Regions are in
/// A order and disjoint in B, so a chain is an increasing subsequence of B starts; the heaviest
/// ones are found in O(n log n) with Fenwick trees of prefix maxima over B ranks.
///
/// Chains of equal weight (two equally long blocks that swapped places) are told apart by the
/// sum of their regions' content keys, which do not depend on which file is A: tie-breaking by
/// position instead flagged the first block of A as moved, and the other one once the files
/// were swapped, so `compare(a, b)` did not mirror `compare(b, a)`.
///
/// Chains can still tie exactly: two blocks of identical tokens that swapped places give two
/// heaviest chains that are mirror images of each other, so no rule that ignores which file is
/// A can prefer one (the `compare` fuzz target found this: `fuzz/regressions/compare`). A
/// region is therefore kept in place only if it lies on *every* heaviest chain: both swapped
/// blocks are moved, whichever file is A. With one heaviest chain (the usual case) that is the
/// chain's regions, as before. Whether a region lies on every one is decided by counting the
/// heaviest chains through it and in all (modulo a 61-bit prime, so counts that would overflow
/// stay exact in practice: a false equality has probability 2^-61).
fn mark_moved(regions: &mut [AlignedRegion], a: Side<'_>, b: Side<'_>) {
    let n = regions.len();
    if n < 2 {
        return;
    }
    let mut by_b: Vec<usize> = (0..n).collect();
    by_b.sort_unstable_by_key(|&r| regions[r].b_start());
    let mut rank = vec![0usize; n];
    for (k, &r) in by_b.iter().enumerate() {
        rank[r] = k + 1;
    }
    let weights: Vec<Weight> = regions
        .iter()
        .map(|r| (r.matched as u64, content_key(r, a, b) as u128))
        .collect();
    // Heaviest chains ending at each region (A order, lower B ranks before), and starting at
    // each region (reverse A order, higher B ranks after).
    let ending = heaviest_chains((0..n).map(|r| (r, rank[r])), &weights, n);
    let starting = heaviest_chains((0..n).rev().map(|r| (r, n + 1 - rank[r])), &weights, n);
    let best = ending.iter().map(|c| c.weight).max().unwrap_or_default();
    let total = ending
        .iter()
        .filter(|c| c.weight == best)
        .fold(0, |sum, c| mersenne::add(sum, c.count));
    for (r, region) in regions.iter_mut().enumerate() {
        let (e, s, w) = (ending[r], starting[r], weights[r]);
        let through = (e.weight.0 + s.weight.0 - w.0, e.weight.1 + s.weight.1 - w.1);
        let on_every = through == best && mersenne::mul(e.count, s.count) == total;
        region.moved = !on_every;
    }
}

/// (matched tokens, sum of content keys) of a chain; u128 sums never overflow, so adding a
/// region keeps the order of two chains (the dynamic programme relies on it).
type Weight = (u64, u128);

/// The heaviest chains ending at one region: their weight and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Chains {
    weight: Weight,
    count: u64,
}

impl Chains {
    /// The heavier of two sets of chains; equally heavy ones add up.
    fn merge(self, other: Chains) -> Chains {
        match self.weight.cmp(&other.weight) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal => Chains {
                weight: self.weight,
                count: mersenne::add(self.count, other.count),
            },
        }
    }
}

/// For regions visited in chain order as (region, rank), where a chain may only step to a
/// higher rank: the heaviest chains ending at each region (a Fenwick tree of prefix maxima).
fn heaviest_chains(
    order: impl Iterator<Item = (usize, usize)>,
    weights: &[Weight],
    n: usize,
) -> Vec<Chains> {
    let mut tree = vec![Chains::default(); n + 1];
    let mut out = vec![Chains::default(); weights.len()];
    for (r, rank) in order {
        // The empty chain: weight zero, one of it. Every region weighs at least one token, so
        // any real chain before this one is heavier.
        let mut acc = Chains {
            weight: (0, 0),
            count: 1,
        };
        let mut k = rank - 1;
        while k > 0 {
            acc = acc.merge(tree[k]);
            k &= k - 1;
        }
        let w = weights[r];
        let here = Chains {
            weight: (acc.weight.0 + w.0, acc.weight.1 + w.1),
            count: acc.count,
        };
        out[r] = here;
        let mut k = rank;
        while k <= n {
            tree[k] = tree[k].merge(here);
            k += k & k.wrapping_neg();
        }
    }
    out
}

/// A hash of a region's tokens on both sides that is the same whichever file is A.
fn content_key(r: &AlignedRegion, a: Side<'_>, b: Side<'_>) -> u64 {
    let hash = |tokens: &[crate::lex::Token]| {
        tokens.iter().fold(0x243F_6A88_85A3_08D3u64, |h, t| {
            (h.rotate_left(5) ^ t.exact).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        })
    };
    let ka = hash(&a.tokens[r.a_start() as usize..r.a_end() as usize]);
    let kb = hash(&b.tokens[r.b_start() as usize..r.b_end() as usize]);
    ka.min(kb) ^ ka.max(kb).rotate_left(29)
}

fn classify(r: &AlignedRegion, a: Side<'_>, b: Side<'_>) -> RegionKind {
    if r.fragments.len() > 1 {
        return RegionKind::Edited;
    }
    let f = r.fragments[0];
    let identical = (0..f.len)
        .all(|t| a.tokens[(f.a + t) as usize].exact == b.tokens[(f.b + t) as usize].exact);
    if identical {
        RegionKind::Identical
    } else {
        RegionKind::Renamed
    }
}
