//! Clusters: groups of members (files, or submissions) linked by similar pairs, found with a
//! union-find over the pairs at least `cluster_similarity` similar. A cluster is the connected
//! component, so two files may share a cluster through a third one without being similar to
//! each other; the cluster's pair count and mean similarity say how tightly it hangs together.

use crate::report::{CloneCluster, ClusterLink};

/// An edge between two members (indices into the member names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Link {
    /// One member.
    pub a: usize,
    /// The other member.
    pub b: usize,
    /// The similarity of the pair.
    pub similarity: f64,
    /// The pair's rank among the listed pairs, when listed.
    pub rank: Option<u32>,
}

/// The clusters of `names` linked by `links` at least `threshold` similar: largest first (then
/// by highest similarity, then by first member), members in name order.
pub(crate) fn clusters(names: &[String], links: &[Link], threshold: f64) -> Vec<CloneCluster> {
    let mut parent: Vec<usize> = (0..names.len()).collect();
    let strong: Vec<&Link> = links.iter().filter(|l| l.similarity >= threshold).collect();
    for l in &strong {
        let (ra, rb) = (root(&mut parent, l.a), root(&mut parent, l.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    // Members and link statistics per root.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    let mut linked = vec![false; names.len()];
    for l in &strong {
        linked[l.a] = true;
        linked[l.b] = true;
    }
    for (i, _) in linked.iter().enumerate().filter(|(_, l)| **l) {
        let r = root(&mut parent, i);
        members[r].push(i);
    }
    let mut stats: Vec<(u32, f64, f64)> = vec![(0, 0.0, 0.0); names.len()];
    let mut cluster_links: Vec<Vec<&Link>> = vec![Vec::new(); names.len()];
    for l in &strong {
        let r = root(&mut parent, l.a);
        let s = &mut stats[r];
        s.0 += 1;
        s.1 = s.1.max(l.similarity);
        s.2 += l.similarity;
        cluster_links[r].push(l);
    }
    let mut out: Vec<CloneCluster> = members
        .into_iter()
        .enumerate()
        .filter(|(_, m)| m.len() >= 2)
        .map(|(r, mut m)| {
            let (pairs, max, sum) = stats[r];
            m.sort_by(|&x, &y| names[x].cmp(&names[y]));
            let position = |i: usize| m.iter().position(|&x| x == i).unwrap_or(0) as u32;
            let mut links: Vec<ClusterLink> = cluster_links[r]
                .iter()
                .map(|l| ClusterLink {
                    a: position(l.a),
                    b: position(l.b),
                    similarity: l.similarity,
                    rank: l.rank,
                })
                .collect();
            links.sort_by(|x, y| {
                y.similarity
                    .total_cmp(&x.similarity)
                    .then((x.a, x.b).cmp(&(y.a, y.b)))
            });
            CloneCluster {
                id: 0,
                members: m.iter().map(|&i| names[i].clone()).collect(),
                pairs,
                max_similarity: max,
                mean_similarity: sum / pairs.max(1) as f64,
                links,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.members
            .len()
            .cmp(&x.members.len())
            .then(y.max_similarity.total_cmp(&x.max_similarity))
            .then_with(|| x.members.cmp(&y.members))
    });
    for (i, c) in out.iter_mut().enumerate() {
        c.id = i as u32 + 1;
    }
    out
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_above_the_threshold_largest_first() {
        let names: Vec<String> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let link = |a, b, similarity| Link {
            a,
            b,
            similarity,
            rank: None,
        };
        let links = [
            link(0, 1, 0.9),
            link(1, 2, 0.6),
            link(3, 4, 0.95),
            link(2, 3, 0.2), // too weak to join the two groups
            link(4, 5, 0.1),
        ];
        let c = clusters(&names, &links, 0.5);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].members, ["a", "b", "c"]);
        assert_eq!((c[0].id, c[0].pairs), (1, 2));
        assert_eq!(c[0].max_similarity, 0.9);
        assert!((c[0].mean_similarity - 0.75).abs() < 1e-12);
        assert_eq!(c[0].links.len(), 2);
        assert_eq!(
            (c[0].links[0].a, c[0].links[0].b),
            (0, 1),
            "a-b, the most similar"
        );
        assert_eq!(c[0].links[1].similarity, 0.6);
        assert_eq!(c[1].members, ["d", "e"]);
        assert_eq!(c[1].id, 2);
        // A lower threshold joins everything.
        assert_eq!(clusters(&names, &links, 0.05)[0].members.len(), 6);
        assert!(clusters(&names, &links, 0.99).is_empty());
    }
}
