//! A one-to-one assignment of maximum total weight on a sparse bipartite graph.
//!
//! The unit mapping has thousands of units per side but only a few candidate partners per
//! unit, so a dense Hungarian algorithm over all units (cubic: 5,000 functions would be 10^11
//! steps) is out of the question. The graph falls apart into connected components, almost all
//! tiny (a function and its namesake); each is solved exactly with the Hungarian algorithm
//! (`pathfinding::kuhn_munkres`) on its own small dense matrix. A component too large for
//! that (more than [`DENSE_LIMIT`] units on a side: many near-identical small functions) is
//! first thinned to each node's best few edges, which splits it; what still stays too large is
//! matched greedily, heaviest edge first (a 1/2-approximation, in practice close to optimal on
//! such components).

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// Largest side of a component solved exactly (256^3 = 1.7e7 steps).
pub const DENSE_LIMIT: usize = 256;

/// Edges kept per node when thinning a large component.
const THIN_TO: usize = 4;

/// A candidate pair: left node, right node, weight (> 0).
pub type Edge = (u32, u32, i64);

/// The pairs `(left, right)` of a maximum-weight matching of the bipartite graph `edges`
/// (left and right nodes are numbered independently). Edges with weight <= 0 are ignored.
/// Deterministic: ties go to the lower node numbers. Sorted by left node.
pub fn max_weight_matching(edges: &[Edge]) -> Vec<(u32, u32)> {
    let edges: Vec<Edge> = edges.iter().copied().filter(|e| e.2 > 0).collect();
    let mut out = Vec::new();
    solve(edges, 0, &mut out);
    out.sort_unstable();
    out
}

fn solve(edges: Vec<Edge>, depth: u32, out: &mut Vec<(u32, u32)>) {
    for component in components(&edges) {
        let (rows, cols) = sides(&component);
        if rows.len() == 1 || cols.len() == 1 {
            out.push(best_edge(&component));
        } else if rows.len().max(cols.len()) <= DENSE_LIMIT {
            out.extend(hungarian(&component, &rows, &cols));
        } else if depth < 2 {
            let thinned = thin(&component);
            if thinned.len() < component.len() {
                solve(thinned, depth + 1, out);
            } else {
                out.extend(greedy(component));
            }
        } else {
            out.extend(greedy(component));
        }
    }
}

/// Connected components, each a list of edges (union-find over both sides).
fn components(edges: &[Edge]) -> Vec<Vec<Edge>> {
    let left_max = edges
        .iter()
        .map(|e| e.0)
        .max()
        .map_or(0, |m| m as usize + 1);
    let right_max = edges
        .iter()
        .map(|e| e.1)
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut parent: Vec<usize> = (0..left_max + right_max).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(l, r, _) in edges {
        let (a, b) = (
            find(&mut parent, l as usize),
            find(&mut parent, left_max + r as usize),
        );
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<Edge>> = Default::default();
    for &e in edges {
        let root = find(&mut parent, e.0 as usize);
        by_root.entry(root).or_default().push(e);
    }
    by_root.into_values().collect()
}

/// Distinct left and right nodes of a component, sorted.
fn sides(edges: &[Edge]) -> (Vec<u32>, Vec<u32>) {
    let mut rows: Vec<u32> = edges.iter().map(|e| e.0).collect();
    let mut cols: Vec<u32> = edges.iter().map(|e| e.1).collect();
    rows.sort_unstable();
    rows.dedup();
    cols.sort_unstable();
    cols.dedup();
    (rows, cols)
}

/// Heaviest edge; ties to the lowest nodes.
fn best_edge(edges: &[Edge]) -> (u32, u32) {
    let e = edges
        .iter()
        .max_by(|x, y| x.2.cmp(&y.2).then(y.0.cmp(&x.0)).then(y.1.cmp(&x.1)))
        .expect("components are never empty");
    (e.0, e.1)
}

fn hungarian(edges: &[Edge], rows: &[u32], cols: &[u32]) -> Vec<(u32, u32)> {
    // kuhn_munkres wants rows <= columns: transpose when needed.
    let transpose = rows.len() > cols.len();
    let (r, c) = if transpose {
        (cols, rows)
    } else {
        (rows, cols)
    };
    let mut matrix = Matrix::new(r.len(), c.len(), 0i64);
    for &(left, right, w) in edges {
        let (x, y) = if transpose {
            (right, left)
        } else {
            (left, right)
        };
        let i = r.binary_search(&x).expect("row of the component");
        let j = c.binary_search(&y).expect("column of the component");
        matrix[(i, j)] = w;
    }
    let (_, assignment) = kuhn_munkres(&matrix);
    assignment
        .into_iter()
        .enumerate()
        // A zero cell is no edge: the row stays unpaired.
        .filter(|&(i, j)| matrix[(i, j)] > 0)
        .map(|(i, j)| {
            if transpose {
                (c[j], r[i])
            } else {
                (r[i], c[j])
            }
        })
        .collect()
}

/// Keep each edge that is among the [`THIN_TO`] heaviest of its left or of its right node.
fn thin(edges: &[Edge]) -> Vec<Edge> {
    let mut keep = vec![false; edges.len()];
    for side in 0..2 {
        let mut order: Vec<usize> = (0..edges.len()).collect();
        let node = |k: usize| if side == 0 { edges[k].0 } else { edges[k].1 };
        order.sort_by(|&x, &y| node(x).cmp(&node(y)).then(edges[y].2.cmp(&edges[x].2)));
        let mut run = 0;
        for (pos, &k) in order.iter().enumerate() {
            run = if pos > 0 && node(order[pos - 1]) == node(k) {
                run + 1
            } else {
                0
            };
            if run < THIN_TO {
                keep[k] = true;
            }
        }
    }
    edges
        .iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(*e))
        .collect()
}

fn greedy(mut edges: Vec<Edge>) -> Vec<(u32, u32)> {
    edges.sort_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let mut used_left = std::collections::HashSet::new();
    let mut used_right = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (l, r, _) in edges {
        if !used_left.contains(&l) && !used_right.contains(&r) {
            used_left.insert(l);
            used_right.insert(r);
            out.push((l, r));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(edges: &[Edge], pairs: &[(u32, u32)]) -> i64 {
        pairs
            .iter()
            .map(|&(l, r)| edges.iter().find(|e| e.0 == l && e.1 == r).unwrap().2)
            .sum()
    }

    #[test]
    fn optimal_beats_greedy() {
        // Greedy would take (0,0)=10 and leave 1 unpaired; optimal pairs 0-1 and 1-0.
        let edges = [(0, 0, 10), (0, 1, 9), (1, 0, 9)];
        let pairs = max_weight_matching(&edges);
        assert_eq!(pairs, [(0, 1), (1, 0)]);
        assert_eq!(total(&edges, &pairs), 18);
    }

    #[test]
    fn components_are_independent_and_rectangular() {
        let edges = [
            (0, 5, 3),
            (1, 5, 4),
            (2, 5, 1),
            (7, 1, 2),
            (7, 2, 8),
            (8, 2, 1),
        ];
        assert_eq!(max_weight_matching(&edges), [(1, 5), (7, 2)]);
    }

    #[test]
    fn matches_brute_force_on_small_graphs() {
        // Pseudo-random graphs, checked against trying every matching.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let mut edges = Vec::new();
            for l in 0..5u32 {
                for r in 0..5u32 {
                    if next() % 3 == 0 {
                        edges.push((l, r, (next() % 20 + 1) as i64));
                    }
                }
            }
            let pairs = max_weight_matching(&edges);
            let got = total(&edges, &pairs);
            assert_eq!(got, brute(&edges, 0, &mut [false; 5]), "{edges:?}");
        }
    }

    fn brute(edges: &[Edge], left: u32, used: &mut [bool; 5]) -> i64 {
        if left == 5 {
            return 0;
        }
        let mut best = brute(edges, left + 1, used);
        for &(l, r, w) in edges.iter().filter(|e| e.0 == left) {
            if !used[r as usize] {
                used[r as usize] = true;
                best = best.max(w + brute(edges, left + 1, used));
                used[r as usize] = false;
            }
            let _ = l;
        }
        best
    }

    #[test]
    fn large_components_still_pair_everything_sensible() {
        // 600 x 600 with a strong diagonal and weak noise: thinning keeps the diagonal.
        let mut edges = Vec::new();
        for i in 0..600u32 {
            edges.push((i, i, 100));
            for d in 1..6 {
                edges.push((i, (i + d) % 600, 10));
            }
        }
        let pairs = max_weight_matching(&edges);
        assert_eq!(pairs.len(), 600);
        assert!(pairs.iter().all(|&(l, r)| l == r));
    }
}
