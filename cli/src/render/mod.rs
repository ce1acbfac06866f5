//! Rendering results: findings in each output format, diffs, statistics, errors.

mod github;
mod json;
mod sarif;
mod text;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tauten_engine::fix::FixMode;
use tauten_engine::{Applicability, Diagnostic, LineColumn, LineIndex};
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
}

/// One finding with everything a renderer needs, in output order.
pub struct Finding<'a> {
    /// The path as given or found (relative when under the working directory).
    pub path: &'a Path,
    pub absolute: PathBuf,
    /// The text the finding's offsets refer to (the fixed text when fixes were applied).
    pub text: &'a str,
    pub lines: Arc<LineIndex>,
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

/// Every remaining finding of `reports`, sorted by path, row, column and code. Line indexes are
/// built in parallel; texts are shared, not copied. A file whose text was not read (its findings
/// came from the cache) is shown by its findings' stored places, unless `format` shows source.
pub fn findings(reports: &[FileReport], format: OutputFormat) -> Vec<Finding<'_>> {
    use rayon::prelude::*;
    let per_file: Vec<Vec<Finding<'_>>> = reports
        .par_iter()
        .filter(|report| !report.outcome.diagnostics.is_empty())
        .filter_map(|report| {
            let text = (report.outcome.fixed_text.as_deref()).or(report.source.as_deref());
            let placed = report.places.len() == report.outcome.diagnostics.len();
            let (text, lines, places) = match text {
                Some(text) => (text, Arc::new(LineIndex::new(text)), None),
                None if placed && !format.shows_source() => {
                    ("", Arc::new(LineIndex::new("")), Some(&report.places))
                }
                None => return None,
            };
            let absolute =
                std::path::absolute(&report.path).unwrap_or_else(|_| report.path.clone());
            let findings = (report.outcome.diagnostics.iter().enumerate())
                .map(|(index, diagnostic)| {
                    let place = match places {
                        Some(places) => places[index],
                        None => lines.place(diagnostic.range, text),
                    };
                    Finding {
                        path: &report.path,
                        absolute: absolute.clone(),
                        start: place.start,
                        end: place.end,
                        text,
                        lines: lines.clone(),
                        diagnostic,
                    }
                })
                .collect();
            Some(findings)
        })
        .collect();
    let mut all: Vec<Finding<'_>> = per_file.into_iter().flatten().collect();
    all.sort_by(|a, b| {
        (a.path, a.start, a.diagnostic.code).cmp(&(b.path, b.start, b.diagnostic.code))
    });
    all
}

/// Print the findings of `reports` on standard output; true when any remain.
pub fn reports(reports: &[FileReport], options: &RenderOptions) -> Result<bool, CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_reports(&mut out, reports, options)
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
    let findings = findings(reports, options.format);
    let fixed: usize = reports.iter().map(|r| r.outcome.applied.len()).sum();
    let io = |err: std::io::Error| CliError::Io(err.to_string());
    let result = write_findings(out, &findings, fixed, options);
    match result {
        // A closed pipe (`tauten check | head`) is the reader's choice, not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(!findings.is_empty()),
        Err(err) => Err(io(err)),
        Ok(()) => Ok(!findings.is_empty()),
    }
}

fn write_findings(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    fixed: usize,
    options: &RenderOptions,
) -> std::io::Result<()> {
    if options.statistics {
        return write_statistics(out, findings, options);
    }
    match options.format {
        OutputFormat::Text => {
            text::write_full(out, findings, options)?;
            text::write_summary(out, findings, fixed, options)
        }
        OutputFormat::Concise => {
            text::write_concise(out, findings, options)?;
            text::write_summary(out, findings, fixed, options)
        }
        OutputFormat::Json => json::write(out, findings),
        OutputFormat::Github => github::write(out, findings),
        OutputFormat::Sarif => sarif::write(out, findings),
    }
}

/// `--statistics`: a count per rule, most frequent first.
fn write_statistics(
    out: &mut dyn Write,
    findings: &[Finding<'_>],
    options: &RenderOptions,
) -> std::io::Result<()> {
    let mut counts: Vec<(&str, &str, usize, bool)> = Vec::new();
    for finding in findings {
        let d = finding.diagnostic;
        match counts.iter_mut().find(|(code, ..)| *code == d.code) {
            Some(entry) => {
                entry.2 += 1;
                entry.3 |= finding.is_fixable(options.unsafe_fixes);
            }
            None => counts.push((d.code, d.name, 1, finding.is_fixable(options.unsafe_fixes))),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    if options.format == OutputFormat::Json {
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

/// `--diff`: print what fixes would change; true when they would change anything.
pub fn diffs(reports: &[FileReport]) -> Result<bool, CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut changed = 0;
    let mut fixes = 0;
    let mut sorted: Vec<&FileReport> = reports.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for report in sorted {
        let (Some(source), Some(fixed)) = (&report.source, &report.outcome.fixed_text) else {
            continue;
        };
        let path = report.path.strip_prefix("./").unwrap_or(&report.path);
        write!(
            out,
            "{}",
            crate::diff::unified(&path.display().to_string(), source, fixed)
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
    match (error, &report.source) {
        (FileError::Syntax(errors), Some(source)) => {
            let lines = LineIndex::new(source);
            let at = errors
                .first()
                .map_or(LineColumn { row: 1, column: 1 }, |e| {
                    lines.line_column(e.start, source)
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
