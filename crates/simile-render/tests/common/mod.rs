//! Loading the fixture pairs and rendering them, shared by the renderer tests.
#![allow(dead_code)] // each test file uses a part

use simile::report::Report;
use simile::source::{ReadOptions, SourceFile, source_from_bytes};
use simile::{AlignConfig, compare};
use simile_render::{Document, Format, RenderOptions, SourceSet};
use std::path::{Path, PathBuf};

/// The fixture pairs: (name, file name inside `a/` and `b/`).
pub const PAIRS: [(&str, &str); 4] = [
    ("uncompr", "uncompr.c"),
    ("decorators", "decorators.py"),
    ("sqlite-lib", "lib.rs"),
    ("core-test", "core.test.js"),
];

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A source file from bytes, named `name` in reports.
pub fn source(name: &str, bytes: Vec<u8>) -> SourceFile {
    source_from_bytes(Path::new(name), bytes, &ReadOptions::default()).expect("readable")
}

/// The two files of a fixture pair, named `<pair>/a/<file>` and `<pair>/b/<file>`.
pub fn pair(name: &str, file: &str) -> (SourceFile, SourceFile) {
    let load = |side: &str| {
        let rel = format!("{name}/{side}/{file}");
        let bytes = std::fs::read(fixtures_dir().join(&rel)).expect("fixture exists");
        source(&rel, bytes)
    };
    (load("a"), load("b"))
}

/// The comparison report of two files, with the files' texts.
pub fn report_of(a: SourceFile, b: SourceFile) -> (Report, SourceSet) {
    let report = Report::comparison(compare(&a, &b, &AlignConfig::default()));
    (report, SourceSet::from_files([a, b]))
}

/// Render in `format`; the simile version is replaced by `[version]` so snapshots survive
/// releases.
pub fn render(
    report: &Report,
    sources: &SourceSet,
    format: Format,
    options: &RenderOptions,
) -> String {
    let mut out = Vec::new();
    let doc = Document { report, sources };
    simile_render::render(format, &doc, options, &mut out).expect("renders");
    String::from_utf8(out)
        .expect("UTF-8 output")
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// The find fixture's queries: two with ranked matches in the corpus, one with none.
pub const FIND_QUERIES: [&str; 3] = [
    "uncompr/a/uncompr.c",
    "decorators/a/decorators.py",
    "sqlite-lib/a/lib.rs",
];

/// `simile find QUERIES --in find/corpus [--compare]`, run through the library as the CLI runs
/// it, with every path written relative to the fixtures directory (so snapshots do not depend
/// on where the repository is).
pub fn find_report(queries: &[&str], compare: bool) -> (Report, SourceSet) {
    find_in(&fixtures_dir(), "find/corpus", queries, compare)
}

/// `simile find` over `root/corpus` with the queries at `root/<query>`, paths relative to
/// `root`.
pub fn find_in(root: &Path, corpus: &str, queries: &[&str], compare: bool) -> (Report, SourceSet) {
    use simile::report::{CorpusInfo, CorpusKind, Find, FindSettings, SkippedSummary};
    use simile::search::{BaseCode, LoadedFile, MemoryIndex, QueryFile, SearchOptions, Searcher};
    use simile::source::walk::{self, WalkOptions};
    use std::sync::Arc;

    let relative = |p: &Path| {
        p.strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/")
    };
    let relative_skip = |mut skip: walk::Skipped| {
        let full = skip.path.clone();
        skip.path = relative(Path::new(&full));
        skip.detail = skip.detail.replace(&full, &skip.path);
        skip
    };
    let options = WalkOptions::default();
    let tree = walk::walk(&[root.join(corpus)], &options).expect("corpus exists");
    let config = simile::fingerprint::FingerprintConfig::default();
    let mut skipped: Vec<walk::Skipped> = Vec::new();
    let mut entries = Vec::new();
    for file in &tree.files {
        match walk::load(file, &options) {
            Ok(mut source) => {
                source.name = relative(&source.path);
                let tokens = simile::lex::tokenize(&source);
                entries.push(simile::search::memory::index_entry(
                    &source, &tokens, &config, None,
                ));
            }
            Err(skip) => skipped.push(relative_skip(skip)),
        }
    }
    skipped.extend(tree.skipped.into_iter().map(relative_skip));
    let index = MemoryIndex::from_entries(config, entries);
    let search_options = SearchOptions {
        keep_comparison: compare,
        ..SearchOptions::default()
    };
    let base = BaseCode::none();
    let searcher = Searcher::new(&index, search_options.clone(), &base);
    let query_files: Vec<QueryFile> = queries
        .iter()
        .map(|q| {
            let bytes = std::fs::read(root.join(q)).expect("query exists");
            QueryFile::Loaded(Arc::new(LoadedFile::new(source(q, bytes))))
        })
        .collect();
    let mut sources = SourceSet::default();
    let mut results = Vec::new();
    for outcome in searcher.search_many(&query_files, &options, &|| {}) {
        let found = outcome.expect("queries are readable");
        for file in [&found.query, &found.best].into_iter().flatten() {
            sources.insert(Arc::new(file.source.clone()));
        }
        results.push(found.result);
    }
    let stats = index.stats();
    let find = Find {
        queries: results,
        corpus: CorpusInfo {
            kind: CorpusKind::Directory,
            roots: vec![corpus.to_string()],
            files: stats.files,
            searchable_files: stats.searchable_files,
            tokens: stats.tokens,
            postings: stats.postings,
            distinct_fingerprints: stats.distinct_fingerprints,
        },
        settings: FindSettings {
            top: search_options.top as u32,
            min_similarity: search_options.min_similarity,
            max_df: searcher.max_df() as u64,
            verify: searcher.verify_count() as u32,
            fingerprint: config,
            align: search_options.align,
            ignore: Vec::new(),
            base_kgrams: 0,
            licenses: false,
        },
        skipped: SkippedSummary::new(skipped),
    };
    (Report::find(find), sources)
}

/// How to run `simile clones` in [`clones_report`]: the flags that shape the report.
#[derive(Debug, Clone, Default)]
pub struct ClonesRun<'a> {
    /// Trees paired with each other (`simile clones PATH...`).
    pub trees: &'a [&'a str],
    /// `--old` and `--new` trees (instead of `trees`).
    pub old_new: Option<(&'a str, &'a str)>,
    /// `--submissions`.
    pub submissions: bool,
    /// `--ignore PATH`: base code.
    pub ignore: Option<&'a str>,
    /// `--renamed`.
    pub renamed: bool,
    /// `--fragments`.
    pub fragments: bool,
    /// `--fail-over`, as a fraction.
    pub fail_over: Option<f64>,
    /// `--sort`.
    pub sort: simile::report::PairOrder,
    /// `--licenses` (without the trees' licence files, which the CLI adds).
    pub licenses: bool,
}

/// The clones fixtures, as the tests name them (relative to the crate directory, where cargo
/// runs tests, so snapshots do not depend on where the repository is).
pub const CLONES_TREE: &str = "tests/fixtures/clones/tree";
pub const CLONES_SUBMISSIONS: &str = "tests/fixtures/clones/submissions";
pub const CLONES_TEMPLATE: &str = "tests/fixtures/clones/template";

/// `simile clones` run through the library as the CLI runs it (walk each root, name
/// submissions, base code from `--ignore`, `find_clones`), with the texts of the listed pairs'
/// files as the CLI loads them for the formats that show code.
pub fn clones_report(run: &ClonesRun<'_>) -> (Report, SourceSet) {
    use simile::clones::{CloneCorpus, CloneInput, CloneOptions, NoProgress, find_clones};
    use simile::report::{ClonesMode, RootRole};
    use simile::search::BaseCode;
    use simile::source::display_path;
    use simile::source::walk::{self, WalkOptions};
    use std::collections::HashMap;
    use std::sync::Arc;

    let roots: Vec<(PathBuf, RootRole)> = match run.old_new {
        Some((old, new)) => vec![(old.into(), RootRole::Old), (new.into(), RootRole::New)],
        None => run
            .trees
            .iter()
            .map(|t| (PathBuf::from(t), RootRole::Tree))
            .collect(),
    };
    let walk_options = WalkOptions::default();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut submissions: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    for (i, (root, _)) in roots.iter().enumerate() {
        let found = walk::walk(std::slice::from_ref(root), &walk_options).expect("root exists");
        skipped.extend(found.skipped);
        for file in found.files {
            let submission = run.submissions.then(|| {
                let first = file.path.strip_prefix(root).unwrap().components().next();
                let name = display_path(&first.map_or(root.clone(), |c| root.join(c)));
                *ids.entry(name.clone()).or_insert_with(|| {
                    submissions.push(name);
                    submissions.len() as u32 - 1
                })
            });
            files.push(CloneInput {
                file,
                root: i as u32,
                submission,
            });
        }
    }
    let options = CloneOptions {
        renamed: run.renamed || run.submissions,
        fragments: run.fragments,
        fail_over: run.fail_over,
        sort: run.sort,
        licenses: run.licenses,
        ..CloneOptions::default()
    };
    let mut base = BaseCode::new(&options.align.fingerprint);
    if let Some(ignore) = run.ignore {
        let found = walk::walk(&[PathBuf::from(ignore)], &walk_options).expect("base exists");
        for file in &found.files {
            let source = walk::load(file, &walk_options).expect("base is readable");
            base.add(&simile::lex::tokenize(&source).tokens);
        }
    }
    let corpus = CloneCorpus {
        mode: if run.submissions {
            ClonesMode::Submissions
        } else if run.old_new.is_some() {
            ClonesMode::OldNew
        } else {
            ClonesMode::All
        },
        roots: roots
            .iter()
            .map(|(p, role)| (display_path(p), *role))
            .collect(),
        files,
        submissions,
        walk: &walk_options,
        skipped,
    };
    let mut clones = find_clones(&corpus, &base, &options, &NoProgress);
    clones.settings.ignore = run.ignore.iter().map(|p| p.to_string()).collect();
    let mut sources = SourceSet::default();
    for pair in &clones.pairs {
        for path in [&pair.a, &pair.b] {
            if sources.get(path).is_none() {
                let bytes = std::fs::read(path).expect("listed files are readable");
                sources.insert(Arc::new(source(path, bytes)));
            }
        }
    }
    (Report::clones(clones), sources)
}
