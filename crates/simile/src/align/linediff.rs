//! Line-level diff of an edited region: which lines inside it are equal, removed, added or
//! changed. Lines are compared by their tokens, not their text, so re-indentation and comment
//! edits never show up as changes (the same rule as the similarity score).

use super::Side;
use super::regions::AlignedRegion;
use imara_diff::{Algorithm, Diff, InternedInput};
use serde::{Deserialize, Serialize};

/// What happened to a run of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineOpKind {
    /// Same tokens on both sides.
    Equal,
    /// Only in A.
    Removed,
    /// Only in B.
    Added,
    /// Lines of A replaced by lines of B.
    Changed,
}

/// A run of lines with one fate. Line numbers are 1-based and inclusive; a side is `None` when
/// the run has no lines there (pure removal or addition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineOp {
    /// What happened.
    pub kind: LineOpKind,
    /// Lines of A, inclusive.
    pub a: Option<(u32, u32)>,
    /// Lines of B, inclusive.
    pub b: Option<(u32, u32)>,
}

/// Lines holding tokens of `range`, each with a key hashing its token texts.
fn token_lines(side: Side<'_>, start: u32, end: u32) -> Vec<(u32, u64)> {
    let mut out: Vec<(u32, u64)> = Vec::new();
    for t in &side.tokens[start as usize..end as usize] {
        match out.last_mut() {
            Some((line, key)) if *line == t.line => {
                *key = key.rotate_left(5).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ t.exact;
            }
            _ => out.push((t.line, t.exact)),
        }
    }
    out
}

/// The line diff of one region, as ordered runs covering all its lines.
///
/// The histogram diff is not symmetric (it anchors on lines rare in the *old* side), so it runs
/// in a direction chosen by content, not by argument order, and is mirrored when the order is
/// the other one: `compare(b, a)` then shows exactly the hunks of `compare(a, b)` with added and
/// removed swapped.
pub fn region_line_diff(a: Side<'_>, b: Side<'_>, region: &AlignedRegion) -> Vec<LineOp> {
    let la = token_lines(a, region.a_start(), region.a_end());
    let lb = token_lines(b, region.b_start(), region.b_end());
    let key = |lines: &[(u32, u64)]| {
        lines.iter().fold(0u64, |h, l| {
            (h.rotate_left(7) ^ l.1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        })
    };
    if key(&la) <= key(&lb) {
        line_ops(&la, &lb)
    } else {
        line_ops(&lb, &la)
            .into_iter()
            .map(LineOp::mirrored)
            .collect()
    }
}

impl LineOp {
    /// The same run seen from the other file.
    fn mirrored(self) -> LineOp {
        LineOp {
            kind: match self.kind {
                LineOpKind::Removed => LineOpKind::Added,
                LineOpKind::Added => LineOpKind::Removed,
                other => other,
            },
            a: self.b,
            b: self.a,
        }
    }
}

/// Inputs of more items (lines or tokens, both sides together) than this are diffed by
/// [`diff_bounded`] with Myers' algorithm and without sliding hunks. The histogram diff costs
/// about its input times the hunks it finds when most lines are unique (a 20 MB table of
/// numbers edited every 40 rows: 24 s, 1.7 s with Myers), and sliding hunks through runs of
/// equal lines costs about as much (20 MB of one repeated statement edited every 50 lines:
/// 12.4 s, 2.5 s without). The largest real pair measured, two releases of `sqlite3.c`, has
/// 504,313 lines together and keeps the histogram diff (the whole comparison takes 0.5 s); at
/// this bound a table like the one above takes about 6 s.
pub const LARGE_DIFF_ITEMS: usize = 600_000;

/// The diff of `input`: histogram, then tidied by `tidy` (one of imara-diff's
/// postprocessings); above [`LARGE_DIFF_ITEMS`], Myers' algorithm with its heuristics and no
/// tidying, so that no input takes quadratic time. Either way the hunks turn the old side into
/// the new one.
pub fn diff_bounded<T>(
    input: &InternedInput<T>,
    tidy: impl FnOnce(&mut Diff, &InternedInput<T>),
) -> Diff {
    if input.before.len() + input.after.len() > LARGE_DIFF_ITEMS {
        return Diff::compute(Algorithm::Myers, input);
    }
    let mut diff = Diff::compute(Algorithm::Histogram, input);
    tidy(&mut diff, input);
    diff
}

/// The histogram line diff of two keyed line lists.
fn line_ops(la: &[(u32, u64)], lb: &[(u32, u64)]) -> Vec<LineOp> {
    let mut input = InternedInput::default();
    input.update_before(la.iter().map(|l| l.1));
    input.update_after(lb.iter().map(|l| l.1));
    let diff = diff_bounded(&input, |diff, input| diff.postprocess_no_heuristic(input));

    let span = |lines: &[(u32, u64)], r: std::ops::Range<u32>| {
        (!r.is_empty()).then(|| (lines[r.start as usize].0, lines[r.end as usize - 1].0))
    };
    let mut ops = Vec::new();
    let (mut pa, mut pb) = (0u32, 0u32);
    let push_equal = |ops: &mut Vec<LineOp>, ea: u32, eb: u32, pa: u32, pb: u32| {
        if ea > pa {
            ops.push(LineOp {
                kind: LineOpKind::Equal,
                a: span(la, pa..ea),
                b: span(lb, pb..eb),
            });
        }
    };
    for hunk in diff.hunks() {
        push_equal(&mut ops, hunk.before.start, hunk.after.start, pa, pb);
        let kind = match (hunk.before.is_empty(), hunk.after.is_empty()) {
            (false, false) => LineOpKind::Changed,
            (false, true) => LineOpKind::Removed,
            _ => LineOpKind::Added,
        };
        ops.push(LineOp {
            kind,
            a: span(la, hunk.before.clone()),
            b: span(lb, hunk.after.clone()),
        });
        pa = hunk.before.end;
        pb = hunk.after.end;
    }
    push_equal(&mut ops, la.len() as u32, lb.len() as u32, pa, pb);
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `before` with every `every`-th item replaced by a new one.
    fn edited(before: &[u64], every: usize) -> Vec<u64> {
        let mut after = before.to_vec();
        for (i, x) in after.iter_mut().enumerate().step_by(every) {
            *x = 1_000_000_000 + i as u64;
        }
        after
    }

    /// `before` turned into the new side by the diff's hunks.
    fn applied(diff: &Diff, before: &[u64], after: &[u64]) -> Vec<u64> {
        let (mut out, mut at) = (Vec::new(), 0usize);
        for hunk in diff.hunks() {
            out.extend_from_slice(&before[at..hunk.before.start as usize]);
            out.extend_from_slice(&after[hunk.after.start as usize..hunk.after.end as usize]);
            at = hunk.before.end as usize;
        }
        out.extend_from_slice(&before[at..]);
        out
    }

    fn input(before: &[u64], after: &[u64]) -> InternedInput<u64> {
        let mut input = InternedInput::default();
        input.update_before(before.iter().copied());
        input.update_after(after.iter().copied());
        input
    }

    #[test]
    fn large_inputs_get_a_correct_diff_by_another_algorithm() {
        // Unique items edited at regular intervals (the histogram diff's worst case), and one
        // item repeated throughout (the sliders' worst case), just over the bound.
        let unique: Vec<u64> = (0..LARGE_DIFF_ITEMS as u64 / 2 + 1).collect();
        let repeated = vec![7u64; LARGE_DIFF_ITEMS / 2 + 1];
        for before in [unique, repeated] {
            let after = edited(&before, 40);
            let input = input(&before, &after);
            let mut tidied = false;
            let diff = diff_bounded(&input, |_, _| tidied = true);
            assert!(!tidied, "large inputs are not tidied");
            assert_eq!(applied(&diff, &before, &after), after);
            assert_eq!(diff.count_removals() as usize, before.len().div_ceil(40));
        }
    }

    #[test]
    fn inputs_under_the_bound_get_the_tidied_histogram_diff() {
        let before: Vec<u64> = (0..5_000).map(|i| i % 700).collect();
        let after = edited(&before, 13);
        let input = input(&before, &after);
        let diff = diff_bounded(&input, |diff, input| diff.postprocess_no_heuristic(input));
        let mut expected = Diff::compute(Algorithm::Histogram, &input);
        expected.postprocess_no_heuristic(&input);
        let hunks = |d: &Diff| d.hunks().collect::<Vec<_>>();
        assert_eq!(hunks(&diff), hunks(&expected));
        assert_eq!(applied(&diff, &before, &after), after);
    }
}
