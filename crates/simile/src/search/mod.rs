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

use crate::fingerprint::{FingerprintConfig, kgram_hashes, winnow};
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
pub fn index_fingerprints(tokens: &[Token], config: &FingerprintConfig) -> Vec<u64> {
    let hashes: Vec<u64> = tokens.iter().map(|t| t.exact).collect();
    let kgrams = kgram_hashes(&hashes, config.k);
    // imports_before[i] = import tokens among tokens[..i]
    let mut imports_before = Vec::with_capacity(tokens.len() + 1);
    imports_before.push(0u32);
    for t in tokens {
        let last = *imports_before.last().unwrap_or(&0);
        imports_before.push(last + t.flags.has(TokenFlags::IMPORT) as u32);
    }
    let mut out: Vec<u64> = winnow(&kgrams, config.w)
        .into_iter()
        .filter(|f| {
            let (start, end) = (f.pos as usize, f.pos as usize + config.k);
            imports_before[end] == imports_before[start]
        })
        .map(|f| f.hash)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    #[test]
    fn imports_never_count() {
        let includes: String = (0..40)
            .map(|i| format!("#include \"header{i}.h\"\n"))
            .collect();
        let only_includes = SourceFile::from_text("a.c", &includes, None);
        let cfg = FingerprintConfig::default();
        assert!(index_fingerprints(&tokenize(&only_includes).tokens, &cfg).is_empty());

        let python = SourceFile::from_text(
            "a.py",
            "import os\nimport sys\nfrom a.b import (c,\n  d)\n",
            None,
        );
        assert!(
            index_fingerprints(&tokenize(&python).tokens, &FingerprintConfig { k: 3, w: 2 })
                .is_empty()
        );
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
