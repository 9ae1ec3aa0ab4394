//! Word bigrams of a text, as hashes: what the licence pre-screen compares. This file is also
//! compiled into the crate's build script (which writes the licence catalogue), so it uses
//! only `std`, and its hash must never change without the catalogue format's version.

/// The distinct word bigrams of `text`, hashed, sorted. Words are runs of letters and digits,
/// lowercased: a cruder normalization than the licence matcher's, which is why the
/// pre-screen's bar sits well below what a match needs.
pub fn bigram_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut previous: Option<String> = None;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        if let Some(p) = &previous {
            out.push(fnv1a(&[p.as_bytes(), b" ", word.as_bytes()]));
        }
        previous = Some(word);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// 64-bit FNV-1a: tiny, stable across builds and platforms (the catalogue stores its values).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
