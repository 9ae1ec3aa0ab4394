#![no_main]
//! See `simile_fuzz::template`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| simile_fuzz::template::run(data));
