//! Which language a file is written in: from `--lang`, the file name, the extension, a shebang,
//! or (for `.h`) a sniff of the content. The language picks the tokenizer's rules.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A language simile knows how to tokenize. [`Language::Text`] is the generic fallback that
/// works on any text (words, numbers and punctuation).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// C (and C headers).
    C,
    /// C++.
    Cpp,
    /// C#.
    CSharp,
    /// Go.
    Go,
    /// Java.
    Java,
    /// JavaScript (also JSX, `.mjs`, `.cjs`).
    JavaScript,
    /// TypeScript (also TSX).
    TypeScript,
    /// Kotlin.
    Kotlin,
    /// Swift.
    Swift,
    /// Scala.
    Scala,
    /// Rust.
    Rust,
    /// PHP.
    Php,
    /// Python.
    Python,
    /// Ruby.
    Ruby,
    /// Shell scripts (sh, bash, zsh).
    Shell,
    /// Perl.
    Perl,
    /// Any other text: words, numbers and punctuation, no comments.
    Text,
}

impl Language {
    /// Every language, in a stable order (used for `--lang` help and tests).
    pub const ALL: [Language; 17] = [
        Language::C,
        Language::Cpp,
        Language::CSharp,
        Language::Go,
        Language::Java,
        Language::JavaScript,
        Language::TypeScript,
        Language::Kotlin,
        Language::Swift,
        Language::Scala,
        Language::Rust,
        Language::Php,
        Language::Python,
        Language::Ruby,
        Language::Shell,
        Language::Perl,
        Language::Text,
    ];

    /// The lower-case name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Language::C => "c",
            Language::Cpp => "cpp",
            Language::CSharp => "csharp",
            Language::Go => "go",
            Language::Java => "java",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Kotlin => "kotlin",
            Language::Swift => "swift",
            Language::Scala => "scala",
            Language::Rust => "rust",
            Language::Php => "php",
            Language::Python => "python",
            Language::Ruby => "ruby",
            Language::Shell => "shell",
            Language::Perl => "perl",
            Language::Text => "text",
        }
    }

    /// Language from a path's file name or extension alone, if it says enough.
    pub fn from_path(path: &Path) -> Option<Language> {
        // Lossily: a name with a byte that is not UTF-8 (`caf\xE9.c`) still has its extension.
        let name = path.file_name()?.to_string_lossy();
        let name = name.as_ref();
        if let Some(lang) = from_file_name(name) {
            return Some(lang);
        }
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        from_extension(&ext)
    }

    /// Language from a `#!` line, e.g. `#!/usr/bin/env python3`.
    pub fn from_shebang(text: &str) -> Option<Language> {
        let first = text.lines().next()?.strip_prefix("#!")?;
        let mut words = first.split_whitespace();
        let mut program = words.next()?.rsplit('/').next()?;
        if program == "env" {
            // `env -S prog args` and `env prog`
            program = words.find(|w| !w.starts_with('-'))?;
        }
        let program = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        match program {
            "python" | "pypy" => Some(Language::Python),
            "sh" | "bash" | "zsh" | "ksh" | "dash" | "ash" => Some(Language::Shell),
            "node" | "nodejs" | "deno" | "bun" => Some(Language::JavaScript),
            "ts-node" | "tsx" => Some(Language::TypeScript),
            "ruby" => Some(Language::Ruby),
            "perl" => Some(Language::Perl),
            "php" => Some(Language::Php),
            _ => None,
        }
    }

    /// Detect the language of a file: `forced` (from `--lang`) wins, then the file name and
    /// extension, then a shebang; `.h` headers are sniffed for C++ constructs. Falls back to
    /// [`Language::Text`].
    pub fn detect(path: &Path, text: &str, forced: Option<Language>) -> Language {
        if let Some(lang) = forced {
            return lang;
        }
        if let Some(lang) = Language::from_path(path) {
            if lang == Language::C && is_header(path) && looks_like_cpp(text) {
                return Language::Cpp;
            }
            return lang;
        }
        Language::from_shebang(text).unwrap_or(Language::Text)
    }

    /// Whether comments of this language start with `#` (so `#` lines are not preprocessor).
    pub fn is_c_preprocessed(self) -> bool {
        matches!(self, Language::C | Language::Cpp | Language::CSharp)
    }
}

fn is_header(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some("h")
}

/// A `.h` file is C++ when it uses constructs C does not have. Looking at the first 64 KB is
/// enough: headers declare their nature early.
fn looks_like_cpp(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(64 * 1024)];
    const MARKERS: [&[u8]; 7] = [
        b"class ",
        b"namespace ",
        b"template<",
        b"template <",
        b"public:",
        b"private:",
        b"std::",
    ];
    // `extern "C"` guards appear in C headers too, so they are not a marker.
    MARKERS
        .iter()
        .any(|m| memchr::memmem::find(head, m).is_some())
}

fn from_file_name(name: &str) -> Option<Language> {
    match name {
        "Makefile" | "makefile" | "GNUmakefile" | "Dockerfile" | "CMakeLists.txt" => {
            Some(Language::Shell)
        }
        "Rakefile" | "Gemfile" => Some(Language::Ruby),
        "SConstruct" | "SConscript" => Some(Language::Python),
        _ => None,
    }
}

fn from_extension(ext: &str) -> Option<Language> {
    let lang = match ext {
        "c" | "h" | "i" => Language::C,
        "cc" | "cpp" | "cxx" | "c++" | "hh" | "hpp" | "hxx" | "h++" | "ipp" | "tpp" | "inl"
        | "cu" | "cuh" | "ino" => Language::Cpp,
        "cs" => Language::CSharp,
        "go" => Language::Go,
        "java" => Language::Java,
        "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
        "ts" | "tsx" | "mts" | "cts" => Language::TypeScript,
        "kt" | "kts" => Language::Kotlin,
        "swift" => Language::Swift,
        "scala" | "sc" => Language::Scala,
        "rs" => Language::Rust,
        "php" | "phtml" => Language::Php,
        "py" | "pyw" | "pyi" => Language::Python,
        "rb" | "rake" | "gemspec" => Language::Ruby,
        "sh" | "bash" | "zsh" | "ksh" | "mk" | "cmake" => Language::Shell,
        "pl" | "pm" | "t" => Language::Perl,
        _ => return None,
    };
    Some(lang)
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a language name.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "unknown language `{0}`; known: c, cpp, csharp, go, java, javascript, typescript, kotlin, swift, scala, rust, php, python, ruby, shell, perl, text"
)]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let lang = match lower.as_str() {
            "c" => Language::C,
            "cpp" | "c++" | "cxx" => Language::Cpp,
            "csharp" | "c#" | "cs" => Language::CSharp,
            "go" | "golang" => Language::Go,
            "java" => Language::Java,
            "javascript" | "js" => Language::JavaScript,
            "typescript" | "ts" => Language::TypeScript,
            "kotlin" | "kt" => Language::Kotlin,
            "swift" => Language::Swift,
            "scala" => Language::Scala,
            "rust" | "rs" => Language::Rust,
            "php" => Language::Php,
            "python" | "py" => Language::Python,
            "ruby" | "rb" => Language::Ruby,
            "shell" | "sh" | "bash" => Language::Shell,
            "perl" | "pl" => Language::Perl,
            "text" | "txt" | "generic" => Language::Text,
            _ => return Err(UnknownLanguage(s.to_string())),
        };
        Ok(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_keeps_its_extension() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.c");
        assert_eq!(Language::from_path(Path::new(name)), Some(Language::C));
    }

    #[test]
    fn extensions_and_names() {
        let cases = [
            ("a/ptrace.c", Language::C),
            ("x.hpp", Language::Cpp),
            ("lib.rs", Language::Rust),
            ("views.py", Language::Python),
            ("Main.java", Language::Java),
            ("app.mjs", Language::JavaScript),
            ("comp.tsx", Language::TypeScript),
            ("main.go", Language::Go),
            ("Makefile", Language::Shell),
            ("UPPER.C", Language::C),
        ];
        for (path, lang) in cases {
            assert_eq!(Language::from_path(Path::new(path)), Some(lang), "{path}");
        }
        assert_eq!(Language::from_path(Path::new("README")), None);
    }

    #[test]
    fn shebangs() {
        assert_eq!(
            Language::from_shebang("#!/usr/bin/env python3\n"),
            Some(Language::Python)
        );
        assert_eq!(
            Language::from_shebang("#!/bin/bash -e\n"),
            Some(Language::Shell)
        );
        assert_eq!(
            Language::from_shebang("#!/usr/bin/env -S node --flag\n"),
            Some(Language::JavaScript)
        );
        assert_eq!(
            Language::from_shebang("#!/usr/bin/perl5.36\n"),
            Some(Language::Perl)
        );
        assert_eq!(Language::from_shebang("no shebang"), None);
    }

    #[test]
    fn detect_prefers_forced_then_path_then_shebang() {
        let p = Path::new("script");
        assert_eq!(
            Language::detect(p, "#!/usr/bin/python\n", None),
            Language::Python
        );
        assert_eq!(Language::detect(p, "plain", None), Language::Text);
        assert_eq!(
            Language::detect(Path::new("a.c"), "", Some(Language::Go)),
            Language::Go
        );
    }

    #[test]
    fn headers_are_sniffed() {
        let h = Path::new("x.h");
        assert_eq!(
            Language::detect(h, "struct s { int a; };", None),
            Language::C
        );
        assert_eq!(
            Language::detect(h, "namespace n { class A {}; }", None),
            Language::Cpp
        );
    }

    #[test]
    fn names_round_trip() {
        for lang in Language::ALL {
            assert_eq!(lang.name().parse::<Language>().unwrap(), lang);
        }
        assert!("cobol".parse::<Language>().is_err());
    }
}
