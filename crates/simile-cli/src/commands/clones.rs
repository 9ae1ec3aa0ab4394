//! `simile clones PATH...` (or `--old DIR... --new DIR...`): walk the trees, find every similar
//! pair through shared fingerprints, render the pairs, clusters and duplication.

use super::find::base_code;
use crate::cli::{Cli, ClonesArgs, FormatArg};
use crate::exit::Code;
use crate::memory::{CLONES_LEAST, default_cache_bytes};
use crate::output;
use crate::progress::{Progress, Stages};
use rayon::prelude::*;
use simile::clones::{CloneCorpus, CloneInput, CloneOptions, ListedDetail, find_clones};
use simile::report::{Clones, ClonesMode, Report, RootRole, Warning};
use simile::source::walk::{self, Skipped, WalkOptions};
use simile::source::{ReadOptions, display_path, read_source};
use simile_render::SourceSet;
use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(cli: &Cli, args: &ClonesArgs) -> anyhow::Result<Code> {
    // A broken template is a usage error: say so before walking anything.
    let template = output::load_template(args.output.template.as_deref())?;
    let progress = Progress::new(!cli.quiet && std::io::stderr().is_terminal());
    let walk_options = args.walk.options();
    let align = args.matching.config();

    let roots = roots(args);
    let spinner = progress.spinner("walking");
    let mut skipped: Vec<Skipped> = Vec::new();
    let base_files = BaseFiles::new(&args.ignore);
    let walked = walk_roots(
        &roots,
        args.submissions,
        &walk_options,
        &base_files,
        &mut skipped,
    );
    spinner.finish_and_clear();
    let Walked {
        files,
        submissions,
        shared,
    } = walked?;
    let base = base_code(
        &args.ignore,
        &walk_options,
        &align.fingerprint,
        &mut skipped,
    )?;

    let corpus = CloneCorpus {
        mode: if args.submissions {
            ClonesMode::Submissions
        } else if args.old.is_empty() {
            ClonesMode::All
        } else {
            ClonesMode::OldNew
        },
        roots: roots
            .iter()
            .map(|(path, role)| (display_path(path), *role))
            .collect(),
        files,
        submissions,
        walk: &walk_options,
        skipped,
    };
    let options = CloneOptions {
        min_similarity: args.min_similarity,
        min_tokens: args.min_tokens as usize,
        top: args.top as usize,
        sort: args.sort.order(),
        cluster_similarity: args.cluster_similarity,
        max_df: args.max_df.map(|m| m as usize),
        align,
        // Plagiarism hides behind renamed identifiers: look for them there by default.
        renamed: args.renamed || args.submissions,
        fragments: args.fragments,
        licenses: args.licenses,
        fail_over: args.fail_over,
        listed: listed_detail(args),
        cache_bytes: usize::try_from(
            args.cache_size
                .unwrap_or_else(|| default_cache_bytes(CLONES_LEAST)),
        )
        .unwrap_or(usize::MAX),
    };
    let stages = Stages::new(&progress);
    let mut clones = find_clones(&corpus, &base, &options, &stages);
    stages.finish();
    if args.licenses {
        add_license_files(&mut clones);
    }
    clones.settings.ignore = args.ignore.iter().map(|p| display_path(p)).collect();
    if shared > 0 {
        clones.warnings.push(Warning {
            path: None,
            message: format!(
                "{shared} file(s) lie under more than one root: each is read once, as a file of \
                 the innermost root"
            ),
        });
    }

    if !cli.quiet {
        summary_lines(&clones);
    }
    let code = match &clones.gate {
        Some(gate) if gate.failed => Code::NotFound,
        _ => Code::Success,
    };
    let sources = if shows_code(args) {
        pair_sources(&clones, &corpus)
    } else {
        SourceSet::default()
    };
    output::render(
        cli.color,
        &args.output,
        template.as_ref(),
        &Report::clones(clones),
        &sources,
    )?;
    Ok(code)
}

/// The licence files of both files of every listed pair (each directory is read once).
fn add_license_files(clones: &mut simile::report::Clones) {
    let mut files = simile::license::files::LicenseFiles::default();
    for pair in &mut clones.pairs {
        super::compare::add_license_files(&mut pair.comparison, &mut files);
    }
}

/// The roots with their roles: `--old` trees first, so that the first file of a pair is the
/// old one.
fn roots(args: &ClonesArgs) -> Vec<(PathBuf, RootRole)> {
    if args.old.is_empty() {
        args.paths
            .iter()
            .map(|p| (p.clone(), RootRole::Tree))
            .collect()
    } else {
        let old = args.old.iter().map(|p| (p.clone(), RootRole::Old));
        old.chain(args.new.iter().map(|p| (p.clone(), RootRole::New)))
            .collect()
    }
}

/// The files of every root, each once, and how many were reached from more than one root.
struct Walked {
    files: Vec<CloneInput>,
    /// Submission names, by number.
    submissions: Vec<String>,
    /// Files under more than one root (`src src/vendor`, `--old src --new src/v2`).
    shared: usize,
}

/// Walk every root, leaving base files out; with `submissions`, name each file's submission (its
/// root joined with the first component below it) and number the submissions in order of
/// appearance. A file under several roots is taken once, from the innermost of them
/// ([`owned`]).
fn walk_roots(
    roots: &[(PathBuf, RootRole)],
    submissions: bool,
    options: &WalkOptions,
    base_files: &BaseFiles,
    skipped: &mut Vec<Skipped>,
) -> anyhow::Result<Walked> {
    let mut walks = Vec::with_capacity(roots.len());
    for (root, _) in roots {
        let found = walk::walk(std::slice::from_ref(root), options)?;
        skipped.extend(found.skipped);
        walks.push(found.files);
    }
    let (keep, shared) = owned(roots, &walks);
    let mut files = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    for (i, ((root, _), found)) in roots.iter().zip(walks).enumerate() {
        for (file, keep) in found.into_iter().zip(&keep[i]) {
            if !keep || base_files.contains(&file.path) {
                continue;
            }
            let submission = submissions.then(|| {
                let name = submission_name(root, &file.path);
                *ids.entry(name.clone()).or_insert_with(|| {
                    names.push(name);
                    names.len() as u32 - 1
                })
            });
            files.push(CloneInput {
                file,
                root: i as u32,
                submission,
            });
        }
    }
    Ok(Walked {
        files,
        submissions: names,
        shared,
    })
}

/// Which files of `walks` (one walk per root, files in walk order) to keep, and how many files
/// more than one root reached. Roots may overlap (`src src/vendor`): a file reached twice would
/// be compared with itself, and counted twice. It belongs to the innermost root that reaches
/// it, the one the user named to single it out (`--old src --new src/v2` compares `src/v2`
/// with the rest of `src`); of equally deep roots, the first. A file is known by its device and
/// inode, so a path through a symbolic link is the same file; only with several roots is
/// anything looked up.
fn owned(
    roots: &[(PathBuf, RootRole)],
    walks: &[Vec<walk::WalkedFile>],
) -> (Vec<Vec<bool>>, usize) {
    let mut keep: Vec<Vec<bool>> = walks.iter().map(|w| vec![true; w.len()]).collect();
    if roots.len() < 2 {
        return (keep, 0);
    }
    let depth = |root: &Path| std::fs::canonicalize(root).map_or(0, |p| p.components().count());
    let depths: Vec<usize> = roots.iter().map(|(root, _)| depth(root)).collect();
    // Per file: the root it belongs to, and whether another root reached it too.
    let mut owners: HashMap<FileIdentity, (usize, bool)> = HashMap::new();
    let ids: Vec<Vec<Option<FileIdentity>>> = walks
        .iter()
        .map(|w| w.iter().map(|f| FileIdentity::of(&f.path)).collect())
        .collect();
    for (i, walk_ids) in ids.iter().enumerate() {
        for id in walk_ids.iter().flatten() {
            let (root, shared) = owners.entry(id.clone()).or_insert((i, false));
            if *root != i {
                *shared = true;
                if depths[i] > depths[*root] {
                    *root = i;
                }
            }
        }
    }
    for (i, walk_ids) in ids.iter().enumerate() {
        for (k, id) in walk_ids.iter().enumerate() {
            keep[i][k] = id.as_ref().is_none_or(|id| owners[id].0 == i);
        }
    }
    let shared = owners.values().filter(|(_, shared)| *shared).count();
    (keep, shared)
}

/// What makes two paths the same file: its device and inode on Unix, its canonical path
/// elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileIdentity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

impl FileIdentity {
    fn of(path: &Path) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).ok()?;
            Some(FileIdentity::Inode(m.dev(), m.ino()))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path).ok().map(FileIdentity::Path)
        }
    }
}

/// The submission of `path` under `root`: the root joined with the first component below it (a
/// file given as a root is a submission of its own).
fn submission_name(root: &Path, path: &Path) -> String {
    match path
        .strip_prefix(root)
        .ok()
        .and_then(|rest| rest.components().next())
    {
        Some(first) => display_path(&root.join(first)),
        None => display_path(root),
    }
}

/// Files under an `--ignore` path are base code, not candidates: a template inside the
/// submissions directory is not a submission.
struct BaseFiles {
    roots: Vec<PathBuf>,
}

impl BaseFiles {
    fn new(ignore: &[PathBuf]) -> BaseFiles {
        BaseFiles {
            roots: ignore
                .iter()
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect(),
        }
    }

    fn contains(&self, path: &Path) -> bool {
        !self.roots.is_empty()
            && std::fs::canonicalize(path)
                .is_ok_and(|p| self.roots.iter().any(|base| p.starts_with(base)))
    }
}

/// Whether the chosen format shows code (and so needs the listed pairs' files): the HTML page
/// embeds them for its side-by-side views, a diff is made of them, and a template may read
/// them. Text and Markdown name regions by their lines and show no code.
/// How much of the listed pairs' comparisons the output shows: the text and Markdown reports
/// show regions (with their renames), never line diffs or the file-wide rename map; every other
/// format, and a template, may read them.
fn listed_detail(args: &ClonesArgs) -> ListedDetail {
    let regions_only = args.output.template.is_none()
        && matches!(args.output.format, FormatArg::Text | FormatArg::Markdown);
    if regions_only {
        ListedDetail::Regions
    } else {
        ListedDetail::Full
    }
}

fn shows_code(args: &ClonesArgs) -> bool {
    args.output.template.is_some()
        || matches!(args.output.format, FormatArg::Html | FormatArg::Diff)
}

/// The files of the listed pairs, read again for renderers that show code. A file that cannot
/// be read now is simply not shown (renderers show what they find).
fn pair_sources(clones: &Clones, corpus: &CloneCorpus<'_>) -> SourceSet {
    let wanted: BTreeSet<&str> = clones
        .pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let paths: HashMap<String, &Path> = corpus
        .files
        .iter()
        .map(|f| (display_path(&f.file.path), f.file.path.as_path()))
        .collect();
    let options = ReadOptions {
        language: None,
        max_size: corpus.walk.max_size,
    };
    let read: Vec<_> = wanted
        .into_par_iter()
        .filter_map(|name| paths.get(name).and_then(|p| read_source(p, &options).ok()))
        .collect();
    let mut sources = SourceSet::default();
    for source in read {
        sources.insert(Arc::new(source));
    }
    sources
}

/// What was skipped, and the gate's verdict, on stderr.
fn summary_lines(clones: &Clones) {
    let s = &clones.skipped;
    if s.total > 0 {
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
    for w in &clones.warnings {
        let path = w.path.as_deref().map(simile_render::terminal_safe);
        match path {
            Some(p) => eprintln!("simile: warning: {p}: {}", w.message),
            None => eprintln!("simile: warning: {}", w.message),
        }
    }
    if let Some(gate) = &clones.gate
        && gate.failed
    {
        eprintln!(
            "simile: duplication {:.1}% is over the --fail-over limit of {:.1}%",
            gate.duplication * 100.0,
            gate.limit * 100.0
        );
    }
}
