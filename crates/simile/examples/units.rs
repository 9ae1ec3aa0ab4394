//! Print the units (functions, methods, types) simile finds in a file, one per line:
//! `cargo run --release -p simile --example units -- path/to/file.c`.

use simile::lex::tokenize;
use simile::source::{ReadOptions, read_source};
use simile::structure::extract_units;
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: units FILE");
        std::process::exit(2);
    };
    let file = match read_source(path.as_ref(), &ReadOptions::default()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("units: {e}");
            std::process::exit(3);
        }
    };
    let tokens = tokenize(&file);
    if std::env::var_os("UNITS_CUTS").is_some() {
        cuts(&file, &tokens.tokens);
    }
    let start = Instant::now();
    let units = extract_units(&file, &tokens.tokens);
    let elapsed = start.elapsed();
    for u in &units.units {
        let depth = std::iter::successors(u.parent, |&p| units.units[p as usize].parent).count();
        println!(
            "{:>6}-{:<6} {}{:<9} {}{}",
            file.lines.line_of(u.start),
            file.lines.line_of(u.end.saturating_sub(1)),
            "  ".repeat(depth),
            u.kind.as_str(),
            u.qualified_name,
            if u.origin == simile::structure::UnitOrigin::Heuristic {
                "  (heuristic)"
            } else {
                ""
            }
        );
    }
    for (s, e) in &units.error_spans {
        println!(
            "error lines {}-{}",
            file.lines.line_of(*s),
            file.lines.line_of(e.saturating_sub(1))
        );
    }
    eprintln!(
        "{}: {} units ({} heuristic) by {} in {:.1?}",
        file.name,
        units.units.len(),
        units.heuristic_count(),
        units.parser.name(),
        elapsed
    );
}

#[allow(dead_code)]
fn cuts(file: &simile::SourceFile, tokens: &[simile::lex::Token]) {
    for c in simile::structure::chunks::boundaries(tokens, &file.text) {
        let line = file.lines.line_of(c);
        eprintln!("cut at line {line}: {:?}", file.line_text(line));
    }
}
