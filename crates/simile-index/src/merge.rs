//! Merging segments: a streaming k-way merge, and the policy deciding what to merge.
//!
//! Update appends one small segment per run; the policy keeps the number of segments small
//! (a lookup searches each) and reclaims the postings of removed files:
//! - the two newest segments are merged while the older is at most [`SIZE_RATIO`] times the
//!   newer: a binary counter, so each posting is rewritten O(log n) times over the life of the
//!   index;
//! - past [`MAX_SEGMENTS`] the adjacent pair with the fewest postings is merged;
//! - a segment in which over a quarter of the postings belong to removed files is rewritten.
//!
//! Simulated over 1,000 updates of equal size on a large base, this keeps at most 8 segments
//! (4 to 5 on average) and rewrites each added posting about 10 times; merging whenever the
//! tail is within 4x of its predecessor instead rewrote each posting 40 to 80 times.
//!
//! A merge covering every segment also renumbers the live files densely, so removed files stop
//! costing an id.

use crate::error::{IndexError, corrupt};
use crate::format::segment::{Entries, Postings, Segment, SegmentWriter, WrittenSegment};
use crate::progress::{Phase, Progress};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;

/// See the module doc.
pub const SIZE_RATIO: u64 = 2;
/// See the module doc.
pub const MAX_SEGMENTS: usize = 8;

/// A segment to merge: on disk, or still in memory.
pub(crate) struct Input<'a> {
    /// The segment's file (for an input in memory, the file it is merged into).
    pub(crate) path: &'a Path,
    pub(crate) postings: InputPostings<'a>,
}

/// What an [`Input`] holds.
pub(crate) enum InputPostings<'a> {
    /// A segment file.
    Segment(&'a Segment),
    /// Postings packed as `hash << 32 | file id`, sorted: the last run of a build, merged
    /// without being written to disk and read back (0.3 s of the 1.05 GB benchmark build).
    Sorted(&'a [u128]),
}

impl Input<'_> {
    fn postings(&self) -> u64 {
        match self.postings {
            InputPostings::Segment(segment) => segment.info().postings,
            InputPostings::Sorted(postings) => postings.len() as u64,
        }
    }
}

/// Merge `inputs` into a new durable segment at `out`. `keep` maps each file id to its id in
/// the output, or `None` to drop its postings (removed files); it must preserve order.
///
/// Reading the inputs (decoding, checking and merging their lists) and writing the output
/// (encoding, checksumming) run on two threads, the merged entries passed in batches: the
/// final merge of the 1.05 GB benchmark build (27.3 million postings) took 0.87 s on one
/// thread, 0.65 s so (reading is the larger half).
pub(crate) fn merge(
    inputs: &[Input<'_>],
    keep: &(dyn Fn(u32) -> Option<u32> + Sync),
    out: &Path,
    progress: &dyn Progress,
) -> Result<WrittenSegment, IndexError> {
    let total: u64 = inputs.iter().map(Input::postings).sum();
    progress.phase(Phase::Merging { postings: total });
    let io = |e| IndexError::io(out, e);
    let mut writer = SegmentWriter::create(out).map_err(io)?;
    let (read, written) = std::thread::scope(|scope| {
        let (batches, received) = mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let reader = scope.spawn(move || read_merged(inputs, keep, progress, &batches));
        let mut written = Ok(());
        'batches: for batch in received {
            for (key, docs) in batch.entries() {
                if let Err(e) = writer.add(key, docs) {
                    written = Err(io(e));
                    // Dropping the receiver stops the reader at its next batch.
                    break 'batches;
                }
            }
        }
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, written)
    });
    read?;
    written?;
    writer.finish(true).map_err(io)
}

/// Merged entries handed from the reading thread to the writing one.
#[derive(Default)]
struct Batch {
    keys: Vec<u64>,
    /// Where each key's file ids end in `docs`.
    ends: Vec<u32>,
    docs: Vec<u32>,
}

/// A batch is sent once it holds this many file ids.
const BATCH_DOCS: usize = 1 << 16;
/// Batches read ahead of the writer at most.
const BATCHES_IN_FLIGHT: usize = 4;

impl Batch {
    fn entries(&self) -> impl Iterator<Item = (u64, &[u32])> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.keys
            .iter()
            .zip(starts.zip(&self.ends))
            .map(|(&key, (start, &end))| (key, &self.docs[start as usize..end as usize]))
    }
}

/// Read `inputs` in key order, merge the lists of equal keys through `keep`, and send them in
/// batches; stops early (without error) when the writer has gone.
fn read_merged(
    inputs: &[Input<'_>],
    keep: &(dyn Fn(u32) -> Option<u32> + Sync),
    progress: &dyn Progress,
    batches: &mpsc::SyncSender<Batch>,
) -> Result<(), IndexError> {
    let mut cursors: Vec<Cursor<'_>> = inputs
        .iter()
        .map(|i| Cursor {
            path: i.path,
            source: match i.postings {
                InputPostings::Segment(segment) => Source::Segment(segment.entries()),
                InputPostings::Sorted(postings) => Source::Sorted(postings),
            },
            head: None,
        })
        .collect();
    let mut heap = BinaryHeap::with_capacity(inputs.len());
    for (i, cursor) in cursors.iter_mut().enumerate() {
        cursor.advance(i, &mut heap)?;
    }
    let mut batch = Batch::default();
    let mut group: Vec<usize> = Vec::with_capacity(inputs.len());
    let mut done = 0u64;
    while let Some(Reverse((key, first))) = heap.pop() {
        group.clear();
        group.push(first);
        while let Some(&Reverse((k, i))) = heap.peek() {
            if k != key {
                break;
            }
            heap.pop();
            group.push(i);
        }
        let start = batch.docs.len();
        for &i in &group {
            let cursor = &mut cursors[i];
            let mut add = |d: u32| {
                if let Some(n) = keep(d) {
                    batch.docs.push(n);
                }
            };
            match cursor.head.take().expect("a head for every heap entry") {
                Head::Segment(postings) => {
                    done += u64::from(postings.count);
                    postings.for_each(add).map_err(|c| c.at(cursor.path))?;
                }
                Head::Sorted(postings) => {
                    done += postings.len() as u64;
                    postings.iter().for_each(|&p| add(p as u32));
                }
            }
            cursor.advance(i, &mut heap)?;
        }
        let docs = &mut batch.docs[start..];
        if group.len() > 1 {
            docs.sort_unstable();
        }
        if docs.windows(2).any(|w| w[0] >= w[1]) {
            let detail = format!("fingerprint {key:016x}: a file id appears in two segments");
            return Err(corrupt::<()>(detail)
                .unwrap_err()
                .at(cursors[group[0]].path));
        }
        if !docs.is_empty() {
            batch.keys.push(key);
            batch.ends.push(batch.docs.len() as u32);
        }
        if batch.docs.len() >= BATCH_DOCS {
            if batches.send(std::mem::take(&mut batch)).is_err() {
                return Ok(());
            }
            crate::session::stop_if_cancelled(progress)?;
        }
        if done >= 1 << 20 {
            progress.advance(done);
            done = 0;
        }
    }
    progress.advance(done);
    // Nobody to receive it means the writer failed, which it reports.
    let _ = batches.send(batch);
    Ok(())
}

/// One input of a merge: its next entry is in the heap, its postings in `head`.
struct Cursor<'a> {
    path: &'a Path,
    source: Source<'a>,
    head: Option<Head<'a>>,
}

/// The entries of an input not read yet.
enum Source<'a> {
    Segment(Entries<'a>),
    Sorted(&'a [u128]),
}

/// The postings of an input's current entry.
enum Head<'a> {
    Segment(Postings<'a>),
    /// The packed postings of one key.
    Sorted(&'a [u128]),
}

impl Cursor<'_> {
    fn advance(
        &mut self,
        i: usize,
        heap: &mut BinaryHeap<Reverse<(u64, usize)>>,
    ) -> Result<(), IndexError> {
        let key = match &mut self.source {
            Source::Segment(entries) => match entries.next() {
                Some(Ok((key, postings))) => {
                    self.head = Some(Head::Segment(postings));
                    key
                }
                Some(Err(c)) => return Err(c.at(self.path)),
                None => return Ok(()),
            },
            Source::Sorted(rest) => {
                let Some(&first) = rest.first() else {
                    return Ok(());
                };
                let key = (first >> 32) as u64;
                let n = rest
                    .iter()
                    .take_while(|&&p| (p >> 32) as u64 == key)
                    .count();
                let (entry, after) = rest.split_at(n);
                self.head = Some(Head::Sorted(entry));
                *rest = after;
                key
            }
        };
        heap.push(Reverse((key, i)));
        Ok(())
    }
}

/// Postings of one segment, for the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Load {
    /// Postings stored.
    pub(crate) stored: u64,
    /// Of which belong to removed files.
    pub(crate) removed: u64,
}

impl Load {
    fn live(&self) -> u64 {
        self.stored.saturating_sub(self.removed)
    }
}

/// Which adjacent segments (by position, oldest first) to merge, each range into one segment.
/// `all` asks for a full compaction.
pub(crate) fn plan(loads: &[Load], all: bool) -> Vec<Range<usize>> {
    let n = loads.len();
    let heavy = |l: &Load| l.removed * 4 > l.stored;
    if all {
        return if n > 1 || loads.iter().any(heavy) {
            std::iter::once(0..n).collect()
        } else {
            Vec::new()
        };
    }
    // (positions, live postings) of the segments as merges would leave them.
    let mut segs: Vec<(Range<usize>, u64)> = loads
        .iter()
        .enumerate()
        .map(|(i, l)| (i..i + 1, l.live()))
        .collect();
    let merge_at = |segs: &mut Vec<(Range<usize>, u64)>, j: usize| {
        let (b, sb) = segs.remove(j + 1);
        let a = &mut segs[j];
        a.0.end = b.end;
        a.1 += sb;
    };
    while segs.len() >= 2 && segs[segs.len() - 2].1 <= SIZE_RATIO * segs[segs.len() - 1].1 {
        let j = segs.len() - 2;
        merge_at(&mut segs, j);
    }
    while segs.len() > MAX_SEGMENTS {
        let j = (0..segs.len() - 1)
            .min_by_key(|&j| segs[j].1 + segs[j + 1].1)
            .expect("at least two segments");
        merge_at(&mut segs, j);
    }
    segs.into_iter()
        .map(|(r, _)| r)
        .filter(|r| r.len() > 1 || heavy(&loads[r.start]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::format::segment::{Segment, SegmentWriter};
    use crate::progress::NoProgress;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// A segment at `dir/name` holding `entries` (keys increasing).
    fn segment(dir: &Path, name: &str, entries: &[(u64, Vec<u32>)]) -> (PathBuf, Segment) {
        let path = dir.join(name);
        let mut writer = SegmentWriter::create(&path).unwrap();
        for (key, docs) in entries {
            writer.add(*key, docs).unwrap();
        }
        writer.finish(false).unwrap();
        let segment = Segment::open(&std::fs::File::open(&path).unwrap()).unwrap();
        (path, segment)
    }

    fn merged(
        segments: &[(PathBuf, Segment)],
        keep: &(dyn Fn(u32) -> Option<u32> + Sync),
        out: &Path,
    ) -> Result<Vec<(u64, Vec<u32>)>, IndexError> {
        let inputs: Vec<Input<'_>> = segments
            .iter()
            .map(|(path, segment)| Input {
                path,
                postings: InputPostings::Segment(segment),
            })
            .collect();
        merged_inputs(&inputs, keep, out)
    }

    fn merged_inputs(
        inputs: &[Input<'_>],
        keep: &(dyn Fn(u32) -> Option<u32> + Sync),
        out: &Path,
    ) -> Result<Vec<(u64, Vec<u32>)>, IndexError> {
        merge(inputs, keep, out, &NoProgress)?;
        let segment = Segment::open(&std::fs::File::open(out).unwrap()).unwrap();
        let entries = segment.entries().map(|entry| {
            let (key, postings) = entry.unwrap();
            let mut docs = Vec::new();
            postings.decode_into(&mut docs).unwrap();
            (key, docs)
        });
        Ok(entries.collect())
    }

    #[test]
    fn a_merge_of_many_batches_keeps_every_entry_in_order() {
        // Keys interleaved between the two segments, some in both, lists short and long: the
        // merged entries pass from the reading thread to the writing one in several batches.
        let dir = tempfile::tempdir().unwrap();
        let even: Vec<(u64, Vec<u32>)> = (0..60_000u64)
            .map(|k| {
                (
                    k * 2,
                    vec![(k % 500) as u32 * 2, 1_000 + (k % 7) as u32 * 2],
                )
            })
            .chain([(200_001, (0..40_000).map(|d| d * 2).collect())])
            .chain([(300_000, vec![8])])
            .collect();
        let odd: Vec<(u64, Vec<u32>)> = (0..60_000u64)
            .map(|k| (k * 3 + 1, vec![(k % 300) as u32 * 2 + 1]))
            .chain([(200_001, (0..40_000).map(|d| d * 2 + 1).collect())])
            .collect();
        let segments = [
            segment(dir.path(), "even", &even),
            segment(dir.path(), "odd", &odd),
        ];
        // Files of ids divisible by 5 were removed; the others keep their ids.
        let keep = |d: u32| (!d.is_multiple_of(5)).then_some(d);
        let mut expected: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        for (key, docs) in even.iter().chain(&odd) {
            expected
                .entry(*key)
                .or_default()
                .extend(docs.iter().copied().filter(|&d| keep(d).is_some()));
        }
        let expected: Vec<(u64, Vec<u32>)> = expected
            .into_iter()
            .filter(|(_, docs)| !docs.is_empty())
            .map(|(key, mut docs)| {
                docs.sort_unstable();
                (key, docs)
            })
            .collect();
        let docs: usize = expected.iter().map(|(_, d)| d.len()).sum();
        assert!(docs > 2 * BATCH_DOCS, "{docs}");
        let got = merged(&segments, &keep, &dir.path().join("out")).unwrap();
        assert!(got == expected, "the merged entries differ");
    }

    #[test]
    fn postings_in_memory_merge_as_their_segment_does() {
        // The last run of a build is merged from memory: the same entries as from its file,
        // with files dropped and a file found in both inputs caught all the same.
        let dir = tempfile::tempdir().unwrap();
        let on_disk: Vec<(u64, Vec<u32>)> = (0..30_000u64)
            .map(|k| (k * 5, vec![(k % 40) as u32, 100 + (k % 9) as u32]))
            .collect();
        let last: Vec<(u64, Vec<u32>)> = (0..30_000u64)
            .map(|k| (k * 3 + 1, (200..201 + (k % 12) as u32).collect()))
            .chain([(u64::MAX, vec![300])])
            .collect();
        let pack = |entries: &[(u64, Vec<u32>)]| -> Vec<u128> {
            let packed = entries.iter().flat_map(|(key, docs)| {
                docs.iter()
                    .map(move |&d| (u128::from(*key) << 32) | u128::from(d))
            });
            packed.collect()
        };
        let disk = segment(dir.path(), "disk", &on_disk);
        let keep = |d: u32| (d % 7 != 3).then_some(d);
        let both_on_disk = [
            segment(dir.path(), "disk2", &on_disk),
            segment(dir.path(), "last", &last),
        ];
        let expected = merged(&both_on_disk, &keep, &dir.path().join("expected")).unwrap();
        let out = dir.path().join("out");
        // `disk`, and `postings` in memory.
        let inputs = |postings| {
            [
                Input {
                    path: &disk.0,
                    postings: InputPostings::Segment(&disk.1),
                },
                Input {
                    path: &out,
                    postings: InputPostings::Sorted(postings),
                },
            ]
        };
        let packed = pack(&last);
        let got = merged_inputs(&inputs(&packed), &keep, &out).unwrap();
        assert!(got.len() > 50_000 && got == expected);

        let mut clash = packed.clone();
        clash.insert(0, 100); // key 0, file 100: also in `disk`'s entry for key 0
        match merged_inputs(&inputs(&clash), &keep, &dir.path().join("clash")) {
            Err(e) => assert!(e.to_string().contains("appears in two segments"), "{e}"),
            Ok(_) => panic!("a file in both inputs was merged"),
        }
    }

    #[test]
    fn a_file_in_two_segments_fails_the_merge_early_or_late() {
        // File 2 holds key 0 in both segments (found first), or file 5 holds the last key in
        // both (found after many batches were written).
        for early in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let mut a: Vec<(u64, Vec<u32>)> =
                (0..100_000u64).map(|k| (k * 2, vec![1, 2])).collect();
            let mut b: Vec<(u64, Vec<u32>)> =
                (0..100_000u64).map(|k| (k * 2 + 1, vec![3, 4])).collect();
            if early {
                b.insert(0, (0, vec![2]));
            } else {
                a.push((10_000_000, vec![5, 6]));
                b.push((10_000_000, vec![5]));
            }
            let segments = [segment(dir.path(), "a", &a), segment(dir.path(), "b", &b)];
            let err = merged(&segments, &Some, &dir.path().join("out")).unwrap_err();
            assert!(err.to_string().contains("appears in two segments"), "{err}");
        }
    }

    fn loads(live: &[u64]) -> Vec<Load> {
        live.iter()
            .map(|&s| Load {
                stored: s,
                removed: 0,
            })
            .collect()
    }

    #[test]
    fn small_updates_merge_into_the_tail_not_the_base() {
        let none = Vec::<Range<usize>>::new();
        assert_eq!(plan(&loads(&[1_000_000, 100]), false), none);
        assert_eq!(plan(&loads(&[1_000_000, 100, 100]), false), vec![1..3]);
        assert_eq!(
            plan(&loads(&[1_000_000, 400, 200, 100, 100]), false),
            vec![1..5]
        );
        assert_eq!(plan(&loads(&[1_000_000, 900, 100]), false), none);
        // a tail grown comparable to the base joins it
        assert_eq!(plan(&loads(&[1000, 600]), false), vec![0..2]);
        // too many segments: the smallest adjacent pair goes first
        let many = [10_000, 5000, 2400, 1000, 450, 200, 90, 40, 17];
        assert_eq!(plan(&loads(&many), false), vec![7..9]);
    }

    #[test]
    fn segment_count_stays_small_over_many_updates() {
        let mut segs: Vec<u64> = vec![1_000_000];
        let mut rewritten = 0u64;
        for _ in 0..1000 {
            segs.push(100);
            for g in plan(&loads(&segs), false).into_iter().rev() {
                let merged: u64 = segs[g.clone()].iter().sum();
                rewritten += merged;
                segs.splice(g, [merged]);
            }
            assert!(segs.len() <= MAX_SEGMENTS, "{segs:?}");
        }
        assert_eq!(segs.iter().sum::<u64>(), 1_100_000);
        // 100,000 postings added; each rewritten a bounded number of times on average
        assert!(rewritten < 100_000 * 15, "{rewritten}");
    }

    #[test]
    fn removed_postings_are_reclaimed() {
        let l = vec![
            Load {
                stored: 1000,
                removed: 600,
            },
            Load {
                stored: 10,
                removed: 0,
            },
        ];
        assert_eq!(plan(&l, false), vec![0..1]);
        assert_eq!(plan(&l, true), vec![0..2]);
        assert!(plan(&loads(&[5]), true).is_empty(), "nothing to compact");
    }
}
