//! The first step of `clones`: read every file once (in parallel), count its code, and index its
//! fingerprints on both channels. Tokens are dropped after this step: memory holds the
//! postings, not the files, and verification reads the files it needs again.

use super::blocks::{self, WithinBlock};
use super::{CloneCorpus, CloneOptions, Progress};
use crate::fingerprint::Channel;
use crate::search::memory::indexed_file;
use crate::search::query::FileCache;
use crate::search::verify::{CodeSize, code_size, left_out};
use crate::search::{
    BaseCode, FileId, IndexedFile, LoadedFile, MemoryIndex, channel_fingerprints_winnowed,
};
use crate::source::walk::{Skipped, load};
use rayon::prelude::*;
use std::sync::Arc;

/// What the rest of the run knows about one file that was read.
#[derive(Debug, Clone)]
pub(crate) struct FileFacts {
    /// Index of the file in [`CloneCorpus::files`].
    pub input: usize,
    /// The file as indexed (path, name, language, content hash, fingerprint count).
    pub indexed: IndexedFile,
    /// Lines of the file.
    pub lines: u32,
    /// Code tokens, imports and base code left out.
    pub tokens: u32,
    /// Lines with such a token.
    pub code_lines: u32,
    /// A key of the file's code (its counted tokens, as written), when it has at least
    /// [`MIN_IDENTICAL_TOKENS`]: files with equal keys hold identical code.
    pub code_key: Option<u64>,
}

/// The fewest code tokens that make two files of identical code a pair on that ground alone.
/// Fingerprints cannot see code shorter than a k-gram: OpenSSL's `pem/pem_x509.c` is one
/// macro call of 10 tokens (its includes do not count), identical in 1.1.1 and 3.6.
pub(crate) const MIN_IDENTICAL_TOKENS: u32 = 5;

impl FileFacts {
    /// The file's code as verification counts it (what [`code_size`] said when it was read).
    pub fn code_size(&self) -> CodeSize {
        CodeSize {
            tokens: self.tokens,
            lines: self.code_lines,
        }
    }
}

/// Every file read, indexed on both channels.
pub(crate) struct Corpus {
    /// By file id (ids follow the order of the inputs that could be read).
    pub files: Vec<FileFacts>,
    /// Postings of the exact channel.
    pub exact: MemoryIndex,
    /// Postings of the normalized channel (empty without `align.renames`).
    pub normalized: MemoryIndex,
    /// Each file's exact fingerprints, base code removed.
    pub exact_fingerprints: Vec<Vec<u64>>,
    /// Each file's normalized fingerprints (empty without `align.renames`).
    pub normalized_fingerprints: Vec<Vec<u64>>,
    /// Each file's duplicated blocks within itself (empty without `--fragments`).
    pub within: Vec<Vec<WithinBlock>>,
    /// Files that could not be read.
    pub skipped: Vec<Skipped>,
}

/// One file after reading.
struct Read {
    facts: FileFacts,
    exact: Vec<u64>,
    normalized: Vec<u64>,
    within: Vec<WithinBlock>,
    /// The file itself, kept for verification when the cache had room for it.
    loaded: Option<Arc<LoadedFile>>,
}

/// Read, tokenize and fingerprint every file of `corpus`.
pub(crate) fn read(
    corpus: &CloneCorpus<'_>,
    base: &BaseCode,
    options: &CloneOptions,
    cache: &FileCache,
    progress: &dyn Progress,
) -> Corpus {
    let config = options.align.fingerprint;
    progress.stage("reading", corpus.files.len());
    let results: Vec<Result<Read, Skipped>> = corpus
        .files
        .par_iter()
        .enumerate()
        .map(|(input, file)| {
            let read = read_one(input, &file.file, corpus, base, options, cache);
            progress.tick();
            read
        })
        .collect();

    let mut files = Vec::with_capacity(results.len());
    let mut exact_entries = Vec::with_capacity(results.len());
    let mut normalized_entries = Vec::new();
    let mut exact_fingerprints = Vec::with_capacity(results.len());
    let mut normalized_fingerprints = Vec::with_capacity(results.len());
    let mut within = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(read) => {
                if let Some(loaded) = read.loaded {
                    cache.insert(files.len() as FileId, loaded);
                }
                let mut indexed = read.facts.indexed.clone();
                indexed.fingerprints = read.exact.len() as u32;
                exact_entries.push((indexed.clone(), read.exact.clone()));
                if normalized_channel(options) {
                    indexed.fingerprints = read.normalized.len() as u32;
                    normalized_entries.push((indexed, read.normalized.clone()));
                }
                exact_fingerprints.push(read.exact);
                normalized_fingerprints.push(read.normalized);
                within.push(read.within);
                files.push(read.facts);
            }
            Err(skip) => skipped.push(skip),
        }
    }
    // The two channels' postings are sorted independently: on two cores, side by side (each
    // sort is parallel too, but most of building an index is not: on zstd's `lib/` building
    // both took 10-14 ms of the 65 ms of reading, one after the other).
    let (exact, normalized) = rayon::join(
        || MemoryIndex::from_entries(config, exact_entries),
        || MemoryIndex::from_entries(config, normalized_entries),
    );
    Corpus {
        files,
        exact,
        normalized,
        exact_fingerprints,
        normalized_fingerprints,
        within,
        skipped,
    }
}

fn read_one(
    input: usize,
    file: &crate::source::walk::WalkedFile,
    corpus: &CloneCorpus<'_>,
    base: &BaseCode,
    options: &CloneOptions,
    cache: &FileCache,
) -> Result<Read, Skipped> {
    let config = &options.align.fingerprint;
    let loaded = LoadedFile::new(load(file, corpus.walk)?);
    let (source, tokens) = (&loaded.source, &loaded.tokens);
    // The alignment data every verification of this file needs holds its winnowed k-grams:
    // prepared now, they are fingerprinted once.
    let prepared = loaded.prepared(&options.align);
    let fingerprints = |channel| {
        channel_fingerprints_winnowed(&tokens.tokens, config, channel, prepared.winnowed(channel))
    };
    let mut exact = fingerprints(Channel::Exact);
    let indexed = indexed_file(source, tokens, file.mtime, exact.len());
    // Base code never makes a pair: its fingerprints are neither indexed nor looked up.
    exact.retain(|&h| !base.contains(h));
    let normalized = if normalized_channel(options) {
        fingerprints(Channel::Normalized)
    } else {
        Vec::new()
    };
    let size = code_size(&tokens.tokens, base);
    let code_key = (size.tokens >= MIN_IDENTICAL_TOKENS).then(|| code_key(&tokens.tokens, base));
    let within = if options.fragments {
        let side = crate::align::Side {
            tokens: &tokens.tokens,
            text: &source.text,
            lines: &source.lines,
        };
        blocks::within_file(side, base, options.min_tokens, config)
    } else {
        Vec::new()
    };
    let facts = FileFacts {
        input,
        indexed,
        lines: source.line_count(),
        tokens: size.tokens,
        code_lines: size.lines,
        code_key,
    };
    // Verification reads the files again unless they are kept: keep what the cache can hold.
    let loaded = cache
        .reserve(loaded.approx_bytes())
        .then(|| Arc::new(loaded));
    Ok(Read {
        facts,
        exact,
        normalized,
        within,
        loaded,
    })
}

/// A hash of the exact hashes of the tokens that count (imports and base code left out).
fn code_key(tokens: &[crate::lex::Token], base: &BaseCode) -> u64 {
    let left = left_out(tokens, base);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (i, t) in tokens.iter().enumerate() {
        if !left.contains(i) {
            hasher.update(&t.exact.to_le_bytes());
        }
    }
    hasher.digest()
}

/// Whether candidates come from the normalized channel too: whenever renamed code is looked for
/// (how much of it makes a candidate is the pairing's business).
fn normalized_channel(options: &CloneOptions) -> bool {
    options.align.renames
}

impl Corpus {
    /// The number of files read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> &FileFacts {
        &self.files[id as usize]
    }
}
