//! Storage engines for the index, measured on real postings.
//!
//! `storage-compare INDEX QUERY...` reads every (fingerprint, file ids) entry of a simile index,
//! writes the same entries into simile's own segment format, redb, LMDB (heed) and fjall, each
//! in one bulk load in key order with the value encoded as simile encodes a list (count, then
//! id gaps as varints), and then looks up the fingerprints of the query files (as `find` does),
//! reading each list as `find` does (lists of more than [`MAX_DF`] files are only counted) and
//! then reading every list. Prints a Markdown table: load time, size on disk, time per pass
//! over all query fingerprints (median thread CPU time of 9 warm passes: the machine is shared).

use simile::search::{PostingsSource, index_fingerprints};
use simile_index::Index;
use simile_index::format::segment::{Segment, SegmentWriter};
use std::path::Path;
use std::time::{Duration, Instant};

type Entry = (u64, Vec<u32>);

/// Lists longer than this are counted, not read (as `find` does: sqrt of ~100,000 files).
const MAX_DF: usize = 311;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (index_path, queries) = args.split_first().expect("INDEX QUERY...");
    let index = Index::open(index_path).unwrap_or_else(|e| panic!("{e}"));
    let entries = read_entries(index_path.as_ref());
    let postings: usize = entries.iter().map(|e| e.1.len()).sum();
    let config = index.fingerprint_config();
    let mut keys: Vec<u64> = Vec::new();
    for q in queries {
        let source = simile::source::read_source(q.as_ref(), &Default::default()).unwrap();
        keys.extend(index_fingerprints(&simile::lex::tokenize(&source).tokens, &config));
    }
    println!(
        "{} keys, {} postings; {} query fingerprints from {} files",
        entries.len(),
        postings,
        keys.len(),
        queries.len()
    );
    let scratch = tempfile::tempdir_in("/tmp").unwrap();
    let dir = scratch.path();
    let mut expected = (0usize, 0usize);
    println!("| engine | bulk load s (wall) | size MB | lookups, find's limit: CPU ms per pass (us each) | lookups, every list read: CPU ms per pass (us each) |");
    println!("|---|---|---|---|---|");
    for (name, run) in [
        ("segments (simile)", segments as fn(&Path, &[Entry], &[u64]) -> Measured),
        ("redb 4.6", redb_store),
        ("heed 0.23 (LMDB)", heed_store),
        ("fjall 3.1", fjall_store),
    ] {
        let sub = dir.join(name.split(' ').next().unwrap());
        std::fs::create_dir_all(&sub).unwrap();
        let m = run(&sub, &entries, &keys);
        let found = (m.find.1, m.all.1);
        if expected == (0, 0) {
            expected = found;
        }
        assert_eq!(found, expected, "{name} returned other postings");
        let per = |d: Duration| {
            format!(
                "{:.2} ({:.2})",
                d.as_secs_f64() * 1e3,
                d.as_secs_f64() * 1e6 / keys.len() as f64
            )
        };
        println!(
            "| {name} | {:.2} | {:.1} | {} | {} |",
            m.load.as_secs_f64(),
            m.bytes as f64 / 1e6,
            per(m.find.0),
            per(m.all.0)
        );
    }
}

fn read_entries(index: &Path) -> Vec<Entry> {
    let ix = Index::open(index).unwrap();
    let mut out = Vec::new();
    for s in &ix.manifest().segments {
        let file = std::fs::File::open(index.join(&s.file.name)).unwrap();
        let seg = Segment::open(&file).unwrap_or_else(|e| panic!("{e:?}"));
        for e in seg.entries() {
            let (k, p) = e.unwrap();
            let mut docs = Vec::new();
            p.decode_into(&mut docs).unwrap();
            out.push((k, docs));
        }
    }
    out.sort_by_key(|e| e.0);
    out
}

fn encode(docs: &[u32]) -> Vec<u8> {
    let mut v = Vec::with_capacity(docs.len() * 3 + 2);
    simile_index::format::varint::put(&mut v, docs.len() as u64);
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        simile_index::format::varint::put(&mut v, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    v
}

/// The count; the ids too when at most `max_df`.
fn decode(bytes: &[u8], out: &mut Vec<u32>, max_df: usize) -> usize {
    let mut pos = 0;
    let n = simile_index::format::varint::get(bytes, &mut pos).unwrap();
    if n as usize > max_df {
        return n as usize;
    }
    let mut doc = 0u64;
    for _ in 0..n {
        doc += simile_index::format::varint::get(bytes, &mut pos).unwrap();
        out.push(doc as u32);
    }
    n as usize
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() { dir_size(&e.path()) } else { m.len() }
        })
        .sum()
}

/// Load time, size, and the two passes (find-like, read-everything) with what they found.
struct Measured {
    load: Duration,
    bytes: u64,
    find: (Duration, usize),
    all: (Duration, usize),
}

/// CPU time of this thread: the machine is shared, and wall time measures the neighbours.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Median thread CPU time of 9 passes after one warm-up, for `find`'s limit and for no limit.
fn passes(mut pass: impl FnMut(usize) -> usize) -> ((Duration, usize), (Duration, usize)) {
    let mut one = |max_df: usize| {
        let found = pass(max_df);
        let mut times: Vec<Duration> = (0..9)
            .map(|_| {
                let t = thread_cpu();
                assert_eq!(pass(max_df), found);
                thread_cpu() - t
            })
            .collect();
        times.sort();
        (times[4], found)
    };
    (one(MAX_DF), one(usize::MAX))
}

fn segments(dir: &Path, entries: &[Entry], keys: &[u64]) -> Measured {
    let path = dir.join("seg.sgm");
    let t = Instant::now();
    let mut w = SegmentWriter::create(&path).unwrap();
    for (k, d) in entries {
        w.add(*k, d).unwrap();
    }
    let written = w.finish(true).unwrap();
    let load = t.elapsed();
    let seg = Segment::open(&std::fs::File::open(&path).unwrap()).unwrap();
    let mut out = Vec::new();
    let (find, all) = passes(|max_df| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(p) = seg.lookup(k).unwrap() {
                if p.count as usize <= max_df {
                    p.decode_into(&mut out).unwrap();
                }
                found += p.count as usize + out.len();
            }
        }
        found
    });
    Measured { load, bytes: written.bytes, find, all }
}

fn redb_store(dir: &Path, entries: &[Entry], keys: &[u64]) -> Measured {
    use redb::{ReadableDatabase, TableDefinition};
    const TABLE: TableDefinition<u64, &[u8]> = TableDefinition::new("postings");
    let path = dir.join("db.redb");
    let t = Instant::now();
    let db = redb::Database::create(&path).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut table = txn.open_table(TABLE).unwrap();
        for (k, d) in entries {
            table.insert(k, encode(d).as_slice()).unwrap();
        }
    }
    txn.commit().unwrap();
    let load = t.elapsed();
    drop(db);
    let bytes = std::fs::metadata(&path).unwrap().len();
    let db = redb::ReadOnlyDatabase::open(&path).unwrap();
    let read = db.begin_read().unwrap();
    let table = read.open_table(TABLE).unwrap();
    let mut out = Vec::new();
    let (find, all) = passes(|max_df| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(v) = table.get(k).unwrap() {
                found += decode(v.value(), &mut out, max_df) + out.len();
            }
        }
        found
    });
    Measured { load, bytes, find, all }
}

fn heed_store(dir: &Path, entries: &[Entry], keys: &[u64]) -> Measured {
    use heed::byteorder::BigEndian;
    use heed::types::{Bytes, U64};
    let t = Instant::now();
    // SAFETY: the environment is opened once, by this process only.
    let env = unsafe {
        heed::EnvOpenOptions::new()
            .map_size(8 << 30)
            .max_dbs(1)
            .open(dir)
            .unwrap()
    };
    let wtxn = env.write_txn().unwrap();
    let db = env
        .create_databases_and_commit(wtxn, |opener, wtxn| -> Result<_, heed::Error> {
            let db = opener.create_database::<U64<BigEndian>, Bytes>(wtxn, None)?;
            Ok(heed::CommitOrAbort::<_, ()>::Commit(db))
        })
        .unwrap()
        .unwrap_commit();
    let mut wtxn = env.write_txn().unwrap();
    for (k, d) in entries {
        db.put_with_flags(&mut wtxn, heed::PutFlags::APPEND, k, &encode(d))
            .unwrap();
    }
    wtxn.commit().unwrap();
    env.force_sync().unwrap();
    let load = t.elapsed();
    let bytes = dir_size(dir);
    let rtxn = env.read_txn().unwrap();
    let mut out = Vec::new();
    let (find, all) = passes(|max_df| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(v) = db.get(&rtxn, &k).unwrap() {
                found += decode(v, &mut out, max_df) + out.len();
            }
        }
        found
    });
    Measured { load, bytes, find, all }
}

fn fjall_store(dir: &Path, entries: &[Entry], keys: &[u64]) -> Measured {
    let t = Instant::now();
    let db = fjall::Database::builder(dir).open().unwrap();
    let ks = db
        .keyspace("postings", fjall::KeyspaceCreateOptions::default)
        .unwrap();
    let mut ingest = ks.start_ingestion().unwrap();
    for (k, d) in entries {
        ingest.write(k.to_be_bytes().to_vec(), encode(d)).unwrap();
    }
    ingest.finish().unwrap();
    db.persist(fjall::PersistMode::SyncAll).unwrap();
    let load = t.elapsed();
    let bytes = dir_size(dir);
    let mut out = Vec::new();
    let (find, all) = passes(|max_df| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(v) = ks.get(k.to_be_bytes()).unwrap() {
                found += decode(&v, &mut out, max_df) + out.len();
            }
        }
        found
    });
    Measured { load, bytes, find, all }
}
