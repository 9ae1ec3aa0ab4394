//! Pairwise alignment: which tokens of A correspond to which tokens of B, grouped into regions
//! (the fourth room of the pipeline, fed by fingerprints, read by the report).
//!
//! The steps, each in its own module:
//! 1. [`seeds`]: fingerprints shared by A and B, on two channels: exact token text, and
//!    normalized (identifiers and literals abstracted) to find renamed code.
//! 2. [`fragments`]: every seed extended token by token, both ways, to a maximal matching
//!    fragment; normalized fragments are cut where identifier renames stop being consistent.
//! 3. [`tiling`]: a one-to-one selection, longest fragment first (greedy string tiling, as in
//!    JPlag): exact fragments first, then renamed fragments, which may run through exact ones
//!    on their own diagonal (so a function with one renamed variable is one region).
//! 4. [`regions`]: fragments that follow each other in both files, separated by small unmatched
//!    gaps, merge into one `edited` region; regions out of order are flagged `moved` (those off
//!    the heaviest increasing chain of regions); tiny isolated regions are dropped.
//! 5. [`linediff`]: for each edited region, a line-level diff of what changed inside it.
//!
//! Everything is symmetric in A and B up to ties between equally good fragments, so
//! `align(a, b)` mirrors `align(b, a)`.

pub mod fragments;
pub mod linediff;
mod mersenne;
pub mod regions;
pub mod seeds;
pub mod tiling;

use crate::fingerprint::{self, Channel, FingerprintConfig};
use crate::lex::Token;
use crate::source::LineIndex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub use fragments::{Fragment, NameIds};
pub use regions::{AlignedRegion, RegionKind};

/// Marks an unmatched token in [`Matching`].
pub const UNMATCHED: u32 = u32::MAX;

/// Tuning of the aligner. The defaults are documented on each field with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlignConfig {
    /// k-gram length and winnowing window of the seeds (see [`crate::fingerprint`]).
    pub fingerprint: FingerprintConfig,
    /// A fragment shorter than this many tokens is never selected. Default: `k`, the shortest
    /// run a seed can see anyway.
    pub min_fragment_tokens: usize,
    /// A region (after merging) must match at least this many tokens, or it is dropped as
    /// coincidence. Default 20: two short shared statements (`return 0; }` after a `free`)
    /// occur between unrelated files, three lines of real shared code do not. When the smaller
    /// file has fewer than twice this many tokens, half of it (but at least `k`) is enough.
    pub min_region_tokens: usize,
    /// Fragments merge into one `edited` region across gaps of at most this many lines on
    /// each side. Default 6, the same order as jscpd's `--max-gap-lines 5` and JPlag's
    /// `--gap-size 6` tokens scaled to lines: a changed statement or two, not a new function.
    pub max_gap_lines: u32,
    /// Look for renamed code (Type-2 clones) on the normalized channel. Default on.
    pub renames: bool,
}

impl AlignConfig {
    /// The region minimum for files of `na` and `nb` tokens: [`Self::min_region_tokens`], or,
    /// when the smaller file has fewer than twice that, half of the smaller file (never below
    /// `min_fragment_tokens`, default `k`, unless the file is shorter still).
    ///
    /// A fixed 20 made small files unmatchable: OpenSSL's `crypto/o_init.c` (15 tokens, one
    /// include path changed from 1.1.1 to 3) and Django's 13-token `urls_error_handlers.py`
    /// (a line added in 5.1) scored 0. Measured on the corpora (bench/RESULTS.md), this rule
    /// recovers 8 of the 31 true pairs with a line similarity >= 0.5 that scored < 0.3
    /// (Pearson r with the line similarity 0.731 -> 0.749) and adds 2 of 1000 unrelated
    /// same-project pairs above 5% (3.3% -> 3.5%: tiny Django templates sharing their
    /// `{% extends %}` lines), none across projects; lowering the global minimum to 12 instead
    /// recovers 10 but adds 25 (5.8%).
    pub fn min_region_tokens_for(&self, na: usize, nb: usize) -> usize {
        let smaller = na.min(nb);
        // At least a fragment's length (or the whole smaller file, if shorter): a region is
        // never shorter than what the aligner can select.
        let floor = self.min_fragment_tokens.min(smaller).max(1);
        self.min_region_tokens.min(smaller.div_ceil(2).max(floor))
    }

    /// The fingerprints the aligner seeds from for files of `na` and `nb` tokens: the configured
    /// ones, but every k-gram (`w = 1`) when the smaller file is shorter than twice the
    /// guarantee threshold. Winnowing keeps one k-gram per window, so below `w + k - 1` tokens a
    /// shared run may leave no shared fingerprint (Django's `urls_error_handlers.py`: 13 tokens,
    /// all shared with its 16-token successor, and winnowing picked different 12-grams on each
    /// side). For files this small every k-gram costs nothing. Measured: 2 more of those 31
    /// missed pairs found (r 0.749 -> 0.756), 1 more unrelated pair above 5%.
    pub fn seed_fingerprints_for(&self, na: usize, nb: usize) -> FingerprintConfig {
        let fp = self.fingerprint;
        let small = na.min(nb) < 2 * fp.guarantee();
        FingerprintConfig {
            k: fp.k,
            w: if small { 1 } else { fp.w },
        }
    }
}

impl Default for AlignConfig {
    fn default() -> Self {
        let fingerprint = FingerprintConfig::default();
        AlignConfig {
            fingerprint,
            min_fragment_tokens: fingerprint.k,
            // Calibrated on the registry corpora (bench/calibrate.py, bench/RESULTS.md): 12, 15,
            // 20 and 30 trade the same way, fewer misses of true version pairs for more matches
            // between unrelated files of one project (misses 21/25/31/46 of 2224 changed pairs,
            // unrelated pairs above 5% 5.8/4.4/3.3/2.4%). 20 stays; the misses it caused, nearly
            // all small files, are recovered by `min_region_tokens_for` instead. k, w, the gap
            // and renames were measured too and stay (bench/RESULTS.md).
            min_region_tokens: 20,
            max_gap_lines: 6,
            renames: true,
        }
    }
}

/// One side of an alignment: tokens, the text they came from, and its line index.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// Tokens of the file.
    pub tokens: &'a [Token],
    /// The decoded text the tokens point into.
    pub text: &'a str,
    /// Line index of `text`.
    pub lines: &'a LineIndex,
}

/// The one-to-one token matching: `a_to_b[i]` is the B token matched with A token `i`, or
/// [`UNMATCHED`]; `b_to_a` is its inverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching {
    /// A token index to B token index.
    pub a_to_b: Vec<u32>,
    /// B token index to A token index.
    pub b_to_a: Vec<u32>,
}

impl Matching {
    fn new(na: usize, nb: usize) -> Matching {
        Matching {
            a_to_b: vec![UNMATCHED; na],
            b_to_a: vec![UNMATCHED; nb],
        }
    }

    fn pair(&mut self, i: u32, j: u32) {
        self.a_to_b[i as usize] = j;
        self.b_to_a[j as usize] = i;
    }

    fn unpair(&mut self, i: u32) {
        let j = std::mem::replace(&mut self.a_to_b[i as usize], UNMATCHED);
        if j != UNMATCHED {
            self.b_to_a[j as usize] = UNMATCHED;
        }
    }

    /// Number of matched tokens (the same on both sides).
    pub fn matched(&self) -> usize {
        self.a_to_b.iter().filter(|&&j| j != UNMATCHED).count()
    }
}

/// The result of aligning two token streams.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Regions in order of their position in A.
    pub regions: Vec<AlignedRegion>,
    /// The final token matching (only tokens inside kept regions are matched).
    pub matching: Matching,
}

impl Alignment {
    /// Number of matched tokens: [`Matching::matched`], added up over the regions (every
    /// matched token is in one region) instead of counted over the whole of A.
    pub fn matched_tokens(&self) -> u32 {
        self.regions.iter().map(|r| r.matched).sum()
    }

    /// The alignment of files of `na` and `nb` tokens with these regions, its matching rebuilt
    /// from their fragments (which hold every matched pair): a caller keeping many alignments
    /// for later keeps their regions, a fraction of the two token-sized arrays of the matching.
    pub fn from_regions(regions: Vec<AlignedRegion>, na: usize, nb: usize) -> Alignment {
        let mut matching = Matching::new(na, nb);
        for f in regions.iter().flat_map(|r| &r.fragments) {
            (0..f.len).for_each(|t| matching.pair(f.a + t, f.b + t));
        }
        Alignment { regions, matching }
    }
}

/// What aligning needs of one file that depends on that file alone: its token hashes and its
/// winnowed fingerprints sorted by hash, on the exact channel and (with renames) the normalized
/// one. [`align`] computes it for both files on the spot; a caller that aligns one file with
/// many others (`clones`, a corpus search) computes it once per file and calls
/// [`align_prepared`]: measured on zstd's `lib/` (743 pairs of 173 files) this was a third of the
/// time of all the alignments.
#[derive(Debug, Clone)]
pub struct Prepared {
    seeds: FingerprintConfig,
    exact: ChannelSeeds,
    normalized: Option<ChannelSeeds>,
    /// The file's names numbered, for cutting renamed fragments (with renames only).
    names: Option<NameIds>,
}

#[derive(Debug, Clone)]
struct ChannelSeeds {
    hashes: Vec<u64>,
    by_hash: Vec<fingerprint::Fingerprint>,
}

/// One channel of one side as [`align_seeded`] reads it: token hashes, and the fingerprints to
/// seed from, sorted by hash.
#[derive(Debug, Clone, Copy)]
struct SeedsRef<'p> {
    hashes: &'p [u64],
    by_hash: &'p [fingerprint::Fingerprint],
}

/// Both channels of one side (`normalized` only with renames, and with it the side's names).
#[derive(Debug, Clone, Copy)]
struct SideSeeds<'p> {
    exact: SeedsRef<'p>,
    normalized: Option<(SeedsRef<'p>, &'p NameIds)>,
}

impl ChannelSeeds {
    fn as_ref(&self) -> SeedsRef<'_> {
        SeedsRef {
            hashes: &self.hashes,
            by_hash: &self.by_hash,
        }
    }
}

impl Prepared {
    fn seeds(&self) -> SideSeeds<'_> {
        SideSeeds {
            exact: self.exact.as_ref(),
            normalized: self
                .normalized
                .as_ref()
                .zip(self.names.as_ref())
                .map(|(n, names)| (n.as_ref(), names)),
        }
    }
}

impl ChannelSeeds {
    fn new(tokens: &[Token], channel: Channel, fp: &FingerprintConfig) -> ChannelSeeds {
        let hashes = fingerprint::channel_hashes(tokens, channel);
        let by_hash = seeds::by_hash(fingerprint::winnow(
            &fingerprint::kgram_hashes(&hashes, fp.k),
            fp.w,
        ));
        ChannelSeeds { hashes, by_hash }
    }
}

impl Prepared {
    /// Prepare `tokens` for alignments with `config`, seeded with `config.fingerprint` (for
    /// files too small for winnowing's guarantee, [`align_prepared`] seeds afresh).
    pub fn new(tokens: &[Token], config: &AlignConfig) -> Prepared {
        Prepared::with_seeds(tokens, config.fingerprint, config.renames)
    }

    fn with_seeds(tokens: &[Token], seeds: FingerprintConfig, renames: bool) -> Prepared {
        Prepared {
            seeds,
            exact: ChannelSeeds::new(tokens, Channel::Exact, &seeds),
            normalized: renames.then(|| ChannelSeeds::new(tokens, Channel::Normalized, &seeds)),
            names: renames.then(|| NameIds::new(tokens)),
        }
    }

    /// The winnowed fingerprints of `channel` (sorted by hash), when they were prepared.
    pub fn winnowed(&self, channel: Channel) -> Option<&[fingerprint::Fingerprint]> {
        match channel {
            Channel::Exact => Some(&self.exact.by_hash),
            Channel::Normalized => self.normalized.as_ref().map(|n| &n.by_hash[..]),
        }
    }

    /// Approximate heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        let channel = |c: &ChannelSeeds| {
            c.hashes.len() * 8 + c.by_hash.len() * std::mem::size_of::<fingerprint::Fingerprint>()
        };
        channel(&self.exact)
            + self.normalized.as_ref().map_or(0, channel)
            + self.names.as_ref().map_or(0, NameIds::heap_bytes)
    }

    /// Whether this is [`Prepared::new`] of `config` (its seeds and channels).
    pub fn is_for(&self, config: &AlignConfig) -> bool {
        self.seeds == config.fingerprint && self.normalized.is_some() == config.renames
    }

    /// Whether this preparation serves an alignment of files of `na` and `nb` tokens.
    fn serves(&self, config: &AlignConfig, na: usize, nb: usize) -> bool {
        self.seeds == config.seed_fingerprints_for(na, nb)
            && (!config.renames || (self.normalized.is_some() && self.names.is_some()))
    }
}

/// Align two token streams.
pub fn align(a: Side<'_>, b: Side<'_>, config: &AlignConfig) -> Alignment {
    if same_tokens(a.tokens, b.tokens) {
        return align_identical(a, b, config);
    }
    if a.tokens.len().min(b.tokens.len()) < config.fingerprint.k {
        return align_tiny(a, b, config);
    }
    let fp = config.seed_fingerprints_for(a.tokens.len(), b.tokens.len());
    if fp != config.fingerprint {
        return align_with_small_file((a, None), (b, None), config);
    }
    let pa = Prepared::with_seeds(a.tokens, fp, config.renames);
    let pb = Prepared::with_seeds(b.tokens, fp, config.renames);
    align_seeded((a, pa.seeds()), (b, pb.seeds()), config)
}

/// [`align`], with each side's [`Prepared`] data computed beforehand (for the same tokens).
pub fn align_prepared(
    (a, pa): (Side<'_>, &Prepared),
    (b, pb): (Side<'_>, &Prepared),
    config: &AlignConfig,
) -> Alignment {
    let (na, nb) = (a.tokens.len(), b.tokens.len());
    if same_tokens(a.tokens, b.tokens) {
        return align_identical(a, b, config);
    }
    if na.min(nb) < config.fingerprint.k {
        return align_tiny(a, b, config);
    }
    if config.seed_fingerprints_for(na, nb) != config.fingerprint {
        return align_with_small_file((a, Some(pa)), (b, Some(pb)), config);
    }
    if !pa.serves(config, na, nb) || !pb.serves(config, na, nb) {
        return align(a, b, config);
    }
    align_seeded((a, pa.seeds()), (b, pb.seeds()), config)
}

/// [`align_seeded`] when one file is too small for winnowing's guarantee, so every k-gram
/// seeds ([`AlignConfig::seed_fingerprints_for`]). Only k-grams whose hash the other file has
/// can seed, so each side keeps just those before sorting by hash: the seeds are the same as
/// with all k-grams, without sorting every k-gram of a large file (zstd's 23,739-token
/// `zstd_v07.c` with a 36-token file took 1.9 ms, 96% of it sorting; `clones` on zstd's `lib/`
/// aligns 37 such pairs). The token hashes come from `Prepared` data when there is some.
fn align_with_small_file<'p>(
    (a, pa): (Side<'_>, Option<&'p Prepared>),
    (b, pb): (Side<'_>, Option<&'p Prepared>),
    config: &AlignConfig,
) -> Alignment {
    let exact = every_shared_kgram(config, (a.tokens, pa), (b.tokens, pb), Channel::Exact);
    let normalized = config
        .renames
        .then(|| every_shared_kgram(config, (a.tokens, pa), (b.tokens, pb), Channel::Normalized));
    let names = |tokens: &[Token], p: Option<&'p Prepared>| -> Cow<'p, NameIds> {
        match p.and_then(|p| p.names.as_ref()) {
            Some(names) => Cow::Borrowed(names),
            None => Cow::Owned(NameIds::new(tokens)),
        }
    };
    let names = normalized
        .is_some()
        .then(|| (names(a.tokens, pa), names(b.tokens, pb)));
    let normalized = normalized.as_ref().zip(names.as_ref());
    let seeds_a = SideSeeds {
        exact: exact.a(),
        normalized: normalized.map(|(n, names)| (n.a(), &*names.0)),
    };
    let seeds_b = SideSeeds {
        exact: exact.b(),
        normalized: normalized.map(|(n, names)| (n.b(), &*names.1)),
    };
    align_seeded((a, seeds_a), (b, seeds_b), config)
}

/// One channel of both sides for [`align_with_small_file`]: token hashes (borrowed from
/// `Prepared` data when there is some) and the k-grams whose hash both sides have.
struct SharedKgrams<'p> {
    hashes: (Cow<'p, [u64]>, Cow<'p, [u64]>),
    kgrams: (Vec<fingerprint::Fingerprint>, Vec<fingerprint::Fingerprint>),
}

impl SharedKgrams<'_> {
    fn a(&self) -> SeedsRef<'_> {
        SeedsRef {
            hashes: &self.hashes.0,
            by_hash: &self.kgrams.0,
        }
    }

    fn b(&self) -> SeedsRef<'_> {
        SeedsRef {
            hashes: &self.hashes.1,
            by_hash: &self.kgrams.1,
        }
    }
}

fn every_shared_kgram<'p>(
    config: &AlignConfig,
    a: (&[Token], Option<&'p Prepared>),
    b: (&[Token], Option<&'p Prepared>),
    channel: Channel,
) -> SharedKgrams<'p> {
    let hashes = |(tokens, p): (&[Token], Option<&'p Prepared>)| -> Cow<'p, [u64]> {
        let kept = p.and_then(|p| match channel {
            Channel::Exact => Some(&p.exact),
            Channel::Normalized => p.normalized.as_ref(),
        });
        match kept {
            Some(seeds) => Cow::Borrowed(&seeds.hashes),
            None => Cow::Owned(fingerprint::channel_hashes(tokens, channel)),
        }
    };
    let (ha, hb) = (hashes(a), hashes(b));
    let k = config.fingerprint.k;
    let kgrams = seeds::every_shared_kgram(
        &fingerprint::kgram_hashes(&ha, k),
        &fingerprint::kgram_hashes(&hb, k),
    );
    SharedKgrams {
        hashes: (ha, hb),
        kgrams,
    }
}

/// Seeds -> fragments -> tiling (exact, then renamed) -> regions, for code that differs.
fn align_seeded(
    (a, pa): (Side<'_>, SideSeeds<'_>),
    (b, pb): (Side<'_>, SideSeeds<'_>),
    config: &AlignConfig,
) -> Alignment {
    let mut matching = Matching::new(a.tokens.len(), b.tokens.len());
    let seeds = seeds::shared_seeds_by_hash(pa.exact.by_hash, pb.exact.by_hash);
    let exact_fragments = fragments::extend(&seeds, pa.exact.hashes, pb.exact.hashes);
    let mut tiles = tiling::tile_exact(
        exact_fragments,
        &mut matching,
        a.tokens,
        b.tokens,
        config.min_fragment_tokens,
    );

    if let (true, Some((norm_a, names_a)), Some((norm_b, names_b))) =
        (config.renames, pa.normalized, pb.normalized)
    {
        let seeds = seeds::shared_seeds_with(
            norm_a.by_hash,
            norm_b.by_hash,
            seeds::CommonHashes::SkipVeryCommon,
        );
        let normalized = fragments::extend(&seeds, norm_a.hashes, norm_b.hashes);
        let mut splitter = fragments::Splitter::default();
        let split = |f: Fragment, out: &mut Vec<Fragment>| {
            splitter.split(f, (a.tokens, names_a), (b.tokens, names_b), out);
        };
        tiles.extend(tiling::tile_renamed(
            normalized,
            split,
            &mut matching,
            a.tokens,
            b.tokens,
            config.min_fragment_tokens,
        ));
    }

    let regions = regions::build(a, b, &mut matching, tiles, config);
    Alignment { regions, matching }
}

/// Identical code: one diagonal. This also covers files shorter than a k-gram, which have no
/// seeds, and makes a file compared with a copy of itself cost O(n).
fn align_identical(a: Side<'_>, b: Side<'_>, config: &AlignConfig) -> Alignment {
    let mut matching = Matching::new(a.tokens.len(), b.tokens.len());
    for i in 0..a.tokens.len() as u32 {
        matching.pair(i, i);
    }
    let whole = Fragment {
        a: 0,
        b: 0,
        len: a.tokens.len() as u32,
    };
    let tiles = if whole.len > 0 {
        vec![whole]
    } else {
        Vec::new()
    };
    let regions = regions::build(a, b, &mut matching, tiles, config);
    Alignment { regions, matching }
}

/// A file shorter than a k-gram has no fingerprint to seed from, and a region in a file this
/// small must match all of it ([`AlignConfig::min_region_tokens_for`]). So the whole smaller
/// file is looked for in the other, in order, as one region would hold it: each token in the
/// same order, the gaps between them no wider than a region may bridge. The tightest such
/// place wins (the earliest of equally tight ones); [`regions::build`] then classifies it, and
/// drops it if its gaps are too many lines.
///
/// A file of fewer than half a k-gram is one short statement (an include, an assignment) that
/// turns up anywhere, and is not looked for: only a file of the same tokens matches it.
///
/// Before this rule a file shorter than a k-gram matched only a file of the same tokens:
/// zstd's `common/debug.c` (8 tokens: an include and `int g_debuglevel = DEBUGLEVEL;`) scored 0
/// with its next release, which wraps the same declaration in an `#if`. Measured with
/// `bench/calibrate.py` (bench/RESULTS.md): 4 more of the 2,224 changed version pairs found, no
/// unrelated pair changed.
fn align_tiny(a: Side<'_>, b: Side<'_>, config: &AlignConfig) -> Alignment {
    let mut matching = Matching::new(a.tokens.len(), b.tokens.len());
    let a_is_needle = a.tokens.len() <= b.tokens.len();
    let (needle, hay) = if a_is_needle {
        (a.tokens, b.tokens)
    } else {
        (b.tokens, a.tokens)
    };
    let max_gap = regions::max_gap_tokens(config);
    let found = (needle.len() >= config.fingerprint.k.div_ceil(2))
        .then(|| tightest_occurrence(needle, hay, max_gap))
        .flatten();
    let mut tiles = Vec::new();
    if let Some(found) = found {
        for (i, j) in found.into_iter().enumerate() {
            let (i, j) = if a_is_needle {
                (i as u32, j as u32)
            } else {
                (j as u32, i as u32)
            };
            matching.pair(i, j);
            tiles.push(Fragment { a: i, b: j, len: 1 });
        }
    }
    let regions = regions::build(a, b, &mut matching, tiles, config);
    Alignment { regions, matching }
}

/// The positions in `hay` of every token of `needle`, in order, with at most `max_gap` tokens
/// between two consecutive ones, spanning the fewest tokens of `hay` (the earliest of equally
/// short spans); `None` if there is no such place or `needle` is empty. Greedy matching from
/// each start finds that start's shortest span, so this costs at most
/// `hay.len() * needle.len() * max_gap` token comparisons, and far less in practice: a scan
/// stops at the first gap too wide or span no shorter than the best, and a contiguous
/// occurrence ends the search.
fn tightest_occurrence(needle: &[Token], hay: &[Token], max_gap: usize) -> Option<Vec<usize>> {
    let first = needle.first()?;
    let mut best: Option<Vec<usize>> = None;
    let mut found = Vec::with_capacity(needle.len());
    for start in 0..hay.len() {
        if hay[start].exact != first.exact {
            continue;
        }
        let best_span = best.as_ref().map_or(usize::MAX, |b| b[b.len() - 1] - b[0]);
        found.clear();
        found.push(start);
        let mut at = start;
        for t in &needle[1..] {
            let limit = (at + 1 + max_gap).min(hay.len() - 1);
            let next = (at + 1..=limit).find(|&j| hay[j].exact == t.exact);
            match next {
                Some(j) if j - start < best_span => {
                    found.push(j);
                    at = j;
                }
                _ => break,
            }
        }
        if found.len() == needle.len() {
            let contiguous = at - start + 1 == needle.len();
            best = Some(found.clone());
            if contiguous {
                break;
            }
        }
    }
    best
}

fn same_tokens(a: &[Token], b: &[Token]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.exact == y.exact)
}

#[cfg(test)]
mod tests;
