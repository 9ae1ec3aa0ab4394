//! `check`: a full consistency check of a committed index, reading every byte.
//!
//! Beyond what opening checks, it verifies each file's whole-file checksum against the
//! manifest, decodes every block and list (keys strictly increasing, file ids strictly
//! increasing and in range), and cross-checks the catalog with the postings: every live file
//! has exactly as many postings as its record says, all in the segment its record names; no
//! two live files share a path; the manifest's totals match the catalog.

use crate::error::IndexError;
use crate::format::catalog::NO_SEGMENT;
use crate::snapshot::Index;
use serde::Serialize;
use simile::source::display_path;
use std::collections::HashSet;
use std::path::Path;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// What a successful check verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The commit checked.
    pub generation: u64,
    /// Live files.
    pub files: u64,
    /// Segments.
    pub segments: u64,
    /// Distinct fingerprints, summed over segments.
    pub fingerprints: u64,
    /// Postings decoded (including those of removed files awaiting a merge).
    pub postings: u64,
    /// Bytes read and verified.
    pub bytes: u64,
    /// A digest of the indexed content (live files by path, their metadata and fingerprints),
    /// independent of segmentation and file ids: equal digests mean equal answers.
    pub content_digest: String,
}

/// Check the index at `dir` completely.
pub fn check(dir: &Path) -> Result<CheckReport, IndexError> {
    let index = Index::open(dir)?;
    let manifest = index.manifest();
    let catalog = index.catalog();
    let catalog_path = dir.join(&manifest.catalog.name);
    let mut bytes = catalog.bytes().len() as u64;
    if xxh3_64(catalog.bytes()) != manifest.catalog.xxh3 {
        return Err(IndexError::corrupt(
            &catalog_path,
            "checksum differs from the MANIFEST",
        ));
    }

    let n = catalog.len();
    let mut per_file = vec![0u32; n];
    let (mut keys, mut postings) = (0u64, 0u64);
    for (seg, meta) in index.segments().iter().zip(&manifest.segments) {
        let path = &seg.path;
        if seg.id >= manifest.next_segment_id {
            return Err(IndexError::corrupt(
                path,
                "segment id not below next_segment_id",
            ));
        }
        bytes += seg.segment.bytes().len() as u64;
        if xxh3_64(seg.segment.bytes()) != meta.file.xxh3 {
            return Err(IndexError::corrupt(
                path,
                "checksum differs from the MANIFEST",
            ));
        }
        let info = seg.segment.info();
        let (mut seg_keys, mut seg_postings) = (0u64, 0u64);
        let (mut lo, mut hi) = (u32::MAX, 0u32);
        let mut wrong_owner: Option<u32> = None;
        for entry in seg.segment.entries() {
            let (_, list) = entry.map_err(|c| c.at(path))?;
            seg_keys += 1;
            let mut count = 0u32;
            list.for_each(|d| {
                count += 1;
                lo = lo.min(d);
                hi = hi.max(d);
                match per_file.get_mut(d as usize) {
                    Some(c) if catalog.segment(d) == Some(seg.id) => *c += 1,
                    _ => {
                        wrong_owner.get_or_insert(d);
                    }
                }
            })
            .map_err(|c| c.at(path))?;
            if count != list.count {
                return Err(IndexError::corrupt(
                    path,
                    "list length differs from its count",
                ));
            }
            seg_postings += u64::from(count);
        }
        if let Some(d) = wrong_owner {
            return Err(IndexError::corrupt(
                path,
                format!("holds postings of file id {d}, whose record names another segment"),
            ));
        }
        if seg_keys != info.keys || seg_postings != info.postings {
            return Err(IndexError::corrupt(
                path,
                "footer counts differ from the content",
            ));
        }
        if seg_postings > 0 && (lo != info.doc_min || hi != info.doc_max) {
            return Err(IndexError::corrupt(path, "footer file id range differs"));
        }
        keys += seg_keys;
        postings += seg_postings;
    }

    let mut paths = HashSet::new();
    let mut totals = crate::format::manifest::Totals {
        file_slots: n as u64,
        ..Default::default()
    };
    for id in 0..n as u32 {
        let r = catalog.record(id).expect("id below len");
        let held = per_file[id as usize];
        if r.live {
            if held != r.fingerprints {
                return Err(IndexError::corrupt(
                    &catalog_path,
                    format!(
                        "{}: {} fingerprints recorded, {held} postings found",
                        display_path(&r.path),
                        r.fingerprints
                    ),
                ));
            }
            if r.fingerprints > 0 && r.segment == NO_SEGMENT {
                return Err(IndexError::corrupt(
                    &catalog_path,
                    "a file with postings names no segment",
                ));
            }
            if !paths.insert(r.path.clone()) {
                return Err(IndexError::corrupt(
                    &catalog_path,
                    format!("{} is listed twice", display_path(&r.path)),
                ));
            }
            totals.files += 1;
            totals.source_bytes += r.size;
            totals.tokens += u64::from(r.tokens);
            totals.postings += u64::from(r.fingerprints);
        } else if held != 0 && held != r.fingerprints {
            return Err(IndexError::corrupt(
                &catalog_path,
                format!("removed file id {id}: postings partly present"),
            ));
        }
    }
    if totals != manifest.totals {
        return Err(IndexError::corrupt(
            &dir.join(crate::store::MANIFEST),
            "totals differ from the catalog",
        ));
    }
    Ok(CheckReport {
        generation: manifest.generation,
        files: totals.files,
        segments: index.segments().len() as u64,
        fingerprints: keys,
        postings,
        bytes,
        content_digest: format!("{:016x}", content_digest(&index)?),
    })
}

/// A digest of what the index answers: every live file's path and metadata, and its
/// fingerprints, in path order. File ids, segment boundaries and removed files do not enter
/// it, so an index and its compacted or rebuilt twin have the same digest.
pub fn content_digest(index: &Index) -> Result<u64, IndexError> {
    let catalog = index.catalog();
    let mut live: Vec<(std::path::PathBuf, u32)> = index
        .live_ids()
        .map(|id| (catalog.record(id).expect("live id").path, id))
        .collect();
    live.sort();
    // rank[id] = position of the file in path order
    let mut rank = vec![u32::MAX; catalog.len()];
    for (pos, (_, id)) in live.iter().enumerate() {
        rank[*id as usize] = pos as u32;
    }
    let mut pairs: Vec<(u32, u64)> = Vec::new();
    for seg in index.segments() {
        for entry in seg.segment.entries() {
            let (key, list) = entry.map_err(|c| c.at(&seg.path))?;
            list.for_each(|d| {
                if let Some(&r) = rank.get(d as usize)
                    && r != u32::MAX
                {
                    pairs.push((r, key));
                }
            })
            .map_err(|c| c.at(&seg.path))?;
        }
    }
    pairs.sort_unstable();
    let mut h = Xxh3::new();
    let mut next = 0;
    for (pos, (path, id)) in live.iter().enumerate() {
        let r = catalog.record(*id).expect("live id");
        h.update(path.as_os_str().as_encoded_bytes());
        h.update(&[0]);
        for v in [r.size, r.mtime_ns as u64, r.content_hash] {
            h.update(&v.to_le_bytes());
        }
        for v in [r.tokens, r.fingerprints] {
            h.update(&v.to_le_bytes());
        }
        h.update(r.language.name().as_bytes());
        while next < pairs.len() && pairs[next].0 == pos as u32 {
            h.update(&pairs[next].1.to_le_bytes());
            next += 1;
        }
    }
    Ok(h.digest())
}
