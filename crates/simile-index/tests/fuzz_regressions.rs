//! Every input the index fuzzers found a bug with, replayed through the same harnesses
//! (fuzz/README.md): `index_reader` (segment, catalog and manifest readers on arbitrary
//! bytes) and `index_dir` (a real index with one damaged file: never a wrong answer).

#[path = "../../../fuzz/src/index_dir.rs"]
mod index_dir;
#[path = "../../../fuzz/src/index_reader.rs"]
mod index_reader;

#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn index_reader_regressions() {
    replay::replay("index_reader", index_reader::run);
}

#[test]
fn index_dir_regressions() {
    replay::replay("index_dir", index_dir::run);
}
