//! Every input the fuzzers of `fuzz/` found a bug with, replayed through the same harness:
//! targets `compare` (the engine and every renderer on a pair of files), `tokenize` and
//! `template` (fuzz/README.md). A fixed crash stays fixed in the normal `cargo test`.

#[path = "../../simile/tests/common/mod.rs"]
mod common;
#[path = "../../../fuzz/src/compare.rs"]
mod compare;
#[path = "../../../fuzz/src/template.rs"]
mod template;
#[allow(dead_code)]
#[path = "../../../fuzz/src/tokenize.rs"]
mod tokenize;

#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn compare_regressions() {
    replay::replay("compare", compare::run);
}

#[test]
fn template_regressions() {
    replay::replay("template", template::run);
}
