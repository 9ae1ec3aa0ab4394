#![no_main]
//! See `simile_fuzz::compare`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| simile_fuzz::compare::run(data));
