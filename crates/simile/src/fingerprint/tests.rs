//! Fingerprint tests: the winnowing paper's guarantees as properties, density on random input,
//! robust winnowing on repetitive input, and pinned hash values (the index persists them).

use super::*;
use crate::lex::{exact_hash, tokenize};
use crate::source::SourceFile;
use proptest::prelude::*;

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("SIMILE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

/// A small deterministic generator (splitmix64) for the large random inputs of the density
/// tests, so they need no proptest shrinking and always run on the same data.
fn random_hashes(n: usize, seed: u64) -> Vec<u64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        })
        .collect()
}

fn hashes_of(fps: &[Fingerprint]) -> std::collections::HashSet<u64> {
    fps.iter().map(|f| f.hash).collect()
}

/// The k-gram hash computed from scratch, to check the rolling update.
fn direct_kgram(window: &[u64]) -> u64 {
    mix(window
        .iter()
        .fold(0u64, |acc, &x| acc.wrapping_mul(BASE).wrapping_add(x)))
}

// ----- the paper's guarantees -------------------------------------------------------------------

/// Token streams with a planted shared run: `(a, b, k, w)`. Tokens come from a small alphabet
/// some of the time, so k-gram hashes repeat and robust winnowing's tie rule is exercised.
fn planted() -> impl Strategy<Value = (Vec<u64>, Vec<u64>, usize, usize)> {
    (1usize..=16, 1usize..=12, 0usize..=12, prop::bool::ANY).prop_flat_map(
        |(k, w, extra, small_alphabet)| {
            let t = w + k - 1;
            let token = if small_alphabet {
                (0u64..3).boxed()
            } else {
                any::<u64>().boxed()
            };
            let shared = prop::collection::vec(token.clone(), t + extra);
            let a_pre = prop::collection::vec(token.clone(), 0..40);
            let a_post = prop::collection::vec(token.clone(), 0..40);
            let b_pre = prop::collection::vec(token.clone(), 0..40);
            let b_post = prop::collection::vec(token, 0..40);
            (shared, a_pre, a_post, b_pre, b_post).prop_map(move |(s, ap, aq, bp, bq)| {
                let a = [ap, s.clone(), aq].concat();
                let b = [bp, s, bq].concat();
                (a, b, k, w)
            })
        },
    )
}

proptest! {
    #![proptest_config(cases(512))]

    /// Every shared run of at least `t = w + k - 1` tokens yields a shared fingerprint.
    #[test]
    fn a_shared_run_of_the_guarantee_length_shares_a_fingerprint((a, b, k, w) in planted()) {
        let fa = winnow(&kgram_hashes(&a, k), w);
        let fb = winnow(&kgram_hashes(&b, k), w);
        let shared = hashes_of(&fa).intersection(&hashes_of(&fb)).count();
        prop_assert!(shared > 0, "k={} w={} |a|={} |b|={}", k, w, a.len(), b.len());
    }

    /// Every window of `w` consecutive k-grams holds a selected position (the local property
    /// behind the guarantee), each selected hash is the minimum of a window containing it, and
    /// positions strictly increase.
    #[test]
    fn every_window_holds_a_fingerprint(
        tokens in prop::collection::vec(0u64..5, 0..300),
        k in 1usize..=10,
        w in 1usize..=10,
    ) {
        let kgrams = kgram_hashes(&tokens, k);
        let fps = winnow(&kgrams, w);
        prop_assert!(fps.windows(2).all(|p| p[0].pos < p[1].pos));
        prop_assert!(fps.iter().all(|f| (f.pos as usize) < kgrams.len() && kgrams[f.pos as usize] == f.hash));
        if kgrams.is_empty() {
            prop_assert!(fps.is_empty());
            return Ok(());
        }
        let selected: Vec<usize> = fps.iter().map(|f| f.pos as usize).collect();
        let windows = kgrams.len().saturating_sub(w) + 1;
        for start in 0..windows {
            let end = (start + w).min(kgrams.len());
            let min = *kgrams[start..end].iter().min().unwrap();
            prop_assert!(
                selected.iter().any(|&p| p >= start && p < end && kgrams[p] == min),
                "window {}..{} has no selected minimum", start, end
            );
        }
    }

    /// The rolling update equals hashing each k-gram from scratch.
    #[test]
    fn rolling_hash_equals_direct_hash(tokens in prop::collection::vec(any::<u64>(), 0..100), k in 1usize..=20) {
        let rolled = kgram_hashes(&tokens, k);
        let direct: Vec<u64> = tokens.windows(k).map(direct_kgram).collect();
        prop_assert_eq!(rolled, direct);
    }

    /// Fingerprints depend only on content: the same run at any offset gives the same hashes.
    #[test]
    fn fingerprints_are_position_independent(tokens in prop::collection::vec(any::<u64>(), 30..80), pad in 0usize..50) {
        let k = 5;
        let mut shifted = vec![7u64; pad];
        shifted.extend_from_slice(&tokens);
        let plain = kgram_hashes(&tokens, k);
        let moved = kgram_hashes(&shifted, k);
        prop_assert_eq!(&moved[pad..], &plain[..]);
    }
}

#[test]
fn runs_shorter_than_k_are_never_seen() {
    // The noise threshold: sequences that share only runs shorter than k share no k-gram.
    let a: Vec<u64> = (0..200).collect();
    let mut b = a.clone();
    for i in (0..b.len()).step_by(5) {
        b[i] += 1000; // every fifth token differs: shared runs are 4 tokens long
    }
    let (fa, fb) = (
        winnow(&kgram_hashes(&a, 5), 1),
        winnow(&kgram_hashes(&b, 5), 1),
    );
    assert_eq!(hashes_of(&fa).intersection(&hashes_of(&fb)).count(), 0);
    // with k = 4, the same input shares k-grams
    let (fa, fb) = (
        winnow(&kgram_hashes(&a, 4), 1),
        winnow(&kgram_hashes(&b, 4), 1),
    );
    assert!(hashes_of(&fa).intersection(&hashes_of(&fb)).count() > 0);
}

// ----- density ----------------------------------------------------------------------------------

#[test]
fn density_on_random_input_is_close_to_two_over_w_plus_one() {
    for (w, seed) in [(4usize, 1u64), (8, 2), (16, 3), (32, 4)] {
        let kgrams = kgram_hashes(&random_hashes(200_000, seed), 12);
        let density = winnow(&kgrams, w).len() as f64 / kgrams.len() as f64;
        let expected = 2.0 / (w as f64 + 1.0);
        assert!(
            (density / expected - 1.0).abs() < 0.03,
            "w={w}: density {density:.4}, expected {expected:.4}"
        );
    }
}

#[test]
fn density_on_real_code_is_close_to_the_random_density() {
    // Real token streams repeat (`; }`, `) {`), but 12-grams rarely do: the density stays near
    // 2/(w+1), which is what sizes the index.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/pairs/zstd_compress_literals/1.5.7.c");
    let file = crate::source::read_source(&path, &Default::default()).unwrap();
    let tokens = tokenize(&file).tokens;
    let config = FingerprintConfig::default();
    let n_kgrams = tokens.len() + 1 - config.k;
    for channel in [Channel::Exact, Channel::Normalized] {
        let density = fingerprints(&tokens, channel, &config).len() as f64 / n_kgrams as f64;
        assert!(
            (0.17..0.27).contains(&density),
            "{channel:?}: density {density:.3} on {} tokens",
            tokens.len()
        );
    }
}

// ----- robust winnowing on repetitive input -----------------------------------------------------

#[test]
fn equal_hashes_give_one_fingerprint_per_window_not_one_per_position() {
    // 1000 equal k-gram hashes (a run of one repeated token): plain winnowing with the rightmost
    // tie rule would select every position; robust winnowing keeps a selection while it stays in
    // the window, so one position per `w`.
    for w in [1usize, 2, 4, 8, 16] {
        let kgrams = vec![42u64; 1000];
        let fps = winnow(&kgrams, w);
        let bound = 1000 / w + 1;
        assert!(
            fps.len() <= bound && fps.len() >= 1000 / w - 1,
            "w={w}: {} fingerprints, expected about {bound}",
            fps.len()
        );
        // consecutive selections are exactly `w` apart: each is the rightmost of a fresh window
        assert!(
            fps.windows(2).all(|p| p[1].pos - p[0].pos == w as u32),
            "w={w}"
        );
    }
}

#[test]
fn repetitive_token_stream_stays_sparse() {
    // `x = 0; x = 0; ...` repeats with period 4: its 12-grams take only 4 distinct values.
    let text = "x = 0; ".repeat(500);
    let file = SourceFile::from_text("r.c", &text, None);
    let tokens = tokenize(&file).tokens;
    let fps = fingerprints(&tokens, Channel::Exact, &FingerprintConfig::default());
    let n_kgrams = tokens.len() - 11;
    assert!(
        fps.len() * 4 < n_kgrams,
        "{} fingerprints for {n_kgrams} k-grams",
        fps.len()
    );
    assert!(hashes_of(&fps).len() <= 4);
}

// ----- edge cases -------------------------------------------------------------------------------

#[test]
fn short_inputs() {
    assert!(
        kgram_hashes(&[1, 2, 3], 0).is_empty(),
        "k = 0 has no k-grams"
    );
    assert!(
        kgram_hashes(&[1, 2, 3], 4).is_empty(),
        "fewer tokens than k"
    );
    assert_eq!(kgram_hashes(&[1, 2, 3], 3).len(), 1);
    assert!(winnow(&[], 4).is_empty());
    // fewer k-grams than one window: still one fingerprint, the (rightmost) minimum
    assert_eq!(winnow(&[5, 3, 9, 3], 8), [Fingerprint { hash: 3, pos: 3 }]);
    // w = 0 behaves as w = 1: every k-gram
    assert_eq!(winnow(&[5, 3, 9], 0).len(), 3);
    assert_eq!(FingerprintConfig::default().guarantee(), 19);
}

#[test]
fn winnowing_follows_the_paper_example() {
    // The example of Schleimer et al. (2003), figure 2: hashes of 5-grams and a window of 4.
    let kgrams = [
        77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98,
    ];
    let selected: Vec<(u64, u32)> = winnow(&kgrams, 4).iter().map(|f| (f.hash, f.pos)).collect();
    // The paper's robust winnowing selects {17, 17, 8, 39, 17} at positions 3, 6, 8, 11, 15.
    assert_eq!(selected, [(17, 3), (17, 6), (8, 8), (39, 11), (17, 15)]);
}

// ----- stability: the index persists these values -----------------------------------------------

#[test]
fn token_hashes_are_pinned() {
    // xxh3-64 of the token text; a change here invalidates every persisted index. The empty
    // input gives XXH3_64bits' published test vector.
    assert_eq!(exact_hash(b""), 0x2d06_8005_38d3_94c2);
    assert_eq!(exact_hash(b"int"), 0x9721_1c60_8292_3b47);
}

#[test]
fn kgram_hashes_are_pinned() {
    assert_eq!(
        kgram_hashes(&[1, 2, 3, 4], 2),
        [
            0xf8f7_6353_b6d8_77c5,
            0xa59c_30e5_a24e_d8dd,
            0x4062_ce54_4cb6_8d26
        ]
    );
}

#[test]
fn fingerprints_of_a_snippet_are_pinned() {
    let file = SourceFile::from_text(
        "a.c",
        "int add(int a, int b) { return a + b; }\nint sub(int a, int b) { return a - b; }\n",
        None,
    );
    let tokens = tokenize(&file).tokens;
    let config = FingerprintConfig { k: 5, w: 4 };
    let exact: Vec<(u64, u32)> = fingerprints(&tokens, Channel::Exact, &config)
        .iter()
        .map(|f| (f.hash, f.pos))
        .collect();
    let normalized: Vec<(u64, u32)> = fingerprints(&tokens, Channel::Normalized, &config)
        .iter()
        .map(|f| (f.hash, f.pos))
        .collect();
    assert_eq!(exact, PINNED_EXACT);
    assert_eq!(normalized, PINNED_NORMALIZED);
    // The two functions differ only in `+`/`-`, so the k-grams before the operator repeat.
    assert_eq!(exact[0].0, exact[8].0);
}

const PINNED_EXACT: [(u64, u32); 12] = [
    (1715906790248516277, 3),
    (705056055840567006, 5),
    (5398016420235580046, 7),
    (6346838748669630263, 10),
    (2370694311792082200, 12),
    (6495631455650011665, 13),
    (6573251996717019307, 16),
    (6131275737034655608, 18),
    (1715906790248516277, 19),
    (705056055840567006, 21),
    (2960486634798843351, 24),
    (2746179816663719550, 27),
];
const PINNED_NORMALIZED: [(u64, u32); 11] = [
    (2860044510118001757, 3),
    (553618465902596098, 4),
    (2998669132167048372, 5),
    (4431847010998555164, 7),
    (10657845635558969288, 11),
    (7528444781486829975, 12),
    (5226138401876141462, 14),
    (3558259450292062516, 16),
    (2860044510118001757, 19),
    (553618465902596098, 20),
    (2895057716701892951, 24),
];

#[test]
fn normalized_fingerprints_ignore_names_and_literals() {
    let a = SourceFile::from_text("a.c", "int f(int n) { return n * 2 + g(n, \"x\"); }", None);
    let b = SourceFile::from_text("b.c", "int h(int m) { return m * 7 + k(m, \"y\"); }", None);
    let (ta, tb) = (tokenize(&a).tokens, tokenize(&b).tokens);
    let config = FingerprintConfig { k: 5, w: 3 };
    assert_eq!(
        fingerprints(&ta, Channel::Normalized, &config),
        fingerprints(&tb, Channel::Normalized, &config)
    );
    assert_ne!(
        fingerprints(&ta, Channel::Exact, &config),
        fingerprints(&tb, Channel::Exact, &config)
    );
}
