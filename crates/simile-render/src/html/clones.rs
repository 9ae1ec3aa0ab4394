//! The page of a clone search, top to bottom:
//! - the summary: roots and roles, files, pairs found and listed, the duplication with a bar,
//!   clusters, blocks, and the `--fail-over` gate's verdict;
//! - the picture, two SVG figures drawn here (so they read without JavaScript): the cluster
//!   graph ([`graph`]: each cluster a ring of its files or submissions, each listed pair an
//!   edge coloured by similarity) and the similarity heatmap ([`heatmap`]: files of the
//!   listed pairs, submissions with `--submissions`, old files against new ones with
//!   `--old/--new`). Every edge, node and cell is a link to its pair's side-by-side view;
//! - the ranked pairs with bars for the similarity and both coverages, each linking to its
//!   side-by-side view; the submission pairs (`--submissions`); the clusters; the duplicated
//!   blocks and the most duplicated files (`--fragments`);
//! - one section per listed pair: its scores (see [`super::comparison`]) and the comparison
//!   view, which `report.js` draws when it comes near the viewport or a link leads to it, open
//!   on the pair's largest region (the view's `focus`);
//! - the skipped files.
//!
//! Ids are the page's own (`cmp-<rank>` for a pair's view, `spair-<rank>`, `cluster-<id>`,
//! `block-<id>`), never made from a path. Paths are shown below their root when the root
//! alone says where they are, whole in the `title` attribute; all of them are escaped.

use super::{Page, comparison, esc, esc_attr};
use crate::util::{
    LicenseTally, ShortPaths, best_word, count, elide_path, group_thousands, keep_end, kind_word,
    line_range, percent, role_word,
};
use simile::report::{
    BlockLocation, ClonePair, Clones, ClonesMode, PairOrder, RootRole, SubmissionPair, Submissions,
};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// The clones-only part of the page's style.
const CSS: &str = include_str!("clones.css");

/// Clusters drawn in the graph (the table lists them all).
pub const MAX_GRAPH_CLUSTERS: usize = 30;
/// Members of one cluster drawn in the graph.
pub const MAX_GRAPH_NODES: usize = 32;
/// Files (submissions) on each axis of the heatmap.
pub const MAX_HEATMAP: usize = 60;

/// Add the sections of a clone search to the page.
pub(crate) fn sections(page: &mut Page, clones: &Clones) {
    let roots: Vec<&str> = clones.roots.iter().map(|r| r.path.as_str()).collect();
    page.title = format!("simile clones: {}", roots.join(", "));
    page.extra_css = CSS;
    let view = View::new(clones);
    let b = &mut page.body;
    view.summary(b);
    view.picture(b);
    view.pairs(b);
    if let Some(s) = &clones.submissions {
        view.submissions(b, s);
    }
    view.clusters(b);
    view.blocks(b);
    view.files(b);
    for (i, pair) in clones.pairs.iter().enumerate() {
        view.pair_title(&mut page.body, pair);
        let id = format!("cmp-{}", pair.rank);
        comparison::section(
            page,
            &pair.comparison,
            &id,
            &format!("/clones/pairs/{i}/comparison"),
        );
        if let Some(v) = page.views.last_mut() {
            v.focus = largest_region(pair);
        }
    }
    super::skipped_section(&mut page.body, &clones.skipped);
}

/// Index of the pair's region with the most matched tokens: where its view opens.
fn largest_region(pair: &ClonePair) -> Option<usize> {
    let regions = &pair.comparison.regions;
    (0..regions.len()).max_by_key(|&i| (regions[i].matched_tokens, std::cmp::Reverse(i)))
}

struct View<'a> {
    c: &'a Clones,
    paths: ShortPaths,
    /// Rank of the listed pair of two files, either way round.
    rank_of: HashMap<(&'a str, &'a str), u32>,
}

impl<'a> View<'a> {
    fn new(c: &'a Clones) -> Self {
        let mut rank_of = HashMap::new();
        for p in &c.pairs {
            rank_of.insert((p.a.as_str(), p.b.as_str()), p.rank);
            rank_of.insert((p.b.as_str(), p.a.as_str()), p.rank);
        }
        View {
            c,
            paths: ShortPaths::new(c),
            rank_of,
        }
    }

    /// A path as a `<code>`: shown below its root, whole in the title.
    fn path(&self, path: &str) -> String {
        format!(
            "<code class=\"path\" title=\"{}\">{}</code>",
            esc_attr(path),
            esc(self.paths.show(path))
        )
    }

    /// A path in a list where old and new files mix: with its side (`old:`, `new:`).
    fn tagged(&self, path: &str) -> String {
        format!(
            "<code class=\"path\" title=\"{}\">{}</code>",
            esc_attr(path),
            esc(&self.paths.tagged(path))
        )
    }

    fn member_noun(&self) -> (&'static str, &'static str) {
        if self.c.submissions.is_some() {
            ("submission", "submissions")
        } else {
            ("file", "files")
        }
    }

    fn summary(&self, b: &mut String) {
        let c = self.c;
        let s = &c.summary;
        b.push_str("<section class=\"clones-summary\">\n<div class=\"roots\">");
        for r in &c.roots {
            let label = match (c.mode, r.role) {
                (ClonesMode::OldNew, RootRole::Old) => {
                    "<span class=\"side side-a\" title=\"A: old\">A</span>"
                }
                (ClonesMode::OldNew, _) => "<span class=\"side side-b\" title=\"B: new\">B</span>",
                _ => "",
            };
            let _ = write!(
                b,
                "<div class=\"root\">{label}<span class=\"role\">{}</span><code class=\"path\" title=\"{}\">{}</code><span class=\"meta\">{}</span></div>",
                role_word(r.role),
                esc_attr(&r.path),
                esc(&r.path),
                count(r.files, "file", "files")
            );
        }
        b.push_str("</div>\n<div class=\"stats\">");
        let (one, many) = self.member_noun();
        let members: usize = c.clusters.iter().map(|k| k.members.len()).sum();
        let mut stats = vec![
            (
                group_thousands(s.similar_pairs),
                format!(
                    "similar pairs, {} listed",
                    group_thousands(c.pairs.len() as u64)
                ),
            ),
            (
                group_thousands(c.clusters.len() as u64),
                format!("clusters of {}", count(members as u64, one, many)),
            ),
            (
                group_thousands(s.files),
                format!("files, {} lines of code", group_thousands(s.code_lines)),
            ),
        ];
        if let Some(subs) = &c.submissions {
            stats.push((
                group_thousands(subs.list.len() as u64),
                "submissions".into(),
            ));
        }
        if let Some(f) = &c.fragments {
            stats.push((
                group_thousands(f.blocks.len() as u64),
                format!(
                    "duplicated blocks, {} within files",
                    group_thousands(f.within_file as u64)
                ),
            ));
        }
        if let Some(t) = LicenseTally::of(c) {
            stats.push((
                group_thousands(t.alarming()),
                format!(
                    "listed pairs whose licence changed or was removed ({})",
                    t.phrase()
                ),
            ));
        }
        let _ = write!(
            b,
            "<div class=\"stat stat-dup\"><div class=\"big\">{}</div><div class=\"label\">of the lines of code duplicated ({} of {})</div>\
             <span class=\"bar\"><span class=\"fill fill-dup\" style=\"width:{:.2}%\"></span>{}</span></div>",
            percent(s.duplication),
            group_thousands(s.duplicated_lines),
            group_thousands(s.code_lines),
            s.duplication * 100.0,
            c.gate
                .as_ref()
                .map(|g| format!(
                    "<span class=\"limit\" style=\"left:{:.2}%\" title=\"--fail-over limit {}\"></span>",
                    g.limit.min(1.0) * 100.0,
                    percent(g.limit)
                ))
                .unwrap_or_default()
        );
        for (big, label) in stats {
            let _ = write!(
                b,
                "<div class=\"stat\"><div class=\"big\">{big}</div><div class=\"label\">{}</div></div>",
                esc(&label)
            );
        }
        b.push_str("</div>\n");
        if let Some(g) = &c.gate {
            let (class, text) = if g.failed {
                (
                    "gate gate-failed",
                    format!(
                        "Duplication gate failed: {} of the lines of code are duplicated, over the limit of {}.",
                        percent(g.duplication),
                        percent(g.limit)
                    ),
                )
            } else {
                (
                    "gate gate-passed",
                    format!(
                        "Duplication gate passed: {} of the lines of code are duplicated; the limit is {}.",
                        percent(g.duplication),
                        percent(g.limit)
                    ),
                )
            };
            let _ = writeln!(b, "<p class=\"{class}\">{}</p>", esc(&text));
        }
        if !c.warnings.is_empty() {
            b.push_str("<ul class=\"warnings\">\n");
            for w in &c.warnings {
                let path = w
                    .path
                    .as_deref()
                    .map(|p| format!("<code>{}</code>: ", esc(p)))
                    .unwrap_or_default();
                let _ = writeln!(b, "<li>{path}{}</li>", esc(&w.message));
            }
            b.push_str("</ul>\n");
        }
        let settings = &c.settings;
        let mut facts = vec![
            format!("min tokens {}", settings.min_tokens),
            format!("min similarity {}", percent(settings.min_similarity)),
            format!(
                "clusters at {} similarity",
                percent(settings.cluster_similarity)
            ),
            format!("max-df {}", settings.max_df),
            format!("k {}, w {}", settings.fingerprint.k, settings.fingerprint.w),
        ];
        if settings.renamed {
            facts.push("renamed copies looked for".into());
        }
        if !settings.ignore.is_empty() {
            facts.push(format!("base code {}", settings.ignore.join(", ")));
        }
        if c.skipped.total > 0 {
            facts.push(format!(
                "{} skipped",
                count(c.skipped.total, "file", "files")
            ));
        }
        let _ = writeln!(
            b,
            "<p class=\"settings\">{} · {}{}</p>\n</section>",
            esc(&facts.join(" · ")),
            esc(&count(
                s.verified_pairs,
                "candidate pair verified",
                "candidate pairs verified"
            )),
            if c.skipped.total > 0 {
                " · <a href=\"#skipped\">skipped files</a>"
            } else {
                ""
            }
        );
    }

    /// The cluster graph and the heatmap, side by side.
    fn picture(&self, b: &mut String) {
        if self.c.pairs.is_empty() {
            return;
        }
        b.push_str("<section class=\"picture\">\n");
        self.graph(b);
        self.heatmap(b);
        b.push_str("</section>\n");
    }

    /// Where a member of the graph or the heatmap leads: for a file, its best listed pair; for a
    /// submission, the best listed file pair of its best submission pair.
    fn member_link(&self, member: &str) -> Option<String> {
        if let Some(s) = &self.c.submissions {
            s.pairs
                .iter()
                .find(|p| p.a == member || p.b == member)
                .map(submission_pair_link)
        } else {
            self.c
                .pairs
                .iter()
                .find(|p| p.a == member || p.b == member)
                .map(|p| format!("#cmp-{}", p.rank))
        }
    }

    /// Where a listed pair of rank `rank` leads: its side-by-side view, or for a submission pair
    /// its best listed file pair.
    fn rank_link(&self, rank: u32) -> Option<String> {
        match &self.c.submissions {
            Some(s) => s
                .pairs
                .iter()
                .find(|p| p.rank == rank)
                .map(submission_pair_link),
            None => Some(format!("#cmp-{rank}")),
        }
    }

    /// Listed links between members: (one, other, similarity, href, title).
    fn links(&self) -> Vec<Link<'a>> {
        match &self.c.submissions {
            Some(s) => s
                .pairs
                .iter()
                .map(|p| Link {
                    a: &p.a,
                    b: &p.b,
                    similarity: p.similarity,
                    href: submission_pair_link(p),
                    title: format!(
                        "{} ↔ {}: {} similar ({} file pair(s))",
                        self.paths.show(&p.a),
                        self.paths.show(&p.b),
                        percent(p.similarity),
                        p.file_pair_count
                    ),
                })
                .collect(),
            None => self
                .c
                .pairs
                .iter()
                .map(|p| Link {
                    a: &p.a,
                    b: &p.b,
                    similarity: p.similarity,
                    href: format!("#cmp-{}", p.rank),
                    title: format!(
                        "#{} {} ↔ {}: {} similar, {}",
                        p.rank,
                        self.paths.show(&p.a),
                        self.paths.show(&p.b),
                        percent(p.similarity),
                        p.verdict.as_str()
                    ),
                })
                .collect(),
        }
    }

    fn graph(&self, b: &mut String) {
        let c = self.c;
        let (_, many) = self.member_noun();
        b.push_str("<figure class=\"graph\">\n<figcaption><strong>Clusters</strong>");
        let sides = if c.mode == ClonesMode::OldNew {
            "<span class=\"side side-a\">A</span> old, <span class=\"side side-b\">B</span> new; "
        } else {
            ""
        };
        let _ = writeln!(
            b,
            "<span>{sides}{many} linked by pairs at least {} similar; click an edge, or a {}, for its pair (dashed: not listed)</span></figcaption>",
            percent(c.settings.cluster_similarity),
            self.member_noun().0
        );
        if c.clusters.is_empty() {
            let _ = writeln!(
                b,
                "<p class=\"empty\">No clusters: no pair is at least {} similar.</p>\n</figure>",
                percent(c.settings.cluster_similarity)
            );
            return;
        }
        let layout = graph::layout(&c.clusters[..c.clusters.len().min(MAX_GRAPH_CLUSTERS)]);
        let _ = writeln!(
            b,
            "<svg class=\"cluster-graph\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"Cluster graph: each ring is a cluster, each edge a similar pair\">",
            w = layout.width,
            h = layout.height
        );
        let positions: HashMap<&str, (f64, f64)> = layout
            .nodes
            .iter()
            .map(|n| (n.member.as_str(), (n.x, n.y)))
            .collect();
        for cell in &layout.cells {
            let k = &c.clusters[cell.cluster];
            let _ = writeln!(
                b,
                "<a href=\"#cluster-{}\"><text class=\"cluster-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">#{} · {} · max {}</text></a>",
                k.id,
                cell.cx,
                cell.label_y,
                k.id,
                esc(&count(k.members.len() as u64, self.member_noun().0, many)),
                percent(k.max_similarity)
            );
            if cell.hidden > 0 {
                let _ = writeln!(
                    b,
                    "<text class=\"more\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">+{} more</text>",
                    cell.cx, cell.cy, cell.hidden
                );
            }
        }
        // Edges first, so nodes sit on top of them: every pair that links the cluster, listed
        // ones leading to their pair, the others drawn dashed.
        for cell in &layout.cells {
            let k = &c.clusters[cell.cluster];
            for link in &k.links {
                let (ma, mb) = (&k.members[link.a as usize], &k.members[link.b as usize]);
                let (Some(&(x1, y1)), Some(&(x2, y2))) =
                    (positions.get(ma.as_str()), positions.get(mb.as_str()))
                else {
                    continue;
                };
                let what = format!(
                    "{} ↔ {}: {} similar",
                    self.paths.show(ma),
                    self.paths.show(mb),
                    percent(link.similarity)
                );
                let line = |class: &str, title: &str| {
                    format!(
                        "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\" stroke-width=\"{:.1}\"><title>{}</title></line>",
                        heat(link.similarity),
                        1.5 + 4.5 * link.similarity,
                        esc(title)
                    )
                };
                match link.rank.and_then(|rank| self.rank_link(rank)) {
                    Some(href) => {
                        let title = format!("#{} {what}", link.rank.unwrap_or(0));
                        let _ = writeln!(
                            b,
                            "<a href=\"{}\">{}</a>",
                            esc_attr(&href),
                            line("edge", &title)
                        );
                    }
                    None => {
                        let title = format!("{what} (not listed: raise --top)");
                        let _ = writeln!(b, "{}", line("edge unlisted", &title));
                    }
                }
            }
        }
        // With --old/--new, a node's colour says its side (old files are A, new ones B).
        let role_of: HashMap<&str, RootRole> = c
            .files
            .iter()
            .filter_map(|f| Some((f.path.as_str(), c.roots.get(f.root as usize)?.role)))
            .collect();
        for node in &layout.nodes {
            let href = self.member_link(&node.member);
            let side = match role_of.get(node.member.as_str()) {
                Some(RootRole::Old) => " old",
                Some(RootRole::New) => " new",
                _ => "",
            };
            let shown = self.paths.show(&node.member);
            let title = format!("{} ({})", node.member, node.cluster_label(c));
            let circle = format!(
                "<circle class=\"node{side}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5.5\"><title>{}</title></circle>",
                node.x,
                node.y,
                esc(&title)
            );
            let label = node
                .label
                .map(|(lx, ly, anchor)| {
                    let twins = layout.nodes.iter().any(|other| {
                        other.cluster == node.cluster
                            && other.member != node.member
                            && short_name(self.paths.show(&other.member), 1) == short_name(shown, 1)
                    });
                    format!(
                        "<text class=\"node-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text>",
                        esc(&short_name(shown, if twins { 2 } else { 1 }))
                    )
                })
                .unwrap_or_default();
            match href {
                Some(h) => {
                    let _ = writeln!(b, "<a href=\"{}\">{circle}{label}</a>", esc_attr(&h));
                }
                None => {
                    let _ = writeln!(b, "{circle}{label}");
                }
            }
        }
        b.push_str("</svg>\n");
        if c.clusters.len() > MAX_GRAPH_CLUSTERS {
            let _ = writeln!(
                b,
                "<p class=\"note\">The {} largest of {} clusters; <a href=\"#clusters\">the table</a> lists them all.</p>",
                MAX_GRAPH_CLUSTERS,
                group_thousands(c.clusters.len() as u64)
            );
        }
        b.push_str("</figure>\n");
    }

    fn heatmap(&self, b: &mut String) {
        let c = self.c;
        let links = self.links();
        let (rows, cols, symmetric) = self.heatmap_axes(&links);
        let noun = if c.submissions.is_some() {
            "submissions"
        } else if !symmetric {
            "old files (rows) against new files (columns)"
        } else {
            "files"
        };
        let _ = writeln!(
            b,
            "<figure class=\"heatmap\">\n<figcaption><strong>Similarity</strong><span>{noun} of the listed pairs, clusters together; click a cell for its pair</span></figcaption>"
        );
        let n = rows.len().max(cols.len()).max(1);
        let cell = (560.0 / n as f64).clamp(8.0, 24.0);
        let font = (cell * 0.85).clamp(7.0, 11.0);
        // Room for the longest label (28 characters at most), at about 0.6 em a character.
        let longest = rows
            .iter()
            .chain(&cols)
            .map(|m| elide_path(self.paths.show(m), 28).chars().count())
            .max()
            .unwrap_or(0);
        let label = (longest as f64 * font * 0.62 + 10.0).clamp(48.0, 190.0);
        let (width, height) = (
            (label + cols.len() as f64 * cell + 8.0).max(label + 170.0),
            label + rows.len() as f64 * cell + 40.0,
        );
        let _ = writeln!(
            b,
            "<svg class=\"heat\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"Similarity heatmap: a cell per similar pair\">"
        );
        for (i, m) in rows.iter().enumerate() {
            let y = label + (i as f64 + 0.5) * cell;
            let _ = writeln!(
                b,
                "<text class=\"axis-label\" x=\"{:.1}\" y=\"{y:.1}\" font-size=\"{font:.1}\" text-anchor=\"end\" dominant-baseline=\"central\"><title>{}</title>{}</text>",
                label - 4.0,
                esc(m),
                esc(&elide_path(self.paths.show(m), 28))
            );
        }
        for (j, m) in cols.iter().enumerate() {
            let x = label + (j as f64 + 0.5) * cell;
            let _ = writeln!(
                b,
                "<text class=\"axis-label\" transform=\"translate({x:.1} {:.1}) rotate(-90)\" font-size=\"{font:.1}\" dominant-baseline=\"central\"><title>{}</title>{}</text>",
                label - 4.0,
                esc(m),
                esc(&elide_path(self.paths.show(m), 28))
            );
        }
        let _ = writeln!(
            b,
            "<rect class=\"grid\" x=\"{label}\" y=\"{label}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            cols.len() as f64 * cell,
            rows.len() as f64 * cell
        );
        if symmetric {
            for i in 0..rows.len() {
                let p = label + i as f64 * cell;
                let _ = writeln!(
                    b,
                    "<rect class=\"self\" x=\"{p:.1}\" y=\"{p:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\"/>"
                );
            }
        }
        let row_of: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        let col_of: HashMap<&str, usize> = cols.iter().enumerate().map(|(j, m)| (*m, j)).collect();
        for link in &links {
            let mut spots = vec![(link.a, link.b)];
            if symmetric {
                spots.push((link.b, link.a));
            }
            for (r, k) in spots {
                let (Some(&i), Some(&j)) = (row_of.get(r), col_of.get(k)) else {
                    continue;
                };
                let _ = writeln!(
                    b,
                    "<a href=\"{}\"><rect class=\"cell\" x=\"{:.1}\" y=\"{:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" fill=\"{}\"><title>{}</title></rect></a>",
                    esc_attr(&link.href),
                    label + j as f64 * cell,
                    label + i as f64 * cell,
                    heat(link.similarity),
                    esc(&link.title)
                );
            }
        }
        legend(b, label, label + rows.len() as f64 * cell + 14.0);
        b.push_str("</svg>\n");
        let total = self.heatmap_members(&links).len();
        let kept = if symmetric {
            rows.len()
        } else {
            rows.len() + cols.len()
        };
        if kept < total {
            let _ = writeln!(
                b,
                "<p class=\"note\">{} of the {} in the listed pairs: those of the best pairs.</p>",
                group_thousands(kept as u64),
                group_thousands(total as u64)
            );
        }
        b.push_str("</figure>\n");
    }

    /// Members of the listed links, in the order of their best link.
    fn heatmap_members(&self, links: &[Link<'a>]) -> Vec<&'a str> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for l in links {
            for m in [l.a, l.b] {
                if seen.insert(m) {
                    out.push(m);
                }
            }
        }
        out
    }

    /// The heatmap's rows and columns, and whether they are the same list (a symmetric
    /// matrix). The members of the best links are kept, then grouped by cluster so that
    /// clusters show as blocks.
    fn heatmap_axes(&self, links: &[Link<'a>]) -> (Vec<&'a str>, Vec<&'a str>, bool) {
        let c = self.c;
        let cluster_rank: HashMap<&str, (usize, usize)> = c
            .clusters
            .iter()
            .enumerate()
            .flat_map(|(k, cl)| {
                cl.members
                    .iter()
                    .enumerate()
                    .map(move |(i, m)| (m.as_str(), (k, i)))
            })
            .collect();
        let order = |members: Vec<&'a str>| -> Vec<&'a str> {
            let mut kept: Vec<(usize, &'a str)> =
                members.into_iter().take(MAX_HEATMAP).enumerate().collect();
            kept.sort_by_key(|&(first, m)| {
                cluster_rank
                    .get(m)
                    .map_or((usize::MAX, first), |&(k, i)| (k, i))
            });
            kept.into_iter().map(|(_, m)| m).collect()
        };
        if c.mode == ClonesMode::OldNew && c.submissions.is_none() {
            let mut seen = HashSet::new();
            let (mut old, mut new) = (Vec::new(), Vec::new());
            for l in links {
                if seen.insert(l.a) {
                    old.push(l.a);
                }
                if seen.insert(l.b) {
                    new.push(l.b);
                }
            }
            (order(old), order(new), false)
        } else {
            let members = order(self.heatmap_members(links));
            (members.clone(), members, true)
        }
    }

    fn pairs(&self, b: &mut String) {
        let c = self.c;
        let _ = writeln!(
            b,
            "<section class=\"pairs\" id=\"pairs\"><h2>Similar pairs</h2>\
             <p class=\"meta\">{} found, {} listed{}, best first; each opens side by side below on its largest region.</p>",
            group_thousands(c.summary.similar_pairs),
            group_thousands(c.pairs.len() as u64),
            match c.settings.sort.as_str() {
                "similarity" => String::new(),
                order => format!(" (by {order})"),
            }
        );
        if c.pairs.is_empty() {
            b.push_str("<p class=\"no-match\">No similar pairs.</p></section>\n");
            return;
        }
        b.push_str(
            "<div class=\"ranking-wrap\"><table class=\"ranking\">\n<thead><tr><th class=\"rank\">#</th><th>files</th>\
             <th title=\"matched tokens of both files over all tokens of both\">similarity</th>\
             <th title=\"share of A's tokens found in B\">A covered</th>\
             <th title=\"share of B's tokens found in A\">B covered</th>\
             <th class=\"num\" title=\"matched tokens / the longest single matched run\">tokens / longest</th>\
             <th>verdict</th>",
        );
        // Ranked by best match, the table says whose best match each pair is (as the text and
        // Markdown tables do).
        let best = c.settings.sort == PairOrder::BestMatch;
        if best {
            b.push_str(
                "<th title=\"whose most similar pair this is: both files', A's, B's or neither's\">best match</th>",
            );
        }
        b.push_str("</tr></thead>\n<tbody>\n");
        for p in &c.pairs {
            self.pair_row(b, p, best);
        }
        b.push_str("</tbody></table></div></section>\n");
    }

    fn pair_row(&self, b: &mut String, p: &ClonePair, best: bool) {
        let verdict = p.verdict.as_str();
        let _ = write!(
            b,
            "<tr data-rank=\"{}\"><td class=\"rank\">{}</td><td class=\"pair-files\">\
             <a class=\"pair-link\" href=\"#cmp-{}\"><span class=\"side side-a\">A</span><span class=\"path\" title=\"{}\">{}</span>\
             <span class=\"side side-b\">B</span><span class=\"path\" title=\"{}\">{}</span></a>\
             <a class=\"go to-comparison\" href=\"#cmp-{}\">side by side ↓</a></td>",
            p.rank,
            p.rank,
            p.rank,
            esc_attr(&p.a),
            esc(self.paths.show(&p.a)),
            esc_attr(&p.b),
            esc(self.paths.show(&p.b)),
            p.rank,
        );
        for (class, value) in [
            ("sim", p.similarity),
            ("a", p.coverage_a),
            ("b", p.coverage_b),
        ] {
            metric(b, class, value);
        }
        let _ = write!(
            b,
            "<td class=\"num\">{} / {}</td><td><span class=\"verdict verdict-{verdict}\">{}</span></td>",
            group_thousands(p.matched_tokens as u64),
            group_thousands(p.longest_fragment as u64),
            verdict.replace('-', " ")
        );
        if best {
            let _ = write!(b, "<td class=\"best\">{}</td>", best_word(p.best_match));
        }
        b.push_str("</tr>\n");
    }

    fn submissions(&self, b: &mut String, s: &Submissions) {
        let _ = writeln!(
            b,
            "<section class=\"submission-pairs\" id=\"submissions\"><h2>Submission pairs</h2>\
             <p class=\"meta\">{}; files of one submission are never paired, and a token counts once however many file pairs match it.</p>",
            esc(&count(s.list.len() as u64, "submission", "submissions"))
        );
        if s.pairs.is_empty() {
            b.push_str("<p class=\"no-match\">No similar submissions.</p></section>\n");
            return;
        }
        b.push_str(
            "<div class=\"ranking-wrap\"><table class=\"ranking\">\n<thead><tr><th class=\"rank\">#</th><th>submissions</th>\
             <th>similarity</th><th>A covered</th><th>B covered</th><th>file pairs</th></tr></thead>\n<tbody>\n",
        );
        for p in &s.pairs {
            let _ = write!(
                b,
                "<tr id=\"spair-{}\"><td class=\"rank\">{}</td><td class=\"pair-files\"><div class=\"pair-grid\"><span class=\"side side-a\">A</span>{}<span class=\"side side-b\">B</span>{}</div></td>",
                p.rank,
                p.rank,
                self.path(&p.a),
                self.path(&p.b)
            );
            for (class, value) in [
                ("sim", p.similarity),
                ("a", p.coverage_a),
                ("b", p.coverage_b),
            ] {
                metric(b, class, value);
            }
            let listed: Vec<String> = p
                .file_pairs
                .iter()
                .map(|r| format!("<a href=\"#cmp-{r}\">#{r}</a>"))
                .collect();
            let _ = writeln!(
                b,
                "<td class=\"file-pairs\">{}{}</td></tr>",
                group_thousands(p.file_pair_count as u64),
                if listed.is_empty() {
                    String::new()
                } else {
                    format!(": {}", listed.join(" "))
                }
            );
        }
        b.push_str("</tbody></table></div></section>\n");
    }

    fn clusters(&self, b: &mut String) {
        let c = self.c;
        if c.clusters.is_empty() {
            return;
        }
        let (_, many) = self.member_noun();
        let _ = writeln!(
            b,
            "<section class=\"cluster-list\" id=\"clusters\"><details><summary>{} ({} linked by pairs at least {} similar), largest first</summary>\n\
             <table class=\"plain\"><thead><tr><th>#</th><th>{many}</th><th>pairs</th><th>max</th><th>mean</th><th>members</th></tr></thead><tbody>",
            esc(&count(c.clusters.len() as u64, "cluster", "clusters")),
            many,
            percent(c.settings.cluster_similarity)
        );
        for k in &c.clusters {
            let members: Vec<String> = k.members.iter().map(|m| self.tagged(m)).collect();
            let _ = writeln!(
                b,
                "<tr id=\"cluster-{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"members\">{}</td></tr>",
                k.id,
                k.id,
                k.members.len(),
                k.pairs,
                percent(k.max_similarity),
                percent(k.mean_similarity),
                members.join(" ")
            );
        }
        b.push_str("</tbody></table></details></section>\n");
    }

    fn blocks(&self, b: &mut String) {
        let Some(f) = &self.c.fragments else {
            return;
        };
        let _ = writeln!(
            b,
            "<section class=\"blocks\" id=\"blocks\"><h2>Duplicated blocks</h2>\
             <p class=\"meta\">{} within files, {} across files, longest first.</p>",
            group_thousands(f.within_file as u64),
            group_thousands(f.across_files as u64)
        );
        if f.blocks.is_empty() {
            b.push_str("<p class=\"no-match\">None.</p></section>\n");
            return;
        }
        b.push_str(
            "<div class=\"scroll-table\"><table class=\"plain\"><thead><tr><th>#</th><th>kind</th><th>tokens</th><th>first copy</th><th>second copy</th><th></th></tr></thead><tbody>\n",
        );
        for block in &f.blocks {
            let pair = self
                .rank_of
                .get(&(block.a.path.as_str(), block.b.path.as_str()))
                .map(|r| format!("<a class=\"go\" href=\"#cmp-{r}\">pair #{r}</a>"))
                .unwrap_or_else(|| {
                    if block.a.path == block.b.path {
                        "<span class=\"meta\">within the file</span>".into()
                    } else {
                        String::new()
                    }
                });
            let _ = writeln!(
                b,
                "<tr id=\"block-{}\"><td>{}</td><td><span class=\"k-{}\">{}</span></td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{pair}</td></tr>",
                block.id,
                block.id,
                kind_word(block.kind),
                kind_word(block.kind),
                group_thousands(block.tokens as u64),
                self.location(&block.a),
                self.location(&block.b)
            );
        }
        b.push_str("</tbody></table></div></section>\n");
    }

    fn location(&self, l: &BlockLocation) -> String {
        format!(
            "{} <span class=\"lines\">{}</span>",
            self.tagged(&l.path),
            line_range(l.span.lines())
        )
    }

    /// The most duplicated files, when duplication is the question (`--fragments`, a gate).
    fn files(&self, b: &mut String) {
        let c = self.c;
        if c.fragments.is_none() && c.gate.is_none() {
            return;
        }
        let files = c.most_duplicated_files();
        let _ = writeln!(
            b,
            "<section class=\"dup-files\" id=\"files\"><h2>Most duplicated files</h2>\
             <p class=\"meta\">{} of {} have duplicated code.</p>",
            group_thousands(files.len() as u64),
            esc(&count(c.files.len() as u64, "file", "files"))
        );
        if files.is_empty() {
            b.push_str("</section>\n");
            return;
        }
        b.push_str(
            "<div class=\"scroll-table\"><table class=\"ranking\"><thead><tr><th>file</th><th>duplicated</th><th class=\"num\">lines</th><th class=\"num\">pairs</th></tr></thead><tbody>\n",
        );
        for f in files {
            let _ = write!(b, "<tr><td class=\"cell-path\">{}</td>", self.path(&f.path));
            metric(b, "dup", f.duplication);
            let _ = writeln!(
                b,
                "<td class=\"num\">{} / {}</td><td class=\"num\">{}</td></tr>",
                group_thousands(f.duplicated_lines as u64),
                group_thousands(f.code_lines as u64),
                f.pairs
            );
        }
        b.push_str("</tbody></table></div></section>\n");
    }

    /// The heading above a pair's section: rank, scores, and a way back to the table. The
    /// pair's scores leave imports and base code out; the comparison below counts all code, as
    /// `simile compare` does, so the heading says so when the two differ.
    fn pair_title(&self, b: &mut String, p: &ClonePair) {
        let differs = (p.similarity - p.comparison.scores.similarity).abs() >= 0.0005;
        let note = if differs {
            format!(
                " <span class=\"meta note\">(imports and base code left out; counting all code, as below: {})</span>",
                percent(p.comparison.scores.similarity)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            b,
            "<h3 class=\"cmp-title pair-title\">Pair #{} <span class=\"meta\">{} similar, {}</span>{note} <a class=\"back\" href=\"#pairs\">↑ pairs</a></h3>",
            p.rank,
            percent(p.similarity),
            esc(p.verdict.as_str())
        );
    }
}

/// A link between two members of the picture.
struct Link<'a> {
    a: &'a str,
    b: &'a str,
    similarity: f64,
    href: String,
    title: String,
}

/// A submission pair leads to its best listed file pair, or to its row.
fn submission_pair_link(p: &SubmissionPair) -> String {
    match p.file_pairs.first() {
        Some(r) => format!("#cmp-{r}"),
        None => format!("#spair-{}", p.rank),
    }
}

/// A table cell with a bar and a percentage.
fn metric(b: &mut String, class: &str, value: f64) {
    let _ = write!(
        b,
        "<td class=\"metric\"><span class=\"bar\"><span class=\"fill fill-{class}\" style=\"width:{:.2}%\"></span></span><span class=\"val\">{}</span></td>",
        value * 100.0,
        percent(value)
    );
}

/// The colour of a similarity, from pale yellow (0) to deep red (1).
fn heat(similarity: f64) -> String {
    let s = similarity.clamp(0.0, 1.0);
    format!("hsl({:.0} 85% {:.0}%)", 52.0 - 52.0 * s, 86.0 - 46.0 * s)
}

/// The heatmap's colour scale, at (`x`, `y`).
fn legend(b: &mut String, x: f64, y: f64) {
    for i in 0..10 {
        let s = (i as f64 + 0.5) / 10.0;
        let _ = write!(
            b,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"16\" height=\"9\" fill=\"{}\"/>",
            x + i as f64 * 16.0,
            heat(s)
        );
    }
    let _ = writeln!(
        b,
        "<text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\">0%</text><text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">100% similar</text>",
        x,
        y + 21.0,
        x + 160.0,
        y + 21.0
    );
}

/// The last `parts` parts of a path, for a node label (two tell `zlib/uncompr.c` from
/// `minizip/uncompr.c`).
fn short_name(path: &str, parts: usize) -> String {
    let trimmed = path.trim_end_matches('/');
    let mut start = trimmed.len();
    for _ in 0..parts {
        match trimmed[..start].rfind('/') {
            Some(i) => start = i,
            None => {
                start = 0;
                break;
            }
        }
    }
    let name = trimmed[start..].trim_start_matches('/');
    keep_end(if name.is_empty() { path } else { name }, 16)
}

/// The layout of the cluster graph: each cluster a ring of its members in a cell, cells packed
/// in rows, largest cluster first.
mod graph {
    use simile::report::{CloneCluster, Clones};
    use std::f64::consts::PI;

    /// Width the rows of cells are packed into.
    const WIDTH: f64 = 1300.0;
    /// Room around a ring for labels, and around one too crowded to label.
    const PAD: f64 = 88.0;
    const PAD_UNLABELLED: f64 = 16.0;
    /// Rings of more members are not labelled (hover a node for its path).
    const MAX_LABELLED: usize = 16;

    pub(super) struct Layout {
        pub width: f64,
        pub height: f64,
        pub cells: Vec<Cell>,
        pub nodes: Vec<Node>,
    }

    pub(super) struct Cell {
        pub cluster: usize,
        pub cx: f64,
        pub cy: f64,
        pub label_y: f64,
        /// Members not drawn (beyond `MAX_GRAPH_NODES`).
        pub hidden: usize,
    }

    pub(super) struct Node {
        pub member: String,
        pub cluster: usize,
        pub x: f64,
        pub y: f64,
        /// Where its label goes, and its anchor; none when the ring is too crowded.
        pub label: Option<(f64, f64, &'static str)>,
    }

    impl Node {
        pub fn cluster_label(&self, c: &Clones) -> String {
            format!("cluster #{}", c.clusters[self.cluster].id)
        }
    }

    /// The ring radius for `n` members: room for a label beside each node (about 44 units
    /// between neighbours) when labelled, 20 otherwise.
    fn radius(n: usize) -> f64 {
        if n <= 2 {
            30.0
        } else if n <= MAX_LABELLED {
            (n as f64 * 44.0 / (2.0 * PI)).clamp(36.0, 120.0)
        } else {
            (n as f64 * 20.0 / (2.0 * PI)).clamp(36.0, 150.0)
        }
    }

    pub(super) fn layout(clusters: &[CloneCluster]) -> Layout {
        let mut cells = Vec::new();
        let mut nodes = Vec::new();
        let (mut x, mut y, mut row_height, mut width) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for (k, cluster) in clusters.iter().enumerate() {
            let shown = cluster.members.len().min(super::MAX_GRAPH_NODES);
            let labelled = shown <= MAX_LABELLED;
            let r = radius(shown);
            let pad = if labelled { PAD } else { PAD_UNLABELLED };
            // Two members side by side need width for their names, not height.
            let (w, h) = if shown == 2 {
                (2.0 * (r + PAD), 2.0 * r + 44.0)
            } else {
                (2.0 * (r + pad), 2.0 * (r + pad / 2.0) + 8.0)
            };
            if x > 0.0 && x + w > WIDTH {
                x = 0.0;
                y += row_height;
                row_height = 0.0;
            }
            let (cx, cy) = (x + w / 2.0, y + 22.0 + h / 2.0);
            for (i, member) in cluster.members.iter().take(shown).enumerate() {
                // Two members side by side; more on a ring starting at the top.
                let angle = if shown == 2 {
                    PI * i as f64
                } else {
                    -PI / 2.0 + 2.0 * PI * i as f64 / shown as f64
                };
                let (nx, ny) = (cx + r * angle.cos(), cy + r * angle.sin());
                let label = labelled.then(|| {
                    if shown == 2 {
                        // Side by side, long names would meet: one above, one below.
                        let dy = if i == 0 { -12.0 } else { 20.0 };
                        return (nx, ny + dy, "middle");
                    }
                    let (dx, dy) = (angle.cos(), angle.sin());
                    let anchor = if dx > 0.3 {
                        "start"
                    } else if dx < -0.3 {
                        "end"
                    } else {
                        "middle"
                    };
                    (nx + dx * 10.0, ny + dy * 12.0 + 4.0, anchor)
                });
                nodes.push(Node {
                    member: member.clone(),
                    cluster: k,
                    x: nx,
                    y: ny,
                    label,
                });
            }
            cells.push(Cell {
                cluster: k,
                cx,
                cy,
                label_y: y + 16.0,
                hidden: cluster.members.len() - shown,
            });
            x += w;
            width = width.max(x);
            row_height = row_height.max(h + 22.0);
        }
        Layout {
            width: width.max(200.0),
            height: y + row_height,
            cells,
            nodes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_goes_from_pale_to_deep() {
        assert_eq!(heat(0.0), "hsl(52 85% 86%)");
        assert_eq!(heat(1.0), "hsl(0 85% 40%)");
        assert_eq!(heat(7.0), heat(1.0));
    }

    #[test]
    fn node_labels_are_file_names() {
        assert_eq!(short_name("lib/compress/zstd_lazy.c", 1), "zstd_lazy.c");
        assert_eq!(short_name("lib/compress/lazy.c", 2), "compress/lazy.c");
        assert_eq!(short_name("lazy.c", 2), "lazy.c");
        assert_eq!(short_name("submissions/alice/", 1), "alice");
        assert_eq!(
            short_name("a/a_very_long_file_name_indeed.c", 1),
            "…e_name_indeed.c"
        );
    }
}
