//! Greedy string tiling: a one-to-one selection of fragments, longest first.
//!
//! Fragments overlap (repeated code makes many candidate pairings); tiling keeps the longest,
//! marks its tokens on both sides, and gives the others what is left of them. It is done
//! lazily with a max-heap: a popped fragment that overlaps marked tokens is split into its
//! still-free pieces, which go back into the heap. When a popped fragment is entirely free it
//! is the longest free run left, so the result is the same as re-running the search after each
//! tile (JPlag's greedy string tiling), at O(F log F) instead of quadratic.

use super::fragments::Fragment;
use super::{Matching, UNMATCHED};
use crate::lex::Token;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A fragment in the heap: longer first, then closer to the main diagonal (so repeated code
/// pairs in order), then earlier, then by content. Every tie-break is symmetric in A and B, so
/// the tiling of (B, A) mirrors the tiling of (A, B). Positions alone cannot separate two equally
/// long fragments at mirror-image places, `(x, y)` and `(y, x)` (two similar functions that
/// swapped places): the heap's insertion order picked one when comparing A with B and the other
/// when comparing B with A. Their contents differ, and content does not depend on the order.
/// The content key is computed only when two candidates tie on everything else, so the heap
/// pays nothing for it otherwise, and at most once per candidate (a cell keeps it).
///
/// The order before content is packed into one integer when the candidate is made (length,
/// then skew, then the two positions, reversed so greater is better): the heap compares
/// candidates far more often than it makes them, and a 40-byte candidate moves faster than
/// the 72-byte one that held both token slices (`tile_renamed`'s heap was a twentieth of the
/// time of `clones` on zstd). The content key is 0 until computed (a computed key of 0 is
/// just computed again).
#[derive(Debug, Clone)]
struct Candidate<'t> {
    order: u128,
    fragment: Fragment,
    tokens: &'t Tokens<'t>,
    content: std::cell::Cell<u64>,
}

/// The token streams of A and B, shared by every candidate of one tiling.
#[derive(Debug)]
struct Tokens<'t> {
    a: &'t [Token],
    b: &'t [Token],
}

impl<'t> Candidate<'t> {
    fn new(fragment: Fragment, tokens: &'t Tokens<'t>) -> Candidate<'t> {
        // |a/na - b/nb| in fixed point (at most 1,000,000), computed without floats for a
        // total order.
        let (na, nb) = (tokens.a.len().max(1) as u128, tokens.b.len().max(1) as u128);
        let (x, y) = (fragment.a as u128 * nb, fragment.b as u128 * na);
        let skew = (x.abs_diff(y) * 1_000_000 / (na * nb)) as u32;
        let f = fragment;
        let order = (u128::from(f.len) << 96)
            | (u128::from(!skew) << 64)
            | (u128::from(!f.a.min(f.b)) << 32)
            | u128::from(!f.a.max(f.b));
        Candidate {
            order,
            fragment,
            tokens,
            content: std::cell::Cell::new(0),
        }
    }

    fn content(&self) -> u64 {
        let key = self.content.get();
        if key != 0 {
            return key;
        }
        let key = content_key(self.fragment, self.tokens.a, self.tokens.b);
        self.content.set(key);
        key
    }
}

/// A hash of the fragment's tokens on both sides, the same whichever file is A. Only ties use it,
/// so it reads at most 32 tokens at each end: the cost stays constant per candidate.
fn content_key(f: Fragment, a: &[Token], b: &[Token]) -> u64 {
    const ENDS: u32 = 32;
    let side = |tokens: &[Token], start: u32| {
        let offsets = (0..f.len.min(ENDS)).chain(f.len.saturating_sub(ENDS).max(ENDS)..f.len);
        offsets.fold(0x243F_6A88_85A3_08D3u64, |h, t| {
            (h.rotate_left(5) ^ tokens[(start + t) as usize].exact)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        })
    };
    let (ka, kb) = (side(a, f.a), side(b, f.b));
    ka.min(kb) ^ ka.max(kb).rotate_left(29)
}

impl PartialEq for Candidate<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate<'_> {}

impl Ord for Candidate<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order
            .cmp(&other.order)
            .then_with(|| self.content().cmp(&other.content()))
    }
}

impl PartialOrd for Candidate<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Whether every token pair of `f` satisfies `free`; if not, its maximal pieces that do, at
/// least `min_len` long, are pushed onto `heap` (a fragment with a taken token is retried as
/// what is left of it).
fn whole_or_requeue<'t>(
    f: Fragment,
    free: impl Fn(u32, u32) -> bool,
    min_len: usize,
    tokens: &'t Tokens<'t>,
    heap: &mut BinaryHeap<Candidate<'t>>,
) -> bool {
    let Some(first_taken) = (0..f.len).find(|&t| !free(f.a + t, f.b + t)) else {
        return true;
    };
    let mut start = None;
    let mut push = |s: u32, t: u32| push_piece(f, s..t, min_len, tokens, heap);
    push(0, first_taken);
    for t in first_taken + 1..=f.len {
        let ok = t < f.len && free(f.a + t, f.b + t);
        match (ok, start) {
            (true, None) => start = Some(t),
            (false, Some(s)) => {
                push(s, t);
                start = None;
            }
            _ => {}
        }
    }
    false
}

/// Queue the token pairs `offsets` of `f` as a fragment of their own, if at least `min_len`.
fn push_piece<'t>(
    f: Fragment,
    offsets: std::ops::Range<u32>,
    min_len: usize,
    tokens: &'t Tokens<'t>,
    heap: &mut BinaryHeap<Candidate<'t>>,
) {
    if offsets.len() >= min_len {
        let piece = Fragment {
            a: f.a + offsets.start,
            b: f.b + offsets.start,
            len: offsets.end - offsets.start,
        };
        heap.push(Candidate::new(piece, tokens));
    }
}

/// Tile exact fragments: each selected token pair is identical text. Returns the tiles, in the
/// order they were laid.
pub fn tile_exact(
    fragments: Vec<Fragment>,
    m: &mut Matching,
    a: &[Token],
    b: &[Token],
    min_len: usize,
) -> Vec<Fragment> {
    tile_exact_with(fragments, m, (a, b), min_len, LONG_FRAGMENT)
}

/// [`tile_exact`], crossing taken runs by [`TakenRuns`] in fragments of at least `long` tokens.
fn tile_exact_with(
    fragments: Vec<Fragment>,
    m: &mut Matching,
    (a, b): (&[Token], &[Token]),
    min_len: usize,
    long: u32,
) -> Vec<Fragment> {
    let mut tiles = Vec::new();
    let tokens = Tokens { a, b };
    let mut heap: BinaryHeap<Candidate> = fragments
        .into_iter()
        .filter(|f| f.len as usize >= min_len)
        .map(|f| Candidate::new(f, &tokens))
        .collect();
    let mut taken: Option<TakenRuns> = None;
    while let Some(c) = heap.pop() {
        let f = c.fragment;
        let whole = if f.len < long {
            let free = |i: u32, j: u32| {
                m.a_to_b[i as usize] == UNMATCHED && m.b_to_a[j as usize] == UNMATCHED
            };
            whole_or_requeue(f, free, min_len, &tokens, &mut heap)
        } else {
            let taken = taken.get_or_insert_with(|| TakenRuns::new(m));
            whole_or_requeue_skipping(f, taken, min_len, &tokens, &mut heap)
        };
        if whole {
            (0..f.len).for_each(|t| m.pair(f.a + t, f.b + t));
            if let Some(taken) = taken.as_mut() {
                taken.take(f);
            }
            tiles.push(f);
        }
    }
    tiles
}

/// Fragments at least this long are checked against the tiles by jumping over taken runs
/// ([`TakenRuns`]) rather than token by token.
///
/// Repeated code makes many long fragments over the same tokens: a file of 50,000 zero bytes
/// written out in C (`0x00, 0x00, ...`) against one of 200,000 gives 36,000 seeds, each on its
/// own diagonal (repeated hashes pair by rank), and each extends over the whole table. Once the
/// first is laid, checking every other one token by token took 4 s.
const LONG_FRAGMENT: u32 = 256;

/// The tokens taken by tiles on each side, as "the next free token at or after `i`" with path
/// halving: a taken run is crossed in a few steps however long it is.
struct TakenRuns {
    next_free_a: Vec<u32>,
    next_free_b: Vec<u32>,
}

impl TakenRuns {
    fn new(m: &Matching) -> TakenRuns {
        let side = |map: &[u32]| -> Vec<u32> {
            let mut next: Vec<u32> = (0..=map.len() as u32).collect();
            for (i, &to) in map.iter().enumerate() {
                if to != UNMATCHED {
                    next[i] = i as u32 + 1;
                }
            }
            next
        };
        TakenRuns {
            next_free_a: side(&m.a_to_b),
            next_free_b: side(&m.b_to_a),
        }
    }

    fn take(&mut self, f: Fragment) {
        for t in 0..f.len {
            self.next_free_a[(f.a + t) as usize] = f.a + t + 1;
            self.next_free_b[(f.b + t) as usize] = f.b + t + 1;
        }
    }

    /// The first free position at or after `i`.
    fn next_free(next: &mut [u32], mut i: u32) -> u32 {
        while next[i as usize] != i {
            let up = next[next[i as usize] as usize];
            next[i as usize] = up;
            i = up;
        }
        i
    }

    /// The first offset at or after `t` where both tokens of `f` are free (`f.len` if none).
    fn next_free_pair(&mut self, f: Fragment, mut t: u32) -> u32 {
        while t < f.len {
            let ta = Self::next_free(&mut self.next_free_a, f.a + t) - f.a;
            let tb = Self::next_free(&mut self.next_free_b, f.b + t) - f.b;
            if ta == t && tb == t {
                return t;
            }
            t = ta.max(tb);
        }
        f.len
    }

    fn is_free(&self, f: Fragment, t: u32) -> bool {
        self.next_free_a[(f.a + t) as usize] == f.a + t
            && self.next_free_b[(f.b + t) as usize] == f.b + t
    }
}

/// [`whole_or_requeue`] with the tiles' taken runs crossed in a few steps each: the same answer
/// and the same pieces, pushed in the same order.
fn whole_or_requeue_skipping<'t>(
    f: Fragment,
    taken: &mut TakenRuns,
    min_len: usize,
    tokens: &'t Tokens<'t>,
    heap: &mut BinaryHeap<Candidate<'t>>,
) -> bool {
    let mut t = 0;
    while t < f.len {
        let start = taken.next_free_pair(f, t);
        let mut end = start;
        while end < f.len && taken.is_free(f, end) {
            end += 1;
        }
        if start == 0 && end == f.len {
            return true;
        }
        push_piece(f, start..end, min_len, tokens, heap);
        t = end;
    }
    false
}

/// At most this many distinct renamed names per token of a renamed fragment (plus a small
/// allowance): a function with three renamed locals in 100 tokens passes, while two unrelated
/// tables of `{ "name", 12, FLAG }` rows (three "renames" every eight tokens) do not.
fn max_distinct_renames(len: u32) -> usize {
    2 + len as usize / 10
}

/// Tile normalized fragments, each cut by `split` into pieces of consistent renamings. A renamed
/// piece may run through tokens already matched *on its own diagonal* (the exact parts of a
/// renamed function) and claims the unmatched tokens between them. Its ends are trimmed to
/// identical tokens so a renamed region starts and ends on code that really is the same.
/// Returns the tiles, in the order they were laid (each may overlap exact tiles on its own
/// diagonal).
///
/// A fragment is cut only when the pieces are needed: once no piece left is longer than it
/// (its pieces are never longer than it, so the pieces are still taken longest first, as if
/// every fragment had been cut beforehand). By then the longer renamed tiles are laid, and a
/// fragment without a free run (`free_run`) is not cut at all: a piece is laid only if it is such a
/// run, and matches are only ever added. Cutting every fragment first checked them against the
/// exact tiles alone: on zstd, 30% of the fragments cut then (68,042 of 228,609) had no pair
/// left free by the longer renamed tiles laid before their turn, and a third of the rest
/// (51,500 of 160,567, a quarter of their tokens) only short runs of free pairs.
pub fn tile_renamed(
    mut fragments: Vec<Fragment>,
    mut split: impl FnMut(Fragment, &mut Vec<Fragment>),
    m: &mut Matching,
    a: &[Token],
    b: &[Token],
    min_len: usize,
) -> Vec<Fragment> {
    let tokens = Tokens { a, b };
    let mut pieces = RenamedPieces::new(&tokens, min_len);
    let mut cut = Vec::new();
    fragments.retain(|f| f.len as usize >= min_len);
    let mut uncut = longest_first(fragments).into_iter().peekable();
    loop {
        while let Some(f) = uncut.next_if(|f| pieces.longest().is_none_or(|len| f.len >= len)) {
            if free_run(f, m, min_len) {
                split(f, &mut cut);
                cut.drain(..).for_each(|piece| pieces.push(piece));
            }
        }
        if !pieces.take_best(m) {
            return pieces.tiles;
        }
    }
}

/// `fragments` by decreasing length. The order of fragments of equal length does not matter:
/// [`tile_renamed`] cuts them one after the other, without laying a tile in between, and the
/// heap orders their pieces totally. So they are sorted by counting (lengths are small numbers):
/// sorting hundreds of thousands of short fragments by comparison was 1.3% of the instructions
/// of `clones` on zstd.
fn longest_first(fragments: Vec<Fragment>) -> Vec<Fragment> {
    let Some(longest) = fragments.iter().map(|f| f.len as usize).max() else {
        return fragments;
    };
    if longest > 4 * fragments.len() + 1024 {
        // A few very long fragments: a counter per length would cost more than sorting.
        let mut fragments = fragments;
        fragments.sort_unstable_by_key(|f| std::cmp::Reverse(f.len));
        return fragments;
    }
    super::seeds::deal(fragments, longest + 1, |f| longest - f.len as usize).0
}

/// The tiling [`tile_renamed`] replaced, kept as its tests' oracle: every fragment already cut
/// into pieces, all of them in the heap from the start.
#[cfg(test)]
pub(super) fn tile_renamed_cut_beforehand(
    cut: Vec<Fragment>,
    m: &mut Matching,
    a: &[Token],
    b: &[Token],
    min_len: usize,
) -> Vec<Fragment> {
    let tokens = Tokens { a, b };
    let mut pieces = RenamedPieces::new(&tokens, min_len);
    cut.into_iter().for_each(|piece| pieces.push(piece));
    while pieces.take_best(m) {}
    pieces.tiles
}

/// The renamed pieces waiting in [`tile_renamed`], longest first, and the tiles laid so far.
struct RenamedPieces<'t> {
    tokens: &'t Tokens<'t>,
    heap: BinaryHeap<Candidate<'t>>,
    min_len: usize,
    /// Scratch space of [`few_renames`].
    renames: Vec<(u64, u64)>,
    tiles: Vec<Fragment>,
}

impl<'t> RenamedPieces<'t> {
    fn new(tokens: &'t Tokens<'t>, min_len: usize) -> RenamedPieces<'t> {
        RenamedPieces {
            tokens,
            heap: BinaryHeap::new(),
            min_len,
            renames: Vec::new(),
            tiles: Vec::new(),
        }
    }

    /// Queue `piece`, unless it is too short to be laid.
    fn push(&mut self, piece: Fragment) {
        if piece.len as usize >= self.min_len {
            self.heap.push(Candidate::new(piece, self.tokens));
        }
    }

    /// The length of the longest piece queued.
    fn longest(&self) -> Option<u32> {
        self.heap.peek().map(|c| c.fragment.len)
    }

    /// Take the best piece queued: lay it if all of it is free, it starts and ends on identical
    /// tokens, it adds a token pair and renames few enough names; queue again what is left of
    /// it when part of it is taken or its ends differ. False when no piece is left. Inlined
    /// into the tiling loops: called, it cost 0.6% more instructions of `clones` on zstd.
    #[inline]
    fn take_best(&mut self, m: &mut Matching) -> bool {
        let Some(c) = self.heap.pop() else {
            return false;
        };
        let (f, Tokens { a, b }) = (c.fragment, self.tokens);
        let free = |i: u32, j: u32| {
            let mi = m.a_to_b[i as usize];
            mi == j || (mi == UNMATCHED && m.b_to_a[j as usize] == UNMATCHED)
        };
        if !whole_or_requeue(f, free, self.min_len, self.tokens, &mut self.heap) {
            return true;
        }
        let trimmed = trim_to_identical(f, a, b);
        if trimmed != Some(f) {
            if let Some(t) = trimmed {
                self.push(t);
            }
            return true;
        }
        let adds_tokens = (0..f.len).any(|t| m.a_to_b[(f.a + t) as usize] == UNMATCHED);
        if adds_tokens && few_renames(f, a, b, &mut self.renames) {
            (0..f.len).for_each(|t| m.pair(f.a + t, f.b + t));
            self.tiles.push(f);
        }
        true
    }
}

/// Whether `f` has a run of at least `min_len` token pairs that a renamed tile could still
/// take, one of them on two unmatched tokens: what [`RenamedPieces::take_best`] asks of a piece
/// before laying it. The pairs a tile may take are those whose tokens are both unmatched or
/// matched with each other, and each tile matches more pairs, so a fragment without such a run
/// now never gets one, and none of its pieces would be laid.
fn free_run(f: Fragment, m: &Matching, min_len: usize) -> bool {
    let (mut run, mut adds) = (0, false);
    for t in 0..f.len {
        let (i, j) = ((f.a + t) as usize, f.b + t);
        let matched_to = m.a_to_b[i];
        if matched_to == j {
            run += 1;
        } else if matched_to == UNMATCHED && m.b_to_a[j as usize] == UNMATCHED {
            run += 1;
            adds = true;
        } else {
            (run, adds) = (0, false);
            continue;
        }
        if adds && run >= min_len {
            return true;
        }
    }
    false
}

/// `f` without its leading and trailing token pairs whose texts differ.
fn trim_to_identical(f: Fragment, a: &[Token], b: &[Token]) -> Option<Fragment> {
    let same = |t: u32| a[(f.a + t) as usize].exact == b[(f.b + t) as usize].exact;
    let first = (0..f.len).find(|&t| same(t))?;
    let last = (0..f.len).rev().find(|&t| same(t))?;
    Some(Fragment {
        a: f.a + first,
        b: f.b + first,
        len: last - first + 1,
    })
}

/// Whether `f` has at most [`max_distinct_renames`] distinct `(name in A, name in B)` pairs with
/// different texts; `pairs` is scratch space, reused between fragments.
///
/// There are never more distinct pairs than differing tokens, so when the differing tokens are
/// few enough the pairs need not be sorted: most renamed fragments pass that way (sorting each
/// one's pairs was a thirtieth of the time of `clones` on zstd).
fn few_renames(f: Fragment, a: &[Token], b: &[Token], pairs: &mut Vec<(u64, u64)>) -> bool {
    let max = max_distinct_renames(f.len);
    pairs.clear();
    pairs.extend(
        (0..f.len)
            .map(|t| (a[(f.a + t) as usize].exact, b[(f.b + t) as usize].exact))
            .filter(|(x, y)| x != y),
    );
    if pairs.len() <= max {
        return true;
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs.len() <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` tokens (their text does not matter to these tests).
    fn tokens(n: usize) -> Vec<Token> {
        let text = "x ".repeat(n);
        let file = crate::source::SourceFile::from_text("t.txt", &text, None);
        crate::lex::tokenize(&file).tokens
    }

    #[test]
    fn longest_wins_and_others_get_the_rest() {
        let mut m = Matching::new(20, 20);
        let long = Fragment {
            a: 0,
            b: 0,
            len: 10,
        };
        // overlaps `long` on A tokens 5..10; its free part (A 10..14, B 15..19) survives
        let overlapping = Fragment {
            a: 5,
            b: 10,
            len: 9,
        };
        let t = tokens(20);
        tile_exact(vec![overlapping, long], &mut m, &t, &t, 3);
        assert_eq!(m.a_to_b[0], 0);
        assert_eq!(m.a_to_b[9], 9);
        assert_eq!(m.a_to_b[10], 15);
        assert_eq!(m.a_to_b[13], 18);
        assert_eq!(m.matched(), 14);
    }

    #[test]
    fn crossing_taken_runs_in_long_fragments_tiles_as_checking_every_token() {
        let mut next = crate::testing::numbers(5);
        for case in 0..300 {
            let (na, nb) = (50 + next(700) as usize, 50 + next(700) as usize);
            let (ta, tb) = (tokens(na), tokens(nb));
            // Long fragments on many diagonals over the same stretches, as repeated code gives.
            let fragments: Vec<Fragment> = (0..1 + next(60))
                .map(|_| {
                    let (a, b) = (next(na as u64) as u32, next(nb as u64) as u32);
                    let room = (na as u32 - a).min(nb as u32 - b);
                    Fragment {
                        a,
                        b,
                        len: 1 + next(room as u64) as u32,
                    }
                })
                .collect();
            let min_len = 1 + next(12) as usize;
            let tile = |long: u32| {
                let mut m = Matching::new(na, nb);
                let tiles = tile_exact_with(fragments.clone(), &mut m, (&ta, &tb), min_len, long);
                (tiles, m.a_to_b)
            };
            assert_eq!(tile(0), tile(u32::MAX), "case {case}");
            assert_eq!(tile(40), tile(u32::MAX), "case {case}, long from 40");
        }
    }

    #[test]
    fn renames_are_counted_once_per_distinct_pair() {
        let tokenize = |text: &str| {
            let file = crate::source::SourceFile::from_text("t.c", text, None);
            crate::lex::tokenize(&file).tokens
        };
        let whole = |t: &[Token]| Fragment {
            a: 0,
            b: 0,
            len: t.len() as u32,
        };
        let mut scratch = Vec::new();
        // 20 tokens (4 renames allowed), one rename used 10 times: 10 differing tokens, but
        // one distinct pair.
        let (a, b) = (tokenize(&"x + ".repeat(10)), tokenize(&"y + ".repeat(10)));
        assert!(few_renames(whole(&a), &a, &b, &mut scratch));
        // 20 tokens, 10 distinct renames.
        let names = |p: &str| (0..10).map(|i| format!("{p}{i} + ")).collect::<String>();
        let (a, b) = (tokenize(&names("x")), tokenize(&names("y")));
        assert!(!few_renames(whole(&a), &a, &b, &mut scratch));
        // 20 tokens, 3 differing tokens: few enough without sorting.
        let (a, b) = (
            tokenize(&format!("x + y + z + {}", "w + ".repeat(7))),
            tokenize(&format!("p + q + r + {}", "w + ".repeat(7))),
        );
        assert!(few_renames(whole(&a), &a, &b, &mut scratch));
    }

    #[test]
    fn fragments_come_longest_first_whatever_their_lengths() {
        let fragment = |i: u32, len: u32| Fragment {
            a: i,
            b: 2 * i,
            len,
        };
        let many: Vec<_> = (0..500).map(|i| fragment(i, 12 + (i * 37) % 90)).collect();
        // One fragment far longer than there are fragments: sorted by comparison instead.
        let one_long = vec![fragment(0, 12), fragment(1, 100_000), fragment(2, 13)];
        for fragments in [many, one_long, Vec::new()] {
            let sorted = longest_first(fragments.clone());
            assert!(sorted.windows(2).all(|w| w[0].len >= w[1].len));
            let key = |f: &Fragment| (f.a, f.b, f.len);
            let (mut got, mut all) = (sorted.clone(), fragments);
            got.sort_unstable_by_key(key);
            all.sort_unstable_by_key(key);
            assert_eq!(got, all, "the same fragments");
        }
    }

    #[test]
    fn pieces_below_minimum_are_dropped() {
        let mut m = Matching::new(20, 20);
        tile_exact(
            vec![
                Fragment {
                    a: 0,
                    b: 0,
                    len: 10,
                },
                Fragment {
                    a: 8,
                    b: 12,
                    len: 4,
                },
            ],
            &mut m,
            &tokens(20),
            &tokens(20),
            3,
        );
        assert_eq!(m.matched(), 10, "the 2-token leftover is below the minimum");
    }
}
