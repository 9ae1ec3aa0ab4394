//! The fingerprint canary: a digest of the fingerprints of a fixed sample of code, recorded in
//! every commit.
//!
//! The on-disk format version says how the index is laid out; it cannot say whether the
//! fingerprints in it are still the ones this simile computes. A later simile with a changed
//! tokenizer or hash would look up fingerprints an old index never stored and silently find
//! nothing. So every commit records the canary of the simile that wrote it, and opening an index
//! recomputes it (a few microseconds): a mismatch is an error asking for a rebuild, and `update`
//! never mixes fingerprints of two kinds in one index.

use simile::SourceFile;
use simile::fingerprint::FingerprintConfig;
use simile::search::index_fingerprints;
use simile::source::Language;
use xxhash_rust::xxh3::Xxh3;

/// Code in several languages, with imports (which are left out of fingerprints) and comments.
const SAMPLES: [(&str, Language, &str); 3] = [
    (
        "canary.c",
        Language::C,
        "#include <stdio.h>\n#include \"local.h\"\n/* sum the values */\nstatic int sum(const int *v, size_t n) {\n    int total = 0;\n    for (size_t i = 0; i < n; i++) { total += v[i] * 2 + 1; }\n    return total > 100 ? 100 : total;\n}\nint main(void) { int v[3] = {1, 2, 3}; printf(\"%d\\n\", sum(v, 3)); return 0; }\n",
    ),
    (
        "canary.py",
        Language::Python,
        "import os\nfrom collections import defaultdict\n\ndef group(paths):\n    # by extension\n    out = defaultdict(list)\n    for p in paths:\n        root, ext = os.path.splitext(p)\n        out[ext.lower()].append(root)\n    return {k: sorted(v) for k, v in out.items() if len(v) > 1}\n",
    ),
    (
        "canary.rs",
        Language::Rust,
        "use std::collections::HashMap;\n/// Count words.\npub fn count(text: &str) -> HashMap<&str, usize> {\n    let mut m = HashMap::new();\n    for w in text.split_whitespace() { *m.entry(w).or_insert(0) += 1; }\n    m.retain(|_, n| *n > 1);\n    m\n}\n",
    ),
];

/// The canary of this simile for `config`.
pub(crate) fn canary(config: &FingerprintConfig) -> u64 {
    let mut h = Xxh3::new();
    for (name, language, text) in SAMPLES {
        let file = SourceFile::from_text(name, text, Some(language));
        for f in index_fingerprints(&simile::lex::tokenize(&file).tokens, config) {
            h.update(&f.to_le_bytes());
        }
        h.update(&[0xff]);
    }
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_on_the_fingerprints() {
        let base = FingerprintConfig::default();
        assert_eq!(canary(&base), canary(&base));
        assert_ne!(canary(&base), canary(&FingerprintConfig { k: 11, w: 8 }));
        assert_ne!(canary(&base), canary(&FingerprintConfig { k: 12, w: 9 }));
        // The sample is long enough to have fingerprints at the default settings.
        let c = SourceFile::from_text(SAMPLES[0].0, SAMPLES[0].2, Some(Language::C));
        assert!(index_fingerprints(&simile::lex::tokenize(&c).tokens, &base).len() > 5);
    }
}
