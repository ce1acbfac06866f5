//! Running rules over many files in parallel: reading, the project pass, caching, writing.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use tauten_engine::callgraph::CallAnalysis;
use tauten_engine::config::{Config, LintSettings};
use tauten_engine::driver::{self, Outcome};
use tauten_engine::fix::FixMode;
use tauten_engine::parse;
use tauten_engine::project::{
    FileFacts, ModuleInfo, ModuleSummary, ProjectFacts, ProjectFlags, ProjectView,
};
use tauten_engine::rule::{Rule, RuleSet};
use tauten_engine::selection::{KindsOff, Selectors};
use tauten_engine::settings::PythonVersion;
use tauten_engine::source::{self, DecodeError, Encoding};
use tauten_engine::text::{Place, TextRange};

use crate::cache::{FileStamp, Slot};
use crate::packed::Packed;

/// Why a file could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Io(String),
    Decode(DecodeError),
    /// Where the file does not parse (first error first).
    Syntax(Vec<TextRange>),
    /// Writing the fixed file failed; the original is untouched.
    Write(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Io(e) => write!(f, "cannot read file: {e}"),
            FileError::Decode(e) => write!(f, "{e}"),
            FileError::Syntax(_) => write!(
                f,
                "syntax error; file checked by no rule and left untouched"
            ),
            FileError::Write(e) => write!(f, "cannot write fixed file: {e}"),
        }
    }
}

/// One file's result in a run.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    /// The text as read (after BOM removal), packed, when it could be decoded and there is
    /// something to show about it (findings, a fix, a syntax error); not for a fixed file that is
    /// written, whose findings are shown in its fixed text.
    pub source: Option<Packed>,
    /// Its outcome, without the summary and without the fixed text (that is `fixed`).
    pub outcome: Outcome,
    /// The fixed text, packed, when fixes were applied. The fixed text of a file that is written
    /// is kept only when findings are shown in it: not when none are left, nor when the front end
    /// shows places only ([`RunOptions::places_only`]).
    pub fixed: Option<Packed>,
    pub error: Option<FileError>,
    /// Where each finding starts and ends as shown, in the order of `outcome.diagnostics`, when
    /// they came from the cache (empty otherwise: the text shows them).
    pub places: Vec<Place>,
}

impl FileReport {
    /// The text the findings' offsets refer to: the fixed text when fixes were applied.
    pub fn shown_text(&self) -> Option<&Packed> {
        self.fixed.as_ref().or(self.source.as_ref())
    }
}

/// What a run does with fixes.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    pub fix: FixMode,
    /// Compute fixes but write nothing (for `--diff`).
    pub dry_run: bool,
    /// The front end shows findings by their places only, with no source (one line per finding,
    /// GitHub annotations, SARIF): a file whose findings come from the cache is not read.
    pub places_only: bool,
}

/// One file to check with its own rule set (per-file configuration already resolved).
pub struct FileJob<'r> {
    pub path: PathBuf,
    pub rules: Vec<&'r dyn Rule>,
    /// The kinds of the rules' findings the selection turns off.
    pub kinds_off: KindsOff,
    /// The analysis of calls the rules' registry provides (the same whatever is selected).
    pub calls: &'r dyn CallAnalysis,
    pub settings: LintSettings,
    /// Fingerprint of the file's settings, for the cache key.
    pub settings_key: u64,
    /// Where the file sits in its project.
    pub module: ModuleInfo,
}

impl<'r> FileJob<'r> {
    /// The rules and settings for one file: the configured selection of `rules` overridden by
    /// `overrides` (the command line's or an editor's), minus the file's `per-file-ignores`; its
    /// calls analysed by `calls`. Shared by every front end.
    pub fn for_file(
        file: &Path,
        module: ModuleInfo,
        config: &Config,
        overrides: &Selectors,
        rules: &[&'r dyn Rule],
        calls: &'r dyn CallAnalysis,
    ) -> Self {
        use std::hash::{Hash, Hasher};
        let mut selectors = config.selectors.overridden_by(overrides);
        selectors.ignore.extend(config.ignores_for(file));
        let selected = selectors.apply(rules);
        let kinds_off = selectors.kinds_off(&selected);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        config.fingerprint().hash(&mut hasher);
        for rule in &selected {
            rule.meta().code.hash(&mut hasher);
        }
        kinds_off.hash(&mut hasher);
        FileJob {
            path: file.to_path_buf(),
            rules: selected,
            kinds_off,
            calls,
            settings: config.lint.clone(),
            settings_key: hasher.finish(),
            module,
        }
    }

    /// Check the file for Python `version`, whatever its configuration says (`--target-version`).
    pub fn target_version(&mut self, version: PythonVersion) {
        use std::hash::{Hash, Hasher};
        self.settings.target_version = Some(version);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (self.settings_key, version).hash(&mut hasher);
        self.settings_key = hasher.finish();
    }

    /// The rules the file is checked with.
    pub fn rule_set(&self) -> RuleSet<'_> {
        RuleSet {
            rules: &self.rules,
            calls: self.calls,
            kinds_off: &self.kinds_off,
        }
    }

    /// The file's facts under a view of its project.
    fn facts(&self, project: ProjectView) -> FileFacts {
        FileFacts {
            module: self.module.clone(),
            project,
        }
    }
}

/// Read, check, fix and write each file, in parallel; reports come back in the jobs' order.
///
/// Two phases: every file is checked (and fixed in memory) with what a quick look at every file
/// tells ([`Prescan`]); then the modules' summaries are put together ([`ProjectFacts::gather`]),
/// and each file to which the project tells something that can change its findings (base classes
/// of other modules read at run time, other modules' blocking helpers, names other modules import
/// from it) is checked again with its [`ProjectView`]. Only then are fixed files written, so that
/// no fix is written from a module-local view that the project view contradicts.
///
/// With a cache, when no module's summary changed since the run that stored the project's
/// results (an edit inside a function that changes none of its calls, say), the project pass is
/// skipped: an unchanged file keeps its stored second outcome, and an edited one is checked again
/// with the view that run stored for it.
pub fn run(
    jobs: &[FileJob<'_>],
    options: RunOptions,
    cache: Option<&crate::cache::Cache>,
) -> Vec<FileReport> {
    let scan = Prescan::of(jobs, cache);
    let roots = top_level_names(jobs);
    let (mut checked, cached_keys): (Vec<Checked>, Vec<Option<u64>>) = (jobs.par_iter())
        .zip(&scan.1)
        .map(|(job, &file_scan)| {
            let facts = job.facts(scan.view());
            let (mut report, encoding, cached) =
                check_one(job, &facts, options, cache, Slot::Own, file_scan);
            report.outcome.summary.keep_project_parts(&roots);
            (Checked::held(report, encoding), cached)
        })
        .unzip();
    // No module's summary changed since the run that stored the project-wide results: the
    // project's facts are that run's. A file that did not change keeps its second slot; one that
    // did is checked again with the view that run stored for it.
    let project_key = cache
        .filter(|_| options.fix == FixMode::Off)
        .and_then(|cache| project_key(jobs, &scan, cache));
    if let (Some(cache), Some(key)) = (cache, project_key) {
        if cache.project_key() == Some(key) {
            let mut reruns = Vec::new();
            for (index, job) in jobs.iter().enumerate() {
                let report = &mut checked[index].report;
                if cached_keys[index].is_none() {
                    let view = (cache.view(&job.path))
                        .map(|view| narrowed(view, &report.outcome, scan.1[index]))
                        .filter(ProjectView::has_facts);
                    match view {
                        Some(view) => reruns.push((index, view)),
                        None => cache.forget_project_slot(&job.path),
                    }
                    continue;
                }
                if let Some(hit) = cache.project_slot(&job.path, &job.rules) {
                    if report.source.is_none() && needs_text(&hit.outcome, options) {
                        // The text was dropped with nothing to show of the file's own outcome.
                        let text = std::fs::read(&job.path)
                            .ok()
                            .and_then(|bytes| source::decode(&bytes).ok());
                        report.source = text.map(|(text, _)| Packed::pack(&text));
                    }
                    report.outcome = hit.outcome;
                    report.places = hit.places;
                }
            }
            recheck(&mut checked, reruns, jobs, options, Some(cache), &scan);
            return write_fixes(checked, jobs, options);
        }
    }
    if let Some(cache) = cache {
        // The project pass needs the summaries of the files that came from the cache.
        (jobs.par_iter())
            .zip(checked.par_iter_mut())
            .zip(&cached_keys)
            .for_each(|((job, checked), key)| {
                if let Some(key) = key {
                    let mut summary = cache.summary(&job.path, *key).unwrap_or_default();
                    summary.keep_project_parts(&roots);
                    checked.report.outcome.summary = summary;
                }
            });
    }
    let facts = gather(
        jobs,
        checked.iter().map(|c| &c.report.outcome.summary),
        &scan,
    );
    let reruns: Vec<(usize, ProjectView)> = (jobs.par_iter())
        .zip(&checked)
        .enumerate()
        .filter_map(|(index, (job, Checked { report, .. }))| {
            let view = facts.view_for(&job.module, Some(&report.outcome.summary));
            if let (Some(cache), Some(_)) = (cache, project_key) {
                cache.set_view(&job.path, view.has_facts().then_some(&view));
            }
            let view = narrowed(view, &report.outcome, scan.1[index]);
            view.has_facts().then_some((index, view))
        })
        .collect();
    let checked_again: std::collections::HashSet<&Path> = reruns
        .iter()
        .map(|(index, _)| jobs[*index].path.as_path())
        .collect();
    recheck(&mut checked, reruns, jobs, options, cache, &scan);
    if let Some(cache) = cache.filter(|_| options.fix == FixMode::Off) {
        cache.set_project_key(project_key, &checked_again);
    }
    write_fixes(checked, jobs, options)
}

/// The project's facts from its files' summaries, in the jobs' order: the one code path of the
/// command line's run and the language server's index.
fn gather<'a>(
    jobs: &'a [FileJob<'_>],
    summaries: impl Iterator<Item = &'a ModuleSummary> + Clone,
    scan: &Prescan,
) -> ProjectFacts {
    let modules = jobs.iter().map(|job| &job.module).zip(summaries);
    ProjectFacts::gather(modules, scan.0)
}

/// The first components of the run's module names: the packages (and top-level modules) that
/// names read from other modules can belong to.
fn top_level_names(jobs: &[FileJob<'_>]) -> rustc_hash::FxHashSet<String> {
    (jobs.iter())
        .filter_map(|job| job.module.name.as_deref()?.split('.').next())
        .map(str::to_owned)
        .collect()
}

/// A file's report as the run holds it until the project pass is done, its texts packed (every
/// file's kept text together was most of a run's peak memory), and what writing it back takes.
struct Checked {
    report: FileReport,
    /// The encoding it was read in, when it was read and decoded.
    encoding: Option<Encoding>,
}

impl Checked {
    /// The report with its fixed text packed.
    fn held(mut report: FileReport, encoding: Option<Encoding>) -> Self {
        report.fixed = (report.outcome.fixed_text.take()).map(|text| Packed::pack(&text));
        Checked { report, encoding }
    }

    /// Write the fixed text (unless it is a dry run); the report, with the texts the front end
    /// shows, still packed, and without the summary. A fixed text that is written is kept only to
    /// show the findings left in it, and not for a front end that shows places only.
    fn finish(self, path: &Path, options: RunOptions) -> FileReport {
        let mut report = self.report;
        report.outcome.summary = ModuleSummary::default();
        let Some(fixed) = &report.fixed else {
            return report;
        };
        if let (false, Some(encoding)) = (options.dry_run, self.encoding) {
            let written = (fixed.unpack())
                .and_then(|text| write_text(path, &text, encoding).map_err(|e| e.to_string()));
            if let Err(err) = written {
                report.error = Some(FileError::Write(err));
            }
        }
        let shown = !options.places_only && !report.outcome.diagnostics.is_empty();
        if !(options.dry_run || shown) {
            report.fixed = None;
        }
        report
    }
}

/// Write `text` to `path` in `encoding`.
fn write_text(path: &Path, text: &str, encoding: Encoding) -> std::io::Result<()> {
    crate::write::write_file(path, &source::encode(text, encoding))
}

/// A key for what the project pass reads: every file's path, module name, settings, prescan
/// flags and stored summary, in order; `None` when a file has no stored summary. The same key
/// means the same project facts, whatever else changed in the files.
fn project_key(jobs: &[FileJob<'_>], scan: &Prescan, cache: &crate::cache::Cache) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for (job, flags) in jobs.iter().zip(&scan.1) {
        job.path.hash(&mut hasher);
        job.module.name.hash(&mut hasher);
        hasher.write_u64(job.settings_key);
        hasher.write_u8(*flags);
        hasher.write_u64(cache.summary_hash(&job.path)?);
    }
    Some(hasher.finish())
}

/// A file's view narrowed to what can change its findings. Names other modules import only hold
/// back the import rules' fixes and change their messages: with no import finding, they change
/// nothing. Other modules' blocking helpers matter only to coroutines calling them.
///
/// When nothing else is left and none of the names the rules asked about (in any fix pass) has
/// importers, checking the file again would ask the same questions of the same texts and get
/// the same answers: the names other modules import are dropped too, and the first outcome
/// stands.
fn narrowed(mut view: ProjectView, outcome: &Outcome, flags: ScanFlags) -> ProjectView {
    let about_imports = |code: &str| ["TAU1", "TAU2", "TAU3"].iter().any(|f| code.starts_with(f));
    if !(outcome.diagnostics.iter().any(|d| about_imports(d.code))
        || outcome.applied.iter().any(|code| about_imports(code)))
    {
        view.imported_names = Default::default();
    }
    if flags & HAS_ASYNC == 0 {
        view.blocking = Default::default();
        view.context_readers = Default::default();
    }
    let unanswered = (outcome.importers_asked.as_ref())
        .is_some_and(|asked| asked.iter().all(|name| view.importers_of(name).is_none()));
    if unanswered && !view.has_facts_besides_importers() {
        view.imported_names = Default::default();
    }
    view
}

/// Check the files of `reruns` again, each with its view; the summary stays the first pass's (the
/// module alone, as the next run's project pass will read it from the cache).
fn recheck(
    checked: &mut [Checked],
    reruns: Vec<(usize, ProjectView)>,
    jobs: &[FileJob<'_>],
    options: RunOptions,
    cache: Option<&crate::cache::Cache>,
    scan: &Prescan,
) {
    let redone: Vec<(usize, Checked)> = reruns
        .into_par_iter()
        .map(|(index, view)| {
            let job = &jobs[index];
            let facts = job.facts(view);
            let (report, encoding, _) = check_one(
                job,
                &facts,
                options,
                cache,
                Slot::WithProject,
                scan.1[index],
            );
            (index, Checked::held(report, encoding))
        })
        .collect();
    for (index, mut result) in redone {
        result.report.outcome.summary = std::mem::take(&mut checked[index].report.outcome.summary);
        checked[index] = result;
    }
}

/// Write the fixed files (unless it is a dry run); the reports, in the jobs' order.
fn write_fixes(
    checked: Vec<Checked>,
    jobs: &[FileJob<'_>],
    options: RunOptions,
) -> Vec<FileReport> {
    (checked.into_par_iter())
        .zip(jobs.par_iter())
        .map(|(checked, job)| checked.finish(&job.path, options))
        .collect()
}

/// The facts only the whole project tells, for front ends that keep files open (the language
/// server's background index): every file read, parsed and summarised (no rule runs, nothing is
/// written), and the summaries put together as [`run`] does. `progress` is called with the
/// number of files done so far, from any thread.
pub fn index_project(jobs: &[FileJob<'_>], progress: &(dyn Fn(usize) + Sync)) -> ProjectFacts {
    let scan = Prescan::of(jobs, None);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let roots = top_level_names(jobs);
    let summaries: Vec<ModuleSummary> = jobs
        .par_iter()
        .map(|job| {
            let mut summary = summarize_file(job, &job.facts(scan.view())).unwrap_or_default();
            summary.keep_project_parts(&roots);
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            summary
        })
        .collect();
    gather(jobs, summaries.iter(), &scan)
}

/// Read, parse and summarise one file; `None` when it cannot be read, decoded or parsed.
fn summarize_file(job: &FileJob<'_>, facts: &FileFacts) -> Option<ModuleSummary> {
    let bytes = std::fs::read(&job.path).ok()?;
    let (text, _) = source::decode(&bytes).ok()?;
    let parsed = parse::parse(&text, None);
    if parsed.has_errors() {
        return None;
    }
    Some(driver::summarize_parsed(
        &job.path,
        &text,
        &parsed,
        &job.settings,
        facts,
        job.calls,
    ))
}

/// A hash of what a file is checked with besides its text, to key its cached outcome.
fn fingerprint(facts: &FileFacts) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    facts.hash(&mut hasher);
    hasher.finish()
}

/// Spellings of reading annotations at run time, looked for in the text of every file of a run.
const ANNOTATION_READERS: &[&[u8]] = &[
    b"get_type_hints",
    b"__annotations__",
    b"get_annotations",
    b"eval_str",
];

/// True when `text` may read annotations at run time (one of the spellings that do).
pub fn reads_annotations(text: &[u8]) -> bool {
    ANNOTATION_READERS
        .iter()
        .any(|needle| memchr::memmem::find(text, needle).is_some())
}

/// What a quick look at the bytes of every file of a run tells before any is parsed, and each
/// file's part of it ([`ScanFlags`], kept in the cache so that unchanged files are not read).
#[derive(Debug, Clone)]
struct Prescan(ProjectFlags, Vec<ScanFlags>);

/// One file's prescan: bit flags.
type ScanFlags = u8;
const READS_ANNOTATIONS: ScanFlags = 1;
const HAS_ASYNC: ScanFlags = 2;
const IMPORTS_ANYIO: ScanFlags = 4;
const IMPORTS_TRIO: ScanFlags = 8;

/// The prescan flags of a file's bytes.
fn scan_bytes(bytes: &[u8]) -> ScanFlags {
    let found = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    // `import trio`, `from trio.x import y`; not `import trio_websocket`.
    let imports = |module: &str| {
        ["import ", "from "].iter().any(|keyword| {
            let needle = format!("{keyword}{module}");
            memchr::memmem::find_iter(bytes, needle.as_bytes()).any(|at| {
                let next = bytes.get(at + needle.len()).copied().unwrap_or(b'\n');
                !(next.is_ascii_alphanumeric() || next == b'_')
            })
        })
    };
    let flag = |on: bool, flag: ScanFlags| if on { flag } else { 0 };
    flag(reads_annotations(bytes), READS_ANNOTATIONS)
        | flag(found(b"async def"), HAS_ASYNC)
        | flag(imports("anyio"), IMPORTS_ANYIO)
        | flag(imports("trio"), IMPORTS_TRIO)
}

impl Prescan {
    fn of(jobs: &[FileJob<'_>], cache: Option<&crate::cache::Cache>) -> Self {
        let files: Vec<ScanFlags> = jobs
            .par_iter()
            .map(|job| {
                let stamp = cache.and(std::fs::metadata(&job.path).ok());
                let stamp = stamp.as_ref().and_then(FileStamp::of);
                if let Some((_, scan)) = cache.and_then(|c| c.known_file(&job.path, stamp)) {
                    return scan;
                }
                match std::fs::read(&job.path) {
                    Ok(bytes) => scan_bytes(&bytes),
                    // Unreadable: assume annotations are read (the cautious side).
                    Err(_) => READS_ANNOTATIONS,
                }
            })
            .collect();
        let all = files.iter().fold(0, |all, flags| all | flags);
        Prescan(
            ProjectFlags {
                annotations_unread: all & READS_ANNOTATIONS == 0,
                has_async: all & HAS_ASYNC != 0,
                uses_anyio: all & IMPORTS_ANYIO != 0,
                uses_trio: all & IMPORTS_TRIO != 0,
            },
            files,
        )
    }

    /// The project view every file is first checked with.
    fn view(&self) -> ProjectView {
        self.0.view()
    }
}

/// Read and check one file (fixes applied in memory only); the encoding is returned for writing,
/// and the cache key when the outcome came from the cache.
fn check_one(
    job: &FileJob<'_>,
    facts: &FileFacts,
    options: RunOptions,
    cache: Option<&crate::cache::Cache>,
    slot: Slot,
    scan: ScanFlags,
) -> (FileReport, Option<Encoding>, Option<u64>) {
    let mut report = FileReport {
        path: job.path.clone(),
        source: None,
        outcome: Outcome::default(),
        fixed: None,
        error: None,
        places: Vec::new(),
    };
    let fix = options.fix;
    let cache = cache.filter(|_| fix == FixMode::Off);
    let settings_key = job.settings_key ^ fingerprint(facts);
    let stamp = cache.and(std::fs::metadata(&job.path).ok());
    let stamp = stamp.as_ref().and_then(FileStamp::of);
    // Unchanged since it was checked: the stored outcome, reading the file only to show it.
    if let Some(cache) = cache {
        if let Some((content, _)) = cache.known_file(&job.path, stamp) {
            let key = cache.key(content, settings_key);
            if let Some(hit) = cache.get(&job.path, key, &job.rules, slot) {
                let bytes = needs_text(&hit.outcome, options)
                    .then(|| std::fs::read(&job.path).ok())
                    .flatten();
                cached_report(&mut report, hit, bytes.as_deref());
                return (report, None, Some(key));
            }
        }
    }
    let bytes = match std::fs::read(&job.path) {
        Ok(bytes) => bytes,
        Err(err) => {
            report.error = Some(FileError::Io(err.to_string()));
            return (report, None, None);
        }
    };
    let content = crate::cache::Cache::content_hash(&bytes);
    let key = cache.map(|c| c.key(content, settings_key));
    if let (Some(cache), Some(key)) = (cache, key) {
        if let Some(hit) = cache.get(&job.path, key, &job.rules, slot) {
            cache.know_file(&job.path, content, stamp, scan);
            let shown = needs_text(&hit.outcome, options).then_some(&bytes[..]);
            cached_report(&mut report, hit, shown);
            return (report, None, Some(key));
        }
    }
    let (text, encoding) = match source::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(err) => {
            report.error = Some(FileError::Decode(err));
            return (report, None, None);
        }
    };
    let outcome = driver::check_text(&job.path, &text, job.rule_set(), &job.settings, facts, fix);
    if !outcome.syntax_errors.is_empty() {
        report.error = Some(FileError::Syntax(outcome.syntax_errors.clone()));
    }
    if let (Some(cache), Some(key)) = (cache, key) {
        cache.put(&job.path, key, &outcome, &text, slot);
        cache.know_file(&job.path, content, stamp, scan);
    }
    let diffed = options.dry_run && outcome.fixed_text.is_some();
    if options.places_only && outcome.syntax_errors.is_empty() && !diffed {
        // Shown by places only: the text need not be held until the findings are shown.
        report.places = places(&outcome, &text);
    } else {
        report.source = keep_source(&outcome, &text, options);
    }
    report.outcome = outcome;
    (report, Some(encoding), None)
}

/// Where each finding of `outcome` starts and ends, in the text it refers to (the fixed one
/// when fixes were applied).
fn places(outcome: &Outcome, text: &str) -> Vec<tauten_engine::text::Place> {
    if outcome.diagnostics.is_empty() {
        return Vec::new();
    }
    let text = outcome.fixed_text.as_deref().unwrap_or(text);
    let lines = tauten_engine::LineIndex::new(text);
    (outcome.diagnostics.iter())
        .map(|d| lines.place(d.range, text))
        .collect()
}

/// Fill `report` with an outcome from the cache; the text, decoded from `bytes`, only when
/// something is shown of it (nothing is written back without fixes, which are never cached).
fn cached_report(report: &mut FileReport, hit: crate::cache::Hit, bytes: Option<&[u8]>) {
    let outcome = hit.outcome;
    if !outcome.syntax_errors.is_empty() {
        report.error = Some(FileError::Syntax(outcome.syntax_errors.clone()));
    }
    report.source = shows_something(&outcome)
        .then(|| source::decode(bytes?).ok())
        .flatten()
        .map(|(text, _)| Packed::pack(&text));
    report.outcome = outcome;
    report.places = hit.places;
}

/// Whether a cached outcome must be shown with its file's text: a syntax error is shown at its
/// place in the text, and findings are unless the front end shows places only.
fn needs_text(outcome: &Outcome, options: RunOptions) -> bool {
    !outcome.syntax_errors.is_empty()
        || outcome.fixed_text.is_some()
        || (!outcome.diagnostics.is_empty() && !options.places_only)
}

/// The text, packed, only when something will be shown about the file (a run over a large tree
/// would otherwise hold every file in memory): not for a fixed file that will be written, which
/// shows its findings in its fixed text.
fn keep_source(outcome: &Outcome, text: &str, options: RunOptions) -> Option<Packed> {
    let written = !options.dry_run && outcome.fixed_text.is_some();
    (shows_something(outcome) && !written).then(|| Packed::pack(text))
}

fn shows_something(outcome: &Outcome) -> bool {
    !outcome.diagnostics.is_empty()
        || outcome.fixed_text.is_some()
        || !outcome.syntax_errors.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn with_importers(names: &[&str]) -> ProjectView {
        let importers = names
            .iter()
            .map(|name| (name.to_string(), vec!["pkg.user".to_string()]))
            .collect();
        ProjectView {
            imported_names: Arc::new(importers),
            ..ProjectView::default()
        }
    }

    fn asking(names: &[&str]) -> Outcome {
        Outcome {
            applied: vec!["TAU201"],
            importers_asked: Some(names.iter().map(|n| n.to_string()).collect()),
            ..Outcome::default()
        }
    }

    #[test]
    fn names_no_rule_asked_about_need_no_second_check() {
        let view = narrowed(with_importers(&["helper"]), &asking(&["Path"]), 0);
        assert!(!view.has_facts());
        let view = narrowed(with_importers(&["helper"]), &asking(&["helper"]), 0);
        assert!(view.has_facts());
        // Not known what was asked (an outcome from the cache): checked again.
        let unknown = Outcome {
            importers_asked: None,
            ..asking(&[])
        };
        assert!(narrowed(with_importers(&["helper"]), &unknown, 0).has_facts());
    }

    #[test]
    fn other_facts_keep_the_importers_for_the_second_check() {
        let mut view = with_importers(&["helper"]);
        view.runtime_bases = vec!["pkg.Model".to_string()];
        let view = narrowed(view, &asking(&["Path"]), 0);
        assert!(!view.imported_names.is_empty());
    }

    fn fixed(text: &str, findings_left: usize) -> FileReport {
        let finding = tauten_engine::Diagnostic {
            code: "TAU501",
            name: "left",
            message: String::new(),
            range: TextRange::empty(0),
            fix: None,
            noqa_offset: 0,
            parent_offset: None,
            related: Vec::new(),
            kind: None,
        };
        FileReport {
            path: PathBuf::new(),
            source: Some(Packed::pack("import os\n")),
            outcome: Outcome {
                fixed_text: Some(text.into()),
                diagnostics: vec![finding; findings_left],
                ..Outcome::default()
            },
            fixed: None,
            error: None,
            places: Vec::new(),
        }
    }

    fn unpacked(text: &Option<Packed>) -> Option<String> {
        text.as_ref().map(|packed| packed.unpack().unwrap())
    }

    #[test]
    fn a_written_fixed_text_is_kept_only_to_show_findings_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        std::fs::write(&path, "import os\n").unwrap();
        let utf8 = Some(Encoding { bom: false });
        let run = |report, places_only| {
            let options = RunOptions {
                fix: FixMode::Safe,
                dry_run: false,
                places_only,
            };
            Checked::held(report, utf8).finish(&path, options)
        };
        let shown = run(fixed("x = 1\n", 1), false);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x = 1\n");
        assert_eq!(unpacked(&shown.fixed).as_deref(), Some("x = 1\n"));
        let shown_text = shown.shown_text().map(|text| text.unpack().unwrap());
        assert_eq!(
            shown_text.as_deref(),
            Some("x = 1\n"),
            "findings show in the fixed text"
        );
        let nothing_left = run(fixed("y = 1\n", 0), false);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "y = 1\n");
        assert!(nothing_left.fixed.is_none());
        let places_only = run(fixed("z = 1\n", 1), true);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "z = 1\n");
        assert!(places_only.fixed.is_none());
        // A dry run (`--diff`) writes nothing and keeps both texts.
        let options = RunOptions {
            fix: FixMode::Safe,
            dry_run: true,
            places_only: false,
        };
        let diffed = Checked::held(fixed("w = 1\n", 0), utf8).finish(&path, options);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "z = 1\n");
        assert_eq!(unpacked(&diffed.source).as_deref(), Some("import os\n"));
        assert_eq!(unpacked(&diffed.fixed).as_deref(), Some("w = 1\n"));
    }

    #[test]
    fn the_original_text_of_a_file_that_is_written_is_not_kept() {
        let outcome = fixed("x = 1\n", 1).outcome;
        let options = |dry_run| RunOptions {
            fix: FixMode::Safe,
            dry_run,
            places_only: false,
        };
        assert!(keep_source(&outcome, "import os\n", options(false)).is_none());
        let diffed = keep_source(&outcome, "import os\n", options(true));
        assert_eq!(unpacked(&diffed).as_deref(), Some("import os\n"));
    }
}
