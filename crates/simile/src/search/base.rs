//! Base code (`find --ignore PATH`): code every file is expected to share (a course's template,
//! a project skeleton, a vendored header) whose matches must never count.
//!
//! Unlike the index, which keeps only winnowed fingerprints, base code keeps *every* exact
//! k-gram hash of the base files, so any run of `k` tokens that also appears in the base is
//! recognised wherever winnowing happens to sample it. Queries drop base fingerprints before
//! looking up candidates, and verification leaves base tokens out of every score (see
//! [`BaseCode::mask`]).

use crate::fingerprint::{FingerprintConfig, kgram_hashes};
use crate::lex::Token;
use foldhash::{HashSet, HashSetExt};

/// The k-grams of the base code.
#[derive(Debug, Clone, Default)]
pub struct BaseCode {
    k: usize,
    kgrams: HashSet<u64>,
    files: usize,
}

impl BaseCode {
    /// No base code: nothing is ignored.
    pub fn none() -> BaseCode {
        BaseCode::default()
    }

    /// An empty set of base code for k-grams of `config.k` tokens (the index's).
    pub fn new(config: &FingerprintConfig) -> BaseCode {
        BaseCode {
            k: config.k,
            kgrams: HashSet::new(),
            files: 0,
        }
    }

    /// Add the code of one base file.
    pub fn add(&mut self, tokens: &[Token]) {
        let hashes: Vec<u64> = tokens.iter().map(|t| t.exact).collect();
        self.kgrams.extend(kgram_hashes(&hashes, self.k));
        self.files += 1;
    }

    /// Whether there is no base code.
    pub fn is_empty(&self) -> bool {
        self.kgrams.is_empty()
    }

    /// Number of distinct k-grams of base code.
    pub fn len(&self) -> usize {
        self.kgrams.len()
    }

    /// Number of base files added.
    pub fn files(&self) -> usize {
        self.files
    }

    /// Whether a fingerprint (a k-gram hash) is base code.
    pub fn contains(&self, hash: u64) -> bool {
        self.kgrams.contains(&hash)
    }

    /// For each token, whether it lies inside a k-gram of base code; `None` when there is no
    /// base code (nothing to mask).
    pub fn mask(&self, tokens: &[Token]) -> Option<Vec<bool>> {
        if self.is_empty() {
            return None;
        }
        let hashes: Vec<u64> = tokens.iter().map(|t| t.exact).collect();
        let mut mask = vec![false; tokens.len()];
        // Mark k-gram starts, then spread each mark over its k tokens in one pass.
        let mut reach = 0usize;
        let kgrams = kgram_hashes(&hashes, self.k);
        for (i, slot) in mask.iter_mut().enumerate() {
            if i < kgrams.len() && self.kgrams.contains(&kgrams[i]) {
                reach = i + self.k;
            }
            *slot = i < reach;
        }
        Some(mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    #[test]
    fn masks_exactly_the_base_tokens() {
        let cfg = FingerprintConfig { k: 4, w: 3 };
        let template = SourceFile::from_text(
            "template.py",
            "def read_input():\n    return input().split()\n",
            None,
        );
        let mut base = BaseCode::new(&cfg);
        base.add(&tokenize(&template).tokens);
        assert!(!base.is_empty());
        assert_eq!(base.files(), 1);

        let student = SourceFile::from_text(
            "s.py",
            "def read_input():\n    return input().split()\nx = 1 + 2 * 3\n",
            None,
        );
        let tokens = tokenize(&student).tokens;
        let mask = base.mask(&tokens).unwrap();
        let masked: Vec<&str> = tokens
            .iter()
            .zip(&mask)
            .filter(|(_, m)| **m)
            .map(|(t, _)| t.text(&student.text))
            .collect();
        assert_eq!(
            masked,
            [
                "def",
                "read_input",
                "(",
                ")",
                ":",
                "return",
                "input",
                "(",
                ")",
                ".",
                "split",
                "(",
                ")"
            ]
        );
        assert!(BaseCode::none().mask(&tokens).is_none());
    }
}
