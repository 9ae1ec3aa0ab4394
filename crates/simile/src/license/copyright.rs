//! Copyright statements: holder and years from lines like `Copyright (c) 2016-2021, Yann
//! Collet, Facebook, Inc.`, `(C) 1995-2024 Jean-loup Gailly and Mark Adler`, `Copyright ©
//! 2010, 2012-2014 Foo Ltd. All rights reserved.`, across line breaks when a statement
//! continues.
//!
//! A statement starts at `Copyright`, `(c)` or `©` at the start of a comment line (after an
//! optional `Portions`), or anywhere in a line when the word is followed by `(c)`, `©` or a
//! year. Prose about copyright (`the above copyright notice`, `The author disclaims copyright
//! to this source code`, `COPYRIGHT HOLDERS AND CONTRIBUTORS`) is not a statement.
//!
//! Written by hand: it is a small word-level grammar, and the licence crates do not extract
//! holders.

use super::header::CommentText;
use crate::report::{Copyright, LineRange, YearRange};

/// Words after `Copyright` that make it prose, not a statement.
const PROSE: &[&str] = &[
    "notice",
    "notices",
    "holder",
    "holders",
    "owner",
    "owners",
    "law",
    "laws",
    "and",
    "to",
    "is",
    "of",
    "in",
    "for",
    "the",
    "statement",
    "statements",
    "protection",
    "information",
    "license",
    "licence",
    "act",
    "infringement",
    "claims",
    "interest",
    "rights",
    "terms",
];

/// Copyright statements of a header, in order.
pub fn copyrights(text: &CommentText) -> Vec<Copyright> {
    let lines = &text.lines;
    let mut out = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        let (line_no, line) = (&lines[k].0, lines[k].1.as_str());
        let Some(start) = statement_start(line) else {
            k += 1;
            continue;
        };
        // Join continuation lines: a statement ending in `,`, `and` or `&`, or one with years
        // but no holder yet, goes on on the next line.
        let mut joined = line[start..].trim().to_owned();
        let mut last = k;
        while last + 1 < lines.len() {
            let next = lines[last + 1].1.trim();
            if next.is_empty() || statement_start(next).is_some() {
                break;
            }
            let parsed = parse(&joined);
            let open_ended = joined.ends_with(',')
                || joined.ends_with(" and")
                || joined.ends_with('&')
                || (parsed.holder.is_none() && !parsed.years.is_empty())
                || next.starts_with(|c: char| c.is_ascii_digit()) && joined.ends_with(',');
            if !open_ended {
                break;
            }
            joined.push(' ');
            joined.push_str(next);
            last += 1;
        }
        let parsed = parse(&joined);
        if parsed.valid {
            out.push(Copyright {
                lines: LineRange {
                    start: *line_no,
                    end: lines[last].0,
                },
                statement: collapse(&joined),
                years: parsed.years,
                holder: parsed.holder,
            });
        }
        k = last + 1;
    }
    out
}

/// Byte offset in `line` where a copyright statement starts, if one does.
fn statement_start(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    let trimmed = lower.trim_start();
    let lead = lower.len() - trimmed.len();
    for prefix in [
        "copyright",
        "(c)",
        "©",
        "portions copyright",
        "portions (c)",
        "copr.",
    ] {
        if trimmed.starts_with(prefix) {
            return Some(lead);
        }
    }
    // Mid-line: `This file is Copyright (C) 2000 Foo`, `Written by X, copyright 1999 Y`.
    let mut from = 0;
    while let Some(pos) = lower[from..].find("copyright") {
        let at = from + pos;
        let after = lower[at + "copyright".len()..].trim_start();
        let strong = after.starts_with("(c)")
            || after.starts_with('©')
            || after
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .is_some_and(|d| d.len() == 4);
        let word_start = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        if strong && word_start {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

struct Parsed {
    valid: bool,
    years: Vec<YearRange>,
    holder: Option<String>,
}

/// Parse a statement: markers, then years, then the holder.
fn parse(statement: &str) -> Parsed {
    let mut rest = statement.trim();
    let mut marked = false; // an explicit (c) or ©
    let mut saw_word = false;
    loop {
        let lower = rest.to_ascii_lowercase();
        let skip = [
            "portions",
            "copyright",
            "copyrighted",
            "copr.",
            "(c)",
            "©",
            ":",
        ]
        .iter()
        .find(|m| lower.starts_with(*m))
        .map(|m| m.len());
        // `©` is two bytes in UTF-8 either way; lower-casing keeps byte lengths of these.
        match skip {
            Some(n) => {
                let m = &lower[..n];
                marked |= m == "(c)" || m == "©";
                saw_word |= m.starts_with("copyright") || m == "copr.";
                rest = rest[n..].trim_start_matches([',', ' ', '\t']);
            }
            None => break,
        }
    }
    let (years, after_years) = years(rest);
    let mut holder = after_years
        .trim_start_matches([',', ';', ' ', '-', '\u{2013}'])
        .trim();
    if let Some(h) = holder.strip_prefix("by ") {
        holder = h.trim();
    }
    let holder = clean_holder(holder);
    let prose = years.is_empty()
        && !marked
        && holder.as_deref().is_some_and(|h| {
            let first = h.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            PROSE.contains(&first.to_lowercase().as_str())
                || first.chars().next().is_some_and(char::is_lowercase)
        });
    let _ = saw_word;
    Parsed {
        valid: !prose && (holder.is_some() || !years.is_empty()),
        years,
        holder,
    }
}

/// Years at the start of `s`: `2001`, `1995-2016`, `1995 - 98`, `2010, 2012-2014`,
/// `2019-present`. Returns them and the text after.
fn years(s: &str) -> (Vec<YearRange>, &str) {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let r = rest.trim_start_matches([',', ' ']);
        let r = r.strip_prefix("and ").unwrap_or(r);
        let Some((start, after)) = year(r) else {
            break;
        };
        let mut end = start;
        let mut tail = after;
        let dash = after.trim_start();
        if let Some(d) = dash
            .strip_prefix('-')
            .or_else(|| dash.strip_prefix('\u{2013}'))
            .or_else(|| dash.strip_prefix('\u{2014}'))
        {
            let d = d.trim_start();
            if let Some((e, t)) = year(d) {
                end = e;
                tail = t;
            } else if let Some((e, t)) = two_digit_year(d, start) {
                end = e;
                tail = t;
            } else if let Some(t) = ["present", "now", "today"]
                .iter()
                .find_map(|w| d.strip_prefix(w))
            {
                tail = t;
            }
        }
        out.push(YearRange {
            start,
            end: end.max(start),
        });
        rest = tail;
    }
    if out.is_empty() {
        (out, s)
    } else {
        (out, rest)
    }
}

/// A four-digit year (1900-2099) at the start of `s`, not followed by another digit.
fn year(s: &str) -> Option<(u16, &str)> {
    let b = s.as_bytes();
    if b.len() < 4
        || !b[..4].iter().all(u8::is_ascii_digit)
        || b.get(4).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let y: u16 = s[..4].parse().ok()?;
    (1900..=2099).contains(&y).then_some((y, &s[4..]))
}

/// `98` after `1995-`: the same century.
fn two_digit_year(s: &str, start: u16) -> Option<(u16, &str)> {
    let b = s.as_bytes();
    if b.len() < 2
        || !b[..2].iter().all(u8::is_ascii_digit)
        || b.get(2).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let yy: u16 = s[..2].parse().ok()?;
    let y = start / 100 * 100 + yy;
    (y >= start).then_some((y, &s[2..]))
}

/// Remove `All rights reserved`, trailing punctuation and surrounding space.
fn clean_holder(h: &str) -> Option<String> {
    let mut h = collapse(h);
    let lower = h.to_ascii_lowercase();
    if let Some(pos) = lower.find("all rights reserved") {
        h.truncate(pos);
    }
    let h = h
        .trim()
        .trim_end_matches(['.', ',', ';', ':', ' '])
        .trim()
        .to_owned();
    (!h.is_empty()).then_some(h)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::header::strip_markers;

    fn parse_header(src: &str) -> Vec<Copyright> {
        let lines = src
            .lines()
            .enumerate()
            .map(|(k, l)| (k as u32 + 1, strip_markers(l)))
            .collect();
        copyrights(&CommentText { lines })
    }

    fn one(src: &str) -> (Vec<(u16, u16)>, Option<String>) {
        let c = parse_header(src);
        assert_eq!(c.len(), 1, "{src}: {c:?}");
        (
            c[0].years.iter().map(|y| (y.start, y.end)).collect(),
            c[0].holder.clone(),
        )
    }

    #[test]
    fn real_statements() {
        assert_eq!(
            one(" * Copyright (c) 2016-2021, Yann Collet, Facebook, Inc."),
            (
                vec![(2016, 2021)],
                Some("Yann Collet, Facebook, Inc".into())
            )
        );
        assert_eq!(
            one(" * Copyright 1995-2016 The OpenSSL Project Authors. All Rights Reserved."),
            (
                vec![(1995, 2016)],
                Some("The OpenSSL Project Authors".into())
            )
        );
        assert_eq!(
            one("  Copyright (C) 1995-2024 Jean-loup Gailly and Mark Adler"),
            (
                vec![(1995, 2024)],
                Some("Jean-loup Gailly and Mark Adler".into())
            )
        );
        assert_eq!(
            one(" * Copyright (c) Meta Platforms, Inc. and affiliates.\n * All rights reserved."),
            (vec![], Some("Meta Platforms, Inc. and affiliates".into()))
        );
        assert_eq!(
            one("# Copyright © 2010, 2012-2014 Foo Ltd. All rights reserved."),
            (vec![(2010, 2010), (2012, 2014)], Some("Foo Ltd".into()))
        );
        assert_eq!(
            one("(C) 1995-98 Jean-loup Gailly"),
            (vec![(1995, 1998)], Some("Jean-loup Gailly".into()))
        );
        assert_eq!(
            one(" * Copyright (c) 2002 Bob Beck <beck@openbsd.org>"),
            (
                vec![(2002, 2002)],
                Some("Bob Beck <beck@openbsd.org>".into())
            )
        );
        assert_eq!(
            one("Copyright (c) Django Software Foundation and individual contributors."),
            (
                vec![],
                Some("Django Software Foundation and individual contributors".into())
            )
        );
        assert_eq!(
            one(" * This file is Copyright (C) 2000-2019 Foo Corp."),
            (vec![(2000, 2019)], Some("Foo Corp".into()))
        );
    }

    #[test]
    fn multi_line_statements() {
        let c = parse_header(
            " * Copyright (c) 2001, 2002, 2003,\n *               2004 Example Networks, Inc.\n * All rights reserved.\n",
        );
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].lines, LineRange { start: 1, end: 2 });
        assert_eq!(c[0].years.len(), 4);
        assert_eq!(c[0].holder.as_deref(), Some("Example Networks, Inc"));
        let c = parse_header(" * Copyright 2019-present\n *   The Example Authors\n");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].holder.as_deref(), Some("The Example Authors"));
        assert_eq!(
            c[0].years,
            [YearRange {
                start: 2019,
                end: 2019
            }]
        );
    }

    #[test]
    fn several_statements_in_one_header() {
        let c = parse_header(
            "Copyright (c) 1998-2011 The OpenSSL Project.  All rights reserved.\n\nCopyright (C) 1995-1998 Eric Young (eay@cryptsoft.com)\nAll rights reserved.",
        );
        let holders: Vec<_> = c.iter().map(|c| c.holder.clone().unwrap()).collect();
        assert_eq!(
            holders,
            ["The OpenSSL Project", "Eric Young (eay@cryptsoft.com)"]
        );
    }

    #[test]
    fn prose_is_not_a_statement() {
        for prose in [
            "The author disclaims copyright to this source code.  In place of",
            "Redistributions of source code must retain the above copyright",
            "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS",
            "copyright notice and this permission notice appear in all copies.",
            "Copyright and license: see LICENSE",
            "copyright holders",
        ] {
            assert!(parse_header(prose).is_empty(), "{prose}");
        }
    }
}
