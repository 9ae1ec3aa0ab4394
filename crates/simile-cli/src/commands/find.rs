//! `simile find QUERY... --in DIR...`: walk and index the directories in memory, search each
//! query, render the rankings.

use super::compare::read;
use crate::cli::{Cli, FindArgs, FormatArg};
use crate::exit::{CliError, Code};
use crate::memory::{FIND_LEAST, default_cache_bytes};
use crate::output;
use crate::progress::Progress;
use rayon::prelude::*;
use simile::CompareOptions;
use simile::fingerprint::FingerprintConfig;
use simile::license::files::LicenseFiles;
use simile::report::{CorpusInfo, CorpusKind, Find, FindSettings, Report, SkippedSummary};
use simile::search::{
    BaseCode, FingerprintFilter, LoadedFile, MemoryIndex, PostingsSource, QueryFile, SearchOptions,
    SearchOutcome, Searcher, index_fingerprints,
};
use simile::source::walk::{self, Skipped, WalkOptions};
use simile::source::{Language, ReadOptions, display_path};
use simile_render::SourceSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(cli: &Cli, args: &FindArgs) -> anyhow::Result<Code> {
    // Said before the search, not after minutes of it.
    if args.output.format == FormatArg::Diff && args.output.template.is_none() && !args.compare {
        return Err(CliError::new(
            Code::Usage,
            "--format diff shows each query against its best match: add --compare",
        )
        .into());
    }
    let progress = Progress::new(!cli.quiet && std::io::stderr().is_terminal());
    let walk_options = args.walk.options();
    let mut skipped: Vec<Skipped> = Vec::new();
    let queries = collect_queries(&args.queries, &walk_options, &mut skipped)?;
    if !cli.quiet {
        stdin_as_text_hint(&queries);
    }

    let (searched, corpus) = match &args.index {
        Some(path) => {
            let index = simile_index::Index::open(path).map_err(super::index::index_error)?;
            let searched = search(
                &index,
                args,
                &queries,
                &walk_options,
                &mut skipped,
                &progress,
            )?;
            // A damaged block met during the search was left out of the answers: the result
            // is incomplete, and saying nothing would be a wrong answer.
            if let Some(err) = index.integrity_error() {
                return Err(super::index::index_error(err));
            }
            let stats = index.stats();
            let corpus = CorpusInfo {
                kind: CorpusKind::Index,
                roots: vec![display_path(path)],
                files: stats.files,
                searchable_files: stats.files,
                tokens: stats.tokens,
                postings: stats.postings,
                distinct_fingerprints: stats.fingerprints,
            };
            (searched, corpus)
        }
        None => {
            let spinner = progress.spinner("walking");
            let corpus_walk = walk::walk(&args.in_dirs, &walk_options)?;
            spinner.finish_and_clear();
            skipped.extend(corpus_walk.skipped.iter().cloned());
            let corpus_bytes = corpus_walk.files.iter().map(|f| f.size).sum();
            let spinner = progress.spinner("reading queries");
            let queries = read_few_queries(queries, corpus_bytes, &walk_options, &mut skipped);
            spinner.finish_and_clear();
            let bar = progress.bar("indexing", corpus_walk.files.len());
            let fingerprint = args.align.config().fingerprint;
            let tick = || bar.inc(1);
            let (index, unreadable) = match queries_filter(&queries, &fingerprint) {
                Some(filter) => {
                    MemoryIndex::build_for(&corpus_walk, &walk_options, fingerprint, &filter, &tick)
                }
                None => MemoryIndex::build(&corpus_walk, &walk_options, fingerprint, &tick),
            };
            bar.finish_and_clear();
            skipped.extend(unreadable);
            let searched = search(
                &index,
                args,
                &queries,
                &walk_options,
                &mut skipped,
                &progress,
            )?;
            let stats = index.stats();
            let corpus = CorpusInfo {
                kind: CorpusKind::Directory,
                roots: args.in_dirs.iter().map(|p| display_path(p)).collect(),
                files: stats.files,
                searchable_files: stats.searchable_files,
                tokens: stats.tokens,
                postings: stats.postings,
                distinct_fingerprints: stats.distinct_fingerprints,
            };
            (searched, corpus)
        }
    };

    let find = Find {
        queries: searched.results,
        corpus,
        settings: searched.settings,
        skipped: SkippedSummary::new(skipped),
    };
    // The text report ends with the same line: on a terminal, once is enough.
    let footer_on_screen = args.output.format == FormatArg::Text
        && args.output.output.is_none()
        && std::io::stdout().is_terminal();
    if !cli.quiet && !footer_on_screen {
        summary_line(&find);
    }
    if !cli.quiet {
        short_query_hint(&find);
    }
    let code = if find.queries.is_empty() || find.some_query_unmatched() {
        Code::NotFound
    } else {
        Code::Success
    };
    render(cli, args, Report::find(find), &searched.sources)?;
    Ok(code)
}

/// A query read from standard input with neither a shebang nor one `--lang` is plain text,
/// which matches code poorly: say how to name its language.
fn stdin_as_text_hint(queries: &[QueryFile]) {
    let stdin_as_text = queries.iter().any(|q| {
        matches!(q, QueryFile::Loaded(f)
            if f.source.path == Path::new("-") && f.source.language == Language::Text)
    });
    if stdin_as_text {
        eprintln!(
            "simile: note: standard input has no file name and was read as plain text; \
             `--lang c` (or another language) reads it as code"
        );
    }
}

/// Query files walked from directories are read now, in parallel, when they are few beside
/// the tree (at most an eighth of its bytes, and [`READ_QUERIES_MAX_BYTES`]): every query is
/// then known before the tree is indexed, so the index keeps only their fingerprints
/// ([`queries_filter`]). More queries are read one by one as they are searched, against the
/// whole tree's index, so that memory does not grow with them.
fn read_few_queries(
    queries: Vec<QueryFile>,
    corpus_bytes: u64,
    options: &WalkOptions,
    skipped: &mut Vec<Skipped>,
) -> Vec<QueryFile> {
    let walked: u64 = queries
        .iter()
        .map(|q| match q {
            QueryFile::Walked(file) => file.size,
            QueryFile::Loaded(_) => 0,
        })
        .sum();
    if walked == 0 || walked > (corpus_bytes / 8).min(READ_QUERIES_MAX_BYTES) {
        return queries;
    }
    let read: Vec<Result<QueryFile, Skipped>> = queries
        .into_par_iter()
        .map(|query| match query {
            QueryFile::Walked(file) => walk::load(&file, options)
                .map(|source| QueryFile::Loaded(Arc::new(LoadedFile::new(source)))),
            loaded => Ok(loaded),
        })
        .collect();
    let mut queries = Vec::with_capacity(read.len());
    for query in read {
        match query {
            Ok(q) => queries.push(q),
            Err(skip) => skipped.push(skip),
        }
    }
    queries
}

/// Bytes of walked query files [`read_few_queries`] reads before the search at most.
const READ_QUERIES_MAX_BYTES: u64 = 64 << 20;

/// When every query is a file already read (none is a directory walked later), the
/// fingerprints they will look up: the tree is then indexed for those alone
/// ([`MemoryIndex::build_for`]), with the same answers.
fn queries_filter(queries: &[QueryFile], config: &FingerprintConfig) -> Option<FingerprintFilter> {
    let mut fingerprints = Vec::new();
    for query in queries {
        let QueryFile::Loaded(file) = query else {
            return None;
        };
        fingerprints.extend(index_fingerprints(&file.tokens.tokens, config));
    }
    Some(FingerprintFilter::new(fingerprints))
}

/// With `--licenses`: the trees' licence files and declared licences of the query and each
/// match, and how each match's licence relates to the query's.
fn add_tree_licenses(r: &mut simile::report::QueryResult, files: &mut LicenseFiles) {
    use simile::license::effective::attach_tree;
    if let Some(q) = &mut r.license {
        attach_tree(q, files.of(Path::new(&r.query.path)));
    }
    for m in &mut r.matches {
        if let Some(l) = &mut m.license {
            attach_tree(l, files.of(Path::new(&m.file.path)));
        }
        m.license_change = r
            .license
            .as_ref()
            .zip(m.license.as_ref())
            .map(|(q, l)| simile::license::license_change(q, l));
    }
}

/// What a search over one corpus produced.
struct Searched {
    results: Vec<simile::report::QueryResult>,
    sources: SourceSet,
    settings: FindSettings,
}

/// Search every query in `source` (a directory indexed in memory, or an index on disk). Base
/// code is fingerprinted with the corpus's k and w: an index built with other values would
/// otherwise never see it.
fn search<S: PostingsSource>(
    source: &S,
    args: &FindArgs,
    queries: &[QueryFile],
    walk_options: &WalkOptions,
    skipped: &mut Vec<Skipped>,
    progress: &Progress,
) -> anyhow::Result<Searched> {
    let mut align = args.align.config();
    align.fingerprint = source.fingerprint_config();
    align.min_fragment_tokens = align.fingerprint.k;
    let base = base_code(&args.ignore, walk_options, &align.fingerprint, skipped)?;
    let options = SearchOptions {
        top: args.top as usize,
        min_similarity: args.min_similarity,
        max_df: args.max_df.map(|m| m as usize),
        verify: args.verify.map(|v| v as usize),
        align,
        keep_comparison: args.compare,
        licenses: args.licenses,
        cache_bytes: usize::try_from(
            args.cache_size
                .unwrap_or_else(|| default_cache_bytes(FIND_LEAST)),
        )
        .unwrap_or(usize::MAX),
        ..SearchOptions::default()
    };
    let searcher = Searcher::new(source, options, &base);
    let bar = progress.bar("searching", queries.len());
    let outcomes = searcher.search_many(queries, walk_options, &|| bar.inc(1));
    bar.finish_and_clear();
    // With `--compare`, each best match compared as `simile compare` does it.
    let compare_options = args.analysis.options(align);
    let outcomes: Vec<_> = outcomes
        .into_par_iter()
        .map(|outcome| outcome.map(|found| full_comparison(found, &compare_options)))
        .collect();
    let mut license_files = LicenseFiles::default();

    let mut sources = SourceSet::default();
    let mut results = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok(mut found) => {
                for file in [&found.query, &found.best].into_iter().flatten() {
                    sources.insert(Arc::new(file.source.clone()));
                }
                if let Some(c) = &mut found.result.comparison {
                    super::compare::add_license_files(c, &mut license_files);
                }
                add_tree_licenses(&mut found.result, &mut license_files);
                results.push(found.result);
            }
            Err(skip) => skipped.push(skip),
        }
    }
    let settings = FindSettings {
        top: args.top,
        min_similarity: args.min_similarity,
        max_df: searcher.max_df() as u64,
        verify: searcher.verify_count() as u32,
        fingerprint: align.fingerprint,
        align,
        ignore: args.ignore.iter().map(|p| display_path(p)).collect(),
        base_kgrams: base.len() as u64,
        licenses: args.licenses,
    };
    Ok(Searched {
        results,
        sources,
        settings,
    })
}

/// `found` with its best match's comparison made as `simile compare` makes it: the search kept
/// the regions (what ranking needs); the units, the scoped rename map and the licences are
/// added now, for the one pair each query shows in full.
fn full_comparison(mut found: SearchOutcome, options: &CompareOptions) -> SearchOutcome {
    if let (Some(query), Some(best), Some(comparison)) =
        (&found.query, &found.best, &mut found.result.comparison)
    {
        **comparison = simile::compare_tokenized_with(
            (&query.source, &query.tokens),
            (&best.source, &best.tokens),
            options,
        );
    }
    found
}

/// Query files named on the command line are read now (an error is fatal: exit 3); query
/// directories are walked, and their files read when searched (unreadable ones are skipped).
fn collect_queries(
    paths: &[PathBuf],
    options: &WalkOptions,
    skipped: &mut Vec<Skipped>,
) -> anyhow::Result<Vec<QueryFile>> {
    // Standard input has no file name to tell its language: one `--lang` names it.
    let stdin_options = ReadOptions {
        language: match options.languages[..] {
            [only] => Some(only),
            _ => None,
        },
        max_size: options.max_size,
    };
    let read_options = ReadOptions {
        language: None,
        max_size: options.max_size,
    };
    let mut queries = Vec::new();
    for path in paths {
        if path != Path::new("-") && path.is_dir() {
            let found = walk::walk(std::slice::from_ref(path), options)?;
            skipped.extend(found.skipped);
            queries.extend(found.files.into_iter().map(QueryFile::Walked));
        } else {
            let is_stdin = path == Path::new("-");
            let source = read(
                path,
                if is_stdin {
                    &stdin_options
                } else {
                    &read_options
                },
            )?;
            queries.push(QueryFile::Loaded(Arc::new(LoadedFile::new(source))));
        }
    }
    Ok(queries)
}

/// The k-grams of every file under the `--ignore` paths.
pub(super) fn base_code(
    paths: &[PathBuf],
    options: &WalkOptions,
    config: &FingerprintConfig,
    skipped: &mut Vec<Skipped>,
) -> anyhow::Result<BaseCode> {
    let mut base = BaseCode::new(config);
    if paths.is_empty() {
        return Ok(base);
    }
    let found = walk::walk(paths, options)?;
    skipped.extend(found.skipped);
    for file in &found.files {
        match walk::load(file, options) {
            Ok(source) => base.add(&simile::lex::tokenize(&source).tokens),
            Err(skip) => skipped.push(skip),
        }
    }
    Ok(base)
}

/// `simile: skipped 12 files: 5 binary, 4 too large, 3 minified` on stderr.
fn summary_line(find: &Find) {
    let s = &find.skipped;
    if s.total == 0 {
        return;
    }
    let reasons: Vec<String> = s
        .by_reason
        .iter()
        .map(|r| format!("{} {}", r.count, r.reason.as_str()))
        .collect();
    eprintln!(
        "simile: skipped {} file(s): {} (the JSON report lists them)",
        s.total,
        reasons.join(", ")
    );
}

/// Below this many tokens, a query that found nothing may have been edited in every run of
/// `k` tokens: say how to look closer.
const SHORT_QUERY_TOKENS: u32 = 100;

fn short_query_hint(find: &Find) {
    let short: Vec<&str> = find
        .queries
        .iter()
        .filter(|q| {
            q.matches.is_empty() && q.fingerprints.total > 0 && q.query.tokens < SHORT_QUERY_TOKENS
        })
        .map(|q| q.query.path.as_str())
        .collect();
    let Some(first) = short.first() else { return };
    let k = find.settings.fingerprint.k;
    let which = if short.len() == 1 {
        simile_render::terminal_safe(first).into_owned()
    } else {
        format!("{} short queries", short.len())
    };
    eprintln!(
        "simile: note: no match for {which} (under {SHORT_QUERY_TOKENS} tokens): runs shorter than {k} tokens are not seen; `-k 6 -w 4` looks closer"
    );
}

fn render(cli: &Cli, args: &FindArgs, report: Report, sources: &SourceSet) -> anyhow::Result<()> {
    let template = output::load_template(args.output.template.as_deref())?;
    output::render(cli.color, &args.output, template.as_ref(), &report, sources)
}
