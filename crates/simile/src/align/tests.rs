use crate::AlignConfig;
use crate::compare;
use crate::report::Verdict;
use crate::source::SourceFile;

#[test]
fn tiny_identical_files_are_identical() {
    // 18 tokens: shorter than `min_region_tokens`, longer than a k-gram.
    let text = "DATE_FORMAT = \"d F Y\"\nTIME_FORMAT = \"H:i\"\nSHORT_DATE_FORMAT = \"d.m.Y\"\nDECIMAL_SEPARATOR = \",\"\nTHOUSAND_SEPARATOR = \" \"\n";
    let a = SourceFile::from_text("a/formats.py", text, None);
    let b = SourceFile::from_text("b/formats.py", &format!("# another header\n{text}"), None);
    let c = compare(&a, &b, &AlignConfig::default());
    assert_eq!(c.a.tokens, 15);
    assert_eq!(c.scores.similarity, 1.0);
    assert_eq!(c.verdict, Verdict::Identical);

    // 3 tokens: not even one k-gram, still identical.
    let a = SourceFile::from_text("a.py", "VERSION = 3\n", None);
    let b = SourceFile::from_text("b.py", "VERSION = 3  # same\n", None);
    let c = compare(&a, &b, &AlignConfig::default());
    assert_eq!(c.scores.similarity, 1.0);
    assert_eq!(c.verdict, Verdict::Identical);
}

#[test]
fn short_coincidences_in_big_files_still_do_not_count() {
    // The same 14-token loop header inside two otherwise unrelated functions of 60+ tokens.
    let a = SourceFile::from_text(
        "a.c",
        "int f(int *v, int n) { int s = 1; for (i = 0; i < n; i++) { s *= v[i] + 3; } if (s > 100) { s = s / 2 - 7; } return s * s - 1; }\n",
        None,
    );
    let b = SourceFile::from_text(
        "b.c",
        "void g(char *p, long m) { char q = 'x'; for (i = 0; i < n; i++) { p[m] ^= q; } while (m-- > 0) { q = q << 1; } puts(p); }\n",
        None,
    );
    let c = compare(&a, &b, &AlignConfig::default());
    assert_eq!(c.scores.matched_tokens, 0, "{:?}", c.regions);
}
