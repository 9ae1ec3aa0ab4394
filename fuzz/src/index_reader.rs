//! Target `index_reader`: the readers of the index's three kinds of file on arbitrary bytes.
//!
//! Input: byte 0 picks the reader (segment, catalog or manifest); its top bit asks for the
//! checksums to be *fixed up* first (header, footer, block directory, key blocks, catalog
//! body, manifest frame), so the fuzzer reaches the decoding behind them, which is what a
//! writer bug or a crafted file would feed it. The rest is the file.
//!
//! With bit 6 of byte 0 set, the rest is instead a list of patches (a 4-byte offset and 8
//! bytes to write there) applied to a small valid segment or catalog written at start-up,
//! whose checksums are then fixed up: every field of a real file, set to any value, without
//! the fuzzer having to rebuild the file around it.
//!
//! Invariants: no panic, no hang, no unbounded allocation, whatever the bytes. A file whose
//! checksums were *not* fixed up either fails to open or is a genuine file (the fuzzer cannot
//! forge xxh3): then a lookup of each key returns exactly what iterating the segment gives.

use simile_index::format::catalog::Catalog;
use simile_index::format::segment::Segment;
use simile_index::format::{FORMAT_VERSION, HEADER_LEN, checksum32, manifest};
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// Run the target on one input.
pub fn run(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let fix = pick & 0x80 != 0;
    if pick & 0x40 != 0 {
        patched(pick, rest);
        return;
    }
    let mut bytes = rest.to_vec();
    match pick % 3 {
        0 => {
            if fix {
                fix_segment(&mut bytes);
            }
            segment(&bytes, !fix);
        }
        1 => {
            if fix {
                fix_catalog(&mut bytes);
            }
            catalog(&bytes);
        }
        _ => {
            if fix {
                fix_manifest(&mut bytes);
            }
            let _ = manifest::decode(&bytes, Path::new("fuzz/MANIFEST"));
        }
    }
}

/// A small valid segment (1,000 keys, lists of 1 to 20 files, some of them long) and catalog
/// (60 files), written once per process.
fn pristine() -> &'static (Vec<u8>, Vec<u8>) {
    use simile_index::format::catalog::{self, FileRecord};
    use simile_index::format::segment::SegmentWriter;
    static FILES: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let seg = dir.path().join("s.sgm");
        let mut w = SegmentWriter::create(&seg).unwrap();
        for i in 0..1000u64 {
            let key = (i + 1) * 0x0001_0203_0405_0607;
            let n = 1 + (i % 20) as u32;
            let docs: Vec<u32> = (0..n).map(|j| j * 3 + (i % 3) as u32).collect();
            w.add(key, &docs).unwrap();
        }
        w.finish(false).unwrap();
        let records: Vec<FileRecord> = (0..60u32)
            .map(|i| FileRecord {
                path: format!("/src/d{}/f{i}.c", i % 4).into(),
                size: u64::from(i) * 100,
                mtime_ns: 1_700_000_000_000_000_000 + i64::from(i),
                content_hash: u64::from(i) * 7919,
                tokens: i * 10,
                fingerprints: i * 2,
                language: simile::source::Language::ALL[i as usize % 17],
                live: i % 5 != 0,
                segment: i / 20,
            })
            .collect();
        let cat = dir.path().join("c.cat");
        catalog::write(&cat, &records).unwrap();
        (std::fs::read(&seg).unwrap(), std::fs::read(&cat).unwrap())
    })
}

/// Patches written over a valid segment (byte 0 even) or catalog (odd), checksums fixed up.
fn patched(pick: u8, patches: &[u8]) {
    let (seg, cat) = pristine();
    let is_segment = pick & 1 == 0;
    let mut bytes = if is_segment { seg.clone() } else { cat.clone() };
    for patch in patches.chunks(12) {
        let mut offset = [0u8; 4];
        let n = patch.len().min(4);
        offset[..n].copy_from_slice(&patch[..n]);
        let at = u32::from_le_bytes(offset) as usize % bytes.len();
        for (k, &b) in patch.iter().skip(4).enumerate() {
            if let Some(slot) = bytes.get_mut(at + k) {
                *slot = b;
            }
        }
    }
    if is_segment {
        fix_segment(&mut bytes);
        segment(&bytes, false);
    } else {
        fix_catalog(&mut bytes);
        catalog(&bytes);
    }
}

/// Open a segment, read all of it, look up every key it lists and a few it may not.
fn segment(bytes: &[u8], genuine_if_open: bool) {
    let Ok(seg) = Segment::from_bytes(bytes) else {
        return;
    };
    let mut listed = Vec::new();
    let mut complete = true;
    for entry in seg.entries().take(1 << 16) {
        let Ok((key, postings)) = entry else {
            complete = false;
            break;
        };
        let mut docs = Vec::new();
        let decoded = postings.decode_into(&mut docs);
        // Memory follows the bytes read, never a count read from them (each id takes a byte).
        assert!(
            docs.capacity() <= bytes.len() + 16,
            "{} ids reserved for a file of {} bytes",
            docs.capacity(),
            bytes.len()
        );
        match decoded {
            Ok(()) => listed.push((key, Some(docs))),
            Err(_) => listed.push((key, None)),
        }
    }
    for (key, docs) in &listed {
        for probe in [*key, key.wrapping_add(1), key.wrapping_sub(1)] {
            let found = seg.lookup(probe).map(|p| {
                p.map(|p| {
                    let mut d = Vec::new();
                    p.decode_into(&mut d).map(|()| d)
                })
            });
            if genuine_if_open && complete && probe == *key {
                let got = found.expect("a lookup of a listed key fails");
                let got = got.expect("a listed key is not found").ok();
                assert_eq!(&got, docs, "lookup and iteration disagree on {key:#x}");
            }
        }
    }
    for probe in [0, u64::MAX, 1 << 63] {
        let _ = seg.lookup(probe);
    }
}

fn catalog(bytes: &[u8]) {
    let Ok(cat) = Catalog::from_bytes(bytes) else {
        return;
    };
    for id in 0..cat.len().min(1 << 16) as u32 {
        let _ = (cat.record(id), cat.is_live(id), cat.segment(id));
    }
    let _ = cat.record(cat.len() as u32);
}

// ----- checksum fix-ups (the layouts are documented in simile_index::format) ------------------

fn put_u64(bytes: &mut [u8], at: usize, v: u64) {
    bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

fn get_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

fn fix_header(bytes: &mut [u8], magic: &[u8; 8]) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    bytes[..8].copy_from_slice(magic);
    bytes[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    let sum = xxh3_64(&bytes[..24]);
    put_u64(bytes, 24, sum);
}

/// Footer of `fields` u64s: checksum of the others, then the magic. Returns the footer start.
fn fix_footer(bytes: &mut [u8], fields: usize, magic: &[u8; 8]) -> Option<usize> {
    let len = fields * 8;
    if bytes.len() < HEADER_LEN + len {
        return None;
    }
    let start = bytes.len() - len;
    let end = bytes.len();
    bytes[end - 8..].copy_from_slice(magic);
    Some(start)
}

fn seal_footer(bytes: &mut [u8], start: usize, fields: usize) {
    let sum = xxh3_64(&bytes[start..start + (fields - 2) * 8]);
    put_u64(bytes, start + (fields - 2) * 8, sum);
}

fn fix_segment(bytes: &mut [u8]) {
    fix_header(bytes, b"SIMILEsg");
    let Some(foot) = fix_footer(bytes, 16, b"SIMsgEND") else {
        return;
    };
    let field = |b: &[u8], i: usize| get_u64(b, foot + 8 * i);
    let (blocks, lists_start, dir_start) = (field(bytes, 2), field(bytes, 7), field(bytes, 8));
    // The directory: wherever the footer says, if it fits.
    if dir_start <= foot as u64 {
        let dir_start = dir_start as usize;
        let sum = xxh3_64(&bytes[dir_start..foot]);
        put_u64(bytes, foot + 8 * 9, sum);
        // Key blocks: between consecutive directory offsets, each led by its checksum.
        let n = ((foot - dir_start) / 16).min(blocks as usize);
        let offsets: Vec<u64> = (0..n)
            .map(|i| get_u64(bytes, dir_start + 16 * i + 8))
            .collect();
        for (i, &start) in offsets.iter().enumerate() {
            let end = offsets.get(i + 1).copied().unwrap_or(lists_start);
            if start < end && end <= dir_start as u64 && end - start >= 4 {
                let (s, e) = (start as usize, end as usize);
                let sum = checksum32(&bytes[s + 4..e]);
                bytes[s..s + 4].copy_from_slice(&sum.to_le_bytes());
            }
        }
        // The directory checksum again, the block offsets being unchanged.
        let sum = xxh3_64(&bytes[dir_start..foot]);
        put_u64(bytes, foot + 8 * 9, sum);
    }
    seal_footer(bytes, foot, 16);
}

fn fix_catalog(bytes: &mut [u8]) {
    fix_header(bytes, b"SIMILEct");
    let Some(foot) = fix_footer(bytes, 8, b"SIMctEND") else {
        return;
    };
    let (start, end) = (get_u64(bytes, foot + 16), get_u64(bytes, foot + 32));
    if start <= end && end <= foot as u64 {
        let sum = xxh3_64(&bytes[start as usize..end as usize]);
        put_u64(bytes, foot + 40, sum);
    }
    seal_footer(bytes, foot, 8);
}

fn fix_manifest(bytes: &mut [u8]) {
    if bytes.len() < 16 + 8 {
        return;
    }
    bytes[..8].copy_from_slice(b"SIMILEmf");
    bytes[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    let payload = (bytes.len() - 24) as u32;
    bytes[12..16].copy_from_slice(&payload.to_le_bytes());
    let n = bytes.len() - 8;
    let sum = xxh3_64(&bytes[..n]);
    put_u64(bytes, n, sum);
}
