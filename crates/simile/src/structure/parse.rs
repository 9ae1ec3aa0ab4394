//! From a file to its units: tree-sitter parsing (in chunks, in parallel), the walk that reads
//! units off the syntax tree, and the heuristic filling in where the parse failed.

use super::heuristic::{self, HeuristicUnit};
use super::languages::{self, Flavor, Grammar};
use super::{
    Category, FileUnits, MAX_UNIT_DEPTH, Unit, UnitKind, UnitOrigin, UnitParser, chunks, token_at,
};
use crate::lex::Token;
use crate::source::SourceFile;
use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

/// Time a chunk may take to parse, plus a microsecond per byte (see [`parse_chunk`]).
const PARSE_BUDGET: Duration = Duration::from_secs(2);

/// Chunks larger than this are not given to tree-sitter: they count as unparsed (listed in
/// the report's unparsed lines) and the heuristic finds their units, as difftastic falls back
/// past its `--byte-limit`. Files are cut into chunks of about 128 KB at top-level boundaries
/// ([`chunks`]), so only text that cannot be cut reaches this: a minified file (one line) or a
/// single huge definition. Measured on minified JavaScript (one line of `v1=f(2);`), tree-sitter
/// took 6 s and 1.1 GB for 3 MB and 17 s and 3.4 GB for 10 MB, so a 64 MB file (the default
/// `--max-size`) would not fit in memory; at 1 MiB a parse stays under a second and 400 MB.
pub const MAX_PARSE_BYTES: usize = 1 << 20;
use tree_sitter::{Node, Parser};

/// The units of a file, and what its parser could not read.
///
/// With a grammar: the tree-sitter units, plus heuristic units for functions in unparsed
/// lines that no parsed unit accounts for. Without one: the heuristic's units (or none for
/// plain text).
pub fn extract_units(file: &SourceFile, tokens: &[Token]) -> FileUnits {
    let Some(grammar) = languages::grammar_for(file.language, &file.path) else {
        let style = heuristic::style_for(file.language);
        if style == heuristic::Style::Unsupported {
            return FileUnits {
                units: Vec::new(),
                parser: UnitParser::None,
                error_spans: Vec::new(),
            };
        }
        let found = heuristic::units(tokens, &file.text, style);
        let units = from_heuristic(found.iter().collect(), tokens, ".");
        return FileUnits {
            units,
            parser: UnitParser::Heuristic,
            error_spans: Vec::new(),
        };
    };
    let style = if grammar.flavor == Flavor::Python {
        heuristic::Style::Indentation
    } else {
        heuristic::Style::Braces
    };
    // The heuristic's view is needed to blank bodies, and where the parse fails; computed at
    // most once (a linear scan, ~10 ms on a 9 MB file).
    let mut heuristic_view: Option<Vec<HeuristicUnit>> = None;
    let compacted = if grammar.blank_bodies() {
        let scan = heuristic::scan(tokens, &file.text, style);
        let compacted = Compacted::outline(&file.text, tokens, &scan);
        heuristic_view = Some(scan.units);
        compacted
    } else {
        Compacted::whole(&file.text)
    };
    let cuts = if grammar.brace_chunks() {
        chunks::boundaries(tokens, &file.text)
    } else {
        vec![0]
    };
    let (mut parsed, mut error_spans) = parse_units(&grammar, &compacted, &cuts);
    drop(compacted);
    attach_leading_errors(&mut parsed, &mut error_spans, file);
    let mut extra: Vec<Unit> = Vec::new();
    let mut replaced = vec![false; parsed.len()];
    if !error_spans.is_empty() {
        let found = heuristic_view.unwrap_or_else(|| heuristic::units(tokens, &file.text, style));
        let missing = unaccounted(&found, &parsed, &error_spans, tokens, &grammar);
        extra = from_heuristic(missing, tokens, grammar.separator());
        if !grammar.nested_in_bodies() {
            mark_replaced(&parsed, &extra, &mut replaced);
        }
    }
    let units: Vec<Unit> = parsed
        .iter()
        .zip(&replaced)
        .filter(|(_, replaced)| !**replaced)
        .filter_map(|(r, _)| r.to_unit(tokens))
        .chain(extra)
        .collect();
    let units = reparent(units, grammar.nested_in_bodies());
    FileUnits {
        units,
        parser: UnitParser::TreeSitter(grammar.name),
        error_spans,
    }
}

/// A unit as read off a tree, in absolute byte offsets.
#[derive(Debug, Clone)]
struct RawUnit {
    name: String,
    qualified_name: String,
    kind: UnitKind,
    start: u32,
    end: u32,
    has_error: bool,
}

impl RawUnit {
    fn to_unit(&self, tokens: &[Token]) -> Option<Unit> {
        let token_start = token_at(tokens, self.start);
        let token_end = token_at(tokens, self.end);
        (token_end > token_start).then(|| Unit {
            name: self.name.clone(),
            qualified_name: self.qualified_name.clone(),
            kind: self.kind,
            start: self.start,
            end: self.end,
            token_start,
            token_end,
            parent: None,
            origin: UnitOrigin::Parsed,
        })
    }
}

/// The text tree-sitter parses: for C, C++ and Go, the file's *outline* (what can be or hold
/// a unit), with a map back to the file's offsets; for the other languages, the file.
///
/// Taken out, each replaced by one space (or one line break, where a directive may follow):
/// the inside of every function body the heuristic found, the top-level statements without
/// braces (prototypes, variable declarations), and comments. None of these can be or hold a
/// unit in these languages (the walk skips function bodies anyway), and they are most of a
/// file: sqlite3.c's outline is a small fraction of its 9 MB, and declarations wrapped in
/// macros (`SQLITE_API int sqlite3_open(...);`) are where tree-sitter spends the most in error
/// recovery. Every unit's name and extent still come from the parse of the real heads and
/// the real braces, mapped back exactly. A body whose braces `#if` branches unbalance is cut
/// as its first branch reads it, which tree-sitter then parses cleanly.
struct Compacted<'t> {
    text: Cow<'t, str>,
    /// `(compact offset just after a replacement, bytes removed up to there)`, sorted.
    cuts: Vec<(u32, u32)>,
}

impl<'t> Compacted<'t> {
    fn whole(text: &'t str) -> Compacted<'t> {
        Compacted {
            text: Cow::Borrowed(text),
            cuts: Vec::new(),
        }
    }

    fn outline(text: &'t str, tokens: &[Token], scan: &heuristic::Scan) -> Compacted<'t> {
        let bytes = text.as_bytes();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for h in &scan.units {
            if h.kind.category() != Category::Callable || h.token_end <= h.body_start + 1 {
                continue;
            }
            let open = &tokens[h.body_start as usize];
            let close = &tokens[h.token_end as usize - 1];
            if bytes[open.start as usize] == b'{' && bytes[close.start as usize] == b'}' {
                ranges.push((open.end as usize, close.start as usize));
            }
        }
        for &(first, last) in &scan.statements {
            ranges.push((
                tokens[first as usize].start as usize,
                tokens[last as usize].end as usize,
            ));
        }
        // Comments: the gaps around tokens that start with `/` (`/*`, `//`). A gap with a
        // backslash may continue a directive line and stays.
        let starts = std::iter::once(0).chain(tokens.iter().map(|t| t.end as usize));
        let ends = tokens
            .iter()
            .map(|t| t.start as usize)
            .chain(std::iter::once(bytes.len()));
        for (start, end) in starts.zip(ends) {
            let gap = &bytes[start..end];
            if let Some(k) = gap.iter().position(|b| !b.is_ascii_whitespace())
                && gap[k] == b'/'
                && !gap.contains(&b'\\')
            {
                ranges.push((start, end));
            }
        }
        Compacted::without(text, ranges)
    }

    /// `text` with `ranges` replaced by a space, or by a line break when they held one (a
    /// directive may start on the next line).
    fn without(text: &'t str, mut ranges: Vec<(usize, usize)>) -> Compacted<'t> {
        ranges.sort_unstable();
        let mut out = String::with_capacity(text.len() / 3);
        let mut cuts = Vec::with_capacity(ranges.len());
        let mut removed = 0u32;
        let mut pos = 0usize;
        for (start, end) in ranges {
            // Ranges inside an earlier one (a comment in a removed body) are gone already.
            let start = start.max(pos);
            if end <= start + 1 {
                continue;
            }
            out.push_str(&text[pos..start]);
            let newline = text.as_bytes()[start..end].contains(&b'\n');
            out.push(if newline { '\n' } else { ' ' });
            removed += (end - start - 1) as u32;
            cuts.push((out.len() as u32, removed));
            pos = end;
        }
        out.push_str(&text[pos..]);
        Compacted {
            text: Cow::Owned(out),
            cuts,
        }
    }

    /// Bytes removed before compact offset `c` (a replacement character stands for the
    /// start of what it replaced).
    fn shift(&self, c: u32) -> u32 {
        let k = self.cuts.partition_point(|&(p, _)| p <= c);
        if k == 0 { 0 } else { self.cuts[k - 1].1 }
    }

    /// The compact offset of file offset `o` (a token start: never inside a removed range
    /// except at its first byte).
    fn to_compact(&self, o: u32) -> u32 {
        // Cut k ends at file offset p + removed.
        let k = self.cuts.partition_point(|&(p, r)| p + r <= o);
        o - if k == 0 { 0 } else { self.cuts[k - 1].1 }
    }

    fn span_to_file(&self, (s, e): (u32, u32)) -> (u32, u32) {
        (s + self.shift(s), e + self.shift(e))
    }
}

/// Units and error spans of one chunk.
type ChunkUnits = (Vec<RawUnit>, Vec<(u32, u32)>);

/// Parse the (compacted) text in chunks cut at `cuts` (file offsets), in parallel, and read
/// the units and error spans of every chunk, in file offsets.
fn parse_units(grammar: &Grammar, text: &Compacted<'_>, cuts: &[u32]) -> ChunkUnits {
    let compact_cuts: Vec<usize> = cuts.iter().map(|&c| text.to_compact(c) as usize).collect();
    let ranges: Vec<(usize, usize)> = compact_cuts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = compact_cuts.get(k + 1).map_or(text.text.len(), |&e| e);
            (start, end)
        })
        .filter(|(s, e)| s < e)
        .collect();
    let per_chunk: Vec<ChunkUnits> = ranges
        .par_iter()
        .map(|&(start, end)| parse_chunk(grammar, &text.text[start..end], start as u32))
        .collect();
    let mut units = Vec::new();
    let mut errors = Vec::new();
    for (chunk_units, chunk_errors) in per_chunk {
        units.extend(chunk_units.into_iter().map(|mut u| {
            (u.start, u.end) = text.span_to_file((u.start, u.end));
            u
        }));
        errors.extend(chunk_errors.into_iter().map(|e| text.span_to_file(e)));
    }
    (units, merge_spans(errors))
}

fn parse_chunk(grammar: &Grammar, text: &str, base: u32) -> ChunkUnits {
    if text.len() > MAX_PARSE_BYTES {
        return (Vec::new(), vec![(base, base + text.len() as u32)]);
    }
    let mut parser = Parser::new();
    if parser.set_language(&grammar.language()).is_err() {
        // Every grammar is checked to load (a test); should one not, the chunk is reported as
        // unparsed rather than silently empty.
        return (Vec::new(), vec![(base, base + text.len() as u32)]);
    }
    // A time budget, far above what a parse needs (about 1 ms per 14 KB), against inputs
    // that send the parser's error recovery into a spin: past it the chunk counts as unparsed
    // and the heuristic finds its units, as difftastic falls back past its limits.
    let budget = PARSE_BUDGET + Duration::from_micros(text.len() as u64);
    let started = Instant::now();
    let mut progress = |_: &tree_sitter::ParseState| {
        if started.elapsed() > budget {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let bytes = text.as_bytes();
    let mut input = |offset: usize, _: tree_sitter::Point| &bytes[offset.min(bytes.len())..];
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let Some(tree) = parser.parse_with_options(&mut input, None, Some(options)) else {
        return (Vec::new(), vec![(base, base + text.len() as u32)]);
    };
    let mut walk = Walk {
        grammar,
        src: text.as_bytes(),
        base,
        units: Vec::new(),
        errors: Vec::new(),
        prefixes: vec![String::new()],
    };
    walk.run(tree.root_node());
    (walk.units, walk.errors)
}

struct Walk<'g, 's> {
    grammar: &'g Grammar,
    src: &'s [u8],
    base: u32,
    units: Vec<RawUnit>,
    errors: Vec<(u32, u32)>,
    /// Qualified-name prefixes (`geo::Shape`), indexed from the stack.
    prefixes: Vec<String>,
}

/// A node still to visit: its enclosing unit and qualified-name prefix.
struct Pending<'t> {
    node: Node<'t>,
    parent: Option<u32>,
    prefix: u32,
    /// Inside a function body of a language without nested functions: units found here were
    /// swallowed by a broken parse and are reported as top-level units.
    in_body: bool,
    /// Units and namespaces around it; none are listed past [`MAX_UNIT_DEPTH`].
    depth: u32,
}

impl Walk<'_, '_> {
    fn run(&mut self, root: Node<'_>) {
        let mut stack = vec![Pending {
            node: root,
            parent: None,
            prefix: 0,
            in_body: false,
            depth: 0,
        }];
        let mut children = Vec::new();
        while let Some(p) = stack.pop() {
            let node = p.node;
            if node.is_error() && node.parent().is_none() {
                // The whole chunk under one ERROR root (tree-sitter's last resort): the lines
                // it could not place are its direct children that are not whole top-level
                // constructs, not the whole chunk.
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    if !is_top_level_construct(child) {
                        let start = self.base + child.start_byte() as u32;
                        let end = (self.base + child.end_byte() as u32).max(start + 1);
                        self.errors.push((start, end));
                    }
                }
            } else if node.is_error() || node.is_missing() {
                let start = self.base + node.start_byte() as u32;
                let end = (self.base + node.end_byte() as u32).max(start + 1);
                self.errors.push((start, end));
            }
            let mut next = Pending {
                node,
                parent: p.parent,
                prefix: p.prefix,
                in_body: p.in_body,
                depth: p.depth,
            };
            let mut descend_from = node;
            let listed = (p.depth as usize) < MAX_UNIT_DEPTH;
            if let Some(found) =
                languages::unit_at(self.grammar.flavor, node, self.src).filter(|_| listed)
            {
                let (parent, prefix) = if p.in_body {
                    (None, 0)
                } else {
                    (p.parent, p.prefix)
                };
                let parent_kind = parent.map(|u| self.units[u as usize].kind);
                let kind = match (found.kind, parent_kind) {
                    (UnitKind::Function, Some(k)) if k.is_container() => UnitKind::Method,
                    (k, _) => k,
                };
                let mut qualified = self.prefixes[prefix as usize].clone();
                for part in found.qualifier.iter().chain(std::iter::once(&found.name)) {
                    if !qualified.is_empty() {
                        qualified.push_str(self.grammar.separator());
                    }
                    qualified.push_str(part);
                }
                self.units.push(RawUnit {
                    name: found.name,
                    qualified_name: qualified.clone(),
                    kind,
                    start: self.base + node.start_byte() as u32,
                    end: self.base + node.end_byte() as u32,
                    has_error: node.has_error(),
                });
                let id = self.units.len() as u32 - 1;
                self.prefixes.push(qualified);
                next.parent = Some(id);
                next.prefix = self.prefixes.len() as u32 - 1;
                next.depth += 1;
                descend_from = found.inner;
                if !kind.is_container() && !self.grammar.nested_in_bodies() {
                    // C, C++, Go: nothing nests in a function body, so skip it (most of the
                    // tree) unless it holds a syntax error, which may have swallowed the
                    // definitions after it.
                    if !node.has_error() {
                        continue;
                    }
                    next.in_body = true;
                }
            } else if let Some(ns) =
                languages::namespace_name(self.grammar.flavor, node, self.src).filter(|_| listed)
            {
                let mut qualified = self.prefixes[p.prefix as usize].clone();
                if !qualified.is_empty() {
                    qualified.push_str(self.grammar.separator());
                }
                qualified.push_str(&ns);
                self.prefixes.push(qualified);
                next.prefix = self.prefixes.len() as u32 - 1;
                next.depth += 1;
            } else if languages::is_leafy(node.kind()) && !node.has_error() {
                continue;
            }
            let mut cursor = descend_from.walk();
            children.clear();
            children.extend(descend_from.children(&mut cursor));
            for &child in children.iter().rev() {
                stack.push(Pending {
                    node: child,
                    parent: next.parent,
                    prefix: next.prefix,
                    in_body: next.in_body,
                    depth: next.depth,
                });
            }
        }
    }
}

/// Longest parse error that can be a macro in front of a definition.
const MAX_LEADING_ERROR: u32 = 160;

/// A short parse error right before a unit, on its first line or the line above, is a macro
/// the grammar does not know in front of the definition (`SQLITE_PRIVATE void f(...)`,
/// `ZSTDLIB_API size_t ZSTD_compress(...)`, `_NOTE(ARGSUSED)`): it belongs to the unit, which
/// now starts there, and is not reported as an unparsed place (the unit was found).
fn attach_leading_errors(units: &mut [RawUnit], errors: &mut Vec<(u32, u32)>, file: &SourceFile) {
    if errors.is_empty() {
        return;
    }
    let bytes = file.text.as_bytes();
    let mut attached = vec![false; errors.len()];
    for u in units.iter_mut() {
        let k = errors.partition_point(|e| e.1 <= u.start);
        if k == 0 || attached[k - 1] {
            continue;
        }
        let (s, e) = errors[k - 1];
        let gap_is_blank = bytes[e as usize..u.start as usize]
            .iter()
            .all(u8::is_ascii_whitespace);
        let near = file.lines.line_of(s) + 1 >= file.lines.line_of(u.start);
        if gap_is_blank && near && e - s <= MAX_LEADING_ERROR {
            u.start = s;
            attached[k - 1] = true;
        }
    }
    let mut k = 0;
    errors.retain(|_| {
        k += 1;
        !attached[k - 1]
    });
}

/// Whether a node is a complete piece of a file's top level (a definition, a declaration, a
/// directive, a comment), as opposed to debris of a failed parse (a lone `{`, a body without
/// its head, a declarator).
fn is_top_level_construct(node: Node<'_>) -> bool {
    if !node.is_named() || node.is_error() {
        return false;
    }
    let kind = node.kind();
    kind != "compound_statement"
        && (kind.ends_with("_definition")
            || kind.ends_with("_declaration")
            || kind.ends_with("_specifier")
            || kind.ends_with("_statement")
            || kind.ends_with("_item")
            || kind.starts_with("preproc_")
            || kind.contains("comment")
            || matches!(kind, "linkage_specification" | "type_definition"))
}

fn merge_spans(mut spans: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    spans.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Heuristic units in unparsed lines that no parsed unit accounts for.
///
/// A heuristic unit counts when it overlaps an error span, and no parsed unit of its category
/// overlaps it, except a parsed unit with the same name (the same definition, found both
/// ways), or a parsed function with a syntax error that contains it in a language without
/// nested functions (the broken parse swallowed it).
fn unaccounted<'h>(
    found: &'h [HeuristicUnit],
    parsed: &[RawUnit],
    errors: &[(u32, u32)],
    tokens: &[Token],
    grammar: &Grammar,
) -> Vec<&'h HeuristicUnit> {
    let bytes = |h: &HeuristicUnit| {
        (
            tokens[h.token_start as usize].start,
            tokens[h.token_end as usize - 1].end,
        )
    };
    found
        .iter()
        .filter(|h| {
            let range = bytes(h);
            let in_error = {
                let k = errors.partition_point(|e| e.1 <= range.0);
                errors.get(k).is_some_and(|&e| overlaps(e, range))
            };
            if !in_error {
                return false;
            }
            let category = h.kind.category();
            !parsed.iter().any(|p| {
                if p.kind.category() != category || !overlaps((p.start, p.end), range) {
                    return false;
                }
                if p.name == h.name {
                    return true;
                }
                let swallowed = p.has_error
                    && category == Category::Callable
                    && !grammar.nested_in_bodies()
                    && p.start < range.0
                    && range.1 <= p.end;
                !swallowed
            })
        })
        .collect()
}

/// A parsed function with a syntax error whose closing brace ends a heuristic function found
/// inside it is debris of a failed parse (a macro invocation without a semicolon read as a
/// K&R definition swallowing the real one, as zstd's `HUF_DGEN(name)` lines): the heuristic
/// units replace it.
fn mark_replaced(parsed: &[RawUnit], extra: &[Unit], replaced: &mut [bool]) {
    for (k, p) in parsed.iter().enumerate() {
        if !p.has_error || p.kind.category() != Category::Callable {
            continue;
        }
        replaced[k] = extra.iter().any(|h| {
            h.kind.category() == Category::Callable && h.end == p.end && h.start > p.start
        });
    }
}

/// Heuristic units as [`Unit`]s, parents as the heuristic found them (indices into `found`
/// when `found` is the heuristic's whole output; callers mixing units call [`reparent`]).
fn from_heuristic(found: Vec<&HeuristicUnit>, tokens: &[Token], separator: &str) -> Vec<Unit> {
    found
        .iter()
        .map(|h| {
            let mut parts = h.qualifier.clone();
            parts.push(h.name.clone());
            Unit {
                name: h.name.clone(),
                qualified_name: parts.join(separator),
                kind: h.kind,
                start: tokens[h.token_start as usize].start,
                end: tokens[h.token_end as usize - 1].end,
                token_start: h.token_start,
                token_end: h.token_end,
                parent: h.parent.map(|p| p as u32),
                origin: UnitOrigin::Heuristic,
            }
        })
        .collect()
}

/// Sort units by start (longest first at equal starts) and set each parent to the innermost
/// enclosing unit that can hold it: a container, or any unit when `nested_callables`.
fn reparent(mut units: Vec<Unit>, nested_callables: bool) -> Vec<Unit> {
    units.sort_by_key(|u| (u.start, std::cmp::Reverse(u.end)));
    let mut open: Vec<usize> = Vec::new();
    for k in 0..units.len() {
        while let Some(&top) = open.last() {
            if units[top].end <= units[k].start {
                open.pop();
            } else {
                break;
            }
        }
        let enclosing = open.iter().rev().copied().find(|&p| {
            units[k].end <= units[p].end && (nested_callables || units[p].kind.is_container())
        });
        units[k].parent = enclosing.map(|p| p as u32);
        open.push(k);
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;

    const C: &str = r#"/* header comment */
#include <stdio.h>
SQLITE_API int sqlite3_open(const char *zFilename, sqlite3 **ppDb); /* macro prototype */
static int counter = 0;
typedef struct Node { struct Node *next; } Node;

// a line comment
static int
helper(int a, /* inline */ int b)
{
    /* a comment { with a brace */
    const char *s = "}";
    return a + b + s[0];
}

#ifdef A
int pick(int a) {
#else
int pick(int a, int b) {
#endif
    return a;
}

int main(void) { return helper(1, 2); }
"#;

    fn raw(text: &Compacted<'_>) -> Vec<(String, UnitKind, u32, u32)> {
        let (units, _) = parse_units(
            &languages::grammar_for(crate::source::Language::C, "a.c".as_ref()).unwrap(),
            text,
            &[0],
        );
        units
            .into_iter()
            .map(|u| (u.name, u.kind, u.start, u.end))
            .collect()
    }

    #[test]
    fn the_outline_parses_to_the_same_units_at_the_same_offsets() {
        let f = SourceFile::from_text("a.c", C, None);
        let tokens = tokenize(&f).tokens;
        let scan = heuristic::scan(&tokens, &f.text, heuristic::Style::Braces);
        let outline = Compacted::outline(&f.text, &tokens, &scan);
        assert!(outline.text.len() < f.text.len() / 2, "{}", outline.text);
        assert!(!outline.text.contains("comment"));
        assert!(!outline.text.contains("sqlite3_open"));
        let whole = raw(&Compacted::whole(&f.text));
        let compact = raw(&outline);
        let names: Vec<&str> = compact.iter().map(|u| u.0.as_str()).collect();
        assert_eq!(names, ["Node", "helper", "pick", "main"]);
        // Same units, same offsets; `pick` even starts at its first-branch head in the
        // outline, where the whole file's parse only finds the `#else` one.
        for (w, c) in whole.iter().zip(&compact) {
            if w.0 != "pick" {
                assert_eq!(w, c);
            }
        }
        let pick = compact.iter().find(|u| u.0 == "pick").unwrap();
        assert_eq!(&C[pick.2 as usize..pick.2 as usize + 15], "int pick(int a)");
        assert!(C[..pick.3 as usize].ends_with("return a;\n}"));
    }

    #[test]
    fn deep_nesting_lists_units_to_a_bounded_depth() {
        // 20,000 nested classes: parsed languages, one read by the heuristic only, and Python
        // (2,000 levels of indentation). Units stop at MAX_UNIT_DEPTH, so qualified names
        // stay short.
        let n = 20_000;
        let python: String = (0..2_000)
            .map(|i| format!("{}class A:\n", "\t".repeat(i)))
            .collect();
        for (name, text) in [
            ("deep.java", "class A { ".repeat(n) + &"}".repeat(n)),
            ("deep.cs", "class A { ".repeat(n) + &"}".repeat(n)),
            (
                "deep.cpp",
                "namespace a { class A { ".repeat(n) + &"}}".repeat(n),
            ),
            ("deep.py", python + &"\t".repeat(2_000) + "pass\n"),
        ] {
            let f = SourceFile::from_text(name, &text, None);
            let units = extract_units(&f, &tokenize(&f).tokens).units;
            assert!(!units.is_empty(), "{name}");
            assert!(
                units.len() <= MAX_UNIT_DEPTH,
                "{name}: {} units",
                units.len()
            );
            let longest = units.iter().map(|u| u.qualified_name.len()).max().unwrap();
            assert!(
                longest <= MAX_UNIT_DEPTH * 3,
                "{name}: a name of {longest} bytes"
            );
        }
    }

    #[test]
    fn offsets_map_both_ways() {
        let text = "aaaa/*xx*/bbbb/*yyyy*/cccc";
        let c = Compacted::without(text, vec![(4, 10), (14, 22)]);
        assert_eq!(c.text, "aaaa bbbb cccc");
        for (file, compact) in [(0, 0), (4, 4), (10, 5), (14, 9), (22, 10), (25, 13)] {
            assert_eq!(c.to_compact(file), compact, "file {file}");
            assert_eq!(compact + c.shift(compact), file, "compact {compact}");
        }
    }
}
