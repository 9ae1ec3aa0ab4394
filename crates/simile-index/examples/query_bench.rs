//! Postings-level query latency: for each query file, look up its fingerprints in an index,
//! count shared fingerprints per file (fingerprints held by more than `max(10, sqrt(files))`
//! files are counted but not listed, as `find` does) and keep the top 20. Prints the median and
//! percentiles over all warm runs, as one JSON line: wall time, and the thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), which a busy shared machine does not inflate.
//!
//! `cargo run --release -p simile-index --example query_bench -- INDEX QUERY... [--runs N]`

use simile::search::{PostingsSource, index_fingerprints};
use simile_index::Index;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 20usize;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args[i + 1].parse().expect("--runs N");
        args.drain(i..i + 2);
    }
    let (index_path, queries) = args.split_first().expect("INDEX QUERY...");
    let opened = Instant::now();
    let index = Index::open(index_path).unwrap_or_else(|e| panic!("{e}"));
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;
    let config = index.fingerprint_config();
    let files = index.file_count();
    let max_df = ((files as f64).sqrt().round() as usize).max(10);
    let mut counts = vec![0u32; files];
    let mut touched: Vec<u32> = Vec::new();
    let mut postings = Vec::new();
    let mut lookup_times = Vec::new();
    let mut total_times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut hashes_per_query = Vec::new();
    let mut top_hits = 0usize;
    for q in queries {
        let source = simile::source::read_source(q.as_ref(), &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        for run in 0..runs + 1 {
            let start = Instant::now();
            let cpu_start = thread_cpu_ns();
            let tokens = simile::lex::tokenize(&source).tokens;
            let hashes = index_fingerprints(&tokens, &config);
            let fingerprinted = Instant::now();
            for &h in &hashes {
                postings.clear();
                let df = index.postings(h, max_df, &mut postings);
                if df <= max_df {
                    for &id in &postings {
                        let c = &mut counts[id as usize];
                        if *c == 0 {
                            touched.push(id);
                        }
                        *c += 1;
                    }
                }
            }
            let k = 20.min(touched.len());
            if k > 0 {
                touched.select_nth_unstable_by(k - 1, |&a, &b| {
                    counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b))
                });
            }
            let mut top: Vec<(u32, u32)> = touched[..k]
                .iter()
                .map(|&id| (counts[id as usize], id))
                .collect();
            top.sort_unstable_by(|a, b| b.cmp(a));
            let done = Instant::now();
            let cpu_done = thread_cpu_ns();
            for &id in &touched {
                counts[id as usize] = 0;
            }
            touched.clear();
            if run == 0 {
                // cold-ish first run: not counted
                hashes_per_query.push(hashes.len());
                if let Some(&(_, id)) = top.first()
                    && index
                        .file(id)
                        .is_some_and(|f| f.content_hash == source.content_hash)
                {
                    top_hits += 1;
                }
                continue;
            }
            lookup_times.push((done - fingerprinted).as_secs_f64() * 1e3);
            total_times.push((done - start).as_secs_f64() * 1e3);
            if let (Some(a), Some(b)) = (cpu_start, cpu_done) {
                cpu_times.push((b - a) as f64 / 1e6);
            }
        }
    }
    if let Some(e) = index.integrity_error() {
        panic!("{e}");
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[((v.len() - 1) as f64 * p).round() as usize]
    };
    println!(
        "{{\"files\": {files}, \"queries\": {}, \"runs\": {runs}, \"open_ms\": {open_ms:.2}, \"fingerprints_per_query_median\": {}, \"lookup_ms_median\": {:.3}, \"lookup_ms_p90\": {:.3}, \"query_ms_median\": {:.3}, \"query_ms_p90\": {:.3}, \"query_ms_max\": {:.3}, \"query_cpu_ms_median\": {:.3}, \"self_found_first\": {top_hits}}}",
        queries.len(),
        {
            let mut h = hashes_per_query.clone();
            h.sort();
            h[h.len() / 2]
        },
        pct(&mut lookup_times, 0.5),
        pct(&mut lookup_times, 0.9),
        pct(&mut total_times, 0.5),
        pct(&mut total_times, 0.9),
        pct(&mut total_times, 1.0),
        if cpu_times.is_empty() {
            f64::NAN
        } else {
            pct(&mut cpu_times, 0.5)
        },
    );
}

/// CPU time of this thread in nanoseconds.
fn thread_cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}
