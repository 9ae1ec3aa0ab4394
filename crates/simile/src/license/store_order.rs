//! The `spdx` crate's serialized licence store (`Store::to_cache`) put in one canonical order,
//! so that the licence catalogue `build.rs` writes is the same bytes in every build.
//!
//! `to_cache` writes the store's licences and each text's n-gram counts in the order of their
//! hash maps, which is random per process: two builds of one commit embedded catalogues of
//! different sizes (6,067,895 to 6,069,201 bytes), so the binary was not reproducible. The order
//! means nothing to `Store::from_cache`, which puts everything back into hash maps; so the build
//! script rewrites each stream with map entries sorted by key. The crate cannot be asked to
//! (its serializer is private), hence this reader of its format, written from `spdx` 0.13's
//! `detection/cache.rs`:
//!
//! - the stream: a 13-byte version header, then zstd-compressed the store (this module reads
//!   and writes the decompressed store, [`canonical_store`]);
//! - store: u16 count, then per licence a string (its name) and an entry;
//! - entry: a text (the licence), then u16-counted lists of strings (aliases), texts
//!   (headers) and texts (alternates);
//! - text: an n-gram set, two u64 (the lines view), a u16-counted list of strings (the
//!   normalized lines), a string (the processed text);
//! - n-gram set: u16 count, then per n-gram a string and a u32 count; a u8 (n), a u64 (size);
//! - string: u16 length, UTF-8 bytes; integers little-endian.

/// The length of the version header before the compressed store (`spdx-crate-01`).
pub const HEADER_LEN: usize = 13;

/// `store` (a decompressed `Store::to_cache` body) with every map in key order, or `None` if
/// it is not such a body (another version of the crate's format: the build then fails
/// rather than embed what it cannot vouch for).
pub fn canonical_store(store: &[u8]) -> Option<Vec<u8>> {
    let mut r = Reader { data: store, at: 0 };
    let mut out = Vec::with_capacity(store.len());
    let count = r.u16()?;
    let mut licences = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let name = r.string()?;
        let mut entry = Vec::new();
        entry_canonical(&mut r, &mut entry)?;
        licences.push((name, entry));
    }
    if r.at != store.len() {
        return None;
    }
    licences.sort_by(|x, y| x.0.cmp(y.0));
    put_u16(&mut out, count);
    for (name, entry) in licences {
        put_string(&mut out, name);
        out.extend_from_slice(&entry);
    }
    Some(out)
}

fn entry_canonical(r: &mut Reader<'_>, out: &mut Vec<u8>) -> Option<()> {
    text_canonical(r, out)?;
    let aliases = r.u16()?;
    put_u16(out, aliases);
    for _ in 0..aliases {
        put_string(out, r.string()?);
    }
    for _ in 0..2 {
        // Headers, then alternates.
        let texts = r.u16()?;
        put_u16(out, texts);
        for _ in 0..texts {
            text_canonical(r, out)?;
        }
    }
    Some(())
}

fn text_canonical(r: &mut Reader<'_>, out: &mut Vec<u8>) -> Option<()> {
    let count = r.u16()?;
    let mut ngrams = Vec::with_capacity(count as usize);
    for _ in 0..count {
        ngrams.push((r.string()?, r.bytes(4)?));
    }
    ngrams.sort_by(|x, y| x.0.cmp(y.0));
    put_u16(out, count);
    for (ngram, n) in ngrams {
        put_string(out, ngram);
        out.extend_from_slice(n);
    }
    // n, size, the lines view.
    out.extend_from_slice(r.bytes(1 + 8 + 8 + 8)?);
    let lines = r.u16()?;
    put_u16(out, lines);
    for _ in 0..lines {
        put_string(out, r.string()?);
    }
    put_string(out, r.string()?);
    Some(())
}

fn put_u16(out: &mut Vec<u8>, x: u16) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    // Its length came from a u16.
    put_u16(out, s.len() as u16);
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over the body; every read is bounds-checked.
struct Reader<'d> {
    data: &'d [u8],
    at: usize,
}

impl<'d> Reader<'d> {
    fn bytes(&mut self, n: usize) -> Option<&'d [u8]> {
        let bytes = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(bytes)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.bytes(2)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<&'d str> {
        let len = self.u16()? as usize;
        std::str::from_utf8(self.bytes(len)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_canonical(store: &[u8]) -> bool {
        canonical_store(store).is_some_and(|c| c == store)
    }

    /// A store body of one licence whose text has the n-grams `ngrams`, in that order.
    fn body(ngrams: &[(&str, u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        put_u16(&mut out, 1);
        put_string(&mut out, "MIT");
        put_u16(&mut out, ngrams.len() as u16);
        for (ngram, n) in ngrams {
            put_string(&mut out, ngram);
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.push(2);
        out.extend_from_slice(&[7; 24]);
        put_u16(&mut out, 1);
        put_string(&mut out, "permission is hereby granted");
        put_string(&mut out, "permission is hereby granted");
        put_u16(&mut out, 1);
        put_string(&mut out, "Expat");
        put_u16(&mut out, 0);
        put_u16(&mut out, 0);
        out
    }

    #[test]
    fn sorts_ngrams_and_keeps_everything_else() {
        let shuffled = body(&[("hereby granted", 1), ("is hereby", 1), ("granted free", 2)]);
        let sorted = body(&[("granted free", 2), ("hereby granted", 1), ("is hereby", 1)]);
        assert!(!is_canonical(&shuffled));
        assert_eq!(canonical_store(&shuffled).as_deref(), Some(&sorted[..]));
        assert!(is_canonical(&sorted));
    }

    #[test]
    fn refuses_what_is_not_a_store_body() {
        let whole = body(&[("a b", 1)]);
        assert_eq!(
            canonical_store(&whole[..whole.len() - 1]),
            None,
            "cut short"
        );
        let mut longer = whole.clone();
        longer.push(0);
        assert_eq!(canonical_store(&longer), None, "trailing bytes");
        assert_eq!(canonical_store(&[]), None);
    }
}
