//! The licence catalogue written by the build script (`build.rs`): what a run needs to match a
//! header against the SPDX licence list without loading all of it.
//!
//! Why not the `spdx` crate's store directly: loading it takes 0.12 s and 60 MB, three quarters
//! of `simile compare` on two 6,000-line C files whose header mentions a licence (measured:
//! 171 ms with licences, 15 ms without). Here a header is first screened by word bigrams: a
//! licence text or standard header the matcher could report (a Dice score of 0.8 over some of
//! the header's lines) shares at least two thirds of its bigrams with the header, so licences
//! sharing less than [`PRESCREEN`] of theirs are ruled out, and a store is built of the few
//! left, from their normalized texts. The matcher then runs exactly as on the whole list
//! (checked against it in `tests/license_catalogue.rs`).

use super::bigrams::bigram_hashes;
use spdx::detection::{LicenseEntry, Store};
use std::sync::OnceLock;

/// The share of a licence variant's distinct word bigrams a header must hold for the variant
/// to be considered. A match needs two thirds of the matcher's bigrams; the margin covers the
/// difference between its normalization (spellings, punctuation, copyright lines) and ours.
pub const PRESCREEN: f64 = 0.4;

/// The Dice score of word bigrams a licence file must reach with a licence variant for the
/// variant to be considered as the whole file ([`Catalogue::whole_text_candidates`]). The
/// matcher needs 0.8 on its own normalization.
pub const PRESCREEN_WHOLE: f64 = 0.7;

/// At most this many licences, the closest by bigrams, are matched as a licence file's whole
/// text: the BSD family alone left 40 after [`PRESCREEN_WHOLE`] for a BSD-3-Clause text, and
/// building their store took most of its 7 ms.
pub const WHOLE_TEXT_CANDIDATES: usize = 8;

static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/licences.bin"));
const MAGIC: &[u8] = b"simile-licences-2\n";

/// One licence of the list: its name, and where its store entry is.
struct Licence {
    name: String,
    /// The licence as a one-licence store (`Store::to_cache`), in the blob.
    entry: std::ops::Range<usize>,
}

/// A licence text (kind 0), standard header (1) or alternate text (2).
struct Variant {
    licence: u16,
    /// Whether the matcher can match it at all (a few stored texts have no n-grams).
    matchable: bool,
    bigrams: u32,
}

/// The catalogue, parsed once per process (about a millisecond).
pub struct Catalogue {
    licences: Vec<Licence>,
    variants: Vec<Variant>,
    hashes: Vec<u64>,
    offsets: Vec<u32>,
    postings: Vec<u16>,
    blob: &'static [u8],
}

/// The catalogue of this build; `None` if the build wrote none (a damaged build).
pub fn catalogue() -> Option<&'static Catalogue> {
    static CATALOGUE: OnceLock<Option<Catalogue>> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::parse(DATA)).as_ref()
}

impl Catalogue {
    fn parse(data: &'static [u8]) -> Option<Catalogue> {
        let mut r = Reader { data, at: 0 };
        if r.bytes(MAGIC.len())? != MAGIC {
            return None;
        }
        let mut licences = Vec::new();
        let mut variants = Vec::new();
        for _ in 0..r.u32()? {
            let name = r.string()?;
            // The aliases: the store entry has them.
            for _ in 0..r.u16()? {
                r.string()?;
            }
            for _ in 0..r.u16()? {
                let _kind = r.u8()?;
                let matchable = r.u8()? != 0;
                let bigrams = r.u32()?;
                variants.push(Variant {
                    licence: licences.len() as u16,
                    matchable,
                    bigrams,
                });
            }
            let offset = r.u32()? as usize;
            let entry = offset..offset + r.u32()? as usize;
            licences.push(Licence { name, entry });
        }
        let count = r.u32()? as usize;
        let hashes = (0..count).map(|_| r.u64()).collect::<Option<Vec<_>>>()?;
        let offsets = (0..=count).map(|_| r.u32()).collect::<Option<Vec<_>>>()?;
        let posting_count = r.u32()? as usize;
        let postings = (0..posting_count)
            .map(|_| r.u16())
            .collect::<Option<Vec<_>>>()?;
        let blob_len = r.u32()? as usize;
        let blob = r.bytes(blob_len)?;
        let valid = offsets.last().is_some_and(|&n| n as usize == posting_count)
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && postings.iter().all(|&v| (v as usize) < variants.len())
            && licences.iter().all(|l| l.entry.end <= blob.len());
        valid.then_some(Catalogue {
            licences,
            variants,
            hashes,
            offsets,
            postings,
            blob,
        })
    }

    /// The licences of which some variant could match `text` (by [`PRESCREEN`]), by number.
    pub fn candidates(&self, text: &str) -> Vec<u16> {
        let mut shared = vec![0u32; self.variants.len()];
        for h in bigram_hashes(text) {
            if let Ok(i) = self.hashes.binary_search(&h) {
                let (start, end) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
                for &v in &self.postings[start..end] {
                    shared[v as usize] += 1;
                }
            }
        }
        let mut out: Vec<u16> = self
            .variants
            .iter()
            .zip(&shared)
            .filter(|(v, n)| v.matchable && **n as f64 >= PRESCREEN * v.bigrams as f64)
            .map(|(v, _)| v.licence)
            .collect();
        out.dedup();
        out
    }

    /// The licences of which some variant could be the whole of `text` (a licence file): a
    /// variant of about the text's size, most of whose bigrams the text holds. The matcher
    /// needs a Dice score of 0.8 between the two; their shared share of the two together must
    /// reach [`PRESCREEN_WHOLE`] (a wide margin, as for [`PRESCREEN`]). A BSD-3-Clause text
    /// has 114 candidates by [`Catalogue::candidates`] (every licence whose text it contains
    /// most of, such as the shorter BSD variants), and a store of them took 25 ms to build;
    /// this leaves the few of its size.
    pub fn whole_text_candidates(&self, text: &str) -> Vec<u16> {
        let bigrams = bigram_hashes(text);
        let mut shared = vec![0u32; self.variants.len()];
        for h in &bigrams {
            if let Ok(i) = self.hashes.binary_search(h) {
                let (start, end) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
                for &v in &self.postings[start..end] {
                    shared[v as usize] += 1;
                }
            }
        }
        let mut scored: Vec<(f64, u16)> = self
            .variants
            .iter()
            .zip(&shared)
            .map(|(v, &n)| {
                let dice = 2.0 * n as f64 / (v.bigrams as f64 + bigrams.len() as f64).max(1.0);
                (dice, v.licence)
            })
            .zip(&self.variants)
            .filter(|&((dice, _), v)| v.matchable && dice >= PRESCREEN_WHOLE)
            .map(|(scored, _)| scored)
            .collect();
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut out: Vec<u16> = Vec::new();
        for (_, licence) in scored {
            if !out.contains(&licence) {
                out.push(licence);
            }
            if out.len() == WHOLE_TEXT_CANDIDATES {
                break;
            }
        }
        out.sort_unstable();
        out
    }

    /// A store of the given licences, as the whole list holds them (every variant).
    pub fn store(&self, licences: &[u16]) -> Store {
        let mut store = Store::new();
        for &l in licences {
            let bytes = &self.blob[self.licences[l as usize].entry.clone()];
            // Written by this build; a failure would be a damaged binary, and then the licence
            // is not recognized rather than the run stopped.
            let Ok(single) = Store::from_cache(bytes) else {
                continue;
            };
            for (name, e) in single.iter() {
                let mut entry = LicenseEntry::new(e.original.clone());
                entry.aliases = e.aliases.clone();
                entry.headers = e.headers.clone();
                entry.alternates = e.alternates.clone();
                store.insert_entry(name.clone(), entry);
            }
        }
        store
    }

    /// The SPDX name of licence number `l` (as [`Catalogue::candidates`] gives them).
    pub fn name(&self, l: u16) -> &str {
        &self.licences[l as usize].name
    }

    /// Every licence's number: a store of them all equals the `spdx` crate's.
    pub fn all(&self) -> Vec<u16> {
        (0..self.licences.len() as u16).collect()
    }
}

/// A cursor over the catalogue's bytes; every read is bounds-checked.
struct Reader {
    data: &'static [u8],
    at: usize,
}

impl Reader {
    fn bytes(&mut self, n: usize) -> Option<&'static [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.data.get(self.at..end)?;
        self.at = end;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.bytes(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u16()? as usize;
        String::from_utf8(self.bytes(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build writes every licence's store with its maps in key order, so that two builds
    /// embed the same bytes (`store_order`).
    #[test]
    fn every_store_entry_is_in_canonical_order() {
        use crate::license::store_order::{HEADER_LEN, canonical_store};
        let c = catalogue().expect("built");
        for l in &c.licences {
            let bytes = &c.blob[l.entry.clone()];
            let body = zstd::decode_all(&bytes[HEADER_LEN..]).expect("zstd");
            let canonical = canonical_store(&body).expect("a store body");
            assert!(canonical == body, "{} is not in key order", l.name);
        }
    }

    #[test]
    fn the_catalogue_holds_the_whole_list() {
        let c = catalogue().expect("built");
        assert!(c.licences.len() > 600, "{}", c.licences.len());
        assert!(c.variants.len() > c.licences.len());
        let mit = c.licences.iter().position(|l| l.name == "MIT").unwrap() as u16;
        let store = c.store(&[mit]);
        let text = store
            .get_original("MIT")
            .expect("MIT's text")
            .lines()
            .join(" ");
        assert!(
            text.to_lowercase().contains("permission is hereby granted"),
            "{text}"
        );
    }

    #[test]
    fn a_header_keeps_its_licence_and_rules_out_almost_every_other() {
        let c = catalogue().unwrap();
        let apache = "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not \
            use this file except in compliance with the License. You may obtain a copy of the \
            License at http://www.apache.org/licenses/LICENSE-2.0 Unless required by applicable \
            law or agreed to in writing, software distributed under the License is distributed \
            on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express \
            or implied. See the License for the specific language governing permissions and \
            limitations under the License.";
        let names: Vec<&str> = c.candidates(apache).iter().map(|&l| c.name(l)).collect();
        assert!(names.contains(&"Apache-2.0"), "{names:?}");
        assert!(names.len() < 20, "{names:?}");
        assert!(c.candidates("int main(void) { return 0; }").is_empty());
    }
}
