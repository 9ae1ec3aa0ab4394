//! One search: query file -> fingerprints -> candidates (postings) -> shortlist -> verification
//! (full alignment) -> ranking by the verified scores.
//!
//! A [`Searcher`] is shared by every query of a run (it is `Sync`); each thread brings its own
//! [`Scratch`] counters. Candidate files read for verification are kept in a bounded cache,
//! since a directory of queries often verifies the same files again and again.

use super::base::BaseCode;
use super::candidates::{self, Candidate, CandidateSet, Scratch};
use super::verify::{CodeSize, MatchScores, code_size, verify_for_search};
use super::{FileId, IndexedFile, PostingsSource, index_fingerprints};
use crate::align::{AlignConfig, Alignment, Prepared};
use crate::lex::{TokenizedFile, tokenize};
use crate::report::{
    FileLicense, FindMatch, QueryFingerprints, QueryResult, Verdict, Warning, build_comparison,
    file_info,
};
use crate::source::walk::{Skipped, WalkOptions, WalkedFile, load};
use crate::source::{ContentKey, ReadOptions, SourceError, SourceFile, read_walked};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, OnceLock};

/// How to search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// At most this many matches per query. Default 10.
    pub top: usize,
    /// Matches with a lower verified similarity are dropped. Default 0 (every match that
    /// shares code).
    pub min_similarity: f64,
    /// Frequency cutoff (MOSS's `-m`); `None`: [`candidates::default_max_df`] of the corpus.
    pub max_df: Option<usize>,
    /// Candidates verified by the full alignment, best estimates first; `None`: `top + 5`.
    /// More costs time and finds the rare match whose estimate was poor.
    pub verify: Option<usize>,
    /// Also verify up to this many files that hold at least half of the query, however low
    /// their estimated similarity. Default 3.
    pub verify_containing: usize,
    /// The verifying alignment's settings.
    pub align: AlignConfig,
    /// Keep the full comparison with the best match in the result.
    pub keep_comparison: bool,
    /// Read the licence and copyright the query and each match state
    /// ([`QueryResult::license`], [`FindMatch::license`]); a caller with the files on disk adds
    /// their trees' evidence ([`crate::license::effective::attach_tree`]).
    pub licenses: bool,
    /// Memory for keeping candidate files between queries, in bytes (text and tokens). Default
    /// [`DEFAULT_CACHE_BYTES`]. The answers never depend on it: a file that does not fit is read
    /// again when another query needs it.
    pub cache_bytes: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            top: 10,
            min_similarity: 0.0,
            max_df: None,
            verify: None,
            verify_containing: 3,
            align: AlignConfig::default(),
            keep_comparison: false,
            licenses: false,
            cache_bytes: DEFAULT_CACHE_BYTES,
        }
    }
}

/// A file read and tokenized.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The file.
    pub source: SourceFile,
    /// Its tokens.
    pub tokens: TokenizedFile,
    /// Its alignment data, computed on first use (see [`LoadedFile::prepared`]).
    prepared: OnceLock<Arc<Prepared>>,
}

impl LoadedFile {
    /// Tokenize a source file.
    pub fn new(source: SourceFile) -> LoadedFile {
        let tokens = tokenize(&source);
        LoadedFile {
            source,
            tokens,
            prepared: OnceLock::new(),
        }
    }

    /// A copy of `first` found under another path: `source` holds the same bytes, read as the
    /// same language, so its tokens are `first`'s (copied) and so is its alignment data (shared,
    /// when `first` has computed it). Tokenizing is a function of the text and the language.
    pub(crate) fn copy_of(first: &LoadedFile, source: SourceFile) -> LoadedFile {
        debug_assert_eq!(
            (source.content_hash, source.size, source.language),
            (
                first.source.content_hash,
                first.source.size,
                first.source.language
            )
        );
        LoadedFile {
            source,
            tokens: first.tokens.clone(),
            prepared: first.prepared.clone(),
        }
    }

    /// The file's alignment data for `config` ([`Prepared`]): computed once and kept, since a
    /// file read once is often aligned with many others (a run's configuration does not
    /// change; another one gets data computed for it, not kept).
    pub fn prepared(&self, config: &AlignConfig) -> Arc<Prepared> {
        let kept = self
            .prepared
            .get_or_init(|| Arc::new(Prepared::new(&self.tokens.tokens, config)));
        if kept.is_for(config) {
            kept.clone()
        } else {
            Arc::new(Prepared::new(&self.tokens.tokens, config))
        }
    }

    /// Approximate memory held, in bytes (text, line index, tokens, alignment data).
    pub(crate) fn approx_bytes(&self) -> usize {
        let tokens = self.tokens.tokens.len();
        self.source.text.len() * 2
            + tokens * std::mem::size_of::<crate::lex::Token>()
            // Two channels of token hashes and their fingerprints, and the numbered names,
            // once prepared.
            + tokens * 26
    }
}

/// The result of one query, and the best match's file when the comparison was kept (a
/// renderer shows its code).
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    /// The ranking.
    pub result: QueryResult,
    /// The best match, read and tokenized (only with `keep_comparison`).
    pub best: Option<Arc<LoadedFile>>,
    /// The query, read and tokenized (only with `keep_comparison`, from
    /// [`Searcher::search_many`]).
    pub query: Option<Arc<LoadedFile>>,
}

/// A query of a run: a file already read (named on the command line), or a file found by
/// walking a query directory (read when its turn comes, skipped if it cannot be).
#[derive(Debug, Clone)]
pub enum QueryFile {
    /// Read and tokenized.
    Loaded(Arc<LoadedFile>),
    /// To read with these walk options.
    Walked(WalkedFile),
}

/// Searches one corpus. See the module documentation.
pub struct Searcher<'a, S: PostingsSource + ?Sized> {
    source: &'a S,
    options: SearchOptions,
    base: &'a BaseCode,
    max_df: usize,
    cache: FileCache,
}

impl<'a, S: PostingsSource + ?Sized> Searcher<'a, S> {
    /// A searcher over `source`, with base code `base` (may be [`BaseCode::none`]).
    pub fn new(source: &'a S, options: SearchOptions, base: &'a BaseCode) -> Self {
        let max_df = options
            .max_df
            .unwrap_or_else(|| candidates::default_max_df(source.file_count()))
            .max(1);
        let cache = FileCache::new(options.cache_bytes);
        Searcher {
            source,
            options,
            base,
            max_df,
            cache,
        }
    }

    /// The frequency cutoff in effect.
    pub fn max_df(&self) -> usize {
        self.max_df
    }

    /// Candidates verified per query (by estimate; containing files come on top).
    pub fn verify_count(&self) -> usize {
        self.options
            .verify
            .unwrap_or(self.options.top + 5)
            .max(self.options.top)
    }

    /// Counters sized for this corpus, for one thread.
    pub fn scratch(&self) -> Scratch {
        Scratch::new(self.source.file_count())
    }

    /// Search for the files most similar to `query`.
    pub fn search(
        &self,
        query: &SourceFile,
        tokens: &TokenizedFile,
        scratch: &mut Scratch,
    ) -> SearchOutcome {
        let mut warnings = query_warnings(query, tokens);
        let config = self.source.fingerprint_config();
        let all = index_fingerprints(&tokens.tokens, &config);
        let (base_fps, counted): (Vec<u64>, Vec<u64>) =
            all.iter().partition(|&&h| self.base.contains(h));
        let verify_n = self.verify_count();
        let set =
            candidates::count_candidates(self.source, &counted, self.max_df, verify_n, scratch);
        let fingerprints = QueryFingerprints {
            total: all.len() as u32,
            counted: set.counted,
            common: set.common,
            common_counted: set.common_counted,
            base: base_fps.len() as u32,
            absent: set.absent,
        };
        if set.counted == 0 && set.common > 0 {
            warnings.push(warn(
                query,
                "every fingerprint of the query is held by very many files (boilerplate); raise --max-df to search for it".into(),
            ));
        }

        let own_path = std::fs::canonicalize(&query.path).ok();
        let is_other = |id: FileId| !self.is_the_query(id, query, own_path.as_ref());
        let mut shortlist = self.identical_files(query, &set, verify_n, is_other);
        let rest = candidates::shortlist(
            &set,
            verify_n.saturating_sub(shortlist.len()),
            self.options.verify_containing,
            |c| !shortlist.iter().any(|s| s.id == c.id) && is_other(c.id),
        );
        shortlist.extend(rest);

        // Prepared and measured once, for all the candidates.
        let prepared = Prepared::new(&tokens.tokens, &self.options.align);
        let size = code_size(&tokens.tokens, self.base);
        let query_pair = ((query, tokens), &prepared, size);
        let verified = self.verify_shortlist(query_pair, &shortlist);
        let mut ranked = Vec::with_capacity(verified.len());
        for v in verified {
            match v {
                Ok((r, note)) => {
                    ranked.push(r);
                    warnings.extend(note);
                }
                Err(w) => warnings.push(w),
            }
        }
        let verified_count = ranked.len() as u32;
        ranked.retain(|r| {
            r.scores.similarity > 0.0
                && r.scores.verdict != Verdict::Unrelated
                && r.scores.similarity >= self.options.min_similarity
        });
        ranked.sort_by(rank_order);
        ranked.truncate(self.options.top);

        let best = ranked
            .first()
            .filter(|_| self.options.keep_comparison)
            .map(|r| r.loaded.clone());
        // Built for the best match only, as `simile compare` would build it.
        let comparison = ranked.first().and_then(|r| {
            let alignment = r.alignment.as_ref()?;
            let best = (&r.loaded.source, &r.loaded.tokens);
            let config = &self.options.align;
            Some(Box::new(build_comparison(
                query_pair.0,
                best,
                alignment,
                config,
            )))
        });
        let licenses = self.options.licenses;
        let matches = ranked
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut m = r.to_match(i as u32 + 1);
                m.license = licenses.then(|| r.license());
                m
            })
            .collect();
        SearchOutcome {
            result: QueryResult {
                query: file_info((query, tokens)),
                fingerprints,
                candidates: set.sharing,
                verified: verified_count,
                matches,
                comparison,
                warnings,
                license: licenses
                    .then(|| crate::license::file_license(query, &tokens.tokens, &tokens.comments)),
            },
            best,
            query: None,
        }
    }

    /// Run every query, in parallel, in order. A walked query that cannot be read is returned
    /// as skipped. `progress` is called once per query. Queries are read when their turn comes
    /// and dropped after (kept only with `keep_comparison`), so memory does not grow with them.
    pub fn search_many(
        &self,
        queries: &[QueryFile],
        walk_options: &WalkOptions,
        progress: &(dyn Fn() + Sync),
    ) -> Vec<Result<SearchOutcome, Skipped>> {
        queries
            .par_iter()
            .map_init(
                || self.scratch(),
                |scratch, q| {
                    let query = match q {
                        QueryFile::Loaded(l) => Ok(l.clone()),
                        QueryFile::Walked(w) => {
                            load(w, walk_options).map(|s| Arc::new(LoadedFile::new(s)))
                        }
                    };
                    let result = query.map(|l| {
                        let mut outcome = self.search(&l.source, &l.tokens, scratch);
                        outcome.query = self.options.keep_comparison.then_some(l);
                        outcome
                    });
                    progress();
                    result
                },
            )
            .collect()
    }

    /// Files byte-identical to the query (at most `limit`, the query itself left out): always
    /// verified, since no estimate can rank them wrong, and the only candidates of a query
    /// without code.
    fn identical_files(
        &self,
        query: &SourceFile,
        set: &CandidateSet,
        limit: usize,
        accept: impl Fn(FileId) -> bool,
    ) -> Vec<Candidate> {
        let mut ids = Vec::new();
        self.source.files_with_content(query.content_hash, &mut ids);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter(|&id| accept(id))
            .take(limit)
            .map(|id| {
                set.candidates
                    .iter()
                    .find(|c| c.id == id)
                    .copied()
                    .unwrap_or(Candidate {
                        id,
                        shared: 0,
                        fingerprints: self.source.fingerprint_count(id).unwrap_or(0),
                        containment_query: 1.0,
                        containment_candidate: 1.0,
                        estimate: 1.0,
                    })
            })
            .collect()
    }

    /// Whether candidate `id` is the query file itself (when the query lies in the corpus).
    fn is_the_query(&self, id: FileId, query: &SourceFile, own: Option<&PathBuf>) -> bool {
        let Some(own) = own else { return false };
        let Some(file) = self.source.file(id) else {
            return false;
        };
        file.content_hash == query.content_hash
            && std::fs::canonicalize(&file.path).is_ok_and(|p| &p == own)
    }

    /// Verify the shortlisted candidates, in parallel. Candidates holding the same contents
    /// (vendored copies of one file: `/usr/include` holds OpenSSL's headers twice) are aligned
    /// with the query once: alignment reads nothing but the files' contents, so the copies
    /// take the first one's scores.
    fn verify_shortlist(
        &self,
        query: ((&SourceFile, &TokenizedFile), &Prepared, CodeSize),
        shortlist: &[Candidate],
    ) -> Vec<Result<(Ranked, Option<Warning>), Warning>> {
        let loaded: Vec<_> = shortlist
            .par_iter()
            .map(|c| self.load_candidate(c))
            .collect();
        let first_copy = first_copies(&loaded);
        let verified: Vec<Option<(MatchScores, Option<Alignment>)>> = loaded
            .par_iter()
            .zip(&first_copy)
            .map(|(candidate, first)| match (candidate, first) {
                (Ok(c), None) => Some(verify_for_search(
                    query,
                    &c.loaded,
                    &self.options.align,
                    self.base,
                    self.options.keep_comparison,
                )),
                _ => None,
            })
            .collect();
        loaded
            .into_iter()
            .zip(first_copy)
            .enumerate()
            .map(|(i, (candidate, first))| {
                let c = candidate?;
                let (scores, alignment) = verified[first.unwrap_or(i)]
                    .clone()
                    .expect("the first copy of each content is verified");
                let ranked = Ranked {
                    scores,
                    shared: c.shared,
                    identical_bytes: c.loaded.source.content_hash == query.0.0.content_hash,
                    loaded: c.loaded,
                    alignment,
                };
                Ok((ranked, c.note))
            })
            .collect()
    }

    /// Read (or take from the cache) a shortlisted candidate.
    fn load_candidate(&self, candidate: &Candidate) -> Result<LoadedCandidate, Warning> {
        let file = self.source.file(candidate.id).ok_or_else(|| Warning {
            path: None,
            message: format!("file #{} was removed from the index", candidate.id),
        })?;
        let (loaded, changed) = self.cache.get(candidate.id, &file).map_err(|e| Warning {
            path: Some(file.name.clone()),
            message: format!("not verified: {e}"),
        })?;
        let note = changed.then(|| Warning {
            path: Some(file.name.clone()),
            message: "changed since it was indexed; its scores are for its current content".into(),
        });
        Ok(LoadedCandidate {
            loaded,
            shared: candidate.shared,
            note,
        })
    }
}

/// A shortlisted candidate, read, before its verification.
struct LoadedCandidate {
    loaded: Arc<LoadedFile>,
    shared: u32,
    /// The warning that it changed since it was indexed.
    note: Option<Warning>,
}

/// For each loaded candidate, the index of the first earlier one holding the same contents
/// (bytes and language, as read now, not as indexed), if any.
fn first_copies(loaded: &[Result<LoadedCandidate, Warning>]) -> Vec<Option<usize>> {
    let mut first: HashMap<ContentKey, usize> = HashMap::new();
    loaded
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = c.as_ref().ok()?.loaded.source.content_key();
            let seen = *first.entry(key).or_insert(i);
            (seen != i).then_some(seen)
        })
        .collect()
}

/// A verified candidate on its way to the ranking.
struct Ranked {
    scores: MatchScores,
    shared: u32,
    identical_bytes: bool,
    loaded: Arc<LoadedFile>,
    /// Its alignment with the query (only with `keep_comparison`).
    alignment: Option<Alignment>,
}

impl Ranked {
    fn path(&self) -> &str {
        &self.loaded.source.name
    }

    fn to_match(&self, rank: u32) -> FindMatch {
        let s = &self.scores;
        FindMatch {
            rank,
            file: file_info((&self.loaded.source, &self.loaded.tokens)),
            score: s.score,
            similarity: s.similarity,
            coverage_query: s.coverage_query,
            coverage_match: s.coverage_match,
            matched_tokens: s.matched_tokens,
            renamed_tokens: s.renamed_tokens,
            matched_lines_query: s.matched_lines_query,
            matched_lines_match: s.matched_lines_match,
            unchanged_lines_query: s.unchanged_lines_query,
            unchanged_lines_match: s.unchanged_lines_match,
            verdict: s.verdict,
            shared_fingerprints: self.shared,
            license: None,
            license_change: None,
        }
    }

    /// What the file states of its licence and copyright.
    fn license(&self) -> FileLicense {
        let (source, tokens) = (&self.loaded.source, &self.loaded.tokens);
        crate::license::file_license(source, &tokens.tokens, &tokens.comments)
    }
}

/// The documented order of matches (see [`FindMatch`]): score, similarity, coverage of the
/// query, byte-identical to the query first, path.
fn rank_order(x: &Ranked, y: &Ranked) -> Ordering {
    y.scores
        .score
        .total_cmp(&x.scores.score)
        .then(y.scores.similarity.total_cmp(&x.scores.similarity))
        .then(y.scores.coverage_query.total_cmp(&x.scores.coverage_query))
        .then(y.identical_bytes.cmp(&x.identical_bytes))
        .then_with(|| x.path().cmp(y.path()))
}

fn warn(file: &SourceFile, message: String) -> Warning {
    Warning {
        path: Some(file.name.clone()),
        message,
    }
}

fn query_warnings(query: &SourceFile, tokens: &TokenizedFile) -> Vec<Warning> {
    let mut out = Vec::new();
    if query.invalid_bytes > 0 {
        out.push(warn(
            query,
            format!(
                "not valid UTF-8: {} byte(s) were read as Windows-1252 characters",
                query.invalid_bytes
            ),
        ));
    }
    if query.size == 0 {
        out.push(warn(query, "the query is empty".into()));
    } else if tokens.tokens.is_empty() {
        out.push(warn(
            query,
            "the query has no code tokens (only whitespace or comments)".into(),
        ));
    }
    out
}

/// The default of [`SearchOptions::cache_bytes`]: what a library caller gets without a say.
/// The command line sizes it from the machine's free memory instead.
pub const DEFAULT_CACHE_BYTES: usize = 256 << 20;

/// Read-once cache of candidate files. It stops admitting files when full (no eviction): a run
/// that verifies more distinct files than fit simply reads the rest each time.
pub(crate) struct FileCache {
    files: Mutex<HashMap<FileId, Arc<LoadedFile>>>,
    used: AtomicUsize,
    budget: usize,
}

impl FileCache {
    pub(crate) fn new(budget: usize) -> FileCache {
        FileCache {
            files: Mutex::new(HashMap::new()),
            used: AtomicUsize::new(0),
            budget,
        }
    }

    /// The file, from the cache or read now; `true` when it changed since it was indexed.
    pub(crate) fn get(
        &self,
        id: FileId,
        file: &IndexedFile,
    ) -> Result<(Arc<LoadedFile>, bool), SourceError> {
        if let Some(f) = self.lock().get(&id) {
            return Ok((f.clone(), f.source.content_hash != file.content_hash));
        }
        let options = ReadOptions {
            // Tokenize as the index did, whatever the file is called now.
            language: Some(file.language),
            max_size: file
                .size
                .saturating_mul(2)
                .max(crate::source::DEFAULT_MAX_FILE_SIZE),
        };
        // A regular file only: one replaced by a FIFO since it was indexed must not hang.
        let mut source = read_walked(&file.path, &options)?;
        source.name = file.name.clone();
        let loaded = Arc::new(LoadedFile::new(source));
        let bytes = loaded.approx_bytes();
        if self.used.load(AtomicOrdering::Relaxed) + bytes <= self.budget {
            self.used.fetch_add(bytes, AtomicOrdering::Relaxed);
            self.lock().insert(id, loaded.clone());
        }
        let changed = loaded.source.content_hash != file.content_hash;
        Ok((loaded, changed))
    }

    /// Whether the file is held in memory (a [`FileCache::get`] of it reads nothing).
    pub(crate) fn contains(&self, id: FileId) -> bool {
        self.lock().contains_key(&id)
    }

    /// Reserve room for a file of `bytes` ([`LoadedFile::approx_bytes`]); `false` when the
    /// cache is full. A caller that reserved must then [`FileCache::insert`] the file.
    pub(crate) fn reserve(&self, bytes: usize) -> bool {
        let mut used = self.used.load(AtomicOrdering::Relaxed);
        loop {
            if used + bytes > self.budget {
                return false;
            }
            match self.used.compare_exchange_weak(
                used,
                used + bytes,
                AtomicOrdering::Relaxed,
                AtomicOrdering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => used = now,
            }
        }
    }

    /// Keep a file read elsewhere (its room reserved with [`FileCache::reserve`]).
    pub(crate) fn insert(&self, id: FileId, file: Arc<LoadedFile>) {
        self.lock().insert(id, file);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<FileId, Arc<LoadedFile>>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{BaseCode, MemoryIndex, memory::index_entry};
    use crate::source::read_source;

    /// The search of `query` in an index of `files` as they are now, then rewritten with
    /// `rewrite` (path, text) before searching, as a file edited after indexing would be.
    fn search_in(
        query: &SourceFile,
        files: &[PathBuf],
        rewrite: Option<(&std::path::Path, &str)>,
    ) -> QueryResult {
        let config = crate::fingerprint::FingerprintConfig::default();
        let entries = files
            .iter()
            .map(|path| {
                let source = read_source(path, &ReadOptions::default()).unwrap();
                index_entry(&source, &crate::lex::tokenize(&source), &config, None)
            })
            .collect();
        let index = MemoryIndex::from_entries(config, entries);
        if let Some((path, text)) = rewrite {
            std::fs::write(path, text).unwrap();
        }
        let base = BaseCode::none();
        let searcher = Searcher::new(&index, SearchOptions::default(), &base);
        let tokens = crate::lex::tokenize(query);
        searcher
            .search(query, &tokens, &mut searcher.scratch())
            .result
    }

    /// A match's scores: the match without its rank and file.
    fn scores_of(result: &QueryResult, name: &str) -> (FindMatch, serde_json::Value) {
        let found = result.matches.iter().find(|m| m.file.path.ends_with(name));
        let m = found.unwrap_or_else(|| panic!("{name} not found")).clone();
        let mut value = serde_json::to_value(&m).unwrap();
        let fields = value.as_object_mut().unwrap();
        assert!(fields.remove("rank").is_some() && fields.remove("file").is_some());
        (m, value)
    }

    /// Copies among the candidates are aligned with the query once and take the first copy's
    /// scores, which are what each copy gets on its own; a file indexed as a copy but changed
    /// since is verified as it is now.
    #[test]
    fn copies_among_the_candidates_score_as_each_alone() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/pairs/openssl_evp_key");
        let old = std::fs::read_to_string(data.join("1.1.1w.c")).unwrap();
        let new = std::fs::read_to_string(data.join("3.6.3.c")).unwrap();
        let query = SourceFile::from_text("query.c", &old, None);
        let dir = tempfile::tempdir().unwrap();
        let [a, b, changed] = ["copy_a.c", "copy_b.c", "changed.c"].map(|n| dir.path().join(n));
        for path in [&a, &b, &changed] {
            std::fs::write(path, &new).unwrap();
        }
        let half: String = new
            .lines()
            .take(new.lines().count() / 2)
            .collect::<Vec<_>>()
            .join("\n");
        let together = search_in(
            &query,
            &[a.clone(), b.clone(), changed.clone()],
            Some((&changed, &half)),
        );
        let alone = search_in(&query, std::slice::from_ref(&b), None);

        let (copy, scores) = scores_of(&together, "copy_b.c");
        assert!(copy.similarity > 0.5, "{copy:?}");
        assert_eq!(scores_of(&together, "copy_a.c").1, scores);
        assert_eq!(scores_of(&alone, "copy_b.c").1, scores);
        let (edited, _) = scores_of(&together, "changed.c");
        assert!(edited.file.tokens < copy.file.tokens, "{edited:?}");
        assert!(edited.matched_tokens < copy.matched_tokens, "{edited:?}");
        assert!(
            together
                .warnings
                .iter()
                .any(|w| w.message.contains("changed since it was indexed")),
            "{:?}",
            together.warnings
        );
    }
}
