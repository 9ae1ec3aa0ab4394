//! The in-memory index: the postings of a directory tree, built in parallel for one run of
//! `find --in DIR` (and, later, `clones`).
//!
//! Layout (compressed sparse rows): the distinct fingerprints sorted in `keys`, the files
//! holding `keys[i]` in `ids[offsets[i]..offsets[i + 1]]` (ascending), and a table of the first
//! key of every 2^16-th slice of the hash space, so a lookup is one table read and a binary
//! search over a few entries (hashes are uniformly mixed). It costs 12 bytes per posting while
//! building (one sort of `(hash, file)` pairs) and about 4 per posting after.
//!
//! Invariant: file ids are dense, `0..files.len()`, in the walk's path order, so the same tree
//! gives the same ids and the same results on every run.

use super::{FileId, IndexedFile, PostingsSource, index_fingerprints};
use crate::fingerprint::FingerprintConfig;
use crate::lex::{TokenizedFile, tokenize};
use crate::source::SourceFile;
use crate::source::walk::{Skipped, Walk, WalkOptions, WalkedFile, load};
use rayon::prelude::*;

const BUCKET_BITS: u32 = 16;

/// An index of files held in memory. See the module documentation.
#[derive(Debug, Clone)]
pub struct MemoryIndex {
    config: FingerprintConfig,
    files: Vec<IndexedFile>,
    keys: Vec<u64>,
    offsets: Vec<usize>,
    ids: Vec<FileId>,
    /// `buckets[b]` = index in `keys` of the first key whose top bits are at least `b`.
    buckets: Vec<u32>,
    /// File ids by content hash, sorted: byte-identical files.
    by_content: Vec<(u64, FileId)>,
    /// (fingerprint, file) pairs and distinct fingerprints of the whole tree, which a
    /// [`MemoryIndex::build_for`] index holds postings for only in part.
    totals: (u64, u64),
}

/// The fingerprints a [`MemoryIndex::build_for`] keeps postings for: those of the queries.
///
/// Every fingerprint of the tree is tested against it, so a test is a bitmap probe (most
/// fingerprints are not the queries') before a hash set's.
#[derive(Debug, Clone)]
pub struct FingerprintFilter {
    bitmap: Vec<u64>,
    set: foldhash::HashSet<u64>,
}

/// Bits of [`FingerprintFilter`]'s bitmap (8 KiB: in the first-level cache).
const FILTER_BITS: usize = 1 << 16;

impl FingerprintFilter {
    /// A filter keeping exactly `fingerprints`.
    pub fn new(fingerprints: impl IntoIterator<Item = u64>) -> FingerprintFilter {
        let mut filter = FingerprintFilter {
            bitmap: vec![0; FILTER_BITS / 64],
            set: foldhash::HashSet::default(),
        };
        for h in fingerprints {
            let bit = Self::bit(h);
            filter.bitmap[bit / 64] |= 1 << (bit % 64);
            filter.set.insert(h);
        }
        filter
    }

    /// Whether `fingerprint` is kept.
    pub fn contains(&self, fingerprint: u64) -> bool {
        let bit = Self::bit(fingerprint);
        self.bitmap[bit / 64] & (1 << (bit % 64)) != 0 && self.set.contains(&fingerprint)
    }

    /// The bitmap bit of a fingerprint: its low bits (winnowing keeps small hashes, so the top
    /// bits are skewed; the low ones are not).
    fn bit(fingerprint: u64) -> usize {
        fingerprint as usize & (FILTER_BITS - 1)
    }
}

/// Sizes of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexStats {
    /// Files indexed.
    pub files: u64,
    /// Files with at least one fingerprint (the others can never be found).
    pub searchable_files: u64,
    /// Code tokens of all files.
    pub tokens: u64,
    /// (fingerprint, file) pairs.
    pub postings: u64,
    /// Distinct fingerprints.
    pub distinct_fingerprints: u64,
}

/// The index entry of one file and the fingerprints to index for it.
pub fn index_entry(
    source: &SourceFile,
    tokens: &TokenizedFile,
    config: &FingerprintConfig,
    mtime: Option<std::time::SystemTime>,
) -> (IndexedFile, Vec<u64>) {
    let fingerprints = index_fingerprints(&tokens.tokens, config);
    let file = indexed_file(source, tokens, mtime, fingerprints.len());
    (file, fingerprints)
}

/// The index entry of a file of `fingerprints` fingerprints.
pub(crate) fn indexed_file(
    source: &SourceFile,
    tokens: &TokenizedFile,
    mtime: Option<std::time::SystemTime>,
    fingerprints: usize,
) -> IndexedFile {
    let mtime_ns = mtime
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64);
    IndexedFile {
        path: source.path.clone(),
        name: source.name.clone(),
        language: source.language,
        size: source.size,
        mtime_ns,
        content_hash: source.content_hash,
        tokens: tokens.tokens.len() as u32,
        fingerprints: fingerprints as u32,
    }
}

impl MemoryIndex {
    /// Read, tokenize and fingerprint every file of `walk` in parallel, and index them.
    /// Files that cannot be read (vanished, binary, minified...) are returned as skipped;
    /// `progress` is called once per file walked.
    pub fn build(
        walk: &Walk,
        options: &WalkOptions,
        config: FingerprintConfig,
        progress: &(dyn Fn() + Sync),
    ) -> (MemoryIndex, Vec<Skipped>) {
        let (entries, skipped) = load_entries(walk, options, &config, progress);
        (MemoryIndex::from_entries(config, entries), skipped)
    }

    /// [`MemoryIndex::build`] for searching known queries: postings are kept only for the
    /// fingerprints in `filter` (the queries' [`index_fingerprints`]); any other fingerprint
    /// looks absent. The files, their fingerprint counts and [`MemoryIndex::stats`] are those
    /// of the whole tree, so a search for those queries gives the same answers as over the
    /// full index.
    ///
    /// Indexing a tree for one query mostly sorted postings no query would look up: for one
    /// file searched in a 479 MB tree (12.4 million postings) this took 18% less time (2.89 ->
    /// 2.36 s on two cores) and 37% less memory (583 -> 366 MB).
    pub fn build_for(
        walk: &Walk,
        options: &WalkOptions,
        config: FingerprintConfig,
        filter: &FingerprintFilter,
        progress: &(dyn Fn() + Sync),
    ) -> (MemoryIndex, Vec<Skipped>) {
        let (entries, skipped) = load_entries(walk, options, &config, progress);
        (
            MemoryIndex::from_entries_for(config, entries, filter),
            skipped,
        )
    }

    /// [`MemoryIndex::from_entries`], keeping postings only for the fingerprints in `filter`
    /// (see [`MemoryIndex::build_for`]).
    pub fn from_entries_for(
        config: FingerprintConfig,
        entries: Vec<(IndexedFile, Vec<u64>)>,
        filter: &FingerprintFilter,
    ) -> Self {
        let totals = totals(&entries);
        let kept: Vec<(IndexedFile, Vec<u64>)> = entries
            .into_par_iter()
            .map(|(file, fingerprints)| {
                let kept = fingerprints
                    .into_iter()
                    .filter(|&h| filter.contains(h))
                    .collect();
                (file, kept)
            })
            .collect();
        MemoryIndex {
            totals,
            ..MemoryIndex::from_entries(config, kept)
        }
    }

    /// Index files whose fingerprints are already computed ([`index_entry`]). File ids follow
    /// the order of `entries`.
    pub fn from_entries(config: FingerprintConfig, entries: Vec<(IndexedFile, Vec<u64>)>) -> Self {
        let total: usize = entries.iter().map(|(_, f)| f.len()).sum();
        let mut pairs: Vec<(u64, FileId)> = Vec::with_capacity(total);
        let mut files = Vec::with_capacity(entries.len());
        for (id, (file, fingerprints)) in entries.into_iter().enumerate() {
            pairs.extend(fingerprints.into_iter().map(|h| (h, id as FileId)));
            files.push(file);
        }
        pairs.par_sort_unstable();
        // A file's fingerprints are distinct, so no (hash, file) pair repeats.
        let mut keys = Vec::new();
        let mut offsets = Vec::new();
        let mut ids = Vec::with_capacity(pairs.len());
        for (i, &(hash, id)) in pairs.iter().enumerate() {
            if i == 0 || pairs[i - 1].0 != hash {
                keys.push(hash);
                offsets.push(ids.len());
            }
            ids.push(id);
        }
        offsets.push(ids.len());
        drop(pairs);
        let buckets = bucket_table(&keys);
        let mut by_content: Vec<(u64, FileId)> = files
            .iter()
            .enumerate()
            .map(|(id, f)| (f.content_hash, id as FileId))
            .collect();
        by_content.sort_unstable();
        let totals = (ids.len() as u64, keys.len() as u64);
        MemoryIndex {
            config,
            files,
            keys,
            offsets,
            ids,
            buckets,
            by_content,
            totals,
        }
    }

    /// The indexed files, by id.
    pub fn files(&self) -> &[IndexedFile] {
        &self.files
    }

    /// Sizes of the index.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            files: self.files.len() as u64,
            searchable_files: self.files.iter().filter(|f| f.fingerprints > 0).count() as u64,
            tokens: self.files.iter().map(|f| f.tokens as u64).sum(),
            postings: self.totals.0,
            distinct_fingerprints: self.totals.1,
        }
    }

    /// Every fingerprint with the files holding it, in hash order: what `clones` walks to find
    /// pairs of files without enumerating all pairs.
    pub fn postings_lists(&self) -> impl Iterator<Item = (u64, &[FileId])> + '_ {
        self.keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, &self.ids[self.offsets[i]..self.offsets[i + 1]]))
    }

    fn find_key(&self, hash: u64) -> Option<usize> {
        let b = (hash >> (64 - BUCKET_BITS)) as usize;
        let (lo, hi) = (self.buckets[b] as usize, self.buckets[b + 1] as usize);
        self.keys[lo..hi].binary_search(&hash).ok().map(|i| lo + i)
    }
}

/// Every file of `walk` read, tokenized and fingerprinted in parallel, in walk order, and the
/// files skipped.
fn load_entries(
    walk: &Walk,
    options: &WalkOptions,
    config: &FingerprintConfig,
    progress: &(dyn Fn() + Sync),
) -> (Vec<(IndexedFile, Vec<u64>)>, Vec<Skipped>) {
    let loaded: Vec<Result<(IndexedFile, Vec<u64>), Skipped>> = walk
        .files
        .par_iter()
        .map(|file| {
            let entry = load_entry(file, options, config);
            progress();
            entry
        })
        .collect();
    let mut entries = Vec::with_capacity(loaded.len());
    let mut skipped = Vec::new();
    for r in loaded {
        match r {
            Ok(e) => entries.push(e),
            Err(s) => skipped.push(s),
        }
    }
    (entries, skipped)
}

/// (fingerprint, file) pairs and distinct fingerprints of `entries`.
///
/// Counted without sorting: the fingerprints are dealt into partitions by their low bits
/// (uniform; winnowing keeps small hashes, so only the top bits are skewed), and each
/// partition's distinct values are counted in a hash set small enough for the cache. On the
/// 479 MB tree (12.4 million fingerprints) sorting them all took 331 ms, this 110-120 ms (64
/// partitions gave the same, 1,024 took 155 ms).
fn totals(entries: &[(IndexedFile, Vec<u64>)]) -> (u64, u64) {
    const PARTS: usize = 256;
    const FILES_PER_TASK: usize = 1024;
    let dealt: Vec<Vec<Vec<u64>>> = entries
        .par_chunks(FILES_PER_TASK)
        .map(|files| {
            let mut parts = vec![Vec::new(); PARTS];
            for &h in files.iter().flat_map(|(_, fingerprints)| fingerprints) {
                parts[h as usize % PARTS].push(h);
            }
            parts
        })
        .collect();
    let distinct: usize = (0..PARTS)
        .into_par_iter()
        .map(|part| {
            let len = dealt.iter().map(|parts| parts[part].len()).sum();
            let mut seen = foldhash::HashSet::with_capacity_and_hasher(len, Default::default());
            for parts in &dealt {
                seen.extend(parts[part].iter().copied());
            }
            seen.len()
        })
        .sum();
    let postings: usize = entries.iter().map(|(_, f)| f.len()).sum();
    (postings as u64, distinct as u64)
}

fn load_entry(
    file: &WalkedFile,
    options: &WalkOptions,
    config: &FingerprintConfig,
) -> Result<(IndexedFile, Vec<u64>), Skipped> {
    let source = load(file, options)?;
    let tokens = tokenize(&source);
    Ok(index_entry(&source, &tokens, config, file.mtime))
}

fn bucket_table(keys: &[u64]) -> Vec<u32> {
    let n = 1usize << BUCKET_BITS;
    let mut buckets = vec![0u32; n + 1];
    let mut k = 0usize;
    for (b, slot) in buckets.iter_mut().enumerate().take(n) {
        while k < keys.len() && ((keys[k] >> (64 - BUCKET_BITS)) as usize) < b {
            k += 1;
        }
        *slot = k as u32;
    }
    buckets[n] = keys.len() as u32;
    buckets
}

impl PostingsSource for MemoryIndex {
    fn fingerprint_config(&self) -> FingerprintConfig {
        self.config
    }

    fn file_count(&self) -> usize {
        self.files.len()
    }

    fn file(&self, id: FileId) -> Option<IndexedFile> {
        self.files.get(id as usize).cloned()
    }

    fn postings(&self, hash: u64, limit: usize, out: &mut Vec<FileId>) -> usize {
        self.visit_postings(hash, limit, &mut Vec::new(), &mut |list| {
            out.extend_from_slice(list)
        })
    }

    fn visit_postings(
        &self,
        hash: u64,
        limit: usize,
        _scratch: &mut Vec<FileId>,
        visit: &mut dyn FnMut(&[FileId]),
    ) -> usize {
        let Some(i) = self.find_key(hash) else {
            return 0;
        };
        let list = &self.ids[self.offsets[i]..self.offsets[i + 1]];
        if list.len() <= limit {
            visit(list);
        }
        list.len()
    }

    fn fingerprint_count(&self, id: FileId) -> Option<u32> {
        self.files.get(id as usize).map(|f| f.fingerprints)
    }

    fn files_with_content(&self, content_hash: u64, out: &mut Vec<FileId>) {
        let start = self.by_content.partition_point(|&(h, _)| h < content_hash);
        out.extend(
            self.by_content[start..]
                .iter()
                .take_while(|&&(h, _)| h == content_hash)
                .map(|&(_, id)| id),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Language;

    fn entry(name: &str, fps: Vec<u64>) -> (IndexedFile, Vec<u64>) {
        (
            IndexedFile {
                path: name.into(),
                name: name.into(),
                language: Language::Text,
                size: 0,
                mtime_ns: 0,
                content_hash: fps.len() as u64,
                tokens: 0,
                fingerprints: fps.len() as u32,
            },
            fps,
        )
    }

    #[test]
    fn postings_are_exact_including_extreme_hashes() {
        let index = MemoryIndex::from_entries(
            FingerprintConfig::default(),
            vec![
                entry("a", vec![0, 5, u64::MAX]),
                entry("b", vec![5, 1 << 63, u64::MAX]),
                entry("c", vec![]),
                entry("d", vec![5]),
            ],
        );
        let mut out = Vec::new();
        assert_eq!(index.postings(5, 10, &mut out), 3);
        assert_eq!(out, [0, 1, 3]);
        out.clear();
        assert_eq!(index.postings(5, 2, &mut out), 3, "counted, not listed");
        assert!(out.is_empty());
        assert_eq!(index.postings(u64::MAX, 10, &mut out), 2);
        assert_eq!(index.postings(0, 10, &mut out), 1);
        assert_eq!(index.postings(1 << 63, 10, &mut out), 1);
        assert_eq!(index.postings(6, 10, &mut out), 0);
        assert_eq!(out, [0, 1, 0, 1]);
        let stats = index.stats();
        assert_eq!(
            (stats.files, stats.searchable_files, stats.postings),
            (4, 3, 7)
        );
        assert_eq!(stats.distinct_fingerprints, 4);
        assert_eq!(index.postings_lists().count(), 4);
        assert_eq!(index.fingerprint_count(1), Some(3));
        assert_eq!(index.file(2).unwrap().name, "c");
        assert_eq!(index.file(4), None);
        // content hashes in this toy are the fingerprint counts: 3, 3, 0, 1
        let mut same = Vec::new();
        index.files_with_content(3, &mut same);
        assert_eq!(same, [0, 1]);
        index.files_with_content(2, &mut same);
        assert_eq!(same.len(), 2);
    }

    #[test]
    fn builds_from_a_tree_and_reports_skips() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(
            p.join("a.c"),
            "int add(int a, int b) { return a + b; } int sub(int a, int b) { return a - b; }\n",
        )
        .unwrap();
        std::fs::write(p.join("b.bin"), b"\x00\x01binary").unwrap();
        std::fs::write(p.join("empty.py"), "").unwrap();
        let options = WalkOptions::default();
        let walk = crate::source::walk::walk(&[p.to_path_buf()], &options).unwrap();
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let (index, skipped) =
            MemoryIndex::build(&walk, &options, FingerprintConfig::default(), &|| {
                seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
        assert_eq!(seen.into_inner(), 3);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].reason, crate::source::walk::SkipReason::Binary);
        let names: Vec<&str> = index
            .files()
            .iter()
            .map(|f| f.path.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a.c", "empty.py"]);
        assert!(index.files()[0].fingerprints > 0);
        assert_eq!(index.files()[1].fingerprints, 0);
        assert_eq!(index.stats().searchable_files, 1);
    }

    #[test]
    fn an_index_for_the_queries_answers_them_as_the_full_index_does() {
        use crate::search::{BaseCode, SearchOptions, Searcher};
        use crate::source::{ReadOptions, read_source};
        // The test data: 53 files of 16 languages, with version pairs.
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        let options = WalkOptions::default();
        let walk = crate::source::walk::walk(&[data], &options).unwrap();
        let config = FingerprintConfig::default();
        // Queries in the tree (never their own match) and one outside it.
        let mut queries: Vec<SourceFile> = walk
            .files
            .iter()
            .step_by(5)
            .map(|f| read_source(&f.path, &ReadOptions::default()).unwrap())
            .collect();
        let edited = queries[1].text.replacen('a', "b", 3);
        queries.push(SourceFile::from_text("edited.c", &edited, None));
        let tokenized: Vec<TokenizedFile> = queries.iter().map(tokenize).collect();
        let filter = FingerprintFilter::new(
            tokenized
                .iter()
                .flat_map(|t| index_fingerprints(&t.tokens, &config)),
        );

        let (full, _) = MemoryIndex::build(&walk, &options, config, &|| {});
        let (focused, _) = MemoryIndex::build_for(&walk, &options, config, &filter, &|| {});
        assert_eq!(focused.stats(), full.stats());
        assert!(full.stats().distinct_fingerprints < full.stats().postings);
        assert_eq!(focused.files(), full.files());
        // Only the queries' fingerprints have postings, the same as in the full index.
        let (mut kept, mut dropped) = (0, 0);
        for (hash, ids) in full.postings_lists() {
            let mut out = Vec::new();
            let found = focused.postings(hash, usize::MAX, &mut out);
            if filter.contains(hash) {
                assert_eq!((found, &out[..]), (ids.len(), ids));
                kept += 1;
            } else {
                assert_eq!(found, 0);
                dropped += 1;
            }
        }
        assert!(kept > 100 && dropped > kept, "{kept} {dropped}");

        let base = BaseCode::none();
        let mut matched = 0;
        for (query, tokens) in queries.iter().zip(&tokenized) {
            let search = |index: &MemoryIndex| {
                let searcher = Searcher::new(index, SearchOptions::default(), &base);
                let result = searcher
                    .search(query, tokens, &mut searcher.scratch())
                    .result;
                serde_json::to_value(result).unwrap()
            };
            let expected = search(&full);
            assert_eq!(search(&focused), expected, "{}", query.name);
            matched += usize::from(!expected["matches"].as_array().unwrap().is_empty());
        }
        assert!(matched >= 5, "{matched} queries found a match");
    }
}
