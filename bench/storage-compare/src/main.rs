//! Storage engines for the index, measured on real postings.
//!
//! `storage-compare INDEX QUERY...` reads every (fingerprint, file ids) entry of a simile index,
//! writes the same entries into simile's own segment format, redb, LMDB (heed) and fjall, each
//! in one bulk load in key order with the value encoded as simile encodes a list (count, then
//! id gaps as varints), and then looks up the fingerprints of the query files (as `find` does),
//! decoding each list. Prints one line per engine: load time, size on disk, time per pass over
//! all query fingerprints (median of 7 warm passes).

use simile::search::{PostingsSource, index_fingerprints};
use simile_index::Index;
use simile_index::format::segment::{Segment, SegmentWriter};
use std::path::Path;
use std::time::{Duration, Instant};

type Entry = (u64, Vec<u32>);

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
    let mut expected = 0usize;
    for (name, run) in [
        ("segments (simile)", segments as fn(&Path, &[Entry], &[u64]) -> (Duration, u64, Duration, usize)),
        ("redb 4.6", redb_store),
        ("heed 0.23 (LMDB)", heed_store),
        ("fjall 3.1", fjall_store),
    ] {
        let sub = dir.join(name.split(' ').next().unwrap());
        std::fs::create_dir_all(&sub).unwrap();
        let (load, bytes, pass, found) = run(&sub, &entries, &keys);
        if expected == 0 {
            expected = found;
        }
        assert_eq!(found, expected, "{name} returned other postings");
        println!(
            "{name:<20} load {:>7.2} s   size {:>7.1} MB   {} lookups {:>7.2} ms ({:.2} us each)",
            load.as_secs_f64(),
            bytes as f64 / 1e6,
            keys.len(),
            pass.as_secs_f64() * 1e3,
            pass.as_secs_f64() * 1e6 / keys.len() as f64
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

fn decode(bytes: &[u8], out: &mut Vec<u32>) {
    let mut pos = 0;
    let n = simile_index::format::varint::get(bytes, &mut pos).unwrap();
    let mut doc = 0u64;
    for _ in 0..n {
        doc += simile_index::format::varint::get(bytes, &mut pos).unwrap();
        out.push(doc as u32);
    }
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

/// Median of 7 passes after one warm-up.
fn passes(mut pass: impl FnMut() -> usize) -> (Duration, usize) {
    let found = pass();
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(pass(), found);
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[3], found)
}

fn segments(dir: &Path, entries: &[Entry], keys: &[u64]) -> (Duration, u64, Duration, usize) {
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
    let (pass, found) = passes(|| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(p) = seg.lookup(k).unwrap() {
                p.decode_into(&mut out).unwrap();
                found += out.len();
            }
        }
        found
    });
    (load, written.bytes, pass, found)
}

fn redb_store(dir: &Path, entries: &[Entry], keys: &[u64]) -> (Duration, u64, Duration, usize) {
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
    let (pass, found) = passes(|| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(v) = table.get(k).unwrap() {
                decode(v.value(), &mut out);
                found += out.len();
            }
        }
        found
    });
    (load, bytes, pass, found)
}

fn heed_store(dir: &Path, entries: &[Entry], keys: &[u64]) -> (Duration, u64, Duration, usize) {
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
    let (pass, found) = passes(|| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(v) = db.get(&rtxn, &k).unwrap() {
                decode(v, &mut out);
                found += out.len();
            }
        }
        found
    });
    (load, bytes, pass, found)
}

fn fjall_store(dir: &Path, entries: &[Entry], keys: &[u64]) -> (Duration, u64, Duration, usize) {
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
    let (pass, found) = passes(|| {
        let mut found = 0;
        for &k in keys {
            out.clear();
            if let Some(v) = ks.get(k.to_be_bytes()).unwrap() {
                decode(&v, &mut out);
                found += out.len();
            }
        }
        found
    });
    (load, bytes, pass, found)
}
