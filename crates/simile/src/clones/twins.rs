//! Twin pairs: candidate pairs whose two files hold the same contents as another pair's (the
//! same bytes, read as the same language). Their alignment and scores are the other pair's:
//! alignment reads nothing but the files' contents, so the first pair of each group is aligned
//! and the rest reuse it.
//!
//! Trees with vendored copies are full of them: `/usr/include` holds OpenSSL's headers twice
//! (`openssl/` and `node/openssl/`), and its 67,817 similar pairs are 11,220 distinct pairs of
//! contents; `/usr/lib/node_modules`, 15,431 and 11,252. Releases of one project share few
//! byte-identical files (zstd's `lib/` 1.4.9 and 1.5.7: none of its pairs is a twin).

use super::corpus::Corpus;
use super::pairs::CandidatePair;
use crate::search::FileId;
use crate::source::ContentKey;

/// The content key of file `id`.
pub(crate) fn content_key(corpus: &Corpus, id: FileId) -> ContentKey {
    let f = &corpus.file(id).indexed;
    (f.content_hash, f.size, f.language)
}

/// For each candidate pair, the first earlier pair whose files hold the same contents in the
/// same order (`a` the same as its `a`, `b` as its `b`), if any.
pub(crate) fn first_twins(corpus: &Corpus, candidates: &[CandidatePair]) -> Vec<Option<usize>> {
    let key = |id| content_key(corpus, id);
    let mut first: foldhash::HashMap<(ContentKey, ContentKey), usize> = Default::default();
    candidates
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let seen = *first.entry((key(p.a), key(p.b))).or_insert(i);
            (seen != i).then_some(seen)
        })
        .collect()
}
