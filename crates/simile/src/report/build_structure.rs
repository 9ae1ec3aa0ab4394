//! From the structure engine's units, unit map and renames (bytes, indices) to the report's
//! units (lines, names, region ids) and warnings.

use super::comparison::{LineRange, Region, Warning};
use super::structure::*;
use crate::source::SourceFile;
use crate::structure::mapping::{BodyChange, UnitMap, UnitPair};
use crate::structure::renames::FoundRename;
use crate::structure::{FileUnits, Unit};

/// What the structure part of a report is built from.
#[derive(Debug, Clone, Copy)]
pub struct StructureInputs<'a> {
    /// File A and its units.
    pub a: (&'a SourceFile, &'a FileUnits),
    /// File B and its units.
    pub b: (&'a SourceFile, &'a FileUnits),
}

/// The report's unit mapping, and warnings about lines the parser could not read.
pub fn build_unit_mapping(
    inputs: StructureInputs<'_>,
    map: &UnitMap,
    regions: &[Region],
) -> (UnitMapping, Vec<Warning>) {
    let (fa, ua) = inputs.a;
    let (fb, ub) = inputs.b;
    let info_a = |u: u32| unit_info(fa, &ua.units[u as usize]);
    let info_b = |u: u32| unit_info(fb, &ub.units[u as usize]);
    let spans_a = RegionSpans::new(regions, |r| (r.a.start_byte, r.a.end_byte));
    let spans_b = RegionSpans::new(regions, |r| (r.b.start_byte, r.b.end_byte));
    let mut entries: Vec<(u32, UnitMatch)> = Vec::new();
    for p in &map.pairs {
        let unit = &ua.units[p.a as usize];
        entries.push((
            p.a,
            UnitMatch {
                status: status(p),
                a: Some(info_a(p.a)),
                b: Some(info_b(p.b)),
                similarity: Some(round(p.similarity)),
                body: Some(p.body),
                moved: p.moved,
                regions: spans_a.overlapping(unit),
            },
        ));
    }
    for &x in &map.removed {
        let unit = &ua.units[x as usize];
        entries.push((
            x,
            UnitMatch {
                status: UnitStatus::Removed,
                a: Some(info_a(x)),
                b: None,
                similarity: None,
                body: None,
                moved: false,
                regions: spans_a.overlapping(unit),
            },
        ));
    }
    entries.sort_by_key(|(x, _)| *x);
    let mut units: Vec<UnitMatch> = entries.into_iter().map(|(_, m)| m).collect();
    for &y in &map.added {
        let unit = &ub.units[y as usize];
        units.push(UnitMatch {
            status: UnitStatus::Added,
            a: None,
            b: Some(info_b(y)),
            similarity: None,
            body: None,
            moved: false,
            regions: spans_b.overlapping(unit),
        });
    }
    let mut summary = UnitSummary::default();
    for u in &units {
        let slot = match u.status {
            UnitStatus::Identical => &mut summary.identical,
            UnitStatus::RenamedOnly => &mut summary.renamed_only,
            UnitStatus::Modified => &mut summary.modified,
            UnitStatus::Renamed => &mut summary.renamed,
            UnitStatus::Moved => &mut summary.moved,
            UnitStatus::Removed => &mut summary.removed,
            UnitStatus::Added => &mut summary.added,
        };
        *slot += 1;
    }
    let parse_a = unit_parse(fa, ua);
    let parse_b = unit_parse(fb, ub);
    let warnings = [
        parse_warning(fa, ua, &parse_a),
        parse_warning(fb, ub, &parse_b),
    ]
    .into_iter()
    .flatten()
    .collect();
    (
        UnitMapping {
            a: parse_a,
            b: parse_b,
            summary,
            units,
        },
        warnings,
    )
}

/// The report's rename map.
pub fn build_renames(
    found: Vec<FoundRename>,
    a: (&SourceFile, Option<&FileUnits>),
) -> Vec<IdentifierRename> {
    let (file, units) = a;
    found
        .into_iter()
        .map(|r| IdentifierRename {
            a: r.a,
            b: r.b,
            occurrences: r.occurrences,
            scope: r.scope,
            units: units
                .map(|units| {
                    r.units
                        .iter()
                        .map(|&k| {
                            let u = &units.units[k as usize];
                            UnitRef {
                                name: u.qualified_name.clone(),
                                lines: unit_lines(file, u),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

fn status(p: &UnitPair) -> UnitStatus {
    if p.renamed {
        UnitStatus::Renamed
    } else if p.moved {
        UnitStatus::Moved
    } else {
        match p.body {
            BodyChange::Identical => UnitStatus::Identical,
            BodyChange::RenamedOnly => UnitStatus::RenamedOnly,
            BodyChange::Modified => UnitStatus::Modified,
        }
    }
}

/// Four decimals: enough for a reader, and stable in snapshots.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn unit_lines(file: &SourceFile, u: &Unit) -> LineRange {
    LineRange {
        start: file.lines.line_of(u.start),
        end: file.lines.line_of(u.end.saturating_sub(1).max(u.start)),
    }
}

fn unit_info(file: &SourceFile, u: &Unit) -> UnitInfo {
    UnitInfo {
        name: u.name.clone(),
        qualified_name: u.qualified_name.clone(),
        kind: u.kind,
        lines: unit_lines(file, u),
        tokens: u.token_count(),
        origin: u.origin,
    }
}

/// The regions' spans (bytes) on one side, sorted, to find those overlapping a unit by binary
/// search: checking every region for every unit took 35 s for 100,000 small functions compared
/// with the same functions shuffled (a region each).
struct RegionSpans {
    /// (start, end, index in the regions), sorted.
    spans: Vec<(u32, u32, usize)>,
    /// Region ids, by index.
    ids: Vec<u32>,
    /// Whether the ends are sorted too, as they are when regions do not overlap on this side
    /// (the aligner's rule); otherwise every span is checked.
    ends_sorted: bool,
}

impl RegionSpans {
    fn new(regions: &[Region], span: impl Fn(&Region) -> (u32, u32)) -> RegionSpans {
        RegionSpans::of(regions.iter().map(|r| {
            let (start, end) = span(r);
            (start, end, r.id)
        }))
    }

    /// From (start, end, id) of each region, in the regions' order.
    fn of(regions: impl Iterator<Item = (u32, u32, u32)>) -> RegionSpans {
        let (mut spans, mut ids) = (Vec::new(), Vec::new());
        for (i, (start, end, id)) in regions.enumerate() {
            spans.push((start, end, i));
            ids.push(id);
        }
        spans.sort_unstable();
        let ends_sorted = spans.windows(2).all(|w| w[0].1 <= w[1].1);
        RegionSpans {
            spans,
            ids,
            ends_sorted,
        }
    }

    /// Ids of the regions whose span overlaps the unit, in the regions' order.
    fn overlapping(&self, u: &Unit) -> Vec<u32> {
        self.overlapping_bytes(u.start, u.end)
    }

    fn overlapping_bytes(&self, start: u32, end: u32) -> Vec<u32> {
        let candidates = if self.ends_sorted {
            let first = self.spans.partition_point(|s| s.1 <= start);
            let last = self.spans.partition_point(|s| s.0 < end);
            &self.spans[first..last.max(first)]
        } else {
            &self.spans[..]
        };
        let mut found: Vec<usize> = candidates
            .iter()
            .filter(|&&(s, e, _)| s < end && start < e)
            .map(|s| s.2)
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| self.ids[i]).collect()
    }
}

fn unit_parse(file: &SourceFile, units: &FileUnits) -> UnitParse {
    let covered = parsed_extents(units);
    let mut error_lines: Vec<LineRange> = Vec::new();
    for &(s, e) in &units.error_spans {
        // Inside a parsed unit: the unit is there, the error is in its body.
        let k = covered.partition_point(|c| c.1 <= s);
        if covered.get(k).is_some_and(|c| c.0 <= s && e <= c.1) {
            continue;
        }
        let r = LineRange {
            start: file.lines.line_of(s),
            end: file.lines.line_of(e.saturating_sub(1).max(s)),
        };
        match error_lines.last_mut() {
            Some(last) if r.start <= last.end + 1 => last.end = last.end.max(r.end),
            _ => error_lines.push(r),
        }
    }
    let error_count = error_lines.len() as u32;
    error_lines.truncate(MAX_ERROR_LINES);
    UnitParse {
        parser: units.parser.name().to_owned(),
        units: units.units.len() as u32,
        heuristic_units: units.heuristic_count() as u32,
        error_count,
        error_lines,
    }
}

/// Byte ranges covered by parsed units, merged and sorted.
fn parsed_extents(units: &FileUnits) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for u in units
        .units
        .iter()
        .filter(|u| u.origin == crate::structure::UnitOrigin::Parsed)
    {
        match out.last_mut() {
            Some(last) if u.start <= last.1 => last.1 = last.1.max(u.end),
            _ => out.push((u.start, u.end)),
        }
    }
    out
}

fn parse_warning(file: &SourceFile, units: &FileUnits, parse: &UnitParse) -> Option<Warning> {
    if parse.error_count == 0 {
        return None;
    }
    let shown: Vec<String> = parse
        .error_lines
        .iter()
        .take(8)
        .map(|r| {
            if r.start == r.end {
                r.start.to_string()
            } else {
                format!("{}-{}", r.start, r.end)
            }
        })
        .collect();
    let more = if parse.error_count > 8 {
        format!(" and {} more", parse.error_count - 8)
    } else {
        String::new()
    };
    let found = match parse.heuristic_units {
        0 => "the token heuristic found no unit there that the parser missed".to_owned(),
        1 => "1 unit there was found by the token heuristic instead".to_owned(),
        n => format!("{n} units there were found by the token heuristic instead"),
    };
    Some(Warning {
        path: Some(file.name.clone()),
        message: format!(
            "{} could not parse {} place(s) outside the units it found (line(s) {}{more}); {found}",
            units.parser.name(),
            parse.error_count,
            shown.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::RegionSpans;

    /// Pseudo-random numbers below `n`, as `u32`.
    fn numbers(seed: u64) -> impl FnMut(u32) -> u32 {
        let mut next = crate::testing::numbers(seed);
        move |n| next(u64::from(n)) as u32
    }

    #[test]
    fn overlapping_regions_are_found_as_by_checking_every_one() {
        let mut next = numbers(9);
        // Regions that do not overlap (the aligner's; listed out of byte order, as moved
        // regions are on B's side), then regions that do (every span is checked).
        let mut apart: Vec<(u32, u32, u32)> = (0..300)
            .map(|i| (i * 50, i * 50 + 1 + next(49), i + 1))
            .collect();
        for i in (1..apart.len()).rev() {
            apart.swap(i, next(i as u32 + 1) as usize);
        }
        let overlapping: Vec<(u32, u32, u32)> = (0..300)
            .map(|i| {
                let start = next(15_000);
                (start, start + 1 + next(400), i + 1)
            })
            .collect();
        for regions in [apart, overlapping] {
            let spans = RegionSpans::of(regions.iter().copied());
            for _ in 0..2_000 {
                let start = next(15_500);
                let end = start + next(300);
                let expected: Vec<u32> = regions
                    .iter()
                    .filter(|&&(s, e, _)| s < end && start < e)
                    .map(|r| r.2)
                    .collect();
                assert_eq!(
                    spans.overlapping_bytes(start, end),
                    expected,
                    "{start}..{end}"
                );
            }
        }
    }
}
