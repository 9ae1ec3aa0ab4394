//! Mapping the units of A to the units of B, one to one, and saying what happened to each.
//!
//! 1. **Candidates**, per [`Category`]: every pair of units that share aligned tokens (from
//!    the file-level token matching, so the unit mapping agrees with the regions), and every
//!    pair with the same name. A token counts for the innermost unit of the category holding
//!    it, so a class's similarity includes its methods but a method's does not include its
//!    nested closures' (those are units of their own).
//! 2. **Weights**: the pair's share of aligned tokens (Dice: twice the aligned tokens over the
//!    tokens of both), plus [`SAME_QUALIFIED_NAME`] for the same qualified name, or
//!    [`SAME_NAME`] for the same name in another scope. Two units of the same qualified name
//!    and the very same tokens share all of them, aligned or not (stubs of one body that
//!    changed places are faced with each other's twins by the file-level matching). Pairs
//!    with different names need a share of at least [`MIN_RENAMED_SIMILARITY`] (more for
//!    small units): below that a removed and an added function that happen to share a few
//!    statements are not a rename.
//! 3. **Assignment**: the pairing of maximum total weight ([`super::assignment`]).
//! 4. **Classification** of each pair: the body compared token by token (identical,
//!    renamed-only, or modified with the similarity of a token diff of the pair), the name
//!    compared, and `moved` for pairs off the heaviest chain that keeps the order of both files
//!    (or whose parent is paired elsewhere).

use super::assignment::{Edge, max_weight_matching};
use super::{Category, FileUnits, Unit};
use crate::align::UNMATCHED;
use crate::lex::{Token, TokenKind, exact_hash};
use foldhash::{HashMap, HashMapExt};
use imara_diff::InternedInput;
use serde::{Deserialize, Serialize};

/// Weight bonus for two units with the same qualified name.
pub const SAME_QUALIFIED_NAME: f64 = 0.5;
/// Weight bonus for two containers (classes, structs, impl blocks ...) with the same
/// qualified name. A class is its name more than its contents: when a method moves from class
/// `A` to class `B`, `A`'s tokens look more like the new `B` than like the new `A`, yet `A`
/// is still `A`. With this bonus no share of tokens outweighs a namesake.
pub const SAME_QUALIFIED_NAME_CONTAINER: f64 = 1.0;
/// Weight bonus for two units with the same name but different qualifiers (a method moved to
/// another class).
pub const SAME_NAME: f64 = 0.3;
/// Units with different names pair only if at least this share of their tokens is aligned.
pub const MIN_RENAMED_SIMILARITY: f64 = 0.5;
/// ... or this share when the smaller of the two has fewer than [`SMALL_UNIT_TOKENS`]
/// tokens: in a three-line function the signature alone is half the tokens, and a removed
/// helper and an added one next to it share their signature shape (seen on zstd:
/// `ZSTD_CParams_shouldEnableLdm` and `ZSTD_CDictIndicesAreTagged`).
pub const MIN_RENAMED_SIMILARITY_SMALL: f64 = 0.8;
/// See [`MIN_RENAMED_SIMILARITY_SMALL`].
pub const SMALL_UNIT_TOKENS: u32 = 60;
/// A name carried by more units than this on a side (overloads, `__init__` in every class)
/// pairs by name only with the same qualified name, to keep the candidate graph small; and a
/// qualified name carried by more units than this on a side pairs by rank (each unit with the
/// namesakes at about the same place among them on the other side), not every unit with every
/// other. A file of one block of code repeated 4,000 times (100 MB) compared with itself made
/// 4,000 x 4,000 candidate pairs per function name: 33 s and 6.5 GB.
const MAX_NAMESAKES: usize = 64;
/// Weight of the aligned share between namesakes of identical tokens (whose share counts as
/// 1): enough to prefer the aligned one among several, too little to matter otherwise.
const IDENTICAL_NAMESAKE_TIE_BREAK: f64 = 0.001;

/// What happened to the body of a paired unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BodyChange {
    /// The same tokens (a changed unit name inside the body, as in a recursive call, counts as
    /// the same).
    Identical,
    /// The same token shapes; identifiers differ by a consistent one-to-one renaming; literals
    /// are equal.
    RenamedOnly,
    /// Anything else.
    Modified,
}

/// Two corresponding units.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPair {
    /// Index of the unit in A's units.
    pub a: u32,
    /// Index of the unit in B's units.
    pub b: u32,
    /// What happened to the body.
    pub body: BodyChange,
    /// Token similarity of the two units (1.0 unless modified).
    pub similarity: f64,
    /// The names differ.
    pub renamed: bool,
    /// The relative order changed, or the parent is paired elsewhere.
    pub moved: bool,
}

/// The mapping of two files' units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitMap {
    /// Pairs, in the order of A's units.
    pub pairs: Vec<UnitPair>,
    /// A's units without a partner, in order.
    pub removed: Vec<u32>,
    /// B's units without a partner, in order.
    pub added: Vec<u32>,
}

/// One side of the mapping: the file's tokens and units.
#[derive(Debug, Clone, Copy)]
pub struct MapSide<'a> {
    /// Tokens of the file.
    pub tokens: &'a [Token],
    /// Its units.
    pub units: &'a FileUnits,
}

/// Map A's units to B's. `a_to_b` is the file-level token matching.
pub fn map_units(a: MapSide<'_>, b: MapSide<'_>, a_to_b: &[u32]) -> UnitMap {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut owner_a = vec![NONE; a.tokens.len()];
    let mut owner_b = vec![NONE; b.tokens.len()];
    for category in Category::ALL {
        let ua: Vec<u32> = units_in(a.units, category);
        let ub: Vec<u32> = units_in(b.units, category);
        if ua.is_empty() || ub.is_empty() {
            continue;
        }
        let own_a = fill_owners(&mut owner_a, a.units, &ua);
        let own_b = fill_owners(&mut owner_b, b.units, &ub);
        let shared = shared_tokens(&owner_a, &owner_b, a_to_b);
        let edges = candidate_edges(a, b, &ua, &ub, &own_a, &own_b, &shared);
        pairs.extend(max_weight_matching(&edges));
    }
    pairs.sort_unstable();
    classify(a, b, pairs)
}

const NONE: u32 = u32::MAX;

fn units_in(units: &FileUnits, category: Category) -> Vec<u32> {
    (0..units.units.len() as u32)
        .filter(|&u| units.units[u as usize].kind.category() == category)
        .collect()
}

/// Set `owner[t]` to the innermost unit (of `ids`) holding token `t`, and return each unit's
/// own token count (tokens not in a nested unit of the same category). Units are sorted by
/// start, parents first, so writing them in order leaves the innermost.
fn fill_owners(owner: &mut [u32], units: &FileUnits, ids: &[u32]) -> HashMap<u32, u32> {
    owner.fill(NONE);
    for &u in ids {
        let unit = &units.units[u as usize];
        owner[unit.token_start as usize..unit.token_end as usize].fill(u);
    }
    let mut own: HashMap<u32, u32> = HashMap::with_capacity(ids.len());
    for &o in owner.iter() {
        if o != NONE {
            *own.entry(o).or_insert(0) += 1;
        }
    }
    own
}

/// Aligned tokens shared by each pair of owners.
fn shared_tokens(owner_a: &[u32], owner_b: &[u32], a_to_b: &[u32]) -> HashMap<(u32, u32), u32> {
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    // Runs of equal pairs are counted locally first: a function's tokens mostly face one
    // function, so the map sees one update per run instead of one per token.
    let mut run = ((NONE, NONE), 0u32);
    for (i, &ua) in owner_a.iter().enumerate() {
        let j = a_to_b[i];
        if ua == NONE || j == UNMATCHED {
            continue;
        }
        let ub = owner_b[j as usize];
        if ub == NONE {
            continue;
        }
        if run.0 == (ua, ub) {
            run.1 += 1;
        } else {
            if run.1 > 0 {
                *shared.entry(run.0).or_insert(0) += run.1;
            }
            run = ((ua, ub), 1);
        }
    }
    if run.1 > 0 {
        *shared.entry(run.0).or_insert(0) += run.1;
    }
    shared
}

fn dice(shared: u32, len_a: u32, len_b: u32) -> f64 {
    if len_a + len_b == 0 {
        0.0
    } else {
        2.0 * shared as f64 / (len_a + len_b) as f64
    }
}

fn candidate_edges(
    a: MapSide<'_>,
    b: MapSide<'_>,
    ua: &[u32],
    ub: &[u32],
    own_a: &HashMap<u32, u32>,
    own_b: &HashMap<u32, u32>,
    shared: &HashMap<(u32, u32), u32>,
) -> Vec<Edge> {
    let unit_a = |u: u32| &a.units.units[u as usize];
    let unit_b = |u: u32| &b.units.units[u as usize];
    let own = |m: &HashMap<u32, u32>, u: u32| m.get(&u).copied().unwrap_or(0);
    // A namesake (same qualified name) with the very same tokens is the same unit, whatever the
    // alignment says: when units of identical bodies change places (stubs sorted by name), the
    // file-level matching may face a body with its twin, and the namesake, aligned with
    // nothing, would lose to a "rename" to the twin. Among several such namesakes (one stub in
    // two `#if` branches) the aligned one still wins.
    let share_of = |x: u32, y: u32, aligned_share: f64| {
        let (ux, uy) = (unit_a(x), unit_b(y));
        if ux.qualified_name == uy.qualified_name && same_tokens((a.tokens, ux), (b.tokens, uy)) {
            1.0 + IDENTICAL_NAMESAKE_TIE_BREAK * aligned_share
        } else {
            aligned_share
        }
    };
    let bonus = |x: &Unit, y: &Unit| {
        if x.name != y.name {
            0.0
        } else if x.qualified_name == y.qualified_name {
            if x.kind.is_container() {
                SAME_QUALIFIED_NAME_CONTAINER
            } else {
                SAME_QUALIFIED_NAME
            }
        } else {
            SAME_NAME
        }
    };
    let weight = |x: u32, y: u32, share: f64| {
        ((share + bonus(unit_a(x), unit_b(y))) * 1_000_000.0).round() as i64
    };
    let mut edges: Vec<Edge> = Vec::new();
    let mut seen: HashMap<(u32, u32), ()> = HashMap::new();
    for (&(x, y), &n) in shared {
        let (len_x, len_y) = (own(own_a, x), own(own_b, y));
        let share = dice(n, len_x, len_y);
        let needed = if len_x.min(len_y) < SMALL_UNIT_TOKENS {
            MIN_RENAMED_SIMILARITY_SMALL
        } else {
            MIN_RENAMED_SIMILARITY
        };
        if share >= needed || unit_a(x).name == unit_b(y).name {
            edges.push((x, y, weight(x, y, share_of(x, y, share))));
            seen.insert((x, y), ());
        }
    }
    // Same-name pairs the alignment did not connect (small functions, rewritten bodies).
    let mut by_name: HashMap<&str, Vec<u32>> = HashMap::new();
    for &y in ub {
        by_name.entry(unit_b(y).name.as_str()).or_default().push(y);
    }
    let mut count_a: HashMap<&str, usize> = HashMap::new();
    for &x in ua {
        *count_a.entry(unit_a(x).name.as_str()).or_insert(0) += 1;
    }
    let mut crowded_groups = CrowdedNames::new();
    for &x in ua {
        let name = unit_a(x).name.as_str();
        let Some(ys) = by_name.get(name) else {
            continue;
        };
        let crowded = ys.len() > MAX_NAMESAKES || count_a[name] > MAX_NAMESAKES;
        if crowded {
            let key = (name, unit_a(x).qualified_name.as_str());
            crowded_groups.entry(key).or_default().0.push(x);
            continue;
        }
        for &y in ys {
            if !seen.contains_key(&(x, y)) {
                edges.push((x, y, weight(x, y, share_of(x, y, 0.0))));
            }
        }
    }
    for &y in ub {
        let key = (unit_b(y).name.as_str(), unit_b(y).qualified_name.as_str());
        if let Some((_, ys)) = crowded_groups.get_mut(&key) {
            ys.push(y);
        }
    }
    for (xs, ys) in crowded_groups.values() {
        for (x, y) in namesake_pairs(xs, ys) {
            if !seen.contains_key(&(x, y)) {
                edges.push((x, y, weight(x, y, share_of(x, y, 0.0))));
            }
        }
    }
    // Deterministic input order for the solver (the maps iterate in random order).
    edges.sort_unstable();
    edges
}

/// Whether two units are the same tokens.
fn same_tokens((ta, ua): (&[Token], &Unit), (tb, ub): (&[Token], &Unit)) -> bool {
    ta[ua.token_start as usize..ua.token_end as usize]
        .iter()
        .map(|t| t.exact)
        .eq(tb[ub.token_start as usize..ub.token_end as usize]
            .iter()
            .map(|t| t.exact))
}

/// Units of crowded names (more than [`MAX_NAMESAKES`] on a side) by (name, qualified name):
/// their ids in A and in B, each in file order.
type CrowdedNames<'u> = HashMap<(&'u str, &'u str), (Vec<u32>, Vec<u32>)>;

/// The candidate pairs among units of one qualified name, `xs` in A and `ys` in B (each in
/// file order): every pair, or, when either side has more than [`MAX_NAMESAKES`], each unit of
/// the larger side with the two or three of the other at the nearest relative rank, so every
/// unit of both sides has a partner and repeated code pairs in order.
fn namesake_pairs(xs: &[u32], ys: &[u32]) -> Vec<(u32, u32)> {
    if xs.is_empty() || ys.is_empty() {
        return Vec::new();
    }
    if xs.len() <= MAX_NAMESAKES && ys.len() <= MAX_NAMESAKES {
        return xs
            .iter()
            .flat_map(|&x| ys.iter().map(move |&y| (x, y)))
            .collect();
    }
    let (larger, smaller, swapped) = if xs.len() >= ys.len() {
        (xs, ys, false)
    } else {
        (ys, xs, true)
    };
    let mut pairs = Vec::with_capacity(3 * larger.len());
    for (rank, &u) in larger.iter().enumerate() {
        let center = rank * smaller.len() / larger.len();
        let near = center.saturating_sub(1)..=(center + 1).min(smaller.len() - 1);
        for &v in &smaller[near] {
            pairs.push(if swapped { (v, u) } else { (u, v) });
        }
    }
    pairs
}

fn classify(a: MapSide<'_>, b: MapSide<'_>, pairs: Vec<(u32, u32)>) -> UnitMap {
    let na = a.units.units.len();
    let nb = b.units.units.len();
    let mut partner_a = vec![None; na];
    let mut paired_b = vec![false; nb];
    for &(x, y) in &pairs {
        partner_a[x as usize] = Some(y);
        paired_b[y as usize] = true;
    }
    let off_chain = off_chain(a.units, b.units, &pairs);
    let mut out = UnitMap::default();
    for (k, &(x, y)) in pairs.iter().enumerate() {
        let (ux, uy) = (&a.units.units[x as usize], &b.units.units[y as usize]);
        let (body, similarity) = compare_bodies(a.tokens, b.tokens, ux, uy);
        let parent_moved = match (ux.parent, uy.parent) {
            (Some(px), Some(py)) => partner_a[px as usize] != Some(py),
            (None, None) => false,
            _ => ux.kind.category() == Category::Callable && ux.kind != uy.kind,
        };
        out.pairs.push(UnitPair {
            a: x,
            b: y,
            body,
            similarity,
            renamed: ux.name != uy.name,
            moved: off_chain[k] || parent_moved,
        });
    }
    out.removed = (0..na as u32)
        .filter(|&x| partner_a[x as usize].is_none())
        .collect();
    out.added = (0..nb as u32).filter(|&y| !paired_b[y as usize]).collect();
    out
}

/// For each pair (in the order given), whether it lies off the heaviest chain of pairs that
/// keeps the order of both files, computed per category (weights: tokens of A's unit).
fn off_chain(a: &FileUnits, b: &FileUnits, pairs: &[(u32, u32)]) -> Vec<bool> {
    let mut off = vec![false; pairs.len()];
    for category in Category::ALL {
        let members: Vec<usize> = (0..pairs.len())
            .filter(|&k| a.units[pairs[k].0 as usize].kind.category() == category)
            .collect();
        let items: Vec<(u32, u32, u64)> = members
            .iter()
            .map(|&k| {
                let (x, y) = pairs[k];
                (
                    a.units[x as usize].start,
                    b.units[y as usize].start,
                    a.units[x as usize].token_count() as u64,
                )
            })
            .collect();
        for (m, on) in heaviest_chain(&items).into_iter().enumerate() {
            off[members[m]] = !on;
        }
    }
    off
}

/// Heaviest subsequence increasing in both coordinates of `(a, b, weight)` items: O(n log n)
/// with a Fenwick tree of prefix maxima over B ranks. Returns membership per item.
fn heaviest_chain(items: &[(u32, u32, u64)]) -> Vec<bool> {
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&k| (items[k].0, items[k].1));
    let mut by_b: Vec<usize> = (0..n).collect();
    by_b.sort_by_key(|&k| (items[k].1, items[k].0));
    let mut rank = vec![0usize; n];
    for (r, &k) in by_b.iter().enumerate() {
        rank[k] = r + 1;
    }
    let mut tree = vec![(0u64, usize::MAX); n + 1];
    let mut prev = vec![usize::MAX; n];
    let mut best = (0u64, usize::MAX);
    for &k in &order {
        let (mut acc, mut r) = ((0u64, usize::MAX), rank[k] - 1);
        while r > 0 {
            acc = acc.max(tree[r]);
            r &= r - 1;
        }
        let entry = (acc.0 + items[k].2.max(1), k);
        prev[k] = acc.1;
        best = best.max(entry);
        let mut r = rank[k];
        while r <= n {
            tree[r] = tree[r].max(entry);
            r += r & r.wrapping_neg();
        }
    }
    let mut on = vec![false; n];
    let mut k = best.1;
    while k != usize::MAX {
        on[k] = true;
        k = prev[k];
    }
    on
}

/// Compare two units' tokens: identical, renamed-only or modified, and the similarity.
fn compare_bodies(ta: &[Token], tb: &[Token], ua: &Unit, ub: &Unit) -> (BodyChange, f64) {
    let xs = &ta[ua.token_start as usize..ua.token_end as usize];
    let ys = &tb[ub.token_start as usize..ub.token_end as usize];
    // The unit's own name (a recursive call, a constructor's class name) follows a rename.
    let (name_a, name_b) = (
        exact_hash(ua.name.as_bytes()),
        exact_hash(ub.name.as_bytes()),
    );
    let key_b = |t: &Token| if t.exact == name_b { name_a } else { t.exact };
    if xs.len() == ys.len() {
        if xs.iter().zip(ys).all(|(x, y)| x.exact == key_b(y)) {
            return (BodyChange::Identical, 1.0);
        }
        if renamed_only(xs, ys, name_a, name_b) {
            return (BodyChange::RenamedOnly, 1.0);
        }
    }
    let mut input = InternedInput::default();
    input.update_before(xs.iter().map(|t| t.exact));
    input.update_after(ys.iter().map(key_b));
    let diff = crate::align::linediff::diff_bounded(&input, |_, _| {});
    let kept = xs.len() as u32 - diff.count_removals();
    (
        BodyChange::Modified,
        dice(kept, xs.len() as u32, ys.len() as u32),
    )
}

/// Same shapes, equal literals, identifiers paired one to one.
fn renamed_only(xs: &[Token], ys: &[Token], name_a: u64, name_b: u64) -> bool {
    let mut forward: HashMap<u64, u64> = HashMap::new();
    let mut backward: HashMap<u64, u64> = HashMap::new();
    forward.insert(name_a, name_b);
    backward.insert(name_b, name_a);
    for (x, y) in xs.iter().zip(ys) {
        if x.norm() != y.norm() {
            return false;
        }
        if x.exact == y.exact && x.kind != TokenKind::Identifier {
            continue;
        }
        if x.kind != TokenKind::Identifier {
            // A changed literal is an edit, not a rename.
            return false;
        }
        if *forward.entry(x.exact).or_insert(y.exact) != y.exact
            || *backward.entry(y.exact).or_insert(x.exact) != x.exact
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_namesakes_pair_by_rank_and_every_unit_has_a_partner() {
        // Few a side: every pair.
        assert_eq!(namesake_pairs(&[1, 2], &[7, 8, 9]).len(), 6);
        assert_eq!(namesake_pairs(&[], &[7]), []);
        // More than MAX_NAMESAKES on a side: a few partners each, near the same rank.
        for (na, nb) in [(100, 70), (70, 100), (4000, 4000), (65, 1)] {
            let xs: Vec<u32> = (0..na).collect();
            let ys: Vec<u32> = (1000..1000 + nb).collect();
            let pairs = namesake_pairs(&xs, &ys);
            assert!(pairs.len() <= 3 * na.max(nb) as usize, "{na} x {nb}");
            for x in &xs {
                assert!(pairs.iter().any(|p| p.0 == *x), "{x} of {na} x {nb}");
            }
            for y in &ys {
                assert!(pairs.iter().any(|p| p.1 == *y), "{y} of {na} x {nb}");
            }
            for &(x, y) in &pairs {
                let (rx, ry) = (x as f64 / na as f64, (y - 1000) as f64 / nb as f64);
                assert!((rx - ry).abs() <= 2.0 / na.min(nb) as f64 + 0.01, "{x} {y}");
            }
        }
    }

    #[test]
    fn chain_flags_the_crossing_pair() {
        // Three pairs in order, one heavy pair crossing them.
        let items = [(0, 10, 5), (10, 20, 5), (20, 0, 3), (30, 30, 5)];
        assert_eq!(heaviest_chain(&items), [true, true, false, true]);
    }
}
