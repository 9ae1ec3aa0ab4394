//! Segment files: an immutable map from fingerprint to the sorted ids of the files holding it.
//!
//! ```text
//! header (32 bytes) | key blocks | long lists | block directory | footer (16 x u64)
//!
//! key block   [u32 checksum of the rest][varint n][varint lists_base][varint keys_len]
//!   keys      n - 1 varints: key - previous key (the first key is in the directory)
//!   entries   n of: [varint count]
//!             count <= inline_max: count file ids (the first as is, then gaps)
//!             otherwise: [varint byte length of its long list]
//! long list   [u32 checksum of the rest][file ids: the first as is, then gaps]
//!             at lists_start + lists_base + the lengths of the block's earlier long lists
//! directory   one (u64 first key, u64 block offset) per block, binary-searched
//! ```
//!
//! Why this shape:
//! - A lookup narrows the directory with a radix table built at open (the top bits of the key
//!   give the range of blocks to binary-search), then scans the key gaps of one block; only
//!   when the key is there does it step over the entries before it to its own. Keys are
//!   uniformly spread 64-bit hashes, so gaps take 5-6 bytes at tens of millions of keys.
//! - The document frequency sits next to the key: a fingerprint held by 50,000 files is counted
//!   by reading its block, never its 50,000 ids (`PostingsSource::postings` with a limit).
//! - Short lists (most fingerprints are held by one to a few files) are inline; long ones are
//!   apart, each with its own checksum, so counting never reads them and reading them verifies
//!   exactly what is read.
//! - Every block and long list is checksummed and verified each time it is decoded, and the
//!   header, footer and directory when the file is opened: a flipped bit anywhere gives an
//!   error, never a wrong posting. Opening costs no full read of the file.

use super::varint;
use super::{HEADER_LEN, HeaderError, check_footer, check_header, checksum32, footer, header};
use crate::error::{Corruption, corrupt};
use memmap2::Mmap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// First bytes of a segment file.
pub const MAGIC: &[u8; 8] = b"SIMILEsg";
const FOOTER_MAGIC: &[u8; 8] = b"SIMsgEND";
const FOOTER_FIELDS: usize = 16;
const FOOTER_LEN: usize = FOOTER_FIELDS * 8;

/// Keys per block. Measured on the 97,000-file benchmark index: 32 keys per block cost 25% less
/// CPU per query than 64 (a lookup scans half as many key gaps and checksums half the bytes)
/// for 1.6% more disk (the directory takes half a byte per key).
pub const BLOCK_KEYS: u32 = 32;

/// Lists of up to this many files are stored inline in the key block.
pub const INLINE_MAX: u32 = 8;

/// What a segment holds, from its footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SegmentInfo {
    /// Distinct fingerprints.
    pub keys: u64,
    /// (fingerprint, file) pairs.
    pub postings: u64,
    /// Key blocks.
    pub blocks: u64,
    /// Lists stored apart from their key.
    pub long_lists: u64,
    /// Smallest file id (0 when empty).
    pub doc_min: u32,
    /// Largest file id (0 when empty).
    pub doc_max: u32,
}

/// The result of writing a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenSegment {
    /// File size.
    pub bytes: u64,
    /// xxh3-64 of the whole file (recorded in the manifest, checked by `index check`).
    pub checksum: u64,
    /// What it holds.
    pub info: SegmentInfo,
}

/// Streams a segment to disk: keys must come in increasing order, each with its strictly
/// increasing, non-empty file ids. Long lists go to a side file that is appended at the end, so
/// memory stays at one block whatever the segment's size.
pub struct SegmentWriter {
    path: PathBuf,
    out: BufWriter<File>,
    hasher: Xxh3,
    written: u64,
    lists_path: PathBuf,
    lists: Option<BufWriter<File>>,
    lists_len: u64,
    keys: Vec<u8>,
    entries: Vec<u8>,
    block_keys: u32,
    block_first: u64,
    block_lists_base: u64,
    last_key: Option<u64>,
    directory: Vec<u8>,
    info: SegmentInfo,
    list_buf: Vec<u8>,
}

impl SegmentWriter {
    /// Create the file at `path` (and its side file `path.lists.tmp`).
    pub fn create(path: &Path) -> io::Result<SegmentWriter> {
        let out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let lists_path = side_path(path);
        let lists = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&lists_path)?;
        let lists = BufWriter::with_capacity(1 << 20, lists);
        let mut w = SegmentWriter {
            path: path.to_path_buf(),
            out,
            hasher: Xxh3::new(),
            written: 0,
            lists_path,
            lists: Some(lists),
            lists_len: 0,
            keys: Vec::with_capacity(1024),
            entries: Vec::with_capacity(4096),
            block_keys: 0,
            block_first: 0,
            block_lists_base: 0,
            last_key: None,
            directory: Vec::new(),
            info: SegmentInfo::default(),
            list_buf: Vec::new(),
        };
        w.emit(&header(MAGIC, 0))?;
        Ok(w)
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Add `key` held by `docs` (strictly increasing, non-empty).
    pub fn add(&mut self, key: u64, docs: &[u32]) -> io::Result<()> {
        debug_assert!(!docs.is_empty());
        debug_assert!(docs.windows(2).all(|w| w[0] < w[1]));
        debug_assert!(self.last_key.is_none_or(|k| k < key), "keys must increase");
        if self.block_keys == BLOCK_KEYS {
            self.flush_block()?;
        }
        if self.block_keys == 0 {
            self.block_first = key;
            self.block_lists_base = self.lists_len;
        } else {
            varint::put(&mut self.keys, key - self.last_key.unwrap_or(key));
        }
        self.last_key = Some(key);
        self.block_keys += 1;
        varint::put(&mut self.entries, docs.len() as u64);
        if docs.len() as u32 <= INLINE_MAX {
            put_docs(&mut self.entries, docs);
        } else {
            self.list_buf.clear();
            self.list_buf.extend_from_slice(&[0; 4]);
            put_docs(&mut self.list_buf, docs);
            let sum = checksum32(&self.list_buf[4..]);
            self.list_buf[..4].copy_from_slice(&sum.to_le_bytes());
            self.lists
                .as_mut()
                .expect("open until finish")
                .write_all(&self.list_buf)?;
            self.lists_len += self.list_buf.len() as u64;
            varint::put(&mut self.entries, self.list_buf.len() as u64);
            self.info.long_lists += 1;
        }
        let info = &mut self.info;
        if info.postings == 0 {
            info.doc_min = docs[0];
            info.doc_max = docs[docs.len() - 1];
        } else {
            info.doc_min = info.doc_min.min(docs[0]);
            info.doc_max = info.doc_max.max(docs[docs.len() - 1]);
        }
        info.keys += 1;
        info.postings += docs.len() as u64;
        Ok(())
    }

    fn flush_block(&mut self) -> io::Result<()> {
        if self.block_keys == 0 {
            return Ok(());
        }
        let mut body = Vec::with_capacity(self.keys.len() + self.entries.len() + 16);
        varint::put(&mut body, u64::from(self.block_keys));
        varint::put(&mut body, self.block_lists_base);
        varint::put(&mut body, self.keys.len() as u64);
        body.extend_from_slice(&self.keys);
        body.extend_from_slice(&self.entries);
        let offset = self.written;
        self.directory
            .extend_from_slice(&self.block_first.to_le_bytes());
        self.directory.extend_from_slice(&offset.to_le_bytes());
        self.emit(&checksum32(&body).to_le_bytes())?;
        self.emit(&body)?;
        self.keys.clear();
        self.entries.clear();
        self.block_keys = 0;
        self.info.blocks += 1;
        Ok(())
    }

    /// Write the rest of the file; with `sync`, make it durable before returning.
    pub fn finish(mut self, sync: bool) -> io::Result<WrittenSegment> {
        self.flush_block()?;
        let lists_start = self.written;
        let mut lists = self
            .lists
            .take()
            .expect("open until finish")
            .into_inner()
            .map_err(|e| e.into_error())?;
        lists.seek(io::SeekFrom::Start(0))?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = lists.read(&mut buf)?;
            if n == 0 {
                break;
            }
            self.out.write_all(&buf[..n])?;
            self.hasher.update(&buf[..n]);
            self.written += n as u64;
        }
        drop(lists);
        if self.written != lists_start + self.lists_len {
            return Err(io::Error::other(
                "long-list side file changed size while copied",
            ));
        }
        let dir_start = self.written;
        let directory = std::mem::take(&mut self.directory);
        let dir_checksum = xxh3_64(&directory);
        self.emit(&directory)?;
        let i = self.info;
        let fields: [u64; FOOTER_FIELDS] = [
            i.keys,
            i.postings,
            i.blocks,
            i.long_lists,
            u64::from(i.doc_min),
            u64::from(i.doc_max),
            HEADER_LEN as u64,
            lists_start,
            dir_start,
            dir_checksum,
            u64::from(INLINE_MAX),
            u64::from(BLOCK_KEYS),
            0,
            0,
            0,
            0,
        ];
        self.emit(&footer(fields, FOOTER_MAGIC))?;
        self.out.flush()?;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        if sync {
            file.sync_all()?;
        }
        std::fs::remove_file(&self.lists_path)?;
        Ok(WrittenSegment {
            bytes: self.written,
            checksum: self.hasher.digest(),
            info: self.info,
        })
    }
}

/// The side file of long lists written next to a segment.
pub fn side_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lists.tmp");
    PathBuf::from(name)
}

fn put_docs(out: &mut Vec<u8>, docs: &[u32]) {
    let mut prev = 0u32;
    for (i, &d) in docs.iter().enumerate() {
        varint::put(out, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
}

/// An open, memory-mapped segment. Opening checks the header, the footer and the directory;
/// blocks and lists are checked when decoded.
pub struct Segment {
    map: Mmap,
    info: SegmentInfo,
    inline_max: u32,
    lists_start: usize,
    dir_start: usize,
    /// `radix[p]` = the first block whose first key has top bits >= p.
    radix: Vec<u32>,
    radix_shift: u32,
}

/// Why a segment could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The file could not be read.
    Io(io::Error),
    /// The header is wrong (foreign file, other version, damaged).
    Header(HeaderError),
    /// The footer or directory is damaged.
    Corrupt(Corruption),
}

impl Segment {
    /// Map `file` and check its frame.
    pub fn open(file: &File) -> Result<Segment, OpenError> {
        // SAFETY: segment files are immutable once published: writers create new files and
        // never modify or truncate existing ones; they only unlink them, which leaves existing
        // mappings valid.
        let map = unsafe { Mmap::map(file) }.map_err(OpenError::Io)?;
        Segment::from_map(map)
    }

    /// A segment from bytes in memory (tests, tools).
    pub fn from_bytes(bytes: &[u8]) -> Result<Segment, OpenError> {
        let mut anon = memmap2::MmapMut::map_anon(bytes.len().max(1)).map_err(OpenError::Io)?;
        anon[..bytes.len()].copy_from_slice(bytes);
        let map = anon.make_read_only().map_err(OpenError::Io)?;
        if bytes.len() < map.len() {
            // Only the empty input is padded; it fails the header check below.
            return Err(OpenError::Header(HeaderError::Foreign));
        }
        Segment::from_map(map)
    }

    fn from_map(map: Mmap) -> Result<Segment, OpenError> {
        check_header(&map, MAGIC).map_err(OpenError::Header)?;
        let f = check_footer::<FOOTER_FIELDS>(&map, FOOTER_MAGIC).map_err(OpenError::Corrupt)?;
        let len = map.len() as u64;
        let dir_end = len - FOOTER_LEN as u64;
        let [
            keys,
            postings,
            blocks,
            long_lists,
            doc_min,
            doc_max,
            blocks_start,
            lists_start,
            dir_start,
            dir_checksum,
            inline_max,
            ..,
        ] = f;
        let bad = |d: &str| OpenError::Corrupt(Corruption(d.to_string()));
        if blocks_start != HEADER_LEN as u64
            || lists_start < blocks_start
            || dir_start < lists_start
            || dir_start > dir_end
        {
            return Err(bad("section offsets out of order"));
        }
        if Some(dir_end - dir_start) != blocks.checked_mul(16) {
            return Err(bad("directory size does not match the block count"));
        }
        if doc_min > u64::from(u32::MAX) || doc_max > u64::from(u32::MAX) || doc_min > doc_max {
            return Err(bad("file id range invalid"));
        }
        if keys > postings || (keys == 0) != (blocks == 0) || inline_max > u64::from(u32::MAX) {
            return Err(bad("counts inconsistent"));
        }
        let (dir_start, dir_end) = (dir_start as usize, dir_end as usize);
        if xxh3_64(&map[dir_start..dir_end]) != dir_checksum {
            return Err(bad("block directory checksum mismatch"));
        }
        let mut segment = Segment {
            info: SegmentInfo {
                keys,
                postings,
                blocks,
                long_lists,
                doc_min: doc_min as u32,
                doc_max: doc_max as u32,
            },
            inline_max: inline_max as u32,
            lists_start: lists_start as usize,
            dir_start,
            map,
            radix: Vec::new(),
            radix_shift: 64,
        };
        segment.build_radix();
        Ok(segment)
    }

    /// Index the directory by the top bits of the first keys: about one block per slot, so a
    /// lookup binary-searches one or two entries instead of the whole directory (17 steps,
    /// most of them cache misses, at 100,000 blocks). Costs 4 bytes per block in memory.
    fn build_radix(&mut self) {
        let blocks = self.info.blocks as usize;
        let bits = (usize::BITS - blocks.leading_zeros()).min(24);
        self.radix_shift = 64 - bits;
        let slots = 1usize << bits;
        let mut radix = Vec::with_capacity(slots + 1);
        let mut block = 0usize;
        for p in 0..slots as u64 {
            while block < blocks && self.prefix(self.dir_key(block)) < p {
                block += 1;
            }
            radix.push(block as u32);
        }
        radix.push(blocks as u32);
        self.radix = radix;
    }

    #[inline]
    fn prefix(&self, key: u64) -> u64 {
        key.checked_shr(self.radix_shift).unwrap_or(0)
    }

    /// What the segment holds.
    pub fn info(&self) -> SegmentInfo {
        self.info
    }

    /// The raw bytes (for whole-file checksums).
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    #[inline]
    fn dir_key(&self, i: usize) -> u64 {
        super::read_u64(&self.map, self.dir_start + 16 * i)
    }

    #[inline]
    fn dir_offset(&self, i: usize) -> u64 {
        super::read_u64(&self.map, self.dir_start + 16 * i + 8)
    }

    /// The first key of every block (for `check`).
    pub fn block_first_key(&self, i: usize) -> u64 {
        self.dir_key(i)
    }

    /// Decode the start of block `i`, verifying its checksum.
    fn block(&self, i: usize) -> Result<BlockCursor<'_>, Corruption> {
        let start = self.dir_offset(i);
        let end = if i + 1 < self.info.blocks as usize {
            self.dir_offset(i + 1)
        } else {
            self.lists_start as u64
        };
        // `start` comes from the file: checked addition, or an offset near 2^64 wraps past the
        // test and then slices backwards (a panic; found by fuzz/regressions/index_reader).
        if start < HEADER_LEN as u64
            || start.checked_add(5).is_none_or(|e| e > end)
            || end > self.lists_start as u64
        {
            return corrupt(format!("block {i}: offsets out of range"));
        }
        let bytes = &self.map[start as usize..end as usize];
        let stored = super::read_u32(bytes, 0);
        if checksum32(&bytes[4..]) != stored {
            return corrupt(format!("block {i} (offset {start}): checksum mismatch"));
        }
        let mut pos = 4;
        let (Some(n), Some(base), Some(keys_len)) = (
            varint::get(bytes, &mut pos),
            varint::get(bytes, &mut pos),
            varint::get(bytes, &mut pos),
        ) else {
            return corrupt(format!("block {i}: truncated header"));
        };
        if n == 0 || n > u64::from(u32::MAX) {
            return corrupt(format!("block {i}: {n} keys"));
        }
        let list_next = (self.lists_start as u64).checked_add(base);
        let Some(list_next) = list_next.filter(|&l| l <= self.dir_start as u64) else {
            return corrupt(format!("block {i}: long lists out of range"));
        };
        let Some(entry_pos) = (pos as u64)
            .checked_add(keys_len)
            .filter(|&e| e <= bytes.len() as u64)
        else {
            return corrupt(format!("block {i}: key section out of range"));
        };
        Ok(BlockCursor {
            segment: self,
            index: i,
            bytes,
            key_pos: pos,
            keys_end: entry_pos as usize,
            entry_pos: entry_pos as usize,
            remaining: n as u32,
            key: self.dir_key(i),
            first: true,
            list_next: list_next as usize,
        })
    }

    /// The postings of `key`, if the segment holds it.
    pub fn lookup(&self, key: u64) -> Result<Option<Postings<'_>>, Corruption> {
        if self.info.blocks == 0 {
            return Ok(None);
        }
        // The number of blocks whose first key is <= key lies in radix[p]..=radix[p + 1].
        let p = self.prefix(key) as usize;
        let (mut lo, mut hi) = (self.radix[p] as usize, self.radix[p + 1] as usize);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.dir_key(mid) <= key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == 0 {
            return Ok(None);
        }
        self.block(lo - 1)?.find(key)
    }

    /// Every (key, postings) in key order, checking that keys strictly increase across blocks.
    pub fn entries(&self) -> Entries<'_> {
        Entries {
            segment: self,
            next_block: 0,
            block: None,
            last_key: None,
            failed: false,
        }
    }
}

/// Decoding position inside one block: keys and entries are read side by side.
struct BlockCursor<'a> {
    segment: &'a Segment,
    index: usize,
    bytes: &'a [u8],
    key_pos: usize,
    keys_end: usize,
    entry_pos: usize,
    remaining: u32,
    key: u64,
    first: bool,
    list_next: usize,
}

impl<'a> BlockCursor<'a> {
    fn bad(&self, what: &str) -> Corruption {
        Corruption(format!("block {}: {what}", self.index))
    }

    /// The next key, or `None` at the end of the block.
    #[inline]
    fn next_key(&mut self) -> Result<Option<u64>, Corruption> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        if !self.first {
            let keys = &self.bytes[..self.keys_end];
            let delta =
                varint::get(keys, &mut self.key_pos).ok_or_else(|| self.bad("truncated key"))?;
            if delta == 0 {
                return Err(self.bad("keys out of order"));
            }
            self.key = self
                .key
                .checked_add(delta)
                .ok_or_else(|| self.bad("key overflow"))?;
        }
        self.first = false;
        Ok(Some(self.key))
    }

    /// Decode the entry at `entry_pos` and move past it.
    #[inline]
    fn next_postings(&mut self) -> Result<Postings<'a>, Corruption> {
        let count = varint::get(self.bytes, &mut self.entry_pos)
            .ok_or_else(|| self.bad("truncated count"))?;
        if count == 0 || count > u64::from(u32::MAX) {
            return Err(self.bad("invalid count"));
        }
        let count = count as u32;
        let docs = if count <= self.segment.inline_max {
            let start = self.entry_pos;
            self.entry_pos = varint::skip(self.bytes, start, count as usize)
                .ok_or_else(|| self.bad("truncated list"))?;
            DocBytes::Inline(&self.bytes[start..self.entry_pos])
        } else {
            let len = varint::get(self.bytes, &mut self.entry_pos)
                .ok_or_else(|| self.bad("truncated length"))?;
            let start = self.list_next;
            let end = (start as u64)
                .checked_add(len)
                .filter(|&e| e <= self.segment.dir_start as u64 && len >= 5)
                .ok_or_else(|| self.bad("long list out of range"))? as usize;
            self.list_next = end;
            DocBytes::Long(&self.segment.map[start..end])
        };
        Ok(Postings {
            count,
            docs,
            doc_max: self.segment.info.doc_max,
        })
    }

    /// Step over the entry at `entry_pos` (only long-list lengths need decoding).
    #[inline]
    fn skip_postings(&mut self) -> Result<(), Corruption> {
        let count = varint::get(self.bytes, &mut self.entry_pos)
            .ok_or_else(|| self.bad("truncated count"))?;
        if count <= u64::from(self.segment.inline_max) {
            self.entry_pos = varint::skip(self.bytes, self.entry_pos, count as usize)
                .ok_or_else(|| self.bad("truncated list"))?;
        } else {
            let len = varint::get(self.bytes, &mut self.entry_pos)
                .ok_or_else(|| self.bad("truncated length"))?;
            self.list_next = self.list_next.saturating_add(len as usize);
        }
        Ok(())
    }

    /// The postings of `key` in this block: keys are scanned first, entries only when found.
    fn find(mut self, key: u64) -> Result<Option<Postings<'a>>, Corruption> {
        let mut before = 0usize;
        loop {
            match self.next_key()? {
                Some(k) if k < key => before += 1,
                Some(k) if k == key => break,
                _ => return Ok(None),
            }
        }
        for _ in 0..before {
            self.skip_postings()?;
        }
        self.next_postings().map(Some)
    }

    fn next_entry(&mut self) -> Result<Option<(u64, Postings<'a>)>, Corruption> {
        let Some(key) = self.next_key()? else {
            if self.key_pos != self.keys_end || self.entry_pos != self.bytes.len() {
                return Err(self.bad("trailing bytes"));
            }
            return Ok(None);
        };
        let postings = self.next_postings()?;
        Ok(Some((key, postings)))
    }
}

/// Iterator over all entries of a segment.
pub struct Entries<'a> {
    segment: &'a Segment,
    next_block: usize,
    block: Option<BlockCursor<'a>>,
    last_key: Option<u64>,
    failed: bool,
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<(u64, Postings<'a>), Corruption>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            if let Some(block) = &mut self.block {
                match block.next_entry() {
                    Ok(Some((key, postings))) => {
                        if self.last_key.is_some_and(|k| k >= key) {
                            self.failed = true;
                            return Some(corrupt(format!(
                                "block {}: keys out of order across blocks",
                                block.index
                            )));
                        }
                        self.last_key = Some(key);
                        return Some(Ok((key, postings)));
                    }
                    Ok(None) => self.block = None,
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                }
            }
            if self.next_block >= self.segment.info.blocks as usize {
                return None;
            }
            match self.segment.block(self.next_block) {
                Ok(b) => self.block = Some(b),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            self.next_block += 1;
        }
    }
}

/// The files holding one fingerprint in one segment: the count is known without decoding.
#[derive(Debug, Clone, Copy)]
pub struct Postings<'a> {
    /// Number of files (including files deleted since the segment was written).
    pub count: u32,
    docs: DocBytes<'a>,
    doc_max: u32,
}

#[derive(Debug, Clone, Copy)]
enum DocBytes<'a> {
    /// Inside the (already verified) key block.
    Inline(&'a [u8]),
    /// A long list with its own checksum, not yet verified.
    Long(&'a [u8]),
}

impl Postings<'_> {
    /// Whether decoding reads a separate long list (rather than bytes of the key block).
    pub fn is_long(&self) -> bool {
        matches!(self.docs, DocBytes::Long(_))
    }

    /// Call `f` with each file id, in increasing order, after verifying the list.
    #[inline]
    pub fn for_each(&self, mut f: impl FnMut(u32)) -> Result<(), Corruption> {
        let bytes = match self.docs {
            DocBytes::Inline(b) => b,
            DocBytes::Long(b) => {
                if checksum32(&b[4..]) != super::read_u32(b, 0) {
                    return corrupt("long posting list: checksum mismatch");
                }
                &b[4..]
            }
        };
        let mut pos = 0;
        let mut doc = 0u64;
        for i in 0..self.count {
            let Some(v) = varint::get(bytes, &mut pos) else {
                return corrupt("posting list truncated");
            };
            if i > 0 && v == 0 {
                return corrupt("posting list out of order");
            }
            doc += v;
            if doc > u64::from(self.doc_max) {
                return corrupt("posting list: file id out of range");
            }
            f(doc as u32);
        }
        if pos != bytes.len() {
            return corrupt("posting list: trailing bytes");
        }
        Ok(())
    }

    /// The file ids, appended to `out`.
    pub fn decode_into(&self, out: &mut Vec<u32>) -> Result<(), Corruption> {
        let start = out.len();
        // The count comes from the file: a damaged or crafted one (its checksums intact) may
        // say four billion. Each id takes at least a byte, so never reserve more ids than the
        // list has bytes (found by the index_reader fuzz target: a 4 GB allocation).
        let bytes = match self.docs {
            DocBytes::Inline(b) | DocBytes::Long(b) => b.len(),
        };
        out.reserve((self.count as usize).min(bytes));
        self.for_each(|d| out.push(d))
            .inspect_err(|_| out.truncate(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, entries: &[(u64, Vec<u32>)]) -> (PathBuf, WrittenSegment) {
        let path = dir.join("t.sgm");
        let mut w = SegmentWriter::create(&path).unwrap();
        for (k, d) in entries {
            w.add(*k, d).unwrap();
        }
        let written = w.finish(false).unwrap();
        assert!(!side_path(&path).exists(), "side file removed");
        (path, written)
    }

    fn open(path: &Path) -> Segment {
        Segment::open(&File::open(path).unwrap()).unwrap()
    }

    fn sample() -> Vec<(u64, Vec<u32>)> {
        // Keys spread over the whole u64 range, lists of 1 to 40 files.
        (0..1000u64)
            .map(|i| {
                let key = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
                let n = 1 + (i % 40) as u32;
                let docs = (0..n).map(|j| j * 7 + (i as u32 % 5)).collect();
                (key, docs)
            })
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect()
    }

    #[test]
    fn round_trip_lookup_and_iteration() {
        let dir = tempfile::tempdir().unwrap();
        let entries = sample();
        let (path, written) = write(dir.path(), &entries);
        assert_eq!(written.bytes, std::fs::metadata(&path).unwrap().len());
        assert_eq!(written.checksum, xxh3_64(&std::fs::read(&path).unwrap()));
        let seg = open(&path);
        assert_eq!(seg.info().keys, 1000);
        assert_eq!(seg.info().blocks, 1000u64.div_ceil(u64::from(BLOCK_KEYS)));
        for (k, docs) in &entries {
            let p = seg.lookup(*k).unwrap().expect("present");
            assert_eq!(p.count as usize, docs.len());
            let mut got = Vec::new();
            p.decode_into(&mut got).unwrap();
            assert_eq!(&got, docs);
            assert!(seg.lookup(k ^ 2).unwrap().is_none() || entries.iter().any(|e| e.0 == k ^ 2));
        }
        assert!(seg.lookup(0).unwrap().is_none());
        assert!(seg.lookup(u64::MAX).unwrap().is_none() || entries.last().unwrap().0 == u64::MAX);
        let all: Vec<(u64, Vec<u32>)> = seg
            .entries()
            .map(|e| {
                let (k, p) = e.unwrap();
                let mut d = Vec::new();
                p.decode_into(&mut d).unwrap();
                (k, d)
            })
            .collect();
        assert_eq!(all, entries);
    }

    #[test]
    fn empty_segment() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = write(dir.path(), &[]);
        let seg = open(&path);
        assert_eq!(seg.info(), SegmentInfo::default());
        assert!(seg.lookup(42).unwrap().is_none());
        assert_eq!(seg.entries().count(), 0);
    }

    #[test]
    fn every_flipped_bit_is_caught() {
        // Flip one bit at a time at many offsets: opening or decoding must fail, never return
        // postings that differ from what was written.
        let dir = tempfile::tempdir().unwrap();
        let entries = sample();
        let (path, _) = write(dir.path(), &entries);
        let good = std::fs::read(&path).unwrap();
        let step = (good.len() / 700).max(1);
        for offset in (0..good.len()).step_by(step) {
            for bit in [offset % 8, 7 - offset % 8] {
                let mut bad = good.clone();
                bad[offset] ^= 1 << bit;
                let Ok(seg) = Segment::from_bytes(&bad) else {
                    continue;
                };
                let decoded: Result<Vec<(u64, Vec<u32>)>, Corruption> = seg
                    .entries()
                    .map(|e| {
                        let (k, p) = e?;
                        let mut d = Vec::new();
                        p.decode_into(&mut d)?;
                        Ok((k, d))
                    })
                    .collect();
                assert!(
                    decoded.is_err(),
                    "flip of bit {bit} at {offset} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn truncation_and_foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = write(dir.path(), &sample());
        let good = std::fs::read(&path).unwrap();
        for len in [0, 10, HEADER_LEN, good.len() / 2, good.len() - 1] {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(Segment::open(&File::open(&path).unwrap()).is_err(), "{len}");
        }
        std::fs::write(&path, b"int main(void) { return 0; }\n".repeat(20)).unwrap();
        assert!(matches!(
            Segment::open(&File::open(&path).unwrap()),
            Err(OpenError::Header(HeaderError::Foreign))
        ));
    }
}
