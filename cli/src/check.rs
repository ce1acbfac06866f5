//! `tauten check`: resolve configuration per file, run the engine, render, choose the exit status.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use tauten_engine::driver;
use tauten_engine::fix::FixMode;
use tauten_engine::project::ModuleInfo;
use tauten_engine::selection::{is_known_selector, Selectors};
use tauten_engine::{source, Rule};
use tauten_rules::registry::all_rules;
use tauten_workspace::cache::Cache;
use tauten_workspace::config::Resolver;
use tauten_workspace::discovery::discover;
use tauten_workspace::modules::ModuleNames;
use tauten_workspace::packed::Packed;
use tauten_workspace::run::{self, FileError, FileJob, FileReport, RunOptions};

use crate::args::CheckArgs;
use crate::error::CliError;
use crate::render::{self, RenderOptions};
use crate::verify;
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

/// The result cache's folder, in the project root.
const CACHE_DIR: &str = ".tauten_cache";

/// Where the result cache lives: in the project root, the nearest folder from the working
/// directory up that holds a `tauten.toml` or `pyproject.toml` (as ruff's `.ruff_cache`), else in
/// the working directory.
fn cache_dir() -> PathBuf {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = (here.ancestors())
        .find(|dir| {
            ["tauten.toml", "pyproject.toml"]
                .iter()
                .any(|f| dir.join(f).is_file())
        })
        .unwrap_or(&here);
    root.join(CACHE_DIR)
}

pub fn run(args: &CheckArgs) -> Result<u8, CliError> {
    let rules = all_rules();
    let cli_selectors = Selectors {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    let named = cli_selectors.select.iter().flatten();
    for selector in named
        .chain(&cli_selectors.extend_select)
        .chain(&cli_selectors.ignore)
    {
        if !is_known_selector(selector, &rules) {
            return Err(CliError::UnknownSelector(selector.clone()));
        }
    }
    let resolver = Resolver::new(args.config.as_deref())?;
    let fixing = (args.fix || args.fix_only) && !args.no_fix;
    let mode = match (fixing || args.diff, args.unsafe_fixes) {
        (false, _) => FixMode::Off,
        (true, false) => FixMode::Safe,
        (true, true) => FixMode::Unsafe,
    };
    let mut options = RenderOptions {
        format: args.output_format,
        fix_mode: mode,
        unsafe_fixes: args.unsafe_fixes,
        statistics: args.statistics,
        had_error: false,
        quiet: args.quiet,
    };
    // `tauten check -` reads standard input, as `ruff check -` does.
    let dash = PathBuf::from("-");
    let stdin_name = (args.stdin_filename.as_ref())
        .or((args.paths.len() == 1 && args.paths[0] == dash).then_some(&dash));
    if let Some(name) = stdin_name {
        return check_stdin(
            name,
            args,
            &resolver,
            &cli_selectors,
            &rules,
            mode,
            &options,
        );
    }

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let discovered = discover(&paths, &resolver);
    let mut had_error = false;
    for (path, message) in &discovered.errors {
        render::error(&CliError::Path(path.clone(), message.clone()));
        had_error = true;
    }
    if args.show_files {
        let mut files: Vec<&PathBuf> = discovered.files.iter().collect();
        files.sort();
        let listed: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
        crate::python::print_stdout(&listed)?;
        return Ok(if had_error { EXIT_ERROR } else { EXIT_CLEAN });
    }
    if discovered.files.is_empty() && !had_error {
        eprintln!("warning: No Python files found under the given path(s)");
        return Ok(EXIT_CLEAN);
    }
    let (mut jobs, config_errors) = jobs_for(&discovered.files, &resolver, &cli_selectors, &rules);
    if let Some(version) = args.target_version {
        for job in &mut jobs {
            job.target_version(version);
        }
    }
    for err in config_errors {
        render::error(&CliError::Config(err));
        had_error = true;
    }

    let cache_dir = cache_dir();
    let cache = (!args.no_cache).then(|| Cache::open(&cache_dir));
    let run_options = RunOptions {
        fix: mode,
        dry_run: args.diff || args.verify.is_some(),
        places_only: !args.output_format.shows_source(),
    };
    let mut reports = run::run(&jobs, run_options, cache.as_ref());
    if let Some(command) = &args.verify {
        had_error |= verify_fixes(command, args, &jobs, &mut reports, cache.as_ref())?;
    }
    if let Some(cache) = &cache {
        if let Err(err) = cache.save() {
            eprintln!(
                "warning: cannot write the cache in {}: {err}",
                cache_dir.display()
            );
        }
    }
    reports.iter_mut().for_each(syntax_errors_as_findings);
    had_error |= reports.iter().any(|r| r.error.is_some());
    for report in &reports {
        if let Some(error) = &report.error {
            render::file_error(report, error);
        }
    }
    options.had_error = had_error;
    if args.fix_only && !args.diff {
        let fixed: usize = reports.iter().map(|r| r.outcome.applied.len()).sum();
        let mut text = format!("Fixed {fixed} error{}.\n", render::plural(fixed));
        if args.show_fixes {
            text = render::fixes_applied(&reports, &rules);
        }
        crate::python::print_stdout(&text)?;
        return Ok(status(had_error, false, true));
    }
    let findings = match (&args.output_file, args.diff) {
        (_, true) => render::diffs(&reports)?,
        (Some(path), false) => render::reports_to_file(path, &reports, &options)?,
        (None, false) => render::reports(&reports, &options)?,
    };
    if args.show_fixes && !args.diff && mode != FixMode::Off {
        crate::python::print_stdout(&render::fixes_applied(&reports, &rules))?;
    }
    Ok(status(had_error, findings, args.exit_zero))
}

/// The code a syntax error is shown with (flake8's: ruff shows none).
pub const SYNTAX_ERROR: &str = "E999";

/// A file that does not parse: each place is a finding (``E999 SyntaxError: Expected `)`, found
/// newline``), whatever the selection, as in ruff, so that every output format shows it and the
/// run exits 1 (2 is for configuration and internal errors). No rule checked the file.
fn syntax_errors_as_findings(report: &mut FileReport) {
    if !matches!(report.error, Some(FileError::Syntax(_))) {
        return;
    }
    let Some(text) = report.source.as_ref().and_then(|s| s.unpack().ok()) else {
        return;
    };
    for (range, message) in tauten_engine::parse::describe_syntax_errors(&text) {
        let message = format!("SyntaxError: {message}");
        (report.outcome.diagnostics).push(tauten_engine::Diagnostic::coded(
            SYNTAX_ERROR,
            "syntax-error",
            message,
            range,
        ));
    }
    report.error = None;
}

/// The job of each file: its configuration resolved, validated and overridden by `selectors`.
/// Files whose configuration is unusable get no job; each such configuration's error is returned
/// once.
pub fn jobs_for<'r>(
    files: &[PathBuf],
    resolver: &Resolver,
    selectors: &Selectors,
    rules: &[&'r dyn Rule],
) -> (Vec<FileJob<'r>>, Vec<tauten_engine::config::ConfigError>) {
    let mut jobs = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    let mut module_names = ModuleNames::default();
    let mut reported_configs = HashSet::new();
    for file in files {
        let config = resolver.config_for_file(file).and_then(|config| {
            config.validate_selectors(|s| is_known_selector(s, rules))?;
            Ok(config)
        });
        let config = match config {
            Ok(config) => config,
            Err(err) => {
                if reported_configs.insert(err.path.clone()) {
                    errors.push(err);
                }
                continue;
            }
        };
        let module = ModuleInfo::new(module_names.of(file), file);
        jobs.push(FileJob::for_file(
            file,
            module,
            &config,
            selectors,
            rules,
            tauten_rules::registry::call_analysis(),
        ));
    }
    (jobs, errors)
}

/// `--verify`: keep the fixes the command accepts; the other files get their findings back as
/// checked without fixes. True when nothing could be concluded (an error: exit 2).
fn verify_fixes(
    command: &str,
    args: &CheckArgs,
    jobs: &[FileJob<'_>],
    reports: &mut [FileReport],
    cache: Option<&Cache>,
) -> Result<bool, CliError> {
    let timeout = std::time::Duration::from_secs(args.verify_timeout);
    let (rejected, failed): (Vec<PathBuf>, bool) = match verify::verify(command, timeout, reports)?
    {
        verify::Verdict::Checked { runs, rejected } => {
            let kept = reports.iter().filter(|r| r.fixed.is_some()).count() - rejected.len();
            eprintln!(
                "tauten verify: {runs} runs of `{command}`; kept the fixes of {}, rejected those \
                 of {}",
                files(kept),
                files(rejected.len())
            );
            for file in &rejected {
                eprintln!(
                    "tauten verify: {}: fixes not applied: `{command}` fails with them ({})",
                    file.path.display(),
                    indent(&file.output)
                );
            }
            (rejected.into_iter().map(|r| r.path).collect(), false)
        }
        verify::Verdict::FailsBefore(output) => {
            eprintln!(
                "tauten verify: `{command}` fails before any fix ({}); nothing written",
                indent(&output)
            );
            (fixed_paths(reports), true)
        }
        verify::Verdict::Flaky(output) => {
            eprintln!(
                "tauten verify: `{command}` passed once and failed once before any fix ({}): \
                 it is flaky, nothing can be concluded; nothing written",
                indent(&output)
            );
            (fixed_paths(reports), true)
        }
    };
    if rejected.is_empty() {
        return Ok(failed);
    }
    // The rejected files as they are on disk again: their findings, unfixed.
    let unfixed = RunOptions {
        fix: FixMode::Off,
        dry_run: true,
        places_only: !args.output_format.shows_source(),
    };
    let again = run::run(jobs, unfixed, cache);
    for (report, fresh) in reports.iter_mut().zip(again) {
        if rejected.contains(&report.path) {
            *report = fresh;
        }
    }
    Ok(failed)
}

fn fixed_paths(reports: &[FileReport]) -> Vec<PathBuf> {
    (reports.iter())
        .filter(|r| r.fixed.is_some())
        .map(|r| r.path.clone())
        .collect()
}

fn files(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

/// A command's output on the lines after a message.
fn indent(output: &str) -> String {
    output.replace('\n', "\n    ")
}

/// `tauten debug-parse`: discover, read and parse every file in parallel; print how many parsed.
pub fn parse_only(paths: &[PathBuf]) -> Result<u8, CliError> {
    use rayon::prelude::*;
    let resolver = Resolver::new(None)?;
    let discovered = discover(paths, &resolver);
    let with_errors: usize = discovered
        .files
        .par_iter()
        .map(|path| {
            let Ok(bytes) = std::fs::read(path) else {
                return 1;
            };
            let Ok((text, _)) = source::decode(&bytes) else {
                return 1;
            };
            usize::from(tauten_engine::parse::parse(&text, None).has_errors())
        })
        .sum();
    println!(
        "parsed {} files ({with_errors} with errors)",
        discovered.files.len()
    );
    Ok(EXIT_CLEAN)
}

fn status(had_error: bool, findings: bool, exit_zero: bool) -> u8 {
    if had_error {
        EXIT_ERROR
    } else if findings && !exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// `--stdin-filename`: check standard input as if it were `name`. With `--fix`, the fixed source
/// goes to standard output and the findings to standard error.
fn check_stdin(
    name: &Path,
    args: &CheckArgs,
    resolver: &Resolver,
    cli: &Selectors,
    rules: &[&dyn Rule],
    mode: FixMode,
    options: &RenderOptions,
) -> Result<u8, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|err| CliError::Io(format!("cannot read standard input: {err}")))?;
    let config = resolver.config_for(name)?;
    config.validate_selectors(|s| is_known_selector(s, rules))?;
    let facts = tauten_workspace::modules::file_facts(name);
    let job = FileJob::for_file(
        name,
        facts.module.clone(),
        &config,
        cli,
        rules,
        tauten_rules::registry::call_analysis(),
    );
    let (text, encoding) = match source::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(err) => {
            let report = FileReport {
                path: name.to_path_buf(),
                source: None,
                outcome: Default::default(),
                fixed: None,
                error: Some(FileError::Decode(err)),
                places: Vec::new(),
            };
            render::file_error(&report, report.error.as_ref().expect("set above"));
            return Ok(EXIT_ERROR);
        }
    };
    let mut outcome = driver::check_text(name, &text, job.rule_set(), &job.settings, &facts, mode);
    let fixed = outcome.fixed_text.take();
    let mut report = FileReport {
        path: name.to_path_buf(),
        source: Some(Packed::pack(&text)),
        error: (!outcome.syntax_errors.is_empty())
            .then(|| FileError::Syntax(outcome.syntax_errors.clone())),
        outcome,
        fixed: fixed.as_deref().map(Packed::pack),
        places: Vec::new(),
    };
    syntax_errors_as_findings(&mut report);
    if let Some(error) = &report.error {
        render::file_error(&report, error);
    }
    let reports = [report];
    let findings = if args.diff {
        render::diffs(&reports)?
    } else if args.fix {
        let fixed = fixed.as_deref().unwrap_or(&text);
        use std::io::Write;
        std::io::stdout()
            .write_all(&source::encode(fixed, encoding))
            .map_err(|err| CliError::Io(err.to_string()))?;
        render::reports_to_stderr(&reports, options)?
    } else {
        render::reports(&reports, options)?
    };
    Ok(status(reports[0].error.is_some(), findings, args.exit_zero))
}
