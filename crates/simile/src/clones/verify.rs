//! Verification, the third step of `clones`: every candidate pair aligned in full (as
//! `simile compare` aligns) and assessed, the pairs that count recorded, the similar ones offered
//! for listing ([`Keeper`]). Pairs are aligned in the [`schedule`]'s groups, so that a file the
//! cache could not hold is read once for many pairs; a pair whose files hold the same contents
//! as an earlier pair's ([`twins`]) takes that pair's alignment instead of being aligned again.

use super::corpus::{self, Corpus};
use super::listing::{self, Keeper};
use super::pairs::CandidatePair;
use super::{CloneOptions, PairRecord, Progress, counts, is_similar, rank_key, schedule, twins};
use crate::align::{AlignedRegion, Alignment, RegionKind, Side};
use crate::report::{BestMatch, Comparison, Span, Warning, span};
use crate::search::query::FileCache;
use crate::search::verify::{Assessment, MatchedCode, align_loaded, assess_sized};
use crate::search::{BaseCode, FileId, LoadedFile};
use foldhash::HashMap;
use rayon::prelude::*;
use std::sync::Arc;

/// What verification produced.
pub(super) struct Verification {
    /// The pairs that count.
    pub records: Vec<PairRecord>,
    /// Pairs aligned (candidates minus those whose files could not be read unchanged).
    pub count: u64,
    /// Files that could not be compared, once each.
    pub warnings: Vec<Warning>,
}

/// Align every candidate pair in full and keep those matching enough; the listed pairs get their
/// comparison. A pair whose files hold the same contents as an earlier pair's ([`twins`])
/// takes that pair's alignment and scores instead of being aligned again. Results are put back
/// in candidate order.
pub(super) fn verify_pairs(
    read: &Corpus,
    candidates: &[CandidatePair],
    base: &BaseCode,
    options: &CloneOptions,
    cache: &FileCache,
    progress: &dyn Progress,
) -> Verification {
    progress.stage("verifying", candidates.len());
    let keeper = Keeper::new(options.top);
    let verifier = Verifier {
        read,
        candidates,
        base,
        options,
        cache,
        keeper: &keeper,
        progress,
    };
    let twin_of = twins::first_twins(read, candidates);
    let (mut results, aligned) = verifier.verify_firsts(&twin_of);
    results.par_extend(verifier.verify_twins(&twin_of, &aligned));
    results.sort_unstable_by_key(|&(i, _)| i);
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let mut count = 0;
    for (_, r) in results {
        match r {
            Ok(Some(record)) => {
                records.push(record);
                count += 1;
            }
            Ok(None) => count += 1,
            Err(w) => warnings.push(w),
        }
    }
    let (comparisons, unreadable) = keeper.comparisons(options, |id| load(read, cache, id));
    warnings.extend(unreadable);
    let mut comparisons: HashMap<(FileId, FileId), Box<Comparison>> =
        comparisons.into_iter().collect();
    for r in &mut records {
        if r.comparison.is_none() {
            r.comparison = comparisons.remove(&(r.a, r.b));
        }
    }
    warnings.sort_by(|x, y| x.path.cmp(&y.path).then(x.message.cmp(&y.message)));
    warnings.dedup();
    Verification {
        records,
        count,
        warnings,
    }
}

/// What verifying one candidate pair gave: its record if it counts, or why it could not be
/// compared; with its index among the candidates.
type Outcome = (usize, Result<Option<PairRecord>, Warning>);

/// What verification works with.
struct Verifier<'v> {
    read: &'v Corpus,
    candidates: &'v [CandidatePair],
    base: &'v BaseCode,
    options: &'v CloneOptions,
    cache: &'v FileCache,
    keeper: &'v Keeper,
    progress: &'v dyn Progress,
}

impl Verifier<'_> {
    /// Align the pairs that are no twin of an earlier one, in the [`schedule`]'s groups; the
    /// alignments of those with twins are kept, by candidate index.
    fn verify_firsts(
        &self,
        twin_of: &[Option<usize>],
    ) -> (Vec<Outcome>, HashMap<usize, Arc<Aligned>>) {
        let mut has_twins = vec![false; self.candidates.len()];
        twin_of
            .iter()
            .flatten()
            .for_each(|&first| has_twins[first] = true);
        let firsts: Vec<usize> = (0..self.candidates.len())
            .filter(|&i| twin_of[i].is_none())
            .collect();
        let first_pairs: Vec<CandidatePair> = firsts.iter().map(|&i| self.candidates[i]).collect();
        let work = schedule::work(&first_pairs, |id| self.cache.contains(id));
        let verify = |k: usize, held: Option<(FileId, &Loaded)>| {
            let i = firsts[k];
            let verified = self.verify_pair(i, held, has_twins[i]);
            self.progress.tick();
            match verified {
                Ok(Verified { record, aligned }) => ((i, Ok(record)), aligned),
                Err(w) => ((i, Err(w)), None),
            }
        };
        let verified: Vec<(Outcome, Option<Arc<Aligned>>)> = work
            .par_iter()
            .flat_map_iter(|item| match item {
                schedule::Work::Cached(k) => vec![verify(*k, None)],
                schedule::Work::Held { held, pairs } => {
                    let file = load(self.read, self.cache, *held);
                    pairs
                        .iter()
                        .map(|&k| verify(k, Some((*held, &file))))
                        .collect()
                }
            })
            .collect();
        let mut aligned = HashMap::default();
        let outcomes = verified
            .into_iter()
            .map(|(outcome, kept)| {
                if let Some(kept) = kept {
                    aligned.insert(outcome.0, kept);
                }
                outcome
            })
            .collect();
        (outcomes, aligned)
    }

    /// Verify the twins with their first pair's alignment (or on their own, if that pair's
    /// files could not be read).
    fn verify_twins(
        &self,
        twin_of: &[Option<usize>],
        aligned: &HashMap<usize, Arc<Aligned>>,
    ) -> Vec<Outcome> {
        let twins: Vec<(usize, usize)> = twin_of
            .iter()
            .enumerate()
            .filter_map(|(i, first)| first.map(|first| (i, first)))
            .collect();
        twins
            .into_par_iter()
            .map(|(i, first)| {
                let record = match aligned.get(&first) {
                    Some(aligned) => self.verify_twin(i, aligned),
                    None => self.verify_pair(i, None, false).map(|v| v.record),
                };
                self.progress.tick();
                (i, record)
            })
            .collect()
    }
}

/// A file read for verification, or why it cannot be compared.
pub(super) type Loaded = Result<Arc<LoadedFile>, Warning>;

/// File `id` from the cache, or read again; a file that changed since the read step is not
/// compared.
pub(super) fn load(read: &Corpus, cache: &FileCache, id: FileId) -> Loaded {
    let indexed = &read.file(id).indexed;
    let (loaded, changed) = cache.get(id, indexed).map_err(|e| Warning {
        path: Some(indexed.name.clone()),
        message: format!("not compared: {e}"),
    })?;
    if changed {
        return Err(Warning {
            path: Some(indexed.name.clone()),
            message: "changed while simile was reading the tree; not compared".into(),
        });
    }
    Ok(loaded)
}

/// A pair's alignment, as its regions, and its assessment: what its [`twins`] take over.
struct Aligned {
    regions: Vec<AlignedRegion>,
    /// The two files' token counts (to rebuild the alignment's matching).
    tokens: (usize, usize),
    assessment: Assessment,
    /// The code its matches cover on each side, shared with its twins' records.
    matched: Matched,
    /// With `--fragments`, the pair's blocks (where they are depends on the contents alone).
    blocks: Option<Vec<Block>>,
}

/// The matched code of a pair's two sides (see [`PairRecord::matched_a`]).
type Matched = (Arc<MatchedCode>, Arc<MatchedCode>);

/// The matched code of an assessment, taken out of it to be shared.
fn take_matched(assessment: &mut Assessment) -> Matched {
    (
        Arc::new(std::mem::take(&mut assessment.matched_query)),
        Arc::new(std::mem::take(&mut assessment.matched_candidate)),
    )
}

/// What verifying a pair gives: its record, if it counts, and its alignment if asked for.
struct Verified {
    record: Option<PairRecord>,
    aligned: Option<Arc<Aligned>>,
}

impl Verifier<'_> {
    /// Verify candidate pair `i`; `held` is a file already read for it (by [`schedule`]);
    /// with `keep`, the alignment is kept for its twins.
    fn verify_pair(
        &self,
        i: usize,
        held: Option<(FileId, &Loaded)>,
        keep: bool,
    ) -> Result<Verified, Warning> {
        let (read, pair, options) = (self.read, &self.candidates[i], self.options);
        let load = |id: FileId| match held {
            Some((h, file)) if h == id => file.clone(),
            _ => load(read, self.cache, id),
        };
        let (fa, fb) = (load(pair.a)?, load(pair.b)?);
        let alignment = align_loaded(&fa, &fb, &options.align);
        let (sa, sb) = ((&fa.source, &fa.tokens), (&fb.source, &fb.tokens));
        let sizes = (read.file(pair.a).code_size(), read.file(pair.b).code_size());
        let mut assessment = assess_sized(sa, sb, &alignment, &options.align, self.base, sizes);
        let matched = take_matched(&mut assessment);
        let min_tokens = options.min_tokens as u32;
        let blocks = options
            .fragments
            .then(|| blocks_of(&alignment.regions, &assessment, (&fa, &fb), min_tokens));
        let aligned = keep.then(|| {
            Arc::new(Aligned {
                regions: alignment.regions.clone(),
                tokens: (fa.tokens.tokens.len(), fb.tokens.tokens.len()),
                assessment: assessment.clone(),
                matched: matched.clone(),
                blocks: blocks.clone(),
            })
        });
        let files = || Ok((fa.clone(), fb.clone()));
        let found = Found::Full(alignment);
        let known = (assessment, matched, blocks.as_deref());
        let record = record_pair(read, pair, found, known, files, options, self.keeper)?;
        Ok(Verified { record, aligned })
    }

    /// Verify candidate pair `i`, whose files hold the same contents as the pair that was
    /// aligned as `aligned`: the same alignment and scores, its own files read only if it is
    /// listed or its blocks shown.
    fn verify_twin(&self, i: usize, aligned: &Aligned) -> Result<Option<PairRecord>, Warning> {
        let (read, pair, cache) = (self.read, &self.candidates[i], self.cache);
        let found = Found::Regions(aligned.regions.clone(), aligned.tokens);
        let files = || Ok((load(read, cache, pair.a)?, load(read, cache, pair.b)?));
        let known = (
            aligned.assessment.clone(),
            aligned.matched.clone(),
            aligned.blocks.as_deref(),
        );
        record_pair(read, pair, found, known, files, self.options, self.keeper)
    }
}

/// An alignment in full, or only its regions (its matching is rebuilt if a comparison needs it).
enum Found {
    Full(Alignment),
    Regions(Vec<AlignedRegion>, (usize, usize)),
}

impl Found {
    fn regions(&self) -> &[AlignedRegion] {
        match self {
            Found::Full(alignment) => &alignment.regions,
            Found::Regions(regions, _) => regions,
        }
    }

    fn into_regions(self) -> Vec<AlignedRegion> {
        match self {
            Found::Full(alignment) => alignment.regions,
            Found::Regions(regions, _) => regions,
        }
    }

    fn into_alignment(self) -> Alignment {
        match self {
            Found::Full(alignment) => alignment,
            Found::Regions(regions, (na, nb)) => Alignment::from_regions(regions, na, nb),
        }
    }
}

/// The record of a verified pair, if it counts; a similar pair is offered for listing. Its
/// blocks are `known_blocks` when they were found already; `files` gives the pair's files when
/// they are needed (for its blocks, or its comparison).
fn record_pair(
    read: &Corpus,
    pair: &CandidatePair,
    found: Found,
    (assessment, matched, known_blocks): (Assessment, Matched, Option<&[Block]>),
    files: impl FnOnce() -> Result<(Arc<LoadedFile>, Arc<LoadedFile>), Warning>,
    options: &CloneOptions,
    keeper: &Keeper,
) -> Result<Option<PairRecord>, Warning> {
    let (fa_facts, fb_facts) = (read.file(pair.a), read.file(pair.b));
    let smaller = fa_facts.tokens.min(fb_facts.tokens);
    let largest = assessment.region_tokens.iter().copied().max().unwrap_or(0);
    let min_tokens = options.min_tokens as u32;
    let k = options.align.fingerprint.k as u32;
    // Identical code too short for fingerprints counts when the aligner matched all of it
    // (short of a k-gram, only when the files hold the same tokens, includes too).
    let identical = fa_facts.code_key.is_some()
        && fa_facts.code_key == fb_facts.code_key
        && assessment.scores.matched_tokens >= smaller;
    let namesake = pair.namesakes && largest >= corpus::MIN_IDENTICAL_TOKENS;
    if !identical
        && !namesake
        && !counts(
            largest,
            assessment.scores.matched_tokens,
            smaller,
            min_tokens,
            k,
        )
    {
        return Ok(None);
    }
    let similar = is_similar(&assessment.scores, options);
    let mut files = LazyFiles::new(files);
    let blocks = match (options.fragments, known_blocks) {
        (false, _) => Vec::new(),
        (true, Some(blocks)) => blocks.to_vec(),
        (true, None) => {
            let (fa, fb) = files.get()?;
            blocks_of(found.regions(), &assessment, (&fa, &fb), min_tokens)
        }
    };
    let mut record = record(pair, &assessment, matched, blocks);
    if similar {
        if options.top == 0 {
            // Every similar pair is listed: build its comparison now, keep no file for it.
            let (fa, fb) = files.get()?;
            let alignment = found.into_alignment();
            record.comparison = Some(Box::new(listing::compare(&fa, &fb, &alignment, options)));
        } else {
            let key = rank_key(read, &record, options);
            keeper.offer(key, (pair.a, pair.b), found.into_regions());
        }
    }
    Ok(Some(record))
}

/// The two files of a pair, read when first needed (a twin's files are not read unless its
/// blocks are shown or it is listed).
struct LazyFiles<F> {
    read: Option<F>,
    files: Option<(Arc<LoadedFile>, Arc<LoadedFile>)>,
}

impl<F: FnOnce() -> Result<(Arc<LoadedFile>, Arc<LoadedFile>), Warning>> LazyFiles<F> {
    fn new(read: F) -> Self {
        LazyFiles {
            read: Some(read),
            files: None,
        }
    }

    fn get(&mut self) -> Result<(Arc<LoadedFile>, Arc<LoadedFile>), Warning> {
        if let Some(files) = &self.files {
            return Ok(files.clone());
        }
        let read = self
            .read
            .take()
            .expect("read once: a failure is returned, not retried");
        let files = read()?;
        self.files = Some(files.clone());
        Ok(files)
    }
}

/// A duplicated block: a region's kind, counted tokens and where it is in A and in B.
pub(super) type Block = (RegionKind, u32, Span, Span);

/// The regions of at least `min_tokens` counted tokens, as blocks.
fn blocks_of(
    regions: &[AlignedRegion],
    assessment: &Assessment,
    (fa, fb): (&LoadedFile, &LoadedFile),
    min_tokens: u32,
) -> Vec<Block> {
    let (side_a, side_b) = (loaded_side(fa), loaded_side(fb));
    regions
        .iter()
        .zip(&assessment.region_tokens)
        .filter(|&(_, &tokens)| tokens >= min_tokens)
        .map(|(r, &tokens)| {
            let a = span(side_a, r.a_start(), r.a_end());
            let b = span(side_b, r.b_start(), r.b_end());
            (r.kind, tokens, a, b)
        })
        .collect()
}

/// The record of a pair that counts, from its assessment.
fn record(
    pair: &CandidatePair,
    assessment: &Assessment,
    (matched_a, matched_b): Matched,
    blocks: Vec<Block>,
) -> PairRecord {
    PairRecord {
        a: pair.a,
        b: pair.b,
        shared: pair.shared,
        scores: assessment.scores,
        longest: assessment.longest_fragment,
        matched_a,
        matched_b,
        blocks,
        comparison: None,
        best_match: BestMatch::Neither,
    }
}

fn loaded_side(f: &LoadedFile) -> Side<'_> {
    Side {
        tokens: &f.tokens.tokens,
        text: &f.source.text,
        lines: &f.source.lines,
    }
}
