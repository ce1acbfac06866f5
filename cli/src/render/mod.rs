//! Rendering results: findings in each output format, diffs, statistics, errors.

mod github;
mod json;
mod sarif;
mod text;

use std::io::Write;
use std::path::Path;

use tauten_engine::fix::FixMode;
use tauten_engine::text::Place;
use tauten_engine::{Applicability, Diagnostic, LineColumn, LineIndex};
use tauten_workspace::packed::Packed;
use tauten_workspace::run::{FileError, FileReport};

use crate::args::OutputFormat;
use crate::error::CliError;

pub struct RenderOptions {
    pub format: OutputFormat,
    pub fix_mode: FixMode,
    pub unsafe_fixes: bool,
    pub statistics: bool,
    /// Some file or configuration could not be checked (then "All checks passed!" would be wrong).
    pub had_error: bool,
    /// No summary after the findings (`--quiet`).
    pub quiet: bool,
}

/// One finding with everything a renderer needs, in output order.
pub struct Finding<'a> {
    /// The path as given or found (relative when under the working directory).
    pub path: &'a Path,
    pub absolute: &'a Path,
    /// The text the finding's offsets refer to (the fixed text when fixes were applied).
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub diagnostic: &'a Diagnostic,
    pub start: LineColumn,
    pub end: LineColumn,
}

impl Finding<'_> {
    pub fn display_path(&self) -> String {
        let path = self.path.strip_prefix("./").unwrap_or(self.path);
        path.display().to_string()
    }

    pub fn is_fixable(&self, unsafe_fixes: bool) -> bool {
        self.diagnostic
            .fix
            .as_ref()
            .is_some_and(|f| unsafe_fixes || f.applicability == Applicability::Safe)
    }
}

/// An output format, written file by file.
trait Format {
    /// Write (or keep for the end) one file's findings, in output order, while its text is
    /// unpacked.
    fn file(&mut self, out: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()>;
    /// Write what follows the last file, or what was kept of every file.
    fn end(self: Box<Self>, out: &mut dyn Write, totals: &Totals) -> std::io::Result<()>;
}

/// What the shown findings add up to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub findings: usize,
    /// Findings with a safe fix.
    pub safe: usize,
    /// Findings with a fix, safe or unsafe.
    pub with_unsafe: usize,
    /// Fixes applied.
    pub fixed: usize,
}

impl Totals {
    fn add(&mut self, findings: &[Finding<'_>]) {
        self.findings += findings.len();
        self.safe += findings.iter().filter(|f| f.is_fixable(false)).count();
        self.with_unsafe += findings.iter().filter(|f| f.is_fixable(true)).count();
    }
}

/// The format `options` asks for.
fn format(options: &RenderOptions) -> Box<dyn Format + '_> {
    if options.statistics {
        return Box::new(Statistics::new(options));
    }
    match options.format {
        OutputFormat::Text => Box::new(text::Full::new(options)),
        OutputFormat::Concise => Box::new(text::Concise(options)),
        OutputFormat::Json => Box::new(json::Rows::default()),
        OutputFormat::Github => Box::new(github::Commands),
        OutputFormat::Sarif => Box::new(sarif::Results::default()),
    }
}

/// The reports with findings, in output order (by path).
fn with_findings(reports: &[FileReport]) -> Vec<&FileReport> {
    let mut shown: Vec<&FileReport> = (reports.iter())
        .filter(|report| !report.outcome.diagnostics.is_empty())
        .collect();
    shown.sort_by(|a, b| a.path.cmp(&b.path));
    shown
}

/// Hand each file's findings, in output order, to `each`, the file's text obtained from
/// `text_of` (unpacked, in a run) just before and dropped just after: one file's text at a time.
/// A file whose text was not read (its findings came from the cache) is shown by its findings'
/// stored places, unless `format` shows source.
fn each_file<T: AsRef<str>>(
    reports: &[FileReport],
    format: OutputFormat,
    mut text_of: impl FnMut(&FileReport) -> std::io::Result<Option<T>>,
    mut each: impl FnMut(&[Finding<'_>]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for report in with_findings(reports) {
        let text = text_of(report)?;
        let text = text.as_ref().map(AsRef::as_ref);
        let placed = report.places.len() == report.outcome.diagnostics.len();
        // Without its text a file is shown by its stored places, for a format that shows no source.
        if text.is_none() && (!placed || format.shows_source()) {
            continue;
        }
        let lines = LineIndex::new(text.unwrap_or(""));
        let absolute = std::path::absolute(&report.path).unwrap_or_else(|_| report.path.clone());
        let places = text.is_none().then_some(&report.places);
        let findings = file_findings(report, text.unwrap_or(""), &lines, &absolute, places);
        each(&findings)?;
    }
    Ok(())
}

/// One file's findings, sorted by row, column and code; placed by `places` when given, else in
/// `text`.
fn file_findings<'a>(
    report: &'a FileReport,
    text: &'a str,
    lines: &'a LineIndex,
    absolute: &'a Path,
    places: Option<&'a Vec<Place>>,
) -> Vec<Finding<'a>> {
    let mut findings: Vec<Finding<'a>> = (report.outcome.diagnostics.iter().enumerate())
        .map(|(index, diagnostic)| {
            let place = match places {
                Some(places) => places[index],
                None => lines.place(diagnostic.range, text),
            };
            Finding {
                path: &report.path,
                absolute,
                start: place.start,
                end: place.end,
                text,
                lines,
                diagnostic,
            }
        })
        .collect();
    findings.sort_by(|a, b| (a.start, a.diagnostic.code).cmp(&(b.start, b.diagnostic.code)));
    findings
}

/// A report's shown text, unpacked.
fn unpacked(report: &FileReport) -> std::io::Result<Option<String>> {
    (report.shown_text().map(Packed::unpack).transpose()).map_err(std::io::Error::other)
}

/// Print the findings of `reports` on standard output; true when any remain.
pub fn reports(reports: &[FileReport], options: &RenderOptions) -> Result<bool, CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_reports(&mut out, reports, options)
}

/// The fixes applied, by file and rule, as ruff's `--show-fixes` lists them:
/// `Fixed 2 errors:`, then `- a.py:` and `    2 × TAU101 (unused-import)`.
pub fn fixes_applied(reports: &[FileReport], rules: &[&dyn tauten_engine::Rule]) -> String {
    let fixed: usize = reports.iter().map(|r| r.outcome.applied.len()).sum();
    if fixed == 0 {
        return "No errors fixed.\n".to_owned();
    }
    let mut out = format!("Fixed {fixed} error{}:\n", plural(fixed));
    let mut files: Vec<&FileReport> = (reports.iter())
        .filter(|r| !r.outcome.applied.is_empty())
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for report in files {
        let path = report.path.strip_prefix("./").unwrap_or(&report.path);
        out.push_str(&format!("- {}:\n", path.display()));
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for code in &report.outcome.applied {
            *counts.entry(code).or_default() += 1;
        }
        for (code, n) in counts {
            let name = (rules.iter())
                .find(|r| r.meta().code == code)
                .map_or("", |r| r.meta().name);
            out.push_str(&format!("    {n} × {code} ({name})\n"));
        }
    }
    out
}

/// Like [`reports`], into the file at `path` (created or truncated).
pub fn reports_to_file(
    path: &std::path::Path,
    reports: &[FileReport],
    options: &RenderOptions,
) -> Result<bool, CliError> {
    let file = std::fs::File::create(path)
        .map_err(|e| CliError::Path(path.to_path_buf(), format!("cannot write: {e}")))?;
    let mut out = std::io::BufWriter::new(file);
    let found = write_reports(&mut out, reports, options)?;
    out.flush()
        .map_err(|e| CliError::Path(path.to_path_buf(), format!("cannot write: {e}")))?;
    Ok(found)
}

/// Like [`reports`], on standard error (standard output holds the fixed source).
pub fn reports_to_stderr(
    reports: &[FileReport],
    options: &RenderOptions,
) -> Result<bool, CliError> {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    write_reports(&mut out, reports, options)
}

fn write_reports(
    out: &mut dyn Write,
    reports: &[FileReport],
    options: &RenderOptions,
) -> Result<bool, CliError> {
    let mut totals = Totals {
        fixed: reports.iter().map(|r| r.outcome.applied.len()).sum(),
        ..Totals::default()
    };
    let result = write_findings(out, reports, &mut totals, options);
    match result {
        // A closed pipe (`tauten check | head`) is the reader's choice, not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(totals.findings > 0),
        Err(err) => Err(CliError::Io(err.to_string())),
        Ok(()) => Ok(totals.findings > 0),
    }
}

/// Write the findings of `reports` file by file in the format of `options`, adding them up in
/// `totals`.
fn write_findings(
    out: &mut dyn Write,
    reports: &[FileReport],
    totals: &mut Totals,
    options: &RenderOptions,
) -> std::io::Result<()> {
    let mut format = format(options);
    each_file(reports, options.format, unpacked, |findings| {
        totals.add(findings);
        format.file(out, findings)
    })?;
    format.end(out, totals)
}

/// `--statistics`: a count per rule, most frequent first.
struct Statistics<'o> {
    options: &'o RenderOptions,
    /// Code, name, count and whether any is fixable, in the order first seen.
    counts: Vec<(&'static str, &'static str, usize, bool)>,
}

impl<'o> Statistics<'o> {
    fn new(options: &'o RenderOptions) -> Self {
        Statistics {
            options,
            counts: Vec::new(),
        }
    }
}

impl Format for Statistics<'_> {
    fn file(&mut self, _: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
        let unsafe_fixes = self.options.unsafe_fixes;
        for finding in findings {
            let d = finding.diagnostic;
            match self.counts.iter_mut().find(|(code, ..)| *code == d.code) {
                Some(entry) => {
                    entry.2 += 1;
                    entry.3 |= finding.is_fixable(unsafe_fixes);
                }
                None => (self.counts).push((d.code, d.name, 1, finding.is_fixable(unsafe_fixes))),
            }
        }
        Ok(())
    }

    fn end(self: Box<Self>, out: &mut dyn Write, _: &Totals) -> std::io::Result<()> {
        let mut counts = self.counts;
        counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        if self.options.format == OutputFormat::Json {
            let rows: Vec<serde_json::Value> = counts
                .iter()
                .map(|(code, name, count, fixable)| {
                    serde_json::json!({"code": code, "name": name, "count": count, "fixable": fixable})
                })
                .collect();
            return writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        for (code, name, count, fixable) in counts {
            let marker = if fixable { "[*] " } else { "" };
            writeln!(out, "{count:>5}\t{code}\t{marker}{name}")?;
        }
        Ok(())
    }
}

/// `--diff`: print what fixes would change; true when they would change anything.
pub fn diffs(reports: &[FileReport]) -> Result<bool, CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut changed = 0;
    let mut fixes = 0;
    let mut sorted: Vec<&FileReport> = reports.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for report in sorted {
        let (Some(source), Some(fixed)) = (&report.source, &report.fixed) else {
            continue;
        };
        let unpack = |text: &Packed| text.unpack().map_err(CliError::Io);
        let (source, fixed) = (unpack(source)?, unpack(fixed)?);
        let path = report.path.strip_prefix("./").unwrap_or(&report.path);
        write!(
            out,
            "{}",
            crate::diff::unified(&path.display().to_string(), &source, &fixed)
        )
        .map_err(|err| CliError::Io(err.to_string()))?;
        changed += 1;
        fixes += report.outcome.applied.len();
    }
    if changed > 0 {
        eprintln!(
            "Would fix {fixes} error{} in {changed} file{}.",
            plural(fixes),
            plural(changed)
        );
    }
    Ok(changed > 0)
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Print a file that could not be checked (or written), with where it failed when known.
pub fn file_error(report: &FileReport, error: &FileError) {
    let path = report
        .path
        .strip_prefix("./")
        .unwrap_or(&report.path)
        .display()
        .to_string();
    let source = report.source.as_ref().and_then(|text| text.unpack().ok());
    match (error, source) {
        (FileError::Syntax(errors), Some(source)) => {
            let lines = LineIndex::new(&source);
            let at = errors
                .first()
                .map_or(LineColumn { row: 1, column: 1 }, |e| {
                    lines.line_column(e.start, &source)
                });
            eprintln!(
                "{path}:{}:{}: error: syntax error ({} place{} the parser could not read); no rule checked this file and it was left untouched",
                at.row,
                at.column,
                errors.len(),
                plural(errors.len())
            );
        }
        _ => eprintln!("{path}: error: {error}"),
    }
}

/// Print an error that stopped a command (configuration errors with the offending key shown).
pub fn error(err: &CliError) {
    if let CliError::Config(config) = err {
        if let Some(span) = &config.span {
            eprint!("{}", text::render_config_error(config, span.clone()));
            return;
        }
    }
    eprintln!("error: {err}");
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::PathBuf;
    use std::rc::Rc;

    use tauten_engine::driver::Outcome;
    use tauten_engine::text::TextRange;

    use super::*;

    fn finding(code: &'static str, start: usize) -> Diagnostic {
        Diagnostic {
            code,
            name: "test",
            message: String::new(),
            range: TextRange::new(start, start + 1),
            fix: None,
            noqa_offset: start,
            parent_offset: None,
            related: Vec::new(),
            kind: None,
        }
    }

    fn report(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport {
            path: PathBuf::from(path),
            source: Some(Packed::pack(text)),
            outcome: Outcome {
                diagnostics,
                ..Outcome::default()
            },
            fixed: None,
            error: None,
            places: Vec::new(),
        }
    }

    /// A text that counts how many of its kind are alive.
    struct Counted(String, Rc<Cell<usize>>);

    impl AsRef<str> for Counted {
        fn as_ref(&self) -> &str {
            &self.0
        }
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.1.set(self.1.get() - 1);
        }
    }

    #[test]
    fn files_are_shown_in_path_order_with_one_text_unpacked_at_a_time() {
        let reports = [
            report(
                "b.py",
                "x\ny\n",
                vec![finding("TAU102", 2), finding("TAU101", 0)],
            ),
            report("c.py", "z\n", Vec::new()),
            report("a.py", "w\n", vec![finding("TAU101", 0)]),
        ];
        let alive = Rc::new(Cell::new(0));
        let mut most_alive = 0;
        let mut seen = Vec::new();
        let text_of = |report: &FileReport| {
            alive.set(alive.get() + 1);
            most_alive = most_alive.max(alive.get());
            let text = report.shown_text().unwrap().unpack().unwrap();
            Ok(Some(Counted(text, alive.clone())))
        };
        each_file(&reports, OutputFormat::Text, text_of, |findings| {
            let shown = findings
                .iter()
                .map(|f| (f.path, f.start.row, f.diagnostic.code));
            seen.extend(shown.map(|(path, row, code)| (path.to_path_buf(), row, code)));
            Ok(())
        })
        .unwrap();
        let expected = [
            ("a.py", 1, "TAU101"),
            ("b.py", 1, "TAU101"),
            ("b.py", 2, "TAU102"),
        ];
        let expected: Vec<_> = (expected.iter())
            .map(|(path, row, code)| (PathBuf::from(path), *row, *code))
            .collect();
        assert_eq!(seen, expected);
        assert_eq!(
            most_alive, 1,
            "each text is dropped before the next is unpacked"
        );
        assert_eq!(alive.get(), 0);
    }
}
