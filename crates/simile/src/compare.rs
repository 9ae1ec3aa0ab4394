//! `compare`: the whole pipeline for one pair of files, in one call.
//!
//! Tokens first (both files at once); then, in parallel, the token alignment on one side and
//! the parsing of both files into units and the licence detection on the other (parsing is
//! the slow part: tree-sitter reads about 14 MB/s, against 500 MB/s for the tokenizer);
//! then the unit mapping and the rename map, which need both.

use crate::align::{AlignConfig, Alignment, Side, align};
use crate::lex::{TokenizedFile, tokenize};
use crate::license::{compare_licenses, file_license};
use crate::report::{
    Comparison, FileLicense, LineDiffs, StructureInputs, build_comparison_with, build_renames,
    build_unit_mapping,
};
use crate::source::SourceFile;
use crate::structure::mapping::{MapSide, map_units};
use crate::structure::renames::{RenameSide, identifier_renames};
use crate::structure::{FileUnits, extract_units};
use foldhash::HashSet;

/// What a comparison computes beyond the token alignment. Corpus search, which verifies
/// thousands of candidates and only ranks them, turns everything off
/// ([`CompareOptions::tokens_only`]); `simile compare` turns everything on (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareOptions {
    /// Settings of the token alignment.
    pub align: AlignConfig,
    /// Parse both files into units (functions, classes ...) and map them
    /// ([`Comparison::units`]).
    pub structure: bool,
    /// Infer the file-level identifier rename map ([`Comparison::renames`]); scoped by units
    /// when `structure` is on, file-wide otherwise.
    pub renames: bool,
    /// Detect licences and copyright statements ([`Comparison::licenses`]).
    pub licenses: bool,
    /// Diff the lines of each edited region ([`Region::diff`]). Off only for a report that does
    /// not show them (`clones` in text and Markdown), which then finds `diff` empty.
    ///
    /// [`Region::diff`]: crate::report::Region::diff
    pub line_diffs: bool,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            align: AlignConfig::default(),
            structure: true,
            renames: true,
            licenses: true,
            line_diffs: true,
        }
    }
}

impl CompareOptions {
    /// Everything on, with these alignment settings.
    pub fn full(align: AlignConfig) -> CompareOptions {
        CompareOptions {
            align,
            ..CompareOptions::default()
        }
    }

    /// The token alignment, scores and line diffs only: no parsing, no rename map, no licences.
    pub fn tokens_only(align: AlignConfig) -> CompareOptions {
        CompareOptions {
            align,
            structure: false,
            renames: false,
            licenses: false,
            line_diffs: true,
        }
    }
}

/// Compare two source files with everything on: scores and regions, units mapped, the rename
/// map, licences. Same as [`compare_with`] and [`CompareOptions::full`].
pub fn compare(a: &SourceFile, b: &SourceFile, config: &AlignConfig) -> Comparison {
    compare_with(a, b, &CompareOptions::full(*config))
}

/// Compare two source files, computing what `options` asks for.
pub fn compare_with(a: &SourceFile, b: &SourceFile, options: &CompareOptions) -> Comparison {
    let (ta, tb) = rayon::join(|| tokenize(a), || tokenize(b));
    compare_tokenized_with((a, &ta), (b, &tb), options)
}

/// Compare two files that are already tokenized, token alignment only (what corpus search
/// verifies candidates with). Same as [`compare_tokenized_with`] and
/// [`CompareOptions::tokens_only`].
pub fn compare_tokenized(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    config: &AlignConfig,
) -> Comparison {
    compare_tokenized_with(a, b, &CompareOptions::tokens_only(*config))
}

/// Compare two files that are already tokenized, computing what `options` asks for.
pub fn compare_tokenized_with(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    options: &CompareOptions,
) -> Comparison {
    let side_a = Side {
        tokens: &a.1.tokens,
        text: &a.0.text,
        lines: &a.0.lines,
    };
    let side_b = Side {
        tokens: &b.1.tokens,
        text: &b.0.text,
        lines: &b.0.lines,
    };
    let (alignment, (units, licenses)) = rayon::join(
        || align(side_a, side_b, &options.align),
        || {
            rayon::join(
                || {
                    options.structure.then(|| {
                        rayon::join(
                            || extract_units(a.0, &a.1.tokens),
                            || extract_units(b.0, &b.1.tokens),
                        )
                    })
                },
                || {
                    options.licenses.then(|| {
                        (
                            file_license(a.0, &a.1.tokens, &a.1.comments),
                            file_license(b.0, &b.1.tokens, &b.1.comments),
                        )
                    })
                },
            )
        },
    );
    complete(a, b, &alignment, units, licenses, options)
}

/// The comparison of two tokenized files from their alignment, computing the rest of what
/// `options` asks for (units, the rename map, licences) as [`compare_tokenized_with`] does: for a
/// caller that aligned first and decides later which pairs to report (`clones`).
pub fn compare_aligned(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    options: &CompareOptions,
) -> Comparison {
    let units = options.structure.then(|| {
        rayon::join(
            || extract_units(a.0, &a.1.tokens),
            || extract_units(b.0, &b.1.tokens),
        )
    });
    let licenses = options.licenses.then(|| {
        (
            file_license(a.0, &a.1.tokens, &a.1.comments),
            file_license(b.0, &b.1.tokens, &b.1.comments),
        )
    });
    complete(a, b, alignment, units, licenses, options)
}

/// Build the comparison and add units, renames and licences to it.
fn complete(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    alignment: &Alignment,
    units: Option<(FileUnits, FileUnits)>,
    licenses: Option<(FileLicense, FileLicense)>,
    options: &CompareOptions,
) -> Comparison {
    let line_diffs = if options.line_diffs {
        LineDiffs::Built
    } else {
        LineDiffs::Skipped
    };
    let mut comparison = build_comparison_with(a, b, alignment, &options.align, line_diffs);
    let a_to_b = &alignment.matching.a_to_b;
    let mut unit_renames: HashSet<(String, String)> = HashSet::default();
    if let Some((ua, ub)) = &units {
        let map = map_units(
            MapSide {
                tokens: &a.1.tokens,
                units: ua,
            },
            MapSide {
                tokens: &b.1.tokens,
                units: ub,
            },
            a_to_b,
        );
        for p in map.pairs.iter().filter(|p| p.renamed) {
            unit_renames.insert((
                ua.units[p.a as usize].name.clone(),
                ub.units[p.b as usize].name.clone(),
            ));
        }
        let inputs = StructureInputs {
            a: (a.0, ua),
            b: (b.0, ub),
        };
        let (mapping, warnings) = build_unit_mapping(inputs, &map, &comparison.regions);
        comparison.units = Some(mapping);
        comparison.warnings.extend(warnings);
    }
    if options.renames {
        let units_a: Option<&FileUnits> = units.as_ref().map(|(ua, _)| ua);
        let found = identifier_renames(
            RenameSide {
                tokens: &a.1.tokens,
                text: &a.0.text,
            },
            RenameSide {
                tokens: &b.1.tokens,
                text: &b.0.text,
            },
            a_to_b,
            units_a,
            &unit_renames,
        );
        comparison.renames = build_renames(found, (a.0, units_a));
    }
    if let Some((la, lb)) = licenses {
        comparison.licenses = Some(compare_licenses(la, lb));
    }
    comparison
}
