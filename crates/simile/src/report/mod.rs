//! The result data model: what renderers read (the last room before output).
//!
//! Every type here is `serde`-serializable and has a JSON Schema (`schemars`); the JSON report
//! is exactly these types inside a [`Report`] envelope that carries [`SCHEMA_VERSION`]. The
//! committed schema file `schema/report.schema.json` is generated from them (and a test fails
//! when the two drift apart). Field meanings are documented on each field and end up in the
//! schema's `description`s, which is the documentation template authors read.
//!
//! Conventions: line numbers are 1-based and ranges inclusive (`{"start": 3, "end": 5}` is
//! three lines); columns are 1-based and count Unicode characters; byte offsets are 0-based
//! into the decoded text, end exclusive; scores are fractions in `[0, 1]`.

mod build;
mod build_structure;
mod clones;
mod comparison;
mod find;
mod license;
mod structure;

pub use build::build_comparison;
pub(crate) use build::{LineDiffs, build_comparison_with};
pub(crate) use build::{alignment_verdict, file_info, span};
pub use build_structure::{StructureInputs, build_renames, build_unit_mapping};
pub use clones::*;
pub use comparison::*;
pub use find::*;
pub use license::*;
pub use structure::*;

use serde::{Deserialize, Serialize};

/// Version of the JSON report format. Minor versions only add fields; a major version change
/// means a field changed meaning or was removed.
pub const SCHEMA_VERSION: &str = "1.6";

/// Name and version of the program that wrote a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Generator {
    /// Always `simile`.
    pub name: String,
    /// The simile version.
    pub version: String,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            name: "simile".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The top-level JSON document: an envelope with the schema version and one result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// The report format version, [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Who wrote the report.
    pub generator: Generator,
    /// The result, tagged by `kind`.
    #[serde(flatten)]
    pub body: ReportBody,
}

/// The result a report carries; `kind` says which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportBody {
    /// `simile compare`: one pair of files.
    Comparison {
        /// The comparison.
        comparison: Box<Comparison>,
    },
    /// `simile find`: for each query, the most similar files of a corpus.
    Find {
        /// The rankings.
        find: Box<Find>,
    },
    /// `simile clones`: similar pairs of files across one or more trees.
    Clones {
        /// The pairs, clusters, submissions and duplicated blocks.
        clones: Box<Clones>,
    },
}

impl Report {
    /// Wrap a comparison.
    pub fn comparison(comparison: Comparison) -> Report {
        Report {
            schema_version: SCHEMA_VERSION.into(),
            generator: Generator::default(),
            body: ReportBody::Comparison {
                comparison: Box::new(comparison),
            },
        }
    }
}

impl Report {
    /// Wrap the result of a search.
    pub fn find(find: Find) -> Report {
        Report {
            schema_version: SCHEMA_VERSION.into(),
            generator: Generator::default(),
            body: ReportBody::Find {
                find: Box::new(find),
            },
        }
    }
}

impl Report {
    /// Wrap the result of a clone search.
    pub fn clones(clones: Clones) -> Report {
        Report {
            schema_version: SCHEMA_VERSION.into(),
            generator: Generator::default(),
            body: ReportBody::Clones {
                clones: Box::new(clones),
            },
        }
    }
}

/// The JSON Schema of [`Report`], as committed in `schema/report.schema.json`.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Report);
    serde_json::to_value(schema).unwrap_or_default()
}
