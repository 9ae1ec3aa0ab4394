//! The result of `simile clones`: every similar pair of files across one or more trees,
//! ranked, with verified scores and the full comparison of each pair; clusters of files that
//! hang together; per-submission scores (`--submissions`); duplicated blocks within and across
//! files (`--fragments`); and how much of the code is duplicated (the `--fail-over` gate).
//!
//! As in `find`, every score comes from the full alignment of the two files (never from the
//! fingerprint estimate that made them a candidate), and import statements and base code
//! (`--ignore`) are left out of the scores on both sides; each pair's `comparison` shows
//! everything, as `simile compare` does.

use super::comparison::{Comparison, LineRange, Span, Verdict, Warning};
use super::find::SkippedSummary;
use crate::align::{AlignConfig, RegionKind};
use crate::fingerprint::FingerprintConfig;
use crate::source::Language;
use serde::{Deserialize, Serialize};

/// `simile clones`: similar pairs, clusters, submissions, duplicated blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clones {
    /// Which pairs of files were compared.
    pub mode: ClonesMode,
    /// The trees searched, with their role.
    pub roots: Vec<CloneRoot>,
    /// The settings the run used.
    pub settings: ClonesSettings,
    /// Totals over the whole run.
    pub summary: ClonesSummary,
    /// Similar pairs, best first (see [`PairOrder`]), at most `settings.top` of them
    /// (`summary.similar_pairs` says how many there were in all).
    pub pairs: Vec<ClonePair>,
    /// Groups of files (of submissions, with `--submissions`) linked by pairs at least
    /// `settings.cluster_similarity` similar, largest first. Computed over all similar pairs,
    /// not only those shown.
    pub clusters: Vec<CloneCluster>,
    /// With `--submissions`: every submission, and the similar pairs of submissions, best
    /// first. Absent otherwise.
    #[serde(default)]
    pub submissions: Option<Submissions>,
    /// With `--fragments`: duplicated blocks of code within and across files, longest first.
    /// Absent otherwise.
    #[serde(default)]
    pub fragments: Option<Fragments>,
    /// Every file read, in path order, with how much of its code is duplicated elsewhere.
    pub files: Vec<CloneFile>,
    /// The `--fail-over` gate, when one was set.
    #[serde(default)]
    pub gate: Option<Gate>,
    /// Files that were not read, and why.
    pub skipped: SkippedSummary,
    /// Things the reader should know (files that changed while being read, files without code).
    pub warnings: Vec<Warning>,
}

impl Clones {
    /// The files with duplicated code, most duplicated first (by share, then by lines, then by
    /// path): the order every report lists them in.
    pub fn most_duplicated_files(&self) -> Vec<&CloneFile> {
        let mut files: Vec<&CloneFile> = self
            .files
            .iter()
            .filter(|f| f.duplicated_lines > 0)
            .collect();
        files.sort_by(|x, y| {
            y.duplication
                .total_cmp(&x.duplication)
                .then(y.duplicated_lines.cmp(&x.duplicated_lines))
                .then(x.path.cmp(&y.path))
        });
        files
    }
}

/// Which pairs of files a run compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ClonesMode {
    /// Every pair of files of the trees.
    All,
    /// Only pairs of an `--old` file with a `--new` file (upstream and fork, last year and this
    /// year).
    OldNew,
    /// Each top-level directory of a root is one submission; files of the same submission are
    /// never paired.
    Submissions,
}

/// A tree given on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CloneRoot {
    /// The path as given.
    pub path: String,
    /// Its role.
    pub role: RootRole,
    /// Files read under it.
    pub files: u64,
}

/// What a root is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RootRole {
    /// A tree whose files are paired with each other and with other trees'.
    Tree,
    /// An `--old` tree: its files are paired only with `--new` files.
    Old,
    /// A `--new` tree: its files are paired only with `--old` files.
    New,
}

/// The order of pairs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PairOrder {
    /// By similarity, then matched tokens (the default).
    #[default]
    Similarity,
    /// By the longest single matched fragment, then similarity.
    Longest,
    /// By matched tokens (the total overlap), then similarity.
    Overlap,
    /// Pairs that are the best match of both their files first, then those that are the best
    /// match of one of them, then the rest, each group by similarity (see
    /// [`ClonePair::best_match`]). Comparing two releases or a fork with its upstream, a file's
    /// best match is nearly always the file it became: a renamed copy of another file may be
    /// more similar than some true version pairs, but it is not the best match of both sides.
    BestMatch,
}

impl PairOrder {
    /// The name as written on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PairOrder::Similarity => "similarity",
            PairOrder::Longest => "longest",
            PairOrder::Overlap => "overlap",
            PairOrder::BestMatch => "best-match",
        }
    }
}

/// Of which of its two files a pair is the best match: among the similar pairs a file is in,
/// the first by similarity (then matched tokens, then paths).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum BestMatch {
    /// Each file is the other's most similar file.
    Both,
    /// B is A's most similar file (A is not B's).
    A,
    /// A is B's most similar file (B is not A's).
    B,
    /// Each file has a more similar file elsewhere.
    #[default]
    Neither,
}

impl BestMatch {
    /// The name the JSON report gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            BestMatch::Both => "both",
            BestMatch::A => "a",
            BestMatch::B => "b",
            BestMatch::Neither => "neither",
        }
    }

    /// Of how many of the pair's two files it is the best match (2, 1 or 0).
    pub fn sides(self) -> u8 {
        match self {
            BestMatch::Both => 2,
            BestMatch::A | BestMatch::B => 1,
            BestMatch::Neither => 0,
        }
    }
}

/// The settings of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClonesSettings {
    /// Pairs with a lower similarity are not reported.
    pub min_similarity: f64,
    /// A pair is reported only when one of its regions matches at least this many tokens (or
    /// it matches 90% of the smaller file, of at least `k` tokens: a small file copied whole); a
    /// duplicated block has at least this many. Imports and base code do not count.
    pub min_tokens: u32,
    /// At most this many pairs (and submission pairs) are listed; 0 means all.
    pub top: u32,
    /// The order of pairs.
    pub sort: PairOrder,
    /// Files linked by pairs at least this similar form a cluster.
    pub cluster_similarity: f64,
    /// Frequency cutoff: fingerprints held by more files than this are boilerplate and make no
    /// candidate pairs (MOSS's `-m`).
    pub max_df: u64,
    /// k-gram length and window of the fingerprints.
    pub fingerprint: FingerprintConfig,
    /// Settings of the verifying alignment.
    pub align: AlignConfig,
    /// Whether copies with every identifier renamed were looked for (candidates from the
    /// normalized channel too: `--renamed`, on with `--submissions`).
    pub renamed: bool,
    /// Base code paths (`--ignore`): their code never counts.
    pub ignore: Vec<String>,
    /// Distinct k-grams of base code.
    pub base_kgrams: u64,
    /// Whether duplicated blocks were looked for (`--fragments`).
    pub fragments: bool,
    /// Whether the listed pairs' comparisons carry both files' licences and copyright
    /// (`--licenses`). Since schema 1.5.
    #[serde(default)]
    pub licenses: bool,
    /// The `--fail-over` threshold, as a fraction of code lines, when set.
    pub fail_over: Option<f64>,
}

/// Totals of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClonesSummary {
    /// Files read.
    pub files: u64,
    /// Files with at least one fingerprint (the others cannot be paired except as exact copies).
    pub searchable_files: u64,
    /// Lines of all files.
    pub lines: u64,
    /// Lines holding at least one code token (not base code, not an import).
    pub code_lines: u64,
    /// Code tokens of all files (imports and base code left out).
    pub tokens: u64,
    /// Pairs of files sharing enough fingerprints to be worth aligning.
    pub candidate_pairs: u64,
    /// Pairs aligned in full (candidates whose files could still be read unchanged).
    pub verified_pairs: u64,
    /// Pairs passing `min_tokens` and `min_similarity` (more than are listed when `top` cuts).
    pub similar_pairs: u64,
    /// Code lines that are part of a reported pair's matched code (or of a duplicated block),
    /// counting each line once.
    pub duplicated_lines: u64,
    /// `duplicated_lines / code_lines` (0 when there is no code).
    pub duplication: f64,
}

/// One similar pair of files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClonePair {
    /// 1-based rank in the order of `settings.sort`.
    pub rank: u32,
    /// File A: of the two, the one walked first (with `--old/--new`, the old one).
    pub a: String,
    /// File B.
    pub b: String,
    /// A's submission (with `--submissions`).
    #[serde(default)]
    pub submission_a: Option<String>,
    /// B's submission (with `--submissions`).
    #[serde(default)]
    pub submission_b: Option<String>,
    /// Matched tokens of both files over all tokens of both (imports and base code left out).
    pub similarity: f64,
    /// Share of A's tokens matched in B.
    pub coverage_a: f64,
    /// Share of B's tokens matched in A.
    pub coverage_b: f64,
    /// Matched tokens (the same count on both sides).
    pub matched_tokens: u32,
    /// Matched tokens whose text differs (renamed identifiers, changed literals).
    pub renamed_tokens: u32,
    /// Lines of A with a matched token.
    pub matched_lines_a: u32,
    /// Lines of B with a matched token.
    pub matched_lines_b: u32,
    /// The longest single matched fragment, in tokens (imports and base code left out, like
    /// `matched_tokens`).
    pub longest_fragment: u32,
    /// The relation in one word.
    pub verdict: Verdict,
    /// Whether this pair is the best match of A, of B, of both or of neither (added in schema
    /// 1.3; absent before, read as `neither`).
    #[serde(default)]
    pub best_match: BestMatch,
    /// Fingerprints the two files share (the candidate evidence; exact and normalized
    /// channels together).
    pub shared_fingerprints: u32,
    /// The full comparison of A with B, as `simile compare A B --no-structure --no-license`
    /// shows it: regions, what is only on one side, the file-wide identifier rename map.
    pub comparison: Box<Comparison>,
}

/// A group of files (or submissions) linked by similar pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CloneCluster {
    /// 1-based number, largest cluster first.
    pub id: u32,
    /// The files (with `--submissions`, the submissions), in path order.
    pub members: Vec<String>,
    /// Pairs inside the cluster at least `cluster_similarity` similar.
    pub pairs: u32,
    /// The highest similarity of those pairs.
    pub max_similarity: f64,
    /// The mean similarity of those pairs.
    pub mean_similarity: f64,
    /// Those pairs, most similar first: what links the members (a cluster is their connected
    /// component, so two members may be linked only through others).
    pub links: Vec<ClusterLink>,
}

/// A pair inside a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClusterLink {
    /// Index of one member in the cluster's `members`.
    pub a: u32,
    /// Index of the other member.
    pub b: u32,
    /// The pair's similarity.
    pub similarity: f64,
    /// The pair's rank among the listed pairs (`pairs`, or `submissions.pairs`), when listed.
    pub rank: Option<u32>,
}

/// Submissions and their similar pairs (`--submissions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Submissions {
    /// Every submission, by name.
    pub list: Vec<Submission>,
    /// Similar pairs of submissions, best first, at most `settings.top`.
    pub pairs: Vec<SubmissionPair>,
}

/// One submission: a top-level directory of a root (or a file directly in a root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Submission {
    /// Its name: the root's path joined with the directory's name.
    pub name: String,
    /// Files read in it.
    pub files: u32,
    /// Code tokens (imports and base code left out).
    pub tokens: u64,
}

/// Two submissions and how much of each is found in the other.
///
/// A token of a submission counts as matched when it is matched in any of the file pairs
/// between the two submissions (once, however many pairs match it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubmissionPair {
    /// 1-based rank, by similarity.
    pub rank: u32,
    /// Submission A.
    pub a: String,
    /// Submission B.
    pub b: String,
    /// Matched tokens of both over all tokens of both.
    pub similarity: f64,
    /// Share of A's tokens matched in B.
    pub coverage_a: f64,
    /// Share of B's tokens matched in A.
    pub coverage_b: f64,
    /// Matched tokens of A.
    pub matched_tokens_a: u64,
    /// Matched tokens of B.
    pub matched_tokens_b: u64,
    /// Ranks (in `pairs`) of the file pairs between the two submissions that are listed,
    /// best first.
    pub file_pairs: Vec<u32>,
    /// File pairs between the two submissions, listed or not.
    pub file_pair_count: u32,
}

/// Duplicated blocks (`--fragments`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fragments {
    /// Blocks found, longest first (all of them: `top` does not cut blocks).
    pub blocks: Vec<CloneBlock>,
    /// Blocks whose two copies are in the same file.
    pub within_file: u32,
    /// Blocks whose copies are in different files.
    pub across_files: u32,
}

/// A block of code and its copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CloneBlock {
    /// 1-based number, longest first.
    pub id: u32,
    /// `identical`, `renamed` or `edited`.
    pub kind: RegionKind,
    /// Matched tokens.
    pub tokens: u32,
    /// The first copy (in walk order).
    pub a: BlockLocation,
    /// The second copy.
    pub b: BlockLocation,
}

/// Where a copy of a block is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlockLocation {
    /// The file.
    pub path: String,
    /// The code's extent.
    pub span: Span,
}

/// One file of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CloneFile {
    /// The path as walked (root joined with the path below it).
    pub path: String,
    /// Its language.
    pub language: Language,
    /// Index of its root in `roots`.
    pub root: u32,
    /// Its submission (with `--submissions`).
    #[serde(default)]
    pub submission: Option<String>,
    /// Lines.
    pub lines: u32,
    /// Lines holding a code token (not base code, not an import).
    pub code_lines: u32,
    /// Code tokens (imports and base code left out).
    pub tokens: u32,
    /// Code lines matched in a reported pair or part of a duplicated block.
    pub duplicated_lines: u32,
    /// `duplicated_lines / code_lines` (0 without code).
    pub duplication: f64,
    /// Duplicated line ranges, merged, in order.
    pub duplicated: Vec<LineRange>,
    /// Reported pairs this file is part of.
    pub pairs: u32,
}

/// The `--fail-over` gate: whether the duplication is over the limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Gate {
    /// The limit, as a fraction of code lines (`--fail-over 20` is 0.2).
    pub limit: f64,
    /// The measured duplication (`summary.duplication`).
    pub duplication: f64,
    /// Whether `duplication > limit` (the command then exits with code 1).
    pub failed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_match_names_are_those_of_the_json_report() {
        for best in [
            BestMatch::Both,
            BestMatch::A,
            BestMatch::B,
            BestMatch::Neither,
        ] {
            let json = serde_json::to_value(best).expect("an enum serializes");
            assert_eq!(json, serde_json::Value::from(best.as_str()));
        }
    }
}
