//! Structure: units found in eight languages (and by the heuristic), their mapping from A to
//! B with each status, the identifier rename map, on synthetic pairs, on an illumos-style C
//! pair, and on real files (zstd, Django, libsqlite3-sys).

use simile::lex::tokenize;
use simile::report::{
    BodyChange, Comparison, RenameScope, Report, UnitMatch, UnitOrigin, UnitStatus,
};
use simile::source::{ReadOptions, SourceFile, read_source};
use simile::structure::{UnitKind, extract_units};
use simile::{AlignConfig, CompareOptions, compare_with};
use std::path::Path;

fn data(path: &str) -> SourceFile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    read_source(&p, &ReadOptions::default()).expect("test data")
}

/// (qualified name, kind, first line, last line) of every unit.
fn units(name: &str, src: &str) -> Vec<(String, UnitKind, u32, u32)> {
    let f = SourceFile::from_text(name, src, None);
    let t = tokenize(&f);
    let u = extract_units(&f, &t.tokens);
    u.units
        .iter()
        .map(|u| {
            (
                u.qualified_name.clone(),
                u.kind,
                f.lines.line_of(u.start),
                f.lines.line_of(u.end - 1),
            )
        })
        .collect()
}

fn names(list: &[(String, UnitKind, u32, u32)]) -> Vec<(&str, UnitKind)> {
    list.iter().map(|(n, k, _, _)| (n.as_str(), *k)).collect()
}

fn compare(a: &SourceFile, b: &SourceFile) -> Comparison {
    compare_with(a, b, &CompareOptions::full(AlignConfig::default()))
}

fn entry<'c>(c: &'c Comparison, a_name: &str) -> &'c UnitMatch {
    c.units
        .as_ref()
        .expect("units")
        .units
        .iter()
        .find(|u| u.a.as_ref().is_some_and(|a| a.name == a_name))
        .unwrap_or_else(|| panic!("no unit {a_name} in A"))
}

fn added<'c>(c: &'c Comparison, b_name: &str) -> &'c UnitMatch {
    c.units
        .as_ref()
        .expect("units")
        .units
        .iter()
        .find(|u| u.a.is_none() && u.b.as_ref().is_some_and(|b| b.name == b_name))
        .unwrap_or_else(|| panic!("no added unit {b_name}"))
}

// ----- units in each language -------------------------------------------------------------------

#[test]
fn c_units() {
    let src = r#"#include <stdio.h>
struct point { int x, y; };
typedef struct { int w; } size_t2;
enum color { RED, GREEN };
static int
add(int a, int b)
{
    return a + b;
}
int (*pick(int k))(int, int) { return 0; }
"#;
    let got = units("a.c", src);
    assert_eq!(
        got,
        [
            ("point".into(), UnitKind::Struct, 2, 2),
            ("size_t2".into(), UnitKind::Struct, 3, 3),
            ("color".into(), UnitKind::Enum, 4, 4),
            ("add".into(), UnitKind::Function, 5, 9),
            ("pick".into(), UnitKind::Function, 10, 10),
        ]
    );
}

#[test]
fn cpp_units() {
    let src = r#"namespace geo {
class Shape {
 public:
  virtual ~Shape() {}
  virtual double area() const { return 0; }
};
template <typename T>
T twice(T x) { return x + x; }
}
double geo::Shape::perimeter() const { return 1.0; }
"#;
    assert_eq!(
        names(&units("a.cpp", src)),
        [
            ("geo::Shape", UnitKind::Class),
            ("geo::Shape::~Shape", UnitKind::Method),
            ("geo::Shape::area", UnitKind::Method),
            ("geo::twice", UnitKind::Function),
            ("geo::Shape::perimeter", UnitKind::Method),
        ]
    );
}

#[test]
fn rust_units() {
    let src = r#"mod shapes {
    pub struct Circle { r: f64 }
    pub enum Kind { A, B }
    pub trait Area { fn area(&self) -> f64; fn twice(&self) -> f64 { 2.0 * self.area() } }
    impl Area for Circle {
        fn area(&self) -> f64 { 3.14 * self.r * self.r }
    }
    impl Circle {
        pub fn new(r: f64) -> Self { Circle { r } }
    }
}
fn main() {}
"#;
    assert_eq!(
        names(&units("a.rs", src)),
        [
            ("shapes::Circle", UnitKind::Struct),
            ("shapes::Kind", UnitKind::Enum),
            ("shapes::Area", UnitKind::Trait),
            ("shapes::Area::twice", UnitKind::Method),
            ("shapes::Area for Circle", UnitKind::Impl),
            ("shapes::Area for Circle::area", UnitKind::Method),
            ("shapes::Circle", UnitKind::Impl),
            ("shapes::Circle::new", UnitKind::Method),
            ("main", UnitKind::Function),
        ]
    );
}

#[test]
fn python_units() {
    let src = r#"import functools

@functools.cache
def top(a):
    def inner():
        return a
    return inner

class Store:
    def __init__(self):
        self.x = 1

    async def load(self):
        return self.x
"#;
    assert_eq!(
        units("a.py", src),
        [
            ("top".into(), UnitKind::Function, 3, 7),
            ("top.inner".into(), UnitKind::Function, 5, 6),
            ("Store".into(), UnitKind::Class, 9, 14),
            ("Store.__init__".into(), UnitKind::Method, 10, 11),
            ("Store.load".into(), UnitKind::Method, 13, 14),
        ]
    );
}

#[test]
fn java_units() {
    let src = r#"package x;
public class Account {
    private int balance;
    public Account(int b) { balance = b; }
    public int deposit(int n) { balance += n; return balance; }
    interface Listener { void changed(int v); }
    enum State { OPEN, CLOSED }
    record Entry(int amount) {}
}
"#;
    assert_eq!(
        names(&units("Account.java", src)),
        [
            ("Account", UnitKind::Class),
            ("Account.Account", UnitKind::Method),
            ("Account.deposit", UnitKind::Method),
            ("Account.Listener", UnitKind::Interface),
            ("Account.State", UnitKind::Enum),
            ("Account.Entry", UnitKind::Class),
        ]
    );
}

#[test]
fn javascript_units() {
    let src = r#"function parse(s) { return s.trim(); }
const render = (x) => { return `<p>${x}</p>`; };
class Widget {
  constructor(el) { this.el = el; }
  draw() { return render(this.el); }
}
module.exports.load = function (path) { return parse(path); };
const api = { fetch: function () { return 1; } };
"#;
    assert_eq!(
        names(&units("a.js", src)),
        [
            ("parse", UnitKind::Function),
            ("render", UnitKind::Function),
            ("Widget", UnitKind::Class),
            ("Widget.constructor", UnitKind::Method),
            ("Widget.draw", UnitKind::Method),
            ("module.exports.load", UnitKind::Function),
            ("fetch", UnitKind::Function),
        ]
    );
}

#[test]
fn typescript_units() {
    let src = r#"interface Shape { area(): number; }
enum Kind { A, B }
export abstract class Base implements Shape {
  abstract area(): number;
  describe(): string { return `area ${this.area()}`; }
}
export function total(xs: Shape[]): number { return xs.reduce((s, x) => s + x.area(), 0); }
namespace util { export function id<T>(x: T): T { return x; } }
"#;
    assert_eq!(
        names(&units("a.ts", src)),
        [
            ("Shape", UnitKind::Interface),
            ("Kind", UnitKind::Enum),
            ("Base", UnitKind::Class),
            ("Base.describe", UnitKind::Method),
            ("total", UnitKind::Function),
            ("util.id", UnitKind::Function),
        ]
    );
    let tsx = "export function App(): JSX.Element { return <div className=\"x\">hi</div>; }\n";
    assert_eq!(names(&units("App.tsx", tsx)), [("App", UnitKind::Function)]);
}

#[test]
fn go_units() {
    let src = r#"package server

type Server struct { addr string }
type Handler interface { Serve() error }

func New(addr string) *Server { return &Server{addr: addr} }

func (s *Server) Serve() error {
	return nil
}
"#;
    assert_eq!(
        names(&units("server.go", src)),
        [
            ("Server", UnitKind::Struct),
            ("Handler", UnitKind::Interface),
            ("New", UnitKind::Function),
            ("Server.Serve", UnitKind::Method),
        ]
    );
}

#[test]
fn languages_without_a_grammar_use_the_heuristic() {
    let kotlin = "class Point(val x: Int) {\n    fun norm(): Int {\n        return x\n    }\n}\n";
    let f = SourceFile::from_text("Point.kt", kotlin, None);
    let u = extract_units(&f, &tokenize(&f).tokens);
    assert_eq!(u.parser.name(), "heuristic");
    let got: Vec<(&str, UnitKind, UnitOrigin)> = u
        .units
        .iter()
        .map(|u| (u.qualified_name.as_str(), u.kind, u.origin))
        .collect();
    assert_eq!(
        got,
        [
            ("Point", UnitKind::Class, UnitOrigin::Heuristic),
            ("Point.norm", UnitKind::Method, UnitOrigin::Heuristic),
        ]
    );
    let text = SourceFile::from_text("notes.txt", "just some words\n", None);
    let u = extract_units(&text, &tokenize(&text).tokens);
    assert_eq!(u.parser.name(), "none");
    assert!(u.units.is_empty());
}

// ----- illumos-style C --------------------------------------------------------------------------

#[test]
fn illumos_style_c_units_survive_parse_errors() {
    let f = data("pairs/illumos_style/a.c");
    let t = tokenize(&f);
    let u = extract_units(&f, &t.tokens);
    let got: Vec<(&str, UnitOrigin)> = u
        .units
        .iter()
        .map(|u| (u.name.as_str(), u.origin))
        .collect();
    use UnitOrigin::{Heuristic, Parsed};
    assert_eq!(
        got,
        [
            ("lx_proc", Parsed),
            ("lx_brand_init", Parsed),
            ("lx_brand_fini", Parsed),
            // K&R definition, return type on its own line
            ("lx_lpid_to_spid", Parsed),
            // `_NOTE(ARGSUSED)` above the definition
            ("lx_kill", Parsed),
            ("lx_pmm_setup", Parsed),
            ("lx_errno_xlate", Parsed),
            // signature split across `#if` / `#else`
            ("lx_pick_ops", Parsed),
            ("lx_old_hash", Parsed),
            // a function defined by a macro, and the function the broken parse swallowed
            ("DEFINE_LX_SYSCALL", Heuristic),
            ("lx_stat_common", Heuristic),
        ]
    );
    // The switch-heavy function spans its whole body.
    let xlate = u.units.iter().find(|u| u.name == "lx_errno_xlate").unwrap();
    assert_eq!(
        (f.lines.line_of(xlate.start), f.lines.line_of(xlate.end - 1)),
        (97, 165)
    );
}

#[test]
fn illumos_style_pair_every_class() {
    let c = compare(
        &data("pairs/illumos_style/a.c"),
        &data("pairs/illumos_style/b.c"),
    );
    let units = c.units.as_ref().unwrap();
    let status = |name: &str| entry(&c, name).status;
    assert_eq!(status("lx_brand_init"), UnitStatus::Identical);
    assert_eq!(status("lx_lpid_to_spid"), UnitStatus::Identical);
    assert_eq!(status("lx_pick_ops"), UnitStatus::Identical);
    assert_eq!(status("DEFINE_LX_SYSCALL"), UnitStatus::Identical);
    // lxpid -> pid, pmm_target -> target
    assert_eq!(status("lx_kill"), UnitStatus::RenamedOnly);
    assert_eq!(status("lx_pmm_setup"), UnitStatus::RenamedOnly);
    // two cases added to the switch
    let xlate = entry(&c, "lx_errno_xlate");
    assert_eq!(xlate.status, UnitStatus::Modified);
    assert!(xlate.similarity.unwrap() > 0.9 && xlate.similarity.unwrap() < 1.0);
    // moved to the end of the file
    let fini = entry(&c, "lx_brand_fini");
    assert_eq!(fini.status, UnitStatus::Moved);
    assert_eq!(fini.body, Some(BodyChange::Identical));
    // renamed, same body
    let stat = entry(&c, "lx_stat_common");
    assert_eq!(stat.status, UnitStatus::Renamed);
    assert_eq!(stat.b.as_ref().unwrap().name, "lx_stat_impl");
    assert_eq!(stat.body, Some(BodyChange::Identical));
    // removed and added
    assert_eq!(status("lx_old_hash"), UnitStatus::Removed);
    assert_eq!(
        added(&c, "lx_is_thread_group_leader").status,
        UnitStatus::Added
    );
    assert_eq!(units.summary.added, 1);
    assert_eq!(units.summary.removed, 1);
    // the parser's failures are reported, with the heuristic's help
    assert_eq!(units.a.heuristic_units, 2);
    assert!(units.a.error_count >= 1);
    assert!(
        c.warnings
            .iter()
            .any(|w| w.message.contains("tree-sitter-c could not parse")),
        "{:?}",
        c.warnings
    );
    // the rename map: a local rename in lx_kill, and a file-wide one
    let renames: Vec<(&str, &str, RenameScope)> = c
        .renames
        .iter()
        .map(|r| (r.a.as_str(), r.b.as_str(), r.scope))
        .collect();
    assert!(renames.contains(&("pmm_target", "target", RenameScope::File)));
    assert!(renames.contains(&("lx_stat_common", "lx_stat_impl", RenameScope::File)));
    let lxpid = c.renames.iter().find(|r| r.a == "lxpid").unwrap();
    assert_eq!(lxpid.b, "pid");
    // `lxpid` stays `lxpid` in lx_lpid_to_spid: the rename is local to lx_kill.
    assert_eq!(lxpid.scope, RenameScope::Local);
    let in_units: Vec<&str> = lxpid.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(in_units, ["lx_kill"]);
}

// ----- synthetic pairs, one class each -----------------------------------------------------------

const BASE_PY: &str = r##"def parse(text):
    items = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.append(line.split("="))
    return items


def render(items, width):
    out = []
    for key, value in items:
        out.append(key.ljust(width) + " = " + value)
    return "\n".join(out)


def checksum(data):
    total = 0
    for i, byte in enumerate(data):
        total = (total * 31 + byte + i) % 65521
    return total


def obsolete(flag):
    if flag:
        return "yes" * 3
    return "no" * 2
"##;

fn py(name: &str, src: &str) -> SourceFile {
    SourceFile::from_text(name, src, None)
}

#[test]
fn renamed_function() {
    let b = BASE_PY.replace("def render(", "def format_items(");
    let c = compare(&py("a.py", BASE_PY), &py("b.py", &b));
    let e = entry(&c, "render");
    assert_eq!(e.status, UnitStatus::Renamed);
    assert_eq!(e.b.as_ref().unwrap().name, "format_items");
    assert_eq!(e.body, Some(BodyChange::Identical));
    assert_eq!(entry(&c, "parse").status, UnitStatus::Identical);
    assert!(
        c.renames
            .iter()
            .any(|r| r.a == "render" && r.b == "format_items")
    );
}

#[test]
fn moved_function() {
    // checksum moves to the top.
    let checksum =
        &BASE_PY[BASE_PY.find("def checksum").unwrap()..BASE_PY.find("def obsolete").unwrap()];
    let b = format!("{checksum}{}", BASE_PY.replace(checksum, ""));
    let c = compare(&py("a.py", BASE_PY), &py("b.py", &b));
    let e = entry(&c, "checksum");
    assert_eq!(e.status, UnitStatus::Moved, "{e:?}");
    assert!(e.moved);
    assert_eq!(e.body, Some(BodyChange::Identical));
    for kept in ["parse", "render", "obsolete"] {
        assert_eq!(entry(&c, kept).status, UnitStatus::Identical, "{kept}");
    }
}

#[test]
fn function_with_renamed_locals() {
    let b = BASE_PY.replace("total", "acc").replace("byte", "b");
    let c = compare(&py("a.py", BASE_PY), &py("b.py", &b));
    let e = entry(&c, "checksum");
    assert_eq!(e.status, UnitStatus::RenamedOnly);
    assert_eq!(e.similarity, Some(1.0));
    let mut renames: Vec<(&str, &str, u32)> = c
        .renames
        .iter()
        .map(|r| (r.a.as_str(), r.b.as_str(), r.occurrences))
        .collect();
    renames.sort();
    assert_eq!(renames, [("byte", "b", 2), ("total", "acc", 4)]);
    assert!(c.renames.iter().all(|r| r.units[0].name == "checksum"));
}

#[test]
fn added_and_removed_functions() {
    let obsolete = &BASE_PY[BASE_PY.find("def obsolete").unwrap()..];
    let b = BASE_PY.replace(
        obsolete,
        "def histogram(values, bins):\n    counts = [0] * bins\n    low, high = min(values), max(values)\n    for v in values:\n        k = int((v - low) / (high - low + 1e-9) * bins)\n        counts[min(k, bins - 1)] += 1\n    return counts\n",
    );
    let c = compare(&py("a.py", BASE_PY), &py("b.py", &b));
    assert_eq!(entry(&c, "obsolete").status, UnitStatus::Removed);
    assert_eq!(added(&c, "histogram").status, UnitStatus::Added);
    let s = c.units.as_ref().unwrap().summary;
    assert_eq!((s.identical, s.removed, s.added), (3, 1, 1));
}

/// 150 functions of one name (more than the 64 that pair every namesake with every other):
/// they pair in order, by rank among the namesakes, and one whose body was rewritten (no
/// aligned token left to connect it) still pairs with its counterpart, as modified.
#[test]
fn many_namesakes_pair_in_order() {
    let copy = |i: usize| {
        format!(
            "def step(state):\n    state.count += {i}\n    state.total = state.total * 31 + {i}\n    return state\n\n"
        )
    };
    // A statement before it ends the aligned code of the function above, and its first line
    // differs from the third token on: no token of it aligns with the old one.
    let rewritten = "marker = None\ndef step(path, mode=\"rb\", *, limit=None):\n    with open(path, mode) as handle:\n        return len(handle.read(limit))\n\n";
    let a: String = (0..150).map(copy).collect();
    let b: String = (0..150)
        .map(|i| {
            if i == 70 {
                rewritten.to_string()
            } else {
                copy(i)
            }
        })
        .collect();
    let c = compare(&py("a.py", &a), &py("b.py", &b));
    let units = &c.units.as_ref().expect("units").units;
    assert_eq!(
        units.len(),
        150,
        "every function paired, none added or removed"
    );
    for u in units {
        let (ua, ub) = (u.a.as_ref().unwrap(), u.b.as_ref().unwrap());
        assert!(!u.moved, "{u:?}");
        // The rewritten one starts a line lower (after the new statement), in the same place.
        let (expected, shift) = if ua.lines.start == 70 * 5 + 1 {
            (UnitStatus::Modified, 1)
        } else {
            (UnitStatus::Identical, 0)
        };
        assert_eq!(
            ua.lines.start + shift,
            ub.lines.start,
            "paired in order: {u:?}"
        );
        assert_eq!(u.status, expected, "{u:?}");
    }
}

#[test]
fn modified_function_keeps_its_name() {
    let b = BASE_PY.replace(
        "        total = (total * 31 + byte + i) % 65521\n",
        "        total = (total * 33 + byte) % 65521\n        total ^= i\n",
    );
    let c = compare(&py("a.py", BASE_PY), &py("b.py", &b));
    let e = entry(&c, "checksum");
    assert_eq!(e.status, UnitStatus::Modified);
    assert_eq!(e.b.as_ref().unwrap().name, "checksum");
    let sim = e.similarity.unwrap();
    assert!(sim > 0.6 && sim < 1.0, "{sim}");
}

#[test]
fn methods_moving_between_classes_are_moved() {
    let a = "class A {\n  int f(int x) { int y = x * 2; y += 3; return y * y + x; }\n  int g() { return 1; }\n}\nclass B {\n  int h() { return 2; }\n}\n";
    let b = "class A {\n  int g() { return 1; }\n}\nclass B {\n  int f(int x) { int y = x * 2; y += 3; return y * y + x; }\n  int h() { return 2; }\n}\n";
    let c = compare_with(
        &SourceFile::from_text("A.java", a, None),
        &SourceFile::from_text("A.java", b, None),
        &CompareOptions::full(AlignConfig {
            min_region_tokens: 10,
            ..AlignConfig::default()
        }),
    );
    let f = entry(&c, "f");
    assert_eq!(f.b.as_ref().unwrap().qualified_name, "B.f");
    assert!(f.moved, "{f:?}");
}

// ----- rename map ---------------------------------------------------------------------------------

#[test]
fn inconsistent_pairings_are_not_renames() {
    // In `mix`, `a` becomes `c` in one statement and stays `a` in the next: not a rename.
    // In `scale`, `factor` becomes `k` everywhere: a rename.
    let a = "int mix(int a, int b)\n{\n\tint x = a + b * 17 - a / 3 + b % 5;\n\tint y = a * 2 + b * 3 + a * 4 + b * 5;\n\treturn x * y + a - b + x / (y + 1);\n}\n\nint scale(int v, int factor)\n{\n\tint r = v * factor + factor / 2 - v % factor;\n\treturn r > 0 ? r * factor : -r * factor;\n}\n";
    let b = a
        .replace("int x = a + b * 17 - a / 3", "int x = c + b * 17 - c / 3")
        .replace("factor", "k");
    let c = compare_with(
        &SourceFile::from_text("a.c", a, None),
        &SourceFile::from_text("b.c", &b, None),
        &CompareOptions::full(AlignConfig {
            min_region_tokens: 8,
            min_fragment_tokens: 6,
            ..AlignConfig::default()
        }),
    );
    let pairs: Vec<(&str, &str)> = c
        .renames
        .iter()
        .map(|r| (r.a.as_str(), r.b.as_str()))
        .collect();
    assert!(pairs.contains(&("factor", "k")), "{pairs:?}");
    assert!(!pairs.iter().any(|p| p.0 == "a"), "{pairs:?}");
}

// ----- real files ---------------------------------------------------------------------------------

#[test]
fn zstd_fast_real_pair() {
    let c = compare(
        &data("pairs/zstd_fast/1.4.9.c"),
        &data("pairs/zstd_fast/1.5.7.c"),
    );
    let units = c.units.as_ref().unwrap();
    assert_eq!(units.a.parser, "tree-sitter-c");
    // Every function of 1.4.9 whose name still exists in 1.5.7 is paired with it.
    let names_b: Vec<&str> = units
        .units
        .iter()
        .filter_map(|u| u.b.as_ref().map(|b| b.name.as_str()))
        .collect();
    let mut namesakes = 0;
    for u in &units.units {
        let Some(a) = &u.a else { continue };
        if a.name == "ZSTD_fillHashTable" {
            continue;
        }
        if names_b.contains(&a.name.as_str()) {
            namesakes += 1;
            assert_eq!(u.b.as_ref().map(|b| b.name.as_str()), Some(a.name.as_str()));
        }
    }
    assert!(namesakes >= 5, "{namesakes}");
    // 1.5.7 split ZSTD_fillHashTable: the old body lives on as ZSTD_fillHashTableForCCtx,
    // and a new dispatcher took the old name.
    let fill = entry(&c, "ZSTD_fillHashTable");
    assert_eq!(fill.status, UnitStatus::Renamed);
    assert_eq!(fill.b.as_ref().unwrap().name, "ZSTD_fillHashTableForCCtx");
    assert!(fill.similarity.unwrap() > 0.9);
    assert_eq!(added(&c, "ZSTD_fillHashTable").status, UnitStatus::Added);
}

#[test]
fn django_real_pair() {
    let c = compare(
        &data("pairs/django_sessions_db/4.2.py"),
        &data("pairs/django_sessions_db/5.1.py"),
    );
    let units = c.units.as_ref().unwrap();
    assert_eq!(units.a.parser, "tree-sitter-python");
    for kept in [
        "load",
        "exists",
        "create",
        "save",
        "delete",
        "clear_expired",
    ] {
        let e = entry(&c, kept);
        assert_eq!(
            e.b.as_ref().map(|b| b.qualified_name.as_str()),
            Some(format!("SessionStore.{kept}").as_str()),
            "{kept}: {e:?}"
        );
    }
    for new in ["aload", "aexists", "acreate", "asave", "adelete"] {
        let e = added(&c, new);
        assert_eq!(e.b.as_ref().unwrap().kind, UnitKind::Method);
    }
}

#[test]
fn rust_real_pair() {
    let c = compare(
        &data("pairs/libsqlite3_sys_error/0.24.rs"),
        &data("pairs/libsqlite3_sys_error/0.30.rs"),
    );
    let units = c.units.as_ref().unwrap();
    assert_eq!(units.a.parser, "tree-sitter-rust");
    let error_code = entry(&c, "ErrorCode");
    assert_eq!(error_code.a.as_ref().unwrap().kind, UnitKind::Enum);
    assert_eq!(error_code.b.as_ref().unwrap().name, "ErrorCode");
    let code_to_str = entry(&c, "code_to_str");
    assert_eq!(code_to_str.b.as_ref().unwrap().name, "code_to_str");
    assert!(units.summary.identical + units.summary.modified >= 5);
}

// ----- options and the model ----------------------------------------------------------------------

#[test]
fn tokens_only_computes_no_structure() {
    let a = py("a.py", BASE_PY);
    let c = compare_with(&a, &a, &CompareOptions::tokens_only(AlignConfig::default()));
    assert!(c.units.is_none());
    assert!(c.licenses.is_none());
    assert!(c.renames.is_empty());
    let full = compare(&a, &a);
    assert_eq!(full.units.as_ref().unwrap().summary.identical, 4);
    // Structure never changes the token scores.
    assert_eq!(full.scores, c.scores);
    assert_eq!(full.regions, c.regions);
}

#[test]
fn the_model_round_trips_through_json() {
    let c = compare(
        &data("pairs/illumos_style/a.c"),
        &data("pairs/illumos_style/b.c"),
    );
    let report = Report::comparison(c);
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    // serde_json's `float_roundtrip` reads every f64 back bit for bit: the model survives JSON.
    assert_eq!(back, report);
    let units = &value["comparison"]["units"];
    assert_eq!(units["a"]["parser"], "tree-sitter-c");
    assert!(
        units["units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["status"] == "renamed-only")
    );
    let schema = simile::report::json_schema().to_string();
    for field in [
        "UnitMapping",
        "IdentifierRename",
        "LicenseComparison",
        "renamed-only",
    ] {
        assert!(schema.contains(field), "{field} missing from the schema");
    }
}

#[test]
fn a_macro_around_the_name_is_not_the_name() {
    // zlib-ng declares `PREFIX(uncompress)(...)`: tree-sitter reads a call, the name is inside.
    let a = SourceFile::from_text(
        "a/uncompr.c",
        "int ZEXPORT uncompress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen) {\n    return uncompress2(dest, destLen, source, &sourceLen);\n}\n",
        None,
    );
    let b = SourceFile::from_text(
        "b/uncompr.c",
        "z_int32_t Z_EXPORT PREFIX(uncompress)(unsigned char *dest, z_uintmax_t *destLen, const unsigned char *source, z_uintmax_t sourceLen) {\n    return PREFIX(uncompress2)(dest, destLen, source, &sourceLen);\n}\n",
        None,
    );
    let c = simile::compare(&a, &b, &simile::AlignConfig::default());
    let units = c.units.expect("units");
    assert_eq!(units.units.len(), 1, "{:?}", units.units);
    let u = &units.units[0];
    assert_eq!(u.a.as_ref().unwrap().name, "uncompress");
    assert_eq!(u.b.as_ref().unwrap().name, "uncompress");
}

/// A driver's file operations sorted by name: stubs of identical bodies change places. Each
/// function pairs with its namesake, moved or in place, not "renamed" to the twin whose body
/// the file-level alignment faced it with, and no identifier is reported renamed.
#[test]
fn functions_of_identical_bodies_sorted_by_name_keep_their_names() {
    let names = [
        "open", "close", "read", "write", "seek", "flush", "stat", "sync", "lock", "unlock",
        "mmap", "poll",
    ];
    let function = |i: usize| {
        let body = if i.is_multiple_of(3) {
            format!(
                "\tint rc = check(f, {i});\n\tif (rc < 0)\n\t\treturn rc;\n\treturn do_op(f, arg, {i});\n"
            )
        } else {
            "\t(void)f;\n\t(void)arg;\n\treturn -ENOSYS;\n".to_string()
        };
        format!(
            "static int handler_{}(struct file *f, void *arg)\n{{\n{body}}}\n\n",
            names[i]
        )
    };
    let a: String = (0..names.len()).map(function).collect();
    let mut sorted: Vec<usize> = (0..names.len()).collect();
    sorted.sort_by_key(|&i| names[i]);
    let b: String = sorted.into_iter().map(function).collect();
    let c = compare(
        &SourceFile::from_text("ops.c", &a, None),
        &SourceFile::from_text("ops.c", &b, None),
    );
    let units = &c.units.as_ref().expect("units").units;
    assert_eq!(units.len(), names.len(), "{units:#?}");
    for u in units {
        let (ua, ub) = (u.a.as_ref().expect("paired"), u.b.as_ref().expect("paired"));
        assert_eq!(ua.name, ub.name, "{u:?}");
        assert_eq!(u.body, Some(BodyChange::Identical), "{u:?}");
        assert!(
            matches!(u.status, UnitStatus::Identical | UnitStatus::Moved),
            "{u:?}"
        );
    }
    assert!(c.renames.is_empty(), "{:?}", c.renames);
}

/// One stub in two places of B (OpenSSL 3's `armcap.c` gained a `_WIN32` branch before the
/// old one): the old stub pairs with the copy the alignment faced it with, in place, and the
/// new branch's copy is added.
#[test]
fn a_stub_copied_into_a_new_branch_pairs_with_its_aligned_copy() {
    let stubs = "void cpuid_setup(void)\n{\n}\n\nuint32_t rdtsc(void)\n{\n    return 0;\n}\n";
    let rest = "#else\nvoid cpuid_setup(void)\n{\n    probe(&caps);\n    if (caps & NEON)\n        use_neon = 1;\n}\n#endif\n";
    let a = format!("#if ARCH < 7\n{stubs}{rest}");
    let win32 = "#ifdef _WIN32\nvoid cpuid_setup(void)\n{\n    caps |= NEON;\n    if (present(CRYPTO))\n        caps |= AES;\n}\n\nuint32_t rdtsc(void)\n{\n    return 0;\n}\n";
    let b = format!("{win32}#elif ARCH < 7\n{stubs}{rest}");
    let c = compare(
        &SourceFile::from_text("armcap.c", &a, None),
        &SourceFile::from_text("armcap.c", &b, None),
    );
    let units = &c.units.as_ref().expect("units").units;
    let rdtsc: Vec<&UnitMatch> = units
        .iter()
        .filter(|u| {
            u.a.as_ref()
                .or(u.b.as_ref())
                .is_some_and(|s| s.name == "rdtsc")
        })
        .collect();
    assert_eq!(rdtsc.len(), 2, "{rdtsc:#?}");
    let old = entry(&c, "rdtsc");
    assert_eq!(old.status, UnitStatus::Identical, "{old:?}");
    assert_eq!(
        old.b.as_ref().unwrap().lines.start,
        18,
        "the copy in the old branch: {old:?}"
    );
    assert_eq!(
        added(&c, "rdtsc").b.as_ref().unwrap().lines.start,
        9,
        "{rdtsc:#?}"
    );
}

/// A nested class follows its renamed parent even when another parent of B holds an identical
/// class of that name (Django 5.1's `model_forms/tests.py`): only a namesake of the same
/// qualified name counts as the same unit for having the same tokens.
#[test]
fn a_nested_class_follows_its_renamed_parent_not_an_identical_cousin() {
    let form = |extra: &str| {
        format!(
            "        class HomepageForm(forms.ModelForm):\n            class Meta:\n                model = Homepage\n                fields = \"__all__\"\n{extra}"
        )
    };
    let check = "        form = HomepageForm({\"url\": \"example.com\"})\n        self.assertTrue(form.is_valid())\n        self.assertEqual(form.cleaned_data[\"url\"], \"http://example.com\")\n";
    let a = format!(
        "class T(TestCase):\n    def test_http_prefixing(self):\n{}{check}",
        form("")
    );
    let b = format!(
        "class T(TestCase):\n    def test_https_prefixing(self):\n{}{check}\n    def test_url_warning(self):\n{}        with self.assertWarnsMessage(Warning, \"scheme\"):\n            HomepageForm({{\"url\": \"example.com\"}})\n",
        form("                assume_scheme = \"https\"\n"),
        form(""),
    );
    let c = compare(&py("tests.py", &a), &py("tests.py", &b));
    let parent = entry(&c, "test_http_prefixing");
    assert_eq!(
        parent.b.as_ref().map(|b| b.name.as_str()),
        Some("test_https_prefixing"),
        "{parent:?}"
    );
    let units = &c.units.as_ref().expect("units").units;
    for (in_a, in_b) in [
        (
            "T.test_http_prefixing.HomepageForm",
            "T.test_https_prefixing.HomepageForm",
        ),
        (
            "T.test_http_prefixing.HomepageForm.Meta",
            "T.test_https_prefixing.HomepageForm.Meta",
        ),
    ] {
        let nested = units
            .iter()
            .find(|u| u.a.as_ref().is_some_and(|a| a.qualified_name == in_a))
            .expect("the nested class of A");
        assert_eq!(
            nested.b.as_ref().map(|b| b.qualified_name.as_str()),
            Some(in_b),
            "{nested:?}"
        );
    }
}
