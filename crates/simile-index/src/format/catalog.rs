//! Catalog files: what the index knows about each file id (path, size, mtime, content hash,
//! language, token and fingerprint counts, which segment holds its postings, live or removed).
//!
//! ```text
//! header (32 bytes) | records: one per file id, RECORD_LEN bytes | path bytes | footer (8 x u64)
//!
//! record  size u64 | mtime_ns i64 | content_hash u64 | path offset u64 | path length u32 |
//!         tokens u32 | fingerprints u32 | segment u32 | language u8 | flags u8 | 6 zero bytes
//! ```
//!
//! A catalog is small next to the postings (about 60 bytes plus the path per file), so it is
//! rewritten whole at each commit and verified whole when opened: `file(id)` then never meets
//! a damaged record. Removed files keep their record (their postings may still sit in a
//! segment until it is merged) but lose their path.

use super::{
    HEADER_LEN, HeaderError, check_footer, check_header, footer, header, read_u32, read_u64,
};
use crate::error::{Corruption, corrupt};
use memmap2::Mmap;
use simile::source::Language;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// First bytes of a catalog file.
pub const MAGIC: &[u8; 8] = b"SIMILEct";
const FOOTER_MAGIC: &[u8; 8] = b"SIMctEND";
const FOOTER_FIELDS: usize = 8;
const FOOTER_LEN: usize = FOOTER_FIELDS * 8;
/// Bytes per record.
pub const RECORD_LEN: usize = 56;
/// `segment` of a file that has no postings in any segment.
pub const NO_SEGMENT: u32 = u32::MAX;

const FLAG_LIVE: u8 = 1;

/// One file id's record, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// The file's path (empty for removed files).
    pub path: PathBuf,
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 if unknown).
    pub mtime_ns: i64,
    /// xxh3-64 of the file's bytes.
    pub content_hash: u64,
    /// Code tokens.
    pub tokens: u32,
    /// Distinct fingerprints indexed (= its postings).
    pub fingerprints: u32,
    /// Language it was tokenized as.
    pub language: Language,
    /// False once the file was removed or changed (a changed file gets a new id).
    pub live: bool,
    /// Id of the segment holding its postings, or [`NO_SEGMENT`].
    pub segment: u32,
}

/// The language's code on disk. Explicit, not the enum's order, so adding a language never
/// changes the meaning of existing indexes; a new variant fails to compile here until given a
/// code.
pub fn language_code(language: Language) -> u8 {
    match language {
        Language::C => 0,
        Language::Cpp => 1,
        Language::CSharp => 2,
        Language::Go => 3,
        Language::Java => 4,
        Language::JavaScript => 5,
        Language::TypeScript => 6,
        Language::Kotlin => 7,
        Language::Swift => 8,
        Language::Scala => 9,
        Language::Rust => 10,
        Language::Php => 11,
        Language::Python => 12,
        Language::Ruby => 13,
        Language::Shell => 14,
        Language::Perl => 15,
        Language::Text => 16,
    }
}

/// The language of a code, if valid.
pub fn language_from_code(code: u8) -> Option<Language> {
    Language::ALL
        .iter()
        .copied()
        .find(|&l| language_code(l) == code)
}

/// The result of writing a catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenCatalog {
    /// File size.
    pub bytes: u64,
    /// xxh3-64 of the whole file.
    pub checksum: u64,
}

/// Write `records` (indexed by file id) to `path` and make it durable.
pub fn write(path: &Path, records: &[FileRecord]) -> io::Result<WrittenCatalog> {
    let mut body = Vec::with_capacity(records.len() * RECORD_LEN);
    let mut heap = Vec::new();
    let mut live = 0u64;
    for r in records {
        let path_bytes: &[u8] = if r.live { path_bytes(&r.path) } else { &[] };
        let mut rec = [0u8; RECORD_LEN];
        rec[0..8].copy_from_slice(&r.size.to_le_bytes());
        rec[8..16].copy_from_slice(&r.mtime_ns.to_le_bytes());
        rec[16..24].copy_from_slice(&r.content_hash.to_le_bytes());
        rec[24..32].copy_from_slice(&(heap.len() as u64).to_le_bytes());
        rec[32..36].copy_from_slice(&(path_bytes.len() as u32).to_le_bytes());
        rec[36..40].copy_from_slice(&r.tokens.to_le_bytes());
        rec[40..44].copy_from_slice(&r.fingerprints.to_le_bytes());
        rec[44..48].copy_from_slice(&r.segment.to_le_bytes());
        rec[48] = language_code(r.language);
        rec[49] = if r.live { FLAG_LIVE } else { 0 };
        body.extend_from_slice(&rec);
        heap.extend_from_slice(path_bytes);
        live += u64::from(r.live);
    }
    let records_start = HEADER_LEN as u64;
    let heap_start = records_start + body.len() as u64;
    let heap_end = heap_start + heap.len() as u64;
    let mut sum = xxhash_rust::xxh3::Xxh3::new();
    sum.update(&body);
    sum.update(&heap);
    let fields: [u64; FOOTER_FIELDS] = [
        records.len() as u64,
        live,
        records_start,
        heap_start,
        heap_end,
        sum.digest(),
        0,
        0,
    ];
    let mut whole = xxhash_rust::xxh3::Xxh3::new();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let head = header(MAGIC, RECORD_LEN as u32);
    let foot = footer(fields, FOOTER_MAGIC);
    for part in [&head[..], &body, &heap, &foot] {
        out.write_all(part)?;
        whole.update(part);
    }
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(WrittenCatalog {
        bytes: heap_end + FOOTER_LEN as u64,
        checksum: whole.digest(),
    })
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> &[u8] {
    // Paths that are not Unicode cannot be stored on other platforms; they were skipped.
    path.to_str().map(str::as_bytes).unwrap_or_default()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// An open, fully verified catalog.
pub struct Catalog {
    map: Mmap,
    len: usize,
    live: usize,
    heap_start: usize,
    live_bits: Vec<u64>,
}

/// Why a catalog could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The file could not be read.
    Io(io::Error),
    /// Foreign file, other version, or damaged header.
    Header(HeaderError),
    /// A checksum or record is wrong.
    Corrupt(Corruption),
}

impl Catalog {
    /// Map `file` and verify all of it.
    pub fn open(file: &File) -> Result<Catalog, OpenError> {
        // SAFETY: as for segments, catalog files are never modified once written.
        let map = unsafe { Mmap::map(file) }.map_err(OpenError::Io)?;
        let record_len = check_header(&map, MAGIC).map_err(OpenError::Header)?;
        Catalog::verify(map, record_len).map_err(OpenError::Corrupt)
    }

    /// A catalog from bytes in memory (tests, fuzzing), verified as [`Catalog::open`] does.
    pub fn from_bytes(bytes: &[u8]) -> Result<Catalog, OpenError> {
        let mut anon = memmap2::MmapMut::map_anon(bytes.len().max(1)).map_err(OpenError::Io)?;
        anon[..bytes.len()].copy_from_slice(bytes);
        let map = anon.make_read_only().map_err(OpenError::Io)?;
        if bytes.len() < map.len() {
            // Only the empty input is padded; it is no catalog.
            return Err(OpenError::Header(HeaderError::Foreign));
        }
        let record_len = check_header(&map, MAGIC).map_err(OpenError::Header)?;
        Catalog::verify(map, record_len).map_err(OpenError::Corrupt)
    }

    fn verify(map: Mmap, record_len: u32) -> Result<Catalog, Corruption> {
        if record_len as usize != RECORD_LEN {
            return corrupt(format!("record length {record_len}, expected {RECORD_LEN}"));
        }
        let [n, live, records_start, heap_start, heap_end, sum, ..] =
            check_footer::<FOOTER_FIELDS>(&map, FOOTER_MAGIC)?;
        let end = (map.len() - FOOTER_LEN) as u64;
        if records_start != HEADER_LEN as u64
            || Some(heap_start) != n.checked_mul(RECORD_LEN as u64).map(|b| b + records_start)
            || heap_start > heap_end
            || heap_end != end
        {
            return corrupt("section sizes do not match the file count");
        }
        let body = &map[records_start as usize..heap_end as usize];
        if xxh3_64(body) != sum {
            return corrupt("checksum mismatch");
        }
        let (n, heap_start, heap_len) = (n as usize, heap_start as usize, heap_end - heap_start);
        let mut live_bits = vec![0u64; n.div_ceil(64)];
        let mut counted = 0usize;
        for id in 0..n {
            let rec = &map[HEADER_LEN + id * RECORD_LEN..][..RECORD_LEN];
            let (off, len) = (read_u64(rec, 24), u64::from(read_u32(rec, 32)));
            if off.checked_add(len).is_none_or(|e| e > heap_len)
                || language_from_code(rec[48]).is_none()
                || rec[49] & !FLAG_LIVE != 0
            {
                return corrupt(format!("record of file id {id} is invalid"));
            }
            if rec[49] & FLAG_LIVE != 0 {
                live_bits[id / 64] |= 1 << (id % 64);
                counted += 1;
            }
        }
        if counted as u64 != live {
            return corrupt("live file count does not match the records");
        }
        Ok(Catalog {
            map,
            len: n,
            live: counted,
            heap_start,
            live_bits,
        })
    }

    /// The raw bytes (for whole-file checksums).
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Number of file ids.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no file ids.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of live files.
    pub fn live_count(&self) -> usize {
        self.live
    }

    /// Whether `id` is a live file.
    #[inline]
    pub fn is_live(&self, id: u32) -> bool {
        let id = id as usize;
        id < self.len && self.live_bits[id / 64] & (1 << (id % 64)) != 0
    }

    /// Live bits, one per id (64 per word).
    pub fn live_bits(&self) -> &[u64] {
        &self.live_bits
    }

    fn raw(&self, id: u32) -> Option<&[u8]> {
        let id = id as usize;
        (id < self.len).then(|| &self.map[HEADER_LEN + id * RECORD_LEN..][..RECORD_LEN])
    }

    /// The fingerprint count of `id` without building a record.
    pub fn fingerprints(&self, id: u32) -> Option<u32> {
        self.raw(id).map(|r| read_u32(r, 40))
    }

    /// The content hash of `id` without building a record.
    pub fn content_hash(&self, id: u32) -> Option<u64> {
        self.raw(id).map(|r| read_u64(r, 16))
    }

    /// The segment holding the postings of `id`.
    pub fn segment(&self, id: u32) -> Option<u32> {
        self.raw(id).map(|r| read_u32(r, 44))
    }

    /// The record of `id` (live or not).
    pub fn record(&self, id: u32) -> Option<FileRecord> {
        let r = self.raw(id)?;
        let off = self.heap_start + read_u64(r, 24) as usize;
        let len = read_u32(r, 32) as usize;
        Some(FileRecord {
            path: path_from_bytes(&self.map[off..off + len]),
            size: read_u64(r, 0),
            mtime_ns: read_u64(r, 8) as i64,
            content_hash: read_u64(r, 16),
            tokens: read_u32(r, 36),
            fingerprints: read_u32(r, 40),
            // verified at open
            language: language_from_code(r[48]).unwrap_or(Language::Text),
            live: r[49] & FLAG_LIVE != 0,
            segment: read_u32(r, 44),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Vec<FileRecord> {
        (0..100u32)
            .map(|i| FileRecord {
                path: PathBuf::from(format!("/src/dir{}/file{i}.c", i % 7)),
                size: u64::from(i) * 1000,
                mtime_ns: 1_700_000_000_000_000_000 + i64::from(i),
                content_hash: u64::from(i).wrapping_mul(0x1234_5678_9abc_def1),
                tokens: i * 10,
                fingerprints: i * 2,
                language: Language::ALL[i as usize % Language::ALL.len()],
                live: i % 3 != 0,
                segment: i / 10,
            })
            .collect()
    }

    #[test]
    fn language_codes_are_distinct_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for l in Language::ALL {
            assert!(seen.insert(language_code(l)));
            assert_eq!(language_from_code(language_code(l)), Some(l));
        }
        assert_eq!(language_from_code(200), None);
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.cat");
        let recs = records();
        let written = write(&path, &recs).unwrap();
        assert_eq!(written.checksum, xxh3_64(&std::fs::read(&path).unwrap()));
        let cat = Catalog::open(&File::open(&path).unwrap()).unwrap();
        assert_eq!(cat.len(), 100);
        assert_eq!(cat.live_count(), recs.iter().filter(|r| r.live).count());
        for (id, r) in recs.iter().enumerate() {
            let got = cat.record(id as u32).unwrap();
            let mut want = r.clone();
            if !want.live {
                want.path = PathBuf::new();
            }
            assert_eq!(got, want);
            assert_eq!(cat.is_live(id as u32), r.live);
        }
        assert!(cat.record(100).is_none());
        assert!(!cat.is_live(100));
    }

    #[test]
    fn any_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.cat");
        write(&path, &records()).unwrap();
        let good = std::fs::read(&path).unwrap();
        for offset in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[offset] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            assert!(
                Catalog::open(&File::open(&path).unwrap()).is_err(),
                "flip at {offset}"
            );
        }
        std::fs::write(&path, &good[..good.len() - 3]).unwrap();
        assert!(Catalog::open(&File::open(&path).unwrap()).is_err());
    }
}
