//! The tree-sitter grammars simile parses with, and for each, which syntax nodes are units and
//! how their names are read.
//!
//! The grammar crates all speak `tree-sitter-language` 0.1 (ABI 14 and 15), which the 0.27
//! runtime loads (see crates.md in the project's research notes). Node kinds are compared as
//! strings: the walk only visits the few thousand nodes outside function bodies, so this is not
//! where time goes.

use super::UnitKind;
use crate::source::Language;
use std::path::Path;
use tree_sitter::Node;

/// A grammar family: decides the node kinds of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// C.
    C,
    /// C++.
    Cpp,
    /// Rust.
    Rust,
    /// Python.
    Python,
    /// Java.
    Java,
    /// JavaScript.
    JavaScript,
    /// TypeScript (and TSX).
    TypeScript,
    /// Go.
    Go,
}

/// A grammar simile can parse a language with.
#[derive(Clone, Copy)]
pub struct Grammar {
    /// The grammar crate's name, as reported (`tree-sitter-c`).
    pub name: &'static str,
    /// Which node kinds are units.
    pub flavor: Flavor,
    language: tree_sitter_language::LanguageFn,
}

impl std::fmt::Debug for Grammar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grammar")
            .field("name", &self.name)
            .field("flavor", &self.flavor)
            .finish()
    }
}

impl Grammar {
    /// The tree-sitter language.
    pub fn language(&self) -> tree_sitter::Language {
        self.language.into()
    }

    /// Whether units can nest inside function bodies in this language (JavaScript closures
    /// with names, Python nested `def`s, Rust `fn` items in blocks, Java anonymous classes).
    /// For C, C++ and Go the walk skips function bodies, which is most of the tree.
    pub fn nested_in_bodies(&self) -> bool {
        !matches!(self.flavor, Flavor::C | Flavor::Cpp | Flavor::Go)
    }

    /// Whether the insides of function bodies can be blanked out before parsing (see
    /// [`super::parse`]): true where nothing inside a function body is a unit, and the walk
    /// skips bodies anyway.
    pub fn blank_bodies(&self) -> bool {
        !self.nested_in_bodies()
    }

    /// Whether files in this language can be cut at top-level braces and semicolons into
    /// chunks parsed separately (see [`super::chunks`]).
    pub fn brace_chunks(&self) -> bool {
        self.flavor != Flavor::Python
    }

    /// Separator of qualified names.
    pub fn separator(&self) -> &'static str {
        match self.flavor {
            Flavor::Cpp | Flavor::Rust => "::",
            _ => ".",
        }
    }
}

/// The grammar for a language, if simile has one. `path` decides between TypeScript and TSX.
pub fn grammar_for(language: Language, path: &Path) -> Option<Grammar> {
    let (name, flavor, language) = match language {
        Language::C => ("tree-sitter-c", Flavor::C, tree_sitter_c::LANGUAGE),
        Language::Cpp => ("tree-sitter-cpp", Flavor::Cpp, tree_sitter_cpp::LANGUAGE),
        Language::Rust => ("tree-sitter-rust", Flavor::Rust, tree_sitter_rust::LANGUAGE),
        Language::Python => (
            "tree-sitter-python",
            Flavor::Python,
            tree_sitter_python::LANGUAGE,
        ),
        Language::Java => ("tree-sitter-java", Flavor::Java, tree_sitter_java::LANGUAGE),
        Language::JavaScript => (
            "tree-sitter-javascript",
            Flavor::JavaScript,
            tree_sitter_javascript::LANGUAGE,
        ),
        Language::TypeScript => {
            let tsx = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("tsx"));
            if tsx {
                (
                    "tree-sitter-typescript",
                    Flavor::TypeScript,
                    tree_sitter_typescript::LANGUAGE_TSX,
                )
            } else {
                (
                    "tree-sitter-typescript",
                    Flavor::TypeScript,
                    tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
                )
            }
        }
        Language::Go => ("tree-sitter-go", Flavor::Go, tree_sitter_go::LANGUAGE),
        _ => return None,
    };
    Some(Grammar {
        name,
        flavor,
        language,
    })
}

/// A unit found at a node.
#[derive(Debug, Clone)]
pub struct Found<'t> {
    /// What kind (a function here may become a method when nested in a container).
    pub kind: UnitKind,
    /// The name.
    pub name: String,
    /// A qualifier written in the definition itself: `Widget` for C++ `Widget::draw`, the
    /// receiver type of a Go method.
    pub qualifier: Option<String>,
    /// The node whose children hold nested units (the definition itself, or the function a
    /// variable is bound to).
    pub inner: Node<'t>,
}

/// What a node that is not a unit contributes to qualified names (a namespace or module).
pub fn namespace_name(flavor: Flavor, node: Node<'_>, src: &[u8]) -> Option<String> {
    match (flavor, node.kind()) {
        (Flavor::Cpp, "namespace_definition")
        | (Flavor::Rust, "mod_item")
        | (Flavor::TypeScript, "internal_module" | "module") => {
            node.child_by_field_name("name").map(|n| text(n, src))
        }
        _ => None,
    }
}

/// Subtrees that can never hold a unit (literals, comments, parameter lists): the walk skips
/// them unless they hold a syntax error.
pub fn is_leafy(kind: &str) -> bool {
    matches!(
        kind,
        "comment"
            | "string_literal"
            | "raw_string_literal"
            | "concatenated_string"
            | "char_literal"
            | "number_literal"
            | "string"
            | "template_string"
            | "regex"
            | "initializer_list"
            | "parameter_list"
            | "parameters"
            | "formal_parameters"
            | "preproc_def"
            | "preproc_function_def"
            | "preproc_include"
            | "preproc_call"
            | "import_statement"
            | "import_declaration"
            | "use_declaration"
            | "attribute_item"
            | "line_comment"
            | "block_comment"
    )
}

/// The unit defined at `node`, if any.
pub fn unit_at<'t>(flavor: Flavor, node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match flavor {
        Flavor::C | Flavor::Cpp => c_family(node, src),
        Flavor::Rust => rust(node, src),
        Flavor::Python => python(node, src),
        Flavor::Java => java(node, src),
        Flavor::JavaScript | Flavor::TypeScript => javascript(node, src),
        Flavor::Go => go(node, src),
    }
}

fn text(node: Node<'_>, src: &[u8]) -> String {
    let raw = node.utf8_text(src).unwrap_or("");
    // Collapse whitespace: `impl<T>\n    Foo<T>` and `operator ==` read as one line.
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() && needs_space(out.as_bytes()[out.len() - 1], word.as_bytes()[0]) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn needs_space(before: u8, after: u8) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    word(before) && word(after)
}

fn found<'t>(kind: UnitKind, name: String, inner: Node<'t>) -> Option<Found<'t>> {
    (!name.is_empty()).then_some(Found {
        kind,
        name,
        qualifier: None,
        inner,
    })
}

fn named<'t>(kind: UnitKind, node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    let name = node.child_by_field_name("name")?;
    found(kind, text(name, src), node)
}

// ----- C and C++ ------------------------------------------------------------------------------

fn c_family<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match node.kind() {
        "function_definition" => c_function(node, src),
        "struct_specifier" | "union_specifier" | "enum_specifier" | "class_specifier" => {
            node.child_by_field_name("body")?;
            let kind = match node.kind() {
                "struct_specifier" => UnitKind::Struct,
                "union_specifier" => UnitKind::Union,
                "enum_specifier" => UnitKind::Enum,
                _ => UnitKind::Class,
            };
            let name = node.child_by_field_name("name")?;
            found(kind, text(name, src), node)
        }
        // `typedef struct { ... } name_t;`: the anonymous struct takes the typedef's name.
        "type_definition" => {
            let ty = node.child_by_field_name("type")?;
            let kind = match ty.kind() {
                "struct_specifier" => UnitKind::Struct,
                "union_specifier" => UnitKind::Union,
                "enum_specifier" => UnitKind::Enum,
                "class_specifier" => UnitKind::Class,
                _ => return None,
            };
            if ty.child_by_field_name("body").is_none() || ty.child_by_field_name("name").is_some()
            {
                return None;
            }
            let declarator = node.child_by_field_name("declarator")?;
            let name = declarator_name(declarator)?;
            found(kind, text(name, src), ty)
        }
        _ => None,
    }
}

fn c_function<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    let declarator = node.child_by_field_name("declarator")?;
    let name_node = declarator_name(declarator)?;
    let full = text(name_node, src);
    // `Widget::draw`, `ns::Widget<T>::~Widget`: the last segment is the name, the rest a
    // qualifier (split outside template brackets).
    let (qualifier, name) = split_qualified(&full);
    let kind = if qualifier.is_some() {
        UnitKind::Method
    } else {
        UnitKind::Function
    };
    let mut f = found(kind, name.to_owned(), node)?;
    f.qualifier = qualifier.map(str::to_owned);
    Some(f)
}

/// The identifier a C/C++ declarator declares: through pointer, array, parenthesized,
/// attributed, reference and function declarators down to the name.
fn declarator_name(mut node: Node<'_>) -> Option<Node<'_>> {
    for _ in 0..64 {
        match node.kind() {
            "identifier"
            | "field_identifier"
            | "type_identifier"
            | "qualified_identifier"
            | "operator_name"
            | "destructor_name"
            | "template_function"
            | "primitive_type" => {
                return Some(node);
            }
            "parenthesized_declarator" => {
                // `int (foo)(void)`: the child is the declarator, not a field.
                let mut cursor = node.walk();
                let inner = node.named_children(&mut cursor).next()?;
                node = inner;
            }
            "function_declarator" => {
                let inner = node.child_by_field_name("declarator")?;
                // `int PREFIX(uncompress2)(args)` (zlib-ng) or `NAME(foo)(args)`: a macro wraps
                // the name, and the parser sees a call. The wrapped name is the function's.
                if let Some(name) = macro_wrapped_name(inner) {
                    return Some(name);
                }
                node = inner;
            }
            _ => node = node.child_by_field_name("declarator")?,
        }
    }
    None
}

/// In `MACRO(name)` parsed as a function declarator, the node of `name`: the declarator is a
/// plain identifier and its only "parameter" is a bare name.
fn macro_wrapped_name(node: Node<'_>) -> Option<Node<'_>> {
    if node.kind() != "function_declarator"
        || node.child_by_field_name("declarator")?.kind() != "identifier"
    {
        return None;
    }
    let params = node.child_by_field_name("parameters")?;
    let mut cursor = params.walk();
    let mut named = params.named_children(&mut cursor);
    let only = named.next()?;
    if named.next().is_some() {
        return None;
    }
    let name = match only.kind() {
        "identifier" | "type_identifier" => only,
        "parameter_declaration" if only.child_by_field_name("declarator").is_none() => {
            only.child_by_field_name("type")?
        }
        _ => return None,
    };
    matches!(name.kind(), "identifier" | "type_identifier").then_some(name)
}

fn split_qualified(full: &str) -> (Option<&str>, &str) {
    let bytes = full.as_bytes();
    let mut depth = 0i32;
    let mut cut = None;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'<' => depth += 1,
            b'>' => depth -= 1,
            b':' if bytes[i + 1] == b':' && depth == 0 => {
                cut = Some(i);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    match cut {
        Some(c) if c > 0 => (Some(&full[..c]), &full[c + 2..]),
        Some(c) => (None, &full[c + 2..]),
        None => (None, full),
    }
}

// ----- Rust -----------------------------------------------------------------------------------

fn rust<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match node.kind() {
        "function_item" => named(UnitKind::Function, node, src),
        "struct_item" => named(UnitKind::Struct, node, src),
        "enum_item" => named(UnitKind::Enum, node, src),
        "union_item" => named(UnitKind::Union, node, src),
        "trait_item" => named(UnitKind::Trait, node, src),
        "impl_item" => {
            let ty = text(node.child_by_field_name("type")?, src);
            let name = match node.child_by_field_name("trait") {
                Some(tr) => format!("{} for {ty}", text(tr, src)),
                None => ty,
            };
            found(UnitKind::Impl, name, node)
        }
        _ => None,
    }
}

// ----- Python ---------------------------------------------------------------------------------

fn python<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match node.kind() {
        "function_definition" => named(UnitKind::Function, node, src),
        "class_definition" => named(UnitKind::Class, node, src),
        // Decorators belong to the unit; the definition inside is not a second unit.
        "decorated_definition" => {
            let def = node.child_by_field_name("definition")?;
            let mut f = python(def, src)?;
            f.inner = def;
            Some(f)
        }
        _ => None,
    }
}

// ----- Java -----------------------------------------------------------------------------------

fn java<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    // An interface's or abstract class's method declaration has no body: a declaration, not
    // a unit (like a C prototype or a Rust trait method signature).
    if node.kind() == "method_declaration" && node.child_by_field_name("body").is_none() {
        return None;
    }
    let kind = match node.kind() {
        "method_declaration" | "constructor_declaration" | "compact_constructor_declaration" => {
            UnitKind::Method
        }
        "class_declaration" | "record_declaration" => UnitKind::Class,
        "interface_declaration" | "annotation_type_declaration" => UnitKind::Interface,
        "enum_declaration" => UnitKind::Enum,
        _ => return None,
    };
    named(kind, node, src)
}

// ----- JavaScript and TypeScript --------------------------------------------------------------

fn is_function_value(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function" | "function_expression" | "function" | "generator_function"
    )
}

fn javascript<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match node.kind() {
        "function_declaration" | "generator_function_declaration" => {
            named(UnitKind::Function, node, src)
        }
        "method_definition" => named(UnitKind::Method, node, src),
        "class_declaration" | "abstract_class_declaration" | "class" => {
            named(UnitKind::Class, node, src)
        }
        "interface_declaration" => named(UnitKind::Interface, node, src),
        "enum_declaration" => named(UnitKind::Enum, node, src),
        // `const f = () => ...`, `x.f = function () {...}`, `{ f: function () {...} }`,
        // class fields `f = () => ...`: the binding names the function.
        "variable_declarator"
        | "pair"
        | "assignment_expression"
        | "field_definition"
        | "public_field_definition" => {
            let (name_field, value_field) = match node.kind() {
                "variable_declarator" => ("name", "value"),
                "pair" => ("key", "value"),
                "assignment_expression" => ("left", "right"),
                _ => ("property", "value"),
            };
            let value = node.child_by_field_name(value_field)?;
            if !is_function_value(value.kind()) {
                return None;
            }
            let name_node = node
                .child_by_field_name(name_field)
                .or_else(|| node.child_by_field_name("name"))?;
            let (qualifier, name) = js_binding_name(name_node, src);
            let kind = if node.kind().ends_with("field_definition") {
                UnitKind::Method
            } else {
                UnitKind::Function
            };
            let mut f = found(kind, name, value)?;
            f.qualifier = qualifier;
            Some(f)
        }
        _ => None,
    }
}

/// The name a function is bound to, and the object qualifying it: `module.exports.parse` is
/// `parse` of `module.exports`, `Expr.filter["ID"]` is `ID` of `Expr.filter`, a quoted object
/// key `"ATTR"` is `ATTR`.
fn js_binding_name(node: Node<'_>, src: &[u8]) -> (Option<String>, String) {
    let unquote = |n: Node<'_>| {
        let t = text(n, src);
        t.trim_matches(|c| c == '"' || c == '\'' || c == '`')
            .to_owned()
    };
    match node.kind() {
        "member_expression" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("property"),
        ) {
            (Some(object), Some(property)) => (Some(text(object, src)), text(property, src)),
            _ => (None, text(node, src)),
        },
        "subscript_expression" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("index"),
        ) {
            (Some(object), Some(index)) if index.kind() == "string" => {
                (Some(text(object, src)), unquote(index))
            }
            _ => (None, text(node, src)),
        },
        "string" => (None, unquote(node)),
        _ => (None, text(node, src)),
    }
}

// ----- Go -------------------------------------------------------------------------------------

fn go<'t>(node: Node<'t>, src: &[u8]) -> Option<Found<'t>> {
    match node.kind() {
        "function_declaration" => named(UnitKind::Function, node, src),
        "method_declaration" => {
            let mut f = named(UnitKind::Method, node, src)?;
            f.qualifier = node
                .child_by_field_name("receiver")
                .and_then(|r| go_receiver_type(r, src));
            Some(f)
        }
        "type_spec" => {
            let kind = match node.child_by_field_name("type")?.kind() {
                "struct_type" => UnitKind::Struct,
                "interface_type" => UnitKind::Interface,
                _ => return None,
            };
            named(kind, node, src)
        }
        _ => None,
    }
}

/// `(s *Server)` -> `Server`; `(l List[T])` -> `List`.
fn go_receiver_type(receiver: Node<'_>, src: &[u8]) -> Option<String> {
    let mut cursor = receiver.walk();
    let param = receiver
        .named_children(&mut cursor)
        .find(|n| n.kind() == "parameter_declaration")?;
    let ty = text(param.child_by_field_name("type")?, src);
    let ty = ty.trim_start_matches('*');
    let ty = ty.split('[').next().unwrap_or(ty);
    (!ty.is_empty()).then(|| ty.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_split_outside_templates() {
        assert_eq!(split_qualified("draw"), (None, "draw"));
        assert_eq!(split_qualified("Widget::draw"), (Some("Widget"), "draw"));
        assert_eq!(
            split_qualified("ns::Map<a::b, c>::~Map"),
            (Some("ns::Map<a::b, c>"), "~Map")
        );
        assert_eq!(split_qualified("::global"), (None, "global"));
    }

    #[test]
    fn every_grammar_loads() {
        for lang in [
            Language::C,
            Language::Cpp,
            Language::Rust,
            Language::Python,
            Language::Java,
            Language::JavaScript,
            Language::TypeScript,
            Language::Go,
        ] {
            let g = grammar_for(lang, Path::new("x")).expect("grammar");
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&g.language()).expect(g.name);
        }
        assert!(grammar_for(Language::TypeScript, Path::new("a.tsx")).is_some());
        assert!(grammar_for(Language::Text, Path::new("a.txt")).is_none());
    }
}
