//! Small formatting helpers several renderers share. Nothing here knows a format.

use simile::align::RegionKind;
use simile::report::LineRange;

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

#[cfg(test)]
mod tests {
    use super::*;

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
