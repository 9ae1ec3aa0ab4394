//! The token heuristic: units from a scan of braces, keywords and `name(...) {` heads, for
//! where the parser failed and for languages without a grammar.
//!
//! Brace languages: at top level, in namespaces and in class bodies (never inside function
//! bodies), the tokens since the last `;`, `{` or `}` form a *head*; the `{` that ends it opens
//! a function when the head holds a `name(...)` group (`static int\nlx_kill(pid, sig) int sig;
//! {` in K&R C, `DEFINE_HOOK(int, foo, (int a)) {`, `fn`, `func`, `def`, `function` heads), a
//! type when it holds `struct`, `class`, `enum`, ... and its name, and a plain block otherwise.
//! Preprocessor conditionals are read in their first branch only ([`super::preproc`]), so a
//! signature split across `#if`/`#else` still opens one function.
//!
//! Python: `def` and `class` lines open a unit that runs until the indentation falls back.
//!
//! The heuristic never sees inside strings or comments (it reads tokens), but it takes macros
//! at face value: a function defined by a macro is named after the macro.

use super::preproc::{self, Event};
use super::{MAX_UNIT_DEPTH, UnitKind};
use crate::lex::{Token, TokenKind};
use crate::source::Language;

/// A unit found by the heuristic, in token coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeuristicUnit {
    /// Its name.
    pub name: String,
    /// A qualifier written in the head (`Widget` in `Widget::draw`) or the enclosing
    /// namespaces and units, joined by `sep`.
    pub qualifier: Vec<String>,
    /// What kind.
    pub kind: UnitKind,
    /// First token.
    pub token_start: u32,
    /// One past the last token.
    pub token_end: u32,
    /// The token opening its body (its `{`; for Python, its first token).
    pub body_start: u32,
    /// Index of the enclosing unit in the output.
    pub parent: Option<usize>,
}

/// How a language marks its units, for the heuristic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Braces delimit bodies.
    Braces,
    /// Indentation delimits bodies (Python).
    Indentation,
    /// Nothing the heuristic can read (plain text, Ruby's `end`).
    Unsupported,
}

/// The heuristic's style for a language.
pub fn style_for(language: Language) -> Style {
    match language {
        Language::Python => Style::Indentation,
        Language::Ruby | Language::Text => Style::Unsupported,
        _ => Style::Braces,
    }
}

/// Units of a token stream, sorted by start token (parents first).
pub fn units(tokens: &[Token], text: &str, style: Style) -> Vec<HeuristicUnit> {
    scan(tokens, text, style).units
}

/// What a scan finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Units, sorted by start token (parents first).
    pub units: Vec<HeuristicUnit>,
    /// Top-level (or namespace-level) statements without braces that end with `;`
    /// (prototypes, variable declarations, `typedef int t;`), as inclusive token ranges with
    /// no directive inside: never units, nor holding one.
    pub statements: Vec<(u32, u32)>,
}

/// Units and plain top-level statements of a token stream.
pub fn scan(tokens: &[Token], text: &str, style: Style) -> Scan {
    match style {
        Style::Braces => BraceScan::new(tokens, text).run(),
        Style::Indentation => Scan {
            units: indentation_units(tokens, text),
            statements: Vec::new(),
        },
        Style::Unsupported => Scan::default(),
    }
}

// ----- braces ---------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Frame {
    /// Top level.
    Top,
    /// A namespace, module or `extern "C"` block: heads are read, names qualified.
    Namespace(Option<String>),
    /// A type's body: heads are read; functions here are methods.
    Container(usize),
    /// A function body: no heads.
    Function(usize),
    /// Any other block.
    Block,
}

impl Frame {
    fn reads_heads(&self) -> bool {
        matches!(self, Frame::Top | Frame::Namespace(_) | Frame::Container(_))
    }
}

enum Head {
    Function {
        name: String,
        qualifier: Vec<String>,
        start: usize,
    },
    Type {
        kind: UnitKind,
        name: Option<String>,
        start: usize,
    },
    Namespace(Option<String>),
    Block,
}

/// Identifiers that look like `name(` but are annotations, not the function's name.
const NOT_NAMES: &[&str] = &[
    "__attribute__",
    "__attribute",
    "__declspec",
    "alignas",
    "_Alignas",
    "__asm__",
    "__asm",
    "asm",
    "decltype",
    "sizeof",
    "typeof",
    "__typeof__",
    "_Pragma",
    "__pragma",
    "noexcept",
    "throw",
    "static_assert",
    "_Static_assert",
    "__THROW",
];

/// Keywords that introduce a function and are followed by its name.
const FUNCTION_KEYWORDS: &[&str] = &["fn", "func", "fun", "def", "function", "sub"];

/// Keywords that introduce a type; the strong ones win over a `name(` in the same head (a
/// Kotlin primary constructor `class Point(val x: Int) {`), the weak ones do not (`struct
/// stat *lookup(const char *path) {` is a function in C).
const STRONG_TYPE_KEYWORDS: &[&str] = &[
    "class",
    "interface",
    "trait",
    "impl",
    "record",
    "object",
    "protocol",
    "extension",
];
const WEAK_TYPE_KEYWORDS: &[&str] = &["struct", "union", "enum"];
const NAMESPACE_KEYWORDS: &[&str] = &["namespace", "module", "mod", "package"];

struct BraceScan<'a> {
    tokens: &'a [Token],
    text: &'a str,
    out: Vec<HeuristicUnit>,
    frames: Vec<Frame>,
    /// Code tokens of the current head.
    head: Vec<usize>,
    /// Parenthesis depth inside the current head.
    parens: i32,
    /// Units whose name is read after their closing brace (`typedef struct { } name;`).
    pending_name: Option<usize>,
    /// Units to drop (anonymous types that got no name).
    dropped: Vec<bool>,
    /// Plain statements at top level (see [`Scan::statements`]).
    statements: Vec<(u32, u32)>,
    /// The current head holds a brace group (an initializer, a type body): not plain.
    head_has_braces: bool,
}

impl<'a> BraceScan<'a> {
    fn new(tokens: &'a [Token], text: &'a str) -> Self {
        BraceScan {
            tokens,
            text,
            out: Vec::new(),
            frames: vec![Frame::Top],
            head: Vec::new(),
            parens: 0,
            pending_name: None,
            dropped: Vec::new(),
            statements: Vec::new(),
            head_has_braces: false,
        }
    }

    fn text_of(&self, i: usize) -> &'a str {
        self.tokens[i].text(self.text)
    }

    fn run(mut self) -> Scan {
        let tokens = self.tokens;
        let text = self.text;
        let mut code = Vec::with_capacity(tokens.len());
        preproc::walk(tokens, text, |e| {
            if let Event::Code(i) = e {
                code.push(i);
            }
        });
        for &i in &code {
            self.token(i);
        }
        // Close what is still open at the end of the file.
        let end = tokens.len() as u32;
        while let Some(frame) = self.frames.pop() {
            if let Frame::Function(u) | Frame::Container(u) = frame {
                self.out[u].token_end = end;
            }
        }
        self.finish()
    }

    fn finish(self) -> Scan {
        // Drop anonymous types, re-pointing parents past them.
        let mut new_index = vec![None; self.out.len()];
        let mut out = Vec::with_capacity(self.out.len());
        for (k, unit) in self.out.into_iter().enumerate() {
            if self.dropped[k] {
                continue;
            }
            new_index[k] = Some(out.len());
            out.push(unit);
        }
        for unit in &mut out {
            unit.parent = unit.parent.and_then(|p| new_index[p]);
        }
        Scan {
            units: out,
            statements: self.statements,
        }
    }

    fn token(&mut self, i: usize) {
        let t = self.tokens[i];
        let punct = t.kind == TokenKind::Punctuation;
        let s = self.text_of(i);
        if let Some(u) = self.pending_name {
            // After `typedef struct { ... }`: the next identifier names it.
            if t.kind == TokenKind::Identifier {
                self.out[u].name = s.to_owned();
                self.dropped[u] = false;
                self.pending_name = None;
            } else if s == ";" || s == "{" {
                self.pending_name = None;
            }
        }
        if punct && s == "(" {
            self.parens += 1;
        } else if punct && s == ")" {
            self.parens = (self.parens - 1).max(0);
        }
        if punct && s == "{" && self.parens == 0 {
            self.open(i);
            return;
        }
        if punct && s == "}" && self.parens == 0 {
            self.close(i);
            return;
        }
        if punct && s == ";" && self.parens == 0 {
            if self.in_old_style_parameters() {
                // `lx_kill(lxpid, sig) pid_t lxpid; int sig; {`: K&R parameter declarations
                // belong to the head.
                self.head.push(i);
            } else {
                self.note_statement(i);
                self.head.clear();
            }
            self.head_has_braces = false;
            return;
        }
        if self.frames.last().is_some_and(Frame::reads_heads) {
            self.head.push(i);
        }
    }

    fn open(&mut self, i: usize) {
        if self.frames.len() > MAX_UNIT_DEPTH {
            // Past the depth where units are listed, every brace is a plain block. This also
            // keeps `enclosing_unit` and `scope_names`, which walk the frames, from making
            // deep nesting quadratic (100,000 nested `{` took 7 s).
            self.head.clear();
            self.frames.push(Frame::Block);
            return;
        }
        let reads = self.frames.last().is_some_and(Frame::reads_heads);
        let head = if reads { self.classify() } else { Head::Block };
        self.head.clear();
        let parent = self.enclosing_unit();
        let frame = match head {
            Head::Function {
                name,
                mut qualifier,
                start,
            } => {
                let in_type = matches!(self.frames.last(), Some(Frame::Container(_)));
                let kind = if in_type || !qualifier.is_empty() {
                    UnitKind::Method
                } else {
                    UnitKind::Function
                };
                let mut full = self.scope_names();
                full.append(&mut qualifier);
                let u = self.push(name, full, kind, start, parent);
                self.out[u].body_start = i as u32;
                Frame::Function(u)
            }
            Head::Type { kind, name, start } => {
                let scope = self.scope_names();
                let anonymous = name.is_none();
                let u = self.push(name.unwrap_or_default(), scope, kind, start, parent);
                self.out[u].body_start = i as u32;
                if anonymous {
                    self.dropped[u] = true;
                }
                Frame::Container(u)
            }
            Head::Namespace(name) => Frame::Namespace(name),
            Head::Block => Frame::Block,
        };
        self.frames.push(frame);
    }

    fn close(&mut self, i: usize) {
        self.head.clear();
        if self.frames.len() == 1 {
            // A stray `}` at top level (unbalanced code): ignore it.
            return;
        }
        let frame = self.frames.pop();
        // What follows a type body or an initializer up to its `;` (`} name_t;`, `} table[]
        // = ...;`) is not a plain statement; what follows a function body starts afresh.
        self.head_has_braces = !matches!(frame, Some(Frame::Function(_)));
        match frame {
            Some(Frame::Function(u)) => self.out[u].token_end = i as u32 + 1,
            Some(Frame::Container(u)) => {
                self.out[u].token_end = i as u32 + 1;
                if self.dropped[u] {
                    self.pending_name = Some(u);
                }
            }
            _ => {}
        }
    }

    fn push(
        &mut self,
        name: String,
        qualifier: Vec<String>,
        kind: UnitKind,
        start: usize,
        parent: Option<usize>,
    ) -> usize {
        self.out.push(HeuristicUnit {
            name,
            qualifier,
            kind,
            token_start: start as u32,
            token_end: start as u32 + 1,
            body_start: start as u32,
            parent,
        });
        self.dropped.push(false);
        self.out.len() - 1
    }

    fn enclosing_unit(&self) -> Option<usize> {
        self.frames.iter().rev().find_map(|f| match f {
            Frame::Container(u) | Frame::Function(u) => Some(*u),
            _ => None,
        })
    }

    /// Names of the enclosing namespaces and types, outermost first.
    fn scope_names(&self) -> Vec<String> {
        self.frames
            .iter()
            .filter_map(|f| match f {
                Frame::Namespace(Some(n)) => Some(n.clone()),
                Frame::Container(u) if !self.dropped[*u] => Some(self.out[*u].name.clone()),
                _ => None,
            })
            .collect()
    }

    /// Record the head ended by the `;` at token `end` if it is a plain top-level statement
    /// whose tokens are contiguous (no directive or dead branch inside).
    fn note_statement(&mut self, end: usize) {
        if self.head_has_braces
            || !matches!(self.frames.last(), Some(Frame::Top | Frame::Namespace(_)))
        {
            return;
        }
        let Some(&first) = self.head.first() else {
            return;
        };
        if end - first == self.head.len() {
            self.statements.push((first as u32, end as u32));
        }
    }

    /// Whether the head so far is a K&R definition's start: `name(a, b)` (identifiers and
    /// commas only) followed by parameter declarations, and no `=`.
    fn in_old_style_parameters(&self) -> bool {
        if !matches!(self.frames.last(), Some(Frame::Top)) {
            return false;
        }
        let h = &self.head;
        let Some(open) = (1..h.len()).find(|&k| {
            self.text_of(h[k]) == "(" && self.tokens[h[k - 1]].kind == TokenKind::Identifier
        }) else {
            return false;
        };
        let Some(close) = (open..h.len()).find(|&k| self.text_of(h[k]) == ")") else {
            return false;
        };
        let names_only = h[open + 1..close]
            .iter()
            .all(|&i| self.tokens[i].kind == TokenKind::Identifier || self.text_of(i) == ",");
        names_only && close + 1 < h.len() && !h.iter().any(|&i| self.text_of(i) == "=")
    }

    /// A keyword of the language among `words` (an identifier spelled `module` in C is not).
    fn is_keyword(&self, i: usize, words: &[&str]) -> bool {
        let t = self.tokens[i];
        t.kind == TokenKind::Keyword && words.contains(&t.text(self.text))
    }

    fn is_name(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Identifier && !NOT_NAMES.contains(&self.text_of(i))
    }

    /// What the current head, ended by a `{`, opens.
    fn classify(&self) -> Head {
        let h = &self.head;
        if h.is_empty() {
            return Head::Block;
        }
        // `fn name`, `func (r *T) name`, `def name`, `function name`, `sub name`.
        if let Some(k) = (0..h.len()).find(|&k| self.is_keyword(h[k], FUNCTION_KEYWORDS)) {
            let mut j = k + 1;
            let mut qualifier = Vec::new();
            if j < h.len() && self.text_of(h[j]) == "(" {
                // A Go receiver: its type qualifies the name.
                let close = self.matching_paren(j);
                if let Some(ty) = (j + 1..close).rev().find(|&m| self.is_name(h[m])) {
                    qualifier.push(self.text_of(h[ty]).to_owned());
                }
                j = close + 1;
            }
            if j < h.len() && self.is_name(h[j]) {
                return Head::Function {
                    name: self.text_of(h[j]).to_owned(),
                    qualifier,
                    start: self.line_start_of(k),
                };
            }
        }
        let depth0 = self.depth_zero_positions();
        // Namespaces: `namespace x {`, `pub mod x {`, `extern "C" {`: only keywords before.
        let leading_keywords = h
            .iter()
            .take_while(|&&i| self.tokens[i].kind == TokenKind::Keyword)
            .count();
        if let Some(k) = (0..leading_keywords).find(|&k| self.is_keyword(h[k], NAMESPACE_KEYWORDS))
        {
            let name = h
                .get(k + 1)
                .filter(|&&n| self.tokens[n].kind == TokenKind::Identifier)
                .map(|&n| self.text_of(n).to_owned());
            return Head::Namespace(name);
        }
        if h.len() == 2
            && self.text_of(h[0]) == "extern"
            && self.tokens[h[1]].kind == TokenKind::String
        {
            return Head::Namespace(None);
        }
        let strong = depth0
            .iter()
            .copied()
            .find(|&k| self.is_keyword(h[k], STRONG_TYPE_KEYWORDS));
        if let Some(k) = strong {
            let mut head = self.type_head(k);
            if let Head::Type { start, .. } = &mut head {
                *start = self.line_start_of(k);
            }
            return head;
        }
        if self.has_assignment(&depth0) {
            return Head::Block;
        }
        if let Some(f) = self.function_head(&depth0) {
            return f;
        }
        if let Some(&k) = depth0
            .iter()
            .find(|&&k| self.is_keyword(h[k], WEAK_TYPE_KEYWORDS))
        {
            let mut head = self.type_head(k);
            if let Head::Type { start, .. } = &mut head {
                *start = self.line_start_of(k.saturating_sub(2));
            }
            return head;
        }
        Head::Block
    }

    /// The first head token on the line of head position `k`: where a definition introduced
    /// by a keyword starts (`pub async fn`, `private fun`, Go's `func` after a `var` line
    /// without semicolons), its modifiers included.
    fn line_start_of(&self, k: usize) -> usize {
        let line = self.tokens[self.head[k]].line;
        let first = (0..=k)
            .rev()
            .take_while(|&m| self.tokens[self.head[m]].line == line)
            .last()
            .unwrap_or(k);
        self.head[first]
    }

    /// Positions in the head at parenthesis depth 0.
    fn depth_zero_positions(&self) -> Vec<usize> {
        let mut depth = 0i32;
        let mut out = Vec::with_capacity(self.head.len());
        for (k, &i) in self.head.iter().enumerate() {
            match self.text_of(i) {
                "(" | "[" => depth += 1,
                ")" | "]" => depth -= 1,
                _ if depth == 0 => out.push(k),
                _ => {}
            }
        }
        out
    }

    /// `= {` opens an initializer, not a body (`operator=` excepted).
    fn has_assignment(&self, depth0: &[usize]) -> bool {
        depth0.iter().any(|&k| {
            self.text_of(self.head[k]) == "="
                && (k == 0 || self.text_of(self.head[k - 1]) != "operator")
        })
    }

    fn matching_paren(&self, open: usize) -> usize {
        let mut depth = 0;
        for k in open..self.head.len() {
            match self.text_of(self.head[k]) {
                "(" => depth += 1,
                ")" => {
                    depth -= 1;
                    if depth == 0 {
                        return k;
                    }
                }
                _ => {}
            }
        }
        self.head.len() - 1
    }

    /// `name(...)` groups at depth 0: pick the one followed by what ends a signature (`{`,
    /// `:` of a constructor's initializers, `->`, `const`, `throws` ...), else the first (K&R
    /// parameter declarations follow the first group).
    fn function_head(&self, depth0: &[usize]) -> Option<Head> {
        let h = &self.head;
        let mut groups: Vec<(usize, usize)> = Vec::new(); // (name position, close position)
        for &k in depth0 {
            if k + 1 < h.len() && self.text_of(h[k + 1]) == "(" && self.is_name(h[k]) {
                // `@Annotation(...)` is not a name.
                if k > 0 && self.text_of(h[k - 1]) == "@" {
                    continue;
                }
                groups.push((k, self.matching_paren(k + 1)));
            }
        }
        let ends_signature = |close: usize| match h.get(close + 1) {
            None => true,
            Some(&n) => matches!(
                self.text_of(n),
                ":" | "->"
                    | "const"
                    | "noexcept"
                    | "override"
                    | "final"
                    | "throws"
                    | "where"
                    | "try"
                    | "mutable"
                    | "volatile"
                    | "&"
                    | "&&"
            ),
        };
        let pick = groups
            .iter()
            .position(|&(_, close)| ends_signature(close))
            .unwrap_or(0);
        let &(k, _) = groups.get(pick)?;
        // The head starts after the groups before the chosen one (`_NOTE(CONSTCOND)` above a
        // definition is not part of it), unless that leaves nothing.
        let start = if pick > 0 { groups[pick - 1].1 + 1 } else { 0 };
        let start = if start < k { start } else { 0 };
        let mut qualifier = Vec::new();
        let mut q = k;
        while q >= 2 && self.text_of(h[q - 1]) == "::" && self.is_name(h[q - 2]) {
            qualifier.insert(0, self.text_of(h[q - 2]).to_owned());
            q -= 2;
        }
        Some(Head::Function {
            name: self.text_of(h[k]).to_owned(),
            qualifier,
            start: h[start],
        })
    }

    fn type_head(&self, k: usize) -> Head {
        let h = &self.head;
        let keyword = self.text_of(h[k]);
        let kind = match keyword {
            "struct" => UnitKind::Struct,
            "union" => UnitKind::Union,
            "enum" => UnitKind::Enum,
            "interface" | "protocol" => UnitKind::Interface,
            "trait" => UnitKind::Trait,
            "impl" | "extension" => UnitKind::Impl,
            _ => UnitKind::Class,
        };
        let name = if kind == UnitKind::Impl {
            // `impl<T> Display for Foo<T> where ...`: the rest of the head, generics of
            // `impl` itself and the where clause left out.
            let mut j = k + 1;
            if j < h.len() && self.text_of(h[j]) == "<" {
                let mut depth = 0;
                while j < h.len() {
                    match self.text_of(h[j]) {
                        "<" => depth += 1,
                        ">" => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            let words: Vec<&str> = h[j..]
                .iter()
                .map(|&i| self.text_of(i))
                .take_while(|w| *w != "where")
                .collect();
            let joined = words.join(" ");
            (!joined.is_empty()).then_some(joined)
        } else {
            h.get(k + 1)
                .filter(|&&n| self.is_name(n))
                .map(|&n| self.text_of(n).to_owned())
                // Go: `type Server struct {`.
                .or_else(|| {
                    (k >= 2 && self.text_of(h[k - 2]) == "type" && self.is_name(h[k - 1]))
                        .then(|| self.text_of(h[k - 1]).to_owned())
                })
        };
        Head::Type {
            kind,
            name,
            start: h[0],
        }
    }
}

// ----- indentation ----------------------------------------------------------------------------

fn indentation_units(tokens: &[Token], text: &str) -> Vec<HeuristicUnit> {
    let bytes = text.as_bytes();
    let indent_of = |t: &Token| {
        let mut k = t.start as usize;
        let mut n = 0;
        while k > 0 && matches!(bytes[k - 1], b' ' | b'\t') {
            k -= 1;
            n += 1;
        }
        n
    };
    let mut out: Vec<HeuristicUnit> = Vec::new();
    // Open units: (index in out, indentation of their head line).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut last_line = 0;
    let mut decorator_start: Option<(usize, usize)> = None; // (token, indent)
    for (i, t) in tokens.iter().enumerate() {
        if t.line == last_line {
            continue;
        }
        last_line = t.line;
        let indent = indent_of(t);
        // A line at this indentation ends every unit indented as much or more.
        while let Some(&(u, ind)) = open.last() {
            if indent <= ind {
                out[u].token_end = i as u32;
                open.pop();
            } else {
                break;
            }
        }
        let word = t.text(text);
        if word == "@" {
            decorator_start.get_or_insert((i, indent));
            continue;
        }
        let mut k = i;
        if word == "async" {
            k += 1;
        }
        let keyword = tokens.get(k).map(|t| t.text(text));
        let kind = match keyword {
            Some("def") => UnitKind::Function,
            Some("class") => UnitKind::Class,
            _ => {
                decorator_start = None;
                continue;
            }
        };
        let Some(name) = tokens
            .get(k + 1)
            .filter(|n| n.kind == TokenKind::Identifier && open.len() < MAX_UNIT_DEPTH)
        else {
            decorator_start = None;
            continue;
        };
        let start = match decorator_start.take() {
            Some((d, ind)) if ind == indent => d,
            _ => i,
        };
        let parent = open.last().map(|&(u, _)| u);
        let kind = match (kind, parent.map(|p| out[p].kind)) {
            (UnitKind::Function, Some(UnitKind::Class)) => UnitKind::Method,
            (k, _) => k,
        };
        let mut qualifier: Vec<String> = Vec::new();
        let mut p = parent;
        while let Some(u) = p {
            qualifier.insert(0, out[u].name.clone());
            p = out[u].parent;
        }
        out.push(HeuristicUnit {
            name: name.text(text).to_owned(),
            qualifier,
            kind,
            token_start: start as u32,
            token_end: tokens.len() as u32,
            body_start: start as u32,
            parent,
        });
        open.push((out.len() - 1, indent));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    fn names(lang_file: &str, src: &str) -> Vec<(String, UnitKind, String)> {
        let f = SourceFile::from_text(lang_file, src, None);
        let tokens = tokenize(&f).tokens;
        units(&tokens, &f.text, style_for(f.language))
            .into_iter()
            .map(|u| {
                let first = tokens[u.token_start as usize].text(&f.text).to_owned();
                let mut q = u.qualifier.clone();
                q.push(u.name);
                (q.join("."), u.kind, first)
            })
            .collect()
    }

    #[test]
    fn illumos_style_c() {
        let src = r#"
#pragma init(lx_init)
static int lx_debug;

static void
lx_init(void)
{
	lx_debug = 1;
}

int
lx_kill(lxpid, sig)
	pid_t lxpid;
	int sig;
{
	if (sig) { return (kill(lxpid, sig)); }
	return (0);
}

_NOTE(CONSTCOND)
static struct lx_data *
lx_data_get(void)
{
	return (NULL);
}

DEFINE_HOOK(int, foo_hook, (int a))
{
	return (a);
}

#if defined(__sparc)
static int
pick(int a)
{
#else
static int
pick(int a, int b)
{
#endif
	return (a);
}

typedef struct {
	int a;
} lx_thing_t;

static const int table[] = { 1, 2, 3 };

struct lx_node {
	struct lx_node *next;
};
"#;
        let got = names("a.c", src);
        let want = [
            ("lx_init", UnitKind::Function, "static"),
            ("lx_kill", UnitKind::Function, "int"),
            ("lx_data_get", UnitKind::Function, "static"),
            ("DEFINE_HOOK", UnitKind::Function, "DEFINE_HOOK"),
            ("pick", UnitKind::Function, "static"),
            ("lx_thing_t", UnitKind::Struct, "typedef"),
            ("lx_node", UnitKind::Struct, "struct"),
        ];
        let got: Vec<(&str, UnitKind, &str)> = got
            .iter()
            .map(|(n, k, f)| (n.as_str(), *k, f.as_str()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn classes_methods_and_namespaces() {
        let src = r#"
namespace geo {
class Shape : public Base {
 public:
  Shape(int n) : n_(n), m_(0) {}
  virtual double area() const { return 0; }
 private:
  int n_;
};
double Shape::perimeter() const { return 1; }
}
extern "C" { int plain(void) { return 0; } }
"#;
        let got = names("a.cpp", src);
        let got: Vec<(&str, UnitKind)> = got.iter().map(|(n, k, _)| (n.as_str(), *k)).collect();
        assert_eq!(
            got,
            [
                ("geo.Shape", UnitKind::Class),
                ("geo.Shape.Shape", UnitKind::Method),
                ("geo.Shape.area", UnitKind::Method),
                ("geo.Shape.perimeter", UnitKind::Method),
                ("plain", UnitKind::Function),
            ]
        );
    }

    #[test]
    fn keyword_languages() {
        let kt = "class Point(val x: Int) : Base() {\n  fun norm(): Int { return x }\n}\nfun main() { println(1) }\n";
        let got = names("a.kt", kt);
        let got: Vec<(&str, UnitKind)> = got.iter().map(|(n, k, _)| (n.as_str(), *k)).collect();
        assert_eq!(
            got,
            [
                ("Point", UnitKind::Class),
                ("Point.norm", UnitKind::Method),
                ("main", UnitKind::Function),
            ]
        );
        let go = "package x\nvar debug = false\nfunc (s *Server) Serve(l int) error {\n\treturn nil\n}\ntype Server struct {\n\tn int\n}\n";
        let got = names("a.go", go);
        assert_eq!(
            got[0].2, "func",
            "starts at its keyword, not at the `var` line"
        );
        let got: Vec<(&str, UnitKind)> = got.iter().map(|(n, k, _)| (n.as_str(), *k)).collect();
        assert_eq!(
            got,
            [
                ("Server.Serve", UnitKind::Method),
                ("Server", UnitKind::Struct)
            ]
        );
    }

    #[test]
    fn python_indentation() {
        let py = "import os\n\n@decorator\ndef top(a):\n    def inner():\n        return 1\n    return inner\n\nclass A:\n    x = 1\n    async def m(self):\n        pass\n\nvalue = 2\n";
        let f = SourceFile::from_text("a.py", py, None);
        let tokens = tokenize(&f).tokens;
        let got = units(&tokens, &f.text, Style::Indentation);
        let summary: Vec<(String, UnitKind, u32, u32)> = got
            .iter()
            .map(|u| {
                let end_line = tokens[u.token_end as usize - 1].line;
                (
                    u.name.clone(),
                    u.kind,
                    tokens[u.token_start as usize].line,
                    end_line,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("top".into(), UnitKind::Function, 3, 7),
                ("inner".into(), UnitKind::Function, 5, 6),
                ("A".into(), UnitKind::Class, 9, 12),
                ("m".into(), UnitKind::Method, 11, 12),
            ]
        );
    }
}
