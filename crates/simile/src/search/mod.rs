//! Corpus search: which files of a corpus are most similar to a query file.
//!
//! Candidates come from fingerprints shared with the query, looked up in an inverted index
//! (never by running the aligner over every file); the best candidates are then verified with
//! the full alignment of [`crate::compare_tokenized`], and the verified scores are the ones shown.
//!
//! The index behind a search is anything implementing [`PostingsSource`]: an in-memory index of a
//! directory tree (for `find --in DIR` and `clones`), or the persistent on-disk index of the
//! `simile-index` crate. Both store exactly [`index_fingerprints`] of each file, so a query
//! computes the same values the index holds.
//!
//! The steps, each in its own module: [`memory`] (the in-memory index of a tree),
//! [`candidates`] (shared-fingerprint counting with the frequency cutoff; containment both
//! ways), [`base`] (base code that never counts), [`verify`] (the full alignment and the
//! scores shown), [`query`] (the [`Searcher`] tying them together and ranking).
//!
//! ```
//! use simile::fingerprint::FingerprintConfig;
//! use simile::lex::tokenize;
//! use simile::search::{BaseCode, MemoryIndex, SearchOptions, Searcher};
//! use simile::source::walk::{walk, WalkOptions};
//! use simile::SourceFile;
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("sum.c"),
//!     "int sum(int *v, int n) {\n    int s = 0;\n    for (int i = 0; i < n; i++) {\n        s += v[i];\n    }\n    return s;\n}\n",
//! )?;
//! std::fs::write(dir.path().join("greet.py"), "def greet(name):\n    return 'hello ' + name.title()\n")?;
//! let options = WalkOptions::default();
//! let tree = walk(&[dir.path().to_path_buf()], &options)?;
//! let (index, skipped) = MemoryIndex::build(&tree, &options, FingerprintConfig::default(), &|| {});
//! assert!(skipped.is_empty());
//!
//! // The same function, renamed and reformatted.
//! let query = SourceFile::from_text(
//!     "query.c",
//!     "int total(int *v, int n)\n{\n  int s = 0;\n  for (int i = 0; i < n; i++) { s += v[i]; }\n  return s;\n}\n",
//!     None,
//! );
//! let base = BaseCode::none();
//! let searcher = Searcher::new(&index, SearchOptions::default(), &base);
//! let found = searcher.search(&query, &tokenize(&query), &mut searcher.scratch());
//! let matches = &found.result.matches;
//! assert_eq!(matches.len(), 1);
//! assert!(matches[0].file.path.ends_with("sum.c"));
//! assert_eq!(matches[0].similarity, 1.0);
//! assert_eq!(matches[0].renamed_tokens, 1); // `sum` -> `total`
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod base;
pub mod candidates;
pub mod memory;
pub mod query;
pub mod verify;

pub use base::BaseCode;
pub use candidates::{Candidate, CandidateSet, Scratch, default_max_df};
pub use memory::{FingerprintFilter, IndexStats, MemoryIndex};
pub use query::{
    DEFAULT_CACHE_BYTES, LoadedFile, QueryFile, SearchOptions, SearchOutcome, Searcher,
};

use crate::fingerprint::{Channel, FingerprintConfig, channel_hashes, kgram_hashes, winnow};
use crate::lex::{Token, TokenFlags};
use crate::source::Language;
use std::path::PathBuf;

/// Identifies a file inside one index.
pub type FileId = u32;

/// What an index knows about one of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedFile {
    /// Where the file is (to read it again for verification).
    pub path: PathBuf,
    /// The path as shown in reports.
    pub name: String,
    /// Its language.
    pub language: Language,
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time when indexed, in nanoseconds since the Unix epoch (0 if unknown).
    pub mtime_ns: i64,
    /// xxh3-64 of its bytes when indexed.
    pub content_hash: u64,
    /// Number of code tokens.
    pub tokens: u32,
    /// Number of distinct fingerprints indexed for it ([`index_fingerprints`]).
    pub fingerprints: u32,
}

/// The questions a search asks of a corpus index.
pub trait PostingsSource: Sync {
    /// The k and w every file of the index was fingerprinted with; queries must use the same.
    fn fingerprint_config(&self) -> FingerprintConfig;

    /// Number of file id slots: ids are `0..file_count()` (some may be deleted).
    fn file_count(&self) -> usize;

    /// The file with this id, or `None` if it was removed.
    fn file(&self, id: FileId) -> Option<IndexedFile>;

    /// Number of (live) files holding fingerprint `hash`; when that is at most `limit`, their
    /// ids are appended to `out` (each once). Very common fingerprints (boilerplate shared by
    /// thousands of files, MOSS's `-m`) are thus counted without being read.
    fn postings(&self, hash: u64, limit: usize, out: &mut Vec<FileId>) -> usize;

    /// [`PostingsSource::postings`], handing the ids to `visit` instead of appending them (with
    /// `scratch` as room for them). A source holding its postings in memory hands over its own
    /// list: copying every list was a tenth of the time of `clones` on OpenSSL's `crypto/`.
    fn visit_postings(
        &self,
        hash: u64,
        limit: usize,
        scratch: &mut Vec<FileId>,
        visit: &mut dyn FnMut(&[FileId]),
    ) -> usize {
        scratch.clear();
        let df = self.postings(hash, limit, scratch);
        if df <= limit {
            visit(scratch);
        }
        df
    }

    /// Number of fingerprints of file `id` ([`IndexedFile::fingerprints`]), or `None` if it was
    /// removed. Candidate scoring asks this for every file sharing a fingerprint with the query,
    /// so an index should answer it without building an [`IndexedFile`]; the default does.
    fn fingerprint_count(&self, id: FileId) -> Option<u32> {
        self.file(id).map(|f| f.fingerprints)
    }

    /// Appends the ids of the (live) files whose bytes hash to `content_hash`
    /// ([`IndexedFile::content_hash`]). Byte-identical copies of a query are then always
    /// candidates, even when every fingerprint of the query is boilerplate or the query has
    /// no code at all (an empty file). The default finds none; an index should answer it.
    fn files_with_content(&self, content_hash: u64, out: &mut Vec<FileId>) {
        let _ = (content_hash, out);
    }

    /// The first failure met while answering since the source was opened (a damaged block of
    /// an on-disk index), as a message naming the file. Answers given since may miss files but
    /// never invent them; a search must fail with this message rather than report them.
    /// In-memory sources never fail.
    fn failure(&self) -> Option<String> {
        None
    }
}

/// The fingerprints of a file as indexed and as looked up: exact-channel winnowed k-gram
/// hashes, sorted and deduplicated, leaving out every k-gram that touches an import statement
/// (every file of a project shares its include list, which says nothing about derived code).
///
/// The exact channel, not the normalized one, drives ranking: abstracting identifiers makes
/// structural siblings (OpenSSL's `aes_cbc.c` and `cmll_cbc.c`) tie with the true counterpart.
///
/// Two kinds of file would have no fingerprint that way, and get one that can only ever match
/// files of their own kind (so neither makes code files look alike):
/// - a file with code but no k-gram outside its imports (a Python `__init__.py` re-exporting
///   names, a header of `#include`s) is fingerprinted with its imports (a file with such a
///   k-gram that winnowing did not pick keeps the smallest one instead);
/// - a file of fewer than `k` tokens gets one fingerprint for its whole token sequence, tagged
///   so that it never equals a k-gram's.
///
/// A file without tokens (empty, or only comments) has no fingerprint.
pub fn index_fingerprints(tokens: &[Token], config: &FingerprintConfig) -> Vec<u64> {
    channel_fingerprints(tokens, config, Channel::Exact)
}

/// [`index_fingerprints`] on either channel. On the normalized channel (identifiers and
/// literals abstracted: what `clones` uses to find renamed copies) a file shorter than `k`
/// tokens has no fingerprint: its shape alone (`x = f(y)`) is shared by countless files.
pub fn channel_fingerprints(
    tokens: &[Token],
    config: &FingerprintConfig,
    channel: Channel,
) -> Vec<u64> {
    channel_fingerprints_winnowed(tokens, config, channel, None)
}

/// [`channel_fingerprints`], from the winnowed k-grams of `tokens` on `channel` (with `config`)
/// when the caller has them already, in any order (`clones` has them, sorted by hash, in the
/// alignment data it prepares for each file: computing them twice was 4% of its time).
pub(crate) fn channel_fingerprints_winnowed(
    tokens: &[Token],
    config: &FingerprintConfig,
    channel: Channel,
    winnowed: Option<&[crate::fingerprint::Fingerprint]>,
) -> Vec<u64> {
    if channel == Channel::Normalized && tokens.len() < config.k {
        return Vec::new();
    }
    let hashes = || channel_hashes(tokens, channel);
    if !tokens.is_empty() && tokens.len() < config.k {
        return vec![kgram_hashes(&hashes(), tokens.len())[0] ^ WHOLE_FILE_TAG];
    }
    let computed;
    let selected = match winnowed {
        Some(selected) => selected,
        None => {
            computed = winnow(&kgram_hashes(&hashes(), config.k), config.w);
            &computed[..]
        }
    };
    // imports_before[i] = import tokens among tokens[..i]
    let mut imports_before = Vec::with_capacity(tokens.len() + 1);
    imports_before.push(0u32);
    for t in tokens {
        let last = *imports_before.last().unwrap_or(&0);
        imports_before.push(last + t.flags.has(TokenFlags::IMPORT) as u32);
    }
    let outside_imports = |pos: usize| imports_before[pos + config.k] == imports_before[pos];
    let mut out: Vec<u64> = selected
        .iter()
        .filter(|f| outside_imports(f.pos as usize))
        .map(|f| f.hash)
        .collect();
    if out.is_empty() {
        // Code too short for winnowing to have picked a k-gram outside the imports: take the
        // smallest such k-gram, as winnowing does for a sequence shorter than a window; with
        // none, the file is all imports and its imports are its identity.
        let kgrams = kgram_hashes(&hashes(), config.k);
        let smallest = (0..kgrams.len())
            .filter(|&pos| outside_imports(pos))
            .map(|pos| kgrams[pos])
            .min();
        out = match smallest {
            Some(h) => vec![h],
            None => selected.iter().map(|f| f.hash).collect(),
        };
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Marks the fingerprint of a whole file shorter than a k-gram (an arbitrary odd constant).
const WHOLE_FILE_TAG: u64 = 0x5851_f42d_4c95_7f2d;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    #[test]
    fn imports_never_count_toward_code() {
        let cfg = FingerprintConfig::default();
        let includes: String = (0..40)
            .map(|i| format!("#include \"header{i}.h\"\n"))
            .collect();
        let body = "int main(int argc, char **argv) { return argc > 1 ? atoi(argv[1]) : 0; }\n";
        let with_includes = SourceFile::from_text("a.c", &format!("{includes}{body}"), None);
        let without = SourceFile::from_text("b.c", body, None);
        let fa = index_fingerprints(&tokenize(&with_includes).tokens, &cfg);
        let fb = index_fingerprints(&tokenize(&without).tokens, &cfg);
        assert!(!fb.is_empty());
        assert!(
            fa.iter().all(|h| fb.contains(h)),
            "no include k-gram is indexed"
        );

        let python = SourceFile::from_text(
            "a.py",
            "import os\nimport sys\nfrom a.b import (c,\n  d)\nx = f(os, sys, c, d)\n",
            None,
        );
        let fps = index_fingerprints(&tokenize(&python).tokens, &FingerprintConfig { k: 3, w: 2 });
        let code = SourceFile::from_text("b.py", "x = f(os, sys, c, d)\n", None);
        let code_fps =
            index_fingerprints(&tokenize(&code).tokens, &FingerprintConfig { k: 3, w: 2 });
        assert!(fps.iter().all(|h| code_fps.contains(h)));
    }

    #[test]
    fn import_only_files_match_only_each_other() {
        let cfg = FingerprintConfig::default();
        let includes: String = (0..40)
            .map(|i| format!("#include \"header{i}.h\"\n"))
            .collect();
        let only = SourceFile::from_text("all.h", &includes, None);
        let fps = index_fingerprints(&tokenize(&only).tokens, &cfg);
        assert!(!fps.is_empty(), "an include-only header is searchable");
        let copy = SourceFile::from_text("copy.h", &format!("/* copy */\n{includes}"), None);
        assert_eq!(fps, index_fingerprints(&tokenize(&copy).tokens, &cfg));
        // A code file with the same includes shares none of them.
        let code = SourceFile::from_text(
            "a.c",
            &format!("{includes}int main(void) {{ return puts(\"a long enough body\") > 0; }}\n"),
            None,
        );
        let code_fps = index_fingerprints(&tokenize(&code).tokens, &cfg);
        assert!(fps.iter().all(|h| !code_fps.contains(h)));
    }

    #[test]
    fn tiny_files_have_one_whole_file_fingerprint() {
        let cfg = FingerprintConfig::default();
        let fp = |text: &str| {
            index_fingerprints(
                &tokenize(&SourceFile::from_text("a.py", text, None)).tokens,
                &cfg,
            )
        };
        let a = fp("VERSION = (5, 1, 15)\n");
        assert_eq!(a.len(), 1);
        assert_eq!(a, fp("# reformatted\nVERSION = (5,1,15)\n"));
        assert_ne!(a, fp("VERSION = (5, 1, 16)\n"));
        assert!(fp("").is_empty());
        assert!(fp("# only a comment\n").is_empty());
        // Never equal to a k-gram of a longer file holding the same tokens.
        let long = fp("VERSION = (5, 1, 15)\nVERSION = (5, 1, 15)\nVERSION = (5, 1, 15)\n");
        assert!(!long.contains(&a[0]));
    }

    #[test]
    fn same_code_same_fingerprints_regardless_of_format() {
        let a = SourceFile::from_text(
            "a.c",
            "int f(int x) { return x * 2 + 1; } int g(void) { return f(3) - 7; }",
            None,
        );
        let b = SourceFile::from_text(
            "b.c",
            "/* reformatted */\nint f(int x)\n{\n    return x * 2 + 1;\n}\n\nint g(void)\n{\n    return f(3) - 7;\n}\n",
            None,
        );
        let cfg = FingerprintConfig::default();
        let fa = index_fingerprints(&tokenize(&a).tokens, &cfg);
        assert!(!fa.is_empty());
        assert_eq!(fa, index_fingerprints(&tokenize(&b).tokens, &cfg));
        assert!(fa.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
    }
}
