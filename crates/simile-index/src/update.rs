//! `update`: bring an index up to date with its roots, re-indexing only what changed.
//!
//! The roots are walked again with the options recorded at build. A file whose size and mtime
//! match its record is unchanged. Otherwise it is read and hashed: the same content hash means
//! only its mtime is updated; a different one means it is fingerprinted again under a new file
//! id and the old id is marked removed. Files no longer found (or now skipped, say because they
//! grew past `--max-size`) are marked removed. New postings go to a new segment; the merge
//! policy ([`crate::merge`]) then decides which segments to merge.

use crate::build::{CommitInput, Summary, commit, walk_roots};
use crate::error::IndexError;
use crate::format::catalog::{FileRecord, NO_SEGMENT};
use crate::format::manifest::WalkRecord;
use crate::format::segment::{Segment, WrittenSegment};
use crate::indexer::{Indexer, Job, JobResult, Written, mtime_ns};
use crate::merge::{self, Load};
use crate::progress::{Phase, Progress};
use crate::session::Session;
use crate::snapshot::Index;
use simile::search::PostingsSource;
use simile::source::walk::{WalkOptions, skip_counts};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How to update.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Bytes of postings buffered in memory before a run is written to disk.
    pub memory: usize,
    /// Merge all segments into one and renumber the files (slower; smallest, fastest index).
    pub compact: bool,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            memory: crate::build::DEFAULT_MEMORY,
            compact: false,
        }
    }
}

/// Update the index at `index`. Readers keep working on the previous commit meanwhile; an
/// update killed at any moment leaves that commit in place.
pub fn update(
    index: &Path,
    options: &UpdateOptions,
    progress: &dyn Progress,
) -> Result<Summary, IndexError> {
    let started = Instant::now();
    let (mut session, base) = Session::for_update(index)?;
    // Under the lock nobody else commits: this is the snapshot of `base`.
    let snapshot = Index::open(index)?;
    if snapshot.manifest().generation != base.generation {
        return Err(IndexError::Invalid(format!(
            "{}: the index changed while being opened; retry",
            simile::source::display_path(index)
        )));
    }
    let walk_options = WalkOptions::from(&base.walk);
    let config = snapshot.fingerprint_config();
    let roots: Vec<PathBuf> = base.roots.iter().map(PathBuf::from).collect();
    let found = walk_roots(&roots, &walk_options, index, progress)?;
    crate::session::stop_if_cancelled(progress)?;

    let catalog = snapshot.catalog();
    let mut records: Vec<FileRecord> = (0..catalog.len() as u32)
        .map(|id| catalog.record(id).expect("id below len"))
        .collect();
    // Keyed by the raw OS string: hashing a `Path` walks its components, twice the cost.
    let by_path: HashMap<&OsStr, u32> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.live)
        .map(|(id, r)| (r.path.as_os_str(), id as u32))
        .collect();

    progress.phase(Phase::Checking {
        files: found.files.len() as u64,
    });
    let mut summary = Summary::default();
    let mut seen = vec![false; records.len()];
    let mut jobs = Vec::new();
    let mut job_old: Vec<Option<u32>> = Vec::new();
    for file in &found.files {
        match by_path.get(file.path.as_os_str()) {
            Some(&id) => {
                seen[id as usize] = true;
                let r = &records[id as usize];
                if r.size == file.size && r.mtime_ns == mtime_ns(file.mtime) {
                    summary.unchanged += 1;
                } else {
                    jobs.push(Job {
                        file,
                        known_hash: Some(r.content_hash),
                    });
                    job_old.push(Some(id));
                }
            }
            None => {
                jobs.push(Job {
                    file,
                    known_hash: None,
                });
                job_old.push(None);
            }
        }
    }
    drop(by_path);

    let first_id = u32::try_from(records.len())
        .map_err(|_| IndexError::Invalid("more than 4 billion file ids in one index".into()))?;
    let mut indexer = Indexer::new(&walk_options, config, options.memory);
    let results = indexer.index(&mut session, &jobs, first_id, progress)?;
    let new_segment = indexer.finish(&mut session, progress)?;

    let mut skipped = found.skipped;
    let mut added_records = Vec::new();
    for ((result, old), job) in results.into_iter().zip(job_old).zip(&jobs) {
        match result {
            JobResult::Indexed(id, mut record) => {
                debug_assert_eq!(id as usize, records.len() + added_records.len());
                record.segment = new_segment.as_ref().map_or(NO_SEGMENT, |s| s.id);
                summary.indexed += 1;
                summary.indexed_bytes += record.size;
                added_records.push(record);
                match old {
                    Some(old) => {
                        records[old as usize].live = false;
                        summary.changed += 1;
                    }
                    None => summary.added += 1,
                }
            }
            JobResult::SameContent => {
                let r = &mut records[old.expect("only known files compare content") as usize];
                r.size = job.file.size;
                r.mtime_ns = mtime_ns(job.file.mtime);
                summary.touched += 1;
            }
            JobResult::Skipped(s) => {
                skipped.push(s);
                if let Some(old) = old {
                    records[old as usize].live = false;
                    summary.removed += 1;
                }
            }
        }
    }
    for (id, r) in records.iter_mut().enumerate() {
        if r.live && !seen[id] {
            r.live = false;
            summary.removed += 1;
        }
    }
    records.extend(added_records);
    skipped.sort_by(|a, b| a.path.cmp(&b.path));

    // The segments of the new commit, before merging: the old ones, then the new one.
    let mut segments: Vec<Written> = snapshot
        .manifest()
        .segments
        .iter()
        .zip(snapshot.segments())
        .map(|(r, open)| Written {
            id: r.id,
            path: open.path.clone(),
            written: WrittenSegment {
                bytes: r.file.bytes,
                checksum: r.file.xxh3,
                info: open.segment.info(),
            },
        })
        .collect();
    segments.extend(new_segment);

    let changes = summary.added + summary.changed + summary.touched + summary.removed;
    let skips_same = base.skipped
        == skip_counts(&skipped)
            .into_iter()
            .map(|(r, n)| (r.as_str().to_string(), n as u64))
            .collect();
    let groups = merge::plan(&loads(&segments, &records), options.compact);
    if changes == 0 && skips_same && groups.is_empty() {
        summary.generation = base.generation;
        summary.files = base.totals.files;
        summary.skipped = skipped;
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }

    summary.merged_segments = groups.iter().map(|g| g.len() as u64).sum();
    let segments = apply_merges(
        &mut session,
        &snapshot,
        segments,
        &groups,
        &mut records,
        progress,
    )?;
    let manifest = commit(
        session,
        CommitInput {
            roots: &roots,
            walk: WalkRecord::from(&walk_options),
            config,
            records: &records,
            segments: &segments,
            skipped: &skipped,
        },
        progress,
    )?;
    summary.generation = manifest.generation;
    summary.committed = true;
    summary.files = manifest.totals.files;
    summary.skipped = skipped;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Postings stored and removed per segment.
fn loads(segments: &[Written], records: &[FileRecord]) -> Vec<Load> {
    let mut removed: HashMap<u32, u64> = HashMap::new();
    for r in records
        .iter()
        .filter(|r| !r.live && r.segment != NO_SEGMENT)
    {
        *removed.entry(r.segment).or_default() += u64::from(r.fingerprints);
    }
    segments
        .iter()
        .map(|s| Load {
            stored: s.written.info.postings,
            removed: removed.get(&s.id).copied().unwrap_or(0),
        })
        .collect()
}

/// Merge each group of segments into one. A single group covering every segment renumbers the
/// live files densely (and `records` loses its removed entries).
fn apply_merges(
    session: &mut Session,
    snapshot: &Index,
    segments: Vec<Written>,
    groups: &[std::ops::Range<usize>],
    records: &mut Vec<FileRecord>,
    progress: &dyn Progress,
) -> Result<Vec<Written>, IndexError> {
    if groups.is_empty() {
        return Ok(segments);
    }
    let full = groups.len() == 1 && groups[0] == (0..segments.len());
    // Old id -> new id when renumbering.
    let remap: Option<Vec<u32>> = full.then(|| {
        let mut next = 0u32;
        records
            .iter()
            .map(|r| {
                let id = next;
                next += u32::from(r.live);
                if r.live { id } else { u32::MAX }
            })
            .collect()
    });
    let live: Vec<bool> = records.iter().map(|r| r.live).collect();
    let keep = |d: u32| -> Option<u32> {
        match &remap {
            Some(m) => m.get(d as usize).copied().filter(|&n| n != u32::MAX),
            None => live.get(d as usize).copied().unwrap_or(false).then_some(d),
        }
    };

    let mut out: Vec<Written> = Vec::new();
    let mut next = 0;
    for group in groups {
        out.extend(segments[next..group.start].iter().map(clone_written));
        // Segments of the old commit are open in the snapshot; the new one is opened here.
        let mut owned: Vec<(PathBuf, Segment)> = Vec::new();
        for s in &segments[group.clone()] {
            if !snapshot.segments().iter().any(|o| o.id == s.id) {
                let file = File::open(&s.path).map_err(|e| IndexError::io(&s.path, e))?;
                let seg = Segment::open(&file).map_err(|e| {
                    IndexError::corrupt(&s.path, format!("new segment unreadable: {e:?}"))
                })?;
                owned.push((s.path.clone(), seg));
            }
        }
        let inputs: Vec<merge::Input<'_>> = segments[group.clone()]
            .iter()
            .map(|s| {
                let segment = snapshot
                    .segments()
                    .iter()
                    .find(|o| o.id == s.id)
                    .map(|o| &o.segment)
                    .or_else(|| owned.iter().find(|(p, _)| *p == s.path).map(|(_, g)| g))
                    .expect("every input segment is open");
                merge::Input {
                    path: &s.path,
                    postings: merge::InputPostings::Segment(segment),
                }
            })
            .collect();
        let (id, path) = session.new_segment();
        let written = merge::merge(&inputs, &keep, &path, progress)?;
        // Only removed files had postings there: no segment at all is left.
        let empty = written.info.keys == 0;
        let ids: Vec<u32> = segments[group.clone()].iter().map(|s| s.id).collect();
        for r in records.iter_mut().filter(|r| ids.contains(&r.segment)) {
            r.segment = if r.live && !empty { id } else { NO_SEGMENT };
        }
        if empty {
            std::fs::remove_file(&path).map_err(|e| IndexError::io(&path, e))?;
        } else {
            out.push(Written { id, path, written });
        }
        next = group.end;
    }
    out.extend(segments[next..].iter().map(clone_written));
    if full {
        records.retain(|r| r.live);
    }
    Ok(out)
}

fn clone_written(w: &Written) -> Written {
    Written {
        id: w.id,
        path: w.path.clone(),
        written: w.written,
    }
}
