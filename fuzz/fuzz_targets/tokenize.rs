#![no_main]
//! See `simile_fuzz::tokenize`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| simile_fuzz::tokenize::run(data));
