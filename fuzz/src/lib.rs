//! The fuzz harnesses of simile: one module per target, each a `run(data)` that panics when an
//! invariant breaks. The targets in `fuzz_targets/` call them under libFuzzer; the regression
//! tests of the product crates include the same files (`#[path]`) and replay every input kept
//! under `regressions/<target>/`, so a fixed crash stays fixed in the normal `cargo test`.

pub mod compare;
pub mod index_dir;
pub mod index_reader;
pub mod template;
pub mod tokenize;

// The invariants of a comparison, shared with the engine's property tests.
#[path = "../../crates/simile/tests/common/mod.rs"]
mod common;
