//! The file-level identifier rename map: which names became which, consistently, with the
//! occurrences supporting each and the units where they occur.
//!
//! Evidence is every aligned pair of identifier tokens (renamed and edited regions bring the
//! differing pairs; every region brings unchanged pairs, which count *against* a rename of
//! either name). The unit of A holding a token is its scope (the innermost unit; tokens
//! outside all units share one top-level scope). Inside a scope a pairing `a -> b` is
//! consistent when every aligned `a` faces `b` and every aligned `b` faces `a`; normalized
//! fragments are already cut where this fails inside one fragment, so what remains to catch
//! here is two regions (or a region and an unchanged stretch) that disagree. A pairing is
//! reported when it is consistent in every scope where it occurs, and it is `file`-wide when
//! it is also consistent across scopes (a global, a function name), `local` otherwise (a
//! parameter renamed in one function while another function keeps the old name).

use super::FileUnits;
use crate::align::UNMATCHED;
use crate::lex::{Token, TokenKind};
use foldhash::{HashMap, HashMapExt, HashSet};
use serde::{Deserialize, Serialize};

/// The extent of an identifier rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RenameScope {
    /// Consistent in the whole file.
    File,
    /// Consistent in the listed units only.
    Local,
}

/// A consistent rename, in engine terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRename {
    /// The name in A.
    pub a: String,
    /// The name in B.
    pub b: String,
    /// Aligned occurrences supporting it.
    pub occurrences: u32,
    /// File-wide or local.
    pub scope: RenameScope,
    /// Indices of A's units where it occurs, in order (the top level is not listed).
    pub units: Vec<u32>,
}

/// One side: tokens and the text they point into.
#[derive(Debug, Clone, Copy)]
pub struct RenameSide<'a> {
    /// Tokens.
    pub tokens: &'a [Token],
    /// Text.
    pub text: &'a str,
}

/// Scope of the tokens outside every unit.
const TOP: u32 = u32::MAX;

/// Infer the rename map. `units_a` gives the scopes (without it the whole file is one
/// scope); `unit_renames` lists `(A name, B name)` of renamed units, the only pairings
/// reported on a single occurrence.
pub fn identifier_renames(
    a: RenameSide<'_>,
    b: RenameSide<'_>,
    a_to_b: &[u32],
    units_a: Option<&FileUnits>,
    unit_renames: &HashSet<(String, String)>,
) -> Vec<FoundRename> {
    let scope = scopes(a.tokens.len(), units_a);
    // (scope, exact a, exact b) -> (count, a token, b token)
    let mut pairs: HashMap<(u32, u64, u64), (u32, u32, u32)> = HashMap::new();
    for (i, &j) in a_to_b.iter().enumerate() {
        if j == UNMATCHED {
            continue;
        }
        let (ta, tb) = (&a.tokens[i], &b.tokens[j as usize]);
        if ta.kind != TokenKind::Identifier || tb.kind != TokenKind::Identifier {
            continue;
        }
        pairs
            .entry((scope[i], ta.exact, tb.exact))
            .or_insert((0, i as u32, j))
            .0 += 1;
    }
    // Distinct partners of each name, per scope and file-wide.
    let mut forward: HashMap<(u32, u64), u32> = HashMap::new();
    let mut backward: HashMap<(u32, u64), u32> = HashMap::new();
    let mut forward_file: HashMap<u64, HashSet<u64>> = HashMap::new();
    let mut backward_file: HashMap<u64, HashSet<u64>> = HashMap::new();
    for &(s, x, y) in pairs.keys() {
        *forward.entry((s, x)).or_insert(0) += 1;
        *backward.entry((s, y)).or_insert(0) += 1;
        forward_file.entry(x).or_default().insert(y);
        backward_file.entry(y).or_default().insert(x);
    }
    struct Acc {
        occurrences: u32,
        consistent: bool,
        scopes: Vec<u32>,
        token_a: u32,
        token_b: u32,
    }
    let mut by_pair: HashMap<(u64, u64), Acc> = HashMap::new();
    for (&(s, x, y), &(count, ta, tb)) in &pairs {
        if x == y {
            continue;
        }
        let consistent = forward[&(s, x)] == 1 && backward[&(s, y)] == 1;
        let acc = by_pair.entry((x, y)).or_insert(Acc {
            occurrences: 0,
            consistent: true,
            scopes: Vec::new(),
            token_a: ta,
            token_b: tb,
        });
        acc.occurrences += count;
        acc.consistent &= consistent;
        acc.token_a = acc.token_a.min(ta);
        acc.token_b = acc.token_b.min(tb);
        if s != TOP {
            acc.scopes.push(s);
        }
    }
    let mut out: Vec<FoundRename> = by_pair
        .into_iter()
        .filter(|(_, acc)| acc.consistent)
        .filter_map(|((x, y), mut acc)| {
            let name_a = a.tokens[acc.token_a as usize].text(a.text).to_owned();
            let name_b = b.tokens[acc.token_b as usize].text(b.text).to_owned();
            if acc.occurrences < 2 && !unit_renames.contains(&(name_a.clone(), name_b.clone())) {
                return None;
            }
            let file_wide = forward_file[&x].len() == 1 && backward_file[&y].len() == 1;
            acc.scopes.sort_unstable();
            acc.scopes.dedup();
            Some(FoundRename {
                a: name_a,
                b: name_b,
                occurrences: acc.occurrences,
                scope: if file_wide {
                    RenameScope::File
                } else {
                    RenameScope::Local
                },
                units: acc.scopes,
            })
        })
        .collect();
    out.sort_by(|x, y| {
        y.occurrences
            .cmp(&x.occurrences)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    out
}

/// The innermost unit holding each token of A, or [`TOP`].
fn scopes(count: usize, units: Option<&FileUnits>) -> Vec<u32> {
    let mut scope = vec![TOP; count];
    if let Some(units) = units {
        // Sorted by start, parents first: later (inner) units overwrite.
        for (k, u) in units.units.iter().enumerate() {
            scope[u.token_start as usize..u.token_end as usize].fill(k as u32);
        }
    }
    scope
}
