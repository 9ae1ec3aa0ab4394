//! Fingerprints: k-gram rolling hashes over token hashes, selected by robust winnowing
//! (Schleimer, Wilkerson, Aiken: "Winnowing: Local Algorithms for Document Fingerprinting",
//! SIGMOD 2003). This is the third room of the pipeline; the pairwise aligner uses fingerprints
//! as seeds and the corpus index stores exactly the same values.
//!
//! Guarantees (the paper's): a match shorter than `k` tokens is never seen (noise threshold);
//! every shared run of at least `t = w + k - 1` tokens yields at least one shared fingerprint
//! (guarantee threshold); on random input about `2 / (w + 1)` of the k-grams are selected.
//!
//! Defaults: `k = 12`, `w = 8`, so `t = 19` tokens. Measured on C, a statement averages 7-9
//! tokens, so a 12-gram spans about one and a half statements: shorter runs are mostly shared
//! idioms (`for (i = 0; i < n; i++) {` is 14 tokens, and only just passes). `t = 19` means any
//! two to three shared lines are always found, and the density 2/9 keeps an index at about a
//! fifth of the source size. sim_c's default minimum run is 24 tokens, JPlag's 9-12 of its
//! coarser tokens; this sits between.
//!
//! ```
//! use simile::fingerprint::{fingerprints, Channel, FingerprintConfig};
//! use simile::lex::tokenize;
//! use simile::source::SourceFile;
//!
//! let file = SourceFile::from_text("a.c", "int add(int a, int b) { return a + b; }\n", None);
//! let tokens = tokenize(&file).tokens;
//! let fps = fingerprints(&tokens, Channel::Exact, &FingerprintConfig { k: 5, w: 4 });
//! assert!(!fps.is_empty());
//! assert!(fps.windows(2).all(|p| p[0].pos < p[1].pos));
//! ```

use crate::lex::Token;
use serde::{Deserialize, Serialize};

/// k-gram length and winnowing window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FingerprintConfig {
    /// Tokens per k-gram: the noise threshold.
    pub k: usize,
    /// k-grams per winnowing window; `w + k - 1` is the guarantee threshold.
    pub w: usize,
}

impl Default for FingerprintConfig {
    fn default() -> Self {
        FingerprintConfig { k: 12, w: 8 }
    }
}

impl FingerprintConfig {
    /// The guarantee threshold `t = w + k - 1`: runs this long are always detected.
    pub fn guarantee(&self) -> usize {
        self.w + self.k - 1
    }
}

/// A selected k-gram hash and the index of the k-gram's first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    /// The k-gram's hash.
    pub hash: u64,
    /// Token index where the k-gram starts.
    pub pos: u32,
}

/// Which token hash the k-grams are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The token text: finds identical code.
    Exact,
    /// Identifiers and literals abstracted: finds renamed code (Type-2 clones).
    Normalized,
}

/// Base of the polynomial rolling hash. Any odd 64-bit constant works; this one is fixed
/// because the index persists the hashes.
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// Hash every k-gram of `hashes` with a Karp-Rabin rolling hash (mod 2^64), then mix the bits
/// (murmur3's finalizer) so that the minimum picked by winnowing is uniform.
pub fn kgram_hashes(hashes: &[u64], k: usize) -> Vec<u64> {
    if k == 0 || hashes.len() < k {
        return Vec::new();
    }
    let top = BASE.wrapping_pow(k as u32 - 1);
    let mut h = hashes[..k]
        .iter()
        .fold(0u64, |acc, &x| acc.wrapping_mul(BASE).wrapping_add(x));
    let mut out = Vec::with_capacity(hashes.len() - k + 1);
    out.push(mix(h));
    for i in k..hashes.len() {
        h = h
            .wrapping_sub(hashes[i - k].wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(hashes[i]);
        out.push(mix(h));
    }
    out
}

#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Robust winnowing: in every window of `w` consecutive k-gram hashes select the minimum; on a
/// tie keep the hash selected for the previous window if it is still inside, otherwise take the
/// rightmost minimum. Each selected position is reported once, in increasing order. Sequences
/// shorter than one window still yield their minimum, so small files have a fingerprint.
pub fn winnow(kgrams: &[u64], w: usize) -> Vec<Fingerprint> {
    let n = kgrams.len();
    let w = w.max(1);
    let mut out = Vec::with_capacity(2 * n / (w + 1) + 1);
    if n == 0 {
        return out;
    }
    if n <= w {
        let pos = rightmost_min(kgrams, 0, n);
        out.push(Fingerprint {
            hash: kgrams[pos],
            pos: pos as u32,
        });
        return out;
    }
    let mut selected = usize::MAX;
    for end in w - 1..n {
        let start = end + 1 - w;
        if selected == usize::MAX || selected < start {
            // The previous minimum left the window: rescan it (amortised O(1) per k-gram).
            selected = rightmost_min(kgrams, start, end + 1);
        } else if kgrams[end] < kgrams[selected] {
            selected = end;
        } else {
            continue;
        }
        out.push(Fingerprint {
            hash: kgrams[selected],
            pos: selected as u32,
        });
    }
    out
}

fn rightmost_min(h: &[u64], start: usize, end: usize) -> usize {
    let mut best = start;
    for i in start + 1..end {
        if h[i] <= h[best] {
            best = i;
        }
    }
    best
}

/// The token hashes of one channel.
pub fn channel_hashes(tokens: &[Token], channel: Channel) -> Vec<u64> {
    match channel {
        Channel::Exact => tokens.iter().map(|t| t.exact).collect(),
        Channel::Normalized => tokens.iter().map(Token::norm).collect(),
    }
}

/// Winnowed fingerprints of a token stream on one channel.
pub fn fingerprints(
    tokens: &[Token],
    channel: Channel,
    config: &FingerprintConfig,
) -> Vec<Fingerprint> {
    let hashes = channel_hashes(tokens, channel);
    winnow(&kgram_hashes(&hashes, config.k), config.w)
}

#[cfg(test)]
mod tests;
