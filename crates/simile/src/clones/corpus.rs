//! The first step of `clones`: read every file once (in parallel), count its code, and index its
//! fingerprints on both channels. Copies of a file (the same bytes under other paths) are
//! tokenized and fingerprinted once. Files are kept for verification as far as the cache's
//! budget allows; verification reads the others again.

use super::blocks::{self, WithinBlock};
use super::{CloneCorpus, CloneOptions, Progress};
use crate::fingerprint::Channel;
use crate::search::memory::indexed_file;
use crate::search::query::FileCache;
use crate::search::verify::{CodeSize, code_size, left_out};
use crate::search::{
    BaseCode, FileId, IndexedFile, LoadedFile, MemoryIndex, channel_fingerprints_winnowed,
};
use crate::source::ContentKey;
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

/// What follows from a file's contents alone, the same for every copy of it.
#[derive(Clone)]
struct Contents {
    /// Exact fingerprints, base code left out.
    exact: Vec<u64>,
    /// Exact fingerprints before base code was left out.
    exact_count: usize,
    normalized: Vec<u64>,
    within: Vec<WithinBlock>,
    size: CodeSize,
    code_key: Option<u64>,
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
    let mut results: Vec<(usize, Result<Read, Skipped>)> = copy_groups(corpus)
        .par_iter()
        .flat_map_iter(|group| read_group(group, corpus, base, options, cache, progress))
        .collect();
    results.sort_unstable_by_key(|(input, _)| *input);

    let mut files = Vec::with_capacity(results.len());
    let mut exact_entries = Vec::with_capacity(results.len());
    let mut normalized_entries = Vec::new();
    let mut exact_fingerprints = Vec::with_capacity(results.len());
    let mut normalized_fingerprints = Vec::with_capacity(results.len());
    let mut within = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for (_, result) in results {
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

/// The inputs grouped so that copies fall in one group: files of the same size on disk (as
/// the walk saw it) and the same bytes hash, each group in input order, the groups in the
/// order of their first file. A group is read by one thread, which tokenizes each distinct
/// content once. Only files sharing their size with another are read for the hash: reading a
/// file twice costs far less than tokenizing it again (`/usr/include`: 0.53 s of CPU less in
/// all, 4.36 -> 3.83 s, the hashing included).
fn copy_groups(corpus: &CloneCorpus<'_>) -> Vec<Vec<usize>> {
    let mut by_size: foldhash::HashMap<u64, Vec<usize>> = Default::default();
    for (input, file) in corpus.files.iter().enumerate() {
        by_size.entry(file.file.size).or_default().push(input);
    }
    let hash_of = |input: usize| {
        // As reading it will: a regular file only (a FIFO must not hang), within the size limit.
        crate::source::read_regular(&corpus.files[input].file.path, corpus.walk.max_size)
            .map(|bytes| xxhash_rust::xxh3::xxh3_64(&bytes))
            .ok()
    };
    let mut groups: Vec<Vec<usize>> = by_size
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .flat_map_iter(|same_size| {
            if same_size.len() == 1 {
                return vec![same_size];
            }
            let mut by_hash: foldhash::HashMap<u64, Vec<usize>> = Default::default();
            let mut groups = Vec::new();
            for input in same_size {
                match hash_of(input) {
                    Some(hash) => by_hash.entry(hash).or_default().push(input),
                    // Unreadable now: it stands alone (reading it again reports why).
                    None => groups.push(vec![input]),
                }
            }
            groups.extend(by_hash.into_values());
            groups
        })
        .collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

/// Read the files of one group of [`copy_groups`]. A file holding the same bytes as one read
/// before it in the group (a vendored copy), read as the same language, takes that file's
/// tokens, fingerprints and alignment data instead of being tokenized and fingerprinted
/// again: `/usr/include` holds 2,045 such copies among its 7,911 files, 41% of its bytes.
fn read_group(
    group: &[usize],
    corpus: &CloneCorpus<'_>,
    base: &BaseCode,
    options: &CloneOptions,
    cache: &FileCache,
    progress: &dyn Progress,
) -> Vec<(usize, Result<Read, Skipped>)> {
    let mut firsts: Vec<(ContentKey, Arc<LoadedFile>, Contents)> = Vec::new();
    let mut read_input = |input: usize| -> Result<Read, Skipped> {
        let file = &corpus.files[input].file;
        let source = load(file, corpus.walk)?;
        let key = source.content_key();
        let (loaded, contents) = match firsts.iter().find(|(k, ..)| *k == key) {
            Some((_, first, contents)) => (
                Arc::new(LoadedFile::copy_of(first, source)),
                contents.clone(),
            ),
            None => {
                let loaded = Arc::new(LoadedFile::new(source));
                let contents = contents_of(&loaded, base, options);
                if group.len() > 1 {
                    firsts.push((key, loaded.clone(), contents.clone()));
                }
                (loaded, contents)
            }
        };
        Ok(finish_read(input, file, loaded, contents, cache))
    };
    group
        .iter()
        .map(|&input| {
            let read = read_input(input);
            progress.tick();
            (input, read)
        })
        .collect()
}

/// Fingerprints, code size and duplicated blocks of a file just tokenized.
fn contents_of(loaded: &LoadedFile, base: &BaseCode, options: &CloneOptions) -> Contents {
    let config = &options.align.fingerprint;
    let (source, tokens) = (&loaded.source, &loaded.tokens);
    // The alignment data every verification of this file needs holds its winnowed k-grams:
    // prepared now, they are fingerprinted once.
    let prepared = loaded.prepared(&options.align);
    let fingerprints = |channel| {
        channel_fingerprints_winnowed(&tokens.tokens, config, channel, prepared.winnowed(channel))
    };
    let mut exact = fingerprints(Channel::Exact);
    let exact_count = exact.len();
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
    Contents {
        exact,
        exact_count,
        normalized,
        within,
        size,
        code_key,
    }
}

/// A file's facts under its own path, and the file itself if the cache has room for it.
fn finish_read(
    input: usize,
    file: &crate::source::walk::WalkedFile,
    loaded: Arc<LoadedFile>,
    contents: Contents,
    cache: &FileCache,
) -> Read {
    let (source, tokens) = (&loaded.source, &loaded.tokens);
    let facts = FileFacts {
        input,
        indexed: indexed_file(source, tokens, file.mtime, contents.exact_count),
        lines: source.line_count(),
        tokens: contents.size.tokens,
        code_lines: contents.size.lines,
        code_key: contents.code_key,
    };
    // Verification reads the files again unless they are kept: keep what the cache can hold.
    let loaded = cache.reserve(loaded.approx_bytes()).then_some(loaded);
    Read {
        facts,
        exact: contents.exact,
        normalized: contents.normalized,
        within: contents.within,
        loaded,
    }
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
