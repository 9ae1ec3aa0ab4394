//! The result of `simile find`: for each query, the files of a corpus most similar to it,
//! ranked, with verified scores; optionally the full comparison with the best one.
//!
//! Every score here comes from the full alignment of the query with the match (the same
//! alignment `simile compare` runs), never from the fingerprint estimate that picked the
//! candidate. Import statements (shared include lists) and base code given with `--ignore` are
//! left out of every score on both sides; the `comparison` of `--compare` shows everything, as
//! `simile compare` does. Token counts (`matched_tokens`, coverages) are over what is left.

use super::comparison::{Comparison, FileInfo, Verdict, Warning};
use super::license::{FileLicense, LicenseChange};
use crate::align::AlignConfig;
use crate::fingerprint::FingerprintConfig;
use crate::source::walk::{SkipReason, Skipped};
use serde::{Deserialize, Serialize};

/// `simile find`: the ranking for each query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Find {
    /// One result per query file, in the order the queries were given (directories expanded
    /// in path order).
    pub queries: Vec<QueryResult>,
    /// What was searched.
    pub corpus: CorpusInfo,
    /// The settings the search ran with.
    pub settings: FindSettings,
    /// Files of the corpus and of query directories that were not read, and why.
    pub skipped: SkippedSummary,
}

/// Where the corpus came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CorpusKind {
    /// Directories walked and indexed in memory for this run (`--in`).
    Directory,
    /// A prebuilt index file (`--index`).
    Index,
}

/// The searched corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CorpusInfo {
    /// Directories walked, or a prebuilt index.
    pub kind: CorpusKind,
    /// The directories (or the index file), as given.
    pub roots: Vec<String>,
    /// Files in the corpus.
    pub files: u64,
    /// Files with at least one fingerprint: the others (empty, only comments or imports, or
    /// shorter than k tokens) can never be found.
    pub searchable_files: u64,
    /// Code tokens of all files.
    pub tokens: u64,
    /// (fingerprint, file) pairs in the index.
    pub postings: u64,
    /// Distinct fingerprints in the index.
    pub distinct_fingerprints: u64,
}

/// Settings of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindSettings {
    /// At most this many matches per query.
    pub top: u32,
    /// Matches with a lower similarity are not shown.
    pub min_similarity: f64,
    /// Frequency cutoff: fingerprints held by more files than this are boilerplate and do not
    /// select candidates (MOSS's `-m`).
    pub max_df: u64,
    /// At most this many candidates per query are verified with the full alignment.
    pub verify: u32,
    /// k-gram length and window of the index.
    pub fingerprint: FingerprintConfig,
    /// Settings of the verifying alignment.
    pub align: AlignConfig,
    /// Base code paths (`--ignore`): their code never counts.
    pub ignore: Vec<String>,
    /// Distinct k-grams of base code.
    pub base_kgrams: u64,
    /// Whether each query and each match carries its licence (`--licenses`). Since schema
    /// 1.6.
    #[serde(default)]
    pub licenses: bool,
}

/// The ranking for one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QueryResult {
    /// The query file.
    pub query: FileInfo,
    /// What happened to the query's fingerprints.
    pub fingerprints: QueryFingerprints,
    /// Files sharing at least one counted fingerprint with the query.
    pub candidates: u32,
    /// Candidates verified with the full alignment.
    pub verified: u32,
    /// The best matches, best first (see [`FindMatch`] for the order).
    pub matches: Vec<FindMatch>,
    /// The full comparison of the query (A) with the best match (B), when asked for
    /// (`--compare`): as `simile compare` makes it (units, renames and licences too, unless
    /// `--no-structure` / `--no-license`).
    pub comparison: Option<Box<Comparison>>,
    /// Things the reader should know: an empty query, a candidate that changed or vanished
    /// since it was indexed.
    pub warnings: Vec<Warning>,
    /// With `--licenses`: the query's licence and copyright, its tree's licence files and
    /// declared licence included, as `simile compare` reads them. Since schema 1.6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<FileLicense>,
}

/// What happened to the query's fingerprints during candidate selection.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct QueryFingerprints {
    /// Distinct fingerprints of the query (imports left out).
    pub total: u32,
    /// Looked up and counted toward candidates.
    pub counted: u32,
    /// Held by more than `max_df` files: boilerplate, not counted.
    pub common: u32,
    /// Held by more than `max_df` files but counted (included in `counted`), because most of
    /// the query is boilerplate: then that is all there is to find it by.
    pub common_counted: u32,
    /// Base code (`--ignore`), not counted.
    pub base: u32,
    /// Found in no file of the corpus.
    pub absent: u32,
}

/// One match of a query, with scores verified by the full alignment.
///
/// Matches are ranked by `score`, a symmetric measure: the file most like the query comes
/// first, not the biggest file that contains it (a header is contained in its `.c` file, and
/// an amalgamation contains everything; `coverage_query` says so). Ties are broken by
/// `similarity`, then `coverage_query`, then a file byte-identical to the query first, then by
/// path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindMatch {
    /// 1-based rank.
    pub rank: u32,
    /// The matching file.
    pub file: FileInfo,
    /// The ranking score, in `[0, 1]`. It measures how alike the two files are: the mean of
    /// a token score and a line score. The token score is `similarity` with each matched
    /// token whose text differs (a renamed identifier, a changed literal) counted half; the
    /// line score is the share of the lines of code of both files that are unchanged (every
    /// token matched with the same text). Renaming is real similarity, but the file that kept
    /// the names and the lines is the closer one: a renamed sibling (OpenSSL's `aes_cbc.c` and
    /// `cmll_cbc.c`, Django's `test_left.py` and `test_right.py`) matches almost every token
    /// and few whole lines. A file holding the query inside much else scores at least half of
    /// the same measure taken over the query alone, so among weak matches the file holding
    /// most of the query comes first (zstd's `xxhash.h`, whose 285 lines became part of 7,000),
    /// while a close version of the query still outranks a big file that contains it.
    pub score: f64,
    /// Matched tokens of both files over all tokens of both, as `simile compare` reports it,
    /// except that import statements and base code are left out (a file made only of imports
    /// keeps them).
    pub similarity: f64,
    /// Share of the query's tokens matched in this file.
    pub coverage_query: f64,
    /// Share of this file's tokens matched in the query.
    pub coverage_match: f64,
    /// Matched tokens (the same count on both sides).
    pub matched_tokens: u32,
    /// Matched tokens whose text differs (renamed identifiers, changed literals).
    pub renamed_tokens: u32,
    /// Lines of the query with at least one matched token.
    pub matched_lines_query: u32,
    /// Lines of this file with at least one matched token.
    pub matched_lines_match: u32,
    /// Lines of code of the query whose every token is matched, with the same text.
    pub unchanged_lines_query: u32,
    /// Lines of code of this file whose every token is matched, with the same text.
    pub unchanged_lines_match: u32,
    /// The relation in one word, from the verified scores.
    pub verdict: Verdict,
    /// Fingerprints shared with the query (the candidate-selection evidence).
    pub shared_fingerprints: u32,
    /// With `--licenses`: this file's licence, read as the query's is (absent when the file
    /// could not be read again). Since schema 1.6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<FileLicense>,
    /// With `--licenses`: how this file's licence relates to the query's (the query as A),
    /// as `simile compare` says it. Since schema 1.6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_change: Option<LicenseChange>,
}

/// Files that were not read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SkippedSummary {
    /// Number of files skipped.
    pub total: u64,
    /// Counts by reason, most frequent reason first.
    pub by_reason: Vec<SkipCount>,
    /// Every skipped file, by path.
    pub files: Vec<Skipped>,
}

/// How many files were skipped for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SkipCount {
    /// The reason.
    pub reason: SkipReason,
    /// Files skipped for it.
    pub count: u64,
}

impl SkippedSummary {
    /// Summarise skipped files (sorted by path, duplicates removed).
    pub fn new(mut files: Vec<Skipped>) -> SkippedSummary {
        files.sort_by(|a, b| a.path.cmp(&b.path).then(a.reason.cmp(&b.reason)));
        files.dedup();
        let mut by_reason: Vec<SkipCount> = crate::source::walk::skip_counts(&files)
            .into_iter()
            .map(|(reason, count)| SkipCount {
                reason,
                count: count as u64,
            })
            .collect();
        by_reason.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        SkippedSummary {
            total: files.len() as u64,
            by_reason,
            files,
        }
    }
}

impl Find {
    /// Whether some query found no match.
    pub fn some_query_unmatched(&self) -> bool {
        self.queries.iter().any(|q| q.matches.is_empty())
    }
}
