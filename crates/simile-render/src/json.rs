//! The JSON report: the engine's data model, exactly, inside a versioned envelope.
//!
//! ```json
//! {
//!   "schema_version": "1.6",
//!   "generator": { "name": "simile", "version": "0.1.0" },
//!   "kind": "comparison",
//!   "comparison": {
//!     "a": { "path": "old.c", "language": "c", "bytes": 1234, "lines": 50, "tokens": 310, ... },
//!     "b": { ... },
//!     "scores": { "similarity": 0.82, "coverage_a": 0.9, "coverage_b": 0.76, "matched_tokens": 279, ... },
//!     "verdict": "derived",
//!     "summary": { "identical": 2, "renamed": 1, "edited": 1, "moved": 1 },
//!     "regions": [ { "id": 1, "kind": "edited", "moved": false,
//!                    "a": { "start_line": 3, "end_line": 20, ... }, "b": { ... },
//!                    "matched_tokens": 120, "renames": [], "diff": [ { "op": "equal", "a": {...}, "b": {...} }, ... ] } ],
//!     "only_in_a": [ { "start": 40, "end": 44 } ],
//!     "only_in_b": [],
//!     "settings": { ... },
//!     "warnings": []
//!   }
//! }
//! ```
//!
//! Every field is described in `schema/report.schema.json` (JSON Schema 2020-12), generated from
//! the Rust types of `simile::report`. Lines are 1-based and inclusive, scores in `[0, 1]`.
//! Consumers should check `schema_version`: minor versions only add fields.

use crate::Document;
use std::io;

/// Write the report as pretty-printed JSON followed by a newline.
pub fn render(doc: &Document<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc.report)?;
    out.write_all(b"\n")
}
