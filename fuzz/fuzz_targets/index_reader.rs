#![no_main]
//! See `simile_fuzz::index_reader`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| simile_fuzz::index_reader::run(data));
