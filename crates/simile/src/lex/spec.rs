//! Per-language lexical rules: comment syntax, string forms, keywords and import words. One
//! scanner (`scanner.rs`) reads every language through these tables.

use super::token::exact_hash;
use crate::source::Language;
use std::sync::OnceLock;

/// How a `'` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SingleQuote {
    /// A character literal: `'a'`, `'\n'` (C family, Java, Go runes).
    Char,
    /// A string like `"..."` (JavaScript, Python, PHP, Ruby, shell).
    String,
    /// Shell: a string without escapes.
    RawString,
    /// Rust: a char literal `'a'` or a lifetime `'a`.
    CharOrLifetime,
    /// Just punctuation (Lisp-like quoting in text).
    Punct,
}

/// How a backtick is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backtick {
    /// Punctuation.
    Punct,
    /// A raw string to the next backtick (Go, shell command substitution, Kotlin/Scala names).
    RawString,
    /// A template literal with `${...}` holes (JavaScript, TypeScript).
    Template,
}

/// Here-documents: `<<EOF` ... `EOF`. The body is one string token, so an apostrophe in it
/// (`Don't`) cannot open a string that swallows the code after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heredoc {
    /// No here-documents.
    None,
    /// Shell: `<<EOF`, `<< 'EOF'`, `<<-EOF` (tabs stripped), `<<\EOF`; not `<<<` (a here-string).
    Shell,
    /// Ruby and Perl: `<<EOS`, `<<"EOS"`, `<<~EOS` and Ruby's `<<-EOS` (indented terminator).
    RubyPerl,
    /// PHP: `<<<EOT`, `<<<"EOT"`, `<<<'EOT'` (nowdoc); the terminator may be indented.
    Php,
}

/// Lexical rules of one language.
#[derive(Debug)]
pub(crate) struct LexSpec {
    pub slash_comments: bool,
    pub hash_comments: bool,
    pub block_comment: Option<(&'static [u8], &'static [u8])>,
    pub nested_block_comments: bool,
    pub preprocessor: bool,
    pub single_quote: SingleQuote,
    pub backtick: Backtick,
    /// Python-style string prefixes (r, b, f, u and pairs) and `'''`/`"""` strings.
    pub python_strings: bool,
    /// `"""..."""` text blocks (Java, Kotlin, Swift, Scala, C# raw strings).
    pub triple_quote_strings: bool,
    pub rust_strings: bool,
    pub cpp_raw_strings: bool,
    pub csharp_strings: bool,
    pub regex_literals: bool,
    /// `$` may start or continue an identifier (JavaScript, PHP, shell, Perl, Java).
    pub dollar_in_identifiers: bool,
    /// Ruby `=begin`/`=end`, Perl POD: block comments that start at a line start.
    pub line_start_block_comments: Option<(&'static [u8], &'static [u8])>,
    pub heredoc: Heredoc,
    /// `import ( ... )` groups imports (Go) rather than calling `import` (JavaScript).
    pub grouped_imports: bool,
    keywords: &'static [&'static [&'static str]],
    pub import_words: &'static [&'static str],
}

/// A language's rules with its keyword lists merged once into a table keyed by each keyword's
/// exact hash (the hash every token gets anyway, [`exact_hash`]).
///
/// Why a table of our own: a binary search of the sorted list compared strings six times per
/// word (a `memcmp` call each): 8% of the time of `clones` on OpenSSL's `crypto/`, measured. A
/// `HashSet` of the words hashed each word a second time (4.5% of `index build` on
/// `/usr/include` and `/usr/lib/node_modules`, measured); looking up the hash the token needs
/// anyway costs one probe. A word longer than every keyword is not looked up at all.
#[derive(Debug)]
pub(crate) struct Rules {
    pub spec: &'static LexSpec,
    keywords: KeywordTable,
    longest_keyword: usize,
}

impl Rules {
    fn new(spec: &'static LexSpec) -> Rules {
        let mut words: Vec<&'static [u8]> = spec
            .keywords
            .iter()
            .flat_map(|list| list.iter().map(|k| k.as_bytes()))
            .collect();
        words.sort_unstable();
        words.dedup();
        let longest_keyword = words.iter().map(|k| k.len()).max().unwrap_or(0);
        Rules {
            spec,
            keywords: KeywordTable::new(&words),
            longest_keyword,
        }
    }

    /// Whether `word`, whose [`exact_hash`] is `exact`, is a keyword of the language (bytes: a
    /// word need not be decoded to be looked up).
    pub fn is_keyword(&self, word: &[u8], exact: u64) -> bool {
        word.len() <= self.longest_keyword && self.keywords.contains(word, exact)
    }
}

/// An open-addressing set of keywords keyed by their exact hash, at most a quarter full so a
/// word that is no keyword (most words) usually meets an empty slot at the first probe. A hit
/// compares the bytes too: the answer never rests on the hash alone.
#[derive(Debug)]
struct KeywordTable {
    /// (exact hash, keyword); an empty keyword marks a free slot (keywords are never empty).
    slots: Box<[(u64, &'static [u8])]>,
    mask: usize,
}

impl KeywordTable {
    fn new(words: &[&'static [u8]]) -> KeywordTable {
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut slots = vec![(0u64, &b""[..]); size].into_boxed_slice();
        let mask = size - 1;
        for &word in words {
            let hash = exact_hash(word);
            let mut i = hash as usize & mask;
            while !slots[i].1.is_empty() {
                i = (i + 1) & mask;
            }
            slots[i] = (hash, word);
        }
        KeywordTable { slots, mask }
    }

    fn contains(&self, word: &[u8], hash: u64) -> bool {
        let mut i = hash as usize & self.mask;
        loop {
            let (h, keyword) = self.slots[i];
            if keyword.is_empty() {
                return false;
            }
            if h == hash && keyword == word {
                return true;
            }
            i = (i + 1) & self.mask;
        }
    }
}

const C_FAMILY: LexSpec = LexSpec {
    slash_comments: true,
    hash_comments: false,
    block_comment: Some((b"/*", b"*/")),
    nested_block_comments: false,
    preprocessor: false,
    single_quote: SingleQuote::Char,
    backtick: Backtick::Punct,
    python_strings: false,
    triple_quote_strings: false,
    rust_strings: false,
    cpp_raw_strings: false,
    csharp_strings: false,
    regex_literals: false,
    dollar_in_identifiers: false,
    line_start_block_comments: None,
    heredoc: Heredoc::None,
    grouped_imports: false,
    keywords: &[],
    import_words: &[],
};

const C_KEYWORDS: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "_Alignas",
    "_Alignof",
    "_Atomic",
    "_Bool",
    "_Complex",
    "_Generic",
    "_Imaginary",
    "_Noreturn",
    "_Static_assert",
    "_Thread_local",
    // Not keywords, but macros every C file uses in the same role; keeping their text makes
    // `x == NULL` differ from `x == y` after normalization.
    "bool",
    "true",
    "false",
    "NULL",
];

const CPP_KEYWORDS: &[&str] = &[
    "alignas",
    "alignof",
    "and",
    "and_eq",
    "asm",
    "bitand",
    "bitor",
    "catch",
    "class",
    "co_await",
    "co_return",
    "co_yield",
    "compl",
    "concept",
    "const_cast",
    "consteval",
    "constexpr",
    "constinit",
    "decltype",
    "delete",
    "dynamic_cast",
    "explicit",
    "export",
    "friend",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "not_eq",
    "nullptr",
    "operator",
    "or",
    "or_eq",
    "private",
    "protected",
    "public",
    "reinterpret_cast",
    "requires",
    "static_assert",
    "static_cast",
    "template",
    "this",
    "thread_local",
    "throw",
    "try",
    "typeid",
    "typename",
    "using",
    "virtual",
    "wchar_t",
    "char8_t",
    "char16_t",
    "char32_t",
    "xor",
    "xor_eq",
    "override",
    "final",
];

const CSHARP_KEYWORDS: &[&str] = &[
    "abstract",
    "as",
    "base",
    "bool",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "checked",
    "class",
    "const",
    "continue",
    "decimal",
    "default",
    "delegate",
    "do",
    "double",
    "else",
    "enum",
    "event",
    "explicit",
    "extern",
    "false",
    "finally",
    "fixed",
    "float",
    "for",
    "foreach",
    "goto",
    "if",
    "implicit",
    "in",
    "int",
    "interface",
    "internal",
    "is",
    "lock",
    "long",
    "namespace",
    "new",
    "null",
    "object",
    "operator",
    "out",
    "override",
    "params",
    "private",
    "protected",
    "public",
    "readonly",
    "ref",
    "return",
    "sbyte",
    "sealed",
    "short",
    "sizeof",
    "stackalloc",
    "static",
    "string",
    "struct",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "uint",
    "ulong",
    "unchecked",
    "unsafe",
    "ushort",
    "using",
    "virtual",
    "void",
    "volatile",
    "while",
    "async",
    "await",
    "var",
    "yield",
    "record",
];

const JAVA_KEYWORDS: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "var",
    "record",
    "yield",
    "sealed",
    "permits",
];

const JS_KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

const TS_EXTRA_KEYWORDS: &[&str] = &[
    "abstract",
    "any",
    "as",
    "boolean",
    "declare",
    "enum",
    "implements",
    "interface",
    "is",
    "keyof",
    "namespace",
    "never",
    "number",
    "private",
    "protected",
    "public",
    "readonly",
    "string",
    "symbol",
    "type",
    "unknown",
    "satisfies",
    "infer",
    "module",
];

const GO_KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "nil",
    "true",
    "false",
    "iota",
];

const RUST_KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "union",
    "macro_rules",
];

const KOTLIN_KEYWORDS: &[&str] = &[
    "as",
    "break",
    "class",
    "continue",
    "do",
    "else",
    "false",
    "for",
    "fun",
    "if",
    "in",
    "interface",
    "is",
    "null",
    "object",
    "package",
    "return",
    "super",
    "this",
    "throw",
    "true",
    "try",
    "typealias",
    "typeof",
    "val",
    "var",
    "when",
    "while",
    "import",
    "override",
    "private",
    "public",
    "protected",
    "internal",
    "data",
    "sealed",
    "companion",
    "open",
];

const SWIFT_KEYWORDS: &[&str] = &[
    "associatedtype",
    "class",
    "deinit",
    "enum",
    "extension",
    "func",
    "import",
    "init",
    "inout",
    "internal",
    "let",
    "operator",
    "private",
    "protocol",
    "public",
    "static",
    "struct",
    "subscript",
    "typealias",
    "var",
    "break",
    "case",
    "continue",
    "default",
    "defer",
    "do",
    "else",
    "fallthrough",
    "for",
    "guard",
    "if",
    "in",
    "repeat",
    "return",
    "switch",
    "where",
    "while",
    "as",
    "catch",
    "false",
    "is",
    "nil",
    "self",
    "Self",
    "super",
    "throw",
    "throws",
    "true",
    "try",
];

const SCALA_KEYWORDS: &[&str] = &[
    "abstract",
    "case",
    "catch",
    "class",
    "def",
    "do",
    "else",
    "extends",
    "false",
    "final",
    "finally",
    "for",
    "forSome",
    "if",
    "implicit",
    "import",
    "lazy",
    "match",
    "new",
    "null",
    "object",
    "override",
    "package",
    "private",
    "protected",
    "return",
    "sealed",
    "super",
    "this",
    "throw",
    "trait",
    "try",
    "true",
    "type",
    "val",
    "var",
    "while",
    "with",
    "yield",
    "given",
    "using",
    "enum",
    "then",
];

const PHP_KEYWORDS: &[&str] = &[
    "abstract",
    "and",
    "array",
    "as",
    "break",
    "callable",
    "case",
    "catch",
    "class",
    "clone",
    "const",
    "continue",
    "declare",
    "default",
    "do",
    "echo",
    "else",
    "elseif",
    "empty",
    "enddeclare",
    "endfor",
    "endforeach",
    "endif",
    "endswitch",
    "endwhile",
    "extends",
    "final",
    "finally",
    "fn",
    "for",
    "foreach",
    "function",
    "global",
    "goto",
    "if",
    "implements",
    "include",
    "include_once",
    "instanceof",
    "insteadof",
    "interface",
    "isset",
    "list",
    "match",
    "namespace",
    "new",
    "or",
    "print",
    "private",
    "protected",
    "public",
    "readonly",
    "require",
    "require_once",
    "return",
    "static",
    "switch",
    "throw",
    "trait",
    "try",
    "unset",
    "use",
    "var",
    "while",
    "xor",
    "yield",
    "true",
    "false",
    "null",
];

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "self",
];

const RUBY_KEYWORDS: &[&str] = &[
    "BEGIN", "END", "alias", "and", "begin", "break", "case", "class", "def", "defined?", "do",
    "else", "elsif", "end", "ensure", "false", "for", "if", "in", "module", "next", "nil", "not",
    "or", "redo", "rescue", "retry", "return", "self", "super", "then", "true", "undef", "unless",
    "until", "when", "while", "yield",
];

const SHELL_KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "local", "export", "return", "readonly", "declare",
];

const PERL_KEYWORDS: &[&str] = &[
    "my", "our", "local", "sub", "if", "elsif", "else", "unless", "while", "until", "for",
    "foreach", "return", "last", "next", "redo", "package", "use", "no", "require", "do",
];

// C's imports are `#include` lines, which the scanner marks itself (a directive is known there):
// as statement words, `include` and `import` are ordinary identifiers (`include = 1;`).
static C: LexSpec = LexSpec {
    preprocessor: true,
    keywords: &[C_KEYWORDS],
    ..C_FAMILY
};

static CPP: LexSpec = LexSpec {
    preprocessor: true,
    cpp_raw_strings: true,
    keywords: &[C_KEYWORDS, CPP_KEYWORDS],
    // C++20 module imports (`import std;`); `#include` lines are marked by the scanner, as in C.
    import_words: &["import"],
    ..C_FAMILY
};

static CSHARP: LexSpec = LexSpec {
    preprocessor: true,
    csharp_strings: true,
    triple_quote_strings: true,
    keywords: &[CSHARP_KEYWORDS],
    import_words: &["using"],
    ..C_FAMILY
};

static JAVA: LexSpec = LexSpec {
    triple_quote_strings: true,
    dollar_in_identifiers: true,
    keywords: &[JAVA_KEYWORDS],
    import_words: &["import", "package"],
    ..C_FAMILY
};

static JAVASCRIPT: LexSpec = LexSpec {
    single_quote: SingleQuote::String,
    backtick: Backtick::Template,
    regex_literals: true,
    dollar_in_identifiers: true,
    keywords: &[JS_KEYWORDS],
    import_words: &["import"],
    ..C_FAMILY
};

static TYPESCRIPT: LexSpec = LexSpec {
    single_quote: SingleQuote::String,
    backtick: Backtick::Template,
    regex_literals: true,
    dollar_in_identifiers: true,
    keywords: &[JS_KEYWORDS, TS_EXTRA_KEYWORDS],
    import_words: &["import"],
    ..C_FAMILY
};

static GO: LexSpec = LexSpec {
    backtick: Backtick::RawString,
    grouped_imports: true,
    keywords: &[GO_KEYWORDS],
    import_words: &["import", "package"],
    ..C_FAMILY
};

static RUST: LexSpec = LexSpec {
    nested_block_comments: true,
    single_quote: SingleQuote::CharOrLifetime,
    rust_strings: true,
    keywords: &[RUST_KEYWORDS],
    import_words: &["use", "extern"],
    ..C_FAMILY
};

static KOTLIN: LexSpec = LexSpec {
    nested_block_comments: true,
    triple_quote_strings: true,
    backtick: Backtick::RawString,
    keywords: &[KOTLIN_KEYWORDS],
    import_words: &["import", "package"],
    ..C_FAMILY
};

static SWIFT: LexSpec = LexSpec {
    nested_block_comments: true,
    triple_quote_strings: true,
    backtick: Backtick::RawString,
    keywords: &[SWIFT_KEYWORDS],
    import_words: &["import"],
    ..C_FAMILY
};

static SCALA: LexSpec = LexSpec {
    nested_block_comments: true,
    triple_quote_strings: true,
    backtick: Backtick::RawString,
    keywords: &[SCALA_KEYWORDS],
    import_words: &["import", "package"],
    ..C_FAMILY
};

static PHP: LexSpec = LexSpec {
    hash_comments: true,
    heredoc: Heredoc::Php,
    single_quote: SingleQuote::String,
    dollar_in_identifiers: true,
    keywords: &[PHP_KEYWORDS],
    import_words: &[
        "use",
        "require",
        "require_once",
        "include",
        "include_once",
        "namespace",
    ],
    ..C_FAMILY
};

static PYTHON: LexSpec = LexSpec {
    slash_comments: false,
    hash_comments: true,
    block_comment: None,
    single_quote: SingleQuote::String,
    python_strings: true,
    keywords: &[PYTHON_KEYWORDS],
    import_words: &["import", "from"],
    ..C_FAMILY
};

static RUBY: LexSpec = LexSpec {
    slash_comments: false,
    hash_comments: true,
    block_comment: None,
    single_quote: SingleQuote::String,
    backtick: Backtick::RawString,
    line_start_block_comments: Some((b"=begin", b"=end")),
    heredoc: Heredoc::RubyPerl,
    keywords: &[RUBY_KEYWORDS],
    import_words: &["require", "require_relative", "load"],
    ..C_FAMILY
};

static SHELL: LexSpec = LexSpec {
    slash_comments: false,
    hash_comments: true,
    block_comment: None,
    single_quote: SingleQuote::RawString,
    backtick: Backtick::RawString,
    dollar_in_identifiers: true,
    heredoc: Heredoc::Shell,
    keywords: &[SHELL_KEYWORDS],
    import_words: &["source"],
    ..C_FAMILY
};

static PERL: LexSpec = LexSpec {
    slash_comments: false,
    hash_comments: true,
    block_comment: None,
    single_quote: SingleQuote::String,
    backtick: Backtick::RawString,
    dollar_in_identifiers: true,
    line_start_block_comments: Some((b"=pod", b"=cut")),
    heredoc: Heredoc::RubyPerl,
    keywords: &[PERL_KEYWORDS],
    import_words: &["use", "require"],
    ..C_FAMILY
};

static TEXT: LexSpec = LexSpec {
    slash_comments: false,
    hash_comments: false,
    block_comment: None,
    single_quote: SingleQuote::Punct,
    keywords: &[],
    ..C_FAMILY
};

/// The lexical rules for `language`, built once per process.
pub(crate) fn rules_for(language: Language) -> &'static Rules {
    static RULES: OnceLock<Vec<Rules>> = OnceLock::new();
    let all = RULES.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|&l| Rules::new(spec_for(l)))
            .collect()
    });
    let index = Language::ALL
        .iter()
        .position(|&l| l == language)
        .unwrap_or(0);
    &all[index]
}

fn spec_for(language: Language) -> &'static LexSpec {
    match language {
        Language::C => &C,
        Language::Cpp => &CPP,
        Language::CSharp => &CSHARP,
        Language::Java => &JAVA,
        Language::JavaScript => &JAVASCRIPT,
        Language::TypeScript => &TYPESCRIPT,
        Language::Go => &GO,
        Language::Rust => &RUST,
        Language::Kotlin => &KOTLIN,
        Language::Swift => &SWIFT,
        Language::Scala => &SCALA,
        Language::Php => &PHP,
        Language::Python => &PYTHON,
        Language::Ruby => &RUBY,
        Language::Shell => &SHELL,
        Language::Perl => &PERL,
        Language::Text => &TEXT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every keyword of every language is found by its hash, and near misses are not: a
    /// keyword with a letter more, a prefix, another case, another language's keyword.
    #[test]
    fn keywords_are_found_by_their_hash_and_nothing_else() {
        for language in Language::ALL {
            let rules = rules_for(language);
            let keywords: Vec<&[u8]> = spec_for(language)
                .keywords
                .iter()
                .flat_map(|list| list.iter().map(|k| k.as_bytes()))
                .collect();
            for &k in &keywords {
                assert!(rules.is_keyword(k, exact_hash(k)), "{language:?} {k:?}");
                let longer = [k, b"x"].concat();
                let upper = k.to_ascii_uppercase();
                for other in [&longer[..], &k[..k.len() - 1], &upper[..]] {
                    if !keywords.contains(&other) {
                        assert!(!rules.is_keyword(other, exact_hash(other)), "{other:?}");
                    }
                }
            }
        }
        let c = rules_for(Language::C);
        assert!(!c.is_keyword(b"def", exact_hash(b"def")));
        assert!(rules_for(Language::Python).is_keyword(b"def", exact_hash(b"def")));
        // The bytes decide, not the hash alone: a word given another word's hash is no keyword.
        assert!(!c.is_keyword(b"whale", exact_hash(b"while")));
    }
}
