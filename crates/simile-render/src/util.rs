//! Small formatting helpers several renderers share. Nothing here knows a format.

use simile::align::RegionKind;
use simile::report::{
    BestMatch, BodyChange, Clones, EffectiveBasis, FileLicense, LicenseChange, LineRange, RootRole,
    UnitMatch, UnitStatus, UnitSummary,
};

/// An encoding as the JSON report names it (`utf8-with-latin1`).
pub(crate) fn encoding_name(e: simile::source::Encoding) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// `0.8234` as `82.3%`.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// `3-5`, or `3` for a one-line range.
pub(crate) fn line_range(r: LineRange) -> String {
    if r.start == r.end {
        r.start.to_string()
    } else {
        format!("{}-{}", r.start, r.end)
    }
}

/// `1234567` as `1,234,567`.
pub(crate) fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `1 file`, `2 files`, `1,234 files`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_thousands(n), if n == 1 { one } else { many })
}

/// The word for a region kind, as the JSON report writes it.
pub(crate) fn kind_word(kind: RegionKind) -> &'static str {
    match kind {
        RegionKind::Identical => "identical",
        RegionKind::Renamed => "renamed",
        RegionKind::Edited => "edited",
    }
}

/// Why a file was skipped, without the path that some details start with (`a.bin: binary
/// file ...`): the path is shown next to it.
pub(crate) fn skip_detail(s: &simile::source::walk::Skipped) -> &str {
    s.detail
        .strip_prefix(s.path.as_str())
        .and_then(|d| d.strip_prefix(": "))
        .unwrap_or(&s.detail)
}

/// Paths of a clones report as the views show them: below their root when the root alone says
/// where a file is (the only root, or the only `--old` or `--new` root), so a table of pairs
/// under `/home/me/src/openssl-3.6/crypto` shows `ec/ecp_nistz256.c`. With several roots of
/// one role, paths stay whole: the root is part of what tells two files apart. Where a list
/// mixes old and new files (clusters, blocks), [`tagged`](ShortPaths::tagged) says which side
/// a file is on: `old:ec/ecp_nistz256.c`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShortPaths {
    /// Prefixes to strip (a root and its separator), longest first, with the side they stand
    /// for when the run pairs old files with new ones.
    prefixes: Vec<(String, Option<&'static str>)>,
}

impl ShortPaths {
    pub(crate) fn new(clones: &Clones) -> ShortPaths {
        let alone = |role: RootRole| clones.roots.iter().filter(|r| r.role == role).count() == 1;
        let mut prefixes: Vec<(String, Option<&'static str>)> = clones
            .roots
            .iter()
            .filter(|r| alone(r.role))
            .map(|r| {
                let prefix = if r.path.ends_with('/') {
                    r.path.clone()
                } else {
                    format!("{}/", r.path)
                };
                let side = match r.role {
                    RootRole::Tree => None,
                    RootRole::Old => Some("old"),
                    RootRole::New => Some("new"),
                };
                (prefix, side)
            })
            .collect();
        prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        ShortPaths { prefixes }
    }

    /// `path` below its root, or whole when no root applies (or the path is the root).
    pub(crate) fn show<'a>(&self, path: &'a str) -> &'a str {
        self.strip(path).map_or(path, |(rest, _)| rest)
    }

    /// `path` below its root, after the side it is on when it was cut from an `--old` or
    /// `--new` root (`old:ec/ecp_nistz256.c`): for lists where both sides mix.
    pub(crate) fn tagged(&self, path: &str) -> String {
        match self.strip(path) {
            Some((rest, Some(side))) => format!("{side}:{rest}"),
            Some((rest, None)) => rest.to_string(),
            None => path.to_string(),
        }
    }

    fn strip<'a>(&self, path: &'a str) -> Option<(&'a str, Option<&'static str>)> {
        self.prefixes.iter().find_map(|(p, side)| {
            path.strip_prefix(p.as_str())
                .filter(|rest| !rest.is_empty())
                .map(|rest| (rest, *side))
        })
    }
}

/// How a root is described: `tree`, `old` or `new`.
pub(crate) fn role_word(role: RootRole) -> &'static str {
    match role {
        RootRole::Tree => "tree",
        RootRole::Old => "old",
        RootRole::New => "new",
    }
}

/// Of which files a `clones` pair is the best match, in a table cell: `both`, `A`, `B` or `-`.
pub(crate) fn best_word(best: BestMatch) -> &'static str {
    match best {
        BestMatch::Both => "both",
        BestMatch::A => "A",
        BestMatch::B => "B",
        BestMatch::Neither => "-",
    }
}

/// `s` cut to `width` characters, keeping its end (a file name says more than its first
/// directories): `…/compress/zstd_lazy.c`.
pub(crate) fn keep_end(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let tail: String = s.chars().skip(n - (width - 1)).collect();
    format!("…{tail}")
}

/// A path cut to `width` characters the way a reader can still place it: its first directory
/// kept, then as many of its last components as fit, and the start of what lies between in the
/// room left (`v1.4.9/leg…/zstd_v07.c`, where [`keep_end`] gives `…4.9/legacy/zstd_v07.c` and
/// the release is gone). The first directory is what tells a tree's parts apart (a package of a
/// monorepo, a release, a submission). When it would leave no room for the file name, or take
/// more than half the width, the end is kept instead, as [`keep_end`] does.
pub(crate) fn elide_path(path: &str, width: usize) -> String {
    let n = path.chars().count();
    if n <= width {
        return path.to_string();
    }
    let Some(first) = path.find('/').map(|i| &path[..=i]) else {
        return keep_end(path, width);
    };
    let head = first.chars().count();
    if head * 2 > width {
        return keep_end(path, width);
    }
    // "head" + "…" + "/tail": the longest tail from a separator that fits.
    let room = width - head - 1;
    let rest = &path[first.len()..];
    let tail = rest
        .match_indices('/')
        .map(|(i, _)| &rest[i..])
        .find(|tail| tail.chars().count() <= room);
    let Some(tail) = tail else {
        return keep_end(path, width);
    };
    // The start of what the tail leaves out, in the room left (a few characters at least).
    let left = room - tail.chars().count();
    let between = &rest[..rest.len() - tail.len()];
    let start: String = if left >= 3 {
        between.chars().take(left).collect()
    } else {
        String::new()
    };
    format!("{first}{start}…{tail}")
}

/// "3 identical, 2 modified, 1 added": the unit counts that are not zero, in the mapping's order.
pub(crate) fn unit_counts(s: &UnitSummary) -> Vec<String> {
    [
        (s.identical, "identical"),
        (s.renamed_only, "renamed-only"),
        (s.modified, "modified"),
        (s.renamed, "renamed"),
        (s.moved, "moved"),
        (s.removed, "removed"),
        (s.added, "added"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}"))
    .collect()
}

/// Order of the unit statuses in listings: what a reader looks for first.
pub(crate) fn unit_rank(status: UnitStatus) -> u8 {
    match status {
        UnitStatus::Renamed => 0,
        UnitStatus::Removed => 1,
        UnitStatus::Added => 2,
        UnitStatus::Moved => 3,
        UnitStatus::Modified => 4,
        UnitStatus::RenamedOnly => 5,
        UnitStatus::Identical => 6,
    }
}

/// What a renamed or moved unit's body did, when its status does not say it.
pub(crate) fn unit_body_note(u: &UnitMatch) -> Option<&'static str> {
    match (u.status, u.body) {
        (UnitStatus::Renamed | UnitStatus::Moved, Some(BodyChange::Identical)) => Some("same body"),
        (UnitStatus::Renamed | UnitStatus::Moved, Some(BodyChange::RenamedOnly)) => {
            Some("renamed-only body")
        }
        _ => None,
    }
}

/// How the licences of a clone run's listed pairs changed (with `--licenses`): what a
/// licence-compliance reader looks for first, before any pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LicenseTally {
    pub(crate) changed: u64,
    pub(crate) removed: u64,
    pub(crate) added: u64,
    pub(crate) same: u64,
    pub(crate) none_found: u64,
}

impl LicenseTally {
    /// The tally of the listed pairs, when the run read licences.
    pub(crate) fn of(c: &Clones) -> Option<LicenseTally> {
        if !c.settings.licenses {
            return None;
        }
        let mut t = LicenseTally::default();
        for l in c
            .pairs
            .iter()
            .filter_map(|p| p.comparison.licenses.as_ref())
        {
            *match l.change {
                LicenseChange::Changed => &mut t.changed,
                LicenseChange::Removed => &mut t.removed,
                LicenseChange::Added => &mut t.added,
                LicenseChange::Same => &mut t.same,
                LicenseChange::NoneFound => &mut t.none_found,
            } += 1;
        }
        Some(t)
    }

    /// Pairs whose copy changed or lost its licence.
    pub(crate) fn alarming(&self) -> u64 {
        self.changed + self.removed
    }

    /// `2 changed, 1 removed in B, 240 same, 7 none found`: the counts that are not zero, the
    /// alarming ones first (and those always, zero or not, so "0 changed" says it was looked
    /// at).
    pub(crate) fn phrase(&self) -> String {
        let mut parts = vec![
            format!("{} changed", group_thousands(self.changed)),
            format!("{} removed in B", group_thousands(self.removed)),
        ];
        for (n, what) in [
            (self.added, "added in B"),
            (self.same, "same"),
            (self.none_found, "none found"),
        ] {
            if n > 0 {
                parts.push(format!("{} {what}", group_thousands(n)));
            }
        }
        parts.join(", ")
    }
}

/// How a match's licence relates to its query's (`find --licenses`), in a few words.
pub(crate) fn match_license_word(change: LicenseChange) -> &'static str {
    match change {
        LicenseChange::Same => "same as the query",
        LicenseChange::Changed => "differs from the query",
        LicenseChange::Added => "the query has none",
        LicenseChange::Removed => "none, the query has one",
        LicenseChange::NoneFound => "none found",
    }
}

/// The licence a report shows for a file, and what it rests on when the file does not state it
/// alone: its effective licence, else (a report without one) the licence it states.
pub(crate) fn shown_license(f: &FileLicense) -> Option<(&str, Option<String>)> {
    match (&f.effective, &f.license) {
        (Some(e), _) => Some((e.expression.as_str(), effective_basis_note(e.basis, f))),
        (None, Some(stated)) => Some((stated.as_str(), None)),
        (None, None) => None,
    }
}

/// What an effective licence rests on, when the file does not state it alone.
fn effective_basis_note(basis: EffectiveBasis, f: &FileLicense) -> Option<String> {
    match basis {
        EffectiveBasis::Stated => None,
        EffectiveBasis::HeaderAndLicenseFiles => Some("header, through its licence files".into()),
        EffectiveBasis::LicenseFiles => Some("licence files; the file names none".into()),
        EffectiveBasis::PackageManifest => {
            // The manifest's file name only (one of a few fixed names, or
            // `debian/copyright`): its path is listed with the tree's evidence.
            let manifest = f.declared.as_ref().map_or("manifest", |d| {
                let name = d.manifest.rsplit(['/', '\\']).next().unwrap_or(&d.manifest);
                if d.files.is_some() {
                    "debian/copyright"
                } else {
                    name
                }
            });
            Some(format!(
                "declared in its package's {manifest}; the file names none"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_keep_their_first_directory_and_their_file_name() {
        let path = "v1.4.9/legacy/zstd_v07.c";
        assert_eq!(elide_path(path, 24), path);
        assert_eq!(elide_path(path, 23), "v1.4.9/lega…/zstd_v07.c");
        assert_eq!(elide_path(path, 22), "v1.4.9/leg…/zstd_v07.c");
        // Fewer than three characters of what lies between say nothing.
        assert_eq!(elide_path(path, 21), "v1.4.9/…/zstd_v07.c");
        assert_eq!(elide_path(path, 19), "v1.4.9/…/zstd_v07.c");
        // The longest tail that fits, from a separator.
        let deep = "crypto/ec/curve448/arch_32/f_impl.c";
        assert_eq!(elide_path(deep, 30), "crypto/ec/cu…/arch_32/f_impl.c");
        assert_eq!(elide_path(deep, 34), "crypto/…/curve448/arch_32/f_impl.c");
        // No room for the file name after the first directory: the end, as keep_end.
        assert_eq!(elide_path(path, 18), "…legacy/zstd_v07.c");
        // A first directory wider than half: the end.
        let wide_head = "a-very-long-package-name/x.c";
        assert_eq!(elide_path(wide_head, 20), keep_end(wide_head, 20));
        // A bare file name, and a block location with its lines.
        assert_eq!(elide_path("zstd_v07_decompress.c", 10), "…ompress.c");
        assert_eq!(
            elide_path("v1.4.9/legacy/zstd_v07.c:329-4545", 29),
            "v1.4.9/…/zstd_v07.c:329-4545"
        );
        for width in 1..40 {
            assert!(elide_path(deep, width).chars().count() <= width, "{width}");
        }
    }

    #[test]
    fn formats_numbers_and_ranges() {
        assert_eq!(percent(0.8234), "82.3%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(line_range(LineRange { start: 3, end: 3 }), "3");
        assert_eq!(line_range(LineRange { start: 3, end: 5 }), "3-5");
    }

    #[test]
    fn long_paths_keep_their_end() {
        assert_eq!(
            keep_end("lib/compress/zstd_lazy.c", 30),
            "lib/compress/zstd_lazy.c"
        );
        assert_eq!(keep_end("lib/compress/zstd_lazy.c", 12), "…zstd_lazy.c");
        assert_eq!(keep_end("abc", 0), "");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(1234, "file", "files"), "1,234 files");
        assert_eq!(count(0, "pair", "pairs"), "0 pairs");
    }

    #[test]
    fn skip_details_lose_their_path() {
        use simile::source::walk::{SkipReason, Skipped};
        let skip = |detail: &str| Skipped {
            path: "a/b.bin".into(),
            reason: SkipReason::Binary,
            detail: detail.into(),
        };
        assert_eq!(skip_detail(&skip("a/b.bin: binary file")), "binary file");
        assert_eq!(
            skip_detail(&skip("lines average over 300")),
            "lines average over 300"
        );
        assert_eq!(skip_detail(&skip("")), "");
    }
}
