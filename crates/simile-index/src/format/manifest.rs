//! The manifest: the commit record of an index. It names the catalog and segment files of the
//! committed state with their sizes and checksums, and records how the index was built (roots,
//! walk options, k and w) so `update` walks the same way.
//!
//! ```text
//! magic "SIMILEmf" | format version u32 | payload length u32 | payload (JSON) | xxh3-64 of all before
//! ```
//!
//! A commit writes the new manifest under a temporary name, makes it durable and renames it
//! over `MANIFEST`: rename is atomic, so a reader sees the old commit or the new one, never a
//! mix, and a writer killed at any moment leaves the last commit in place.

use crate::error::IndexError;
use serde::{Deserialize, Serialize};
use simile::source::Language;
use simile::source::walk::WalkOptions;
use std::collections::BTreeMap;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// First bytes of a manifest.
pub const MAGIC: &[u8; 8] = b"SIMILEmf";
const FRAME_HEAD: usize = 16;
/// A manifest larger than this is not ours (it holds a few lines per segment).
const MAX_PAYLOAD: usize = 64 << 20;

/// The committed state of an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Incremented at every commit.
    pub generation: u64,
    /// The simile version that wrote this commit.
    pub created_by: String,
    /// Commit time, seconds since the Unix epoch.
    pub committed_unix: u64,
    /// k-gram length and winnowing window of every file's fingerprints.
    pub k: u32,
    /// See `k`.
    pub w: u32,
    /// Digest of the fingerprints the writing simile computes for a fixed sample (see the
    /// `canary` module): readers with other fingerprints refuse the index.
    pub fingerprint_canary: u64,
    /// Absolute roots that were walked.
    pub roots: Vec<String>,
    /// How they were walked.
    pub walk: WalkRecord,
    /// The catalog file.
    pub catalog: FileRef,
    /// Segment files, oldest first.
    pub segments: Vec<SegmentRef>,
    /// Id for the next segment a writer creates (ids are never reused).
    pub next_segment_id: u32,
    /// Totals over live files.
    pub totals: Totals,
    /// Files the last walk saw but did not index, by reason.
    pub skipped: BTreeMap<String, u64>,
}

/// A file of the commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// Name inside the index directory.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// xxh3-64 of the whole file.
    pub xxh3: u64,
}

/// A segment of the commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRef {
    /// Segment id (catalog records name it).
    pub id: u32,
    /// The file.
    #[serde(flatten)]
    pub file: FileRef,
    /// Distinct fingerprints.
    pub keys: u64,
    /// Postings stored (including those of files removed since).
    pub postings: u64,
}

/// Totals over the live files of a commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Live files.
    pub files: u64,
    /// File id slots (live and removed).
    pub file_slots: u64,
    /// Bytes of source.
    pub source_bytes: u64,
    /// Code tokens.
    pub tokens: u64,
    /// Postings of live files.
    pub postings: u64,
}

/// The walk options of a build, as recorded for `update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkRecord {
    /// See [`WalkOptions::hidden`].
    pub hidden: bool,
    /// See [`WalkOptions::no_ignore`].
    pub no_ignore: bool,
    /// See [`WalkOptions::follow_links`].
    pub follow_links: bool,
    /// See [`WalkOptions::globs`].
    pub globs: Vec<String>,
    /// See [`WalkOptions::languages`].
    pub languages: Vec<Language>,
    /// See [`WalkOptions::force_language`].
    pub force_language: Option<Language>,
    /// See [`WalkOptions::max_size`].
    pub max_size: u64,
    /// See [`WalkOptions::keep_minified`].
    pub keep_minified: bool,
    /// See [`WalkOptions::skip_generated`].
    pub skip_generated: bool,
}

impl From<&WalkOptions> for WalkRecord {
    fn from(o: &WalkOptions) -> WalkRecord {
        WalkRecord {
            hidden: o.hidden,
            no_ignore: o.no_ignore,
            follow_links: o.follow_links,
            globs: o.globs.clone(),
            languages: o.languages.clone(),
            force_language: o.force_language,
            max_size: o.max_size,
            keep_minified: o.keep_minified,
            skip_generated: o.skip_generated,
        }
    }
}

impl From<&WalkRecord> for WalkOptions {
    fn from(r: &WalkRecord) -> WalkOptions {
        WalkOptions {
            hidden: r.hidden,
            no_ignore: r.no_ignore,
            follow_links: r.follow_links,
            globs: r.globs.clone(),
            languages: r.languages.clone(),
            force_language: r.force_language,
            max_size: r.max_size,
            keep_minified: r.keep_minified,
            skip_generated: r.skip_generated,
        }
    }
}

/// Encode a manifest with its frame.
pub fn encode(manifest: &Manifest) -> Vec<u8> {
    let payload = serde_json::to_vec_pretty(manifest).expect("a manifest always serializes");
    let mut out = Vec::with_capacity(payload.len() + FRAME_HEAD + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&super::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&payload);
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Decode a manifest read from `path` (used in errors).
pub fn decode(bytes: &[u8], path: &Path) -> Result<Manifest, IndexError> {
    let shown = simile::source::display_path(path);
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(IndexError::NotAnIndex {
            path: shown,
            detail: "its MANIFEST is not a simile manifest".into(),
        });
    }
    if bytes.len() < FRAME_HEAD + 8 {
        return Err(IndexError::corrupt(path, "manifest truncated"));
    }
    let version = super::read_u32(bytes, 8);
    if version != super::FORMAT_VERSION {
        return Err(IndexError::Version {
            path: shown,
            found: version,
            supported: super::FORMAT_VERSION,
        });
    }
    let len = super::read_u32(bytes, 12) as usize;
    if len > MAX_PAYLOAD || bytes.len() != FRAME_HEAD + len + 8 {
        return Err(IndexError::corrupt(
            path,
            format!(
                "manifest is {} bytes, its header says {}",
                bytes.len(),
                FRAME_HEAD + len + 8
            ),
        ));
    }
    let body = &bytes[..FRAME_HEAD + len];
    if super::read_u64(bytes, FRAME_HEAD + len) != xxh3_64(body) {
        return Err(IndexError::corrupt(path, "manifest checksum mismatch"));
    }
    serde_json::from_slice(&body[FRAME_HEAD..])
        .map_err(|e| IndexError::corrupt(path, format!("manifest unreadable: {e}")))
}

#[cfg(test)]
pub(crate) fn sample() -> Manifest {
    Manifest {
        generation: 3,
        created_by: "simile test".into(),
        committed_unix: 1_700_000_000,
        k: 12,
        w: 8,
        fingerprint_canary: 0x1234,
        roots: vec!["/src/a".into()],
        walk: WalkRecord::from(&WalkOptions::default()),
        catalog: FileRef {
            name: "files-000003.cat".into(),
            bytes: 100,
            xxh3: u64::MAX,
        },
        segments: vec![SegmentRef {
            id: 2,
            file: FileRef {
                name: "seg-000002.sgm".into(),
                bytes: 1000,
                xxh3: 12345,
            },
            keys: 10,
            postings: 20,
        }],
        next_segment_id: 3,
        totals: Totals::default(),
        skipped: BTreeMap::from([("binary".to_string(), 2)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let m = sample();
        let bytes = encode(&m);
        let p = Path::new("x/MANIFEST");
        assert_eq!(decode(&bytes, p).unwrap(), m);
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 4;
            assert!(decode(&bad, p).is_err(), "flip at {i}");
        }
        for len in [0, 5, 20, bytes.len() - 1] {
            assert!(decode(&bytes[..len], p).is_err());
        }
        let mut other = bytes.clone();
        other[8] = 9;
        assert!(matches!(
            decode(&other, p),
            Err(IndexError::Version { found: 9, .. })
        ));
        assert!(matches!(
            decode(b"hello world, this is not an index at all", p),
            Err(IndexError::NotAnIndex { .. })
        ));
    }
}
