//! Writes the licence catalogue (`$OUT_DIR/licences.bin`) that `license::catalogue` reads.
//!
//! The `spdx` crate's licence store takes 0.12 s and 60 MB to load, on every run that meets a
//! licence-like header: three quarters of `simile compare` on two 6,000-line files (measured,
//! bench/RESULTS.md). So the store is read here, once, at build time, and turned into what a
//! run needs to load nothing it will not use: for every licence text and standard header, its
//! word bigrams (an inverted index that rules out almost every licence in microseconds) and,
//! per licence, the store's entry serialized on its own, so a run loads only the few licences
//! a header could match into a small store.
//!
//! Format (little-endian; `str` is a u16 length and UTF-8 bytes):
//! `MAGIC`, u32 licence count, per licence: `str` name, u16 alias count and `str` aliases, u16
//! variant count, per variant: u8 kind (0 text, 1 header, 2 alternate), u8 matchable (0: a
//! variant that matches nothing), u32 distinct bigrams; then u32 offset and u32 length in the
//! blob of the licence as a one-licence `spdx` store (`Store::to_cache`, its maps in key order
//! so that every build writes the same bytes: `src/license/store_order.rs`); then u32 hash
//! count, the sorted u64 hashes, u32 offsets (count + 1) into u32 posting count and u16 variant
//! numbers; then u32 blob length and the blob.

#[path = "src/license/bigrams.rs"]
mod bigrams;
#[path = "src/license/store_order.rs"]
mod store_order;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

const MAGIC: &[u8] = b"simile-licences-2\n";

fn main() {
    keep_freed_memory();
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/license/bigrams.rs");
    println!("cargo::rerun-if-changed=src/license/store_order.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let bytes = if std::env::var_os("CARGO_FEATURE_LICENSE_DETECTION").is_some() {
        catalogue()
    } else {
        Vec::new()
    };
    std::fs::write(out.join("licences.bin"), bytes).expect("write licences.bin");
}

/// Keep freed blocks for reuse, however large. `Store::to_cache` compresses at zstd level 21,
/// whose encoder takes hundreds of megabytes; the C allocator maps such blocks afresh and
/// returns them on every call, and the 700 calls spent 95 s faulting pages in (the script took
/// 2 minutes, in every build of the crate).
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only tunes the allocator; called before this program allocates much.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

/// The Apache License 2.0 without its appendix ("How to apply the Apache License to your
/// work"), as an alternate text: most projects' `LICENSE` files stop before it (OpenSSL 3's,
/// this repository's), and matched against the list's text, which has it, such a file scored
/// lower than the Pixar licence (Apache 2.0 without the appendix, one section changed): 0.983
/// for Pixar, so Apache-2.0 files were reported as Pixar.
fn without_appendix(name: &str, text: &str) -> Option<String> {
    if name != "Apache-2.0" {
        return None;
    }
    let at = text.to_ascii_lowercase().find("appendix: how to apply")?;
    Some(text[..at].trim_end().to_owned())
}

fn catalogue() -> Vec<u8> {
    use spdx::detection::{LicenseEntry, Store, TextData};
    let store = Store::load_inline().expect("the spdx crate's licence store");
    let mut licences: Vec<_> = store.iter().collect();
    licences.sort_by(|a, b| a.0.cmp(b.0));

    let mut head = Vec::new();
    let mut blob = Vec::new();
    let mut postings: BTreeMap<u64, Vec<u16>> = BTreeMap::new();
    let mut variant = 0u16;
    head.extend_from_slice(MAGIC);
    put_u32(&mut head, licences.len() as u32);
    for (name, entry) in licences {
        put_str(&mut head, name);
        put_u16(&mut head, entry.aliases.len() as u16);
        for alias in &entry.aliases {
            put_str(&mut head, alias);
        }
        let mut variants: Vec<(u8, TextData)> = std::iter::once((0, entry.original.clone()))
            .chain(entry.headers.iter().map(|h| (1, h.clone())))
            .chain(entry.alternates.iter().map(|a| (2, a.clone())))
            .collect();
        let appendixless = without_appendix(name, &variants[0].1.lines().join("\n"));
        variants.extend(appendixless.map(|t| (2, TextData::new(&t))));
        put_u16(&mut head, variants.len() as u16);
        for (kind, data) in &variants {
            // A few stored variants have no n-grams: the store can never match them, and the
            // screen never proposes them.
            let matchable = data.match_score(data) > 0.0;
            let text = if matchable {
                data.lines().join("\n")
            } else {
                String::new()
            };
            let hashes = bigrams::bigram_hashes(&text);
            for &h in &hashes {
                postings.entry(h).or_default().push(variant);
            }
            head.push(*kind);
            head.push(u8::from(matchable));
            put_u32(&mut head, hashes.len() as u32);
            variant = variant.checked_add(1).expect("under 65,536 variants");
        }
        // The licence as the store holds it, normalized and split into n-grams: a run loads
        // it as it is, where rebuilding it from its text ran the matcher's normalization
        // again, most of the time of a licence header's detection.
        let mut one = LicenseEntry::new(variants[0].1.clone());
        one.aliases = entry.aliases.clone();
        for (kind, data) in variants.into_iter().skip(1) {
            match kind {
                1 => one.headers.push(data),
                _ => one.alternates.push(data),
            }
        }
        let mut single = Store::new();
        single.insert_entry(name.clone(), one);
        let offset = blob.len() as u32;
        write_reproducibly(&single, &mut blob);
        put_u32(&mut head, offset);
        put_u32(&mut head, blob.len() as u32 - offset);
    }
    put_u32(&mut head, postings.len() as u32);
    for h in postings.keys() {
        head.extend_from_slice(&h.to_le_bytes());
    }
    let mut at = 0u32;
    put_u32(&mut head, at);
    for ids in postings.values() {
        at += ids.len() as u32;
        put_u32(&mut head, at);
    }
    put_u32(&mut head, at);
    for ids in postings.values() {
        for id in ids {
            put_u16(&mut head, *id);
        }
    }
    put_u32(&mut head, blob.len() as u32);
    head.write_all(&blob).expect("in memory");
    head
}

/// `store` as `Store::to_cache` writes it, but with its hash maps in key order
/// (`store_order`): the same bytes in every build.
fn write_reproducibly(store: &spdx::detection::Store, out: &mut Vec<u8>) {
    let mut cache = Vec::new();
    store.to_cache(&mut cache).expect("in memory");
    let (header, compressed) = cache.split_at(store_order::HEADER_LEN);
    let body = zstd::decode_all(compressed).expect("the store just written");
    let canonical = store_order::canonical_store(&body)
        .expect("a store in the format of spdx 0.13 (src/license/store_order.rs)");
    out.extend_from_slice(header);
    // One thread, so the bytes depend on the input alone. Level 19, not the 21 of `to_cache`:
    // the catalogue is as small (5.87 MB, 3% smaller than unsorted at 21) and the script takes
    // 34 s instead of 48 s (26 s before this rewriting).
    zstd::stream::copy_encode(&canonical[..], &mut *out, 19).expect("in memory");
}

fn put_u16(out: &mut Vec<u8>, x: u16) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u16(out, u16::try_from(s.len()).expect("a short name"));
    out.extend_from_slice(s.as_bytes());
}
