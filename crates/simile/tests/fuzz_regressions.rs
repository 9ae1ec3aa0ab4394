//! Every input the `tokenize` fuzzer found a bug with, replayed through the same harness
//! (fuzz/README.md): a fixed crash stays fixed in the normal `cargo test`.

#[path = "../../../fuzz/src/tokenize.rs"]
mod tokenize;

#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn tokenize_regressions() {
    replay::replay("tokenize", tokenize::run);
}
