//! Fragments: maximal runs of equal tokens, `A[a..a+len] == B[b..b+len]`, grown from seeds.

use super::mersenne;
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
///
/// How far each diagonal has been extended is kept in an array indexed by diagonal, not a hash
/// map: the lookup per seed was most of the cost of extending (zstd's `clones` looks up 1.2
/// million seeds). The array (`|A| + |B|` diagonals) is kept per thread and cleared where it
/// was written: allocated per pair, the large zeroed blocks went back to the system after each
/// pair, and on two threads the page faults and TLB shootdowns more than doubled the run.
pub fn extend(seeds: &[(u32, u32)], a: &[u64], b: &[u64]) -> Vec<Fragment> {
    thread_local! {
        static REACH: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let budget = EXTENSION_BUDGET * (a.len() + b.len());
    REACH.with(|reach| match reach.try_borrow_mut() {
        Ok(mut reach) => extend_with(seeds, a, b, &mut reach, budget),
        // Never reentered; if it were, a fresh array gives the same fragments.
        Err(_) => extend_with(seeds, a, b, &mut Vec::new(), budget),
    })
}

/// [`extend`], with `reach` all zeros (as it is left), measuring long runs with [`RunHashes`]
/// once `budget` hashes were compared.
///
/// Extending compares hashes one by one, and that is linear in the matched tokens only while
/// few diagonals run through the same code. Repeated code seeds many diagonals (a hash seen
/// thousands of times on each side pairs by rank, each occurrence on its own diagonal), and
/// each extends over the whole repeated stretch: 50,000 zero bytes written out in C against
/// 200,000 took 1.5 s here, quadratic in the table's length. So once the hashes compared pass
/// [`EXTENSION_BUDGET`] times both files' lengths, runs longer than [`DIRECT_RUN`] are measured
/// by comparing prefix hashes of the two sides, doubling then halving the length (a few dozen
/// steps however long the run), as [`RunHashes`] explains.
fn extend_with(
    seeds: &[(u32, u32)],
    a: &[u64],
    b: &[u64],
    reach: &mut Vec<u32>,
    mut budget: usize,
) -> Vec<Fragment> {
    // Diagonal `j - i` at index `j - i + |A|`; 0 is "not extended yet" (a reach is at least 1).
    let diagonals = a.len() + b.len() + 1;
    if reach.len() < diagonals {
        reach.resize(diagonals, 0);
    }
    let slot = |i: u32, j: u32| (j as usize + a.len()) - i as usize;
    let mut out = Vec::new();
    let mut runs = (budget == 0).then(|| RunHashes::new(a, b));
    for &(i, j) in seeds {
        if i < reach[slot(i, j)] {
            continue;
        }
        let (i, j) = (i as usize, j as usize);
        let (back, ahead) = match runs.as_ref() {
            Some(runs) => (
                runs.common_suffix(a, b, i, j),
                runs.common_prefix(a, b, i, j),
            ),
            None => {
                let back = common_suffix(&a[..i], &b[..j]);
                let ahead = common_prefix(&a[i..], &b[j..]);
                budget = budget.saturating_sub(back + ahead);
                if budget == 0 {
                    runs = Some(RunHashes::new(a, b));
                }
                (back, ahead)
            }
        };
        let (sa, sb) = (i - back, j - back);
        let ea = i + ahead;
        reach[slot(i as u32, j as u32)] = ea.max(i + 1) as u32;
        if ea > sa {
            out.push(Fragment {
                a: sa as u32,
                b: sb as u32,
                len: (ea - sa) as u32,
            });
        }
    }
    for &(i, j) in seeds {
        reach[slot(i, j)] = 0;
    }
    out
}

/// Hashes compared, in multiples of both files' lengths, before long runs are measured with
/// [`RunHashes`]. Related files compare about one hash per matched token (each maximal
/// fragment is extended once), so only repeated code reaches this.
const EXTENSION_BUDGET: usize = 16;

/// Run lengths up to this are counted hash by hash even with [`RunHashes`]: most runs are
/// short, and a comparison of prefix hashes costs several direct ones.
const DIRECT_RUN: usize = 64;

/// The number of equal leading hashes of `a` and `b`. Compared four at a time: fragments of
/// related files run for hundreds of tokens, and this loop, one hash at a time, was a twentieth
/// of the instructions of `clones` on zstd.
fn common_prefix(a: &[u64], b: &[u64]) -> usize {
    const CHUNK: usize = 4;
    let n = a.len().min(b.len());
    let mut k = 0;
    while k + CHUNK <= n && a[k..k + CHUNK] == b[k..k + CHUNK] {
        k += CHUNK;
    }
    while k < n && a[k] == b[k] {
        k += 1;
    }
    k
}

/// The number of equal trailing hashes of `a` and `b`.
fn common_suffix(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Polynomial prefix hashes of both sides' token hashes (modulo the prime 2^61 - 1), so that
/// whether two stretches are equal is one comparison whatever their length. Two different
/// stretches have the same hash with probability about `len / 2^61`, as for the chain counts
/// of [`super::regions`]; a run is measured with a few dozen such comparisons.
struct RunHashes {
    prefix_a: Vec<u64>,
    prefix_b: Vec<u64>,
    powers: Vec<u64>,
}

const RUN_BASE: u64 = 0x1F3D_5B79_A2C4_E681 % mersenne::MODULUS;

impl RunHashes {
    fn new(a: &[u64], b: &[u64]) -> RunHashes {
        let prefix = |hashes: &[u64]| {
            let mut out = Vec::with_capacity(hashes.len() + 1);
            let mut h = 0;
            out.push(h);
            for &x in hashes {
                h = mersenne::add(mersenne::mul(h, RUN_BASE), x % mersenne::MODULUS);
                out.push(h);
            }
            out
        };
        let mut powers = Vec::with_capacity(a.len().max(b.len()) + 1);
        let mut p = 1;
        for _ in 0..=a.len().max(b.len()) {
            powers.push(p);
            p = mersenne::mul(p, RUN_BASE);
        }
        RunHashes {
            prefix_a: prefix(a),
            prefix_b: prefix(b),
            powers,
        }
    }

    /// The hash of `len` hashes from `at`.
    fn stretch(&self, prefix: &[u64], at: usize, len: usize) -> u64 {
        mersenne::sub(
            prefix[at + len],
            mersenne::mul(prefix[at], self.powers[len]),
        )
    }

    fn same(&self, i: usize, j: usize, len: usize) -> bool {
        self.stretch(&self.prefix_a, i, len) == self.stretch(&self.prefix_b, j, len)
    }

    /// [`common_prefix`] of `a[i..]` and `b[j..]`.
    fn common_prefix(&self, a: &[u64], b: &[u64], i: usize, j: usize) -> usize {
        let limit = (a.len() - i).min(b.len() - j);
        let direct = common_prefix(
            &a[i..i + limit.min(DIRECT_RUN)],
            &b[j..j + limit.min(DIRECT_RUN)],
        );
        if direct < DIRECT_RUN || direct == limit {
            return direct;
        }
        self.longest(direct, limit, |len| self.same(i, j, len))
    }

    /// [`common_suffix`] of `a[..i]` and `b[..j]`.
    fn common_suffix(&self, a: &[u64], b: &[u64], i: usize, j: usize) -> usize {
        let limit = i.min(j);
        let direct = common_suffix(
            &a[i - limit.min(DIRECT_RUN)..i],
            &b[j - limit.min(DIRECT_RUN)..j],
        );
        if direct < DIRECT_RUN || direct == limit {
            return direct;
        }
        self.longest(direct, limit, |len| self.same(i - len, j - len, len))
    }

    /// The longest length up to `limit` for which `equal` holds, knowing it holds for `known`
    /// (equal stretches are equal on every shorter length): doubling, then halving.
    fn longest(&self, known: usize, limit: usize, equal: impl Fn(usize) -> bool) -> usize {
        let mut good = known;
        let mut step = known.max(1);
        while good + step <= limit && equal(good + step) {
            good += step;
            step *= 2;
        }
        while step > 1 {
            step /= 2;
            if good + step <= limit && equal(good + step) {
                good += step;
            }
        }
        good
    }
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
    let (na, nb) = (NameIds::new(a), NameIds::new(b));
    Splitter::default().split(f, (a, &na), (b, &nb), &mut out);
    out
}

/// The names of one file (the texts of its identifiers, numbers and strings) numbered densely,
/// so that [`Splitter`] keeps its pairings in arrays instead of hash maps: with two map lookups
/// per name, the splitter was a tenth of the time of `clones` on zstd. Computed once per file
/// (in [`super::Prepared`]) however many files it is aligned with.
///
/// The splitter visits the names of a fragment only, in order: their ranks among the file's
/// names are `rank[start]..rank[end]`, and since both sides of a normalized fragment have their
/// names at the same offsets, it reads both files' names by rank, in step, from memory laid out
/// in that order. (Finding the first name by a binary search over the positions, and reading
/// each name's number from a per-token array, missed the cache on most names: a third of the
/// splitter's time on zstd.)
#[derive(Debug, Clone, Default)]
pub struct NameIds {
    /// Per token, and one past the last, the number of names before it.
    rank: Vec<u32>,
    /// Per name (by rank): its position in the file.
    positions: Vec<u32>,
    /// Per name (by rank): the number of its text among the file's names, with [`IN_IMPORT`]
    /// set on names of import statements, so the splitter reads no token.
    numbers: Vec<u32>,
    /// How many distinct names the file has.
    count: u32,
}

/// Marks, in [`NameIds`], a name inside an import statement.
const IN_IMPORT: u32 = 1 << 31;

impl NameIds {
    /// Number the names of `tokens`.
    pub fn new(tokens: &[Token]) -> NameIds {
        let mut texts: HashMap<u64, u32> = HashMap::new();
        let mut rank = Vec::with_capacity(tokens.len() + 1);
        let (mut positions, mut numbers) = (Vec::new(), Vec::new());
        for (i, t) in tokens.iter().enumerate() {
            rank.push(positions.len() as u32);
            if !t.kind.is_abstractable() {
                continue;
            }
            positions.push(i as u32);
            let next = texts.len() as u32;
            let number = *texts.entry(t.exact).or_insert(next);
            let import = if t.flags.has(TokenFlags::IMPORT) {
                IN_IMPORT
            } else {
                0
            };
            numbers.push(number | import);
        }
        rank.push(positions.len() as u32);
        NameIds {
            rank,
            positions,
            numbers,
            count: texts.len() as u32,
        }
    }

    /// Approximate heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        (self.rank.len() + self.positions.len() + self.numbers.len()) * std::mem::size_of::<u32>()
    }

    /// The ranks of the names in tokens `start..end`.
    fn ranks(&self, start: u32, end: u32) -> std::ops::Range<usize> {
        self.rank[start as usize] as usize..self.rank[end as usize] as usize
    }
}

/// [`split_consistent`] for many fragments of one pair of files, reusing its tables.
#[derive(Debug, Default)]
pub struct Splitter {
    /// By name of A: the name of B it pairs with and the last offset where it did; entries of
    /// an earlier fragment (another `epoch`), or whose offset is before the current piece's
    /// start, are ignored.
    forward: Vec<Pairing>,
    /// The same by name of B.
    backward: Vec<Pairing>,
    /// Number of the fragment being split (from 1), so tables need no clearing between them.
    epoch: u32,
}

/// One name's pairing in [`Splitter`].
#[derive(Debug, Clone, Copy, Default)]
struct Pairing {
    partner: u32,
    at: u32,
    epoch: u32,
}

impl Splitter {
    /// Append the consistent pieces of `f` to `out`; each side is its tokens and their
    /// [`NameIds`].
    pub fn split(
        &mut self,
        f: Fragment,
        (a, names_a): (&[Token], &NameIds),
        (b, names_b): (&[Token], &NameIds),
        out: &mut Vec<Fragment>,
    ) {
        self.next_epoch(names_a.count, names_b.count);
        let epoch = self.epoch;
        let (forward, backward) = (&mut self.forward, &mut self.backward);
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
        // The names of A in the fragment; B has a name at the same offsets, since the fragment
        // matches on the normalized channel, where names are abstracted by kind.
        let in_a = names_a.ranks(f.a, f.a_end());
        let in_b = names_b.ranks(f.b, f.b_end());
        let names = names_a.positions[in_a.clone()]
            .iter()
            .zip(&names_a.numbers[in_a])
            .zip(&names_b.numbers[in_b]);
        for ((&i, &na), &nb) in names {
            let t = i - f.a;
            // Another import, not a renaming (read the tokens only for import statements).
            if (na | nb) & IN_IMPORT != 0 && a[i as usize].exact != b[(f.b + t) as usize].exact {
                push(start, t, out);
                start = t + 1;
                continue;
            }
            let (na, nb) = (na & !IN_IMPORT, nb & !IN_IMPORT);
            // A pairing of this fragment still in force (from `start` on) with another name.
            let conflict = |p: &Pairing, partner: u32| {
                (p.epoch == epoch && p.at >= start && p.partner != partner).then_some(p.at)
            };
            let conflict_fwd = conflict(&forward[na as usize], nb);
            let conflict_bwd = conflict(&backward[nb as usize], na);
            forward[na as usize] = Pairing {
                partner: nb,
                at: t,
                epoch,
            };
            backward[nb as usize] = Pairing {
                partner: na,
                at: t,
                epoch,
            };
            if let Some(p) = conflict_fwd.max(conflict_bwd) {
                let cut = cut_between(p, t, &same);
                push(start, cut, out);
                start = cut;
            }
        }
        push(start, f.len, out);
    }

    /// Start a new fragment: tables large enough for both files' names, and a fresh epoch (on
    /// wrapping around, the tables are cleared instead).
    fn next_epoch(&mut self, names_a: u32, names_b: u32) {
        let fit = |table: &mut Vec<Pairing>, n: u32| {
            if table.len() < n as usize {
                table.resize(n as usize, Pairing::default());
            }
        };
        fit(&mut self.forward, names_a);
        fit(&mut self.backward, names_b);
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.forward.fill(Pairing::default());
            self.backward.fill(Pairing::default());
            self.epoch = 1;
        }
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
        // The reach kept between calls is cleared: the same seeds extend again.
        assert_eq!(extend(&[(1, 2), (2, 3)], &a, &b), frags);
        // A diagonal at either end of the range (|A| + |B| diagonals).
        let (a, b) = ([7, 1, 1], [1, 1, 7]);
        assert_eq!(
            extend(&[(0, 2), (2, 0)], &a, &b),
            [
                Fragment { a: 0, b: 2, len: 1 },
                Fragment { a: 2, b: 0, len: 1 }
            ]
        );
    }

    /// Hashes over a small alphabet with long periodic stretches: repeated code, where
    /// many diagonals run through the same tokens.
    fn repetitive(next: &mut impl FnMut(u64) -> u64, n: usize) -> Vec<u64> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let period = 1 + next(3) as usize;
            let pattern: Vec<u64> = (0..period).map(|_| next(3)).collect();
            let repeats = if next(4) == 0 {
                1 + next(3)
            } else {
                50 + next(400)
            };
            out.extend(pattern.iter().cycle().take(period * repeats as usize));
        }
        out.truncate(n);
        out
    }

    #[test]
    fn long_runs_measured_by_prefix_hashes_are_the_runs_compared_one_by_one() {
        let mut next = crate::testing::numbers(11);
        for case in 0..200 {
            let (na, nb) = (1 + next(1_500) as usize, 1 + next(1_500) as usize);
            let (a, b) = (repetitive(&mut next, na), repetitive(&mut next, nb));
            let mut seeds: Vec<(u32, u32)> = (0..next(300))
                .map(|_| (next(na as u64) as u32, next(nb as u64) as u32))
                .collect();
            seeds.sort_unstable();
            let one_by_one = extend_with(&seeds, &a, &b, &mut Vec::new(), usize::MAX);
            let by_hashes = extend_with(&seeds, &a, &b, &mut Vec::new(), 0);
            assert_eq!(by_hashes, one_by_one, "case {case}");
            // The switch can come between two seeds.
            let midway = extend_with(&seeds, &a, &b, &mut Vec::new(), na);
            assert_eq!(midway, one_by_one, "case {case}, switching midway");
        }
    }

    #[test]
    fn repeated_code_switches_to_prefix_hashes() {
        // 2,000 equal hashes against 8,000, seeded on 500 diagonals: 1,000 hashes compared
        // each, far over the budget of 16 x 10,000.
        let (a, b) = (vec![7u64; 2_000], vec![7u64; 8_000]);
        let seeds: Vec<(u32, u32)> = (0..500).map(|k| (k * 4, k * 16)).collect();
        let fragments = extend(&seeds, &a, &b);
        assert_eq!(fragments.len(), 500);
        for (f, &(i, j)) in fragments.iter().zip(&seeds) {
            let back = i.min(j);
            assert_eq!((f.a, f.b), (i - back, j - back));
            assert_eq!(f.len, (2_000 - f.a).min(8_000 - f.b));
        }
    }

    #[test]
    fn common_prefix_counts_every_equal_hash_whatever_the_chunks() {
        let a: Vec<u64> = (0..23).collect();
        for len in 0..=a.len() {
            for differ_at in 0..=len {
                let mut b = a[..len].to_vec();
                if let Some(x) = b.get_mut(differ_at) {
                    *x = 99;
                }
                assert_eq!(common_prefix(&a, &b), differ_at, "{len} {differ_at}");
            }
        }
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
    fn a_reused_splitter_forgets_the_pairings_of_earlier_fragments() {
        // `x` pairs with `p` in the first statement and with `q` in the second: one fragment
        // over both is cut, but two fragments, one per statement, are each consistent.
        let fa = SourceFile::from_text("a.c", "x = y + 1; x = y + 2;", None);
        let fb = SourceFile::from_text("b.c", "p = r + 1; q = r + 2;", None);
        let (ta, tb) = (tokenize(&fa).tokens, tokenize(&fb).tokens);
        let (na, nb) = (NameIds::new(&ta), NameIds::new(&tb));
        let first = Fragment { a: 0, b: 0, len: 6 };
        let second = Fragment { a: 6, b: 6, len: 6 };
        let whole = Fragment {
            a: 0,
            b: 0,
            len: 12,
        };
        let mut splitter = Splitter::default();
        let mut out = Vec::new();
        for f in [first, second, whole] {
            splitter.split(f, (&ta, &na), (&tb, &nb), &mut out);
        }
        assert_eq!(out[..2], [first, second]);
        assert_eq!(out[2..], split_consistent(whole, &ta, &tb)[..]);
        assert!(
            out.len() > 3,
            "the fragment over both statements is cut: {out:?}"
        );
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
