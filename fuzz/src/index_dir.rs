//! Target `index_dir`: opening and searching a real index directory one of whose files was
//! damaged: bits flipped, truncated, replaced, extended, deleted or swapped with a sibling.
//!
//! The index (built once per process from slices of the zstd files under `examples/`, then
//! updated so that it holds two segments, removed files and long posting lists) is copied to a
//! scratch directory; each input damages one file of the copy and restores it afterwards.
//!
//! Input: byte 0 picks the file (MANIFEST, catalog or a segment), byte 1 the damage, the rest
//! parameterizes it.
//!
//! Invariant: **never a wrong answer**. Opening fails with an error naming the index, or every
//! file record and every posting list of every fingerprint of the corpus equals the undamaged
//! index's, or the index reports the damage it met (`integrity_error`), as `simile find` then
//! fails. `check` and `content_digest` either fail or agree with the undamaged index.

use simile::search::{FileId, PostingsSource, index_fingerprints};
use simile_index::{BuildOptions, Index, NoProgress, UpdateOptions, content_digest};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Fixture {
    /// Holds the tree and the pristine index while the process lives.
    _keep: tempfile::TempDir,
    /// The copy that inputs damage.
    scratch: PathBuf,
    /// The index's files, sorted by name, with their pristine bytes.
    files: Vec<(String, Vec<u8>)>,
    /// Every fingerprint of the corpus, and its posting list in the pristine index.
    postings: Vec<(u64, Vec<FileId>)>,
    /// Live files: id, name, content hash.
    records: Vec<(FileId, String, u64)>,
    digest: u64,
}

const A: &str = include_str!("../../examples/zstd-1.4.9/zstd_double_fast.c");
const B: &str = include_str!("../../examples/zstd-1.5.7/zstd_double_fast.c");

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let keep = tempfile::tempdir().expect("a temporary directory");
        let tree = keep.path().join("tree");
        let chunks = |text: &str| -> Vec<String> {
            let lines: Vec<&str> = text.lines().collect();
            lines.chunks(60).map(|c| c.join("\n") + "\n").collect()
        };
        let (ca, cb) = (chunks(A), chunks(B));
        fs::create_dir_all(tree.join("old")).unwrap();
        fs::create_dir_all(tree.join("new")).unwrap();
        for (i, c) in ca.iter().enumerate() {
            fs::write(tree.join(format!("old/part{i:02}.c")), c).unwrap();
        }
        // Ten copies of one chunk: lists longer than the inline maximum (8).
        for i in 0..10 {
            fs::write(tree.join(format!("old/copy{i}.c")), &ca[2]).unwrap();
        }
        let index = keep.path().join("pristine.simile");
        let options = BuildOptions {
            roots: vec![tree.clone()],
            memory: 64 << 10,
            ..BuildOptions::default()
        };
        simile_index::build(&index, &options, &NoProgress).expect("the fixture index builds");
        // An update: new files (a second segment) and removed ones (dead ids).
        for (i, c) in cb.iter().enumerate() {
            fs::write(tree.join(format!("new/part{i:02}.c")), c).unwrap();
        }
        for i in 0..3 {
            fs::remove_file(tree.join(format!("old/part{i:02}.c"))).unwrap();
        }
        let update = UpdateOptions {
            memory: 64 << 10,
            ..UpdateOptions::default()
        };
        simile_index::update(&index, &update, &NoProgress).expect("the fixture index updates");

        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().is_some_and(|n| n != "LOCK"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        let scratch = keep.path().join("scratch.simile");
        fs::create_dir_all(&scratch).unwrap();
        for (name, bytes) in &files {
            fs::write(scratch.join(name), bytes).unwrap();
        }

        let ix = Index::open(&index).unwrap();
        let config = ix.fingerprint_config();
        let mut hashes = BTreeSet::new();
        for text in ca.iter().chain(&cb) {
            let file = simile::SourceFile::from_text("q.c", text, None);
            hashes.extend(index_fingerprints(
                &simile::lex::tokenize(&file).tokens,
                &config,
            ));
        }
        hashes.extend([0, 1, u64::MAX]);
        let postings = hashes
            .into_iter()
            .map(|h| {
                let mut out = Vec::new();
                ix.postings(h, usize::MAX, &mut out);
                (h, out)
            })
            .collect();
        let records = ix
            .live_ids()
            .map(|id| {
                let f = ix.file(id).unwrap();
                (id, f.name, f.content_hash)
            })
            .collect();
        let digest = content_digest(&ix).unwrap();
        assert!(ix.integrity_error().is_none());
        Fixture {
            _keep: keep,
            scratch,
            files,
            postings,
            records,
            digest,
        }
    })
}

/// Run the target on one input.
pub fn run(data: &[u8]) {
    let [pick, damage, rest @ ..] = data else {
        return;
    };
    let fx = fixture();
    let (name, pristine) = &fx.files[*pick as usize % fx.files.len()];
    let path = fx.scratch.join(name);
    let damaged = damaged(fx, pristine, *damage, rest);
    match &damaged {
        Some(bytes) => fs::write(&path, bytes).unwrap(),
        None => fs::remove_file(&path).unwrap(),
    }
    let outcome = std::panic::catch_unwind(|| search(fx, &fx.scratch));
    fs::write(&path, pristine).unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// The damaged bytes of a file (`None`: the file is deleted).
fn damaged(fx: &Fixture, pristine: &[u8], damage: u8, rest: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = pristine.to_vec();
    let number = |b: &[u8]| -> usize {
        let mut v = [0u8; 4];
        let n = b.len().min(4);
        v[..n].copy_from_slice(&b[..n]);
        u32::from_le_bytes(v) as usize
    };
    match damage % 6 {
        // Bit flips: (3-byte offset, mask) pairs.
        0 => {
            for chunk in rest.chunks(4) {
                let at = number(&chunk[..chunk.len().min(3)]) % bytes.len().max(1);
                let mask = chunk.get(3).copied().filter(|&m| m != 0).unwrap_or(1);
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= mask;
                }
            }
        }
        1 => bytes.truncate(number(rest) % (bytes.len() + 1)),
        2 => bytes = rest.to_vec(),
        3 => return None,
        4 => bytes.extend_from_slice(rest),
        _ => {
            let other = &fx.files[number(rest) % fx.files.len()].1;
            bytes = other.clone();
        }
    }
    Some(bytes)
}

fn search(fx: &Fixture, dir: &Path) {
    let index = match Index::open(dir) {
        Ok(index) => index,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    // Every file record: the catalog is verified whole when opened.
    let records: Vec<(FileId, String, u64)> = index
        .live_ids()
        .map(|id| {
            let f = index.file(id).expect("a live id has a record");
            (id, f.name, f.content_hash)
        })
        .collect();
    assert_eq!(
        records, fx.records,
        "file records differ from the undamaged index"
    );
    let mut wrong = None;
    for (hash, expected) in &fx.postings {
        let mut out = Vec::new();
        let total = index.postings(*hash, usize::MAX, &mut out);
        if (&out != expected || total != expected.len()) && wrong.is_none() {
            wrong = Some(*hash);
        }
    }
    if let Some(hash) = wrong {
        assert!(
            index.integrity_error().is_some(),
            "postings of {hash:#x} differ from the undamaged index and no damage was reported"
        );
    }
    if index.integrity_error().is_none()
        && let Ok(digest) = content_digest(&index)
    {
        assert_eq!(digest, fx.digest, "content digest differs with no error");
    }
    if let Ok(report) = simile_index::check(dir) {
        assert_eq!(report.content_digest, format!("{:016x}", fx.digest));
    }
}
