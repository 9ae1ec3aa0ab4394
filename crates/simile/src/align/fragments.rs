//! Fragments: maximal runs of equal tokens, `A[a..a+len] == B[b..b+len]`, grown from seeds.

use crate::lex::{Token, TokenFlags};
use foldhash::{HashMap, HashMapExt};

/// A run of `len` tokens starting at `a` in A and `b` in B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fragment {
    /// First token in A.
    pub a: u32,
    /// First token in B.
    pub b: u32,
    /// Length in tokens.
    pub len: u32,
}

impl Fragment {
    /// One past the last A token.
    pub fn a_end(&self) -> u32 {
        self.a + self.len
    }

    /// One past the last B token.
    pub fn b_end(&self) -> u32 {
        self.b + self.len
    }

    /// The diagonal `b - a`: fragments on one diagonal keep the same offset between files.
    pub fn diagonal(&self) -> i64 {
        self.b as i64 - self.a as i64
    }
}

/// Extend every seed to the maximal run of equal hashes around it. Seeds are sorted by A
/// position, so a seed inside a fragment already found on its diagonal is skipped: each
/// maximal fragment is extended once, and the total work is linear in the matched tokens.
pub fn extend(seeds: &[(u32, u32)], a: &[u64], b: &[u64]) -> Vec<Fragment> {
    let mut reach: HashMap<i64, u32> = HashMap::with_capacity(seeds.len() / 4 + 1);
    let mut out = Vec::new();
    for &(i, j) in seeds {
        let diagonal = j as i64 - i as i64;
        if reach.get(&diagonal).is_some_and(|&end| i < end) {
            continue;
        }
        let (mut sa, mut sb) = (i as usize, j as usize);
        while sa > 0 && sb > 0 && a[sa - 1] == b[sb - 1] {
            sa -= 1;
            sb -= 1;
        }
        let (mut ea, mut eb) = (i as usize, j as usize);
        while ea < a.len() && eb < b.len() && a[ea] == b[eb] {
            ea += 1;
            eb += 1;
        }
        reach.insert(diagonal, ea.max(i as usize + 1) as u32);
        if ea > sa {
            out.push(Fragment {
                a: sa as u32,
                b: sb as u32,
                len: (ea - sa) as u32,
            });
        }
    }
    out
}

/// Cut a normalized fragment wherever its identifier and literal pairing stops being a
/// bijection: once `count` is paired with `n`, a later `count` paired with `total`, or another
/// name paired with `n`, means the two texts are no longer the same code under one renaming.
/// It is also cut at differing tokens of import statements: `#include "a.h"` against
/// `#include "b.h"` is another import, not a renaming (seen on zstd, where include lists
/// shifted by one line paired every header with its neighbour).
///
/// Where to cut: anywhere after the last use of the conflicting pairing and up to the token that
/// breaks it keeps both pieces consistent. The cut goes where both neighbours are identical
/// tokens, because the tiler trims renamed fragments to start and end on identical code: cutting
/// right at the conflicting token (`size` renamed `cnt` in the second of two functions that
/// both use `size`) made `cnt` the first token of its piece, trimmed away, and a pure rename was
/// reported as an edit with a one-token gap.
pub fn split_consistent(f: Fragment, a: &[Token], b: &[Token]) -> Vec<Fragment> {
    let mut out = Vec::new();
    Splitter::default().split(f, a, b, &mut out);
    out
}

/// [`split_consistent`] for many fragments, reusing its maps (growing two fresh maps per
/// fragment was a twentieth of the time of `clones` on zstd).
#[derive(Debug, Default)]
pub struct Splitter {
    /// exact hash -> (the hash it pairs with, last offset where it did); entries whose offset
    /// is before the current piece's start belong to an earlier piece and are ignored.
    forward: HashMap<u64, (u64, u32)>,
    backward: HashMap<u64, (u64, u32)>,
}

impl Splitter {
    /// Append the consistent pieces of `f` to `out`.
    pub fn split(&mut self, f: Fragment, a: &[Token], b: &[Token], out: &mut Vec<Fragment>) {
        let (forward, backward) = (&mut self.forward, &mut self.backward);
        forward.clear();
        backward.clear();
        let same = |t: u32| a[(f.a + t) as usize].exact == b[(f.b + t) as usize].exact;
        let mut start = 0u32;
        let push = |from: u32, to: u32, out: &mut Vec<Fragment>| {
            if to > from {
                out.push(Fragment {
                    a: f.a + from,
                    b: f.b + from,
                    len: to - from,
                });
            }
        };
        for t in 0..f.len {
            let (ta, tb) = (&a[(f.a + t) as usize], &b[(f.b + t) as usize]);
            if !ta.kind.is_abstractable() {
                continue;
            }
            let import = (ta.flags.has(TokenFlags::IMPORT) || tb.flags.has(TokenFlags::IMPORT))
                && ta.exact != tb.exact;
            if import {
                push(start, t, out);
                start = t + 1;
                continue;
            }
            // One map lookup each (the entry API): this loop is a tenth of the time of aligning
            // sqlite3.c with its next release.
            let fwd = forward.entry(ta.exact).or_insert((tb.exact, t));
            let bwd = backward.entry(tb.exact).or_insert((ta.exact, t));
            let conflict_fwd = (fwd.1 >= start && fwd.0 != tb.exact).then_some(fwd.1);
            let conflict_bwd = (bwd.1 >= start && bwd.0 != ta.exact).then_some(bwd.1);
            *fwd = (tb.exact, t);
            *bwd = (ta.exact, t);
            if let Some(p) = conflict_fwd.max(conflict_bwd) {
                let cut = cut_between(p, t, &same);
                push(start, cut, out);
                start = cut;
            }
        }
        push(start, f.len, out);
    }
}

/// A cut in `(p, t]` (token offsets): preferably between two identical tokens, else next to one,
/// else at `t`; the latest such place, looking back at most 256 tokens so repeated cuts stay
/// linear.
fn cut_between(p: u32, t: u32, same: &impl Fn(u32) -> bool) -> u32 {
    let lowest = (p + 1).max(t.saturating_sub(256)).max(1);
    let candidates = || (lowest..=t).rev();
    candidates()
        .find(|&c| same(c - 1) && same(c))
        .or_else(|| candidates().find(|&c| same(c - 1) || same(c)))
        .unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    #[test]
    fn extension_is_maximal_and_deduplicated() {
        let a = [1, 2, 3, 4, 5, 9, 9];
        let b = [0, 1, 2, 3, 4, 5, 8];
        // two seeds inside the same run on the same diagonal
        let frags = extend(&[(1, 2), (2, 3)], &a, &b);
        assert_eq!(frags, vec![Fragment { a: 0, b: 1, len: 5 }]);
    }

    #[test]
    fn inconsistent_renames_cut_the_fragment() {
        let fa = SourceFile::from_text("a.c", "x = y + z; x = 1;", None);
        let fb = SourceFile::from_text("b.c", "p = q + r; s = 1;", None);
        let (ta, tb) = (tokenize(&fa).tokens, tokenize(&fb).tokens);
        let whole = Fragment {
            a: 0,
            b: 0,
            len: ta.len() as u32,
        };
        let parts = split_consistent(whole, &ta, &tb);
        // `x -> p` then `x -> s`: cut before the second `x`
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].len, 6);
        assert_eq!(parts[1].a, 6);
    }

    #[test]
    fn consistent_renames_stay_whole() {
        let fa = SourceFile::from_text("a.c", "n = n + len; return n;", None);
        let fb = SourceFile::from_text("b.c", "m = m + size; return m;", None);
        let (ta, tb) = (tokenize(&fa).tokens, tokenize(&fb).tokens);
        let whole = Fragment {
            a: 0,
            b: 0,
            len: ta.len() as u32,
        };
        assert_eq!(split_consistent(whole, &ta, &tb), vec![whole]);
    }
}
