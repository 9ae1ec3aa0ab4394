//! Time each stage of a full comparison on one pair, one after another (no overlap), to see
//! where the time goes: `cargo run --release -p simile --example stages -- A B`.

use simile::align::{Side, align};
use simile::lex::tokenize;
use simile::license::file_license;
use simile::source::{ReadOptions, read_source};
use simile::structure::extract_units;
use simile::structure::mapping::{MapSide, map_units};
use simile::structure::renames::{RenameSide, identifier_renames};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = &args[..] else {
        eprintln!("usage: stages A B");
        std::process::exit(2);
    };
    let read = |p: &str| read_source(p.as_ref(), &ReadOptions::default()).expect("readable");
    let (fa, fb) = (read(a), read(b));
    let t = Instant::now();
    let (ta, tb) = (tokenize(&fa), tokenize(&fb));
    eprintln!("tokenize both     {:>8.1?}", t.elapsed());
    let t = Instant::now();
    let side_a = Side {
        tokens: &ta.tokens,
        text: &fa.text,
        lines: &fa.lines,
    };
    let side_b = Side {
        tokens: &tb.tokens,
        text: &fb.text,
        lines: &fb.lines,
    };
    let alignment = align(side_a, side_b, &Default::default());
    eprintln!("align             {:>8.1?}", t.elapsed());
    let t = Instant::now();
    let ua = extract_units(&fa, &ta.tokens);
    eprintln!(
        "units A           {:>8.1?}  ({} units)",
        t.elapsed(),
        ua.units.len()
    );
    let t = Instant::now();
    let ub = extract_units(&fb, &tb.tokens);
    eprintln!(
        "units B           {:>8.1?}  ({} units)",
        t.elapsed(),
        ub.units.len()
    );
    let t = Instant::now();
    let map = map_units(
        MapSide {
            tokens: &ta.tokens,
            units: &ua,
        },
        MapSide {
            tokens: &tb.tokens,
            units: &ub,
        },
        &alignment.matching.a_to_b,
    );
    eprintln!(
        "map units         {:>8.1?}  ({} pairs)",
        t.elapsed(),
        map.pairs.len()
    );
    let t = Instant::now();
    let renames = identifier_renames(
        RenameSide {
            tokens: &ta.tokens,
            text: &fa.text,
        },
        RenameSide {
            tokens: &tb.tokens,
            text: &fb.text,
        },
        &alignment.matching.a_to_b,
        Some(&ua),
        &Default::default(),
    );
    eprintln!(
        "rename map        {:>8.1?}  ({} renames)",
        t.elapsed(),
        renames.len()
    );
    let t = Instant::now();
    let la = file_license(&fa, &ta.tokens, &ta.comments);
    let lb = file_license(&fb, &tb.tokens, &tb.comments);
    eprintln!(
        "licences          {:>8.1?}  ({:?} / {:?})",
        t.elapsed(),
        la.license,
        lb.license
    );
    let t = Instant::now();
    let _ = file_license(&fa, &ta.tokens, &ta.comments);
    let _ = file_license(&fb, &tb.tokens, &tb.comments);
    eprintln!("licences again    {:>8.1?}  (store loaded)", t.elapsed());
}
