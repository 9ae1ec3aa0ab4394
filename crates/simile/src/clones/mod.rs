//! `simile clones`: every similar pair of files across one or more trees, what clusters they
//! form, how submissions compare (`--submissions`), which blocks are duplicated within and
//! across files (`--fragments`), and how much of the code is duplicated.
//!
//! The steps, each in its own module, reuse the rooms of `find`:
//! 1. `corpus`: read, tokenize and fingerprint every file once, in parallel; keep the
//!    postings of both channels (exact and normalized), not the files.
//! 2. `pairs`: each file queries the postings of the others, as a `find` query would, with
//!    the same frequency cutoff (MOSS's `-m`); pairs sharing fewer fingerprints than the
//!    smallest reportable match guarantees are dropped. All pairs of files are never
//!    enumerated, so memory follows the fingerprints and the pairs that share code.
//! 3. `verify`: each candidate pair is aligned in full, with the alignment of
//!    `simile compare`, and [assessed](crate::search::verify::assess) with imports and base code
//!    (`--ignore`) left out of the scores. A pair counts when one of its regions matches at
//!    least `min_tokens` tokens (or it matches nearly all of a small file), and is similar
//!    when it also reaches `min_similarity`; only the first `top` pairs (module `listing`) get a
//!    full comparison. A pair whose two files hold the same contents as an earlier pair's
//!    (module `twins`: vendored copies) takes that pair's alignment instead. Each similar pair is then marked with the files it is the best match
//!    of, which `--sort best-match` ranks by. The module `schedule` groups pairs so that a file the cache could not hold
//!    is read once for many pairs.
//! 4. `summary`: per-file duplication, per-submission scores, [`clusters`], duplicated
//!    [`blocks`], the `--fail-over` gate, and the [`Clones`] report.
//!
//! ```
//! use simile::clones::{CloneCorpus, CloneInput, CloneOptions, NoProgress, find_clones};
//! use simile::report::{ClonesMode, RootRole};
//! use simile::search::BaseCode;
//! use simile::source::walk::{WalkOptions, walk};
//!
//! let dir = tempfile::tempdir()?;
//! let body = "    int total = 0;\n    for (int i = 0; i < count; i++) {\n        if (values[i] > limit) total += values[i] * scale;\n        else total -= values[i] / 2;\n    }\n    return total;\n}\n";
//! std::fs::write(dir.path().join("a.c"), format!("int sum(int *values, int count, int limit, int scale) {{\n{body}"))?;
//! // A copy with its names changed, and an unrelated file.
//! let renamed = body.replace("total", "acc").replace("values", "xs");
//! std::fs::write(dir.path().join("b.c"), format!("int add(int *xs, int count, int limit, int scale) {{\n{renamed}"))?;
//! std::fs::write(dir.path().join("c.py"), "def greet(name):\n    return 'hello ' + name.title()\n")?;
//!
//! let walk_options = WalkOptions::default();
//! let tree = walk(&[dir.path().to_path_buf()], &walk_options)?;
//! let corpus = CloneCorpus {
//!     mode: ClonesMode::All,
//!     roots: vec![("src".into(), RootRole::Tree)],
//!     files: tree.files.into_iter().map(|file| CloneInput { file, root: 0, submission: None }).collect(),
//!     submissions: Vec::new(),
//!     walk: &walk_options,
//!     skipped: tree.skipped,
//! };
//! // `renamed`: also find copies whose every identifier was renamed.
//! let options = CloneOptions { min_tokens: 30, renamed: true, ..CloneOptions::default() };
//! let clones = find_clones(&corpus, &BaseCode::none(), &options, &NoProgress);
//! assert_eq!(clones.pairs.len(), 1);
//! let pair = &clones.pairs[0];
//! assert!(pair.a.ends_with("a.c") && pair.b.ends_with("b.c"));
//! assert_eq!(pair.similarity, 1.0); // every token matched, names renamed consistently
//! assert!(pair.renamed_tokens > 0);
//! assert_eq!(clones.clusters.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod blocks;
pub mod clusters;
mod corpus;
mod listing;
mod pairs;
mod schedule;
mod summary;
mod twins;
mod verify;

use crate::align::AlignConfig;
use crate::report::{BestMatch, Clones, ClonesMode, Comparison, PairOrder, RootRole, Verdict};
use crate::search::query::{DEFAULT_CACHE_BYTES, FileCache};
use crate::search::verify::{MatchScores, MatchedCode, align_loaded};
use crate::search::{BaseCode, FileId, default_max_df};
use crate::source::walk::{Skipped, WalkOptions, WalkedFile};
use corpus::Corpus;
use listing::RankKey;
use std::sync::Arc;
use verify::{Block, load, verify_pairs};

/// How to look for clones. Construct with `..CloneOptions::default()`.
#[derive(Debug, Clone, PartialEq)]
pub struct CloneOptions {
    /// Pairs less similar are not reported. Default 0: every pair that shares a block.
    pub min_similarity: f64,
    /// A pair is reported when one of its regions matches at least this many tokens (or when
    /// it matches 90% of the smaller file, of at least `k` tokens); a duplicated block has at
    /// least this many. Imports and base code do not count. Default 50, jscpd's default (PMD
    /// CPD's is 100): about five lines of C, below which shared code is mostly idiom.
    pub min_tokens: usize,
    /// At most this many pairs (and submission pairs) are listed; 0 lists all. Default 250,
    /// MOSS's default. Every other figure (clusters, duplication) counts all pairs.
    pub top: usize,
    /// The order of pairs.
    pub sort: PairOrder,
    /// Files (submissions) linked by pairs at least this similar form a cluster. Default 0.5,
    /// the `derived` verdict's threshold.
    pub cluster_similarity: f64,
    /// Frequency cutoff (MOSS's `-m`); `None`: the default of `find`, `max(10, sqrt(files))`.
    pub max_df: Option<usize>,
    /// The verifying alignment's settings (also k and w of the fingerprints).
    pub align: AlignConfig,
    /// Look for renamed blocks anywhere: any normalized match (identifiers and literals
    /// abstracted) of a reportable size makes a candidate pair. Off by default, when a
    /// normalized match must cover half of the smaller file (a renamed copy of a file, or a
    /// release that renamed a type everywhere) and other pairs come from exact code: measured
    /// on OpenSSL's `crypto/` (1.1.1 and 3.6, 1,714 files), any normalized match made 11 times
    /// the candidate pairs and added 2,386 pairs with a renamed region of 50 tokens, 90% of
    /// them one statement shape shared by unrelated files (`shares-fragments`, 1-3% similar).
    /// On for plagiarism (`--submissions`), where renaming identifiers is the first disguise.
    /// Needs `align.renames`.
    pub renamed: bool,
    /// Look for duplicated blocks within files too, and list every block (`--fragments`).
    pub fragments: bool,
    /// Detect the licences and copyright of both files of every listed pair, as `compare`
    /// does (`--licenses`): a vendored copy whose licence header was stripped or changed. Off
    /// by default: licence detection costs about as much as aligning a pair, and most scans
    /// are about code. A caller with the files on disk adds their licence files
    /// ([`crate::license::effective::attach_license_files`]).
    pub licenses: bool,
    /// Fail (the report's gate) when more than this fraction of code lines is duplicated.
    pub fail_over: Option<f64>,
    /// Files held in memory between verifications, in bytes (text and tokens).
    pub cache_bytes: usize,
    /// What the comparisons of the listed pairs hold.
    pub listed: ListedDetail,
}

/// What the comparison of a listed pair holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListedDetail {
    /// What `simile compare A B --no-structure --no-license` reports: scores, regions with
    /// their spans and renames, the line diff of each edited region, the file-wide rename map.
    #[default]
    Full,
    /// The same without the line diffs of edited regions and the file-wide rename map (both
    /// left empty): what the text and Markdown reports show. Those two were 60% of the time of
    /// building the 250 listed comparisons on zstd's `lib/` (a tenth of the whole run).
    Regions,
}

impl Default for CloneOptions {
    fn default() -> Self {
        CloneOptions {
            min_similarity: 0.0,
            min_tokens: 50,
            top: 250,
            sort: PairOrder::Similarity,
            cluster_similarity: 0.5,
            max_df: None,
            align: AlignConfig::default(),
            renamed: false,
            fragments: false,
            licenses: false,
            fail_over: None,
            cache_bytes: DEFAULT_CACHE_BYTES / 2,
            listed: ListedDetail::Full,
        }
    }
}

/// One file to look at: where it was found and what it belongs to.
#[derive(Debug, Clone)]
pub struct CloneInput {
    /// The file, as walked.
    pub file: WalkedFile,
    /// Index of its root in [`CloneCorpus::roots`].
    pub root: u32,
    /// Index of its submission in [`CloneCorpus::submissions`] (submissions mode only).
    pub submission: Option<u32>,
}

/// What to look for clones in.
#[derive(Debug, Clone)]
pub struct CloneCorpus<'a> {
    /// Which pairs are compared.
    pub mode: ClonesMode,
    /// The roots as shown in reports, with their role. With `--old/--new`, give the old roots
    /// (and their files) first: the first file of a pair is then the old one.
    pub roots: Vec<(String, RootRole)>,
    /// The files, in walk order.
    pub files: Vec<CloneInput>,
    /// Submission names, by index (submissions mode).
    pub submissions: Vec<String>,
    /// How files are read.
    pub walk: &'a WalkOptions,
    /// Files the walk already skipped (reported with those that cannot be read).
    pub skipped: Vec<Skipped>,
}

/// Hooks for showing progress; every method does nothing by default.
pub trait Progress: Sync {
    /// A step starts, with `total` units of work (files or pairs).
    fn stage(&self, name: &'static str, total: usize) {
        let _ = (name, total);
    }
    /// One unit of work is done.
    fn tick(&self) {}
}

/// Progress shown nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Look for clones. See the module documentation.
pub fn find_clones(
    corpus: &CloneCorpus<'_>,
    base: &BaseCode,
    options: &CloneOptions,
    progress: &dyn Progress,
) -> Clones {
    let cache = FileCache::new(options.cache_bytes);
    let read = corpus::read(corpus, base, options, &cache, progress);
    let max_df = options
        .max_df
        .unwrap_or_else(|| default_max_df(read.len()))
        .max(1);
    let allowed = |a: FileId, b: FileId| allowed(corpus, &read, a, b);
    let namesakes = namesakes(corpus);
    let candidates =
        pairs::candidate_pairs(&read, &allowed, options, (max_df, namesakes), progress);
    let mut verified = verify_pairs(&read, &candidates, base, options, &cache, progress);
    listing::mark_best_matches(&read, &mut verified.records, options);
    if options.sort == PairOrder::BestMatch {
        // A file that cannot be read again now leaves its pair unlisted, as the report leaves
        // any pair without a comparison (verification already warned of a file it could not
        // read).
        let compare = |a: FileId, b: FileId| -> Option<Box<Comparison>> {
            let (fa, fb) = (load(&read, &cache, a).ok()?, load(&read, &cache, b).ok()?);
            let alignment = align_loaded(&fa, &fb, &options.align);
            Some(Box::new(listing::compare(&fa, &fb, &alignment, options)))
        };
        listing::complete(&read, &mut verified.records, options, compare);
    }
    summary::report(summary::Inputs {
        corpus,
        read,
        candidates: candidates.len() as u64,
        verified: verified.count,
        records: verified.records,
        warnings: verified.warnings,
        base,
        options,
        max_df,
    })
}

/// Whether files `a` and `b` may form a pair: never two files of one submission, and with
/// `--old/--new` roots never two old or two new files (both rules hold together: this year's
/// submissions against last year's).
fn allowed(corpus: &CloneCorpus<'_>, read: &Corpus, a: FileId, b: FileId) -> bool {
    let (fa, fb) = (
        &corpus.files[read.file(a).input],
        &corpus.files[read.file(b).input],
    );
    let role = |f: &CloneInput| corpus.roots[f.root as usize].1;
    let same_side = matches!(
        (role(fa), role(fb)),
        (RootRole::Old, RootRole::Old) | (RootRole::New, RootRole::New)
    );
    let same_submission = fa.submission.is_some() && fa.submission == fb.submission;
    !same_side && !same_submission
}

/// Whether namesakes count on any shared region: files of the same name in different
/// directories are most often versions of one file (a fork, a vendored copy, the next
/// release), so a pair of them counts when the aligner keeps any region of counted code (at
/// least `min_region_tokens`, 20, or half of a small file, and never under
/// [`MIN_IDENTICAL_TOKENS`](corpus::MIN_IDENTICAL_TOKENS)), not only a `min_tokens` block. All
/// 24 of the ground-truth version pairs of OpenSSL's `crypto/` (1.1.1 and 3.6) that
/// `min_tokens` missed were namesakes: small files (`buffer/buf_err.c`, `evp/p_dec.c`) whose
/// shared code was one 16-47-token block. Not between submissions: there the assignment names
/// the files (every student's `main.c`), and a name says nothing; nor for a name held by more
/// than `max_df` files (every `__init__.py`), which is boilerplate as a common fingerprint is.
fn namesakes(corpus: &CloneCorpus<'_>) -> bool {
    corpus.mode != ClonesMode::Submissions
}

/// The file name of a path as shown (`a/b/c.rs` -> `c.rs`).
pub(crate) fn file_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The length of the shortest single matched run that can get a pair with a smaller file of
/// `smaller` code tokens reported: `min_tokens`, or 90% of the smaller file if that is less (a
/// small file copied whole is a clone); `None` when the smaller file has fewer than `k` tokens
/// (less than one k-gram: nothing to go by). Candidate search keeps only pairs sharing the fingerprints such a run is
/// guaranteed to leave.
pub(crate) fn required_tokens(min_tokens: u32, smaller: u32, k: u32) -> Option<u32> {
    (smaller >= k.max(1)).then(|| min_tokens.max(1).min((smaller as f64 * 0.9).ceil() as u32))
}

/// Whether a verified pair counts: one of its regions matches at least `min_tokens` counted
/// tokens (jscpd's rule: a clone is one block, not snippets that add up); or it matches 90% of
/// the smaller file, of at least `k` tokens (the shortest fragment the aligner selects): a small
/// file copied whole is a clone too (shorter identical code is paired by its code key, in
/// `verify_pair`); or it matches half of the smaller file and `min_tokens` in all: a file that
/// kept half of its code through many small edits (zstd's `zstd_opt.h` from 1.4.9 to 1.5.7: 47%
/// similar, no run over 29 tokens) is the same file, not scattered snippets. The last rule
/// found 1 more of zstd's 81 ground-truth pairs and 1 more of OpenSSL's 647, for 15 and 99 more
/// pairs reported (of 654 and 3,812), R-precision unchanged (bench/clones_eval.py).
pub(crate) fn counts(
    largest_region: u32,
    matched: u32,
    smaller: u32,
    min_tokens: u32,
    k: u32,
) -> bool {
    largest_region >= min_tokens.max(1)
        || (smaller >= k.max(1) && matched > 0 && matched as f64 >= 0.9 * smaller as f64)
        || (matched >= min_tokens.max(1) && matched as f64 >= 0.5 * smaller as f64)
}

/// A verified pair that matches enough to count (whether or not it is similar enough to list).
#[derive(Debug, Clone)]
pub(crate) struct PairRecord {
    pub a: FileId,
    pub b: FileId,
    pub shared: u32,
    pub scores: MatchScores,
    /// The longest matched fragment, in tokens.
    pub longest: u32,
    /// The code of each side the pair's counted matches cover: shared by the twins of one
    /// pair (the same contents give the same runs), so 2,000 copies of one file, 1,999,000
    /// similar pairs, hold one.
    pub matched_a: Arc<MatchedCode>,
    pub matched_b: Arc<MatchedCode>,
    /// Regions of at least `min_tokens` counted tokens (with `--fragments`).
    pub blocks: Vec<Block>,
    /// The full comparison, for the pairs listed.
    pub comparison: Option<Box<Comparison>>,
    /// Of which of its files the pair is the best match (known once every pair is verified).
    pub best_match: BestMatch,
}

/// Whether a counted pair is similar enough to list.
pub(crate) fn is_similar(scores: &MatchScores, options: &CloneOptions) -> bool {
    scores.verdict != Verdict::Unrelated && scores.similarity >= options.min_similarity
}

/// Where a pair ranks among the listed pairs.
pub(crate) fn rank_key(read: &Corpus, r: &PairRecord, options: &CloneOptions) -> RankKey {
    RankKey {
        sort: options.sort,
        similarity: r.scores.similarity,
        matched: r.scores.matched_tokens,
        longest: r.longest,
        best: r.best_match.sides(),
        a: read.file(r.a).indexed.name.clone(),
        b: read.file(r.b).indexed.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::LoadedFile;
    use std::sync::Arc;

    #[test]
    fn one_block_counts_snippets_do_not() {
        assert!(counts(50, 50, 1000, 50, 12));
        assert!(
            !counts(30, 90, 1000, 50, 12),
            "three snippets are not a clone"
        );
        assert!(counts(20, 36, 40, 50, 12), "a small file copied (90%)");
        assert!(counts(12, 12, 12, 50, 12), "a one-line file copied");
        assert!(counts(46, 50, 51, 50, 12), "no cliff just above min_tokens");
        assert!(!counts(20, 30, 40, 50, 12));
        assert!(
            counts(29, 125, 231, 50, 12),
            "half of a file, through small edits"
        );
        assert!(!counts(29, 100, 231, 50, 12), "under half");
        assert!(
            !counts(20, 45, 60, 50, 12),
            "half, but under min_tokens in all"
        );
        assert!(!counts(10, 10, 10, 50, 12), "shorter than a k-gram");
        assert!(!counts(0, 0, 0, 50, 12));
    }

    /// The 24 real test files of `tests/data/pairs`, one tree per version, walked as one corpus.
    fn test_pairs_corpus<'w>(
        dir: &std::path::Path,
        walk_options: &'w WalkOptions,
    ) -> (CloneCorpus<'w>, usize) {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        let mut bytes = 0;
        for entry in std::fs::read_dir(&data).unwrap() {
            let pair = entry.unwrap().path();
            for version in std::fs::read_dir(&pair).unwrap() {
                let version = version.unwrap().path();
                let name = version.file_name().unwrap().to_string_lossy().into_owned();
                let to = dir.join(&name).join(pair.file_name().unwrap());
                std::fs::create_dir_all(&to).unwrap();
                bytes += std::fs::copy(&version, to.join(&name)).unwrap() as usize;
            }
        }
        let corpus = tree_corpus(dir, walk_options);
        assert!(corpus.files.len() >= 20, "{}", corpus.files.len());
        (corpus, bytes)
    }

    /// The files under `dir`, walked as one tree.
    fn tree_corpus<'w>(dir: &std::path::Path, walk_options: &'w WalkOptions) -> CloneCorpus<'w> {
        let tree = crate::source::walk::walk(&[dir.to_path_buf()], walk_options).unwrap();
        CloneCorpus {
            mode: ClonesMode::All,
            roots: vec![("data".into(), RootRole::Tree)],
            files: tree
                .files
                .into_iter()
                .map(|file| CloneInput {
                    file,
                    root: 0,
                    submission: None,
                })
                .collect(),
            submissions: Vec::new(),
            walk: walk_options,
            skipped: tree.skipped,
        }
    }

    /// A copy of a file (the same bytes under another path) is read from the file's tokens,
    /// tokenized and prepared once, and reads as the file does; the same bytes read as another
    /// language, and a file of the same size with other bytes, are tokenized on their own.
    #[test]
    fn copies_are_tokenized_once_and_read_as_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        let text = std::fs::read(data.join("zstd_fast/1.4.9.c")).unwrap();
        let mut same_size = text.clone();
        same_size[text.len() / 2] ^= 1;
        for (name, bytes) in [
            ("one/fast.c", &text),
            ("two/fast.c", &text),
            ("two/fast.py", &text),
            ("three/fast.c", &same_size),
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let walk_options = WalkOptions::default();
        let corpus = tree_corpus(dir.path(), &walk_options);
        let (options, cache) = (CloneOptions::default(), FileCache::new(1 << 30));
        let read = corpus::read(&corpus, &BaseCode::none(), &options, &cache, &NoProgress);
        let id = |name: &str| -> FileId {
            let found = read
                .files
                .iter()
                .position(|f| f.indexed.path.ends_with(name));
            found.unwrap_or_else(|| panic!("{name} not read")) as FileId
        };
        let loaded = |id: FileId| cache.get(id, &read.file(id).indexed).unwrap().0;
        let (original, copy, python, other) = (
            id("one/fast.c"),
            id("two/fast.c"),
            id("two/fast.py"),
            id("three/fast.c"),
        );
        let prepared = |id| loaded(id).prepared(&options.align);
        assert!(Arc::ptr_eq(&prepared(original), &prepared(copy)), "shared");
        for alone in [python, other] {
            assert!(!Arc::ptr_eq(&prepared(original), &prepared(alone)));
        }
        // The copy reads as its own tokenization would, under its own path.
        let fresh = LoadedFile::new(loaded(copy).source.clone());
        assert_eq!(loaded(copy).tokens.tokens, fresh.tokens.tokens);
        assert_eq!(loaded(copy).source.name, read.file(copy).indexed.name);
        assert_ne!(
            read.file(copy).indexed.path,
            read.file(original).indexed.path
        );
        let facts = |id: FileId| {
            let f = read.file(id);
            (f.lines, f.tokens, f.code_lines, f.code_key)
        };
        assert_eq!(facts(copy), facts(original));
        let (exact, normalized) = (&read.exact_fingerprints, &read.normalized_fingerprints);
        assert_eq!(exact[copy as usize], exact[original as usize]);
        assert_eq!(normalized[copy as usize], normalized[original as usize]);
        assert!(!exact[copy as usize].is_empty() && !normalized[copy as usize].is_empty());
        assert_ne!(exact[other as usize], exact[original as usize]);
        assert_ne!(loaded(python).tokens.tokens, loaded(original).tokens.tokens);
    }

    /// Copies are paired as their original is, counted once: each copy pairs with the
    /// original's partners (and with the original and the other copies), sharing as many
    /// fingerprints, and never with itself.
    #[test]
    fn copies_pair_as_their_original_does() {
        let dir = tempfile::tempdir().unwrap();
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        for (from, to) in [
            ("zstd_fast/1.4.9.c", "one/fast.c"),
            ("zstd_fast/1.4.9.c", "two/fast.c"),
            ("zstd_fast/1.4.9.c", "three/fast.c"),
            // Walked last: its pairs with the copies come from the copies' counts.
            ("zstd_fast/1.5.7.c", "z/fast.c"),
            ("openssl_evp_key/3.6.3.c", "other/evp_key.c"),
        ] {
            let to = dir.path().join(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(data.join(from), to).unwrap();
        }
        let walk_options = WalkOptions::default();
        let corpus = tree_corpus(dir.path(), &walk_options);
        let (options, cache) = (CloneOptions::default(), FileCache::new(0));
        let read = corpus::read(&corpus, &BaseCode::none(), &options, &cache, &NoProgress);
        let max_df = default_max_df(read.len());
        // Namesakes off: they would pair the files by name whatever they share.
        let pairs =
            pairs::candidate_pairs(&read, &|_, _| true, &options, (max_df, false), &NoProgress);
        let name = |id: FileId| read.file(id).indexed.name.clone();
        let found: std::collections::BTreeMap<(String, String), u32> = pairs
            .iter()
            .map(|p| {
                let mut names = [name(p.a), name(p.b)];
                names.sort();
                let [x, y] = names;
                ((x, y), p.shared)
            })
            .collect();
        assert!(pairs.iter().all(|p| p.a < p.b), "{found:?}");
        let shared = |x: &str, y: &str| {
            let key = found.keys().find(|(a, b)| a.ends_with(x) && b.ends_with(y));
            key.map(|k| found[k])
        };
        let with_new: Vec<Option<u32>> = ["one/fast.c", "three/fast.c", "two/fast.c"]
            .iter()
            .map(|copy| shared(copy, "z/fast.c"))
            .collect();
        assert!(with_new[0].is_some_and(|n| n > 0), "{found:?}");
        assert!(with_new.iter().all(|n| *n == with_new[0]), "{found:?}");
        for (x, y) in [("one/fast.c", "two/fast.c"), ("one/fast.c", "three/fast.c")] {
            assert!(shared(x, y).is_some(), "{x} {y}: {found:?}");
        }
        assert!(shared("three/fast.c", "two/fast.c").is_some(), "{found:?}");
    }

    /// The cache only decides how often files are read: with none, or room for about half of
    /// the files, every pair is verified through the [`schedule`]'s held files, and the report
    /// is the same as with every file cached.
    #[test]
    fn the_report_does_not_depend_on_what_the_cache_holds() {
        let (dir, walk_options) = (tempfile::tempdir().unwrap(), WalkOptions::default());
        let (corpus, bytes) = test_pairs_corpus(dir.path(), &walk_options);
        let run = |cache_bytes: usize| {
            let options = CloneOptions {
                cache_bytes,
                ..CloneOptions::default()
            };
            let clones = find_clones(&corpus, &BaseCode::none(), &options, &NoProgress);
            assert!(clones.pairs.len() >= 10, "{}", clones.pairs.len());
            serde_json::to_string(&clones).unwrap()
        };
        let all = run(CloneOptions::default().cache_bytes);
        // `approx_bytes` counts about 8 bytes per byte of text: 4x the text holds about half.
        for budget in [0, 4 * bytes] {
            assert_eq!(run(budget), all, "cache of {budget} bytes");
        }
    }

    /// Listed pairs with [`ListedDetail::Regions`] are the full comparisons without their line
    /// diffs and file-wide rename maps, and nothing else of the report changes.
    #[test]
    fn regions_only_listing_leaves_out_line_diffs_and_the_rename_map_alone() {
        let (dir, walk_options) = (tempfile::tempdir().unwrap(), WalkOptions::default());
        let (corpus, _) = test_pairs_corpus(dir.path(), &walk_options);
        let run = |listed: ListedDetail| {
            let options = CloneOptions {
                listed,
                ..CloneOptions::default()
            };
            find_clones(&corpus, &BaseCode::none(), &options, &NoProgress)
        };
        let mut full = run(ListedDetail::Full);
        let regions = run(ListedDetail::Regions);
        let diffs = |c: &Clones| -> usize {
            c.pairs
                .iter()
                .flat_map(|p| &p.comparison.regions)
                .map(|r| r.diff.len())
                .sum()
        };
        let renames =
            |c: &Clones| -> usize { c.pairs.iter().map(|p| p.comparison.renames.len()).sum() };
        // The real pairs have edited regions and renamed identifiers, so the test can fail.
        assert!(diffs(&full) > 0 && renames(&full) > 0);
        assert_eq!((diffs(&regions), renames(&regions)), (0, 0));
        let region_renames = |c: &Clones| -> usize {
            c.pairs
                .iter()
                .flat_map(|p| &p.comparison.regions)
                .map(|r| r.renames.len())
                .sum()
        };
        assert!(region_renames(&regions) > 0, "regions keep their renames");
        for pair in &mut full.pairs {
            pair.comparison.renames.clear();
            pair.comparison
                .regions
                .iter_mut()
                .for_each(|r| r.diff.clear());
        }
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            serde_json::to_string(&regions).unwrap()
        );
    }

    /// `--sort best-match` on real files: two releases of an OpenSSL file (99% similar), a copy
    /// of the first with two lines edited and a function added (closer still to it), and two
    /// releases of a zstd file (57%). By similarity, the OpenSSL pairs come first; by best match, the pairs whose files
    /// are each other's best match do, the zstd pair second, and with `--top 2` it gets the
    /// same comparison as when every pair is listed, though the verification kept no alignment
    /// for it.
    #[test]
    fn best_matches_rank_first_and_are_listed_in_full() {
        let dir = tempfile::tempdir().unwrap();
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
        let read = |p: &str| std::fs::read_to_string(data.join(p)).unwrap();
        let evp = read("openssl_evp_key/1.1.1w.c");
        let edited =
            evp.replacen("return 0;", "return -1;", 2) + "\nint extra_helper(void) { return 1; }\n";
        let files = [
            ("x1.c", evp),
            ("x2.c", read("openssl_evp_key/3.6.3.c")),
            ("x3.c", edited),
            ("y1.c", read("zstd_fast/1.4.9.c")),
            ("y2.c", read("zstd_fast/1.5.7.c")),
        ];
        for (name, text) in &files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let walk_options = WalkOptions::default();
        let corpus = tree_corpus(dir.path(), &walk_options);
        let run = |sort: PairOrder, top: usize| {
            let options = CloneOptions {
                sort,
                top,
                ..CloneOptions::default()
            };
            find_clones(&corpus, &BaseCode::none(), &options, &NoProgress)
        };
        let names = |c: &Clones| -> Vec<String> {
            let short = |p: &str| {
                p.rsplit('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(".c")
                    .to_string()
            };
            c.pairs
                .iter()
                .map(|p| format!("{}-{}", short(&p.a), short(&p.b)))
                .collect()
        };
        let by_similarity = run(PairOrder::Similarity, 2);
        assert!(!names(&by_similarity).contains(&"y1-y2".to_string()));
        let best = run(PairOrder::BestMatch, 2);
        assert_eq!(names(&best), ["x1-x3", "y1-y2"]);
        assert!(best.pairs.iter().all(|p| p.best_match == BestMatch::Both));
        let all = run(PairOrder::BestMatch, 0);
        assert_eq!(names(&all), ["x1-x3", "y1-y2", "x1-x2", "x2-x3"]);
        assert_eq!(
            all.pairs[1], best.pairs[1],
            "aligned again, the same comparison"
        );
        // Then the best match of x2 only (x1 has a better one), then of neither.
        let sides: Vec<BestMatch> = all.pairs.iter().map(|p| p.best_match).collect();
        assert_eq!(sides[2..], [BestMatch::B, BestMatch::Neither]);
    }

    #[test]
    fn small_files_need_nearly_all_of_themselves() {
        assert_eq!(required_tokens(50, 500, 12), Some(50));
        assert_eq!(required_tokens(50, 51, 12), Some(46));
        assert_eq!(required_tokens(50, 56, 12), Some(50));
        assert_eq!(required_tokens(50, 40, 12), Some(36));
        assert_eq!(required_tokens(50, 12, 12), Some(11));
        assert_eq!(required_tokens(50, 11, 12), None);
        assert_eq!(required_tokens(0, 0, 12), None);
        assert_eq!(required_tokens(1, 1, 1), Some(1));
    }
}
